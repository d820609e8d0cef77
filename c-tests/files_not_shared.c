/* Without CLONE_FILES the child gets a copy of the descriptor table: a
 * descriptor it opens does not appear in the parent, and one it closes stays
 * open in the parent. */
/* sched-clone-test: musl */
#include "common.h"
#include <fcntl.h>

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    int to_close = *(int *)arg;
    if (close(to_close) != 0)
        return 255;
    int fd = open("/dev/null", O_RDONLY); /* the lowest free slot: to_close's */
    if (fd < 0 || fd > 250)
        return 254;
    int fd2 = open("/dev/null", O_RDONLY); /* a slot free in the parent too */
    return fd2 < 0 || fd2 > 250 ? 253 : fd2;
}

int main(void)
{
    assert_clone_is_ours();
    int parents_fd = open("/dev/null", O_RDONLY);
    CHECK(parents_fd >= 0, "open: %s", strerror(errno));

    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), SIGCHLD, &parents_fd);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) < 250, "child status %#x", status);
    int childs_fd = WEXITSTATUS(status);

    CHECK(fcntl(parents_fd, F_GETFD) != -1,
          "fd %d closed by the child was closed in the parent too", parents_fd);
    errno = 0;
    CHECK(fcntl(childs_fd, F_GETFD) == -1 && errno == EBADF,
          "fd %d opened by the child is open in the parent", childs_fd);
    return 0;
}
