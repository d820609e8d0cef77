/* set_tid through sched_clone3: with CLONE_NEWPID and set_tid {1, P} the
 * child is PID 1 in its new namespace and P in ours; without CLONE_NEWPID,
 * set_tid {P} gives the child PID P; a PID in use is EEXIST. Needs root
 * (CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN). */
#include "clone3_common.h"

#define STACK_SIZE (64 * 1024)

/* Exit 0 if getpid() is the PID `arg` expects. */
static int child_checks_pid(void *arg)
{
    return getpid() == (pid_t)(intptr_t)arg ? 0 : 1;
}

static int pid_max(void)
{
    int v = 32768;
    FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
    if (f) {
        if (fscanf(f, "%d", &v) != 1)
            v = 32768;
        fclose(f);
    }
    return v;
}

/* A PID that is free right now (some other process may still take it;
 * the callers retry on EEXIST). */
static pid_t free_pid(pid_t from)
{
    int max = pid_max();
    for (pid_t p = from; p < max; p++)
        if (kill(p, 0) == -1 && errno == ESRCH)
            return p;
    for (pid_t p = 300; p < from; p++)
        if (kill(p, 0) == -1 && errno == ESRCH)
            return p;
    test_skip("no free PID");
    return -1;
}

/* Clones with set_tid = {tids[0..n-1]}, expecting `expect_in_child` from
 * getpid() in the child; retries with another PID if the one chosen was
 * taken meanwhile. Returns the TID. */
static pid_t spawn_with_tids(sched_clone3_fn clone3_fn, void *stack, uint64_t flags, pid_t *tids,
                             int n, int outer, pid_t expect_in_child)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        struct sched_clone_args a = fork_like_args(flags, stack, STACK_SIZE);
        a.set_tid = ptr64(tids);
        a.set_tid_size = (uint64_t)n;
        pid_t want = expect_in_child ? expect_in_child : tids[outer];
        pid_t tid = clone3_fn(&a, sizeof a, child_checks_pid, (void *)(intptr_t)want);
        if (tid > 0)
            return tid;
        if (errno == EPERM)
            test_skip("set_tid needs CAP_CHECKPOINT_RESTORE in this PID namespace");
        CHECK(errno == EEXIST, "set_tid: %s", strerror(errno));
        tids[outer] = free_pid(tids[outer] + 1);
    }
    CHECK(0, "could not find a free PID in 20 attempts");
    return -1;
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    need_root();
    void *stack = alloc_stack(STACK_SIZE);

    /* PID 1 in a new namespace, and a chosen PID in ours. */
    pid_t tids[2] = {1, free_pid(getpid() + 1000)};
    pid_t tid = spawn_with_tids(clone3_fn, stack, CLONE_NEWPID, tids, 2, 1, 1);
    CHECK(tid == tids[1], "the child is %d in our namespace, not %d", (int)tid, (int)tids[1]);
    expect_exit(tid, 0); /* getpid() was 1 inside */

    /* A chosen PID in our namespace. */
    pid_t one[1] = {free_pid(getpid() + 2000)};
    tid = spawn_with_tids(clone3_fn, stack, 0, one, 1, 0, 0);
    CHECK(tid == one[0], "the child is %d, not %d", (int)tid, (int)one[0]);
    expect_exit(tid, 0); /* getpid() was that PID */

    /* A PID in use. */
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    pid_t mine[1] = {getpid()};
    a.exit_signal = SIGCHLD;
    a.stack = ptr64(stack);
    a.stack_size = STACK_SIZE;
    a.set_tid = ptr64(mine);
    a.set_tid_size = 1;
    errno = 0;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_checks_pid, NULL), EEXIST);
    expect_no_children();
    return 0;
}
