/* Children that fault: the caller sees the right signal and carries on.
 *
 *   fault_children [--seed S]
 *
 * Faulting children, each in the fork-like (SIGCHLD), vfork-style
 * (CLONE_VM | CLONE_VFORK | SIGCHLD) and shared-memory (CLONE_VM | SIGCHLD)
 * flavours:
 *   - an unmapped stack (mmap, then munmap, pass its top);
 *   - a read-only stack;
 *   - a stack too small: 64 bytes above a PROT_NONE guard page, for an fn
 *     that uses 4 KiB;
 *   - fn dereferencing NULL on a good stack.
 * Each time: clone returns the child's TID in the caller (the caller never
 * faults: our wrapper does not write to the child's stack), waitpid gives
 * WIFSIGNALED with WTERMSIG == SIGSEGV, and then the caller does more
 * clones (thread-style, vfork-style, fork-like) that all succeed with the
 * right results.
 * A CLONE_THREAD child that faults takes its whole thread group down: that
 * is checked inside a sacrificial process, which must die of SIGSEGV while
 * this program carries on. */
#include "../common.h"
#include "proof.h"

static int *volatile null_ptr;
static uint64_t rng;

static int fn_null(void *arg)
{
    (void)arg;
    return *null_ptr;
}

static int fn_deep(void *arg)
{
    volatile char buf[4096];
    for (unsigned i = 0; i < sizeof buf; i += 16)
        buf[i] = (char)i;
    return buf[64] + (int)(uintptr_t)arg;
}

static int fn_value(void *arg)
{
    return (int)(uintptr_t)arg;
}

static volatile pid_t ctid;
static volatile int thread_seen;
static int fn_thread(void *arg)
{
    thread_seen = (int)(uintptr_t)arg;
    return 0;
}

static char *good_top;

/* More clones after a fault: all must work. */
static void still_works(const char *after)
{
    for (int i = 0; i < 10; i++) {
        int v = (int)(proof_rand(&rng) & 0x7f) + 1;
        int flags = i % 3 == 0 ? SIGCHLD : CLONE_VM | CLONE_VFORK | SIGCHLD;
        pid_t t = clone(fn_value, good_top, flags, (void *)(uintptr_t)v);
        CHECK(t > 0, "after %s: clone failed: %s", after, strerror(errno));
        int st;
        CHECK(waitpid(t, &st, 0) == t, "waitpid: %s", strerror(errno));
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == v, "after %s: status 0x%x, want exit %d", after, st, v);
    }
    thread_seen = 0;
    int v = (int)(proof_rand(&rng) & 0xffff) + 1;
    pid_t t = clone(fn_thread, good_top, THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
                    (void *)(uintptr_t)v, &ctid, NULL, &ctid);
    CHECK(t > 0, "after %s: thread clone failed: %s", after, strerror(errno));
    wait_tid_cleared(&ctid);
    CHECK(thread_seen == v, "after %s: thread saw %d, want %d", after, thread_seen, v);
}

static const struct { int flags; const char *name; } flavours[] = {
    { SIGCHLD, "fork-like" },
    { CLONE_VM | CLONE_VFORK | SIGCHLD, "vfork-style" },
    { CLONE_VM | SIGCHLD, "CLONE_VM" },
};

static int checks;

static void expect_segv(const char *what, int (*fn)(void *), void *top)
{
    for (size_t f = 0; f < sizeof flavours / sizeof flavours[0]; f++) {
        pid_t t = clone(fn, top, flavours[f].flags, (void *)(uintptr_t)7);
        CHECK(t > 0, "%s (%s): clone failed in the caller: %s", what, flavours[f].name, strerror(errno));
        int st;
        CHECK(waitpid(t, &st, 0) == t, "waitpid: %s", strerror(errno));
        CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "%s (%s): status 0x%x, want SIGSEGV", what,
              flavours[f].name, st);
        printf("  %-40s %-12s -> child killed by SIGSEGV, caller fine\n", what, flavours[f].name);
        checks++;
        still_works(what);
    }
}

/* A faulting CLONE_THREAD child kills its thread group: run it in a
 * sacrificial process and expect that process to die of SIGSEGV. */
static void expect_group_segv(const char *what, int (*fn)(void *), void *top)
{
    pid_t p = fork();
    CHECK(p >= 0, "fork: %s", strerror(errno));
    if (p == 0) {
        pid_t t = clone(fn, top, THREAD_FLAGS | CLONE_CHILD_CLEARTID, NULL, NULL, NULL, &ctid);
        if (t <= 0)
            _exit(3);
        ctid = t;
        wait_tid_cleared(&ctid);
        _exit(4); /* the fault should have killed us first */
    }
    int st;
    CHECK(waitpid(p, &st, 0) == p, "waitpid: %s", strerror(errno));
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "%s (CLONE_THREAD): process status 0x%x, want SIGSEGV",
          what, st);
    printf("  %-40s %-12s -> thread group killed by SIGSEGV, caller fine\n", what, "CLONE_THREAD");
    checks++;
    still_works(what);
}

int main(int argc, char **argv)
{
    assert_clone_is_ours();
    uint64_t seed;
    proof_args(argc, argv, NULL, NULL, &seed);
    rng = seed;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    good_top = stack_top(alloc_stack(64 * 1024), 64 * 1024);

    /* An unmapped stack: mapped, then unmapped. */
    char *gone = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(gone != MAP_FAILED, "mmap: %s", strerror(errno));
    CHECK(munmap(gone, 64 * 1024) == 0, "munmap: %s", strerror(errno));
    char *gone_top = gone + 64 * 1024;

    /* A read-only stack. */
    char *ro = mmap(NULL, 2 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED, "mmap: %s", strerror(errno));

    /* 64 usable bytes above a PROT_NONE guard page. */
    char *small = alloc_stack(page);
    char *small_top = small + 64;

    printf("faulting children:\n");
    expect_segv("unmapped stack", fn_value, gone_top);
    expect_segv("read-only stack", fn_value, ro + 2 * page);
    expect_segv("64-byte stack, fn uses 4 KiB", fn_deep, small_top);
    expect_segv("fn dereferences NULL", fn_null, good_top);
    expect_group_segv("unmapped stack", fn_value, gone_top);
    expect_group_segv("fn dereferences NULL", fn_null, good_top);
    printf("PASS: %d faulting children, each seen as SIGSEGV; 11 more clones after each all worked\n", checks);
    return 0;
}
