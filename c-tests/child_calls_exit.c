/* A child that leaves by calling _exit(7) itself (not by returning from
 * fn) exits with status 7. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    (void)arg;
    _exit(7);
}

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "child status %#x", status);
    return 0;
}
