/* Helpers for the clone3_*.c tests: getting sched_clone3 (and proving it is
 * ours), a few checks they share, and the seccomp filter of the fallback
 * tests. Include it instead of common.h. */
#ifndef SCHED_CLONE_TEST_CLONE3_COMMON_H
#define SCHED_CLONE_TEST_CLONE3_COMMON_H

#include "common.h"

/* common.h leaves the header out in preload mode (the program must not
 * link against the library); its types and macros are still needed. */
#include <sched_clone.h>

/* CLONE_NEWTIME, CLONE_PIDFD, CLONE_CLEAR_SIGHAND and CLONE_INTO_CGROUP
 * come from <sched_clone.h> where <sched.h> lacks them. */

typedef int (*sched_clone3_fn)(const struct sched_clone_args *, size_t, int (*)(void *), void *);
typedef int (*eperm_switch_fn)(int);

/* Proves that `sym`, resolved as `name`, is sched_clone's, the way
 * assert_clone_is_ours() does for clone. */
static inline void assert_symbol_is_ours(const void *sym, const char *name)
{
#if defined(SCHED_CLONE_MODE_PRELOAD)
    const void *marker = dlsym(RTLD_DEFAULT, "sched_clone_version");
#else
    const void *marker = (const void *)&sched_clone_version;
#endif
    CHECK(sym != NULL, "%s not found", name);
#if defined(SCHED_CLONE_MODE_DYNAMIC) || defined(SCHED_CLONE_MODE_PRELOAD)
    Dl_info si, mi;
    CHECK(dladdr(sym, &si) != 0 && si.dli_fname != NULL, "dladdr(%s) failed", name);
    CHECK(dladdr(marker, &mi) != 0 && mi.dli_fname != NULL, "dladdr(marker) failed");
    CHECK(strcmp(si.dli_fname, mi.dli_fname) == 0 && strstr(si.dli_fname, "libsched_clone") != NULL,
          "%s comes from %s", name, si.dli_fname);
    CHECK(si.dli_sname != NULL && strcmp(si.dli_sname, name) == 0,
          "the symbol at %s's address is %s", name, si.dli_sname ? si.dli_sname : "(none)");
#elif defined(SCHED_CLONE_MODE_STATIC)
    Dl_info si, ei;
    CHECK(dladdr(sym, &si) != 0, "dladdr(%s) failed", name);
    CHECK(dladdr((const void *)&assert_symbol_is_ours, &ei) != 0, "dladdr(self) failed");
    CHECK(si.dli_fbase == ei.dli_fbase, "%s comes from %s, not from the executable", name,
          si.dli_fname ? si.dli_fname : "?");
    CHECK(code_distance(sym, marker) < 65536, "%s is far from sched_clone_version", name);
#else
    CHECK(code_distance(sym, marker) < 65536, "%s is far from sched_clone_version", name);
#endif
}

/* sched_clone3, checked to be ours (in preload mode, found with dlsym). */
static inline sched_clone3_fn our_sched_clone3(void)
{
#if defined(SCHED_CLONE_MODE_PRELOAD)
    sched_clone3_fn f = (sched_clone3_fn)dlsym(RTLD_DEFAULT, "sched_clone3");
#else
    sched_clone3_fn f = &sched_clone3;
#endif
    assert_symbol_is_ours((const void *)f, "sched_clone3");
    return f;
}

/* sched_clone3_set_eperm_fallback, checked to be ours. */
static inline eperm_switch_fn our_eperm_switch(void)
{
#if defined(SCHED_CLONE_MODE_PRELOAD)
    eperm_switch_fn f = (eperm_switch_fn)dlsym(RTLD_DEFAULT, "sched_clone3_set_eperm_fallback");
#else
    eperm_switch_fn f = &sched_clone3_set_eperm_fallback;
#endif
    assert_symbol_is_ours((const void *)f, "sched_clone3_set_eperm_fallback");
    return f;
}

static inline uint64_t ptr64(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* Gives `a` a fresh stack from alloc_stack(size). */
/* A fork-like request: `flags`, SIGCHLD, and the stack [stack, stack + size). */
static inline struct sched_clone_args fork_like_args(uint64_t flags, void *stack, size_t size)
{
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = flags;
    a.exit_signal = SIGCHLD;
    a.stack = ptr64(stack);
    a.stack_size = size;
    return a;
}

/* A child whose exit status is its argument. */
static inline int child_returns_arg(void *arg)
{
    return (int)(intptr_t)arg;
}

static inline void set_stack(struct sched_clone_args *a, size_t size)
{
    a->stack = ptr64(alloc_stack(size));
    a->stack_size = size;
}

/* Waits for `tid` (whatever its exit signal) and returns its wait status. */
static inline int wait_child(pid_t tid)
{
    int st = 0;
    pid_t r;
    do
        r = waitpid(tid, &st, __WALL);
    while (r == -1 && errno == EINTR);
    CHECK(r == tid, "waitpid(%d): %s", (int)tid, strerror(errno));
    return st;
}

/* Checks that `tid` exited with status `code`. */
static inline void expect_exit(pid_t tid, int code)
{
    int st = wait_child(tid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == code,
          "child %d: wait status 0x%x, expected exit %d", (int)tid, st, code);
}

/* Checks that the caller has no child left: the failed calls created none. */
static inline void expect_no_children(void)
{
    errno = 0;
    pid_t r = waitpid(-1, NULL, WNOHANG | __WALL);
    CHECK(r == -1 && errno == ECHILD, "a child exists (waitpid: %d, %s)", (int)r, strerror(errno));
}

/* Checks that `ret` is -1 with errno `err`. */
#define CHECK_FAILS(ret, err)                                                          \
    do {                                                                               \
        int ret_ = (ret), errno_ = errno;                                              \
        CHECK(ret_ == -1 && errno_ == (err), "returned %d, errno %d (%s); expected -1, %s", \
              ret_, errno_, strerror(errno_), #err);                                   \
    } while (0)

/* Runs `body` in a forked test process (so that what it changes, such as
 * seccomp filters, stays there) and exits with its status; a signal that
 * kills it fails the test, naming the signal. */
static inline void run_in_forked_process(int (*body)(void))
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int rc = body();
        fflush(stdout);
        fflush(stderr);
        _exit(rc);
    }
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "FAIL: the test process was killed by signal %d (%s)\n", WTERMSIG(st),
                strsignal(WTERMSIG(st)));
        exit(1);
    }
    exit(WEXITSTATUS(st));
}

/* ---- seccomp: make clone3 fail (the fallback tests) --------------------- */
#ifdef CLONE3_TEST_SECCOMP

#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define TEST_AUDIT_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEST_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__powerpc64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_PPC64
#elif defined(__powerpc__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_PPC
#elif defined(__s390x__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_S390X
#elif defined(__mips__) && _MIPS_SIM == _ABI64 && defined(__MIPSEL__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_MIPSEL64
#elif defined(__mips__) && _MIPS_SIM == _ABI64
#define TEST_AUDIT_ARCH AUDIT_ARCH_MIPS64
#elif defined(__mips__) && _MIPS_SIM == _ABIO32 && defined(__MIPSEL__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_MIPSEL
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
#define TEST_AUDIT_ARCH AUDIT_ARCH_MIPS
#elif defined(__sparc__) && defined(__arch64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_SPARC64
#elif defined(__loongarch64)
#define TEST_AUDIT_ARCH AUDIT_ARCH_LOONGARCH64
#else
#error "no AUDIT_ARCH for this architecture"
#endif

/* Adds a seccomp filter to the calling process: clone3 gets `action`
 * (e.g. SECCOMP_RET_ERRNO | ENOSYS), every other system call is allowed.
 * A system call of another ABI (e.g. i386 on x86_64) is allowed too: the
 * filter answers only for this program's own ABI. When several filters
 * match, the kernel applies the most restrictive action. */
static inline void filter_clone3(uint32_t action)
{
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, action),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = {
        .len = (unsigned short)(sizeof prog / sizeof prog[0]),
        .filter = prog,
    };
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
        if (errno == ENOSYS || errno == EINVAL)
            test_skip("seccomp filters are not available");
        CHECK(0, "seccomp: %s", strerror(errno));
    }
}

#endif /* CLONE3_TEST_SECCOMP */

#endif
