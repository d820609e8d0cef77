/* CLONE_NEWTIME through sched_clone3: the child starts in a new time
 * namespace (clone3 puts the child itself there, where unshare() only
 * affects later children): /proc/<child>/ns/time differs from ours, and
 * ours is unchanged. Needs root and a kernel with time namespaces. */
#include "clone3_common.h"

#define STACK_SIZE (64 * 1024)

static int child_waits(void *arg)
{
    int *pipefd = arg;
    char c;
    while (read(pipefd[0], &c, 1) == -1 && errno == EINTR)
        ;
    return 0;
}

static void ns_of(const char *pid, char *out, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/ns/time", pid);
    ssize_t n = readlink(path, out, len - 1);
    CHECK(n > 0, "readlink %s: %s", path, strerror(errno));
    out[n] = 0;
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    need_root();
    char before[128], after[128], childs[128], pid[32];
    if (access("/proc/self/ns/time", F_OK) != 0)
        test_skip("this kernel has no time namespaces");
    ns_of("self", before, sizeof before);

    int pipefd[2];
    CHECK(pipe(pipefd) == 0, "pipe: %s", strerror(errno));
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = CLONE_NEWTIME;
    a.exit_signal = SIGCHLD;
    set_stack(&a, STACK_SIZE);
    pid_t tid = clone3_fn(&a, sizeof a, child_waits, pipefd);
    CHECK(tid > 0, "sched_clone3(CLONE_NEWTIME): %s", strerror(errno));

    snprintf(pid, sizeof pid, "%d", (int)tid);
    ns_of(pid, childs, sizeof childs);
    ns_of("self", after, sizeof after);
    CHECK(write(pipefd[1], "x", 1) == 1, "write: %s", strerror(errno));
    expect_exit(tid, 0);
    CHECK(strcmp(before, after) == 0, "our time namespace changed: %s -> %s", before, after);
    CHECK(strcmp(childs, before) != 0, "the child is in our time namespace (%s)", childs);
    return 0;
}
