/* timer_create(SIGEV_THREAD): the notification runs, repeatedly, in a
 * thread other than main, with the sigev_value given. */
#include "mtest.h"
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

static sem_t fired;
static pthread_t main_thread;
static volatile int wrong_thread, wrong_value;

static void notify(union sigval v)
{
    if (pthread_equal(pthread_self(), main_thread))
        wrong_thread = 1;
    if (v.sival_int != 1234)
        wrong_value = 1;
    sem_post(&fired);
}

int main(void)
{
    mtest_start();
    main_thread = pthread_self();
    CHECK(sem_init(&fired, 0, 0) == 0, "sem_init");
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = notify;
    sev.sigev_value.sival_int = 1234;
    timer_t tm;
    CHECK(timer_create(CLOCK_MONOTONIC, &sev, &tm) == 0, "timer_create: %s", strerror(errno));
    struct itimerspec its = { { 0, 20 * 1000 * 1000 }, { 0, 20 * 1000 * 1000 } };
    CHECK(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime");
    for (int i = 0; i < 3; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 30;
        while (sem_timedwait(&fired, &ts) != 0)
            CHECK(errno == EINTR, "expiry %d never notified", i);
    }
    CHECK(timer_delete(tm) == 0, "timer_delete");
    CHECK(!wrong_thread, "notified in the main thread");
    CHECK(!wrong_value, "wrong sigev_value");
    return 0;
}
