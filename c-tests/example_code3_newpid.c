/* The article's CODE-3: clone(CLONE_VM | CLONE_NEWPID | SIGCHLD), as root.
 * The child is the first process of a new PID namespace: getpid() is 1
 * there, while the parent sees it under an ordinary PID. */
/* sched-clone-test: musl */
#include "common.h"

#define STACK_SIZE (1024 * 1024)

static volatile pid_t child_pid_seen;
static volatile pid_t child_ppid_seen = -1;

static int child_function(void *arg)
{
    (void)arg;
    child_pid_seen = getpid();
    child_ppid_seen = getppid(); /* the parent is outside the namespace: 0 */
    printf("Child process created successfully! PID: %d\n", (int)getpid());
    fflush(stdout);
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    need_root();

    void *stack = malloc(STACK_SIZE);
    CHECK(stack != NULL, "malloc failed");
    pid_t pid = clone(child_function, (char *)stack + STACK_SIZE,
                      CLONE_VM | CLONE_NEWPID | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_pid_seen == 1, "the child's getpid() is %d, not 1", (int)child_pid_seen);
    CHECK(child_ppid_seen == 0, "the child's getppid() is %d, not 0", (int)child_ppid_seen);
    CHECK(pid > 1 && pid != getpid(), "clone returned %d", (int)pid);

    free(stack);
    return 0;
}
