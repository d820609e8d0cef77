/* A termination signal other than SIGCHLD (here SIGUSR1, in the low byte of
 * flags): the parent receives SIGUSR1 when the child exits, and the child is
 * a "clone" child to wait(2): waitpid() without __WCLONE/__WALL does not see
 * it (ECHILD), with __WCLONE it reaps it. */
/* sched-clone-test: musl */
#include "common.h"
#include <time.h>

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    (void)arg;
    return 3;
}

int main(void)
{
    assert_clone_is_ours();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "sigprocmask: %s", strerror(errno));

    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), SIGUSR1, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    siginfo_t si;
    struct timespec timeout = { 10, 0 };
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    int sig = sigtimedwait(&usr1, &si, &timeout);
    CHECK(sig == SIGUSR1, "no SIGUSR1 at the child's exit: %s", strerror(errno));
    CHECK(si.si_pid == pid, "SIGUSR1 came from %d, not the child %d", (int)si.si_pid, (int)pid);

    sigset_t pending;
    CHECK(sigpending(&pending) == 0, "sigpending: %s", strerror(errno));
    CHECK(!sigismember(&pending, SIGCHLD), "a SIGCHLD is pending too");

    int status;
    errno = 0;
    CHECK(waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD,
          "waitpid without __WCLONE sees the child");
    CHECK(waitpid(pid, &status, __WCLONE) == pid, "waitpid(__WCLONE): %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "child status %#x", status);
    return 0;
}
