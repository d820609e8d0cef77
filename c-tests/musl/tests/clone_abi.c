/* musl's internal __clone contract, which musl's posix_spawn and
 * pthread_create rely on: it returns the kernel's raw result, -errno on
 * failure, and leaves errno alone; the public clone() returns -1 and sets
 * errno. Against stock musl this checks musl's own __clone (static only:
 * its libc.so does not export the hidden symbol); against the sched_clone
 * build, ours (the musl-ABI archive, --cfg sched_clone_musl). */
#include "mtest.h"
#include <sys/mman.h>

typedef int (*clone_fn)(int (*)(void *), void *, int, void *, ...);
#if MTEST_STATIC
int __clone(int (*)(void *), void *, int, void *, ...);
#endif

static int child_fn(void *arg)
{
    return (int)(intptr_t)arg;
}

static char *new_stack(void)
{
    char *s = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(s != MAP_FAILED, "mmap");
    return s + 65536;
}

int main(void)
{
    mtest_start();
#if MTEST_STATIC
    clone_fn raw = __clone;
#else
    clone_fn raw = (clone_fn)dlsym(RTLD_DEFAULT, "__clone");
    if (raw == NULL)
        mtest_skip("libc.so does not export __clone (musl declares it hidden)");
#endif
    char *stack = new_stack();

    /* A flag set the kernel refuses (CLONE_SIGHAND without CLONE_VM). */
    errno = 4242;
    int r = raw(child_fn, stack, CLONE_SIGHAND | SIGCHLD, NULL);
    CHECK(r == -EINVAL, "__clone returned %d, not -EINVAL (%d)", r, -EINVAL);
    CHECK(errno == 4242, "__clone changed errno to %d", errno);
    r = clone(child_fn, stack, CLONE_SIGHAND | SIGCHLD, NULL);
    CHECK(r == -1 && errno == EINVAL, "clone returned %d, errno %d, not -1/EINVAL", r, errno);

#if EXPECT_SCHED_CLONE
    /* Our own argument check (musl's __clone makes none): raw too. */
    errno = 4242;
    r = raw(NULL, stack, SIGCHLD, NULL);
    CHECK(r == -EINVAL && errno == 4242, "__clone(NULL fn) returned %d, errno %d", r, errno);
#endif

    /* Success: the TID, errno untouched, the child's status from fn. */
    errno = 4242;
    r = raw(child_fn, stack, SIGCHLD, (void *)(intptr_t)7);
    CHECK(r > 0, "__clone returned %d", r);
    CHECK(errno == 4242, "__clone changed errno to %d on success", errno);
    int st;
    CHECK(waitpid(r, &st, 0) == r, "waitpid");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "child status %#x", st);

    /* The kernel's EAGAIN (RLIMIT_NPROC of 0, as an unprivileged user). */
    pid_t pid = mtest_fork_nproc_zero();
    if (pid == 0) {
        errno = 4242;
        int e = raw(child_fn, stack, SIGCHLD, NULL);
        if (e != -EAGAIN || errno != 4242) {
            fprintf(stderr, "__clone returned %d, errno %d, not -EAGAIN (%d) with errno untouched\n", e, errno,
                    -EAGAIN);
            _exit(12);
        }
        _exit(0);
    }
    mtest_wait_nproc_child(pid);
    return 0;
}
