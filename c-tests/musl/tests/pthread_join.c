/* pthread_create and pthread_join: each thread's return value comes back. */
#include "mtest.h"
#include <pthread.h>

static void *work(void *arg)
{
    return (void *)((uintptr_t)arg * 3 + 1);
}

int main(void)
{
    mtest_start();
    pthread_t t[8];
    for (uintptr_t i = 0; i < 8; i++)
        CHECK(pthread_create(&t[i], NULL, work, (void *)i) == 0, "pthread_create %zu", (size_t)i);
    for (uintptr_t i = 0; i < 8; i++) {
        void *r;
        CHECK(pthread_join(t[i], &r) == 0, "pthread_join");
        CHECK((uintptr_t)r == i * 3 + 1, "thread %zu returned %p", (size_t)i, r);
    }
    return 0;
}
