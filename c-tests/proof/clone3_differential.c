/* Three-way differential tester for clone3: the raw system call, our
 * sched_clone3, and sched_clone3 with a seccomp filter forcing its fallback
 * to the legacy clone (clone3 answers ENOSYS; and, a fourth run, EPERM).
 *
 * Every case is a random struct clone_args and size drawn from a PRNG
 * seeded by (seed, index), replayable alone with --seed S --case I: every
 * clone3 flag, unknown flag bits, exit-signal (CSIGNAL) bits in flags, exit
 * signals 0..70, stacks normal / half-given / misaligned / NULL /
 * overflowing / beyond the user address space / PROT_NONE / a top below
 * 16, pidfd / parent_tid / child_tid pointers NULL / valid / equal /
 * PROT_NONE, set_tid arrays of 0..33 entries with free and invalid PIDs (and
 * a PROT_NONE array), cgroup fds valid / invalid, sizes 0..8192 with zero
 * and non-zero tails. Each run happens in a sacrificial process forked from
 * the tester (its own process group, all blockable signals blocked, a 5 s
 * deadline); everything it and its child see goes to a MAP_SHARED report
 * at the same address in every process.
 *
 * The raw run calls clone3 from a few instructions of inline assembly: its
 * child touches no memory but the shared report (it spins until the
 * caller has stored the result, then SYS_exit(42)), so any stack is safe
 * for it. Our runs give sched_clone3 a fn that does the same and records
 * what it sees (that it ran, its arg, its TID/PID/PPID as shapes).
 *
 * Compared: how the sacrificial caller ended; the result (success, or the
 * errno); the child's fate (exit status, signal, "thread gone"); what
 * landed in the pidfd, parent_tid and child_tid slots (as shapes:
 * untouched, the TID, cleared, an fd); for our runs also fn's observations
 * and the fallback's child against the clone3 child.
 *
 * Expected differences, each named, counted and printed (never hidden):
 *   refusal-vm-stackless  CLONE_VM without a stack, which the kernel takes
 *                         (the child would run on the caller's stack):
 *                         EINVAL, in every run of ours;
 *   refusal-null-top      a stack whose top is below 16 (NULL once aligned),
 *                         or whose range wraps (s390x's kernel takes it):
 *                         EINVAL;
 *   child-uses-stack      a stack the kernel takes but that is not usable
 *                         memory (PROT_NONE, unmapped, non-canonical): our
 *                         child, which runs fn on it, dies of a signal; the
 *                         raw child never touches its stack;
 *   fallback-refusal      the fallback cannot express the request
 *                         (CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP,
 *                         CLONE_NEWTIME, set_tid, CLONE_PIDFD with
 *                         CLONE_PARENT_SETTID): ENOSYS (EPERM under the
 *                         EPERM filter) where the kernel answered anything
 *                         but EINVAL/E2BIG (a child, EBADF, EEXIST, EFAULT...),
 *                         or EINVAL for set_tid PIDs (the array is never read)
 *                         or for CLONE_PIDFD|CLONE_THREAD (before Linux 6.9),
 *                         or (i386) for the user_desc of CLONE_SETTLS, or for
 *                         CLONE_NEWTIME on a kernel without time namespaces;
 *   stack-beyond-32       on i686 and arm only: a stack range that ends
 *                         above 4 GiB, which a 64-bit kernel takes, is the
 *                         fallback's EINVAL (a 32-bit kernel's answer); one
 *                         above a native 32-bit kernel's TASK_SIZE, which
 *                         that kernel rejects, the fallback passes on to
 *                         the legacy call (the child dies on it, or the
 *                         legacy call fails for another reason);
 *   set_tid-unchecked-32  on i686 and arm only: an unreadable set_tid array,
 *                         the kernel's EFAULT, gets the fallback's EINVAL
 *                         for a flag combination the kernel checks later.
 * A case whose exit signal is SIGKILL kills the caller when the child
 * exits: the child's wait status is then compared by its class only, and
 * the case keeps to a normal stack without CLONE_VFORK (the child then
 * ends only after the caller has stored the result). SIGSTOP as exit
 * signal is left to differential.c.
 *
 * Options: --cases N (default 20000)  --seed S  --case I (one case,
 * verbose)  --jobs J (processes sharing the cases, default 2)  --max-fail N
 * (default 10, per job)  --mutant M (a deliberately wrong
 * sched_clone3 stands in for ours; the run must then fail):
 *   1 EINVAL for a half-given stack before the kernel sees the size
 *   2 the fallback answers ENOSYS for unknown flag bits
 *   3 the fallback answers ENOSYS for CLONE_PIDFD|CLONE_PARENT_SETTID even
 *     when pidfd == parent_tid
 *   4 fn gets a wrong arg
 *   5 CLONE_CHILD_CLEARTID dropped
 * Exit 0 when there is no unexpected difference, 1 otherwise.
 */
#define _GNU_SOURCE
#define CLONE3_TEST_SECCOMP
#include "../clone3_common.h"
#include "proof.h"

#include <fcntl.h>
#include <poll.h>
#include <inttypes.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <time.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

enum { RUN_RAW, RUN_OURS, RUN_ENOSYS, RUN_EPERM, NRUNS };
static const char *run_name[NRUNS] = { "raw clone3", "sched_clone3", "fallback (ENOSYS)",
                                       "fallback (EPERM)" };

/* ------------------------------------------------------------------ */
/* The raw clone3 call. The child spins until *go, then SYS_exit(42),  */
/* touching neither its stack nor its thread pointer.                  */

#if defined(__x86_64__) && defined(__ILP32__)
#define X86_64_NR_EXIT "0x4000003c" /* x32: __X32_SYSCALL_BIT | 60; 32-bit pointers zero-extended below */
#else
#define X86_64_NR_EXIT "60"
#endif
static long raw_clone3(void *args, size_t size, volatile int *go)
{
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 2f\n"
                     "1:\tmovl (%%rdx), %%ecx\n\t"
                     "test %%ecx, %%ecx\n\t"
                     "jz 1b\n\t"
                     "mov $" X86_64_NR_EXIT ", %%eax\n\t"
                     "mov $42, %%edi\n\t"
                     "syscall\n"
                     "2:"
                     : "=a"(ret)
                     : "0"((long)__NR_clone3), "D"((unsigned long long)(uintptr_t)args), "S"((unsigned long long)size), "d"(go)
                     : "rcx", "r11", "memory");
    return ret;
#elif defined(__i386__)
    long ret;
    __asm__ volatile("push %%ebx\n\t"
                     "mov %2, %%ebx\n\t"
                     "int $0x80\n\t"
                     "test %%eax, %%eax\n\t"
                     "jnz 2f\n"
                     "1:\tmovl (%%edx), %%ecx\n\t"
                     "test %%ecx, %%ecx\n\t"
                     "jz 1b\n\t"
                     "mov $1, %%eax\n\t"
                     "mov $42, %%ebx\n\t"
                     "int $0x80\n"
                     "2:\tpop %%ebx"
                     : "=a"(ret)
                     : "0"((long)__NR_clone3), "r"(args), "c"(size), "d"(go)
                     : "memory");
    return ret;
#elif defined(__aarch64__)
    register long x8 __asm__("x8") = __NR_clone3;
    register long x0 __asm__("x0") = (long)args;
    register long x1 __asm__("x1") = (long)size;
    register long x2 __asm__("x2") = (long)go;
    __asm__ volatile("svc 0\n\t"
                     "cbnz x0, 2f\n"
                     "1:\tldr w3, [x2]\n\t"
                     "cbz w3, 1b\n\t"
                     "mov x8, #93\n\t"
                     "mov x0, #42\n\t"
                     "svc 0\n"
                     "2:"
                     : "+r"(x0)
                     : "r"(x8), "r"(x1), "r"(x2)
                     : "x3", "memory");
    return x0;
#elif defined(__riscv)
    register long a7 __asm__("a7") = __NR_clone3;
    register long a0 __asm__("a0") = (long)args;
    register long a1 __asm__("a1") = (long)size;
    register long a2 __asm__("a2") = (long)go;
    __asm__ volatile("ecall\n\t"
                     "bnez a0, 2f\n"
                     "1:\tlw t0, 0(a2)\n\t"
                     "beqz t0, 1b\n\t"
                     "li a7, 93\n\t"
                     "li a0, 42\n\t"
                     "ecall\n"
                     "2:"
                     : "+r"(a0)
                     : "r"(a7), "r"(a1), "r"(a2)
                     : "t0", "memory");
    return a0;
#elif defined(__powerpc64__)
    register long r0 __asm__("r0") = __NR_clone3;
    register long r3 __asm__("r3") = (long)args;
    register long r4 __asm__("r4") = (long)size;
    register long r5 __asm__("r5") = (long)go;
    /* The kernel leaves r4-r12 undefined across sc (the child's too):
     * go lives in r14, which it preserves. */
    __asm__ volatile("mr 14, 5\n\t"
                     "sc\n\t"
                     "bns+ 3f\n\t"
                     "neg 3, 3\n\t"
                     "b 2f\n"
                     "3:\tcmpdi 3, 0\n\t"
                     "bne 2f\n"
                     "1:\tlwz 6, 0(14)\n\t"
                     "cmpwi 6, 0\n\t"
                     "beq 1b\n\t"
                     "li 0, 1\n\t"
                     "li 3, 42\n\t"
                     "sc\n"
                     "2:"
                     : "+r"(r3), "+r"(r0), "+r"(r4), "+r"(r5)
                     :
                     : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r14", "cr0", "ctr", "xer", "memory");
    return r3;
#elif defined(__s390x__)
    register long r1 __asm__("r1") = __NR_clone3;
    register long r2 __asm__("r2") = (long)args;
    register long r3 __asm__("r3") = (long)size;
    register long r4 __asm__("r4") = (long)go;
    __asm__ volatile("svc 0\n\t"
                     "ltgr %%r2, %%r2\n\t"
                     "jnz 2f\n"
                     "1:\tl %%r5, 0(%%r4)\n\t"
                     "ltr %%r5, %%r5\n\t"
                     "jz 1b\n\t"
                     "lghi %%r1, 1\n\t"
                     "lghi %%r2, 42\n\t"
                     "svc 0\n"
                     "2:"
                     : "+r"(r2), "+r"(r1)
                     : "r"(r3), "r"(r4)
                     : "r5", "memory", "cc");
    return r2;
#elif defined(__arm__)
    register long r0 __asm__("r0") = (long)args;
    register long r1 __asm__("r1") = (long)size;
    register long r2 __asm__("r2") = (long)go;
    /* r7 may be the frame pointer: saved and restored around the call (the
     * child never returns to use it). */
    __asm__ volatile("push {r7}\n\t"
#if defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB >= 2
                     "movw r7, #435\n\t"
#else /* ARMv5TE, ARMv6: no movw */
                     "mov r7, #179\n\t"
                     "add r7, r7, #256\n\t" /* 435 */
#endif
                     "svc 0\n\t"
                     "cmp r0, #0\n\t"
                     "bne 2f\n"
                     "1:\tldr r3, [r2]\n\t"
                     "cmp r3, #0\n\t"
                     "beq 1b\n\t"
                     "mov r7, #1\n\t"
                     "mov r0, #42\n\t"
                     "svc 0\n"
                     "2:\tpop {r7}"
                     : "+r"(r0)
                     : "r"(r1), "r"(r2)
                     : "r3", "memory", "cc");
    return r0;
#elif defined(__mips__)
    register long v0 __asm__("$2") = __NR_clone3;
    register long a0 __asm__("$4") = (long)args;
    register long a1 __asm__("$5") = (long)size;
    register long a3 __asm__("$7");
    /* go in s0, which the kernel keeps (the child's too); an error (a3
     * set) comes back as a positive errno, negated here. */
    register long s0 __asm__("$16") = (long)go;
    __asm__ volatile(".set push\n\t"
                     ".set noreorder\n\t"
                     "syscall\n\t"
                     "bnez $7, 3f\n\t"
                     "nop\n\t"
                     "bnez $2, 2f\n\t"
                     "nop\n"
                     "1:\tlw $8, 0($16)\n\t"
                     "beqz $8, 1b\n\t"
                     "nop\n\t"
                     "li $2, %[nr_exit]\n\t"
                     "li $4, 42\n\t"
                     "syscall\n"
#if _MIPS_SIM == _ABI64
                     "3:\tdsubu $2, $0, $2\n"
#else
                     "3:\tsubu $2, $0, $2\n"
#endif
                     "2:\n\t"
                     ".set pop"
                     : "+r"(v0), "=r"(a3), "+r"(a0), "+r"(a1)
                     : "r"(s0), [nr_exit] "i"(__NR_exit)
                     : "$3", "$6", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25",
                       "hi", "lo", "memory");
    return v0;
#elif defined(__loongarch64)
    register long a7 __asm__("$a7") = __NR_clone3;
    register long a0 __asm__("$a0") = (long)args;
    register long a1 __asm__("$a1") = (long)size;
    register long a2 __asm__("$a2") = (long)go;
    /* The kernel may change $t0-$t8 across the syscall (the child's too). */
    __asm__ volatile("syscall 0\n\t"
                     "bnez $a0, 2f\n"
                     "1:\tld.w $t0, $a2, 0\n\t"
                     "beqz $t0, 1b\n\t"
                     "addi.d $a7, $zero, 93\n\t"
                     "addi.d $a0, $zero, 42\n\t"
                     "syscall 0\n"
                     "2:"
                     : "+r"(a0)
                     : "r"(a7), "r"(a1), "r"(a2)
                     : "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$t8", "memory");
    return a0;
#else
#error "no raw clone3 for this architecture"
#endif
}

/* ------------------------------------------------------------------ */
/* The shared report.                                                  */

#define UNTOUCHED ((int)0x5a5a5a5a)
#define SET_TID_MAX 40

struct report {
    volatile int go;     /* the child may finish */
    volatile int s_pid;
    volatile int stage;  /* 1 before the call, 2 result stored, 3 child handled */
    volatile long ret;
    volatile int err;
    volatile int child_how; /* CH_* */
    volatile int child_status;
    volatile int fn_ran, fn_tid, fn_pid, fn_ppid, fn_spid;
    volatile uint64_t fn_arg;
    int pidfd_slot __attribute__((aligned(64)));
    int ptid_slot __attribute__((aligned(64)));
    int ctid_slot __attribute__((aligned(64)));
    pid_t set_tid[SET_TID_MAX] __attribute__((aligned(64)));
    uint64_t tls_buf[64] __attribute__((aligned(64)));
    unsigned char args[8192] __attribute__((aligned(4096)));
    unsigned char stack[64 * 1024] __attribute__((aligned(4096)));
};

enum { CH_NONE, CH_EXITED, CH_SIGNALED, CH_THREAD_GONE, CH_TIMEOUT, CH_RACY, CH_TESTER };

static struct report *rep;      /* shared, same address everywhere */
static unsigned char *none_page; /* PROT_NONE */
static int cgroup_fd = -1, file_fd = -1;
static pid_t tester_pid;
static int g_mutant;
static sched_clone3_fn ours;

/* ------------------------------------------------------------------ */
/* The PRNG and the cases.                                             */

static uint64_t rnd64(uint64_t *s) { return proof_rand(s); }
static uint32_t rnd(uint64_t *s, uint32_t n) { return (uint32_t)(proof_rand(s) % n); }
static bool chance(uint64_t *s, uint32_t percent) { return rnd(s, 100) < percent; }

enum { STK_NORMAL, STK_NULL, STK_ONLY_BASE, STK_ONLY_SIZE, STK_MISALIGNED, STK_OVERFLOW,
       STK_BEYOND, STK_KERNEL, STK_NONE, STK_TINY, STK_UNMAPPED, NSTK };
static const char *stk_name[NSTK] = { "normal", "NULL", "only-base", "only-size", "misaligned",
                                      "overflow", "beyond-user", "kernel", "PROT_NONE", "top<16",
                                      "unmapped" };
/* Kinds the kernel may take whose memory our child cannot use. */
static bool stk_unusable(int k) { return k == STK_NONE || k == STK_UNMAPPED || k == STK_BEYOND || k == STK_KERNEL; }

enum { P_NULL, P_SLOT, P_NONE, NPTR };
static const char *ptr_name[NPTR] = { "NULL", "slot", "PROT_NONE" };

enum { CG_NONE, CG_VALID, CG_NEG, CG_BADFD, CG_FILE, NCG };
static const char *cg_name[NCG] = { "0", "cgroup-dir", "-1", "unopened", "a-file" };

struct tcase {
    uint64_t index;
    uint64_t flags, exit_signal, tls;
    int stack_kind, pidfd_kind, ptid_kind, ctid_kind, pidfd_eq_ptid;
    int set_tid_n, set_tid_kind; /* 0 none, 1 array, 2 NULL with a size, 3 PROT_NONE */
    pid_t set_tid_vals[SET_TID_MAX];
    int cg_kind;
    size_t size;
    int tail_pos; /* -1: zero tail */
    uint64_t arg;
};

static const uint64_t flag_bits[] = {
    0x80 /* NEWTIME */, CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_PIDFD,
    CLONE_PTRACE, CLONE_VFORK, CLONE_PARENT, CLONE_THREAD, CLONE_NEWNS, CLONE_SYSVSEM,
    CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_CLEARTID, CLONE_DETACHED, CLONE_UNTRACED,
    CLONE_CHILD_SETTID, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
    CLONE_NEWPID, CLONE_NEWNET, CLONE_IO, CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP,
};
static const uint32_t flag_pct[] = {
    4, 35, 20, 20, 20, 25, 5, 15, 8, 15, 4, 8, 8, 25, 25, 3, 8, 25, 4, 4, 4, 3, 4, 2, 8, 10, 10,
};

static void make_case(uint64_t seed, uint64_t index, struct tcase *c)
{
    uint64_t s = seed ^ (index * 0x9e3779b97f4a7c15ULL);
    rnd64(&s);
    memset(c, 0, sizeof *c);
    c->index = index;
    for (size_t i = 0; i < sizeof flag_bits / sizeof flag_bits[0]; i++)
        if (chance(&s, flag_pct[i]))
            c->flags |= flag_bits[i];
    /* Make thread-like and vfork-like requests common. */
    if (chance(&s, 20))
        c->flags |= CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_FS | CLONE_FILES;
    if (chance(&s, 10))
        c->flags |= CLONE_VM | CLONE_VFORK;
    if (chance(&s, 4))
        c->flags |= 1ULL << (34 + rnd(&s, 30)); /* unknown bit */
    if (chance(&s, 3))
        c->flags |= 1ULL << rnd(&s, 7); /* CSIGNAL bits (not NEWTIME's) */
    if (chance(&s, 50))
        c->exit_signal = SIGCHLD;
    else if (chance(&s, 40))
        c->exit_signal = 0;
    else
        c->exit_signal = rnd(&s, 71);
    if (chance(&s, 1))
        c->exit_signal |= 1ULL << (8 + rnd(&s, 56));
    /* Thread-like requests carry exit signal 0 most of the time. */
    if ((c->flags & (CLONE_THREAD | CLONE_PARENT)) && chance(&s, 85))
        c->exit_signal = 0;
    /* SIGSTOP to the caller is not compared here (see differential.c). */
    if (c->exit_signal == SIGSTOP)
        c->exit_signal = SIGCHLD;

    uint32_t k = rnd(&s, 100);
    c->stack_kind = k < 55 ? STK_NORMAL : k < 66 ? STK_NULL : STK_ONLY_BASE + (int)rnd(&s, NSTK - STK_ONLY_BASE);
    /* A thread-group child that faults kills its caller at once, possibly
     * before the caller stores the result: keep those usable. */
    if ((c->flags & CLONE_THREAD) && (stk_unusable(c->stack_kind) || c->stack_kind == STK_TINY ||
                                      c->stack_kind == STK_MISALIGNED))
        c->stack_kind = STK_NORMAL;
    /* SIGKILL as exit signal kills the caller when the child ends: a child
     * that can end before the caller has stored the result (a vfork child,
     * which runs first; one that faults on its stack) makes that a race. */
    if ((c->exit_signal & 0xff) == SIGKILL && ((c->flags & CLONE_VFORK) || c->stack_kind != STK_NORMAL))
        c->exit_signal = SIGCHLD;
    c->pidfd_kind = (int)rnd(&s, NPTR);
    c->ptid_kind = (int)rnd(&s, NPTR);
    c->ctid_kind = (int)rnd(&s, NPTR);
    c->pidfd_eq_ptid = chance(&s, 10);
    if (chance(&s, 15)) {
        c->set_tid_kind = chance(&s, 85) ? 1 : (int)(2 + rnd(&s, 2));
        c->set_tid_n = chance(&s, 80) ? 1 + (int)rnd(&s, 3) : (int)rnd(&s, 34);
        for (int i = 0; i < c->set_tid_n && i < SET_TID_MAX; i++) {
            uint32_t v = rnd(&s, 10);
            c->set_tid_vals[i] = v < 3 ? 1 : v < 4 ? 0 : v < 5 ? -1 : v < 6 ? 0x7fffffff : (pid_t)(300000 + rnd(&s, 50000));
        }
    } else if (chance(&s, 3)) {
        c->set_tid_kind = 0;
        c->set_tid_n = (int)rnd(&s, 3); /* a size without an array */
    }
    c->cg_kind = (c->flags & CLONE_INTO_CGROUP) ? (int)rnd(&s, NCG) : (chance(&s, 10) ? CG_VALID : CG_NONE);
    c->tls = chance(&s, 60) ? 1 : chance(&s, 50) ? 0 : 2;
    k = rnd(&s, 100);
    if (k < 60)
        c->size = 88;
    else if (k < 70)
        c->size = 64;
    else if (k < 78)
        c->size = 80;
    else if (k < 84)
        c->size = rnd(&s, 2) ? 8192 : 4096 + 8 * rnd(&s, 3);
    else
        c->size = rnd(&s, 8193);
    c->tail_pos = (c->size > 88 && chance(&s, 40)) ? 88 + (int)rnd(&s, (uint32_t)(c->size - 88)) : -1;
    c->arg = (uint64_t)(uintptr_t)rnd64(&s); /* a pointer-sized arg */
}

static void describe_case(const struct tcase *c, char *buf, size_t n)
{
    snprintf(buf, n,
             "case %" PRIu64 ": flags %#" PRIx64 " exit_signal %#" PRIx64 " stack %s pidfd %s%s ptid %s "
             "ctid %s set_tid %d/%d cgroup %s tls %" PRIu64 " size %zu tail %d",
             c->index, c->flags, c->exit_signal, stk_name[c->stack_kind], ptr_name[c->pidfd_kind],
             c->pidfd_eq_ptid ? "(=ptid)" : "", ptr_name[c->ptid_kind], ptr_name[c->ctid_kind],
             c->set_tid_kind, c->set_tid_n, cg_name[c->cg_kind], c->tls, c->size, c->tail_pos);
}

static uint64_t ptr_of(int kind, int *slot)
{
    switch (kind) {
    case P_SLOT: return ptr64(slot);
    case P_NONE: return ptr64(none_page + 64);
    default: return 0;
    }
}

/* Fills rep->args with the case's block. */
static void build_args(const struct tcase *c)
{
    memset(rep->args, 0, sizeof rep->args);
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = c->flags;
    a.exit_signal = c->exit_signal;
    a.pidfd = ptr_of(c->pidfd_kind, &rep->pidfd_slot);
    a.parent_tid = c->pidfd_eq_ptid ? a.pidfd : ptr_of(c->ptid_kind, &rep->ptid_slot);
    a.child_tid = ptr_of(c->ctid_kind, &rep->ctid_slot);
    a.tls = c->tls == 1 ? ptr64(rep->tls_buf) : c->tls == 2 ? 1 : 0;
    uint64_t base = ptr64(rep->stack), size = sizeof rep->stack;
    switch (c->stack_kind) {
    case STK_NORMAL: a.stack = base; a.stack_size = size; break;
    case STK_NULL: break;
    case STK_ONLY_BASE: a.stack = base; break;
    case STK_ONLY_SIZE: a.stack_size = size; break;
    case STK_MISALIGNED: a.stack = base; a.stack_size = size - 24 + 1; break;
    case STK_OVERFLOW: a.stack = UINT64_MAX - 4095; a.stack_size = 8192; break;
    case STK_BEYOND:
        a.stack = sizeof(void *) == 8 ? (1ULL << 47) - 4096 : 0xfffff000ULL;
        a.stack_size = sizeof(void *) == 8 ? 8192 : 0x2000;
        break;
    case STK_KERNEL: a.stack = sizeof(void *) == 8 ? 0xffff800000000000ULL : 0xc0000000ULL; a.stack_size = 4096; break;
    case STK_NONE: a.stack = ptr64(none_page); a.stack_size = 4096; break;
    case STK_TINY: a.stack = 1; a.stack_size = 8; break;
    case STK_UNMAPPED: a.stack = 0x10000; a.stack_size = 0x1000; break;
    }
    if (c->set_tid_kind == 1) {
        for (int i = 0; i < SET_TID_MAX; i++)
            rep->set_tid[i] = c->set_tid_vals[i];
        a.set_tid = ptr64(rep->set_tid);
    } else if (c->set_tid_kind == 3) {
        a.set_tid = ptr64(none_page);
    }
    a.set_tid_size = (uint64_t)c->set_tid_n;
    switch (c->cg_kind) {
    case CG_VALID: a.cgroup = (uint64_t)cgroup_fd; break;
    case CG_NEG: a.cgroup = UINT64_MAX; break;
    case CG_BADFD: a.cgroup = 9999; break;
    case CG_FILE: a.cgroup = (uint64_t)file_fd; break;
    }
    memcpy(rep->args, &a, sizeof a);
    if (c->tail_pos >= 0)
        rep->args[c->tail_pos] = 1;
}

/* ------------------------------------------------------------------ */
/* The sacrificial caller.                                             */

/* A system call without arguments that cannot fail. glibc's syscall()
 * reads the thread pointer on powerpc64 (to choose sc or scv), which the
 * child may not have: there it is made here. */
static inline __attribute__((always_inline)) long sys_noarg(long nr)
{
#if defined(__powerpc64__)
    register long r0 __asm__("r0") = nr;
    register long r3 __asm__("r3");
    __asm__ volatile("sc"
                     : "+r"(r0), "=r"(r3)
                     :
                     : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
    return r3;
#else
    return syscall(nr);
#endif
}

/* No stack protector: the child may have a thread pointer of the case's
 * choosing (CLONE_SETTLS), and touches only the shared report. */
__attribute__((no_stack_protector)) static int child_fn(void *arg)
{
    rep->fn_arg = (uint64_t)(uintptr_t)arg;
    rep->fn_tid = (int)sys_noarg(SYS_gettid);
    rep->fn_pid = (int)sys_noarg(SYS_getpid);
    rep->fn_ppid = (int)sys_noarg(SYS_getppid);
    rep->fn_ran = 1;
    while (!rep->go)
        ;
    return 42;
}

static int mutant_clone3(const struct sched_clone_args *a, size_t size, int (*fn)(void *), void *arg)
{
    switch (g_mutant) {
    case 1:
        if ((a->stack == 0) != (a->stack_size == 0)) {
            errno = EINVAL;
            return -1;
        }
        break;
    case 2:
        if (size >= 64 && size <= 88 && (a->flags >> 34) && syscall(SYS_clone3, NULL, 0) == -1 && errno != EINVAL) {
            errno = ENOSYS; /* only under the filters: clone3 is then not EINVAL */
            return -1;
        }
        break;
    case 3:
        if (size >= 64 && size <= 88 && (a->flags & (CLONE_PIDFD | CLONE_PARENT_SETTID)) == (CLONE_PIDFD | CLONE_PARENT_SETTID) &&
            syscall(SYS_clone3, NULL, 0) == -1 && errno != EINVAL) {
            errno = ENOSYS;
            return -1;
        }
        break;
    case 4:
        arg = (char *)arg + 1;
        break;
    case 5:
        /* rep->args is the case's own writable copy */
        ((struct sched_clone_args *)a)->flags &= ~(uint64_t)CLONE_CHILD_CLEARTID;
        break;
    }
    return ours(a, size, fn, arg);
}

/* Waits (up to 3 s) until a process that is not our child has exited,
 * through a pidfd (which, unlike /proc/PID/stat, does not take a reference
 * on the process's memory: with CLONE_VM, CLONE_CHILD_CLEARTID clears the
 * slot only while another user of that memory lives). */
static void wait_exited(pid_t pid)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0)
        return;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    poll(&p, 1, 3000);
    close(fd);
}

static bool task_alive(pid_t tid)
{
    return syscall(SYS_tgkill, getpid(), tid, 0) == 0;
}

/* The kernel's sigset_t, which rt_sigprocmask wants exactly: 64 signals,
 * 128 on mips. */
#if defined(__mips__)
#define KERNEL_SIGSET_WORDS 2
#else
#define KERNEL_SIGSET_WORDS 1
#endif

static __attribute__((noreturn)) void sacrificial(int run, const struct tcase *c)
{
    /* Every blockable signal, glibc's own 32 and 33 included (sigfillset
     * leaves those out), so the child's exit signal stays pending. */
    uint64_t all[KERNEL_SIGSET_WORDS];
    memset(all, 0xff, sizeof all);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, NULL, sizeof all);
    setpgid(0, 0);
    rep->s_pid = getpid();
    if (run == RUN_ENOSYS)
        filter_clone3(SECCOMP_RET_ERRNO | ENOSYS);
    else if (run == RUN_EPERM)
        filter_clone3(SECCOMP_RET_ERRNO | EPERM);
    build_args(c);
    rep->go = (c->flags & CLONE_VFORK) != 0;
    rep->stage = 1;
    long r;
    int e = 0;
    if (run == RUN_RAW) {
        r = raw_clone3(rep->args, c->size, &rep->go);
        if (r < 0) {
            e = (int)-r;
            r = -1;
        }
    } else {
        errno = 0;
        r = (g_mutant ? mutant_clone3 : ours)((struct sched_clone_args *)rep->args, c->size, child_fn,
                                               (void *)(uintptr_t)c->arg);
        e = r == -1 ? errno : 0;
    }
    rep->ret = r;
    rep->err = e;
    rep->stage = 2;
    __atomic_store_n(&rep->go, 1, __ATOMIC_SEQ_CST);
    if (r > 0) {
        if ((c->flags & (CLONE_PARENT | CLONE_THREAD)) == CLONE_PARENT) {
            /* The tester's child: it reaps it. The caller stays until the
             * child has exited: with CLONE_VM, CLONE_CHILD_CLEARTID clears
             * the slot only while another user of the memory lives. */
            wait_exited((pid_t)r);
            rep->child_how = CH_TESTER;
        } else if (c->flags & CLONE_THREAD) {
            double t0 = proof_now();
            while (task_alive((pid_t)r) && proof_now() - t0 < 3)
                usleep(50);
            rep->child_how = task_alive((pid_t)r) ? CH_TIMEOUT : CH_THREAD_GONE;
        } else {
            int st = 0;
            pid_t w = waitpid((pid_t)r, &st, __WALL); /* the tester's deadline bounds it */
            if (w == (pid_t)r) {
                rep->child_how = WIFEXITED(st) ? CH_EXITED : CH_SIGNALED;
                rep->child_status = WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st);
            } else {
                rep->child_how = CH_TIMEOUT;
            }
        }
    }
    rep->stage = 3;
    _exit(0);
}

/* ------------------------------------------------------------------ */
/* One run, as the tester sees it.                                     */

struct outcome {
    int s_how, s_code;   /* the caller: 0 exit, 1 signal, 2 timeout */
    int stage;
    long ret;
    int err;
    int child_how, child_status;
    int fn_ran, fn_arg_ok;
    char tid_shape[16], pid_shape[16], ppid_shape[16];
    char pidfd_shape[16], ptid_shape[16], ctid_shape[16];
};

static void shape(int v, const struct outcome *o, char *buf, size_t n)
{
    if (v == UNTOUCHED) snprintf(buf, n, "untouched");
    else if (o->ret > 0 && v == o->ret) snprintf(buf, n, "TID");
    else if (v == 0) snprintf(buf, n, "0");
    else if (v == 1) snprintf(buf, n, "1");
    else if (v > 1 && v < 1024) snprintf(buf, n, "small");
    else if (v == tester_pid) snprintf(buf, n, "tester");
    else snprintf(buf, n, "other");
}

static void on_alarm(int sig) { (void)sig; }

static void run_once(int run, const struct tcase *c, struct outcome *o)
{
    memset((void *)rep, 0, offsetof(struct report, pidfd_slot));
    rep->pidfd_slot = rep->ptid_slot = rep->ctid_slot = UNTOUCHED;
    memset(o, 0, sizeof *o);
    pid_t s = fork();
    if (s < 0) {
        perror("fork");
        exit(2);
    }
    if (s == 0)
        sacrificial(run, c);
    int st = 0;
    alarm(5); /* interrupts the wait (no SA_RESTART) */
    pid_t w = waitpid(s, &st, WUNTRACED);
    if (w == s && WIFSTOPPED(st)) {
        kill(s, SIGCONT);
        w = waitpid(s, &st, 0);
    }
    alarm(0);
    if (w != s) {
        kill(-s, SIGKILL);
        kill(s, SIGKILL);
        waitpid(s, &st, 0);
        o->s_how = 2;
    } else if (WIFSIGNALED(st)) {
        o->s_how = 1;
        o->s_code = WTERMSIG(st);
    } else {
        o->s_code = WEXITSTATUS(st);
    }
    o->stage = rep->stage;
    o->ret = rep->ret > 0 ? 1 : rep->ret;
    o->err = rep->err;
    o->child_how = rep->child_how;
    o->child_status = rep->child_status;
    if (rep->child_how == CH_TESTER) {
        int cst = 0;
        alarm(3);
        pid_t cw = waitpid((pid_t)rep->ret, &cst, __WALL);
        alarm(0);
        if (cw == (pid_t)rep->ret) {
            o->child_how = WIFEXITED(cst) ? CH_EXITED : CH_SIGNALED;
            o->child_status = WIFEXITED(cst) ? WEXITSTATUS(cst) : WTERMSIG(cst);
        } else {
            o->child_how = CH_TIMEOUT;
        }
    }
    if (o->s_how == 1 && o->s_code == SIGKILL && c->exit_signal == SIGKILL)
        o->child_how = CH_RACY; /* the child's exit killed the caller */
    struct outcome tmp = *o;
    tmp.ret = rep->ret;
    o->fn_ran = rep->fn_ran;
    o->fn_arg_ok = rep->fn_ran ? rep->fn_arg == c->arg : 1;
    if (rep->fn_ran) {
        shape(rep->fn_tid, &tmp, o->tid_shape, sizeof o->tid_shape);
        if (rep->fn_pid == rep->fn_tid) snprintf(o->pid_shape, sizeof o->pid_shape, "= tid");
        else if (rep->fn_pid == rep->s_pid) snprintf(o->pid_shape, sizeof o->pid_shape, "caller");
        else shape(rep->fn_pid, &tmp, o->pid_shape, sizeof o->pid_shape);
        if (rep->fn_ppid == rep->s_pid) snprintf(o->ppid_shape, sizeof o->ppid_shape, "caller");
        else shape(rep->fn_ppid, &tmp, o->ppid_shape, sizeof o->ppid_shape);
    }
    shape(rep->pidfd_slot, &tmp, o->pidfd_shape, sizeof o->pidfd_shape);
    shape(rep->ptid_slot, &tmp, o->ptid_shape, sizeof o->ptid_shape);
    shape(rep->ctid_slot, &tmp, o->ctid_shape, sizeof o->ctid_shape);
    /* Strays (a CLONE_PARENT child of a killed caller, orphans): ours. */
    while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
        ;
    /* Close any pidfd the tester's fd table did not get (the caller's died
     * with it); the slots are in shared memory only. */
}

static void outcome_text(const struct outcome *o, bool with_fn, char *buf, size_t n)
{
    int k = snprintf(buf, n, "caller %s %d stage %d, %s", o->s_how == 0 ? "exit" : o->s_how == 1 ? "signal" : "timeout",
                     o->s_code, o->stage, o->ret > 0 ? "OK" : o->ret == 0 ? "no-result" : "-1");
    if (o->ret == -1)
        k += snprintf(buf + k, n - (size_t)k, " %s", strerror(o->err));
    static const char *how[] = { "none", "exit", "signal", "thread-gone", "timeout", "racy", "tester" };
    k += snprintf(buf + k, n - (size_t)k, ", child %s %d, slots pidfd %s ptid %s ctid %s", how[o->child_how],
                  o->child_status, o->pidfd_shape, o->ptid_shape, o->ctid_shape);
    if (with_fn)
        snprintf(buf + k, n - (size_t)k, ", fn %s arg %s tid %s pid %s ppid %s", o->fn_ran ? "ran" : "no",
                 o->fn_arg_ok ? "ok" : "WRONG", o->tid_shape, o->pid_shape, o->ppid_shape);
}

/* The comparable part of an outcome, as text. */
static void key(const struct outcome *o, bool with_fn, char *buf, size_t n)
{
    outcome_text(o, with_fn, buf, n);
}

/* ------------------------------------------------------------------ */
/* Classification.                                                     */

enum { CLS_REFUSE_VM, CLS_REFUSE_TOP, CLS_CHILD_STACK, CLS_FALLBACK_REFUSAL, CLS_SET_TID_32, CLS_ABOVE_4G,
       CLS_NEWER_FLAG, NCLS };
static const char *cls_name[NCLS] = { "refusal-vm-stackless", "refusal-null-top", "child-uses-stack",
                                      "fallback-refusal", "set_tid-unchecked-32", "stack-beyond-32",
                                      "flag-newer-than-fallback" };

static bool needs_clone3(const struct tcase *c)
{
    return (c->flags >> 32) != 0 || (c->flags & 0x80) || (c->set_tid_kind != 0 && c->set_tid_n != 0) ||
           (c->flags & (CLONE_PIDFD | CLONE_PARENT_SETTID)) == (CLONE_PIDFD | CLONE_PARENT_SETTID);
}

/* Is the difference between the kernel's outcome k and ours o one of the
 * named ones? Returns its class or -1. */
static int expected(int run, const struct tcase *c, const struct outcome *k, const struct outcome *o)
{
    bool kernel_took = k->ret > 0;
    /* Our refusals come after clone3's own checks, which the kernel makes
     * first: the kernel then either takes the request or fails later
     * (EFAULT for the pidfd slot, EPERM, EBADF...). */
    if (o->ret == -1 && o->err == EINVAL && !(k->ret == -1 && k->err == E2BIG)) {
        if (c->stack_kind == STK_NULL && (c->flags & CLONE_VM))
            return CLS_REFUSE_VM;
        if (c->stack_kind == STK_TINY || c->stack_kind == STK_OVERFLOW)
            return CLS_REFUSE_TOP;
    }
    if (kernel_took && o->ret > 0 && stk_unusable(c->stack_kind) && o->child_how == CH_SIGNALED &&
        !o->fn_ran)
        return CLS_CHILD_STACK;
    /* The fallback never reads set_tid (an unreadable array is the
     * kernel's EFAULT, never a crash): the PIDs the kernel would reject
     * with EINVAL (below 1, not below pid_max, more than the PID namespace
     * levels) get the refusal too. */
    bool set_tid = c->set_tid_kind != 0 && c->set_tid_n != 0;
    /* On i686 and arm the fallback cannot ask whether set_tid is readable
     * (no raw system call in the library there): the kernel's EFAULT for
     * an unreadable array comes before the EINVALs the fallback finds. */
    if (sizeof(void *) == 4 && run != RUN_OURS && c->set_tid_kind == 3 && k->ret == -1 && k->err == EFAULT &&
        o->ret == -1 && o->err == EINVAL)
        return CLS_SET_TID_32;
    /* A 32-bit program's stack range that ends above 4 GiB: a 64-bit kernel
     * takes it (and truncates the stack pointer), the fallback cannot pass
     * it to the legacy call and says EINVAL, as a 32-bit kernel does. */
    if (sizeof(void *) == 4 && run != RUN_OURS && c->stack_kind == STK_BEYOND && o->ret == -1 && o->err == EINVAL)
        return CLS_ABOVE_4G;
    /* A native 32-bit kernel rejects a range above its TASK_SIZE, which the
     * fallback cannot know: its child dies on that stack instead. */
    if (sizeof(void *) == 4 && run != RUN_OURS && (c->stack_kind == STK_BEYOND || c->stack_kind == STK_KERNEL) &&
        k->ret == -1 && k->err == EINVAL && !o->fn_ran)
        return CLS_ABOVE_4G;
    /* Kernels before 6.9 reject CLONE_PIDFD with CLONE_THREAD (EINVAL),
     * later ones take it: a check the fallback leaves to the kernel. */
    bool pidfd_thread = (c->flags & (CLONE_PIDFD | CLONE_THREAD)) == (CLONE_PIDFD | CLONE_THREAD);
    /* A kernel without time namespaces (armv7's) rejects CLONE_NEWTIME. */
    pidfd_thread = pidfd_thread || (c->flags & 0x80);
    /* On i386 CLONE_SETTLS passes a struct user_desc, which the kernel
     * checks (EINVAL) late, in copy_thread. */
#if defined(__i386__)
    pidfd_thread = pidfd_thread || (c->flags & CLONE_SETTLS);
#endif
    /* A flag above CLONE_INTO_CGROUP (bit 33), which a newer kernel than
     * the fallback knows (sid's 7.2 takes bit 35): the kernel takes it or
     * fails later, the fallback, which cannot pass it to clone(2), says
     * EINVAL, as a kernel without it does. */
    if (run != RUN_OURS && (c->flags >> 34) != 0 && o->ret == -1 && o->err == EINVAL &&
        !(k->ret == -1 && k->err == EINVAL))
        return CLS_NEWER_FLAG;
    if (run != RUN_OURS && needs_clone3(c) && o->ret == -1 && o->err == (run == RUN_ENOSYS ? ENOSYS : EPERM) &&
        !(k->ret == -1 && (k->err == E2BIG || (k->err == EINVAL && !set_tid && !pidfd_thread))))
        return CLS_FALLBACK_REFUSAL;
    return -1;
}

struct stats {
    uint64_t cases, same, fails, ok_kernel;
    uint64_t cls[NRUNS][NCLS];
};

/* Runs one case four ways; returns the number of unexpected differences. */
static int do_case(uint64_t seed, const struct tcase *c, bool verbose, struct stats *st)
{
    struct outcome out[NRUNS];
    char desc[512], a[512], b[512];
    describe_case(c, desc, sizeof desc);
    for (int r = 0; r < NRUNS; r++)
        run_once(r, c, &out[r]);
    int bad = 0;
    bool all_same = true;
    if (out[RUN_RAW].ret > 0)
        st->ok_kernel++;
    for (int r = RUN_OURS; r < NRUNS; r++) {
        const struct outcome *k = &out[RUN_RAW], *o = &out[r];
        /* Ours against the kernel: everything but fn's observations (the
         * raw child runs no fn). A racy child status is compared by class. */
        struct outcome kk = *k, oo = *o;
        if (kk.child_how == CH_RACY || oo.child_how == CH_RACY) {
            kk.child_how = oo.child_how = CH_RACY;
            kk.child_status = oo.child_status = 0;
        }
        key(&kk, false, a, sizeof a);
        key(&oo, false, b, sizeof b);
        bool differ = strcmp(a, b) != 0 || !o->fn_arg_ok ||
                      (o->ret > 0 && !o->fn_ran && o->child_how == CH_EXITED);
        if (!differ && r != RUN_OURS) {
            /* The fallback's child against clone3's, with fn. */
            key(&out[RUN_OURS], true, a, sizeof a);
            key(o, true, b, sizeof b);
            if (out[RUN_OURS].ret > 0 && strcmp(a, b) != 0)
                differ = true;
        }
        if (!differ)
            continue;
        all_same = false;
        int cls = expected(r, c, k, o);
        if (cls >= 0) {
            st->cls[r][cls]++;
            if (verbose)
                printf("expected (%s, %s): %s\n", run_name[r], cls_name[cls], desc);
            continue;
        }
        bad++;
        if (verbose || st->fails < 10) {
            printf("DIFFERENCE seed %" PRIu64 " %s\n  %s vs %s:\n", seed, desc, run_name[RUN_RAW], run_name[r]);
            key(k, false, a, sizeof a);
            printf("    %-18s %s\n", run_name[RUN_RAW], a);
            key(&out[RUN_OURS], true, a, sizeof a);
            printf("    %-18s %s\n", run_name[RUN_OURS], a);
            key(o, true, b, sizeof b);
            printf("    %-18s %s\n", run_name[r], b);
        }
    }
    if (verbose) {
        for (int r = 0; r < NRUNS; r++) {
            key(&out[r], r != RUN_RAW, a, sizeof a);
            printf("  %-18s %s\n", run_name[r], a);
        }
    }
    if (all_same)
        st->same++;
    return bad;
}

/* ------------------------------------------------------------------ */

static void setup(void)
{
    /* One mapping at a fixed place in every process (made before any fork). */
    rep = mmap(NULL, sizeof *rep, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    none_page = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(rep != MAP_FAILED && none_page != MAP_FAILED, "mmap: %s", strerror(errno));
    char line[512], path[600];
    FILE *f = fopen("/proc/self/cgroup", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "0::", 3) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(path, sizeof path, "/sys/fs/cgroup%s", line + 3);
            cgroup_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
    }
    if (f != NULL)
        fclose(f);
    file_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (cgroup_fd < 0)
        printf("note: no cgroup2 directory of our own: CLONE_INTO_CGROUP gets an invalid fd\n");
}

int main(int argc, char **argv)
{
#ifndef CLONE3_DIFF_DEFAULT_CASES
#define CLONE3_DIFF_DEFAULT_CASES 20000
#endif
#ifndef CLONE3_DIFF_DEFAULT_SEED
#define CLONE3_DIFF_DEFAULT_SEED 0ULL /* 0: from the clock; vm.sh builds in a fixed one for make test */
#endif
    uint64_t cases = CLONE3_DIFF_DEFAULT_CASES, seed = CLONE3_DIFF_DEFAULT_SEED ? CLONE3_DIFF_DEFAULT_SEED : proof_clock_seed(), one = UINT64_MAX, max_fail = 10;
    int jobs = 2;
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cases") && i + 1 < argc) cases = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--case") && i + 1 < argc) one = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--max-fail") && i + 1 < argc) max_fail = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--mutant") && i + 1 < argc) g_mutant = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--jobs") && i + 1 < argc) { jobs = atoi(argv[++i]); if (jobs < 1) jobs = 1; }
        else if (!strcmp(argv[i], "--verbose")) verbose = true;
        else {
            fprintf(stderr, "usage: %s [--cases N] [--seed S] [--case I] [--jobs J] [--max-fail N] [--verbose] [--mutant M]\n", argv[0]);
            return 2;
        }
    }
    assert_clone_is_ours();
    ours = our_sched_clone3();
    if (geteuid() != 0)
        test_skip("the cases include namespaces, set_tid and cgroups: needs root");
    if (syscall(SYS_clone3, NULL, 0) == -1 && errno == ENOSYS)
        test_skip("this kernel has no clone3");
    if (g_mutant)
        printf("MUTANT %d stands in for sched_clone3: differences are expected\n", g_mutant);
    if (one != UINT64_MAX)
        jobs = 1;
    printf("clone3 differential: seed %" PRIu64 ", %" PRIu64 " cases, %d jobs\n", seed, one != UINT64_MAX ? 1 : cases, jobs);
    fflush(stdout);
    /* Each job (a process) takes every jobs-th case, with its own report. */
    struct stats *all = mmap(NULL, sizeof(struct stats) * (size_t)jobs, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(all != MAP_FAILED, "mmap: %s", strerror(errno));
    memset(all, 0, sizeof(struct stats) * (size_t)jobs);
    double t0 = proof_now();
    uint64_t first = one != UINT64_MAX ? one : 0, last = one != UINT64_MAX ? one + 1 : cases;
    for (int j = 0; j < jobs; j++) {
        pid_t w = jobs == 1 ? 0 : fork();
        CHECK(w >= 0, "fork: %s", strerror(errno));
        if (w > 0)
            continue;
        struct stats *st = &all[j];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigaction(SIGALRM, &sa, NULL);
        tester_pid = getpid();
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        setup();
        for (uint64_t i = first + (uint64_t)j; i < last; i += (uint64_t)jobs) {
            struct tcase c;
            make_case(seed, i, &c);
            st->cases++;
            if (do_case(seed, &c, verbose || one != UINT64_MAX, st) > 0)
                st->fails++;
            if (st->fails >= max_fail)
                break;
            fflush(stdout);
        }
        fflush(stdout);
        if (jobs > 1)
            _exit(0);
    }
    while (jobs > 1 && wait(NULL) > 0)
        ;
    struct stats total;
    memset(&total, 0, sizeof total);
    for (int j = 0; j < jobs; j++) {
        total.cases += all[j].cases;
        total.same += all[j].same;
        total.fails += all[j].fails;
        total.ok_kernel += all[j].ok_kernel;
        for (int r = 0; r < NRUNS; r++)
            for (int k = 0; k < NCLS; k++)
                total.cls[r][k] += all[j].cls[r][k];
    }
    struct stats st = total;
    double secs = proof_now() - t0;
    printf("SUMMARY: clone3 differential: seed %" PRIu64 ": %" PRIu64 " cases in %.1f s (%.0f/s), %" PRIu64
           " identical in all four runs, %" PRIu64 " with a child from the kernel, %" PRIu64 " with unexpected differences\n",
           seed, st.cases, secs, (double)st.cases / (secs > 0 ? secs : 1), st.same, st.ok_kernel, st.fails);
    for (int r = RUN_OURS; r < NRUNS; r++)
        for (int k = 0; k < NCLS; k++)
            if (st.cls[r][k])
                printf("SUMMARY:   expected difference %-22s %-18s %" PRIu64 "\n", cls_name[k], run_name[r], st.cls[r][k]);
    return st.fails ? 1 : 0;
}
