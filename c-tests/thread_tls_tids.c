/* A pthread-style thread: the full thread flag set with CLONE_SETTLS,
 * CLONE_PARENT_SETTID, CLONE_CHILD_SETTID and CLONE_CHILD_CLEARTID, joined
 * by a futex wait on *ctid. Checks: fn got its argument; the child's thread
 * pointer holds the tls value given; *ptid held the TID when clone()
 * returned; *ctid held it in the child; the kernel cleared *ctid at exit;
 * the child is a thread of this process with a TID of its own. Portable
 * across every architecture we support (see test_thread_pointer). */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

struct report {
    void *arg;
    uintptr_t tp;
    pid_t ctid_seen, tid, pid;
};

static struct test_tls tls_block;
static struct report report;
static volatile pid_t ptid, ctid;

static int thread_fn(void *arg)
{
    report.arg = arg;
    report.tp = test_thread_pointer();
    report.ctid_seen = ctid;
    report.tid = (pid_t)syscall(SYS_gettid);
    report.pid = (pid_t)syscall(SYS_getpid);
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    uintptr_t expected;
    void *tls = test_tls_prepare(&tls_block, &expected);
    static int token;

    void *stack = alloc_stack(STACK_SIZE);
    pid_t tid = clone(thread_fn, stack_top(stack, STACK_SIZE),
                      THREAD_FLAGS | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
                          CLONE_CHILD_CLEARTID,
                      &token, (pid_t *)&ptid, tls, (pid_t *)&ctid);
    pid_t ptid_at_return = ptid;
    CHECK(tid > 0, "clone: %s", strerror(errno));
    CHECK(ptid_at_return == tid, "*ptid is %d when clone returns %d", (int)ptid_at_return,
          (int)tid);

    /* ctid is 0 until the kernel sets it in the child, then 0 again at its
     * exit: wait for the thread's report before waiting for the clear. */
    while (__atomic_load_n(&report.pid, __ATOMIC_ACQUIRE) == 0 && ctid == 0)
        sched_yield();
    wait_tid_cleared(&ctid);

    CHECK(report.arg == &token, "fn got %p, not %p", report.arg, (void *)&token);
    CHECK(report.tp == expected, "the thread pointer is %#lx, expected %#lx",
          (unsigned long)report.tp, (unsigned long)expected);
    CHECK(report.ctid_seen == tid, "*ctid was %d in the child, TID %d", (int)report.ctid_seen,
          (int)tid);
    CHECK(report.tid == tid, "the child's gettid() is %d, clone returned %d", (int)report.tid,
          (int)tid);
    CHECK(report.pid == getpid(), "the child's getpid() is %d, not %d", (int)report.pid,
          (int)getpid());
    CHECK(ctid == 0, "*ctid is %d after the exit", (int)ctid);
    return 0;
}
