/* clone() with a NULL fn fails with EINVAL, as glibc's does, and creates no
 * child: afterwards this process has no child of any kind. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);
    int (*null_fn)(void *) = NULL;
    /* Fork-like: were the call to reach the kernel, it would succeed. */
    errno = 0;
    int ret = clone(null_fn, stack_top(stack, STACK_SIZE), SIGCHLD, NULL);
    int err = errno;
    CHECK(ret == -1, "clone(NULL fn) returned %d", ret);
    CHECK(err == EINVAL, "errno is %d (%s), not EINVAL", err, strerror(err));

    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD,
          "clone(NULL fn) created a child");
    return 0;
}
