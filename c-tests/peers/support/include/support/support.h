/* sched_clone's own implementation of the part of glibc's <support/support.h>
 * that glibc's clone tests use: child stacks and runs of /dev/null
 * descriptors. */
#ifndef PEER_SUPPORT_SUPPORT_H
#define PEER_SUPPORT_SUPPORT_H

#include <stddef.h>

/* A child stack from support_stack_alloc: `stack` is its lowest usable
 * byte, `size` its usable length; a PROT_NONE guard of `guardsize` bytes
 * lies on each side. */
struct support_stack {
    void *stack;
    size_t size;
    size_t guardsize;
};

/* At least SIZE usable bytes (rounded up to whole pages) between two guard
 * pages; exits with status 1 when the memory cannot be had. */
struct support_stack support_stack_alloc(size_t size);
void support_stack_free(struct support_stack *stack);

/* Opens /dev/null NUM times with FLAGS and MODE into NUM consecutive
 * descriptors and returns the lowest; exits with status 1 on failure. */
int support_open_dev_null_range(int num, int flags, int mode);

#endif
