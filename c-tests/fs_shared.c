/* CLONE_FS: the child shares the parent's filesystem information: its
 * chdir() and umask() change the parent's working directory and umask. */
/* sched-clone-test: musl */
#include "common.h"
#include <sys/stat.h>

#define STACK_SIZE (64 * 1024)

static int child_function(void *arg)
{
    if (chdir((const char *)arg) != 0)
        return 1;
    umask(0027);
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
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE), CLONE_FS | SIGCHLD, dir);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));

    char cwd[256];
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd: %s", strerror(errno));
    mode_t mask = umask(0022);
    CHECK(chdir("/") == 0, "chdir: %s", strerror(errno));
    rmdir(dir);

    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(strcmp(cwd, dir) == 0, "the parent's cwd is %s, not the child's %s", cwd, dir);
    CHECK(mask == 0027, "the parent's umask is %03o, not the child's 027", (unsigned)mask);
    return 0;
}
