/* libsched_clone.a and another Rust staticlib (other-staticlib, with std)
 * in one C program: it links (no duplicate rust_eh_personality) and both
 * work: our clone runs a fork-like child, the other library unwinds and
 * catches a panic, which needs the real personality routine, not ours. */
#include "common.h"

int other_digits(uint64_t n);

static int child_fn(void *arg)
{
    return (int)(intptr_t)arg;
}

int main(void)
{
    assert_clone_is_ours();
    size_t size = 64 * 1024;
    void *base = alloc_stack(size);
    pid_t pid = clone(child_fn, stack_top(base, size), SIGCHLD, (void *)(intptr_t)42);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "child status %#x", status);
    CHECK(other_digits(12345) == 5, "other_digits(12345) = %d", other_digits(12345));
    CHECK(other_digits(0) == 1, "other_digits(0) = %d", other_digits(0));
    puts("two_staticlibs: ok");
    return 0;
}
