/* sched_clone's own implementation of the part of glibc's
 * <support/xunistd.h> that glibc's clone tests use: calls that end the test
 * with status 1 when they fail. */
#ifndef PEER_SUPPORT_XUNISTD_H
#define PEER_SUPPORT_XUNISTD_H

#include <sys/types.h>
#include <unistd.h>

pid_t xwaitpid(pid_t pid, int *status, int flags);
void xclose(int fd);

#endif
