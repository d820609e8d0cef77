/* The article's CODE-1: clone(CLONE_VM | SIGCHLD), then waitpid().
 * The child prints its PID like the article's child_function, and stores it
 * in memory it shares with the parent (CLONE_VM): the parent checks that the
 * child really ran, that its PID is what clone() returned, and that it
 * exited with status 0. */
/* sched-clone-test: musl */
#include "common.h"

#define STACK_SIZE (1024 * 1024)

static volatile pid_t child_pid_seen;

static int child_function(void *arg)
{
    (void)arg;
    child_pid_seen = getpid();
    printf("Child process created successfully! PID: %d\n", (int)getpid());
    fflush(stdout); /* the child leaves through SYS_exit, which never flushes */
    return 0;
}

int main(void)
{
    assert_clone_is_ours();

    void *stack = malloc(STACK_SIZE);
    CHECK(stack != NULL, "malloc failed");

    pid_t pid = clone(child_function, (char *)stack + STACK_SIZE, CLONE_VM | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_pid_seen == pid, "the child saw PID %d, clone returned %d",
          (int)child_pid_seen, (int)pid);
    CHECK(pid != getpid(), "the child has the parent's PID");

    free(stack);
    return 0;
}
