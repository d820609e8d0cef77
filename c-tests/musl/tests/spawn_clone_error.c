/* When the clone under posix_spawn, pthread_create and clone() fails
 * (RLIMIT_NPROC of 0, as an unprivileged user), each reports the kernel's
 * EAGAIN. musl's posix_spawn returns -__clone(...) as its error number, so
 * this checks which error convention the libc's __clone follows. */
#include "mtest.h"
#include <pthread.h>
#include <spawn.h>
#include <sys/mman.h>

extern char **environ;

static void *nothing(void *arg)
{
    return arg;
}

static int child_fn(void *arg)
{
    (void)arg;
    return 0;
}

int main(void)
{
    mtest_start();
    pid_t pid = mtest_fork_nproc_zero();
    if (pid == 0) {
        char *argv[] = { "true", NULL };
        pid_t p;
        int e = posix_spawn(&p, "/bin/true", NULL, NULL, argv, environ);
        if (e != EAGAIN) {
            fprintf(stderr, "posix_spawn returned %d (%s), not EAGAIN\n", e, strerror(e));
            _exit(12);
        }
        pthread_t t;
        e = pthread_create(&t, NULL, nothing, NULL);
        if (e != EAGAIN) {
            fprintf(stderr, "pthread_create returned %d (%s), not EAGAIN\n", e, strerror(e));
            _exit(13);
        }
        char *stack = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        errno = 0;
        int r = clone(child_fn, stack + 65536, SIGCHLD, NULL);
        if (r != -1 || errno != EAGAIN) {
            fprintf(stderr, "clone returned %d, errno %d (%s), not -1/EAGAIN\n", r, errno, strerror(errno));
            _exit(14);
        }
        _exit(0);
    }
    mtest_wait_nproc_child(pid);
    return 0;
}
