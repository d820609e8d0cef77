/* CLONE_CHILD_SETTID: the kernel stores the child's TID in *ctid in the
 * child's memory before the child runs. With CLONE_VM that memory is the
 * parent's too: the child finds its own TID there first thing, and the
 * parent sees it after the child exits. */
/* sched-clone-test: musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static volatile pid_t ctid;
static volatile pid_t child_saw_ctid = -1, child_tid = -1;

static int child_function(void *arg)
{
    (void)arg;
    child_saw_ctid = ctid;
    child_tid = (pid_t)syscall(SYS_gettid);
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE),
                      CLONE_VM | CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL, NULL, (pid_t *)&ctid);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_tid == pid, "the child's TID is %d, clone returned %d", (int)child_tid, (int)pid);
    CHECK(child_saw_ctid == pid, "the child found *ctid = %d at its start", (int)child_saw_ctid);
    CHECK(ctid == pid, "*ctid is %d after the child exited", (int)ctid);
    return 0;
}
