/* sched_clone3 when clone3 answers EPERM (a seccomp filter, in a forked
 * test process): by default the request is carried out with the legacy
 * clone (the child runs, CLONE_PIDFD yields a working pidfd); a request
 * that needs clone3 gets the kernel's EPERM back, never a masking ENOSYS;
 * with sched_clone3_set_eperm_fallback(0) every call returns clone3's EPERM
 * as is (which also shows that EPERM is not cached as "no clone3"), and
 * turning the fallback back on restores it. */
#define CLONE3_TEST_SECCOMP
#include "clone3_common.h"

#include <poll.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define STACK_SIZE (256 * 1024)

static sched_clone3_fn clone3_fn;
static eperm_switch_fn set_eperm_fallback;

static int body(void)
{
    void *stack = alloc_stack(STACK_SIZE);
    struct sched_clone_args a;
    pid_t tid;

    filter_clone3(SECCOMP_RET_ERRNO | EPERM);
    errno = 0;
    CHECK(syscall(SYS_clone3, NULL, (size_t)0) == -1 && errno == EPERM,
          "the filter does not make clone3 fail with EPERM (errno %d)", errno);

    /* The fallback is on by default. */
    a = fork_like_args(0, stack, STACK_SIZE);
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)7);
    CHECK(tid > 0, "sched_clone3 under EPERM: %s", strerror(errno));
    expect_exit(tid, 7);

    /* CLONE_PIDFD through the legacy call. */
    int pidfd = -1;
    a = fork_like_args(CLONE_PIDFD, stack, STACK_SIZE);
    a.pidfd = ptr64(&pidfd);
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)9);
    CHECK(tid > 0 && pidfd >= 0, "CLONE_PIDFD under EPERM: tid %d, pidfd %d, %s", (int)tid, pidfd,
          strerror(errno));
    struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
    CHECK(poll(&pfd, 1, 10000) == 1 && (pfd.revents & POLLIN), "the pidfd never became readable");
    siginfo_t info;
    memset(&info, 0, sizeof info);
    CHECK(waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) == 0, "waitid(P_PIDFD): %s",
          strerror(errno));
    CHECK(info.si_pid == tid && info.si_code == CLD_EXITED && info.si_status == 9,
          "waitid: pid %d code %d status %d", (int)info.si_pid, info.si_code, info.si_status);
    close(pidfd);

    /* Requests that need clone3: its EPERM, as the kernel gave it. */
    pid_t set_tid[1] = {1}, ptid = 0;
    a = fork_like_args(CLONE_INTO_CGROUP, stack, STACK_SIZE);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EPERM);
    a = fork_like_args(CLONE_CLEAR_SIGHAND, stack, STACK_SIZE);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EPERM);
    a = fork_like_args(CLONE_NEWTIME, stack, STACK_SIZE);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EPERM);
    a = fork_like_args(CLONE_NEWPID, stack, STACK_SIZE);
    a.set_tid = ptr64(set_tid);
    a.set_tid_size = 1;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EPERM);
    a = fork_like_args(CLONE_PIDFD | CLONE_PARENT_SETTID, stack, STACK_SIZE);
    a.pidfd = ptr64(&pidfd);
    a.parent_tid = ptr64(&ptid);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EPERM);
    expect_no_children();

    /* The switch off: clone3's EPERM as is, no child. */
    CHECK(set_eperm_fallback(0) == 1, "the EPERM fallback was not on by default");
    a = fork_like_args(0, stack, STACK_SIZE);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EPERM);
    a = fork_like_args(CLONE_PIDFD, stack, STACK_SIZE);
    pidfd = -1;
    a.pidfd = ptr64(&pidfd);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EPERM);
    CHECK(pidfd == -1, "a failed call wrote a pidfd (%d)", pidfd);
    expect_no_children();

    /* And on again. */
    CHECK(set_eperm_fallback(1) == 0, "the switch did not report 'off'");
    a = fork_like_args(0, stack, STACK_SIZE);
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)4);
    CHECK(tid > 0, "sched_clone3 with the fallback back on: %s", strerror(errno));
    expect_exit(tid, 4);
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    clone3_fn = our_sched_clone3();
    set_eperm_fallback = our_eperm_switch();
    run_in_forked_process(body);
}
