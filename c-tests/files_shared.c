/* CLONE_FILES: the child shares the parent's file descriptor table. A
 * descriptor the child opens is open in the parent afterwards, and one the
 * child closes is closed in the parent. (Fork-like otherwise: no CLONE_VM.) */
/* sched-clone-test: musl */
#include "common.h"
#include <fcntl.h>

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    int to_close = *(int *)arg;
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0 || fd > 250)
        return 254;
    if (close(to_close) != 0)
        return 255;
    return fd; /* the new descriptor, as exit status */
}

int main(void)
{
    assert_clone_is_ours();
    int parents_fd = open("/dev/null", O_RDONLY);
    CHECK(parents_fd >= 0, "open: %s", strerror(errno));
    /* The lowest free descriptor, which the child's open() will take:
     * closed in the parent before the clone. */
    int next_free = dup(parents_fd);
    CHECK(next_free > parents_fd, "dup: %s", strerror(errno));
    CHECK(close(next_free) == 0, "close: %s", strerror(errno));

    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), CLONE_FILES | SIGCHLD,
                      &parents_fd);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) < 250, "child status %#x", status);
    int childs_fd = WEXITSTATUS(status);

    errno = 0;
    CHECK(fcntl(parents_fd, F_GETFD) == -1 && errno == EBADF,
          "fd %d closed by the child is still open in the parent", parents_fd);
    CHECK(childs_fd == next_free, "the child opened fd %d, expected %d", childs_fd, next_free);
    CHECK(fcntl(childs_fd, F_GETFD) != -1, "fd %d opened by the child is not open in the parent",
          childs_fd);
    return 0;
}
