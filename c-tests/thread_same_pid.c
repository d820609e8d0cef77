/* CLONE_THREAD (with CLONE_VM | CLONE_SIGHAND and the rest of a pthread's
 * flags): the child is a thread of the caller's thread group. It has the
 * same PID (getpid) and a TID of its own (gettid), clone() returns that TID,
 * and its exit sends no signal to anyone: the kernel ignores the SIGCHLD in
 * the low byte for a thread, so none becomes pending here. Joined through
 * CLONE_CHILD_CLEARTID's futex wake. */
/* sched-clone-test: musl */
#include "common.h"
#include <time.h>

#define STACK_SIZE (64 * 1024)

struct seen { pid_t pid, tid; };

static int thread_fn(void *arg)
{
    struct seen *s = arg;
    s->pid = (pid_t)syscall(SYS_getpid);
    s->tid = (pid_t)syscall(SYS_gettid);
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &chld, NULL) == 0, "sigprocmask: %s", strerror(errno));

    static struct seen s;
    static volatile pid_t ctid;
    void *stack = alloc_stack(STACK_SIZE);
    pid_t tid = clone(thread_fn, stack_top(stack, STACK_SIZE),
                      THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, &s,
                      (pid_t *)&ctid, NULL, (pid_t *)&ctid);
    CHECK(tid > 0, "clone: %s", strerror(errno));
    wait_tid_cleared(&ctid);

    CHECK(s.pid == getpid(), "the thread's getpid() is %d, the caller's %d", (int)s.pid,
          (int)getpid());
    CHECK(s.tid == tid, "the thread's gettid() is %d, clone returned %d", (int)s.tid, (int)tid);
    CHECK(tid != (pid_t)syscall(SYS_gettid), "the thread has the caller's TID");

    /* The exit signal would be sent right after the CLEARTID wake. */
    struct timespec wait = { 0, 300 * 1000 * 1000 };
    errno = 0;
    int sig = sigtimedwait(&chld, NULL, &wait);
    CHECK(sig == -1 && errno == EAGAIN, "a SIGCHLD arrived for the thread (sig %d)", sig);
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD,
          "the thread left a waitable child");
    return 0;
}
