/* clone in a loop while signals rain on the calling thread.
 *
 *   signal_storm [--iterations N] [--seed S]   (default N = 20000; long mode 500000)
 *
 * Signals: SIGALRM from a 50 us CLOCK_MONOTONIC POSIX timer aimed at the
 * cloning thread (SIGEV_THREAD_ID), plus SIGUSR1 sent to it with tgkill by
 * another thread in a loop. The handler (no SA_RESTART) writes errno and
 * restores it, as a correct handler does, and fills and checks a 512-byte
 * array on the stack.
 *
 * Each iteration picks (from the seed) one of:
 *   thread-style clone + CLEARTID futex join, vfork-style clone + waitpid,
 *   fork-like clone + waitpid: each must succeed (clone never fails with
 *   EINTR: the kernel restarts it, ERESTARTNOINTR), leave errno as it was,
 *   and the child's result must be right;
 *   CLONE_SIGHAND without CLONE_VM, CLONE_THREAD without CLONE_SIGHAND
 *   (kernel EINVAL), a NULL fn (our EINVAL, before the syscall): each must
 *   return -1 with errno == EINVAL, whatever the handler did meanwhile.
 * After every call: a canary array in the caller's frame is intact, and
 * (x86_64) the callee-saved registers rbx, rbp, r12-r15 hold the values
 * loaded into them before the call (the call goes through an assembly
 * harness that loads and then checks them). */
#include "../common.h"
#include "proof.h"

#include <pthread.h>
#include <time.h>

static volatile unsigned long handled, handled_in_clone, handler_stack_bad;
static volatile int in_clone;
static volatile pid_t ctid;
static volatile int thread_result;

static void handler(int sig)
{
    int saved = errno;
    errno = EDOM; /* a handler touching errno (and restoring it) */
    volatile unsigned char buf[512];
    unsigned sum = 0, want = 0;
    for (unsigned i = 0; i < sizeof buf; i++) {
        buf[i] = (unsigned char)(i * 7 + (unsigned)sig);
        want += (unsigned char)(i * 7 + (unsigned)sig);
    }
    for (unsigned i = 0; i < sizeof buf; i++)
        sum += buf[i];
    if (sum != want)
        handler_stack_bad++;
    handled++;
    if (in_clone)
        handled_in_clone++;
    errno = saved;
}

static int child(void *arg)
{
    int v = (int)(uintptr_t)arg;
    thread_result = v;
    return v;
}

/* ---- callee-saved register check (x86_64) ---- */
#ifdef __x86_64__
void *clone_ptr __attribute__((visibility("hidden")));
unsigned long regs_diff __attribute__((visibility("hidden")));
int checked_clone(int (*)(void *), void *, int, void *, pid_t *, void *, pid_t *);
#define P_RBX "0x1b1b1b1b1b1b1b1b"
#define P_RBP "0x2b2b2b2b2b2b2b2b"
#define P_R12 "0x3c3c3c3c3c3c3c3c"
#define P_R13 "0x4d4d4d4d4d4d4d4d"
#define P_R14 "0x5e5e5e5e5e5e5e5e"
#define P_R15 "0x6f6f6f6f6f6f6f6f"
__asm__(".text\n"
        ".p2align 4\n"
        ".globl checked_clone\n"
        ".hidden checked_clone\n"
        ".type checked_clone, @function\n"
        "checked_clone:\n"
        "    push %rbp\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r13\n"
        "    push %r14\n"
        "    push %r15\n"
        "    mov 56(%rsp), %rax\n" /* ctid, the 7th argument */
        "    sub $8, %rsp\n"       /* rsp is 16-aligned at the call */
        "    mov %rax, (%rsp)\n"
        "    movabs $" P_RBX ", %rbx\n"
        "    movabs $" P_RBP ", %rbp\n"
        "    movabs $" P_R12 ", %r12\n"
        "    movabs $" P_R13 ", %r13\n"
        "    movabs $" P_R14 ", %r14\n"
        "    movabs $" P_R15 ", %r15\n"
        "    call *clone_ptr(%rip)\n"
        "    xor %ecx, %ecx\n"
        "    movabs $" P_RBX ", %rdx\n xor %rbx, %rdx\n or %rdx, %rcx\n"
        "    movabs $" P_RBP ", %rdx\n xor %rbp, %rdx\n or %rdx, %rcx\n"
        "    movabs $" P_R12 ", %rdx\n xor %r12, %rdx\n or %rdx, %rcx\n"
        "    movabs $" P_R13 ", %rdx\n xor %r13, %rdx\n or %rdx, %rcx\n"
        "    movabs $" P_R14 ", %rdx\n xor %r14, %rdx\n or %rdx, %rcx\n"
        "    movabs $" P_R15 ", %rdx\n xor %r15, %rdx\n or %rdx, %rcx\n"
        "    or %rcx, regs_diff(%rip)\n"
        "    add $8, %rsp\n"
        "    pop %r15\n"
        "    pop %r14\n"
        "    pop %r13\n"
        "    pop %r12\n"
        "    pop %rbx\n"
        "    pop %rbp\n"
        "    ret\n"
        ".size checked_clone, .-checked_clone\n");
#define CALL_CLONE(...) checked_clone(__VA_ARGS__)
#else
static unsigned long regs_diff;
#define CALL_CLONE(...) clone(__VA_ARGS__)
#endif

static volatile int stop_sender;
static pid_t main_tid;

static void *sender(void *unused)
{
    (void)unused;
    struct timespec pause = { 0, 10000 };
    while (!stop_sender) {
        syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
        nanosleep(&pause, NULL);
    }
    return NULL;
}

enum { K_THREAD, K_VFORK, K_FORK, K_SIGHAND_NO_VM, K_THREAD_NO_SIGHAND, K_NULL_FN, K_KINDS };
static const char *kind_name[] = { "thread-style", "vfork-style", "fork-like", "SIGHAND without VM",
                                   "THREAD without SIGHAND", "NULL fn" };

int main(int argc, char **argv)
{
    assert_clone_is_ours();
    uint64_t iterations = 20000, seed;
    proof_args(argc, argv, "iterations", &iterations, &seed);
#ifdef __x86_64__
    clone_ptr = (void *)&clone;
#endif
    char *base = alloc_stack(64 * 1024);
    char *top = stack_top(base, 64 * 1024);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler; /* no SA_RESTART */
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction");
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");

    main_tid = (pid_t)syscall(SYS_gettid);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGALRM;
    sev._sigev_un._tid = main_tid;
    timer_t timer;
    CHECK(timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0, "timer_create: %s", strerror(errno));
    struct itimerspec its = { { 0, 50000 }, { 0, 50000 } }; /* every 50 us */
    pthread_t th;
    CHECK(pthread_create(&th, NULL, sender, NULL) == 0, "pthread_create");
    CHECK(timer_settime(timer, 0, &its, NULL) == 0, "timer_settime: %s", strerror(errno));

    uint64_t canary[32];
    uint64_t rng = seed, sum0 = 0;
    for (int i = 0; i < 32; i++)
        sum0 ^= canary[i] = proof_rand(&rng) ^ (uint64_t)i;
    unsigned long count[K_KINDS] = { 0 };
    double t0 = proof_now();

    for (uint64_t it = 0; it < iterations; it++) {
        uint64_t r = proof_rand(&rng);
        int kind = (int)(r % 100);
        kind = kind < 40 ? K_THREAD : kind < 60 ? K_VFORK : kind < 65 ? K_FORK
             : kind < 80 ? K_SIGHAND_NO_VM : kind < 90 ? K_THREAD_NO_SIGHAND : K_NULL_FN;
        int v = (int)((r >> 8) & 0x7fffffff);
        void *arg = (void *)(uintptr_t)v;
        int flags;
        int (*fn)(void *) = child;
        switch (kind) {
        case K_THREAD: flags = THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID; break;
        case K_VFORK: flags = CLONE_VM | CLONE_VFORK | SIGCHLD; break;
        case K_FORK: flags = SIGCHLD; break;
        case K_SIGHAND_NO_VM: flags = CLONE_SIGHAND | SIGCHLD; break;
        case K_THREAD_NO_SIGHAND: flags = CLONE_VM | CLONE_THREAD; break;
        default: flags = SIGCHLD; fn = NULL; break;
        }
        thread_result = -1;
        ctid = 0;
        errno = 9999;
        in_clone = 1;
        pid_t tid = (pid_t)CALL_CLONE(fn, top, flags, arg, (pid_t *)&ctid, NULL, (pid_t *)&ctid);
        in_clone = 0;
        int e = errno;
        count[kind]++;

        uint64_t sum = 0;
        for (int i = 0; i < 32; i++)
            sum ^= ((volatile uint64_t *)canary)[i];
        CHECK(sum == sum0, "iteration %" PRIu64 ": the caller's stack canary changed", it);
        CHECK(regs_diff == 0, "iteration %" PRIu64 ": a callee-saved register changed (xor mask 0x%lx)", it,
              regs_diff);

        if (kind <= K_FORK) {
            CHECK(tid > 0, "iteration %" PRIu64 " (%s): clone failed: %s", it, kind_name[kind], strerror(e));
            CHECK(e == 9999, "iteration %" PRIu64 " (%s): errno changed to %d on success", it,
                  kind_name[kind], e);
            if (kind == K_THREAD) {
                wait_tid_cleared(&ctid);
                CHECK(thread_result == v, "thread wrote %d, want %d", thread_result, v);
            } else {
                int st;
                pid_t w;
                while ((w = waitpid(tid, &st, 0)) < 0 && errno == EINTR)
                    ;
                CHECK(w == tid, "waitpid: %s", strerror(errno));
                CHECK(WIFEXITED(st) && WEXITSTATUS(st) == (v & 0xff), "%s child: status 0x%x, want exit %d",
                      kind_name[kind], st, v & 0xff);
            }
        } else {
            CHECK(tid == -1 && e == EINVAL, "iteration %" PRIu64 " (%s): got %d, errno %d (%s), want -1 EINVAL",
                  it, kind_name[kind], tid, e, strerror(e));
        }
    }
    double secs = proof_now() - t0;
    struct itimerspec off = { { 0, 0 }, { 0, 0 } };
    timer_settime(timer, 0, &off, NULL);
    stop_sender = 1;
    pthread_join(th, NULL);

    printf("%" PRIu64 " clones in %.2f s:", iterations, secs);
    for (int k = 0; k < K_KINDS; k++)
        printf(" %s %lu%s", kind_name[k], count[k], k + 1 < K_KINDS ? "," : "\n");
    printf("signals handled: %lu (%lu while clone was in progress), handler stack errors %lu\n", handled,
           handled_in_clone, handler_stack_bad);
    CHECK(handler_stack_bad == 0, "the handler's stack array was corrupted");
    CHECK(handled >= iterations / 100 + 10, "too few signals arrived (%lu) to call this a storm", handled);
    CHECK(handled_in_clone > 0, "no signal arrived during a clone call");
    printf("PASS: every clone succeeded or failed with EINVAL as it should; canary, callee-saved registers"
#ifdef __x86_64__
           " (rbx rbp r12-r15)"
#else
           " (not checked on this architecture)"
#endif
           " and errno intact\n");
    return 0;
}
