/* pthread_cancel of a thread blocked in a cancellation point: its cleanup
 * handler runs and pthread_join returns PTHREAD_CANCELED. */
#include "mtest.h"
#include <pthread.h>

static volatile int cleaned, started;

static void cleanup(void *arg)
{
    (void)arg;
    cleaned = 1;
}

static void *work(void *arg)
{
    (void)arg;
    pthread_cleanup_push(cleanup, NULL);
    __atomic_store_n(&started, 1, __ATOMIC_RELEASE);
    for (;;)
        pause();
    pthread_cleanup_pop(0);
    return NULL;
}

int main(void)
{
    mtest_start();
    pthread_t t;
    CHECK(pthread_create(&t, NULL, work, NULL) == 0, "pthread_create");
    while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
        sched_yield();
    CHECK(pthread_cancel(t) == 0, "pthread_cancel");
    void *r;
    CHECK(pthread_join(t, &r) == 0, "pthread_join");
    CHECK(r == PTHREAD_CANCELED, "join returned %p", r);
    CHECK(cleaned, "the cleanup handler did not run");
    return 0;
}
