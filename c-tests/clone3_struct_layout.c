/* struct sched_clone_args is the kernel's struct clone_args: same size,
 * alignment, field offsets and field sizes, and the SCHED_CLONE_ARGS_SIZE_*
 * constants are the kernel's CLONE_ARGS_SIZE_VER* (checked at compile
 * time). At run time, a block built as the kernel's struct clone_args
 * works when given to sched_clone3 at each published size. */
#define _GNU_SOURCE
#include <linux/sched.h>

#include "clone3_common.h"

_Static_assert(sizeof(struct sched_clone_args) == sizeof(struct clone_args), "size");
_Static_assert(_Alignof(struct sched_clone_args) == _Alignof(struct clone_args), "alignment");
_Static_assert(sizeof(struct sched_clone_args) == SCHED_CLONE_ARGS_SIZE_VER2, "size VER2");
_Static_assert(SCHED_CLONE_ARGS_SIZE_VER0 == CLONE_ARGS_SIZE_VER0, "VER0");
_Static_assert(SCHED_CLONE_ARGS_SIZE_VER1 == CLONE_ARGS_SIZE_VER1, "VER1");
_Static_assert(SCHED_CLONE_ARGS_SIZE_VER2 == CLONE_ARGS_SIZE_VER2, "VER2");

#define FIELD_SIZE(type, f) sizeof(((struct type *)0)->f)
#define SAME_FIELD(f)                                                                   \
    _Static_assert(offsetof(struct sched_clone_args, f) == offsetof(struct clone_args, f), \
                   #f " offset");                                                       \
    _Static_assert(FIELD_SIZE(sched_clone_args, f) == FIELD_SIZE(clone_args, f) &&      \
                       FIELD_SIZE(sched_clone_args, f) == 8,                            \
                   #f " size")
SAME_FIELD(flags);
SAME_FIELD(pidfd);
SAME_FIELD(child_tid);
SAME_FIELD(parent_tid);
SAME_FIELD(exit_signal);
SAME_FIELD(stack);
SAME_FIELD(stack_size);
SAME_FIELD(tls);
SAME_FIELD(set_tid);
SAME_FIELD(set_tid_size);
SAME_FIELD(cgroup);

/* Each published size ends right after its last field. */
_Static_assert(offsetof(struct sched_clone_args, tls) + 8 == SCHED_CLONE_ARGS_SIZE_VER0, "end VER0");
_Static_assert(offsetof(struct sched_clone_args, set_tid_size) + 8 == SCHED_CLONE_ARGS_SIZE_VER1,
               "end VER1");
_Static_assert(offsetof(struct sched_clone_args, cgroup) + 8 == SCHED_CLONE_ARGS_SIZE_VER2,
               "end VER2");

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    size_t size = 64 * 1024;
    void *stack = alloc_stack(size);
    const size_t sizes[] = {CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER1, CLONE_ARGS_SIZE_VER2};

    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        pid_t ptid = 0;
        struct clone_args k;
        memset(&k, 0, sizeof k);
        k.flags = CLONE_PARENT_SETTID;
        k.parent_tid = ptr64(&ptid);
        k.exit_signal = SIGCHLD;
        k.stack = ptr64(stack);
        k.stack_size = size;
        pid_t tid = clone3_fn((struct sched_clone_args *)(void *)&k, sizes[i], child_returns_arg,
                              (void *)(intptr_t)(20 + i));
        CHECK(tid > 0, "size %zu: %s", sizes[i], strerror(errno));
        CHECK(ptid == tid, "size %zu: parent_tid %d, tid %d", sizes[i], (int)ptid, (int)tid);
        expect_exit(tid, (int)(20 + i));
    }
    return 0;
}
