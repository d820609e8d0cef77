/* sched_clone's own implementation of glibc's <support/xsched.h>: xclone,
 * a call of the public clone() wrapper that ends the test when it fails. */
#ifndef PEER_SUPPORT_XSCHED_H
#define PEER_SUPPORT_XSCHED_H

#include <sched.h>
#include <stddef.h>
#include <sys/types.h>

/* clone(FN, top of STACK, FLAGS, ARG, NULL, NULL, NULL); exits with status 1
 * when clone returns -1. */
pid_t xclone(int (*fn)(void *arg), void *arg, void *stack, size_t stack_size,
             int flags);

#endif
