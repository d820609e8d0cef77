/* CLONE_SETTLS: the child starts with its thread pointer set from the tls
 * argument (x86_64: the FS base, read with arch_prctl(ARCH_GET_FS); i686:
 * the %gs segment described by a struct user_desc; aarch64 tpidr_el0, arm
 * TPIDRURO, riscv64 tp, powerpc64le r13, s390x a0:a1), and the caller's own
 * thread pointer is unchanged. The child is a thread (the full pthread flag
 * set, which qemu-user requires for CLONE_VM), joined through
 * CLONE_CHILD_CLEARTID; it uses no libc TLS (see test_tls_prepare). */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

static struct test_tls tls_block;
static volatile uintptr_t child_tp;

static int thread_fn(void *arg)
{
    (void)arg;
    child_tp = test_thread_pointer();
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    uintptr_t expected;
    void *tls = test_tls_prepare(&tls_block, &expected);
    uintptr_t parent_tp = test_thread_pointer();
    CHECK(parent_tp != 0 && parent_tp != expected, "the caller's thread pointer is %#lx",
          (unsigned long)parent_tp);

    static volatile pid_t ctid;
    void *stack = alloc_stack(STACK_SIZE);
    pid_t tid = clone(thread_fn, stack_top(stack, STACK_SIZE),
                      THREAD_FLAGS | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
                      NULL, (pid_t *)&ctid, tls, (pid_t *)&ctid);
    CHECK(tid > 0, "clone: %s", strerror(errno));
    wait_tid_cleared(&ctid);

    CHECK(child_tp == expected, "the child's thread pointer is %#lx, expected %#lx",
          (unsigned long)child_tp, (unsigned long)expected);
    CHECK(test_thread_pointer() == parent_tp, "the caller's thread pointer changed");
    return 0;
}
