/* A thread-style child through sched_clone3: the full thread flag set with
 * CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_SETTID and
 * CLONE_CHILD_CLEARTID, exit_signal 0, joined by the futex at child_tid.
 * The child runs with the thread pointer given (seen from inside), finds
 * its TID at child_tid, shares our memory and PID; the parent finds the TID
 * at parent_tid. Portable: under qemu-user, which has no clone3, the legacy
 * clone fallback carries it. */
/* sched-clone-test: musl cross */
#include "clone3_common.h"

#define STACK_SIZE (256 * 1024)

struct shared {
    volatile pid_t ctid;   /* CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID */
    uintptr_t tp_seen;     /* the child's thread pointer */
    pid_t ctid_seen;       /* what the child found at ctid */
    pid_t pid_seen;        /* its getpid() */
    volatile int ran;
};

/* Touches no thread-local state: its thread pointer is not a libc TCB. */
static int thread_fn(void *arg)
{
    struct shared *s = arg;
    s->tp_seen = test_thread_pointer();
    s->ctid_seen = s->ctid;
    s->pid_seen = (pid_t)syscall(SYS_getpid);
    s->ran = 1;
    return 0;
}

static struct test_tls tls;

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    static struct shared s;
    pid_t ptid = 0;
    uintptr_t expected_tp;
    void *tls_arg = test_tls_prepare(&tls, &expected_tp);

    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = THREAD_FLAGS | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
              CLONE_CHILD_CLEARTID;
    a.exit_signal = 0;
    set_stack(&a, STACK_SIZE);
    a.tls = ptr64(tls_arg);
    a.parent_tid = ptr64(&ptid);
    a.child_tid = ptr64((const void *)&s.ctid);
    s.ctid = -1; /* nonzero until the kernel sets the TID, then clears it */

    pid_t tid = clone3_fn(&a, sizeof a, thread_fn, &s);
    CHECK(tid > 0, "sched_clone3(thread): %s", strerror(errno));
    CHECK(ptid == tid, "parent_tid holds %d, expected %d", (int)ptid, (int)tid);
    wait_tid_cleared(&s.ctid);

    CHECK(s.ran == 1, "the thread did not run");
    CHECK(s.ctid_seen == tid, "the thread found %d at child_tid, expected %d", (int)s.ctid_seen,
          (int)tid);
    CHECK(s.tp_seen == expected_tp, "thread pointer %#lx, expected %#lx",
          (unsigned long)s.tp_seen, (unsigned long)expected_tp);
    CHECK(s.pid_seen == getpid(), "the thread's PID is %d, ours %d", (int)s.pid_seen, (int)getpid());
    return 0;
}
