/* sched_clone3 when clone3 answers ENOSYS (a seccomp filter, in a forked
 * test process): the request is carried out with the legacy clone (the
 * child runs, its exit status is right, CLONE_PIDFD still yields a working
 * pidfd, a stackless fork-like child and a vfork-like child work); what
 * clone cannot express fails with ENOSYS and creates no child; clone3's own
 * argument rules still apply (EINVAL, E2BIG); and the ENOSYS is cached: a
 * second filter then makes clone3 kill the process, which survives every
 * later call that clone can express only if sched_clone3 never issues
 * clone3 again for it. */
#define CLONE3_TEST_SECCOMP
#include "clone3_common.h"

#include <poll.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define STACK_SIZE (256 * 1024)

static sched_clone3_fn clone3_fn;

static volatile int vfork_child_ran;

static int child_sets_flag(void *arg)
{
    (void)arg;
    vfork_child_ran = 1; /* CLONE_VM: the parent's memory */
    return 0;
}

/* The pidfd must refer to `tid`: /proc/self/fdinfo says which PID it is. */
static void check_pidfd_names(int pidfd, pid_t tid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open %s: %s", path, strerror(errno));
    int found = -2;
    while (fgets(buf, sizeof buf, f))
        if (sscanf(buf, "Pid: %d", &found) == 1)
            break;
    fclose(f);
    CHECK(found == tid, "pidfd %d names PID %d, expected %d", pidfd, found, (int)tid);
}

static int body(void)
{
    void *stack = alloc_stack(STACK_SIZE);
    struct sched_clone_args a;
    pid_t tid;

    filter_clone3(SECCOMP_RET_ERRNO | ENOSYS);
    errno = 0;
    CHECK(syscall(SYS_clone3, NULL, (size_t)0) == -1 && errno == ENOSYS,
          "the filter does not make clone3 fail with ENOSYS (errno %d)", errno);

    /* The first call meets the ENOSYS and falls back. */
    a = fork_like_args(0, stack, STACK_SIZE);
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)7);
    CHECK(tid > 0, "sched_clone3 under ENOSYS: %s", strerror(errno));
    expect_exit(tid, 7);

    /* What the legacy call cannot express: ENOSYS, no child. */
    pid_t set_tid[1] = {1};
    int pidfd = -1;
    pid_t ptid = 0;
    a = fork_like_args(CLONE_INTO_CGROUP, stack, STACK_SIZE);
    a.cgroup = 0;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), ENOSYS);
    a = fork_like_args(CLONE_CLEAR_SIGHAND, stack, STACK_SIZE);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), ENOSYS);
    a = fork_like_args(CLONE_NEWTIME, stack, STACK_SIZE);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), ENOSYS);
    a = fork_like_args(CLONE_NEWPID, stack, STACK_SIZE);
    a.set_tid = ptr64(set_tid);
    a.set_tid_size = 1;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), ENOSYS);
    a = fork_like_args(CLONE_PIDFD | CLONE_PARENT_SETTID, stack, STACK_SIZE);
    a.pidfd = ptr64(&pidfd);
    a.parent_tid = ptr64(&ptid);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), ENOSYS);
    /* What clone3 itself rejects, with clone3's errno. */
    a = fork_like_args(1ULL << 40, stack, STACK_SIZE);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EINVAL);
    a = fork_like_args(CLONE_PIDFD | CLONE_PARENT_SETTID, stack, STACK_SIZE);
    a.pidfd = a.parent_tid = ptr64(&pidfd);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EINVAL);
    a = fork_like_args(CLONE_INTO_CGROUP, stack, STACK_SIZE); /* cgroup needs the 88-byte size */
    CHECK_FAILS(clone3_fn(&a, SCHED_CLONE_ARGS_SIZE_VER1, child_returns_arg, NULL), EINVAL);
    expect_no_children();


    /* From here on clone3 kills the process (the strictest filter wins):
     * what the legacy call can express must not ask clone3 again (what it
     * cannot, above, would: another thread may have no filter). */
    filter_clone3(SECCOMP_RET_KILL_PROCESS);

    /* CLONE_PIDFD through the legacy call: the pidfd lands in args.pidfd. */
    pidfd = -1;
    a = fork_like_args(CLONE_PIDFD, stack, STACK_SIZE);
    a.pidfd = ptr64(&pidfd);
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)9);
    CHECK(tid > 0, "CLONE_PIDFD under ENOSYS: %s", strerror(errno));
    CHECK(pidfd >= 0, "no pidfd (%d)", pidfd);
    check_pidfd_names(pidfd, tid);
    struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
    CHECK(poll(&pfd, 1, 10000) == 1 && (pfd.revents & POLLIN), "the pidfd never became readable");
    siginfo_t info;
    memset(&info, 0, sizeof info);
    CHECK(waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) == 0, "waitid(P_PIDFD): %s",
          strerror(errno));
    CHECK(info.si_pid == tid && info.si_code == CLD_EXITED && info.si_status == 9,
          "waitid: pid %d code %d status %d", (int)info.si_pid, info.si_code, info.si_status);
    close(pidfd);

    /* CLONE_PARENT_SETTID alone goes through too. */
    ptid = 0;
    a = fork_like_args(CLONE_PARENT_SETTID, stack, STACK_SIZE);
    a.parent_tid = ptr64(&ptid);
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)3);
    CHECK(tid > 0 && ptid == tid, "CLONE_PARENT_SETTID: tid %d, ptid %d", (int)tid, (int)ptid);
    expect_exit(tid, 3);

    /* No stack: the child runs on its copy of the caller's stack. */
    a = fork_like_args(0, NULL, STACK_SIZE);
    a.stack_size = 0;
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)11);
    CHECK(tid > 0, "stackless fork-like child: %s", strerror(errno));
    expect_exit(tid, 11);

    /* vfork-like: the child writes the parent's memory before it returns. */
    a = fork_like_args(CLONE_VM | CLONE_VFORK, stack, STACK_SIZE);
    tid = clone3_fn(&a, sizeof a, child_sets_flag, NULL);
    CHECK(tid > 0 && vfork_child_ran == 1, "CLONE_VM|CLONE_VFORK: tid %d, ran %d", (int)tid,
          vfork_child_ran);
    expect_exit(tid, 0);

    /* exit_signal 0 and a size larger than the library knows, zero-filled. */
    struct {
        struct sched_clone_args a;
        uint64_t more[2];
    } big;
    memset(&big, 0, sizeof big);
    big.a = fork_like_args(0, stack, STACK_SIZE);
    big.a.exit_signal = 0;
    tid = clone3_fn(&big.a, sizeof big, child_returns_arg, (void *)(intptr_t)5);
    CHECK(tid > 0, "size %zu with a zero tail: %s", sizeof big, strerror(errno));
    expect_exit(tid, 5);

    /* clone3's own rules, which the legacy call would not apply. */
    a = fork_like_args(0, stack, STACK_SIZE);
#if defined(__mips__)
    a.exit_signal = 129; /* the kernel's _NSIG is 128 there */
#else
    a.exit_signal = 65;
#endif
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EINVAL);
    a = fork_like_args(SIGCHLD, stack, STACK_SIZE); /* an exit signal inside flags */
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EINVAL);
    a = fork_like_args(0, stack, STACK_SIZE);
    a.set_tid_size = 1; /* without set_tid */
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EINVAL);
    a = fork_like_args(CLONE_PARENT, stack, STACK_SIZE); /* CLONE_PARENT with an exit signal */
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_returns_arg, NULL), EINVAL);
    big.a = fork_like_args(0, stack, STACK_SIZE);
    big.more[1] = 1;
    CHECK_FAILS(clone3_fn(&big.a, sizeof big, child_returns_arg, NULL), E2BIG);
    CHECK_FAILS(clone3_fn(&big.a, (size_t)sysconf(_SC_PAGESIZE) + 8, child_returns_arg, NULL), E2BIG);
    expect_no_children();

    /* Still alive: no clone3 was issued after the first ENOSYS. */
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    clone3_fn = our_sched_clone3();
    run_in_forked_process(body);
}
