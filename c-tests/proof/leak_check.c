/* Sequential clone + join, many times: nothing may leak.
 *
 *   leak_check [--iterations N] [--seed S]   (default N = 50000; long mode 1000000)
 *
 * N thread-style clones (the pthread flag set + PARENT_SETTID +
 * CHILD_CLEARTID, joined by the CLEARTID futex), then N/10 vfork-style
 * (CLONE_VM | CLONE_VFORK | SIGCHLD + waitpid) and N/10 fork-like
 * (SIGCHLD + waitpid). Every child's result is checked (threads: the value
 * written; processes: the exit status).
 *
 * "Flat", measured from the end of a warm-up (the first 1000 iterations of
 * each mode, after which libc's own buffers, including those of the
 * measurement itself, exist):
 *   - open file descriptors (/proc/self/fd): exactly equal;
 *   - RSS (/proc/self/statm): grows by less than 64 KiB;
 *   - threads (/proc/self/task): back to 1; no unreaped child.
 * The figures are printed at ten checkpoints. */
#include "../common.h"
#include "proof.h"

#define RSS_SLACK_KIB 64
#define WARMUP 1000

static volatile pid_t ctid;
static volatile int result;

static int child(void *arg)
{
    int v = (int)(uintptr_t)arg;
    result = v;
    return v;
}

enum { THREAD, VFORK, FORK };
static const char *mode_name[] = { "thread-style", "vfork-style", "fork-like" };

static void one(int mode, char *top, int v)
{
    pid_t tid;
    result = -1;
    switch (mode) {
    case THREAD:
        tid = clone(child, top, THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
                    (void *)(uintptr_t)v, &ctid, NULL, &ctid);
        CHECK(tid > 0, "clone: %s", strerror(errno));
        wait_tid_cleared(&ctid);
        CHECK(result == v, "thread wrote %d, want %d", result, v);
        break;
    case VFORK:
    case FORK: {
        int flags = mode == VFORK ? CLONE_VM | CLONE_VFORK | SIGCHLD : SIGCHLD;
        tid = clone(child, top, flags, (void *)(uintptr_t)v);
        CHECK(tid > 0, "clone: %s", strerror(errno));
        int st;
        CHECK(waitpid(tid, &st, 0) == tid, "waitpid: %s", strerror(errno));
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == (v & 0xff), "status 0x%x, want exit %d", st, v & 0xff);
        break;
    }
    }
}

int main(int argc, char **argv)
{
    assert_clone_is_ours();
    uint64_t iterations = 50000, seed;
    proof_args(argc, argv, "iterations", &iterations, &seed);
    CHECK(iterations >= 10 * WARMUP, "--iterations must be at least %d", 10 * WARMUP);
    char *base = alloc_stack(64 * 1024);
    char *top = stack_top(base, 64 * 1024);
    uint64_t rng = seed;
    bool ok = true;

    for (int mode = THREAD; mode <= FORK; mode++) {
        uint64_t n = mode == THREAD ? iterations : iterations / 10;
        for (int i = 0; i < WARMUP; i++)
            one(mode, top, (int)(proof_rand(&rng) & 0x7fffffff));
        /* One measurement first, so the baseline includes the memory the
         * measuring itself uses (opendir's and fopen's buffers). */
        (void)proof_fd_count();
        (void)proof_rss_kib();
        int fd0 = proof_fd_count();
        long rss0 = proof_rss_kib();
        printf("%s: %" PRIu64 " clone+join, after %d warm-up: fds=%d rss=%ld KiB\n", mode_name[mode], n,
               WARMUP, fd0, rss0);
        fflush(stdout);
        double t0 = proof_now();
        int fd = fd0;
        long rss = rss0, rss_max = rss0;
        for (uint64_t i = WARMUP; i < n; i++) {
            one(mode, top, (int)(proof_rand(&rng) & 0x7fffffff));
            if ((i + 1) % (n / 10) == 0) {
                fd = proof_fd_count();
                rss = proof_rss_kib();
                if (rss > rss_max)
                    rss_max = rss;
                printf("  %9" PRIu64 ": fds=%d rss=%ld KiB (%+ld)\n", i + 1, fd, rss, rss - rss0);
                fflush(stdout);
            }
        }
        double secs = proof_now() - t0;
        fd = proof_fd_count();
        rss = proof_rss_kib();
        int tasks = proof_task_count();
        bool no_children = waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD;
        bool flat = fd == fd0 && rss_max - rss0 <= RSS_SLACK_KIB && tasks == 1 && no_children;
        printf("%s: %.2f us per clone+join; fds %d -> %d, rss %ld -> %ld KiB (max growth %ld KiB, "
               "limit %d), threads %d, unreaped children %s: %s\n",
               mode_name[mode], secs * 1e6 / (double)(n - WARMUP), fd0, fd, rss0, rss, rss_max - rss0,
               RSS_SLACK_KIB, tasks, no_children ? "none" : "SOME", flat ? "flat" : "NOT FLAT");
        fflush(stdout);
        ok = ok && flat;
    }
    CHECK(ok, "a resource grew");
    printf("PASS\n");
    return 0;
}
