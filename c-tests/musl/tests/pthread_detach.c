/* Detached threads (by attribute and by pthread_detach) run to completion. */
#include "mtest.h"
#include <pthread.h>
#include <semaphore.h>

static sem_t done;

static void *work(void *arg)
{
    (void)arg;
    sem_post(&done);
    return NULL;
}

int main(void)
{
    mtest_start();
    CHECK(sem_init(&done, 0, 0) == 0, "sem_init");
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 16; i++) {
        pthread_t t;
        CHECK(pthread_create(&t, i % 2 ? &a : NULL, work, NULL) == 0, "pthread_create");
        if (i % 2 == 0)
            CHECK(pthread_detach(t) == 0, "pthread_detach");
    }
    for (int i = 0; i < 16; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 30;
        CHECK(sem_timedwait(&done, &ts) == 0, "thread %d did not finish", i);
    }
    return 0;
}
