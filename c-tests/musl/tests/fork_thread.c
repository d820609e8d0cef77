/* fork from a thread: the child is a single-threaded copy that can create
 * and join threads itself; the forking thread reaps it. (musl's fork uses
 * the syscall, not __clone; the threads on both sides do.) */
#include "mtest.h"
#include <pthread.h>

static void *inner(void *arg)
{
    return (void *)((uintptr_t)arg + 1);
}

static void *forker(void *arg)
{
    (void)arg;
    pid_t pid = fork();
    if (pid < 0)
        return (void *)1;
    if (pid == 0) {
        pthread_t t;
        void *r;
        if (pthread_create(&t, NULL, inner, (void *)41) != 0 || pthread_join(t, &r) != 0 || r != (void *)42)
            _exit(2);
        _exit(7);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return (void *)3;
    return WIFEXITED(st) && WEXITSTATUS(st) == 7 ? NULL : (void *)(uintptr_t)(0x100 | st);
}

int main(void)
{
    mtest_start();
    pthread_t t;
    void *r;
    CHECK(pthread_create(&t, NULL, forker, NULL) == 0, "pthread_create");
    CHECK(pthread_join(t, &r) == 0, "pthread_join");
    CHECK(r == NULL, "the forking thread reports %p", r);
    return 0;
}
