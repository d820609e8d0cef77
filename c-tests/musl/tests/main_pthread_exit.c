/* pthread_exit from the main thread: the process lives on in its other
 * thread, which can still create and join threads; the process exits with
 * status 0 when that thread ends, and the atexit check sees it all done. */
#include "mtest.h"
#include <pthread.h>

static volatile int main_gone, worker_done;

static void *inner(void *arg)
{
    return arg;
}

static void *worker(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&main_gone, __ATOMIC_ACQUIRE))
        sched_yield();
    usleep(50 * 1000); /* main is in pthread_exit by now */
    pthread_t t;
    void *r = NULL;
    if (pthread_create(&t, NULL, inner, (void *)0x5a) != 0 || pthread_join(t, &r) != 0 || r != (void *)0x5a)
        _exit(4);
    __atomic_store_n(&worker_done, 1, __ATOMIC_RELEASE);
    return NULL; /* the last thread: the process exits with status 0 */
}

static void at_exit(void)
{
    if (!__atomic_load_n(&worker_done, __ATOMIC_ACQUIRE))
        _exit(5);
}

int main(void)
{
    mtest_start();
    CHECK(atexit(at_exit) == 0, "atexit");
    pthread_t t;
    CHECK(pthread_create(&t, NULL, worker, NULL) == 0, "pthread_create");
    __atomic_store_n(&main_gone, 1, __ATOMIC_RELEASE);
    pthread_exit(NULL);
}
