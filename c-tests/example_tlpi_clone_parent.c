/* TLPI 28.2: CLONE_PARENT makes the child's parent the caller's parent.
 * This test process forks an intermediate, which clones a child with
 * CLONE_PARENT | SIGCHLD. The child reports getppid() through one pipe;
 * the intermediate reports the child's PID through another and exits. The
 * child must name this test process (its grandparent by the call graph) as
 * its parent, and this process, not the intermediate, reaps it. */
/* sched-clone-test: musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static int ppid_pipe[2], pid_pipe[2];

static int child_function(void *arg)
{
    (void)arg;
    pid_t ppid = getppid();
    return write(ppid_pipe[1], &ppid, sizeof ppid) == sizeof ppid ? 0 : 1;
}

int main(void)
{
    assert_clone_is_ours();
    CHECK(pipe(ppid_pipe) == 0 && pipe(pid_pipe) == 0, "pipe: %s", strerror(errno));

    pid_t intermediate = fork();
    CHECK(intermediate != -1, "fork: %s", strerror(errno));
    if (intermediate == 0) {
        void *stack = alloc_stack(STACK_SIZE);
        pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE),
                          CLONE_PARENT | SIGCHLD, NULL);
        if (write(pid_pipe[1], &pid, sizeof pid) != sizeof pid)
            _exit(2);
        _exit(pid > 0 ? 0 : 1);
    }
    close(ppid_pipe[1]);
    close(pid_pipe[1]);

    pid_t child = 0, child_ppid = 0;
    CHECK(read(pid_pipe[0], &child, sizeof child) == sizeof child, "no PID from the intermediate");
    int status;
    CHECK(waitpid(intermediate, &status, 0) == intermediate, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the intermediate's clone failed");
    CHECK(child > 0, "clone returned %d", (int)child);

    CHECK(read(ppid_pipe[0], &child_ppid, sizeof child_ppid) == sizeof child_ppid,
          "no getppid() from the child");
    CHECK(child_ppid == getpid(), "the child's parent is %d, not this process %d",
          (int)child_ppid, (int)getpid());
    CHECK(waitpid(child, &status, 0) == child, "this process cannot reap the child: %s",
          strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    return 0;
}
