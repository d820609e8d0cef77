/* CLONE_CLEAR_SIGHAND through sched_clone3: the child starts with every
 * caught signal reset to its default (SIGUSR1, caught by the parent, kills
 * the child) while ignored signals stay ignored (SIGUSR2); without the flag
 * the child inherits the handler; the parent keeps its own; CLONE_SIGHAND
 * with CLONE_CLEAR_SIGHAND is EINVAL. */
#include "clone3_common.h"

#define STACK_SIZE (64 * 1024)

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
    (void)sig;
    caught++;
}

/* Reports the dispositions it starts with, then sends itself SIGUSR2
 * (ignored either way) and SIGUSR1. Exit 0: handler kept and ran;
 * 1: SIGUSR1 is not what `arg` expects; 2: SIGUSR2 no longer ignored. */
static int child_probe(void *arg)
{
    int expect_default = (int)(intptr_t)arg;
    struct sigaction usr1, usr2;
    sigaction(SIGUSR1, NULL, &usr1);
    sigaction(SIGUSR2, NULL, &usr2);
    if (usr2.sa_handler != SIG_IGN)
        return 2;
    if (expect_default ? usr1.sa_handler != SIG_DFL : usr1.sa_handler != on_usr1)
        return 1;
    /* kill(), not raise(): glibc's raise() would use the TID cached in the
     * TCB, which in a clone child is still the parent's. */
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    return caught == 1 ? 0 : 3;
}

static pid_t spawn(sched_clone3_fn clone3_fn, void *stack, uint64_t flags, int expect_default)
{
    struct sched_clone_args a = fork_like_args(flags, stack, STACK_SIZE);
    return clone3_fn(&a, sizeof a, child_probe, (void *)(intptr_t)expect_default);
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    void *stack = alloc_stack(STACK_SIZE);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
    CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR, "signal: %s", strerror(errno));

    pid_t tid = spawn(clone3_fn, stack, CLONE_CLEAR_SIGHAND, 1);
    CHECK(tid > 0, "CLONE_CLEAR_SIGHAND: %s", strerror(errno));
    int st = wait_child(tid);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1,
          "the child should die of SIGUSR1 (default action); wait status 0x%x", st);

    tid = spawn(clone3_fn, stack, 0, 0);
    CHECK(tid > 0, "without CLONE_CLEAR_SIGHAND: %s", strerror(errno));
    expect_exit(tid, 0);

    struct sigaction now;
    CHECK(sigaction(SIGUSR1, NULL, &now) == 0 && now.sa_handler == on_usr1,
          "the parent lost its handler");

    errno = 0;
    CHECK_FAILS(spawn(clone3_fn, stack, CLONE_VM | CLONE_SIGHAND | CLONE_CLEAR_SIGHAND, 1), EINVAL);
    expect_no_children();
    return 0;
}
