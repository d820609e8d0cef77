/* State the test driver shares with every process of a test (a MAP_SHARED
 * page made before main, inherited across fork and clone): the failures
 * checks recorded, and how often the test's code called the clone
 * wrappers (counted by the link-time wrappers in clone_counter.c). */
#ifndef PEER_STATE_H
#define PEER_STATE_H

struct peer_shared {
    unsigned long clone_calls;        /* calls of `clone` */
    unsigned long dunder_clone_calls; /* calls of `__clone` */
    unsigned long failures;
};

/* Their offsets, for the counting jumps in clone_counter.c. */
#define PEER_CLONE_CALLS_OFFSET 0
#define PEER_DUNDER_CLONE_CALLS_OFFSET 8

extern struct peer_shared *peer_shared_state __attribute__((visibility("hidden")));

#endif
