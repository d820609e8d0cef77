/* Nothing the wrapper or an ABI-conforming fn does touches memory above the
 * stack top, even when fn is defined variadic (on powerpc64le it then
 * stores its argument registers into its caller's parameter save area,
 * which the wrapper must have reserved below the top) or calls a variadic
 * function with many arguments (some of them on the stack).
 *
 * The stack is a mapping whose top is followed by a PROT_NONE page:
 * - fork-like children, stack top exactly at the guard page: any access
 *   above the top kills the child with SIGSEGV instead of exit(result);
 * - threads, stack tops 1-15 bytes below the guard (the wrapper aligns them
 *   down to 16): the bytes between the aligned top and the guard page, all
 *   above the top the child may use, still hold their 0xa5 fill afterwards
 *   (and an access to the guard page would kill the whole test). */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_PAGES 16
#define FILL 0xa5

struct job {
    int in;
    int out;
    char text[128];
};

/* Defined variadic, called as int (*)(void *): va_start makes its register
 * arguments addressable, which on powerpc64le spills r3-r10 into the
 * parameter save area of its caller's frame. No variadic argument is read. */
static int variadic_fn(void *arg, ...)
{
    struct job *job = arg;
    va_list ap;
    va_start(ap, arg);
    int n = vsnprintf(job->text, sizeof job->text, "variadic", ap);
    va_end(ap);
    job->out = job->in + n;
    return job->out & 0x7f;
}

/* Calls a variadic function with more arguments than fit in registers on
 * any supported ABI. */
static int calls_variadic(void *arg)
{
    struct job *job = arg;
    int n = snprintf(job->text, sizeof job->text, "%d %d %d %d %d %d %d %d %d %d %d %s %.1f",
                     job->in, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "x", 2.5);
    job->out = job->in + (strcmp(job->text, "7 1 2 3 4 5 6 7 8 9 10 x 2.5") == 0 ? n : -1000);
    return job->out & 0x7f;
}

static const struct {
    const char *name;
    int (*fn)(void *);
    const char *text;
    int result; /* job.in + the length of text */
} fns[] = {
    {"variadic fn", (int (*)(void *))(void (*)(void))variadic_fn, "variadic", 7 + 8},
    {"fn calling snprintf with 14 arguments", calls_variadic, "7 1 2 3 4 5 6 7 8 9 10 x 2.5",
     7 + 28},
};

int main(void)
{
    assert_clone_is_ours();
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, (STACK_PAGES + 1) * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    CHECK(map != MAP_FAILED, "mmap: %s", strerror(errno));
    char *guard = map + STACK_PAGES * page;
    CHECK(mprotect(guard, page, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
    struct job *job = mmap(NULL, sizeof *job, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                           -1, 0);
    CHECK(job != MAP_FAILED, "mmap: %s", strerror(errno));

    for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
        /* Fork-like child, top = the guard page. */
        memset(job, 0, sizeof *job);
        job->in = 7;
        pid_t pid = clone(fns[f].fn, guard, SIGCHLD, job);
        CHECK(pid > 0, "%s: clone: %s", fns[f].name, strerror(errno));
        int status;
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(!WIFSIGNALED(status), "%s, top at a PROT_NONE page: the child died of signal %d "
              "(%s): something touched memory above the stack top", fns[f].name,
              WTERMSIG(status), strsignal(WTERMSIG(status)));
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == fns[f].result,
              "%s: child status %#x, not exit(%d)", fns[f].name, status, fns[f].result);
        CHECK(strcmp(job->text, fns[f].text) == 0, "%s: the child wrote \"%s\"", fns[f].name,
              job->text);

        /* Threads, misaligned tops below the guard page. */
        for (int k = 1; k < 16; k++) {
            memset(guard - page, FILL, page);
            memset(job, 0, sizeof *job);
            job->in = 7;
            static volatile pid_t ctid;
            ctid = -1;
            pid_t tid = clone(fns[f].fn, guard - k,
                              THREAD_FLAGS | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID, job, NULL,
                              NULL, (pid_t *)&ctid);
            CHECK(tid > 0, "%s, top - %d: clone: %s", fns[f].name, k, strerror(errno));
            wait_tid_cleared(&ctid);
            CHECK(job->out == fns[f].result, "%s, top - %d: fn computed %d, not %d", fns[f].name,
                  k, job->out, fns[f].result);
            char *aligned = (char *)((uintptr_t)(guard - k) & ~(uintptr_t)15);
            for (char *p = aligned; p < guard; p++)
                CHECK(*(unsigned char *)p == FILL,
                      "%s, top - %d: the byte at aligned top + %d (given top + %d) was written",
                      fns[f].name, k, (int)(p - aligned), (int)(p - (guard - k)));
        }
    }
    return 0;
}
