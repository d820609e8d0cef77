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
