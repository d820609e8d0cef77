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
/* musl-gcc sees no kernel headers: the two futex operations we use are ABI. */
#if __has_include(<linux/futex.h>)
#include <linux/futex.h>
#else
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#endif

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

/* A child stack of `size` bytes with a PROT_NONE guard page below it and
 * one ordinary page above its top. The page above matters: glibc's armhf
 * syscall() reads 16 bytes above its caller's stack pointer, so a child
 * whose fn calls syscall() with a nearly empty frame would fault on a
 * stack that ends exactly at its top (with glibc's clone as with ours).
 * Returns the lowest usable address; the top is stack_top(base, size). */
static inline void *alloc_stack(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t usable = ((size + page - 1) / page) * page;
    char *p = mmap(NULL, page + usable + page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    CHECK(mprotect(p, page, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
    return p + page;
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

/* ---- Thread pointer helpers (settls, thread_tls_tids) ------------------- */

#ifndef ARCH_GET_FS
#define ARCH_GET_FS 0x1003 /* <asm/prctl.h>, which musl-gcc cannot see */
#endif
#if defined(__i386__)
#include <asm/ldt.h>
#endif

/* A TLS block for a CLONE_SETTLS child. The child's thread pointer then
 * points into this block, not at a libc TCB, so the child must not use
 * libc's thread-local state (errno on failure, stdio, malloc): it may call
 * syscall() for calls that succeed. The block is large and the thread
 * pointer sits in its middle so that thread-pointer-relative accesses on
 * either side (x86 and powerpc64 keep libc data below it) stay inside. */
struct test_tls {
    _Alignas(64) unsigned char block[65536];
#if defined(__i386__)
    struct user_desc desc;
#endif
};

/* Prepares `t` and returns the `tls` argument for clone(); `*expected` gets
 * the value test_thread_pointer() must return in the child. */
static inline void *test_tls_prepare(struct test_tls *t, uintptr_t *expected)
{
    unsigned char *tp = t->block + sizeof t->block / 2;
    memset(t->block, 0, sizeof t->block);
    *expected = (uintptr_t)tp;
#if defined(__x86_64__)
    /* %fs:0 holds the TCB's address (its self pointer) in glibc and musl. */
    *(void **)tp = tp;
    return tp;
#elif defined(__i386__)
    /* i386 takes a struct user_desc: the GDT TLS entry the caller uses
     * (%gs >> 3) with a new base. glibc's i386 syscall wrappers call through
     * %gs:0x10 (the vDSO entry), so the caller's TCB header is copied and
     * its self pointers (words 0 and 2) redirected to the new block. */
    unsigned int gs;
    void *tcb;
    __asm__ volatile("movl %%gs, %0" : "=r"(gs));
    __asm__ volatile("movl %%gs:0, %0" : "=r"(tcb));
    memcpy(tp, tcb, 64);
    ((void **)tp)[0] = tp;
    ((void **)tp)[2] = tp;
    memset(&t->desc, 0, sizeof t->desc);
    t->desc.entry_number = gs >> 3;
    t->desc.base_addr = (unsigned int)(uintptr_t)tp;
    t->desc.limit = 0xfffff;
    t->desc.seg_32bit = 1;
    t->desc.limit_in_pages = 1;
    t->desc.useable = 1;
    return &t->desc;
#else
    return tp;
#endif
}

/* The calling thread's thread pointer, as CLONE_SETTLS sets it. */
static inline uintptr_t test_thread_pointer(void)
{
    uintptr_t v = 0;
#if defined(__x86_64__)
    unsigned long base = 0;
    if (syscall(SYS_arch_prctl, ARCH_GET_FS, &base) == 0)
        v = base;
#elif defined(__i386__)
    /* The %gs segment's base, read through the self pointer at its start
     * (test_tls_prepare writes it; libc's TCB has one too). */
    __asm__ volatile("movl %%gs:0, %0" : "=r"(v));
#elif defined(__aarch64__)
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
#elif defined(__arm__) && (__ARM_ARCH >= 7 || defined(__ARM_ARCH_6K__) || defined(__ARM_ARCH_6KZ__))
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v)); /* TPIDRURO */
#elif defined(__arm__)
    /* ARMv5TE and plain ARMv6 may lack TPIDRURO: the kernel's user helper
     * __kuser_get_tls at 0xffff0fe0 returns it (Documentation/arch/arm/
     * kernel_user_helpers.rst), as glibc's __aeabi_read_tp does there. */
    v = ((uintptr_t(*)(void))0xffff0fe0)();
#elif defined(__riscv)
    __asm__ volatile("mv %0, tp" : "=r"(v));
#elif defined(__powerpc64__)
    __asm__ volatile("mr %0, 13" : "=r"(v));
#elif defined(__powerpc__)
    __asm__ volatile("mr %0, 2" : "=r"(v)); /* r2 in the 32-bit ABI */
#elif defined(__s390x__)
    unsigned int hi, lo; /* access registers a0:a1 */
    __asm__ volatile("ear %0, %%a0\n\tear %1, %%a1" : "=d"(hi), "=d"(lo));
    v = ((uintptr_t)hi << 32) | lo;
#elif defined(__mips__)
    /* The UserLocal register (MIPS32r2/MIPS64r2; the kernel emulates it). */
    __asm__ volatile(".set push\n\t.set noat\n\trdhwr %0, $29\n\t.set pop" : "=r"(v));
#elif defined(__sparc__) && defined(__arch64__)
    __asm__ volatile("mov %%g7, %0" : "=r"(v));
#elif defined(__loongarch64)
    __asm__ volatile("move %0, $tp" : "=r"(v));
#else
#error "test_thread_pointer: unsupported architecture"
#endif
    return v;
}

#endif
