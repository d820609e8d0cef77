/* Shared by the libc-level tests of c-tests/musl/run.sh: each program runs
 * against musl as it is ("stock") and against musl whose __clone is
 * sched_clone's ("sched_clone"), built statically or dynamically.
 *
 * Compiled with -DEXPECT_SCHED_CLONE=0 or 1 and -DMTEST_STATIC=0 or 1.
 * mtest_start() checks at run time which clone the libc has: ours exports
 * sched_clone_version next to `clone` (one object of a few KiB), musl's
 * has no such symbol. run.sh also checks the link maps (no object of
 * musl's clone in the sched_clone build, __clone inside our member).
 * Exit status: 0 pass, 77 skip ("SKIP: reason" first), else fail.
 * (Not c-tests/common.h: that one needs <asm/ldt.h> on i386, which musl's
 * headers do not have, and <sched_clone.h>.) */
#ifndef MTEST_H
#define MTEST_H
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

static inline void mtest_skip(const char *reason)
{
    printf("SKIP: %s\n", reason);
    fflush(stdout);
    exit(77);
}

/* run.sh sets this when the program runs under qemu-user. */
static inline int under_qemu_user(void)
{
    return getenv("MTEST_QEMU_USER") != NULL;
}

/* Forks a child that becomes an unprivileged user (when root) with an
 * RLIMIT_NPROC of 0, so that its clones fail with the kernel's EAGAIN.
 * Returns 0 in the child (which _exits with 0 when its checks pass) and the
 * child's PID in the parent (for mtest_wait_nproc_child). */
static inline pid_t mtest_fork_nproc_zero(void)
{
    struct rlimit zero = { 0, 0 };
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid != 0)
        return pid;
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        _exit(10);
    if (setrlimit(RLIMIT_NPROC, &zero) != 0)
        _exit(11);
    return 0;
}

/* Waits for that child: a skip if it could not drop its limits, else it
 * must have exited with 0. */
static inline void mtest_wait_nproc_child(pid_t pid)
{
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
    CHECK(WIFEXITED(st), "child status %#x", st);
    if (WEXITSTATUS(st) == 10 || WEXITSTATUS(st) == 11)
        mtest_skip("cannot drop to an unprivileged user with RLIMIT_NPROC 0");
    CHECK(WEXITSTATUS(st) == 0, "child exit %d", WEXITSTATUS(st));
}

const char *sched_clone_version(void) __attribute__((weak));

static inline void mtest_start(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
#if MTEST_STATIC
    const void *c = (const void *)&clone;
    const void *v = (const void *)&sched_clone_version;
#else
    const void *c = dlsym(RTLD_DEFAULT, "clone");
    const void *v = dlsym(RTLD_DEFAULT, "sched_clone_version");
    CHECK(c != NULL, "no clone in libc.so");
#endif
#if EXPECT_SCHED_CLONE
    uintptr_t d = (uintptr_t)c > (uintptr_t)v ? (uintptr_t)c - (uintptr_t)v : (uintptr_t)v - (uintptr_t)c;
    CHECK(v != NULL, "this libc has no sched_clone_version: musl's own clone?");
    CHECK(d < 65536, "clone is %zu bytes away from sched_clone_version", (size_t)d);
#else
    CHECK(c != NULL && v == NULL, "stock musl has sched_clone_version at %p", v);
#endif
}
#endif
