/* 1,000 threads alive at once (each waits at a barrier), then all joined. */
#include "mtest.h"
#include <pthread.h>

#define N 1000
static pthread_barrier_t barrier;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int alive; /* under lock: no __atomic_add_fetch, whose aarch64
                   * outline-atomics helper in libgcc needs glibc's __getauxval */

static void *work(void *arg)
{
    pthread_mutex_lock(&lock);
    alive++;
    pthread_mutex_unlock(&lock);
    pthread_barrier_wait(&barrier);
    return arg;
}

int main(void)
{
    mtest_start();
    static pthread_t t[N];
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 64 * 1024);
    CHECK(pthread_barrier_init(&barrier, NULL, N + 1) == 0, "barrier");
    for (uintptr_t i = 0; i < N; i++) {
        int e = pthread_create(&t[i], &a, work, (void *)i);
        CHECK(e == 0, "pthread_create #%zu: %s", (size_t)i, strerror(e));
    }
    pthread_barrier_wait(&barrier);
    pthread_mutex_lock(&lock);
    CHECK(alive == N, "%d threads alive", alive);
    pthread_mutex_unlock(&lock);
    for (uintptr_t i = 0; i < N; i++) {
        void *r;
        CHECK(pthread_join(t[i], &r) == 0 && r == (void *)i, "join #%zu", (size_t)i);
    }
    return 0;
}
