/* CLONE_CHILD_CLEARTID: when the child exits, the kernel writes 0 to *ctid
 * and does a FUTEX_WAKE on it. The parent sleeps in FUTEX_WAIT on *ctid
 * (set to the TID by CLONE_PARENT_SETTID before the child runs); the child
 * exits after a delay; the wait must end by a wake (return 0, not a
 * timeout), with *ctid cleared. Should the parent reach its wait only after
 * the child's exit (a loaded machine), the round is repeated with a longer
 * delay. */
/* sched-clone-test: musl */
#include "common.h"
#include <time.h>

#define STACK_SIZE (64 * 1024)

static volatile pid_t ctid;

static int child_function(void *arg)
{
    long delay_ms = (long)(intptr_t)arg;
    struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000 * 1000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    void *stack = alloc_stack(STACK_SIZE);

    for (long delay_ms = 200; delay_ms <= 3200; delay_ms *= 2) {
        ctid = 0;
        pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE),
                          CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
                          (void *)(intptr_t)delay_ms, (pid_t *)&ctid, NULL, (pid_t *)&ctid);
        CHECK(pid > 0, "clone: %s", strerror(errno));

        long woken;
        int wait_errno;
        do {
            struct timespec timeout = { 10, 0 };
            woken = syscall(SYS_futex, &ctid, FUTEX_WAIT, pid, &timeout, NULL, 0);
            wait_errno = errno;
        } while (woken == -1 && wait_errno == EINTR);

        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
        if (woken == -1 && wait_errno == EAGAIN && ctid == 0) {
            printf("the child exited before the parent waited (delay %ld ms): again\n", delay_ms);
            continue;
        }
        CHECK(woken == 0, "FUTEX_WAIT on *ctid was not woken: %s", strerror(wait_errno));
        CHECK(ctid == 0, "*ctid is %d after the wake", (int)ctid);
        return 0;
    }
    CHECK(0, "the parent never reached its FUTEX_WAIT before the child's exit");
}
