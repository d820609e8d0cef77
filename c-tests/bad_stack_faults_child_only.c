/* A stack pointer into inaccessible memory faults the child, never the caller:
 * the parent writes nothing to the child's stack, so clone() returns the
 * new TID, the child dies of SIGSEGV (on its first stack access, in the
 * wrapper or in fn), and the caller goes on working (a clone with a good
 * stack afterwards works). Fork-like children (SIGCHLD), so that only the
 * child dies. Tried with the top of a PROT_NONE mapping (aligned and
 * misaligned) and with an address in the never-mapped first page range
 * (below mmap_min_addr); all canonical, so x86_64 raises SIGSEGV rather
 * than the SIGBUS of a non-canonical stack pointer. PROT_NONE, not a
 * mapping unmapped again: under qemu-user (loongarch64, seen here) qemu's
 * own allocations in the forked child may reuse a freed range, and fn then
 * runs on it. */
/* sched-clone-test: cross musl */
#include "common.h"
#include <sys/resource.h>

#define STACK_SIZE (64 * 1024)

/* Uses its stack for sure, whatever the wrapper did: exit(99) if it got
 * that far. */
__attribute__((noinline)) static int touches_stack(void *arg)
{
    volatile char buf[256];
    buf[0] = (char)(intptr_t)arg;
    buf[255] = buf[0];
    __asm__ volatile("" : : "r"(buf) : "memory");
    return 99;
}

static int exit_with_arg(void *arg)
{
    return (int)(intptr_t)arg;
}

int main(void)
{
    assert_clone_is_ours();
    /* No core files from the children (nor from qemu-user for them). */
    struct rlimit no_core = {0, 0};
    CHECK(setrlimit(RLIMIT_CORE, &no_core) == 0, "setrlimit: %s", strerror(errno));

    char *gone = mmap(NULL, STACK_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(gone != MAP_FAILED, "mmap: %s", strerror(errno));

    static const struct {
        const char *name;
        uintptr_t offset; /* from `gone`, or an absolute address when `absolute` */
        int absolute;
    } stacks[] = {
        {"the top of a PROT_NONE mapping", STACK_SIZE, 0},
        {"a misaligned top in a PROT_NONE mapping", STACK_SIZE - 7, 0},
        {"the middle of a PROT_NONE mapping", STACK_SIZE / 2, 0},
        {"an address below mmap_min_addr (0x1000)", 0x1000, 1},
    };
    for (size_t i = 0; i < sizeof stacks / sizeof stacks[0]; i++) {
        void *stack = stacks[i].absolute ? (void *)stacks[i].offset : gone + stacks[i].offset;
        fflush(stdout);
        errno = 0;
        pid_t pid = clone(touches_stack, stack, SIGCHLD, (void *)(intptr_t)i);
        CHECK(pid > 0, "%s (%p): clone returned %d, errno %d (%s)", stacks[i].name, stack, pid,
              errno, strerror(errno));
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
              "%s (%p): the child's status is %#x (%s %d), not death by SIGSEGV", stacks[i].name,
              stack, status, WIFSIGNALED(status) ? "signal" : "exit",
              WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }

    /* The caller is intact: a child on a good stack works. */
    char *base = alloc_stack(STACK_SIZE);
    pid_t pid = clone(exit_with_arg, stack_top(base, STACK_SIZE), SIGCHLD, (void *)(intptr_t)5);
    CHECK(pid > 0, "clone with a good stack: %s", strerror(errno));
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5, "child status %#x", status);
    return 0;
}
