/* sched_clone3's core contract: the child runs fn(arg) on the given stack
 * and its return value is the exit status; with stack and stack_size 0 a
 * fork-like child runs on a copy of the caller's stack; with CLONE_VM |
 * CLONE_VFORK the caller sleeps until the child is done and sees what it
 * wrote; an argument block larger than 88 bytes passes through to the
 * kernel, which takes a zero tail and answers E2BIG for a non-zero one. */
/* sched-clone-test: musl */
#include "clone3_common.h"

#define STACK_SIZE (64 * 1024)

struct probe {
    uintptr_t lo, hi; /* the stack's bounds */
    volatile int seen;
};

/* Exit 0 if a local of this frame lies on the stack in `probe`. */
static int child_checks_stack(void *arg)
{
    struct probe *p = arg;
    volatile char here = 0;
    uintptr_t at = (uintptr_t)&here;
    return at >= p->lo && at < p->hi ? 0 : 1;
}

static int child_writes(void *arg)
{
    struct probe *p = arg;
    p->seen = 42;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    void *stack = alloc_stack(STACK_SIZE);
    struct probe probe = {ptr64(stack), ptr64(stack) + STACK_SIZE, 0};
    struct sched_clone_args a;
    pid_t tid;

    memset(&a, 0, sizeof a);
    a.exit_signal = SIGCHLD;
    a.stack = ptr64(stack);
    a.stack_size = STACK_SIZE;
    tid = clone3_fn(&a, sizeof a, child_checks_stack, &probe);
    CHECK(tid > 0, "sched_clone3: %s", strerror(errno));
    expect_exit(tid, 0);

    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)123);
    CHECK(tid > 0, "sched_clone3: %s", strerror(errno));
    expect_exit(tid, 123);

    /* No stack: fork-like, on a copy of ours. */
    a.stack = 0;
    a.stack_size = 0;
    tid = clone3_fn(&a, sizeof a, child_returns_arg, (void *)(intptr_t)77);
    CHECK(tid > 0, "sched_clone3 without a stack: %s", strerror(errno));
    expect_exit(tid, 77);

    /* vfork-like: by the time the call returns, the child has written. */
    a.flags = CLONE_VM | CLONE_VFORK;
    a.stack = ptr64(stack);
    a.stack_size = STACK_SIZE;
    tid = clone3_fn(&a, sizeof a, child_writes, &probe);
    CHECK(tid > 0, "CLONE_VM|CLONE_VFORK: %s", strerror(errno));
    CHECK(probe.seen == 42, "the parent did not see the vfork child's write");
    expect_exit(tid, 0);

    /* A block larger than the library knows goes to the kernel as is. */
    struct {
        struct sched_clone_args a;
        uint64_t more[3];
    } big;
    memset(&big, 0, sizeof big);
    big.a.exit_signal = SIGCHLD;
    big.a.stack = ptr64(stack);
    big.a.stack_size = STACK_SIZE;
    tid = clone3_fn(&big.a, sizeof big, child_returns_arg, (void *)(intptr_t)9);
    CHECK(tid > 0, "size %zu with a zero tail: %s", sizeof big, strerror(errno));
    expect_exit(tid, 9);
    big.more[2] = 1;
    CHECK_FAILS(clone3_fn(&big.a, sizeof big, child_returns_arg, NULL), E2BIG);
    expect_no_children();
    return 0;
}
