/* A stack top that is not 16-byte aligned (base + size - k, k = 1..15) is
 * accepted: the child runs, on the given stack, below the given top (the
 * wrapper aligns it down), with a 16-byte aligned local. Fork-like child;
 * it reports through a MAP_SHARED page. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

struct report { uintptr_t local; uintptr_t aligned_local; };
static struct report *report;

static int child_function(void *arg)
{
    (void)arg;
    volatile char local = 1;
    volatile char aligned_local[16] __attribute__((aligned(16)));
    aligned_local[0] = local;
    report->local = (uintptr_t)&local;
    report->aligned_local = (uintptr_t)aligned_local;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    report = mmap(NULL, sizeof *report, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(report != MAP_FAILED, "mmap: %s", strerror(errno));
    char *base = alloc_stack(STACK_SIZE);
    char *top = stack_top(base, STACK_SIZE);

    for (int k = 1; k < 16; k++) {
        memset(report, 0, sizeof *report);
        char *given = top - k;
        pid_t pid = clone(child_function, given, SIGCHLD, NULL);
        CHECK(pid > 0, "clone(top - %d): %s", k, strerror(errno));
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "top - %d: child status %#x", k,
              status);
        CHECK(report->local >= (uintptr_t)base && report->local < (uintptr_t)given,
              "top - %d: the child's local is at %#lx, outside [%p, %p)", k,
              (unsigned long)report->local, (void *)base, (void *)given);
        CHECK(report->aligned_local % 16 == 0, "top - %d: an aligned(16) local is at %#lx", k,
              (unsigned long)report->aligned_local);
    }
    return 0;
}
