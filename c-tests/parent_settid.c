/* CLONE_PARENT_SETTID: the kernel stores the child's TID in *ptid before
 * either side runs on. With CLONE_VM the child reads *ptid first thing: it
 * already holds the child's own TID, which clone() also returns. */
/* sched-clone-test: musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static volatile pid_t ptid;
static volatile pid_t child_saw_ptid = -1, child_tid = -1;

static int child_function(void *arg)
{
    (void)arg;
    child_saw_ptid = ptid;
    child_tid = (pid_t)syscall(SYS_gettid);
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE),
                      CLONE_VM | CLONE_PARENT_SETTID | SIGCHLD, NULL, (pid_t *)&ptid, NULL, NULL);
    pid_t ptid_at_return = ptid;
    CHECK(pid > 0, "clone: %s", strerror(errno));
    CHECK(ptid_at_return == pid, "*ptid is %d when clone returns %d", (int)ptid_at_return, (int)pid);

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_tid == pid, "the child's TID is %d, clone returned %d", (int)child_tid, (int)pid);
    CHECK(child_saw_ptid == pid, "the child found *ptid = %d at its start", (int)child_saw_ptid);
    return 0;
}
