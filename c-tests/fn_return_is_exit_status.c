/* A fork-like child (SIGCHLD, nothing shared) exits with fn's return value:
 * 42, 0 and 255 come back as WEXITSTATUS. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    return (int)(intptr_t)arg;
}

int main(void)
{
    assert_clone_is_ours();
    static const int values[] = { 42, 0, 255 };
    void *stack = alloc_stack(STACK_SIZE);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), SIGCHLD,
                          (void *)(intptr_t)values[i]);
        CHECK(pid > 0, "clone: %s", strerror(errno));
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(WIFEXITED(status), "the child did not exit normally (status %#x)", status);
        CHECK(WEXITSTATUS(status) == values[i], "fn returned %d, exit status %d", values[i],
              WEXITSTATUS(status));
    }
    return 0;
}
