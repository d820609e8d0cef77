/* `__clone`, glibc's other name for clone(), is ours and behaves as clone:
 * a fork-like child's return value 9 is its exit status, and a NULL fn is
 * EINVAL with no child. (dladdr names libsched_clone's `__clone` in the
 * dynamic and preload modes; linked statically it sits next to
 * sched_clone_version.) */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

extern int __clone(int (*)(void *), void *, int, void *, ...);

static int child_function(void *arg)
{
    return (int)(intptr_t)arg;
}

int main(void)
{
    assert_clone_is_ours();
    const void *addr = (const void *)&__clone;
#if defined(SCHED_CLONE_MODE_DYNAMIC) || defined(SCHED_CLONE_MODE_PRELOAD)
    Dl_info info;
    CHECK(dladdr(addr, &info) != 0 && info.dli_fname != NULL, "dladdr(__clone) failed");
    CHECK(strstr(info.dli_fname, "libsched_clone") != NULL, "__clone comes from %s",
          info.dli_fname);
    CHECK(info.dli_sname != NULL && strcmp(info.dli_sname, "__clone") == 0,
          "the symbol at __clone's address is %s", info.dli_sname ? info.dli_sname : "(none)");
#else
    CHECK(code_distance(addr, (const void *)&clone) < 65536,
          "__clone is %zu bytes away from our clone", (size_t)code_distance(addr, (const void *)&clone));
#endif

    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = __clone(child_function, stack_top(stack, STACK_SIZE), SIGCHLD, (void *)(intptr_t)9);
    CHECK(pid > 0, "__clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9, "child status %#x", status);

    int (*null_fn)(void *) = NULL;
    errno = 0;
    int ret = __clone(null_fn, stack_top(stack, STACK_SIZE), SIGCHLD, NULL);
    int err = errno;
    CHECK(ret == -1 && err == EINVAL, "__clone(NULL fn): %d, errno %d (%s)", ret, err,
          strerror(err));
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD,
          "__clone(NULL fn) created a child");
    return 0;
}
