/* A child that itself calls clone(): the grandchild returns 21, the child
 * waits for it and returns twice the grandchild's exit status, and this
 * process sees 42. Fork-like at both levels; each level has its own stack. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static void *grandchild_stack;

static int grandchild_function(void *arg)
{
    (void)arg;
    return 21;
}

static int child_function(void *arg)
{
    (void)arg;
    pid_t pid = clone(grandchild_function, stack_top(grandchild_stack, STACK_SIZE), SIGCHLD, NULL);
    if (pid <= 0)
        return 1;
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return 2;
    return 2 * WEXITSTATUS(status);
}

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);
    grandchild_stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42,
          "child status %#x (1: the nested clone failed, 2: its wait failed)", status);
    return 0;
}
