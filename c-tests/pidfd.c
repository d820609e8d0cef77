/* CLONE_PIDFD: clone() stores a PID file descriptor for the child in the
 * int that the ptid argument points to. poll() on it reports POLLIN exactly
 * when the child has exited: not while it waits on a pipe, and yes after
 * the pipe releases it. Needs Linux 5.2. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#define STACK_SIZE (64 * 1024)

static int release[2];

static int child_function(void *arg)
{
    (void)arg;
    char c;
    return read(release[0], &c, 1) == 1 ? 0 : 1;
}

int main(void)
{
    assert_clone_is_ours();
    CHECK(pipe(release) == 0, "pipe: %s", strerror(errno));

    int pidfd = -1;
    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), CLONE_PIDFD | SIGCHLD, NULL,
                      (pid_t *)&pidfd, NULL, NULL);
    if (pid == -1 && errno == EINVAL)
        test_skip("the kernel has no CLONE_PIDFD (Linux < 5.2)");
    CHECK(pid > 0, "clone: %s", strerror(errno));
    CHECK(pidfd >= 0, "no pidfd stored (%d)", pidfd);
    CHECK(fcntl(pidfd, F_GETFD) & FD_CLOEXEC, "the pidfd is not close-on-exec");

    struct pollfd p = { .fd = pidfd, .events = POLLIN };
    CHECK(poll(&p, 1, 100) == 0, "the pidfd is readable while the child runs (revents %#x)",
          (unsigned)p.revents);

    CHECK(write(release[1], "x", 1) == 1, "write: %s", strerror(errno));
    p.revents = 0;
    CHECK(poll(&p, 1, 10000) == 1 && (p.revents & POLLIN), "the pidfd did not become readable");

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    close(pidfd);
    return 0;
}
