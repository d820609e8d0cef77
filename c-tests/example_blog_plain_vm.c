/* The blog's example: clone(fn, stack, CLONE_VM, 0), no termination signal.
 * The child prints its PID and records it in the memory it shares with the
 * parent. A child that signals nothing on exit is a "clone" child to
 * wait(2): only waitpid() with __WALL (or __WCLONE) reaps it. */
/* sched-clone-test: musl */
#include "common.h"

#define STACK 8192

static volatile pid_t child_pid_seen;

static int do_something(void *arg)
{
    (void)arg;
    char line[64];
    int len;
    child_pid_seen = getpid();
    /* write(2), not printf: without CLONE_SETTLS the child shares the
     * parent's thread pointer, so glibc's stdio and malloc would take it
     * for the parent's thread and their locks would not keep the two
     * apart (with glibc's clone as with ours). */
    len = snprintf(line, sizeof line, "Child pid : %d\n", (int)getpid());
    if (write(STDOUT_FILENO, line, (size_t)len) != len)
        return 1;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();

    void *stack = malloc(STACK);
    CHECK(stack != NULL, "malloc failed");

    pid_t pid = clone(&do_something, (char *)stack + STACK, CLONE_VM, 0);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    printf("Parent pid : %d\n", (int)getpid());

    int status;
    CHECK(waitpid(pid, &status, __WALL) == pid, "waitpid(__WALL): %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_pid_seen == pid, "the child saw PID %d, clone returned %d",
          (int)child_pid_seen, (int)pid);

    free(stack);
    return 0;
}
