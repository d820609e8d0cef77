/* How many bytes of the child's stack the wrapper uses, measured.
 *
 *   guard_page [--seed S]
 *
 * Documented bound (x86_64): the wrapper writes 8 bytes below the aligned
 * stack top before fn runs (the return address pushed by `call fn`, in the
 * child), nothing else: the caller writes nothing to the child's stack,
 * and nothing is written at or above the top.
 *
 * The fn used here is two instructions of assembly that use no stack
 * beyond the return address the call pushed (`mov %edi, %eax; ret`), so
 * everything written below the top is the wrapper's.
 *
 * 1. Pattern, child's view (CLONE_VM | CLONE_VFORK, so the child's writes
 *    land in our memory): fill 256 bytes below and above the top with a
 *    pattern, clone, and find the lowest changed byte: its distance from
 *    the aligned top is the number of bytes the wrapper used. Done with two
 *    patterns (a written byte could equal one of them) and with the top
 *    misaligned by 0..15 (the bytes between the aligned top and the given
 *    one must stay untouched too). Must be <= 8, and nothing at or above
 *    the aligned top may change.
 * 2. Pattern, caller's view (fork-like: the child writes to its own copy):
 *    nothing at all may change in the caller's memory.
 * 3. Guard page: the top placed K bytes above a PROT_NONE page, for K =
 *    64, 48, 32, 16 (and misaligned tops): the child must run fn and exit
 *    with its arg; at K = 0 it must die of SIGSEGV, with the caller fine.
 * glibc's clone is measured the same way, for the record (it stores fn and
 * arg 16 bytes below the top in the caller before the syscall). */
#include "../common.h"
#include "proof.h"

#ifdef __x86_64__

#define DOCUMENTED_BOUND 8
#define SPAN 256

int fn_nostack(void *arg);
__asm__(".text\n"
        ".p2align 4\n"
        ".globl fn_nostack\n"
        ".hidden fn_nostack\n"
        ".type fn_nostack, @function\n"
        "fn_nostack:\n"
        "    mov %edi, %eax\n" /* return the arg: the exit status proves it arrived */
        "    ret\n"
        ".size fn_nostack, .-fn_nostack\n");

typedef int (*clone_fn_t)(int (*)(void *), void *, int, void *, ...);

struct measure {
    long below;       /* bytes below the aligned top that changed (distance of the lowest) */
    long above;       /* changed bytes at or above the aligned top */
};

static int run_child(clone_fn_t cl, char *top, int flags, int v)
{
    pid_t t = cl(fn_nostack, top, flags, (void *)(uintptr_t)v);
    CHECK(t > 0, "clone: %s", strerror(errno));
    int st;
    CHECK(waitpid(t, &st, 0) == t, "waitpid: %s", strerror(errno));
    return st;
}

/* Fills [aligned - SPAN, aligned + SPAN) with `pat`, runs a child with its
 * top at aligned + mis, and reports what changed. */
static struct measure measure(clone_fn_t cl, char *aligned, unsigned mis, int flags, unsigned char pat)
{
    memset(aligned - SPAN, pat, 2 * SPAN);
    int v = 0x40 + (int)mis;
    int st = run_child(cl, aligned + mis, flags, v);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == v, "child status 0x%x, want exit %d", st, v);
    struct measure m = { 0, 0 };
    for (long i = -SPAN; i < SPAN; i++) {
        if ((unsigned char)aligned[i] == pat)
            continue;
        if (i < 0 && -i > m.below)
            m.below = -i;
        if (i >= 0)
            m.above++;
    }
    return m;
}

static struct measure measure_all(clone_fn_t cl, char *aligned, int flags)
{
    struct measure worst = { 0, 0 };
    static const unsigned char pats[] = { 0xa5, 0x5a, 0x00, 0xff };
    for (unsigned mis = 0; mis < 16; mis++)
        for (size_t p = 0; p < sizeof pats; p++) {
            struct measure m = measure(cl, aligned, mis, flags, pats[p]);
            if (m.below > worst.below)
                worst.below = m.below;
            worst.above += m.above;
        }
    return worst;
}

int main(int argc, char **argv)
{
    assert_clone_is_ours();
    uint64_t seed;
    proof_args(argc, argv, NULL, NULL, &seed);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    CHECK(libc != NULL, "dlopen libc.so.6: %s", dlerror());
    clone_fn_t glibc_clone = (clone_fn_t)dlsym(libc, "clone");
    CHECK(glibc_clone != NULL, "dlsym clone: %s", dlerror());
    clone_fn_t ours = clone;
    Dl_info gi;
    CHECK(dladdr((void *)glibc_clone, &gi) && gi.dli_fname && strstr(gi.dli_fname, "libc.so.6"),
          "glibc's clone is not in libc.so.6");

    /* [PROT_NONE guard][page][page]: the top in the middle, so the bytes
     * above it are ours to watch. */
    char *region = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    CHECK(region != MAP_FAILED, "mmap: %s", strerror(errno));
    CHECK(mprotect(region, page, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
    char *guard_end = region + page;
    char *mid = region + 2 * page;

    /* 1. The child's view. */
    struct measure ours_child = measure_all(ours, mid, CLONE_VM | CLONE_VFORK | SIGCHLD);
    struct measure glibc_child = measure_all(glibc_clone, mid, CLONE_VM | CLONE_VFORK | SIGCHLD);
    /* 2. The caller's view. */
    struct measure ours_parent = measure_all(ours, mid, SIGCHLD);
    struct measure glibc_parent = measure_all(glibc_clone, mid, SIGCHLD);

    printf("bytes written below the aligned stack top (tops misaligned by 0..15, 4 patterns each):\n");
    printf("  ours:  %ld in all (caller + child), %ld by the caller; %ld changed bytes at or above the top\n",
           ours_child.below, ours_parent.below, ours_child.above + ours_parent.above);
    printf("  glibc: %ld in all (caller + child), %ld by the caller; %ld changed bytes at or above the top\n",
           glibc_child.below, glibc_parent.below, glibc_child.above + glibc_parent.above);
    CHECK(ours_child.below <= DOCUMENTED_BOUND, "our wrapper used %ld bytes below the top, bound %d",
          ours_child.below, DOCUMENTED_BOUND);
    CHECK(ours_child.below > 0, "no return address found below the top: the measurement is broken");
    CHECK(ours_parent.below == 0 && ours_parent.above == 0, "our caller wrote to the child's stack");
    CHECK(ours_child.above == 0, "our wrapper wrote at or above the stack top");

    /* 3. The guard page. */
    printf("top K bytes above a PROT_NONE guard page (ours; vfork-style and fork-like):\n");
    static const int ks[] = { 64, 48, 32, 16 };
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
        for (unsigned mis = 0; mis < 16; mis += 5) {
            int v = ks[i] + (int)mis;
            int st1 = run_child(ours, guard_end + ks[i] + mis, CLONE_VM | CLONE_VFORK | SIGCHLD, v);
            int st2 = run_child(ours, guard_end + ks[i] + mis, SIGCHLD, v);
            CHECK(WIFEXITED(st1) && WEXITSTATUS(st1) == v && WIFEXITED(st2) && WEXITSTATUS(st2) == v,
                  "K=%d+%u: statuses 0x%x 0x%x, want exit %d", ks[i], mis, st1, st2, v);
            if (mis == 0)
                printf("  K=%2d: fn ran, exit %d\n", ks[i], v);
        }
    for (unsigned mis = 0; mis < 16; mis += 5) {
        int st1 = run_child(ours, guard_end + mis, CLONE_VM | CLONE_VFORK | SIGCHLD, 1);
        int st2 = run_child(ours, guard_end + mis, SIGCHLD, 1);
        CHECK(WIFSIGNALED(st1) && WTERMSIG(st1) == SIGSEGV && WIFSIGNALED(st2) && WTERMSIG(st2) == SIGSEGV,
              "K=0+%u: statuses 0x%x 0x%x, want SIGSEGV", mis, st1, st2);
    }
    printf("  K= 0: child killed by SIGSEGV (its first push hits the guard), caller fine\n");
    printf("PASS: the wrapper uses %ld bytes of the child's stack below the top (documented bound %d: the "
           "return address of `call fn`), the caller writes none, nothing is written at or above the top\n",
           ours_child.below, DOCUMENTED_BOUND);
    return 0;
}

#else
int main(void)
{
    assert_clone_is_ours();
    test_skip("the stack-use measurement is written for x86_64");
}
#endif
