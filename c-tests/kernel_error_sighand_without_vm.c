/* CLONE_SIGHAND without CLONE_VM: the kernel's EINVAL comes back as -1 with
 * errno EINVAL, and no child exists afterwards. (Under qemu-user, which
 * rejects this flag set itself with EINVAL, the answer is the same.) */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    (void)arg;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);
    errno = 0;
    int ret = clone(child_function, stack_top(stack, STACK_SIZE), CLONE_SIGHAND | SIGCHLD, NULL);
    int err = errno;
    CHECK(ret == -1, "clone returned %d", ret);
    CHECK(err == EINVAL, "errno %d (%s), not EINVAL", err, strerror(err));
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD, "a child was created");
    return 0;
}
