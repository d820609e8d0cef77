/* The wrapper's own EINVAL (NULL fn, NULL stack) lands in the calling
 * thread's errno, and only there, on every call: the first call in a
 * process finds errno through __errno_location(), later ones store it
 * through the thread pointer at the offset learnt then (src/capi.rs). Each
 * of several pthreads, started after the offset is learnt, calls clone
 * with a NULL fn and with a NULL stack many times, and checks its own errno
 * after each call; the main thread's errno, set to a sentinel meanwhile,
 * must not change. */
/* sched-clone-test: cross musl */
#include "common.h"
#include <pthread.h>

#define STACK_SIZE (64 * 1024)
#define THREADS 4
#define CALLS 1000
#define SENTINEL 12345

static char *top;
static pthread_barrier_t barrier;

static int never_runs(void *arg)
{
    (void)arg;
    return 1;
}

static void *thread_main(void *arg)
{
    intptr_t bad = 0;
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < CALLS; i++) {
        errno = (int)(intptr_t)arg;
        int (*null_fn)(void *) = NULL;
        if (clone(null_fn, top, SIGCHLD, NULL) != -1 || errno != EINVAL)
            bad++;
        errno = 0;
        if (clone(never_runs, NULL, SIGCHLD, NULL) != -1 || errno != EINVAL)
            bad++;
    }
    return (void *)bad;
}

int main(void)
{
    assert_clone_is_ours();
    top = stack_top(alloc_stack(STACK_SIZE), STACK_SIZE);
    int (*null_fn)(void *) = NULL;
    for (int i = 0; i < 3; i++) { /* the first call learns the offset */
        errno = 0;
        int ret = clone(null_fn, top, SIGCHLD, NULL);
        CHECK(ret == -1 && errno == EINVAL, "call %d in main: %d, errno %d", i, ret, errno);
    }
    CHECK(pthread_barrier_init(&barrier, NULL, THREADS + 1) == 0, "pthread_barrier_init");
    pthread_t t[THREADS];
    for (intptr_t i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, thread_main, (void *)(i + 1)) == 0, "pthread_create");
    errno = SENTINEL;
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < THREADS; i++) {
        void *bad;
        CHECK(pthread_join(t[i], &bad) == 0, "pthread_join");
        CHECK(bad == NULL, "thread %d: %jd calls left errno other than EINVAL", i,
              (intmax_t)(intptr_t)bad);
    }
    int err = errno;
    CHECK(err == SENTINEL, "the main thread's errno changed to %d while the threads ran", err);
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD, "a child was created");
    return 0;
}
