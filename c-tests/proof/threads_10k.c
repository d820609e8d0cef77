/* N clone children alive at once, each joined by its CLONE_CHILD_CLEARTID
 * futex, each result checked.
 *
 *   threads_10k [--count N] [--seed S]     (default N = 1000; long mode 10000)
 *
 * Phase 1, threads: N children with the pthread flag set (VM, FS, FILES,
 * SIGHAND, THREAD, SYSVSEM) + PARENT_SETTID + CHILD_CLEARTID. A thread's
 * exit code is not observable (SYS_exit of a non-leader thread reports to
 * no one), so each child writes the value it returns, derived from its
 * index and the seed, into its own slot; the test checks every slot after
 * the join, and checks that each child received its own arg.
 * Phase 2, exit codes: N children with the same memory-sharing flags but
 * no CLONE_THREAD (so each is a process with an exit status) and SIGCHLD,
 * joined by the CLEARTID futex first, then reaped with waitpid: every
 * exit status must be the child's value & 0xff.
 * In both phases every child waits at a gate until all N have started, so
 * all N are alive at once: the test checks the started count, and in
 * phase 1 that /proc/self/task lists N + 1 threads.
 *
 * The child function uses raw syscalls only (the threads share the
 * caller's TLS, so errno would be the caller's).
 * SKIPs (with the reason) when the system cannot hold N more tasks:
 * kernel.threads-max, kernel.pid_max, RLIMIT_NPROC, vm.max_map_count. */
#include "../common.h"
#include "proof.h"

#include <sys/resource.h>

#define STACK_SIZE (16 * 1024)

struct slot {
    volatile pid_t tid; /* PARENT_SETTID writes it, CHILD_CLEARTID clears it */
    int index;
    pid_t pid; /* what clone returned */
    volatile int result;
    volatile uintptr_t arg_seen;
} __attribute__((aligned(64)));

static struct slot *slots;
static volatile int gate;        /* 0 closed, 1 open */
static volatile int started;     /* children that reached the gate */
static uint64_t seed;

static int value_for(uint64_t s, int index)
{
    uint64_t x = s ^ ((uint64_t)index * 0xd1342543de82ef95ULL);
    return (int)(proof_rand(&x) & 0x7fffffff);
}

static int child(void *arg)
{
    struct slot *sl = arg;
    sl->arg_seen = (uintptr_t)arg;
    __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&gate, __ATOMIC_ACQUIRE) == 0)
        proof_futex(&gate, FUTEX_WAIT, 0);
    int v = value_for(seed, sl->index);
    sl->result = v;
    return v;
}

static void need_capacity(long n)
{
    char why[256];
    long threads_max = proof_read_long("/proc/sys/kernel/threads-max");
    long pid_max = proof_read_long("/proc/sys/kernel/pid_max");
    long map_max = proof_read_long("/proc/sys/vm/max_map_count");
    long tasks = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        double a, b, c;
        long running;
        if (fscanf(f, "%lf %lf %lf %ld/%ld", &a, &b, &c, &running, &tasks) != 5)
            tasks = -1;
        fclose(f);
    }
    printf("capacity: threads-max=%ld pid_max=%ld tasks now=%ld max_map_count=%ld, need %ld more\n",
           threads_max, pid_max, tasks, map_max, n);
    if (threads_max > 0 && tasks >= 0 && threads_max - tasks < n + 64) {
        snprintf(why, sizeof why, "kernel.threads-max=%ld with %ld tasks cannot hold %ld more", threads_max, tasks, n);
        test_skip(why);
    }
    if (pid_max > 0 && tasks >= 0 && pid_max - tasks < n + 256) {
        snprintf(why, sizeof why, "kernel.pid_max=%ld with %ld tasks cannot hold %ld more", pid_max, tasks, n);
        test_skip(why);
    }
    if (map_max > 0 && map_max < 2 * n + 1024) {
        snprintf(why, sizeof why, "vm.max_map_count=%ld is too small for %ld guarded stacks", map_max, n);
        test_skip(why);
    }
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_NPROC, &rl) == 0, "getrlimit: %s", strerror(errno));
    if (rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < tasks + n + 64) {
        rl.rlim_cur = rl.rlim_max;
        if (geteuid() == 0)
            rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
        if (setrlimit(RLIMIT_NPROC, &rl) != 0 ||
            (rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < tasks + n + 64)) {
            snprintf(why, sizeof why, "RLIMIT_NPROC is too low for %ld more tasks", n);
            test_skip(why);
        }
    }
}

static char *stacks;
static size_t stride;

static void open_gate(void)
{
    __atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
    proof_futex(&gate, FUTEX_WAKE, 0x7fffffff);
}

static void wait_all_started(int n, const char *phase)
{
    double t0 = proof_now();
    while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) < n) {
        CHECK(proof_now() - t0 < 60, "%s: only %d of %d children started", phase, started, n);
        usleep(1000);
    }
}

static void phase(int n, bool threads)
{
    const char *name = threads ? "threads" : "VM processes";
    int flags = threads ? THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID
                        : CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_PARENT_SETTID |
                              CLONE_CHILD_CLEARTID | SIGCHLD;
    gate = 0;
    started = 0;
    double t0 = proof_now();
    for (int i = 0; i < n; i++) {
        struct slot *sl = &slots[i];
        sl->index = i;
        sl->result = -1;
        sl->arg_seen = 0;
        sl->tid = 0;
        char *top = stacks + (size_t)(i + 1) * stride;
        pid_t tid = (pid_t)clone(child, top, flags, sl, &sl->tid, NULL, &sl->tid);
        if (tid <= 0) {
            int e = errno;
            open_gate(); /* let the others finish before failing */
            CHECK(tid > 0, "%s: clone %d of %d failed: %s", name, i + 1, n, strerror(e));
        }
        sl->pid = tid;
        CHECK(sl->tid == tid || sl->tid == 0, "%s: ptid holds %d, clone returned %d", name, sl->tid, tid);
    }
    double t1 = proof_now();
    wait_all_started(n, name);
    int tasks = threads ? proof_task_count() : -1;
    printf("%s: %d children created in %.3f s, %d alive at the gate%s", name, n, t1 - t0, started,
           threads ? "" : "\n");
    if (threads)
        printf(", /proc/self/task lists %d\n", tasks);
    if (threads)
        CHECK(tasks == n + 1, "%d threads alive, expected %d", tasks, n + 1);
    open_gate();
    for (int i = 0; i < n; i++)
        wait_tid_cleared(&slots[i].tid);
    double t2 = proof_now();
    int bad = 0;
    for (int i = 0; i < n; i++) {
        int want = value_for(seed, i);
        if (slots[i].result != want || slots[i].arg_seen != (uintptr_t)&slots[i]) {
            if (bad++ < 5)
                fprintf(stderr, "%s: child %d: result %d (want %d), arg %p (want %p)\n", name, i,
                        slots[i].result, want, (void *)slots[i].arg_seen, (void *)&slots[i]);
        }
    }
    CHECK(bad == 0, "%s: %d of %d children wrote a wrong result or saw a wrong arg", name, bad, n);
    if (!threads) {
        /* The futex join is done; now every exit status. */
        for (int i = 0; i < n; i++) {
            int st;
            CHECK(waitpid(slots[i].pid, &st, 0) == slots[i].pid, "waitpid(%d): %s", slots[i].pid, strerror(errno));
            int want = value_for(seed, i) & 0xff;
            CHECK(WIFEXITED(st) && WEXITSTATUS(st) == want, "child %d (pid %d): status 0x%x, want exit %d",
                  i, slots[i].pid, st, want);
        }
        CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "children left after the join");
    }
    printf("%s: all %d joined by CLEARTID futex in %.3f s, every %s right\n", name, n, t2 - t1,
           threads ? "written result and arg" : "written result, arg and exit status");
}

int main(int argc, char **argv)
{
    assert_clone_is_ours();
    uint64_t count = 1000;
    proof_args(argc, argv, "count", &count, &seed);
    int n = (int)count;
    CHECK(n > 0 && n <= 1000000, "bad --count");
    need_capacity(n);

    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    stride = STACK_SIZE + page;
    stacks = mmap(NULL, stride * (size_t)n, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    CHECK(stacks != MAP_FAILED, "mmap stacks: %s", strerror(errno));
    for (int i = 0; i < n; i++) /* a guard page at the bottom of each stack */
        CHECK(mprotect(stacks + (size_t)i * stride, page, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
    slots = mmap(NULL, sizeof(struct slot) * (size_t)n, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(slots != MAP_FAILED, "mmap slots: %s", strerror(errno));

    phase(n, true);
    phase(n, false);
    printf("PASS: %d threads and %d VM processes alive at once, all joined, all results right\n", n, n);
    return 0;
}
