/* Shared helpers for the sched_clone C tests.
 *
 * Every test includes this first and calls assert_clone_is_ours() before
 * anything else: a test that silently exercised glibc's clone would prove
 * nothing. Exit status: 0 pass, 77 skip (after printing "SKIP: reason"),
 * anything else fail.
 *
 * c-tests/run.sh compiles each test once per link mode and defines one of:
 *   SCHED_CLONE_MODE_DYNAMIC       linked with -lsched_clone (pkg-config)
 *   SCHED_CLONE_MODE_STATIC        libsched_clone.a into a dynamic program
 *   SCHED_CLONE_MODE_FULLY_STATIC  -static, glibc or musl
 *   SCHED_CLONE_MODE_PRELOAD       linked only against libc, run with
 *                                  LD_PRELOAD=libsched_clone.so
 */
#ifndef SCHED_CLONE_TEST_COMMON_H
#define SCHED_CLONE_TEST_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/futex.h>

#ifndef SCHED_CLONE_MODE_PRELOAD
#include <sched_clone.h>
#endif

#define TEST_SKIP 77

/* Fails the test with a message naming the file and line. */
#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

static inline void test_skip(const char *reason)
{
    printf("SKIP: %s\n", reason);
    fflush(stdout);
    exit(TEST_SKIP);
}

static inline void need_root(void)
{
    if (geteuid() != 0)
        test_skip("needs CAP_SYS_ADMIN");
}

/* Distance in bytes between two code addresses. */
static inline uintptr_t code_distance(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x > y ? x - y : y - x;
}

/* Proves that the `clone` this program calls is sched_clone's.
 * - Dynamic and LD_PRELOAD: dladdr() names the object that defines the
 *   resolved `clone`; it must be the object that defines
 *   sched_clone_version, and that object must be libsched_clone.
 * - Static archive into a dynamic program: `clone` must be defined by the
 *   executable itself (glibc's lives in libc.so.6), next to
 *   sched_clone_version.
 * - Fully static: no dynamic symbols to ask, so `clone` must sit next to
 *   sched_clone_version: the library is one object of a few KiB of code,
 *   so its entry points are within 64 KiB of each other. glibc's clone
 *   cannot be linked beside ours (both define `__clone`), and it aliases
 *   `clone` to `__clone`, while ours are two entry points. */
static inline void assert_clone_is_ours(void)
{
    const void *clone_addr = (const void *)&clone;
#if defined(SCHED_CLONE_MODE_PRELOAD)
    const void *marker = dlsym(RTLD_DEFAULT, "sched_clone_version");
    CHECK(marker != NULL, "sched_clone_version not found: is LD_PRELOAD set?");
#else
    const void *marker = (const void *)&sched_clone_version;
#endif
#if defined(SCHED_CLONE_MODE_DYNAMIC) || defined(SCHED_CLONE_MODE_PRELOAD)
    Dl_info ci, mi;
    CHECK(dladdr(clone_addr, &ci) != 0 && ci.dli_fname != NULL, "dladdr(clone) failed");
    CHECK(dladdr(marker, &mi) != 0 && mi.dli_fname != NULL, "dladdr(marker) failed");
    CHECK(strcmp(ci.dli_fname, mi.dli_fname) == 0,
          "clone comes from %s, not from %s", ci.dli_fname, mi.dli_fname);
    CHECK(strstr(ci.dli_fname, "libsched_clone") != NULL,
          "clone comes from %s", ci.dli_fname);
    CHECK(ci.dli_sname != NULL && strcmp(ci.dli_sname, "clone") == 0,
          "the symbol at clone's address is %s", ci.dli_sname ? ci.dli_sname : "(none)");
#elif defined(SCHED_CLONE_MODE_STATIC)
    Dl_info ci, ei;
    CHECK(dladdr(clone_addr, &ci) != 0 && ci.dli_fname != NULL, "dladdr(clone) failed");
    CHECK(dladdr((const void *)&assert_clone_is_ours, &ei) != 0, "dladdr(self) failed");
    CHECK(ci.dli_fbase == ei.dli_fbase,
          "clone comes from %s, not from the executable", ci.dli_fname);
    CHECK(code_distance(clone_addr, marker) < 65536,
          "clone is %zu bytes away from sched_clone_version",
          (size_t)code_distance(clone_addr, marker));
#elif defined(SCHED_CLONE_MODE_FULLY_STATIC)
    CHECK(code_distance(clone_addr, marker) < 65536,
          "clone is %zu bytes away from sched_clone_version",
          (size_t)code_distance(clone_addr, marker));
#else
#error "compile with -DSCHED_CLONE_MODE_{DYNAMIC,STATIC,FULLY_STATIC,PRELOAD}"
#endif
}

/* A child stack of `size` bytes with a PROT_NONE guard page below it.
 * Returns the lowest usable address; the top is base + size. */
static inline void *alloc_stack(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = ((size + page - 1) / page) * page + page;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    CHECK(mprotect(p, page, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
    return p + len - ((size + page - 1) / page) * page;
}

/* The top of a stack from alloc_stack(size). */
static inline void *stack_top(void *base, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (char *)base + ((size + page - 1) / page) * page;
}

/* Waits until the kernel clears *ctid (CLONE_CHILD_CLEARTID) and wakes it. */
static inline void wait_tid_cleared(volatile pid_t *ctid)
{
    pid_t v;
    while ((v = __atomic_load_n(ctid, __ATOMIC_ACQUIRE)) != 0)
        syscall(SYS_futex, ctid, FUTEX_WAIT, v, NULL, NULL, 0);
}

/* The flags of a pthread-style thread, without the TID/TLS ones. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
                      CLONE_THREAD | CLONE_SYSVSEM)

#endif
