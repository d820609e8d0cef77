/* sched-clone-test: manual cross-aarch64 */
/* aarch64 only, run by c-tests/cross.sh (tag cross-aarch64; `manual` keeps
 * c-tests/run.sh, which builds for the host, away from it).
 *
 * Our object declares itself BTI-compatible (GNU property note), so every
 * place an indirect branch may land must be a landing pad. This test maps
 * the program's text, our archive's code included, with PROT_BTI, so that
 * the CPU (or qemu) enforces BTI there, then proves enforcement is real (a
 * jump past clone's `bti c` must raise SIGILL) and calls every exported
 * entry point through a function pointer, as a PLT or a dlsym() user would.
 * fn runs in the child through the trampoline's `blr`. */
#include "common.h"

#if defined(__aarch64__)
#pragma GCC target("branch-protection=standard")

#ifndef PROT_BTI
#define PROT_BTI 0x10
#endif

extern char __executable_start[], etext[];
/* glibc's other name for clone; no public header declares it. */
extern int __clone(int (*)(void *), void *, int, void *, ...);

typedef int (*clone_fn_t)(int (*)(void *), void *, int, void *, ...);
typedef int (*clone2_fn_t)(int (*)(void *), void *, size_t, int, void *, ...);

static int exit_with_arg(void *arg)
{
    return (int)(intptr_t)arg;
}

static int child_status(pid_t pid)
{
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(st), "child status %#x", st);
    return WEXITSTATUS(st);
}

int main(void)
{
    assert_clone_is_ours();
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = (uintptr_t)__executable_start & ~(page - 1);
    uintptr_t hi = ((uintptr_t)etext + page - 1) & ~(page - 1);
    CHECK((uintptr_t)&clone >= lo && (uintptr_t)&clone < hi, "clone is outside the text");
    if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC | PROT_BTI) != 0) {
        if (errno == EINVAL)
            test_skip("PROT_BTI not supported");
        CHECK(0, "mprotect: %s", strerror(errno));
    }
    /* From here on, the exit path's crt code (no landing pads in Debian's
     * crt files) must not run: leave with _exit. */

    /* Enforcement check: a branch to clone + 4 (past its landing pad). */
    fflush(stdout);
    pid_t probe = fork();
    CHECK(probe >= 0, "fork: %s", strerror(errno));
    if (probe == 0) {
        void (*volatile past_pad)(void) = (void (*)(void))((char *)&clone + 4);
        past_pad();
        _exit(0);
    }
    int st;
    CHECK(waitpid(probe, &st, 0) == probe, "waitpid: %s", strerror(errno));
    if (!(WIFSIGNALED(st) && WTERMSIG(st) == SIGILL)) {
        printf("SKIP: BTI not enforced here (probe status %#x)\n", st);
        fflush(stdout);
        _exit(TEST_SKIP);
    }

    size_t size = 64 * 1024;
    void *base = alloc_stack(size);
    clone_fn_t volatile via_clone = clone;
    clone_fn_t volatile via___clone = __clone;
    clone2_fn_t volatile via___clone2 = __clone2;
    int (*volatile via_clone3)(const struct sched_clone_args *, size_t, int (*)(void *), void *) =
        sched_clone3;
    const char *(*volatile via_version)(void) = sched_clone_version;

    pid_t pid = via_clone(exit_with_arg, stack_top(base, size), SIGCHLD, (void *)(intptr_t)5);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    CHECK(child_status(pid) == 5, "clone child's status");
    pid = via___clone(exit_with_arg, stack_top(base, size), SIGCHLD, (void *)(intptr_t)6);
    CHECK(pid > 0, "__clone: %s", strerror(errno));
    CHECK(child_status(pid) == 6, "__clone child's status");
    pid = via___clone2(exit_with_arg, base, size, SIGCHLD, (void *)(intptr_t)7);
    CHECK(pid > 0, "__clone2: %s", strerror(errno));
    CHECK(child_status(pid) == 7, "__clone2 child's status");
    struct sched_clone_args args = {
        .exit_signal = SIGCHLD, .stack = (uintptr_t)base, .stack_size = size,
    };
    pid = via_clone3(&args, sizeof args, exit_with_arg, (void *)(intptr_t)8);
    CHECK(pid > 0, "sched_clone3: %s", strerror(errno));
    CHECK(child_status(pid) == 8, "sched_clone3 child's status");
    const char *version = via_version();
    CHECK(version != NULL && version[0] >= '0' && version[0] <= '9', "version %s", version);
    /* An error path (errno, via the PLT) with BTI on. */
    errno = 0;
    CHECK(via_clone(NULL, stack_top(base, size), SIGCHLD, NULL) == -1 && errno == EINVAL,
          "NULL fn: errno %d", errno);
    _exit(0);
}
#else
int main(void)
{
    test_skip("aarch64 only");
}
#endif
