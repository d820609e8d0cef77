/* clone() with a stack that is NULL once aligned down to 16 bytes (NULL
 * itself, 1, 15) fails with EINVAL before any syscall and creates no
 * child. The flags are fork-like, for which the kernel itself would accept a
 * zero stack (the child would run on a copy of the caller's): only the
 * wrapper's check stands between these calls and a child. */
/* sched-clone-test: cross musl */
#include "common.h"

static int child_function(void *arg)
{
    (void)arg;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    static const uintptr_t stacks[] = { 0, 1, 8, 15 };
    for (size_t i = 0; i < sizeof stacks / sizeof stacks[0]; i++) {
        errno = 0;
        int ret = clone(child_function, (void *)stacks[i], SIGCHLD, NULL);
        int err = errno;
        CHECK(ret == -1, "clone(stack %p) returned %d", (void *)stacks[i], ret);
        CHECK(err == EINVAL, "clone(stack %p): errno %d (%s), not EINVAL", (void *)stacks[i],
              err, strerror(err));
    }
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD,
          "a bad stack created a child");
    return 0;
}
