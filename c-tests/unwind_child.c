/* The unwinders walk a clone child cleanly to our entry and stop there:
 * libgcc's _Unwind_Backtrace and glibc's backtrace(), called
 *   1. from inside fn: the walk is [walker, fn, our child entry] and ends
 *      (_URC_END_OF_STACK: the child entry marks the return address
 *      undefined, which libgcc reports as a last frame at IP 0), its last
 *      real frame being fn's return address, which is in our library;
 *   2. from a signal handler that interrupts the child as early as the
 *      kernel lets it: the parent, pinned to one CPU with its child, sends
 *      SIGUSR1 to the new thread right after clone returns, so the signal
 *      is usually delivered at the child's first user-space instruction,
 *      the one after the syscall. There, the walk must end at the
 *      interrupted instruction (no frame description covers it: the
 *      parent's ends before the syscall) or, if the child had reached fn,
 *      at our child entry; never crash and never run past the child's
 *      stack top, which lies right below a PROT_NONE page here.
 * On powerpc64 and powerpc libgcc stops at the interrupted instruction with
 * _URC_NORMAL_STOP, and glibc's backtrace() (a back-chain walker) is not
 * called while r1 is still the stack top (see on_signal).
 * ARM unwinds with EHABI tables instead: the child entry and the code after
 * the syscall are .cantunwind regions, where libgcc stops with _URC_FAILURE
 * without reporting that frame, so the last frame is fn (walk 1) and no
 * frame of ours appears after the signal frame (walk 2).
 * Each walk is bounded (MAX_FRAMES); a walk that needs them all fails. */
/* sched-clone-test: cross */
#include "common.h"
#include <execinfo.h>
#include <ucontext.h>
#include <unwind.h>

#define STACK_SIZE (256 * 1024)
#define MAX_FRAMES 64
#define SIGNAL_ROUNDS 20
/* How libgcc ends a walk at a frame it has no unwind information for: ARM's
 * EHABI unwinder answers _URC_FAILURE for a .cantunwind region; the
 * powerpc64 one's fallback (for frames without CFI that are not signal
 * frames) answers _URC_NORMAL_STOP; the others _URC_END_OF_STACK, which is
 * also the answer for a return address marked undefined. */
#if defined(__arm__)
#define WALK_ENDED(code) ((code) == _URC_END_OF_STACK || (code) == _URC_FAILURE)
#elif defined(__powerpc__) /* powerpc64 and powerpc */
#define WALK_ENDED(code) ((code) == _URC_END_OF_STACK || (code) == _URC_NORMAL_STOP)
#else
#define WALK_ENDED(code) ((code) == _URC_END_OF_STACK)
#endif
/* The IP libgcc's _Unwind_GetIP reports for the frame a signal interrupted:
 * the PC itself, except on mips, whose fallback adds 2 (a "return address"
 * past it that keeps the ISA mode bit); glibc's backtrace() reports the PC
 * itself there. */
#if defined(__mips__)
#define SIGNAL_IP_BIAS 2
#else
#define SIGNAL_IP_BIAS 0
#endif

struct walk {
    int code;                 /* _Unwind_Backtrace's result */
    int depth;                /* frames reported by _Unwind_Backtrace */
    uintptr_t ip[MAX_FRAMES];
    int bt_depth;             /* frames reported by backtrace(); -1: not called */
    int skip_bt;              /* do not call backtrace() (powerpc64, below) */
    uintptr_t bt_last;
};

struct trace_state {
    struct walk *w;
};

static _Unwind_Reason_Code collect(struct _Unwind_Context *ctx, void *arg)
{
    struct walk *w = ((struct trace_state *)arg)->w;
    if (w->depth == MAX_FRAMES)
        return _URC_END_OF_STACK; /* stops the walk (ARM's unwind.h has no _URC_NORMAL_STOP) */
    int before = 0;
    w->ip[w->depth++] = (uintptr_t)_Unwind_GetIPInfo(ctx, &before);
    return _URC_NO_REASON;
}

__attribute__((noinline)) static void walk_now(struct walk *w)
{
    struct trace_state st = { w };
    w->depth = 0;
    w->code = _Unwind_Backtrace(collect, &st);
    /* libgcc reports the end of a walk whose last frame marks its return
     * address undefined as one more frame at IP 0 (backtrace() drops it). */
    if (w->depth > 0 && w->ip[w->depth - 1] == 0)
        w->depth--;
    void *bt[MAX_FRAMES];
    w->bt_depth = w->skip_bt ? -1 : backtrace(bt, MAX_FRAMES);
    w->bt_last = w->bt_depth > 0 ? (uintptr_t)bt[w->bt_depth - 1] : 0;
    __asm__ volatile("" ::: "memory");
}

static uintptr_t code_address(const void *p)
{
    uintptr_t v = (uintptr_t)p;
#if defined(__arm__)
    v &= ~(uintptr_t)1; /* the Thumb bit */
#endif
    return v;
}

/* Where a return address returns to, as unwinders report it: on sparc
 * __builtin_return_address gives the call instruction itself (%i7), and the
 * return skips it and its delay slot. */
static uintptr_t returns_to(const void *ra)
{
#if defined(__sparc__)
    return code_address(ra) + 8;
#else
    return code_address(ra);
#endif
}

/* Whether a code address is in our library (as assert_clone_is_ours
 * decides where `clone` is). */
static int is_ours(uintptr_t ip)
{
#if defined(SCHED_CLONE_MODE_DYNAMIC) || defined(SCHED_CLONE_MODE_PRELOAD)
    Dl_info di;
    return dladdr((void *)ip, &di) != 0 && di.dli_fname != NULL &&
           strstr(di.dli_fname, "libsched_clone") != NULL;
#else
    const void *marker = (const void *)&sched_clone_version;
#if defined(__powerpc64__) && _CALL_ELF != 2
    /* ELFv1: a function's address is its descriptor; its code starts at
     * the descriptor's first word. */
    marker = *(const void *const *)marker;
#endif
    return code_distance((const void *)ip, marker) < 65536;
#endif
}

/* The interrupted program counter of a signal. */
static uintptr_t interrupted_pc(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__i386__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#elif defined(__arm__)
    return (uintptr_t)uc->uc_mcontext.arm_pc;
#elif defined(__riscv)
    return (uintptr_t)uc->uc_mcontext.__gregs[0];
#elif defined(__powerpc64__)
    return (uintptr_t)uc->uc_mcontext.gp_regs[32];
#elif defined(__powerpc__)
    return (uintptr_t)uc->uc_mcontext.uc_regs->gregs[32]; /* NIP */
#elif defined(__s390x__)
    return (uintptr_t)uc->uc_mcontext.psw.addr;
#elif defined(__mips__)
    return (uintptr_t)uc->uc_mcontext.pc;
#elif defined(__sparc__) && defined(__arch64__)
    return (uintptr_t)uc->uc_mcontext.mc_gregs[MC_PC];
#elif defined(__loongarch64)
    return (uintptr_t)uc->uc_mcontext.__pc;
#else
#error "unwind_child: no interrupted_pc for this architecture"
#endif
}

/* Shared with the children (CLONE_VM). */
static struct walk fn_walk, sig_walk;
static volatile uintptr_t fn_return, sig_pc;
static uintptr_t child_top;
static volatile int sig_done, sig_in_fn;
static volatile pid_t ctid;

__attribute__((noinline)) static int child_fn(void *arg)
{
    (void)arg;
    fn_return = returns_to(__builtin_return_address(0));
    walk_now(&fn_walk);
    return 0;
}

/* Waits, in fn, for the handler: the signal may land before fn or here. */
__attribute__((noinline)) static int waiting_fn(void *arg)
{
    (void)arg;
    fn_return = returns_to(__builtin_return_address(0));
    sig_in_fn = 1;
    while (!sig_done)
        __asm__ volatile("" ::: "memory");
    return 0;
}

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)si;
    sig_pc = interrupted_pc(ucv);
#if defined(__powerpc64__)
    /* glibc's powerpc64 backtrace() follows the back chain from the
     * interrupted r1. Before the child entry has pushed its frame, r1 is the
     * stack top itself, which the parent does not write (it never writes to
     * the child's stack, unlike glibc's clone, which stores a zero back
     * chain there): backtrace() would read the words above the top, here a
     * PROT_NONE page. libgcc's DWARF walk is exact there and still runs. */
    sig_walk.skip_bt = (uintptr_t)((const ucontext_t *)ucv)->uc_mcontext.gp_regs[1] >= child_top;
#elif defined(__powerpc__)
    /* The same for powerpc's back-chain walker (r1 in uc_regs). */
    sig_walk.skip_bt = (uintptr_t)((const ucontext_t *)ucv)->uc_mcontext.uc_regs->gregs[1] >= child_top;
#endif
    walk_now(&sig_walk);
    sig_done = 1;
}

/* Whether _Unwind_Backtrace can walk out of a signal handler at all here,
 * tried in the main thread: qemu-user's powerpc64 signal trampoline, for
 * one, is not the kernel's, and libgcc neither recognizes it nor finds CFI
 * for it. */
static struct walk calib_walk;
static void on_calibration_signal(int sig)
{
    (void)sig;
    struct trace_state st = { &calib_walk };
    calib_walk.depth = 0;
    calib_walk.code = _Unwind_Backtrace(collect, &st);
}

__attribute__((noinline)) static int signal_frames_unwind(void)
{
    CHECK(signal(SIGUSR2, on_calibration_signal) != SIG_ERR, "signal: %s", strerror(errno));
    raise(SIGUSR2);
    uintptr_t here = code_address(__builtin_return_address(0));
    __asm__ volatile("" ::: "memory");
    (void)here;
    /* The walk passed the signal frame if it reached main (our caller). */
    for (int i = 0; i < calib_walk.depth; i++)
        if (calib_walk.ip[i] == here)
            return 1;
    return 0;
}

/* signal_frames_unwind() in a fork-like child (glibc's fork, not ours):
 * where libgcc cannot parse the signal frame it may abort rather than
 * answer (qemu-ppc's 32-bit signal frame), and that reads as "cannot". */
static void print_walk(const struct walk *w, const char *what);
static int signal_frames_unwind_in_child(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int ok = signal_frames_unwind();
        if (!ok)
            print_walk(&calib_walk, "a signal in the main thread");
        _exit(ok ? 0 : 1);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
    if (WIFSIGNALED(st))
        printf("a signal in the main thread: the walk died of signal %d\n", WTERMSIG(st));
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A stack whose top is the start of a PROT_NONE page: a walk that reads
 * past the top faults. */
static char *guarded_top(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, STACK_SIZE + 2 * page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
    CHECK(mprotect(p, page, PROT_NONE) == 0 &&
              mprotect(p + page + STACK_SIZE, page, PROT_NONE) == 0,
          "mprotect: %s", strerror(errno));
    return p + page + STACK_SIZE;
}

static void print_walk(const struct walk *w, const char *what)
{
    printf("%s: code %d, %d frames:", what, w->code, w->depth);
    for (int i = 0; i < w->depth; i++)
        printf(" %#jx%s", (uintmax_t)w->ip[i], is_ours(w->ip[i]) ? "(ours)" : "");
    printf("; backtrace() %d frames, last %#jx\n", w->bt_depth, (uintmax_t)w->bt_last);
}

static void check_ended(const struct walk *w, const char *what)
{
    int ok = w->depth < MAX_FRAMES && (w->skip_bt || (w->bt_depth > 0 && w->bt_depth < MAX_FRAMES)) &&
             WALK_ENDED(w->code);
    if (!ok)
        print_walk(w, what);
    CHECK(w->depth < MAX_FRAMES, "%s: the walk did not end within %d frames", what, MAX_FRAMES);
    CHECK(WALK_ENDED(w->code), "%s: _Unwind_Backtrace returned %d", what, w->code);
    CHECK(w->skip_bt || (w->bt_depth > 0 && w->bt_depth < MAX_FRAMES),
          "%s: backtrace() gave %d frames", what, w->bt_depth);
}

int main(void)
{
    assert_clone_is_ours();
    setvbuf(stdout, NULL, _IONBF, 0); /* what was seen survives a crash */
    char *top = guarded_top();
    child_top = (uintptr_t)top;
    /* glibc's backtrace() loads libgcc_s on first use: not in a child. */
    void *warm[4];
    CHECK(backtrace(warm, 4) > 0, "backtrace() found no frame");
    int flags = THREAD_FLAGS | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;

    /* 1. From inside fn. */
    ctid = -1;
    pid_t tid = clone(child_fn, top, flags, NULL, NULL, NULL, (pid_t *)&ctid);
    CHECK(tid > 0, "clone: %s", strerror(errno));
    wait_tid_cleared(&ctid);
    print_walk(&fn_walk, "from fn");
    check_ended(&fn_walk, "from fn");
    CHECK(is_ours(fn_return), "fn's return address %#jx is not in our library",
          (uintmax_t)fn_return);
    CHECK(fn_walk.depth >= 2, "from fn: %d frames", fn_walk.depth);
    uintptr_t last = fn_walk.ip[fn_walk.depth - 1];
#if defined(__arm__)
    /* The last frame reported is fn's: its IP is in fn, below fn_return. */
    CHECK(!is_ours(last) || last != fn_return, "from fn: the walk reported our .cantunwind frame");
    CHECK(fn_walk.depth == 2, "from fn: %d frames, expected the walker and fn", fn_walk.depth);
#else
    CHECK(last == fn_return, "from fn: the last frame %#jx is not our child entry (%#jx)",
          (uintmax_t)last, (uintmax_t)fn_return);
    CHECK(fn_walk.depth == 3, "from fn: %d frames, expected the walker, fn and our entry",
          fn_walk.depth);
    CHECK(fn_walk.bt_last == fn_return, "from fn: backtrace()'s last frame %#jx is not our "
          "child entry (%#jx)", (uintmax_t)fn_walk.bt_last, (uintmax_t)fn_return);
#endif

    /* fn's return address: in the child entry, the same for every child. */
    const uintptr_t child_entry_ret = fn_return;
    (void)child_entry_ret; /* unused on arm */

    /* 2. From a signal at the child's first instructions. */
    if (!signal_frames_unwind_in_child()) {
        test_skip("part 2: _Unwind_Backtrace cannot walk out of a signal handler here (part 1 "
                  "passed)");
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0)
        printf("note: sched_setaffinity: %s\n", strerror(errno));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
    int early = 0, in_fn = 0, bt_skipped = 0;
    for (int round = 0; round < SIGNAL_ROUNDS; round++) {
        sig_done = 0;
        sig_in_fn = 0;
        fn_return = 0;
        ctid = -1;
        tid = clone(waiting_fn, top, flags, NULL, NULL, NULL, (pid_t *)&ctid);
        CHECK(tid > 0, "clone: %s", strerror(errno));
        CHECK(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) == 0, "tgkill: %s", strerror(errno));
        wait_tid_cleared(&ctid);
        CHECK(sig_done, "round %d: the handler did not run", round);
        check_ended(&sig_walk, "from the signal handler");
        CHECK(sig_walk.depth >= 1, "round %d: no frame", round);
        last = sig_walk.ip[sig_walk.depth - 1];
        /* Where the signal landed: in fn (or its callees), or before it, in
         * our code (the instructions after the syscall or the child entry
         * before its call). */
        int before_fn = !sig_in_fn && sig_pc != 0 && is_ours(sig_pc);
#if !defined(__arm__)
        /* The walk ends at the interrupted instruction (in our code, before
         * fn) or at our child entry (once fn runs). */
        before_fn = last != child_entry_ret;
        CHECK(!before_fn || (last == sig_pc + SIGNAL_IP_BIAS && is_ours(sig_pc)),
              "round %d (interrupted at %#jx): the walk's last frame %#jx is neither our child "
              "entry (%#jx) nor the interrupted instruction in our code", round,
              (uintmax_t)sig_pc, (uintmax_t)last, (uintmax_t)child_entry_ret);
        CHECK(sig_walk.skip_bt || sig_walk.bt_last == (before_fn ? last - SIGNAL_IP_BIAS : last),
              "round %d: backtrace()'s last frame %#jx, not %#jx", round,
              (uintmax_t)sig_walk.bt_last, (uintmax_t)last);
#endif
        bt_skipped += sig_walk.skip_bt;
        if (before_fn)
            early++;
        else
            in_fn++;
        if (round == 0 || (before_fn && early == 1))
            print_walk(&sig_walk, before_fn ? "from a signal before fn" : "from a signal in fn");
    }
    printf("signal rounds: %d interrupted before fn (at our code after the syscall or in the "
           "child entry), %d in fn; backtrace() not called in %d (powerpc64, r1 at the top)\n",
           early, in_fn, bt_skipped);
    return 0;
}
