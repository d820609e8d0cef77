/* When the clone under posix_spawn, pthread_create and clone() fails
 * (RLIMIT_NPROC of 0, as an unprivileged user), each reports the kernel's
 * EAGAIN. musl's posix_spawn returns -__clone(...) as its error number, so
 * this checks which error convention the libc's __clone follows. */
#include "mtest.h"
#include <pthread.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>

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
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        struct rlimit zero = { 0, 0 };
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(10);
        if (setrlimit(RLIMIT_NPROC, &zero) != 0)
            _exit(11);
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
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
    CHECK(WIFEXITED(st), "child status %#x", st);
    if (WEXITSTATUS(st) == 10 || WEXITSTATUS(st) == 11)
        mtest_skip("cannot drop to an unprivileged user with RLIMIT_NPROC 0");
    CHECK(WEXITSTATUS(st) == 0, "child exit %d", WEXITSTATUS(st));
    return 0;
}
