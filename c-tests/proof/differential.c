/* Differential tester: glibc's clone() against ours, case by case.
 *
 * Every case is a full set of clone arguments (and whether to call clone
 * or __clone, and whether to put junk in the upper half of the flags
 * register) drawn from a PRNG seeded by (seed, index), so any case can be
 * replayed alone:
 *     differential --seed S --case I
 * For each case the tester runs glibc's clone and ours, each in its own
 * sacrificial process (forked from the tester, in its own process group),
 * and compares what happened:
 *   - how the sacrificial caller ended (exit status, signal, stop, timeout)
 *     and how far it got (stage);
 *   - clone's return (success or -1) and errno (also after a success);
 *   - the child's fate (wait status, or "thread gone", or timeout);
 *   - what fn saw: that it ran, its arg, its stack pointer relative to the
 *     aligned stack top, its TID/PID/PPID (as shapes: "= returned TID",
 *     "= caller", "1", ...), the value it returned;
 *   - what landed in *ptid and *ctid, as shapes (untouched, cleared,
 *     = returned TID, a small number such as a pidfd or TID 1 in a new PID
 *     namespace).
 * Every report lives in MAP_SHARED memory created before the forks, at the
 * same address in every process, so the sacrificial caller, its children
 * and the tester all see it.
 *
 * glibc's clone is reached with dlopen("libc.so.6", RTLD_NOLOAD) + dlsym
 * (RTLD_NEXT would find ours first); dladdr proves that the two pointers
 * live in libc.so.6 and libsched_clone respectively.
 *
 * The one expected difference (named, counted and printed, never hidden):
 * glibc's x86_64 clone stores fn and arg 8 and 16 bytes below the aligned
 * stack top in the caller, before the syscall; ours passes them in
 * registers. So when those 16 bytes are not writable (unmapped, PROT_NONE,
 * read-only, kernel or non-canonical addresses, a top right on a guard
 * page), glibc's caller dies of SIGSEGV before any syscall, while ours makes
 * the syscall and only the child faults. For those cases the tester checks
 * exactly that: glibc's caller got SIGSEGV without clone returning and
 * without a child; ours returned what glibc returns for the same case on a
 * valid stack (a third run), fn never ran, and the child died of SIGSEGV.
 *
 * Every architecture: the system calls fn makes, fn's entry, the unusable
 * addresses and the named classes are per architecture (#if blocks); the
 * rest is shared. c-tests/vm.sh runs it under each real kernel, our
 * archive linked into a dynamic program (SCHED_CLONE_MODE_STATIC: ours is
 * the executable's clone, glibc's is libc.so.6's), and run.sh runs it as
 * an i686 program natively. Where glibc writes below the top before the
 * syscall (x86_64, i386, arm, riscv, powerpc64; not aarch64, s390x), the
 * class above applies wherever glibc's caller is seen to die of it (on
 * x86_64, in every such case). Where glibc does not first check that the
 * aligned top is not NULL (i386, arm, powerpc64), a stack of 1..15
 * crashes its caller; ours returns EINVAL: the second named class,
 * [glibc-crash-stack-below-16], checked exactly so. arm and riscv64 add a
 * class each for fn's stack pointer (see SP_CLASS). The junk-upper-flags
 * call is x86_64's only. One class is not run at all, named and counted
 * (see EXCLUDED_CLASS): loongarch64's fn=non-exec cases, which hang its
 * guest whoever's clone (or none) runs them.
 *
 * Timeouts: every sacrificial process runs under a 5 s deadline that the
 * tester enforces (an interval timer interrupts its waitid; the process
 * group is then SIGKILLed and the outcome reads TIMEOUT), so a hang is a
 * reported difference, never a stuck run. The caller cannot use alarm()
 * itself: it blocks every signal (next paragraph).
 *
 * Determinism: the sacrificial caller blocks every blockable signal while it
 * works (the child's exit signal, whatever it is, stays pending and is
 * delivered when the caller unblocks at the end), a stopped caller is
 * continued, and a child that could run concurrently with its caller (no
 * CLONE_VFORK) waits in fn until the caller has stored clone's results
 * before doing anything that could kill the caller (exit_group, a fault in
 * a CLONE_THREAD child, SIGKILL as exit signal). Two corners remain racy by
 * nature and are compared with the racy fields left out (see racy_omit();
 * they are counted and the summary prints the count).
 *
 * Options: --cases N (default 20000)  --seed S (default: from the clock;
 * printed)  --case I (run one case, verbose)  --jobs J (default 2)
 * --verbose  --max-fail N (default 20)  --mutant M (self-check: a
 * deliberately wrong wrapper, 1 wrong arg, 2 drops CLONE_CHILD_CLEARTID,
 * 3 EPERM for EINVAL, stands in for ours; the run must then fail)
 * --impl glibc|ours (with --case: that implementation alone, its outcome
 * printed, nothing compared; --case names the case before it runs, so a
 * case that hangs the machine is still named).
 * Exit 0 when there is no unexpected difference.
 */
#define _GNU_SOURCE
#include "../common.h"

#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

#ifndef DIFF_DEFAULT_SEED
#define DIFF_DEFAULT_SEED 0 /* 0: from the clock; vm.sh builds in a fixed one for make test */
#endif
#ifndef DIFF_DEFAULT_CASES
#define DIFF_DEFAULT_CASES 20000 /* vm.sh builds in its own number (/init passes no arguments) */
#endif
#if defined(__x86_64__) && defined(__ILP32__)
#define ARCH_NAME "x32"
#elif defined(__x86_64__)
#define ARCH_NAME "x86_64"
#elif defined(__i386__)
#define ARCH_NAME "i686"
#elif defined(__aarch64__)
#define ARCH_NAME "aarch64"
#elif defined(__arm__) && __ARM_ARCH >= 7
#define ARCH_NAME "armv7"
#elif defined(__arm__) && __ARM_ARCH == 6
#define ARCH_NAME "armv6"
#elif defined(__arm__)
#define ARCH_NAME "armv5te"
#elif defined(__riscv)
#define ARCH_NAME "riscv64"
#elif defined(__powerpc64__)
#define ARCH_NAME "powerpc64le"
#elif defined(__s390x__)
#define ARCH_NAME "s390x"
#elif defined(__mips__) && _MIPS_SIM == _ABI64 && defined(__MIPSEL__)
#define ARCH_NAME "mips64el"
#elif defined(__mips__) && _MIPS_SIM == _ABI64
#define ARCH_NAME "mips64"
#elif defined(__mips__) && defined(__MIPSEL__)
#define ARCH_NAME "mipsel"
#elif defined(__mips__)
#define ARCH_NAME "mips"
#elif defined(__loongarch64)
#define ARCH_NAME "loongarch64"
#endif

typedef int (*clone_fn_t)(int (*)(void *), void *, int, void *, ...);

enum { IMPL_GLIBC, IMPL_OURS };
static clone_fn_t impl_fn[2];
static clone_fn_t impl_alias[2]; /* __clone, glibc's other name for clone */

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, seeded per case from (seed, index).               */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static uint32_t rnd(uint64_t *s, uint32_t n) { return (uint32_t)(splitmix(s) % n); }
static bool chance(uint64_t *s, uint32_t percent) { return rnd(s, 100) < percent; }

/* ------------------------------------------------------------------ */
/* The shared report one run fills in.                                 */

#define SENTINEL ((int)0xa5a5a5a5)
#define ERRNO_SENTINEL 4321

struct report {
    /* written by the sacrificial caller S */
    volatile int stage;     /* 1 before clone, 3 results stored, 4 child handled, 5 unblocked */
    volatile int s_pid;
    volatile long ret;
    volatile int err;
    volatile int child_how; /* CH_* */
    volatile int child_status;
    /* written by fn in the child */
    volatile int fn_ran;
    volatile int fn_done;
    volatile int fn_tid, fn_pid, fn_ppid;
    volatile int fn_ret;
    volatile int fn_handshake_timeout;
    volatile int fn_handshook; /* fn got past the handshake (or had none) */
    volatile uint64_t fn_arg;
    volatile uint64_t fn_sp;
    /* targets of ptid and ctid */
    int ptid_slot __attribute__((aligned(64)));
    int ctid_slot __attribute__((aligned(64)));
    unsigned char ptid_mis[16] __attribute__((aligned(64)));
    unsigned char ctid_mis[16] __attribute__((aligned(64)));
};

enum { CH_NONE, CH_WAITED, CH_WAIT_ERR, CH_THREAD_GONE, CH_THREAD_TIMEOUT, CH_OF_TESTER_EXITED,
       CH_OF_TESTER_TIMEOUT, CH_OF_TESTER_ERR };

/* ------------------------------------------------------------------ */
/* The child's function. It must work without TLS (CLONE_SETTLS with a   */
/* garbage pointer) and without libc: raw syscalls, no errno, no stdio,  */
/* no stack protector. Its entry is assembly that records the stack      */
/* pointer fn was called with, then jumps to the C body.                 */

enum { ACT_RETURN, ACT_SEGV, ACT_DEEP, ACT_EXIT_GROUP };

static struct report *volatile g_rep; /* the live report (shared page) */
static volatile int g_action;
static volatile unsigned g_deep;
static volatile int g_handshake;
static int *volatile g_null; /* NULL, opaque to the compiler */

/* Raw system calls with up to one argument (glibc's syscall() may read
 * the thread pointer, which the child may not have). */
#if defined(__x86_64__)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory");
    return r;
}
#elif defined(__i386__)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    long r;
    __asm__ volatile("push %%ebx\n\tmov %2, %%ebx\n\tint $0x80\n\tpop %%ebx" : "=a"(r) : "0"(n), "r"(a) : "memory");
    return r;
}
#elif defined(__aarch64__)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8) : "memory");
    return x0;
}
#elif defined(__arm__)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = n;
    /* r7 may be the frame pointer: saved around the call. */
    __asm__ volatile("push {r7}\n\tmov r7, r1\n\tsvc 0\n\tpop {r7}" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
#elif defined(__riscv)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = a;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}
#elif defined(__powerpc64__)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    register long r0 __asm__("r0") = n;
    register long r3 __asm__("r3") = a;
    __asm__ volatile("sc"
                     : "+r"(r0), "+r"(r3)
                     :
                     : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
    return r3;
}
#elif defined(__s390x__)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    register long r1 __asm__("r1") = n;
    register long r2 __asm__("r2") = a;
    __asm__ volatile("svc 0" : "+r"(r2) : "r"(r1) : "memory", "cc");
    return r2;
}
#elif defined(__mips__)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    register long v0 __asm__("$2") = n;
    register long a0 __asm__("$4") = a;
    register long a3 __asm__("$7");
    __asm__ volatile("syscall"
                     : "+r"(v0), "+r"(a0), "=r"(a3)
                     :
                     : "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo",
                       "memory");
    return a3 ? -v0 : v0; /* a3 set: v0 is a positive errno */
}
#elif defined(__loongarch64)
static inline __attribute__((always_inline)) long sys1(long n, long a)
{
    register long a7 __asm__("$a7") = n;
    register long a0 __asm__("$a0") = a;
    __asm__ volatile("syscall 0"
                     : "+r"(a0)
                     : "r"(a7)
                     : "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$t8", "memory");
    return a0;
}
#else
#error "no raw system call for this architecture"
#endif
static inline __attribute__((always_inline)) long sys0(long n) { return sys1(n, 0); }

/* The exit code fn returns: derived from the arg it received, so a wrong
 * arg shows in the exit status too. */
static inline __attribute__((always_inline)) int code_for_arg(uint64_t a)
{
    uint64_t h = a * 0x9e3779b97f4a7c15ULL;
    return (int)(h >> 40) ^ 0x5a;
}

#if defined(__clang__)
#define noipa noinline /* clang (loongarch64's compiler here) has no noipa */
#endif
__attribute__((used, noipa, no_stack_protector, visibility("hidden"))) int fn_body(void *arg, uintptr_t entry_sp);

/* fn_entry: fn_body(arg, the stack pointer at entry). */
#define FN_ENTRY_HEAD ".text\n.p2align 4\n.globl fn_entry\n.hidden fn_entry\n.type fn_entry, %function\n"
#define FN_ENTRY_TAIL ".size fn_entry, .-fn_entry\n"
#if defined(__x86_64__)
__asm__(FN_ENTRY_HEAD "fn_entry:\n"
        "    mov %rsp, %rsi\n" /* the stack pointer fn was called with */
        "    jmp fn_body\n" FN_ENTRY_TAIL);
#elif defined(__i386__)
__asm__(FN_ENTRY_HEAD "fn_entry:\n"
        "    mov %esp, %eax\n"
        "    push %eax\n"
        "    pushl 8(%esp)\n" /* arg */
        "    call fn_body\n"
        "    add $8, %esp\n"
        "    ret\n" FN_ENTRY_TAIL);
#elif defined(__aarch64__)
__asm__(FN_ENTRY_HEAD "fn_entry:\n    mov x1, sp\n    b fn_body\n" FN_ENTRY_TAIL);
#elif defined(__arm__) && defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB >= 2
__asm__(".syntax unified\n.thumb\n" FN_ENTRY_HEAD ".thumb_func\nfn_entry:\n    mov r1, sp\n    b.w fn_body\n" FN_ENTRY_TAIL);
#elif defined(__arm__)
/* No Thumb-2 (ARMv5TE, ARMv6): in ARM state (a Thumb fn_body is reached
 * through the linker's interworking stub). */
__asm__(".syntax unified\n.arm\n" FN_ENTRY_HEAD "fn_entry:\n    mov r1, sp\n    b fn_body\n" FN_ENTRY_TAIL
#if defined(__thumb__)
        ".thumb\n"
#endif
);
#elif defined(__riscv)
__asm__(FN_ENTRY_HEAD "fn_entry:\n    mv a1, sp\n    tail fn_body\n" FN_ENTRY_TAIL);
#elif defined(__powerpc64__)
/* ELFv2: the global entry derives the TOC pointer from r12. */
__asm__(FN_ENTRY_HEAD "fn_entry:\n"
        "    addis 2, 12, .TOC.-fn_entry@ha\n"
        "    addi 2, 2, .TOC.-fn_entry@l\n"
        "    .localentry fn_entry, .-fn_entry\n"
        "    mr 4, 1\n"
        "    b fn_body\n" FN_ENTRY_TAIL);
#elif defined(__s390x__)
__asm__(FN_ENTRY_HEAD "fn_entry:\n    lgr %r3, %r15\n    jg fn_body\n" FN_ENTRY_TAIL);
#elif defined(__mips__)
/* fn_body's address PC-relative (a `bal` over `.word fn_body - .`), into
 * $25 as a PIC callee wants; ra waits in $2. */
#if _MIPS_SIM == _ABI64
#define FN_ENTRY_ADDU "daddu"
#else
#define FN_ENTRY_ADDU "addu"
#endif
__asm__(FN_ENTRY_HEAD ".set push\n.set noreorder\nfn_entry:\n"
        "    move $5, $sp\n"
        "    move $2, $31\n"
        "    bal 1f\n"
        "    nop\n"
        "    .word fn_body - .\n"
        "1:  lw $25, 0($31)\n"
        "    " FN_ENTRY_ADDU " $25, $25, $31\n"
        "    jr $25\n"
        "    move $31, $2\n"
        ".set pop\n" FN_ENTRY_TAIL);
#elif defined(__loongarch64)
__asm__(FN_ENTRY_HEAD "fn_entry:\n    move $a1, $sp\n    b fn_body\n" FN_ENTRY_TAIL);
#endif
int fn_entry(void *arg);

__attribute__((used, noipa, no_stack_protector, visibility("hidden"))) int fn_body(void *arg, uintptr_t entry_sp)
{
    struct report *rep = g_rep;
    rep->fn_ran = 1;
    rep->fn_sp = entry_sp;
    rep->fn_arg = (uint64_t)(uintptr_t)arg;
    rep->fn_tid = (int)sys0(SYS_gettid);
    rep->fn_pid = (int)sys0(SYS_getpid);
    rep->fn_ppid = (int)sys0(SYS_getppid);
    if (g_handshake) {
        /* Wait until the caller has stored clone's results, so that what
         * follows (which may kill the caller) happens at a known point. */
        long spins = 0;
        while (__atomic_load_n(&rep->stage, __ATOMIC_ACQUIRE) < 3) {
            if (++spins > 2000000) {
                rep->fn_handshake_timeout = 1;
                break;
            }
            sys0(SYS_sched_yield);
        }
    }
    rep->fn_handshook = 1;
    int code = code_for_arg((uint64_t)(uintptr_t)arg);
    switch (g_action) {
    case ACT_SEGV:
        *g_null = 1;
        break;
    case ACT_DEEP: {
        volatile char *p = __builtin_alloca(g_deep);
        for (unsigned i = 0; i < g_deep; i += 64)
            p[i] = (char)i;
        break;
    }
    case ACT_EXIT_GROUP:
        rep->fn_ret = code;
        rep->fn_done = 1;
        sys1(SYS_exit_group, code);
        break;
    }
    rep->fn_ret = code;
    rep->fn_done = 1;
    return code;
}

#if defined(__x86_64__)
#define HAVE_DIRTY_FLAGS 1
/* Calls the clone in dirty_target with junk in the upper 32 bits of rdx
 * (flags is an int: the ABI leaves those bits undefined). A tail jump, so
 * the callee sees the caller's stack (return address, ctid) unchanged. */
void *dirty_target __attribute__((visibility("hidden")));
__asm__(".text\n"
        ".p2align 4\n"
        ".globl dirty_flags_call\n"
        ".hidden dirty_flags_call\n"
        ".type dirty_flags_call, @function\n"
        "dirty_flags_call:\n"
        "    movabs $0xdeadbeef00000000, %r11\n"
        "    mov %edx, %edx\n"
        "    or %r11, %rdx\n"
        "    jmp *dirty_target(%rip)\n"
        ".size dirty_flags_call, .-dirty_flags_call\n");
int dirty_flags_call(int (*)(void *), void *, int, void *, pid_t *, void *, pid_t *);
#else
#define HAVE_DIRTY_FLAGS 0 /* flags is a full register (32-bit) or sign-extended by the ABI */
#endif

/* ------------------------------------------------------------------ */
/* Fixed memory every case draws its pointers from (set up once, before */
/* any fork, so the addresses are the same in every run).              */

enum {
    STK_NULL,       /* NULL */
    STK_LOW,        /* 1..15: NULL once aligned */
    STK_NORMAL,     /* a 64 KiB stack, top misaligned by 0..15 */
    STK_TINY,       /* K = 16..512 bytes above a PROT_NONE guard */
    /* from here on, the 16 bytes below the aligned top are not writable */
    STK_LOW16,      /* 16..31: aligned to 16, page 0 */
    STK_GUARD_EDGE, /* aligned top == the end of the guard page */
    STK_LOW_UNMAPPED, /* below mmap_min_addr */
    STK_PROT_NONE,  /* top of a PROT_NONE region */
    STK_RDONLY,     /* top of a read-only region */
    STK_KERNEL,     /* a kernel address */
    STK_NONCANON,   /* a non-canonical address */
    STK_KINDS
};
/* Addresses no user program can use: the kernel's half (on s390x, which
 * has separate address spaces, beyond the user space's limit), and beyond
 * the user space (x86_64: non-canonical). */
#if defined(__x86_64__) && !defined(__ILP32__) /* (x32: 32-bit pointers, below) */
#define ADDR_KERNEL 0xffff888000000000ULL
#define ADDR_NONCANON 0x0000900000000000ULL
#define ADDR_USER_TOP 0x00007ffffffff000ULL
#define ADDR_TLS_NONCANON 0x0000800000000000ULL
#elif UINTPTR_MAX > 0xffffffffu
#define ADDR_KERNEL 0xffff888000000000ULL
#define ADDR_NONCANON 0x4000000000000000ULL
#define ADDR_USER_TOP 0x00007ffffffff000ULL
#define ADDR_TLS_NONCANON 0x4000000000000000ULL
#else /* 32-bit: the kernel above 3 GiB (x32: unmapped user addresses) */
#define ADDR_KERNEL 0xc0000000u
#define ADDR_NONCANON 0xf0000000u
#define ADDR_USER_TOP 0xbffff000u
#define ADDR_TLS_NONCANON 0xfffff000u
#endif
static const char *stk_name[] = { "NULL", "low", "normal", "tiny", "low16", "guard-edge",
                                  "low-unmapped", "prot-none", "rdonly", "kernel", "noncanonical" };
static bool stk_parent_writes_fault(int k) { return k >= STK_LOW16; }

/* Where glibc's clone writes below the stack top in the caller, before the
 * syscall (x86_64, i386: fn and arg; arm, riscv: fn and arg; powerpc64: a
 * zero back chain), and where it does so without first checking that the
 * aligned top is not NULL, so that a stack of 1..15 crashes its caller
 * (i386, arm, powerpc64; x86_64 and riscv64 return EINVAL; aarch64 and
 * s390x write nothing there). Each is a named expected difference, checked and
 * counted where glibc's caller is seen to die of it. */
#if defined(__x86_64__) || defined(__i386__) || defined(__arm__) || defined(__riscv) || defined(__powerpc64__) || \
    defined(__mips__) || defined(__loongarch64)
#define GLIBC_WRITES_CHILD_STACK 1
#else
#define GLIBC_WRITES_CHILD_STACK 0
#endif
#if defined(__i386__) || defined(__arm__) || defined(__powerpc64__) || (defined(__mips__) && _MIPS_SIM == _ABIO32)
#define GLIBC_CRASHES_BELOW_16 1
#else
#define GLIBC_CRASHES_BELOW_16 0
#endif
/* How far below the aligned top glibc writes: i386 stores from 24 bytes
 * below, so a tiny stack of 16 bytes is unwritable to it too; powerpc64
 * (ELFv2) its back chain 96 bytes below (a minimal frame with a parameter
 * save area). Such a tiny stack is still usable to ours. */
#if defined(__i386__)
#define GLIBC_WRITE_DEPTH 32
#elif defined(__powerpc64__)
#define GLIBC_WRITE_DEPTH 96
#elif defined(__mips__)
#define GLIBC_WRITE_DEPTH 32 /* fn, arg and flags, 32 bytes below its top */
#else
#define GLIBC_WRITE_DEPTH 16
#endif
struct tcase;
static bool case_parent_writes_fault(const struct tcase *c);
/* Where fn's stack pointer differs, and only it (one named class each):
 * - arm: glibc aligns the top to 8 (AAPCS), ours to 16 everywhere
 *   (src/raw.rs): with a top 8..15 bytes past a multiple of 16, glibc's
 *   fn runs 8 bytes higher [stack-aligned-16-not-8];
 * - mips o32: glibc aligns the top to 8 and runs fn 32 bytes below it
 *   (where it stored fn, arg and flags), ours 16 below the top aligned
 *   to 16 (fn's argument area) [glibc-fn-sp-32-below-top-aligned-8];
 * - mips64 (n64): glibc runs fn 32 bytes below the aligned top, ours at it
 *   [glibc-fn-sp-32-below-top];
 * - riscv64 and loongarch64: glibc's child keeps the 16 bytes where its
 *   caller saved fn and arg, so fn runs 16 bytes below the aligned top;
 *   ours at the top [glibc-fn-sp-16-below-top]. */
#if defined(__arm__)
#define SP_CLASS "stack-aligned-16-not-8"
#define GLIBC_SP_BIAS(stack) (((uintptr_t)(stack) & 8) ? 8 : 0)
#elif defined(__riscv) || defined(__loongarch64)
#define SP_CLASS "glibc-fn-sp-16-below-top"
#define GLIBC_SP_BIAS(stack) (-16)
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
#define SP_CLASS "glibc-fn-sp-32-below-top-aligned-8"
#define GLIBC_SP_BIAS(stack) (((uintptr_t)(stack) & 8) ? -8 : -16)
#elif defined(__mips__)
#define SP_CLASS "glibc-fn-sp-32-below-top"
#define GLIBC_SP_BIAS(stack) (-32)
#else
#define SP_CLASS "none"
#define GLIBC_SP_BIAS(stack) 0
#endif
/* Where our fn runs below the aligned top without writing to the stack
 * first: o32's argument area. */
#if defined(__mips__) && _MIPS_SIM == _ABIO32
#define OURS_FN_SP_BELOW_TOP 16
#else
#define OURS_FN_SP_BELOW_TOP 0
#endif
/* x86 calls push the return address: there our child's first act on an
 * unusable stack faults. Elsewhere it is in a register. */
#if defined(__x86_64__) || defined(__i386__)
#define CALL_PUSHES_RETURN 1
#else
#define CALL_PUSHES_RETURN 0
#endif
static long g_sp_bias; /* added to fn's stack pointer offset in outcome_text() */

enum { P_NULL, P_SLOT, P_MISALIGNED, P_RDONLY, P_UNMAPPED, P_KERNEL, P_SMALL, P_KINDS };
static const char *ptr_name[] = { "NULL", "slot", "misaligned", "rdonly", "unmapped", "kernel", "small" };

enum { TLS_NULL, TLS_BUF, TLS_SMALL, TLS_TOP, TLS_KERNEL, TLS_NONCANON, TLS_KINDS };
static const char *tls_name[] = { "NULL", "buffer", "small", "user-top", "kernel", "noncanonical" };

enum { FN_NULL, FN_NORMAL, FN_NONEXEC, FN_KINDS };

static struct {
    char *normal_top;  /* 16-aligned, 64 KiB below it */
    char *tiny_base;   /* first byte above the guard page */
    char *prot_none_top;
    char *rdonly_top;
    char *rdonly_page; /* for ptid/ctid */
    char *unmapped_page;
    struct report *live;
    unsigned char *nonexec; /* a data page: fn pointing here faults */
} mem;

static uint64_t tls_buf[64] __attribute__((aligned(64)));

/* ------------------------------------------------------------------ */
/* A case.                                                              */

struct tcase {
    uint64_t index;
    unsigned flags;   /* including the signal byte */
    int stack_kind;
    unsigned stack_k; /* TINY: bytes above the guard */
    unsigned misalign;
    int fn_kind, action;
    unsigned deep;
    uint64_t arg;
    int ptid_kind, ctid_kind, tls_kind;
    bool dirty;
    bool alias; /* call __clone instead of clone */
};

static const struct { unsigned bit; const char *name; } flag_names[] = {
    { CLONE_VM, "VM" }, { CLONE_FS, "FS" }, { CLONE_FILES, "FILES" }, { CLONE_SIGHAND, "SIGHAND" },
    { CLONE_PIDFD, "PIDFD" }, { CLONE_PTRACE, "PTRACE" }, { CLONE_VFORK, "VFORK" },
    { CLONE_PARENT, "PARENT" }, { CLONE_THREAD, "THREAD" }, { CLONE_NEWNS, "NEWNS" },
    { CLONE_SYSVSEM, "SYSVSEM" }, { CLONE_SETTLS, "SETTLS" }, { CLONE_PARENT_SETTID, "PARENT_SETTID" },
    { CLONE_CHILD_CLEARTID, "CHILD_CLEARTID" }, { CLONE_DETACHED, "DETACHED" },
    { CLONE_UNTRACED, "UNTRACED" }, { CLONE_CHILD_SETTID, "CHILD_SETTID" },
    { CLONE_NEWCGROUP, "NEWCGROUP" }, { CLONE_NEWUTS, "NEWUTS" }, { CLONE_NEWIPC, "NEWIPC" },
    { CLONE_NEWUSER, "NEWUSER" }, { CLONE_NEWPID, "NEWPID" }, { CLONE_NEWNET, "NEWNET" },
    { CLONE_IO, "IO" },
};

static void describe_flags(unsigned flags, char *buf, size_t n)
{
    size_t off = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (flags & flag_names[i].bit)
            off += (size_t)snprintf(buf + off, n - off, "%s%s", off ? "|" : "", flag_names[i].name);
    snprintf(buf + off, n - off, "%ssig=%u", off ? "|" : "", flags & 0xff);
}

static void describe_case(const struct tcase *c, char *buf, size_t n)
{
    char fl[512];
    describe_flags(c->flags, fl, sizeof fl);
    const char *fn = c->fn_kind == FN_NULL ? "NULL" : c->fn_kind == FN_NONEXEC ? "non-exec" :
                     c->action == ACT_RETURN ? "return" : c->action == ACT_SEGV ? "segv" :
                     c->action == ACT_DEEP ? "deep" : "exit_group";
    char fnbuf[32];
    if (c->fn_kind == FN_NORMAL && c->action == ACT_DEEP)
        snprintf(fnbuf, sizeof fnbuf, "deep:%u", c->deep);
    else
        snprintf(fnbuf, sizeof fnbuf, "%s", fn);
    char stk[32];
    if (c->stack_kind == STK_TINY)
        snprintf(stk, sizeof stk, "tiny:%u+%u", c->stack_k, c->misalign);
    else
        snprintf(stk, sizeof stk, "%s+%u", stk_name[c->stack_kind], c->misalign);
    snprintf(buf, n, "flags=0x%08x (%s) stack=%s fn=%s arg=0x%" PRIx64 " ptid=%s ctid=%s tls=%s%s%s",
             c->flags, fl, stk, fnbuf, c->arg, ptr_name[c->ptid_kind], ptr_name[c->ctid_kind],
             tls_name[c->tls_kind], c->dirty ? " dirty-upper-flags" : "", c->alias ? " via __clone" : "");
}

static int g_mutant; /* --mutant: 0 normally */

static const unsigned ns_flags[] = { CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
                                     CLONE_NEWPID, CLONE_NEWCGROUP };

static void make_case(uint64_t seed, uint64_t index, bool root, struct tcase *c)
{
    uint64_t s = seed ^ (index * 0xd1342543de82ef95ULL);
    splitmix(&s);
    memset(c, 0, sizeof *c);
    c->index = index;

    /* Flags: a template, then random flips over every flag bit. */
    static const unsigned templates[] = {
        0,
        CLONE_VM | CLONE_VFORK,
        THREAD_FLAGS | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
        THREAD_FLAGS | CLONE_CHILD_CLEARTID,
        CLONE_VM,
        CLONE_VM | CLONE_SIGHAND,
        CLONE_FS | CLONE_FILES,
        CLONE_PARENT,
        CLONE_VFORK,
        CLONE_PIDFD,
        CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID,
        CLONE_PARENT_SETTID,
    };
    unsigned flags = templates[rnd(&s, sizeof templates / sizeof templates[0])];
    unsigned flips = rnd(&s, 4);
    for (unsigned i = 0; i < flips; i++) {
        unsigned bit = 1u << (8 + rnd(&s, 24));
        if (bit != CLONE_NEWNET) /* costly: drawn separately below */
            flags ^= bit;
    }
    if (root && chance(&s, 15)) {
        unsigned n = 1 + rnd(&s, 3);
        for (unsigned i = 0; i < n; i++)
            flags |= ns_flags[rnd(&s, sizeof ns_flags / sizeof ns_flags[0])];
    }
    if (root && chance(&s, 2))
        flags |= CLONE_NEWNET;
    if (!root)
        flags &= ~(unsigned)(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID |
                             CLONE_NEWCGROUP | CLONE_NEWNET);
    if (chance(&s, 2))
        flags = (uint32_t)splitmix(&s) & ~(unsigned)0xff; /* anything at all */

    /* Termination signal: 0, SIGCHLD, any 1..64, or invalid 65..255
     * (0x80 is CLONE_NEWTIME, which clone() reads as part of the signal). */
    unsigned sig;
    switch (rnd(&s, 10)) {
    case 0: case 1: case 2: sig = 0; break;
    case 3: case 4: case 5: case 6: sig = SIGCHLD; break;
    case 7: case 8: sig = 1 + rnd(&s, 64); break;
    default: sig = rnd(&s, 3) == 0 ? 0x80 : 65 + rnd(&s, 191); break;
    }
    c->flags = flags | sig;

    /* Stack. */
    uint32_t r = rnd(&s, 100);
    if (r < 3) c->stack_kind = STK_NULL;
    else if (r < 6) c->stack_kind = STK_LOW;
    else if (r < 70) c->stack_kind = STK_NORMAL;
    else if (r < 94) c->stack_kind = STK_TINY;
    else c->stack_kind = STK_LOW16 + (int)rnd(&s, STK_KINDS - STK_LOW16);
    /* The mutants are built on glibc's clone, so they share its write
     * below the stack top: keep them to usable stacks, where a difference
     * can only come from the mutation. */
    if (g_mutant && stk_parent_writes_fault(c->stack_kind))
        c->stack_kind = STK_NORMAL;
    c->misalign = rnd(&s, 16);
    if (c->stack_kind == STK_LOW)
        c->misalign = 1 + rnd(&s, 15);
    c->stack_k = 16 * (1 + rnd(&s, 32)); /* 16..512 */

    /* fn and what it does. */
    r = rnd(&s, 100);
    c->fn_kind = r < 4 ? FN_NULL : r < 7 ? FN_NONEXEC : FN_NORMAL;
    r = rnd(&s, 100);
    c->action = r < 70 ? ACT_RETURN : r < 80 ? ACT_SEGV : r < 92 ? ACT_DEEP : ACT_EXIT_GROUP;
    c->deep = 64u << rnd(&s, 8); /* 64..8192 */

    /* arg */
    switch (rnd(&s, 5)) {
    case 0: c->arg = 0; break;
    case 1: c->arg = 1 + rnd(&s, 255); break;
    case 2: c->arg = (uint64_t)(uintptr_t)tls_buf + 8 * rnd(&s, 64); break;
    case 3: c->arg = ~(uint64_t)0; break;
    default: c->arg = splitmix(&s); break;
    }

    /* ptid, ctid, tls: mostly sensible, sometimes not. */
    static const int pk[] = { P_NULL, P_SLOT, P_SLOT, P_SLOT, P_SLOT, P_MISALIGNED,
                              P_RDONLY, P_UNMAPPED, P_KERNEL, P_SMALL };
    c->ptid_kind = pk[rnd(&s, sizeof pk / sizeof pk[0])];
    c->ctid_kind = pk[rnd(&s, sizeof pk / sizeof pk[0])];
    static const int tk[] = { TLS_NULL, TLS_BUF, TLS_BUF, TLS_BUF, TLS_SMALL, TLS_TOP,
                              TLS_KERNEL, TLS_NONCANON };
    c->tls_kind = tk[rnd(&s, sizeof tk / sizeof tk[0])];
    c->dirty = chance(&s, 10) && HAVE_DIRTY_FLAGS;
    c->alias = chance(&s, 10);
    c->arg = (uintptr_t)c->arg; /* what a pointer holds on 32-bit */
}

static void *case_stack(const struct tcase *c, int kind)
{
    uintptr_t m = c->misalign;
    switch (kind) {
    case STK_NULL: return NULL;
    case STK_LOW: return (void *)m;
    case STK_NORMAL: return mem.normal_top - 64 + m;
    case STK_TINY: return mem.tiny_base + c->stack_k + m;
    case STK_LOW16: return (void *)(16 + m);
    case STK_GUARD_EDGE: return mem.tiny_base + m;
    case STK_LOW_UNMAPPED: return (void *)(0x8000 + m);
    case STK_PROT_NONE: return mem.prot_none_top - 64 + m;
    case STK_RDONLY: return mem.rdonly_top - 64 + m;
    case STK_KERNEL: return (void *)(ADDR_KERNEL + 0x100000 + m);
    case STK_NONCANON: return (void *)(ADDR_NONCANON + m);
    }
    return NULL;
}

static uintptr_t aligned_top(const struct tcase *c, int kind)
{
    return (uintptr_t)case_stack(c, kind) & ~(uintptr_t)15;
}

static pid_t *case_tid_ptr(int kind, int *slot, unsigned char *mis)
{
    switch (kind) {
    case P_NULL: return NULL;
    case P_SLOT: return slot;
    case P_MISALIGNED: return (pid_t *)(void *)(mis + 1);
    case P_RDONLY: return (pid_t *)(void *)(mem.rdonly_page + 128);
    case P_UNMAPPED: return (pid_t *)(void *)(mem.unmapped_page + 128);
    case P_KERNEL: return (pid_t *)(uintptr_t)(ADDR_KERNEL + 0x200000);
    case P_SMALL: return (pid_t *)(uintptr_t)0x10;
    }
    return NULL;
}

static void *case_tls(int kind)
{
    switch (kind) {
    case TLS_NULL: return NULL;
    case TLS_BUF: return tls_buf + 32;
    case TLS_SMALL: return (void *)(uintptr_t)0x1000;
    case TLS_TOP: return (void *)(uintptr_t)ADDR_USER_TOP;
    case TLS_KERNEL: return (void *)(uintptr_t)ADDR_KERNEL;
    case TLS_NONCANON: return (void *)(uintptr_t)ADDR_TLS_NONCANON;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The sacrificial caller.                                              */

/* The kernel's sigset_t, which rt_sigprocmask wants exactly: 64 signals,
 * 128 on mips. */
#if defined(__mips__)
#define KERNEL_SIGSET_WORDS 2
#else
#define KERNEL_SIGSET_WORDS 1
#endif

static __attribute__((noreturn)) void sacrificial(int impl, const struct tcase *c, int stack_kind)
{
    struct report *rep = g_rep;
    /* Block every signal, 32 and 33 included (glibc's sigprocmask keeps
     * those two unblocked for its own use; the raw syscall does not). */
    uint64_t all[KERNEL_SIGSET_WORDS];
    memset(all, 0xff, sizeof all);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, NULL, sizeof all);
    rep->s_pid = getpid();

    int (*fn)(void *) = c->fn_kind == FN_NULL ? NULL :
                        c->fn_kind == FN_NONEXEC ? (int (*)(void *))(void *)mem.nonexec : fn_entry;
    void *stack = case_stack(c, stack_kind);
    pid_t *ptid = case_tid_ptr(c->ptid_kind, &rep->ptid_slot, rep->ptid_mis);
    pid_t *ctid = case_tid_ptr(c->ctid_kind, &rep->ctid_slot, rep->ctid_mis);
    void *tls = case_tls(c->tls_kind);
    void *arg = (void *)(uintptr_t)c->arg;

    __atomic_store_n(&rep->stage, 1, __ATOMIC_SEQ_CST);
    errno = ERRNO_SENTINEL;
    long r;
    if (HAVE_DIRTY_FLAGS && c->dirty) {
#if HAVE_DIRTY_FLAGS
        dirty_target = (void *)(c->alias ? impl_alias : impl_fn)[impl];
        r = dirty_flags_call(fn, stack, (int)c->flags, arg, ptid, tls, ctid);
#endif
    } else {
        r = (c->alias ? impl_alias : impl_fn)[impl](fn, stack, (int)c->flags, arg, ptid, tls, ctid);
    }
    int e = errno;
    rep->ret = r;
    rep->err = e;
    __atomic_store_n(&rep->stage, 3, __ATOMIC_SEQ_CST);

    if (r > 0) {
        if (c->flags & CLONE_THREAD) {
            /* A thread of this process: wait until it is gone. */
            struct timespec t0, t;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            rep->child_how = CH_THREAD_TIMEOUT;
            for (;;) {
                if (syscall(SYS_tgkill, getpid(), (pid_t)r, 0) != 0 && errno == ESRCH) {
                    rep->child_how = CH_THREAD_GONE;
                    break;
                }
                clock_gettime(CLOCK_MONOTONIC, &t);
                if (t.tv_sec - t0.tv_sec > 3)
                    break;
                sched_yield();
            }
        } else if (c->flags & CLONE_PARENT) {
            /* The tester's child: the tester reaps it. Wait here until it
             * has exited (a pidfd polls readable then), so that it exits
             * while this caller is alive, as in the other branches. */
            int pfd = (int)syscall(SYS_pidfd_open, (pid_t)r, 0);
            if (pfd < 0) {
                rep->child_status = errno;
                rep->child_how = CH_OF_TESTER_ERR;
            } else {
                struct pollfd pf = { .fd = pfd, .events = POLLIN };
                rep->child_how = poll(&pf, 1, 3000) == 1 ? CH_OF_TESTER_EXITED : CH_OF_TESTER_TIMEOUT;
                close(pfd);
            }
        } else {
            int st;
            if (waitpid((pid_t)r, &st, __WALL) == (pid_t)r) {
                rep->child_status = st;
                rep->child_how = CH_WAITED;
            } else {
                rep->child_status = errno;
                rep->child_how = CH_WAIT_ERR;
            }
        }
    }
    __atomic_store_n(&rep->stage, 4, __ATOMIC_SEQ_CST);
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &all, NULL, sizeof all); /* pending signals act now */
    __atomic_store_n(&rep->stage, 5, __ATOMIC_SEQ_CST);
    _exit(0);
}

/* ------------------------------------------------------------------ */
/* The tester's side of one run.                                       */

struct outcome {
    int s_how; /* 0 exited, 1 killed, 2 timeout */
    int s_code;
    int s_stopped; /* stop signal seen (then continued), 0 if none */
    int t_child_how; /* CLONE_PARENT child reaped by the tester: 0 none, 1 ok, 2 timeout */
    int t_child_status;
    struct report rep;
    int worker_pid;
};

static volatile sig_atomic_t timer_fired;
static void on_alarm(int sig) { (void)sig; timer_fired = 1; }

static void arm(int ms)
{
    struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
    timer_fired = 0;
    setitimer(ITIMER_REAL, &it, NULL);
}
static void disarm(void)
{
    struct itimerval it = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

/* Waits for `pid` to exit, continuing it when it stops; 0 on success, -1
 * on timeout (then it is killed). */
static int wait_exit(pid_t pid, int options, int ms, int *status, int *stopped)
{
    arm(ms);
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | options) != 0) {
            if (errno == EINTR && timer_fired) {
                kill(pid, SIGKILL);
                waitid(P_PID, (id_t)pid, &si, WEXITED | options);
                disarm();
                return -1;
            }
            if (errno == EINTR)
                continue;
            disarm();
            return -2;
        }
        if (si.si_code == CLD_STOPPED || si.si_code == CLD_TRAPPED) {
            if (stopped)
                *stopped = si.si_status;
            kill(pid, SIGCONT);
            continue;
        }
        disarm();
        if (si.si_code == CLD_EXITED)
            *status = si.si_status;
        else
            *status = 0x10000 | si.si_status; /* killed or dumped */
        return 0;
    }
}

static void reap_strays(void)
{
    while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
        ;
}

static void run(int impl, const struct tcase *c, int stack_kind, struct outcome *out)
{
    struct report *rep = mem.live;
    memset(out, 0, sizeof *out);
    memset((void *)rep, 0, sizeof *rep);
    rep->ptid_slot = SENTINEL;
    rep->ctid_slot = SENTINEL;
    memset(rep->ptid_mis, 0xa5, sizeof rep->ptid_mis);
    memset(rep->ctid_mis, 0xa5, sizeof rep->ctid_mis);
    g_rep = rep;
    g_action = c->action;
    g_deep = c->deep;
    g_handshake = !(c->flags & CLONE_VFORK);
    reap_strays();

    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        setpgid(0, 0);
        sacrificial(impl, c, stack_kind);
    }
    setpgid(pid, pid);
    int st = 0;
    if (wait_exit(pid, 0, 5000, &st, &out->s_stopped) == 0) {
        out->s_how = (st & 0x10000) ? 1 : 0;
        out->s_code = st & 0xffff;
    } else {
        out->s_how = 2;
    }
    if ((c->flags & CLONE_PARENT) && !(c->flags & CLONE_THREAD) && rep->stage >= 3 && rep->ret > 0) {
        int cst = 0;
        int w = wait_exit((pid_t)rep->ret, __WALL, 5000, &cst, NULL);
        out->t_child_how = w == 0 ? 1 : w == -1 ? 2 : 3;
        out->t_child_status = cst;
    }
    /* Whatever is left of the case (S's children were handed to us, the
     * subreaper, when S exited; all are in S's process group): kill it and
     * reap it, so that nothing outlives the case. */
    kill(-pid, SIGKILL);
    arm(2000);
    while (waitpid(-pid, NULL, __WALL) > 0 || (errno == EINTR && !timer_fired))
        ;
    disarm();
    reap_strays();
    memcpy(&out->rep, (const void *)rep, sizeof *rep);
    out->worker_pid = getpid();
}

/* ------------------------------------------------------------------ */
/* Turning an outcome into comparable text.                              */

/* How a TID-or-fd value is compared: by what it is, not by its number
 * (TIDs differ between the runs). SH_FD: the value is a pidfd, compared
 * exactly (both runs have the same fd table). SH_NO_TID: the caller's
 * record of the returned TID is racy (left out), so any TID is "a TID". */
enum { SH_FD = 1, SH_NO_TID = 2 };
static const char *shape(int v, const struct outcome *o, int how, char *buf, size_t n)
{
    if (v == SENTINEL) return "untouched";
    if (v == 0) return "0";
    if (v == o->rep.s_pid) return "=caller";
    if (v == o->worker_pid) return "=tester";
    if (v == 1) return "1";
    if (!(how & SH_NO_TID) && o->rep.stage >= 3 && o->rep.ret > 0 && v == (int)o->rep.ret) return "=tid";
    if ((how & SH_FD) && v > 0 && v < 1024) { snprintf(buf, n, "fd:%d", v); return buf; }
    if (v < 0) return "negative";
    return (how & SH_NO_TID) ? "a-tid" : "other";
}

static int read_mis(const unsigned char *p)
{
    int v;
    memcpy(&v, p + 1, sizeof v);
    return v;
}

static const char *slot_shape(int kind, int slot, const unsigned char *mis, const struct outcome *o,
                              int how, char *buf, size_t n)
{
    if (kind == P_SLOT) return shape(slot, o, how, buf, n);
    if (kind == P_MISALIGNED) return shape(read_mis(mis), o, how, buf, n);
    return "n/a";
}

/* A signal's abbreviation, or its number (glibc has no name for 32, 33). */
static const char *signame(int sig)
{
    static char bufs[4][16];
    static int next;
    const char *a = sigabbrev_np(sig);
    if (a)
        return a;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%d", sig);
    return b;
}

static void status_text(int how, int code, char *buf, size_t n)
{
    if (how == 2) snprintf(buf, n, "TIMEOUT");
    else if (how == 1) snprintf(buf, n, "killed:%s", signame(code & 0x7f));
    else snprintf(buf, n, "exit:%d", code);
}

/* Corners whose outcome depends on timing by nature, and what is left out
 * of the comparison there (everything else is still compared).
 * - A CLONE_THREAD child that ends the thread group (exit_group, a fault,
 *   a fault before fn runs at all): the caller dies at a point that races
 *   with its own progress after clone returned, and whether the kernel
 *   clears *ctid depends on which thread of the group releases the memory
 *   last. Left out: stage, clone's result as stored, the child, ctid.
 * - SIGKILL (unblockable) as the exit signal of a child that ends without
 *   fn's handshake (a vfork child: the caller waits in clone; or a child
 *   that faults before fn's handshake): the caller is killed at a point
 *   that races with its return from clone. Left out: stage, result, child. */
enum { OMIT_STAGE = 1, OMIT_CTID = 2 };
static int racy_omit(const struct tcase *c, const struct outcome *a, const struct outcome *b,
                     const char **why)
{
    unsigned sig = c->flags & 0xff;
    bool vfork = c->flags & CLONE_VFORK, thread = c->flags & CLONE_THREAD;
    bool parent = c->flags & CLONE_PARENT;
    bool killed = a->s_how == 1 || b->s_how == 1;
    if (thread && c->fn_kind != FN_NULL && (killed || c->action == ACT_EXIT_GROUP)) {
        *why = "thread-group-exit";
        return OMIT_STAGE | OMIT_CTID;
    }
    if (sig == SIGKILL && !thread && !parent &&
        (vfork || !a->rep.fn_handshook || !b->rep.fn_handshook)) {
        *why = "exit-sigkill-without-handshake";
        return OMIT_STAGE;
    }
    return 0;
}

static void outcome_text(const struct tcase *c, const struct outcome *o, int stack_kind, int omit,
                         const char *racy, char *buf, size_t n)
{
    const struct report *r = &o->rep;
    int sh = (omit & OMIT_STAGE) ? SH_NO_TID : 0;
    int ptid_fd = (c->flags & CLONE_PIDFD) ? SH_FD : 0;
    char s[64], b1[32], b2[32], b3[32], b4[32], b5[32];
    size_t off = 0;
    status_text(o->s_how, o->s_code, s, sizeof s);
    off += (size_t)snprintf(buf + off, n - off, "caller=%s", s);
    if (o->s_stopped)
        off += (size_t)snprintf(buf + off, n - off, " stopped-by:%s", signame(o->s_stopped));
    if (omit)
        off += (size_t)snprintf(buf + off, n - off, " [racy:%s: %s not compared]", racy,
                                (omit & OMIT_CTID) ? "stage/result/child/ctid" : "stage/result/child");
    if (!(omit & OMIT_STAGE)) {
        off += (size_t)snprintf(buf + off, n - off, " stage=%d", r->stage);
        if (r->stage >= 3) {
            if (r->ret == -1)
                off += (size_t)snprintf(buf + off, n - off, " ret=-1 errno=%s", strerrorname_np(r->err) ? strerrorname_np(r->err) : "?");
            else if (r->ret > 0)
                off += (size_t)snprintf(buf + off, n - off, " ret=tid errno=%d", r->err);
            else
                off += (size_t)snprintf(buf + off, n - off, " ret=%ld errno=%d", r->ret, r->err);
        }
        if (r->stage >= 4) {
            switch (r->child_how) {
            case CH_WAITED:
                if (WIFEXITED(r->child_status))
                    off += (size_t)snprintf(buf + off, n - off, " child=exit:%d", WEXITSTATUS(r->child_status));
                else if (WIFSIGNALED(r->child_status))
                    off += (size_t)snprintf(buf + off, n - off, " child=killed:%s", signame(WTERMSIG(r->child_status)));
                else
                    off += (size_t)snprintf(buf + off, n - off, " child=status:0x%x", r->child_status);
                break;
            case CH_WAIT_ERR: off += (size_t)snprintf(buf + off, n - off, " child=wait-error:%d", r->child_status); break;
            case CH_THREAD_GONE: off += (size_t)snprintf(buf + off, n - off, " child=thread-gone"); break;
            case CH_THREAD_TIMEOUT: off += (size_t)snprintf(buf + off, n - off, " child=thread-TIMEOUT"); break;
            case CH_OF_TESTER_EXITED: off += (size_t)snprintf(buf + off, n - off, " child=of-tester,exited"); break;
            case CH_OF_TESTER_TIMEOUT: off += (size_t)snprintf(buf + off, n - off, " child=of-tester,TIMEOUT"); break;
            case CH_OF_TESTER_ERR: off += (size_t)snprintf(buf + off, n - off, " child=of-tester,pidfd-error:%d", r->child_status); break;
            default: break;
            }
        }
    }
    if (!(omit & OMIT_CTID))
        off += (size_t)snprintf(buf + off, n - off, " ctid=%s",
                                slot_shape(c->ctid_kind, r->ctid_slot, r->ctid_mis, o, sh, b2, sizeof b2));
    if (o->t_child_how) {
        if (o->t_child_how == 1) {
            status_text((o->t_child_status & 0x10000) ? 1 : 0, o->t_child_status & 0xffff, s, sizeof s);
            off += (size_t)snprintf(buf + off, n - off, " reaped-by-tester=%s", s);
        } else {
            off += (size_t)snprintf(buf + off, n - off, " reaped-by-tester=%s", o->t_child_how == 2 ? "TIMEOUT" : "error");
        }
    }
    off += (size_t)snprintf(buf + off, n - off, " ptid=%s",
                            slot_shape(c->ptid_kind, r->ptid_slot, r->ptid_mis, o, sh | ptid_fd, b1, sizeof b1));
    if (r->fn_ran) {
        long sp_off = (long)(aligned_top(c, stack_kind) - (uintptr_t)r->fn_sp) + g_sp_bias;
        off += (size_t)snprintf(buf + off, n - off,
                                " fn[arg%s sp=top-%ld tid=%s pid=%s ppid=%s%s",
                                r->fn_arg == c->arg ? "=ok" : "=WRONG", sp_off,
                                shape(r->fn_tid, o, sh, b3, sizeof b3), shape(r->fn_pid, o, sh, b4, sizeof b4),
                                shape(r->fn_ppid, o, sh, b5, sizeof b5),
                                r->fn_handshake_timeout ? " handshake-TIMEOUT" : "");
        if (r->fn_done)
            off += (size_t)snprintf(buf + off, n - off, " returned %d]", r->fn_ret);
        else
            off += (size_t)snprintf(buf + off, n - off, " did not finish]");
    } else {
        off += (size_t)snprintf(buf + off, n - off, " fn=not-run");
    }
}

/* ------------------------------------------------------------------ */
/* One case: both runs, the comparison.                                  */

struct stats {
    uint64_t cases, same, expected_diffs, failures, ok_clones, racy, below16, sp_class, sp_edge, excluded;
};

/* A case class that is not run at all, named and counted (never hidden):
 * on loongarch64 under qemu-system-loongarch64 10 (TCG), a user-mode jump
 * into a readable, non-executable page hard-locks the guest (watchdog hard
 * LOCKUP, then RCU stalls; no progress with one vCPU): seen with glibc's
 * clone alone and with no clone at all (a forked child calling into a
 * PROT_READ|PROT_WRITE page), so it is the emulator's or kernel's, not a
 * wrapper's. The fn=non-exec cases are skipped there and counted as
 * [loong64-nonexec-fn-hangs-guest]; fn=NULL (a fault at address 0, which is
 * unmapped) still runs. */
#if defined(__loongarch64)
#define EXCLUDED_CLASS "loong64-nonexec-fn-hangs-guest"
#define EXCLUDED_CASE(c) ((c)->fn_kind == FN_NONEXEC)
#else
#define EXCLUDED_CLASS ""
#define EXCLUDED_CASE(c) false
#endif

enum { RES_SAME, RES_EXPECTED, RES_FAIL };

#if defined(__x86_64__)
static const bool defined_x86_64 = true;
#else
static const bool defined_x86_64 = false;
#endif

/* Whether a signal is what glibc's caller dies of when it writes to an
 * unusable stack: SIGSEGV; on mips also SIGBUS, the address error of a
 * user access to a kernel segment (where o32's stacks below 32 wrap to). */
static bool glibc_fault_sig(int sig)
{
#if defined(__mips__) || defined(__loongarch64)
    /* loongarch64: a store to a non-canonical address is an address error,
     * SIGBUS (seen under its real kernel). */
    return sig == SIGSEGV || sig == SIGBUS;
#else
    return sig == SIGSEGV;
#endif
}

static bool case_parent_writes_fault(const struct tcase *c)
{
    return stk_parent_writes_fault(c->stack_kind) || (c->stack_kind == STK_TINY && c->stack_k < GLIBC_WRITE_DEPTH);
}

/* Where an outcome's text leaves the caller's status, stage, result and
 * errno for the child, ctid, ptid or fn. */
static char *outcome_head_end(char *t)
{
    static const char *const marks[] = { " child=", " ctid=", " reaped-by-tester=", " ptid=", " fn" };
    char *end = NULL;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        char *m = strstr(t, marks[i]);
        if (m && (!end || m < end))
            end = m;
    }
    return end;
}

static int do_case(uint64_t seed, const struct tcase *c, bool verbose, struct stats *st)
{
    struct outcome o[2];
    char txt[2][1024], desc[768];
    int first = (int)(c->index & 1); /* alternate which runs first */
    if (EXCLUDED_CASE(c)) {
        st->cases++;
        st->excluded++;
        if (verbose || st->excluded <= 3) {
            describe_case(c, desc, sizeof desc);
            printf("case %" PRIu64 ": %s\n  not run: [%s]\n", c->index, desc, EXCLUDED_CLASS);
            fflush(stdout);
        }
        return RES_EXPECTED;
    }
    run(first, c, c->stack_kind, &o[first]);
    run(!first, c, c->stack_kind, &o[!first]);
    const char *racy = NULL;
    int omit = racy_omit(c, &o[0], &o[1], &racy);
    outcome_text(c, &o[0], c->stack_kind, omit, racy, txt[0], sizeof txt[0]);
    outcome_text(c, &o[1], c->stack_kind, omit, racy, txt[1], sizeof txt[1]);
    describe_case(c, desc, sizeof desc);

    bool wrapper_reaches_stack = c->fn_kind != FN_NULL && aligned_top(c, c->stack_kind) != 0;
    const struct report *gr = &o[IMPL_GLIBC].rep;
    bool glibc_died_early = o[IMPL_GLIBC].s_how == 1 && glibc_fault_sig(o[IMPL_GLIBC].s_code & 0x7f) &&
                            gr->stage == 1 && !gr->fn_ran && gr->ptid_slot == SENTINEL && gr->ctid_slot == SENTINEL;
    if (GLIBC_CRASHES_BELOW_16 && c->stack_kind == STK_LOW && c->fn_kind != FN_NULL && glibc_died_early) {
        /* Named: glibc writes below a stack that aligns to NULL; ours must
         * refuse it with EINVAL, before any syscall. */
        const struct report *u = &o[IMPL_OURS].rep;
        st->cases++;
        if (!(o[IMPL_OURS].s_how == 0 && o[IMPL_OURS].s_code == 0 && u->stage == 5 && u->ret == -1 &&
              u->err == EINVAL && !u->fn_ran && u->ptid_slot == SENTINEL && u->ctid_slot == SENTINEL)) {
            st->failures++;
            printf("DIFFERENCE seed=%" PRIu64 " case=%" PRIu64 ": stack below 16, ours did not return EINVAL"
                   "\n  case:  %s\n  glibc: %s\n  ours:  %s\n", seed, c->index, desc, txt[0], txt[1]);
            fflush(stdout);
            return RES_FAIL;
        }
        st->below16++;
        if (verbose || st->below16 <= 3) {
            printf("expected difference [glibc-crash-stack-below-16] seed=%" PRIu64 " case=%" PRIu64
                   "\n  case:  %s\n  glibc: %s\n  ours:  %s\n", seed, c->index, desc, txt[0], txt[1]);
            fflush(stdout);
        }
        return RES_EXPECTED;
    }
    /* x86_64: every such case must be this class; elsewhere (arm writes
     * 8 bytes below an unaligned top, which may still be writable) only
     * those where glibc's caller did die. */
    if (GLIBC_WRITES_CHILD_STACK && case_parent_writes_fault(c) && wrapper_reaches_stack &&
        (defined_x86_64 || glibc_died_early)) {
        /* The named expected difference; check that it is exactly that. */
        struct outcome ref;
        char reftxt[1024];
        run(IMPL_GLIBC, c, STK_NORMAL, &ref);
        outcome_text(c, &ref, STK_NORMAL, 0, NULL, reftxt, sizeof reftxt);
        const struct report *g = &o[IMPL_GLIBC].rep, *u = &o[IMPL_OURS].rep, *rf = &ref.rep;
        /* Our child's first push (the return address of `call fn`) faults:
         * SIGSEGV, or SIGBUS for a non-canonical address (x86 raises a
         * stack-segment fault, #SS, for those). */
        int fault_sig = defined_x86_64 && sizeof(void *) == 8 && c->stack_kind == STK_NONCANON ? SIGBUS : SIGSEGV;
        char pu[32], pr[32];
        int ptid_fd = (c->flags & CLONE_PIDFD) ? SH_FD : 0;
        /* SIGKILL as exit signal: our child dies at once and kills our
         * caller, which may not have stored clone's result yet (a race,
         * as in racy_omit()). */
        bool exit_sigkill = (c->flags & 0xff) == SIGKILL && !(c->flags & (CLONE_THREAD | CLONE_PARENT));
        const char *ptid_u = slot_shape(c->ptid_kind, u->ptid_slot, u->ptid_mis, &o[IMPL_OURS], ptid_fd, pu, sizeof pu);
        const char *ptid_r = slot_shape(c->ptid_kind, rf->ptid_slot, rf->ptid_mis, &ref, ptid_fd, pr, sizeof pr);
        char why[256] = "";
        bool unusable = stk_parent_writes_fault(c->stack_kind);
        if (!(o[IMPL_GLIBC].s_how == 1 && glibc_fault_sig(o[IMPL_GLIBC].s_code & 0x7f) && g->stage == 1 &&
              !g->fn_ran && g->ptid_slot == SENTINEL && g->ctid_slot == SENTINEL))
            snprintf(why, sizeof why, "glibc's caller did not die of SIGSEGV before the syscall");
        else if (u->stage < 3 && !(c->flags & CLONE_THREAD) &&
                 !(exit_sigkill && o[IMPL_OURS].s_how == 1 && (o[IMPL_OURS].s_code & 0x7f) == SIGKILL))
            snprintf(why, sizeof why, "our caller did not get clone's result");
        else if (u->stage >= 3 && rf->stage >= 3 &&
                 ((u->ret > 0) != (rf->ret > 0) || (u->ret == -1 && u->err != rf->err)))
            snprintf(why, sizeof why, "our result differs from glibc's on a valid stack");
        else if (u->stage >= 3 && rf->stage >= 3 && strcmp(ptid_u, ptid_r) != 0)
            snprintf(why, sizeof why, "our *ptid differs from glibc's on a valid stack");
        else if (!unusable)
            ; /* a tiny stack that ours can use: what fn and the child do is its own */
        else if (!CALL_PUSHES_RETURN && u->fn_ran &&
                 (u->fn_arg != c->arg || u->fn_sp != aligned_top(c, c->stack_kind) - OURS_FN_SP_BELOW_TOP))
            snprintf(why, sizeof why, "fn ran on an unusable stack with a wrong arg or stack pointer");
        else if (!CALL_PUSHES_RETURN)
            ; /* the return address is in a register: a fn that never touches
               * its stack (shrink-wrapped fn_body, seen on riscv64) runs and
               * exits normally; the child's fate is fn's own */
        else if (u->fn_ran)
            snprintf(why, sizeof why, "fn ran on an unusable stack");
        else if (u->child_how == CH_WAITED &&
                 !(WIFSIGNALED(u->child_status) && WTERMSIG(u->child_status) == fault_sig))
            snprintf(why, sizeof why, "our child did not die of %s", sigabbrev_np(fault_sig));
        else if (o[IMPL_OURS].t_child_how == 1 &&
                 !((o[IMPL_OURS].t_child_status & 0x10000) && (o[IMPL_OURS].t_child_status & 0x7f) == fault_sig))
            snprintf(why, sizeof why, "our (CLONE_PARENT) child did not die of %s", sigabbrev_np(fault_sig));
        else if ((c->flags & CLONE_THREAD) && u->stage >= 3 && u->ret > 0 &&
                 !(o[IMPL_OURS].s_how == 1 && (o[IMPL_OURS].s_code & 0x7f) == fault_sig))
            snprintf(why, sizeof why, "our thread child's fault did not kill the group with %s", sigabbrev_np(fault_sig));
        st->cases++;
        if (why[0]) {
            st->failures++;
            printf("DIFFERENCE seed=%" PRIu64 " case=%" PRIu64 ": unusable stack, %s\n  case:  %s\n"
                   "  glibc: %s\n  ours:  %s\n  glibc on a valid stack: %s\n",
                   seed, c->index, why, desc, txt[0], txt[1], reftxt);
            fflush(stdout);
            return RES_FAIL;
        }
        st->expected_diffs++;
        if (verbose || st->expected_diffs <= 3) {
            printf("expected difference [glibc-writes-child-stack] seed=%" PRIu64 " case=%" PRIu64
                   "\n  case:  %s\n  glibc: %s\n  ours:  %s\n",
                   seed, c->index, desc, txt[0], txt[1]);
            fflush(stdout);
        }
        return RES_EXPECTED;
    }

    st->cases++;
    if (omit)
        st->racy++;
    if (o[0].rep.ret > 0)
        st->ok_clones++;
    if (strcmp(txt[0], txt[1]) != 0 && GLIBC_SP_BIAS(case_stack(c, c->stack_kind)) != 0 &&
        ((o[IMPL_GLIBC].rep.fn_ran && o[IMPL_OURS].rep.fn_ran) || c->stack_kind == STK_TINY)) {
        /* The named class: glibc's fn ran at its offset; all else equal. */
        char biased[1024];
        g_sp_bias = GLIBC_SP_BIAS(case_stack(c, c->stack_kind));
        outcome_text(c, &o[IMPL_GLIBC], c->stack_kind, omit, racy, biased, sizeof biased);
        g_sp_bias = 0;
        /* On a tiny stack, glibc's fn also has that many bytes more (or
         * fewer) before the guard page: where both children died of a
         * fault before fn finished, it may fault a little later or
         * earlier; fn's fields are then left out. */
        bool tiny_fault = false;
        if (c->stack_kind == STK_TINY && (!o[IMPL_GLIBC].rep.fn_done || !o[IMPL_OURS].rep.fn_done)) {
            /* The tiny-stack edge: the side with less stack faulted before
             * fn finished (its child died of SIGSEGV): the caller's status,
             * stage, result and errno must still agree. */
            const struct outcome *less = GLIBC_SP_BIAS(case_stack(c, c->stack_kind)) > 0 ? &o[IMPL_OURS] : &o[IMPL_GLIBC];
            char *cg = outcome_head_end(biased), *cu = outcome_head_end(txt[IMPL_OURS]);
            char *fg = strstr(biased, " fn"), *fu = strstr(txt[IMPL_OURS], " fn");
            bool segv = (less->rep.child_how == CH_WAITED && WIFSIGNALED(less->rep.child_status) &&
                         WTERMSIG(less->rep.child_status) == SIGSEGV) ||
                        /* a CLONE_PARENT child, reaped by the tester */
                        (less->t_child_how == 1 && (less->t_child_status & 0x10000) &&
                         (less->t_child_status & 0x7f) == SIGSEGV);
            /* or the child's fate (e.g. a wait error) the same in both */
            bool same_child = fg && fu && fg - biased == fu - txt[IMPL_OURS] &&
                              strncmp(biased, txt[IMPL_OURS], (size_t)(fg - biased)) == 0;
            if (!less->rep.fn_done && (segv || same_child) && cg && cu && cg - biased == cu - txt[IMPL_OURS] &&
                strncmp(biased, txt[IMPL_OURS], (size_t)(cg - biased)) == 0)
                tiny_fault = true;
            /* A thread's fault kills its whole thread group, the caller
             * included (seen on armv6, whose ARM-state fn needs more than
             * 16 bytes): there the callers' fates differ too. */
            /* With no stack at all (glibc's fn right at the guard page, a
             * tiny stack of 16 on loongarch64), fn's first store (its
             * prologue) faults before fn can note that it ran. */
            bool no_stack = less == &o[IMPL_GLIBC] && (long)c->stack_k + (long)GLIBC_SP_BIAS(case_stack(c, c->stack_kind)) <= 0;
            if (!less->rep.fn_done && (less->rep.fn_ran || no_stack) && (c->flags & CLONE_THREAD) && less->s_how == 1 &&
                less->s_code == SIGSEGV)
                tiny_fault = true;
        }
        if (tiny_fault)
            st->sp_edge++;
        if (tiny_fault || strcmp(biased, txt[IMPL_OURS]) == 0) {
            st->sp_class++;
            if (verbose || st->sp_class <= 3) {
                printf("expected difference [" SP_CLASS "] seed=%" PRIu64 " case=%" PRIu64
                       "\n  case:  %s\n  glibc: %s\n  ours:  %s\n", seed, c->index, desc, txt[0], txt[1]);
                fflush(stdout);
            }
            return RES_EXPECTED;
        }
    }
    if (strcmp(txt[0], txt[1]) != 0) {
        st->failures++;
        printf("DIFFERENCE seed=%" PRIu64 " case=%" PRIu64 "\n  case:  %s\n  glibc: %s\n  ours:  %s\n",
               seed, c->index, desc, txt[0], txt[1]);
        fflush(stdout);
        return RES_FAIL;
    }
    st->same++;
    if (verbose) {
        printf("case %" PRIu64 ": %s\n  both: %s\n", c->index, desc, txt[0]);
        fflush(stdout);
    }
    return RES_SAME;
}

/* ------------------------------------------------------------------ */
/* Mutants: deliberately wrong wrappers built on glibc's clone, standing  */
/* in for ours with --mutant N, to show that the comparison catches a     */
/* wrong arg, a dropped flag and a wrong errno.                           */

static int mutant_clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    pid_t *ptid = va_arg(ap, pid_t *);
    void *tls = va_arg(ap, void *);
    pid_t *ctid = va_arg(ap, pid_t *);
    va_end(ap);
    if (g_mutant == 1)
        arg = (void *)((uintptr_t)arg ^ 1);
    if (g_mutant == 2)
        flags &= ~CLONE_CHILD_CLEARTID;
    int r = impl_fn[IMPL_GLIBC](fn, stack, flags, arg, ptid, tls, ctid);
    if (g_mutant == 3 && r == -1 && errno == EINVAL)
        errno = EPERM;
    return r;
}

/* ------------------------------------------------------------------ */
/* Setup.                                                                */

#if defined(SCHED_CLONE_MODE_STATIC)
int __clone(int (*)(void *), void *, int, void *, ...); /* ours, from the archive */
#endif
static void resolve_impls(void)
{
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    CHECK(libc != NULL, "dlopen(libc.so.6, RTLD_NOLOAD): %s", dlerror());
    impl_fn[IMPL_GLIBC] = (clone_fn_t)dlsym(libc, "clone");
    CHECK(impl_fn[IMPL_GLIBC] != NULL, "dlsym(libc, clone): %s", dlerror());
    impl_fn[IMPL_OURS] = clone;
    Dl_info gi, oi;
#if defined(SCHED_CLONE_MODE_STATIC)
    /* Our archive linked into this (dynamic) program: ours is the
     * executable's clone and __clone, glibc's is libc.so.6's. */
    CHECK(dladdr((void *)impl_fn[IMPL_GLIBC], &gi) && gi.dli_fname, "dladdr(glibc clone)");
    CHECK(dladdr((void *)impl_fn[IMPL_OURS], &oi) && oi.dli_fname, "dladdr(our clone)");
    Dl_info ei;
    CHECK(dladdr((void *)&resolve_impls, &ei), "dladdr(self)");
    CHECK(strstr(gi.dli_fname, "libc.so.6") != NULL, "glibc's clone comes from %s", gi.dli_fname);
    CHECK(oi.dli_fbase == ei.dli_fbase, "our clone comes from %s, not from the executable", oi.dli_fname);
    CHECK(gi.dli_fbase != oi.dli_fbase, "both clones are in the same object");
    printf("glibc clone: %p in %s\nour clone:   %p in the executable\n", (void *)impl_fn[IMPL_GLIBC],
           gi.dli_fname, (void *)impl_fn[IMPL_OURS]);
    impl_alias[IMPL_GLIBC] = (clone_fn_t)dlsym(libc, "__clone");
    impl_alias[IMPL_OURS] = __clone;
    CHECK(impl_alias[IMPL_GLIBC] != NULL, "dlsym(libc, __clone): %s", dlerror());
    CHECK(dladdr((void *)impl_alias[IMPL_GLIBC], &gi) && strstr(gi.dli_fname, "libc.so.6"),
          "glibc's __clone is not in libc.so.6");
    CHECK(dladdr((void *)impl_alias[IMPL_OURS], &oi) && oi.dli_fbase == ei.dli_fbase,
          "our __clone is not in the executable");
    return;
#endif
    CHECK(dladdr((void *)impl_fn[IMPL_GLIBC], &gi) && gi.dli_fname, "dladdr(glibc clone)");
    CHECK(dladdr((void *)impl_fn[IMPL_OURS], &oi) && oi.dli_fname, "dladdr(our clone)");
    CHECK(strstr(gi.dli_fname, "libc.so.6") != NULL, "glibc's clone comes from %s", gi.dli_fname);
    CHECK(strstr(oi.dli_fname, "libsched_clone") != NULL, "our clone comes from %s", oi.dli_fname);
    CHECK(gi.dli_fbase != oi.dli_fbase, "both clones are in the same object");
    printf("glibc clone: %p in %s\nour clone:   %p in %s\n", (void *)impl_fn[IMPL_GLIBC], gi.dli_fname,
           (void *)impl_fn[IMPL_OURS], oi.dli_fname);

    /* __clone: from each object's own handle. */
    void *ours = dlopen(oi.dli_fname, RTLD_NOW | RTLD_NOLOAD);
    CHECK(ours != NULL, "dlopen(%s, RTLD_NOLOAD): %s", oi.dli_fname, dlerror());
    impl_alias[IMPL_GLIBC] = (clone_fn_t)dlsym(libc, "__clone");
    impl_alias[IMPL_OURS] = (clone_fn_t)dlsym(ours, "__clone");
    CHECK(impl_alias[IMPL_GLIBC] && impl_alias[IMPL_OURS], "dlsym(__clone): %s", dlerror());
    CHECK(dladdr((void *)impl_alias[IMPL_GLIBC], &gi) && strstr(gi.dli_fname, "libc.so.6"),
          "glibc's __clone is not in libc.so.6");
    CHECK(dladdr((void *)impl_alias[IMPL_OURS], &oi) && strstr(oi.dli_fname, "libsched_clone"),
          "our __clone is not in libsched_clone");
}

static void *map(size_t len, int prot, int flags)
{
    void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    return p;
}

static void setup_memory(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *normal = alloc_stack(64 * 1024);
    mem.normal_top = stack_top(normal, 64 * 1024);
    mem.tiny_base = alloc_stack(page);
    char *pn = map(4 * page, PROT_NONE, MAP_PRIVATE);
    mem.prot_none_top = pn + 2 * page;
    char *ro = map(4 * page, PROT_READ, MAP_PRIVATE);
    mem.rdonly_top = ro + 2 * page;
    mem.rdonly_page = ro + 3 * page;
    mem.unmapped_page = map(page, PROT_NONE, MAP_PRIVATE);
    CHECK(munmap(mem.unmapped_page, page) == 0, "munmap");
    mem.nonexec = map(page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    memset(mem.nonexec, 0xcc, page);
#if defined(__mips__)
    /* Cores without the XI bit (qemu's malta CPUs) execute a readable page:
     * there 0xcccccccc is a `pref`, a no-op that slides into whatever
     * follows. `break` instead, so that such a fn ends alike (SIGTRAP) in
     * both runs; with XI it faults as elsewhere. */
    for (size_t i = 0; i < page / 4; i++)
        ((uint32_t *)(void *)mem.nonexec)[i] = 0x0000000d;
#endif
    mem.live = map((sizeof(struct report) + page - 1) / page * page, PROT_READ | PROT_WRITE, MAP_SHARED);
}

/* ------------------------------------------------------------------ */

struct shared_totals {
    struct stats st;
    int live_failures;
    int stop;
};

int main(int argc, char **argv)
{
    assert_clone_is_ours();
    uint64_t cases = DIFF_DEFAULT_CASES, seed = 0, only = UINT64_MAX;
    int jobs = 2, max_fail = 20;
    bool verbose = false, seed_given = false;
    int only_impl = -1; /* --impl glibc|ours (with --case): run only that one */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cases") && i + 1 < argc) cases = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) { seed = strtoull(argv[++i], NULL, 0); seed_given = true; }
        else if (!strcmp(argv[i], "--case") && i + 1 < argc) only = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--jobs") && i + 1 < argc) jobs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-fail") && i + 1 < argc) max_fail = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--verbose")) verbose = true;
        else if (!strcmp(argv[i], "--impl") && i + 1 < argc) { i++; only_impl = !strcmp(argv[i], "glibc") ? IMPL_GLIBC : IMPL_OURS; }
        else if (!strcmp(argv[i], "--mutant") && i + 1 < argc) g_mutant = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--cases N] [--seed S] [--case I] [--jobs J] [--max-fail N] [--verbose] [--mutant M] [--impl glibc|ours]\n", argv[0]);
            return 2;
        }
    }
    if (!seed_given && DIFF_DEFAULT_SEED != 0) {
        seed = (uint64_t)DIFF_DEFAULT_SEED;
        seed_given = true;
    }
    if (!seed_given) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        seed = (uint64_t)t.tv_sec * 1000003u ^ (uint64_t)t.tv_nsec;
    }
    if (jobs < 1) jobs = 1;
    bool root = geteuid() == 0;

    resolve_impls();
    if (g_mutant) {
        impl_fn[IMPL_OURS] = impl_alias[IMPL_OURS] = (clone_fn_t)mutant_clone;
        printf("MUTANT %d stands in for our clone: differences are expected\n", g_mutant);
    }
    setup_memory();
    struct rlimit nocore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &nocore);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: the timer interrupts waitid */
    sigaction(SIGALRM, &sa, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf("differential: seed=%" PRIu64 " cases=%" PRIu64 " jobs=%d namespaces=%s\n", seed,
           only != UINT64_MAX ? 1 : cases, jobs, root ? "yes (root)" : "no (not root)");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (only != UINT64_MAX) {
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        struct stats st = { 0 };
        struct tcase c;
        make_case(seed, only, root, &c);
        char desc[768];
        describe_case(&c, desc, sizeof desc);
        printf("case %" PRIu64 " starts: %s\n", c.index, desc); /* named before a hang can hide it */
        if (only_impl >= 0) { /* --impl: that implementation alone, nothing compared */
            struct outcome o;
            char txt[1024];
            run(only_impl, &c, c.stack_kind, &o);
            outcome_text(&c, &o, c.stack_kind, 0, NULL, txt, sizeof txt);
            printf("case %" PRIu64 ": %s alone: %s\n", c.index, only_impl == IMPL_GLIBC ? "glibc" : "ours", txt);
            return 0;
        }
        int res = do_case(seed, &c, true, &st);
        return res == RES_FAIL ? 1 : 0;
    }

    struct shared_totals *tot = map(sizeof *tot, PROT_READ | PROT_WRITE, MAP_SHARED);
    pid_t workers[64];
    if (jobs > 64) jobs = 64;
    for (int w = 0; w < jobs; w++) {
        workers[w] = fork();
        CHECK(workers[w] >= 0, "fork: %s", strerror(errno));
        if (workers[w] == 0) {
            prctl(PR_SET_CHILD_SUBREAPER, 1);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            /* Each worker its own live report page, at its own address
             * (the same in both runs of a case). */
            size_t page = (size_t)sysconf(_SC_PAGESIZE);
            mem.live = map((sizeof(struct report) + page - 1) / page * page, PROT_READ | PROT_WRITE, MAP_SHARED);
            struct stats st = { 0 };
            for (uint64_t i = (uint64_t)w; i < cases; i += (uint64_t)jobs) {
                if (__atomic_load_n(&tot->stop, __ATOMIC_RELAXED))
                    break;
                struct tcase c;
                make_case(seed, i, root, &c);
                if (do_case(seed, &c, verbose, &st) == RES_FAIL &&
                    __atomic_add_fetch(&tot->live_failures, 1, __ATOMIC_SEQ_CST) >= max_fail)
                    __atomic_store_n(&tot->stop, 1, __ATOMIC_RELAXED);
            }
            __atomic_add_fetch(&tot->st.cases, st.cases, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.same, st.same, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.expected_diffs, st.expected_diffs, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.failures, st.failures, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.ok_clones, st.ok_clones, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.racy, st.racy, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.below16, st.below16, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.sp_class, st.sp_class, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.sp_edge, st.sp_edge, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&tot->st.excluded, st.excluded, __ATOMIC_SEQ_CST);
            _exit(0);
        }
    }
    bool worker_failed = false;
    for (int w = 0; w < jobs; w++) {
        int status;
        while (waitpid(workers[w], &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("worker %d ended badly (status 0x%x)\n", w, status);
            worker_failed = true;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("differential: seed=%" PRIu64 ": %" PRIu64 " cases in %.1f s: %" PRIu64 " identical (%" PRIu64
           " with a child created), %" PRIu64 " expected differences [glibc-writes-child-stack], %" PRIu64
           " with racy fields left out, %" PRIu64 " DIFFERENCES\n",
           seed, tot->st.cases, secs, tot->st.same, tot->st.ok_clones, tot->st.expected_diffs,
           tot->st.racy, tot->st.failures);
    if (GLIBC_CRASHES_BELOW_16)
        printf("differential: %" PRIu64 " expected differences [glibc-crash-stack-below-16]\n", tot->st.below16);
    /* vm.sh shows a passing test's SUMMARY lines. */
    printf("SUMMARY: differential %s: %" PRIu64 " cases, %" PRIu64 " identical, %" PRIu64
           " [glibc-writes-child-stack], %" PRIu64 " [glibc-crash-stack-below-16], %" PRIu64
           " racy-omitted, %" PRIu64 " [" SP_CLASS "] (%" PRIu64 " of them at a tiny stack's edge), %" PRIu64 " unexpected, %.1f s\n",
           ARCH_NAME, tot->st.cases, tot->st.same, tot->st.expected_diffs, tot->st.below16, tot->st.racy, tot->st.sp_class, tot->st.sp_edge,
           tot->st.failures, secs);
    if (EXCLUDED_CLASS[0] != 0)
        printf("SUMMARY: differential %s: %" PRIu64 " cases not run [%s]\n", ARCH_NAME, tot->st.excluded, EXCLUDED_CLASS);
    if (tot->st.cases < cases && !tot->stop)
        worker_failed = true;
    return (tot->st.failures || worker_failed) ? 1 : 0;
}
