/* CLONE_VM | CLONE_VFORK | SIGCHLD: the parent is suspended until the child
 * exits. The child sleeps, then writes a shared variable and returns; when
 * clone() returns in the parent, the variable is already written and the
 * sleep's time has passed. (The kernel wakes the parent when the child
 * releases the memory in exit_mm, a moment before the child becomes a
 * zombie, so the child's status is not necessarily waitable yet.) */
/* sched-clone-test: musl */
#include "common.h"
#include <time.h>

#define STACK_SIZE (64 * 1024)
#define CHILD_SLEEP_MS 200

static volatile int written;

static int child_function(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, CHILD_SLEEP_MS * 1000 * 1000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    written = 1;
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);
    double start = now_ms();
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE),
                      CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
    double elapsed = now_ms() - start;
    int seen = written;
    CHECK(pid > 0, "clone: %s", strerror(errno));
    CHECK(seen == 1, "clone returned before the child wrote (after %.0f ms)", elapsed);
    CHECK(elapsed >= CHILD_SLEEP_MS * 0.9, "clone returned after %.0f ms only", elapsed);

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    return 0;
}
