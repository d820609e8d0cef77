/* At fn's entry the stack is aligned as the C ABI requires at a call:
 * the canonical frame address (the stack pointer just before the call,
 * __builtin_dwarf_cfa()) is a multiple of 16 (x86_64, i686, aarch64,
 * riscv64, powerpc64le, powerpc64, powerpc) or 8 (arm, s390x). On x86_64 that is rsp % 16 == 8
 * at entry. An aligned(16) local is 16-byte aligned. Checked for every
 * misalignment of the given stack top; fork-like child reporting through a
 * MAP_SHARED page. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

#if defined(__arm__) || defined(__s390x__)
#define ABI_STACK_ALIGN 8
#else
#define ABI_STACK_ALIGN 16
#endif

struct report { uintptr_t cfa; uintptr_t buf; };
static struct report *report;

__attribute__((noinline)) static int child_function(void *arg)
{
    (void)arg;
    char buf[32] __attribute__((aligned(16)));
    memset(buf, 0, sizeof buf);
    __asm__ volatile("" : : "r"(buf) : "memory");
    report->cfa = (uintptr_t)__builtin_dwarf_cfa();
    report->buf = (uintptr_t)buf;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    report = mmap(NULL, sizeof *report, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(report != MAP_FAILED, "mmap: %s", strerror(errno));
    char *base = alloc_stack(STACK_SIZE);
    char *top = stack_top(base, STACK_SIZE);

    for (int k = 0; k < 16; k++) {
        memset(report, 0, sizeof *report);
        pid_t pid = clone(child_function, top - k, SIGCHLD, NULL);
        CHECK(pid > 0, "clone(top - %d): %s", k, strerror(errno));
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "top - %d: child status %#x", k,
              status);
        CHECK(report->cfa != 0 && report->cfa % ABI_STACK_ALIGN == 0,
              "top - %d: fn was called with the stack pointer at %#lx (not %d-aligned)", k,
              (unsigned long)report->cfa, ABI_STACK_ALIGN);
        CHECK(report->cfa <= (uintptr_t)(top - k) && report->cfa > (uintptr_t)base,
              "top - %d: fn's frame %#lx is not on the given stack", k,
              (unsigned long)report->cfa);
        CHECK(report->buf % 16 == 0, "top - %d: an aligned(16) local is at %#lx", k,
              (unsigned long)report->buf);
    }
    return 0;
}
