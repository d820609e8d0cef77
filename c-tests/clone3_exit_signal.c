/* sched_clone3 passes any exit_signal through: with SIGUSR1 or 64 (the
 * highest signal; on mips 127, the highest glibc can wait for) the parent
 * receives that signal, carrying the child's PID, when the child exits,
 * and the child is a "clone" child that waitpid sees only with
 * __WCLONE/__WALL; with 0 the parent receives no signal at all; 65 (mips:
 * 129, the kernel's _NSIG being 128 there) is EINVAL (no child). The
 * carried status is checked through waitpid. */
#include "clone3_common.h"

#include <time.h>

#define STACK_SIZE (64 * 1024)
#if defined(__mips__)
#define HIGHEST_SIGNAL 127
#define FIRST_INVALID_SIGNAL 129
#else
#define HIGHEST_SIGNAL 64
#define FIRST_INVALID_SIGNAL 65
#endif

static pid_t spawn(sched_clone3_fn clone3_fn, void *stack, uint64_t exit_signal, int code)
{
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.exit_signal = exit_signal;
    a.stack = ptr64(stack);
    a.stack_size = STACK_SIZE;
    return clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)code);
}

static void check_signal(sched_clone3_fn clone3_fn, void *stack, int sig, int code)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "sigprocmask: %s", strerror(errno));

    pid_t tid = spawn(clone3_fn, stack, (uint64_t)sig, code);
    CHECK(tid > 0, "exit_signal %d: %s", sig, strerror(errno));
    siginfo_t info;
    struct timespec timeout = {10, 0};
    memset(&info, 0, sizeof info);
    int got = sigtimedwait(&set, &info, &timeout);
    CHECK(got == sig, "expected signal %d at the child's exit, got %d (%s)", sig, got,
          got < 0 ? strerror(errno) : "");
    /* si_status is not checked here: a 32-bit program on a 64-bit kernel
     * gets a non-SIGCHLD signal's siginfo converted without it. waitpid
     * below reports the status. */
    CHECK(info.si_pid == tid && info.si_code == CLD_EXITED, "signal %d: pid %d, code %d", sig,
          (int)info.si_pid, info.si_code);

    /* A clone child: invisible to a plain waitpid, reaped with __WCLONE. */
    int st = 0;
    errno = 0;
    CHECK(waitpid(tid, &st, WNOHANG) == -1 && errno == ECHILD,
          "waitpid without __WCLONE saw a child whose exit signal is %d", sig);
    CHECK(waitpid(tid, &st, __WCLONE) == tid && WIFEXITED(st) && WEXITSTATUS(st) == code,
          "waitpid(__WCLONE): status 0x%x", st);
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    void *stack = alloc_stack(STACK_SIZE);

    check_signal(clone3_fn, stack, SIGUSR1, 3);
    check_signal(clone3_fn, stack, HIGHEST_SIGNAL, 4);

    /* exit_signal 0: nothing arrives, not even SIGCHLD. */
    sigset_t all;
    sigfillset(&all);
    CHECK(sigprocmask(SIG_BLOCK, &all, NULL) == 0, "sigprocmask: %s", strerror(errno));
    pid_t tid = spawn(clone3_fn, stack, 0, 6);
    CHECK(tid > 0, "exit_signal 0: %s", strerror(errno));
    expect_exit(tid, 6);
    sigset_t pending;
    CHECK(sigpending(&pending) == 0, "sigpending: %s", strerror(errno));
    for (int s = 1; s <= HIGHEST_SIGNAL; s++)
        CHECK(sigismember(&pending, s) != 1, "signal %d is pending after a child with exit_signal 0", s);

    errno = 0;
    CHECK_FAILS(spawn(clone3_fn, stack, FIRST_INVALID_SIGNAL, 0), EINVAL);
    expect_no_children();
    return 0;
}
