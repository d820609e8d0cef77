/* sched_clone's own implementation of glibc's <support/descriptors.h>: a
 * snapshot of the open file descriptors, and a check that the process has
 * the same ones later (none leaked, none closed, none replaced). */
#ifndef PEER_SUPPORT_DESCRIPTORS_H
#define PEER_SUPPORT_DESCRIPTORS_H

struct support_descriptors;

struct support_descriptors *support_descriptors_list(void);
/* Records a failure (and prints it) for every difference from the list. */
void support_descriptors_check(struct support_descriptors *list);
void support_descriptors_free(struct support_descriptors *list);

#endif
