/* CLONE_SIGHAND (which needs CLONE_VM): the child shares the parent's table
 * of signal handlers. A handler the child installs is the parent's handler
 * afterwards, and runs when the parent receives the signal. */
/* sched-clone-test: musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static volatile sig_atomic_t handled;

static void on_sigusr2(int sig)
{
    (void)sig;
    handled++;
}

static int child_function(void *arg)
{
    (void)arg;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigusr2;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGUSR2, &sa, NULL) == 0 ? 0 : 1;
}

int main(void)
{
    assert_clone_is_ours();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0, "sigaction: %s", strerror(errno));

    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE),
                      CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);

    struct sigaction now;
    CHECK(sigaction(SIGUSR2, NULL, &now) == 0, "sigaction: %s", strerror(errno));
    CHECK(now.sa_handler == on_sigusr2, "the parent's SIGUSR2 handler is not the child's");
    CHECK(raise(SIGUSR2) == 0, "raise: %s", strerror(errno));
    CHECK(handled == 1, "the handler ran %d times in the parent", (int)handled);
    return 0;
}
