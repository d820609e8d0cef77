/* clone(CLONE_NEWPID | SIGCHLD) through the libc's public clone(): the
 * child is PID 1 of a new namespace, and its exit status arrives. */
#include "mtest.h"
#include <sys/mman.h>

static int child(void *arg)
{
    (void)arg;
    return getpid() == 1 ? 42 : 1;
}

int main(void)
{
    mtest_start();
    if (under_qemu_user())
        mtest_skip("qemu-user accepts only thread-like and fork-like clone flags (no namespaces)");
    size_t size = 256 * 1024;
    char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    CHECK(stack != MAP_FAILED, "mmap");
    pid_t pid = clone(child, stack + size, CLONE_NEWPID | SIGCHLD, NULL);
    if (pid < 0 && (errno == EPERM || errno == EINVAL) && geteuid() != 0)
        mtest_skip("needs CAP_SYS_ADMIN");
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "child status %#x", st);
    return 0;
}
