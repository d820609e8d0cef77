/* Without CLONE_FS the child's chdir() and umask() do not affect the parent. */
/* sched-clone-test: musl */
#include "common.h"
#include <sys/stat.h>

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    if (chdir((const char *)arg) != 0)
        return 1;
    umask(0027);
    char cwd[256];
    if (getcwd(cwd, sizeof cwd) == NULL || strcmp(cwd, (const char *)arg) != 0)
        return 2;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    char dir[] = "/tmp/sched-clone-fs-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    CHECK(chdir("/") == 0, "chdir: %s", strerror(errno));
    umask(0022);

    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), SIGCHLD, dir);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));

    char cwd[256];
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd: %s", strerror(errno));
    mode_t mask = umask(0022);
    rmdir(dir);

    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(strcmp(cwd, "/") == 0, "the parent's cwd changed to %s", cwd);
    CHECK(mask == 0022, "the parent's umask changed to %03o", (unsigned)mask);
    return 0;
}
