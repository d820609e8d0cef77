/* sched_clone3 rejects bad arguments with -1/EINVAL and creates no child:
 * NULL fn, a size below 64, CLONE_VM without a stack, a stack given by
 * only one of stack/stack_size, a stack top that is NULL once aligned down
 * to 16, and one that overflows; NULL args is the kernel's EFAULT. */
/* sched-clone-test: musl cross */
#include "clone3_common.h"

static volatile int fn_ran;

static int child_fn(void *arg)
{
    (void)arg;
    fn_ran = 1;
    return 0;
}

static struct sched_clone_args fork_like(void *stack, size_t size)
{
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.exit_signal = SIGCHLD;
    a.stack = ptr64(stack);
    a.stack_size = size;
    return a;
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    size_t size = 64 * 1024;
    void *stack = alloc_stack(size);
    struct sched_clone_args a = fork_like(stack, size);

    errno = 0;
    CHECK_FAILS(clone3_fn(NULL, sizeof a, child_fn, NULL), EFAULT);
    errno = 0;
    CHECK_FAILS(clone3_fn(&a, sizeof a, NULL, NULL), EINVAL);
    CHECK_FAILS(clone3_fn(&a, 0, child_fn, NULL), EINVAL);
    CHECK_FAILS(clone3_fn(&a, SCHED_CLONE_ARGS_SIZE_VER0 - 1, child_fn, NULL), EINVAL);

    /* CLONE_VM without a stack: the child would run on the caller's own. */
    a = fork_like(NULL, 0);
    a.flags = CLONE_VM;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_fn, NULL), EINVAL);
    a.flags = CLONE_VM | CLONE_VFORK;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_fn, NULL), EINVAL);

    /* Half a stack. */
    a = fork_like(NULL, size);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_fn, NULL), EINVAL);
    a = fork_like(stack, 0);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_fn, NULL), EINVAL);

    /* A top below 16 aligns down to NULL, as clone() would see it. */
    a = fork_like((void *)1, 8);
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_fn, NULL), EINVAL);
    a.flags = CLONE_VM | CLONE_VFORK;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_fn, NULL), EINVAL);

    /* stack + stack_size wraps around. */
    a = fork_like(stack, 0);
    a.stack_size = UINT64_MAX - a.stack + 2;
    CHECK_FAILS(clone3_fn(&a, sizeof a, child_fn, NULL), EINVAL);

    expect_no_children();
    CHECK(fn_ran == 0, "fn ran");

    /* The same block with a good stack works. */
    a = fork_like(stack, size);
    pid_t tid = clone3_fn(&a, sizeof a, child_fn, NULL);
    CHECK(tid > 0, "a valid call failed: %s", strerror(errno));
    expect_exit(tid, 0);
    return 0;
}
