/* A thread on a 1 KiB stack works when fn does little: it stores its
 * argument and returns. The stack is a 1 KiB window in the middle of a
 * larger buffer filled with a pattern: the bytes above the top and below
 * the base are untouched afterwards (the wrapper writes nothing above the
 * top it is given, and fn stays inside its 1 KiB). */
/* sched-clone-test: cross musl */
#include "common.h"

#define SMALL_STACK 1024
#define PATTERN 0xa5

static unsigned char buffer[3 * SMALL_STACK] __attribute__((aligned(16)));
static void *volatile seen_arg;

static int thread_fn(void *arg)
{
    seen_arg = arg;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    memset(buffer, PATTERN, sizeof buffer);
    unsigned char *base = buffer + SMALL_STACK, *top = base + SMALL_STACK;

    static int token;
    static volatile pid_t ctid;
    pid_t tid = clone(thread_fn, top, THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
                      &token, (pid_t *)&ctid, NULL, (pid_t *)&ctid);
    CHECK(tid > 0, "clone: %s", strerror(errno));
    wait_tid_cleared(&ctid);

    CHECK(seen_arg == &token, "fn got %p, not %p", seen_arg, (void *)&token);
    for (size_t i = 0; i < SMALL_STACK; i++) {
        CHECK(top[i] == PATTERN, "byte %zu above the stack top was written", i);
        CHECK(buffer[i] == PATTERN, "byte %zu below the stack base was written",
              (size_t)SMALL_STACK - i);
    }
    size_t lowest = 0;
    while (lowest < SMALL_STACK && base[lowest] == PATTERN)
        lowest++;
    printf("the thread used (at least) %zu of its %d bytes of stack\n",
           (size_t)SMALL_STACK - lowest, SMALL_STACK);
    return 0;
}
