/* __clone2(fn, stack_base, stack_size, flags, arg, ptid, tls, ctid): a
 * thread (the full pthread flag set with CLONE_PARENT_SETTID and
 * CLONE_CHILD_CLEARTID) gets its argument and runs inside
 * [stack_base, stack_base + stack_size); joined by futex. Then its EINVAL
 * cases, with fork-like flags so that a call reaching the kernel would
 * create a child: zero size, NULL base, and a base + size that wraps around
 * the address space; none creates a child. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

typedef int (*clone2_fn)(int (*)(void *), void *, size_t, int, void *, ...);

struct report { void *arg; uintptr_t local; pid_t tid; };
static struct report report;

static int thread_fn(void *arg)
{
    volatile int local = 0;
    report.local = (uintptr_t)&local;
    report.tid = (pid_t)syscall(SYS_gettid);
    report.arg = arg;
    return local;
}

static clone2_fn get_clone2(void)
{
#if defined(SCHED_CLONE_MODE_PRELOAD)
    clone2_fn f = (clone2_fn)dlsym(RTLD_DEFAULT, "__clone2");
    CHECK(f != NULL, "__clone2 not found: is LD_PRELOAD set?");
#else
    clone2_fn f = __clone2;
#endif
#if defined(SCHED_CLONE_MODE_DYNAMIC) || defined(SCHED_CLONE_MODE_PRELOAD)
    Dl_info info;
    CHECK(dladdr((void *)f, &info) != 0 && info.dli_fname != NULL &&
              strstr(info.dli_fname, "libsched_clone") != NULL,
          "__clone2 comes from %s", info.dli_fname ? info.dli_fname : "?");
#endif
    return f;
}

static void expect_einval(clone2_fn f, void *base, size_t size, const char *what)
{
    errno = 0;
    int ret = f(thread_fn, base, size, SIGCHLD, NULL);
    int err = errno;
    CHECK(ret == -1 && err == EINVAL, "%s: returned %d, errno %d (%s)", what, ret, err,
          strerror(err));
    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD, "%s: created a child",
          what);
}

int main(void)
{
    assert_clone_is_ours();
    clone2_fn f = get_clone2();

    static int token;
    /* CLONE_PARENT_SETTID sets ctid to the TID before the thread runs;
     * CLONE_CHILD_CLEARTID clears it at the thread's exit. */
    static volatile pid_t ctid;
    char *base = alloc_stack(STACK_SIZE);
    pid_t tid = f(thread_fn, base, (size_t)STACK_SIZE,
                  THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, &token,
                  (pid_t *)&ctid, NULL, (pid_t *)&ctid);
    CHECK(tid > 0, "__clone2: %s", strerror(errno));
    wait_tid_cleared(&ctid);

    CHECK(report.arg == &token, "fn got %p, not %p", report.arg, (void *)&token);
    CHECK(report.tid == tid, "the thread's TID is %d, not %d", (int)report.tid, (int)tid);
    CHECK(report.local >= (uintptr_t)base && report.local < (uintptr_t)base + STACK_SIZE,
          "the thread's local %#lx is outside [%p, %p)", (unsigned long)report.local,
          (void *)base, (void *)(base + STACK_SIZE));

    expect_einval(f, base, 0, "zero size");
    expect_einval(f, NULL, STACK_SIZE, "NULL base");
    expect_einval(f, (void *)(UINTPTR_MAX - 4095), 8192, "base + size overflows");
    return 0;
}
