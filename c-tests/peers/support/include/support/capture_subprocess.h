/* glibc's io/tst-close_range.c includes <support/capture_subprocess.h> but
 * uses nothing from it, so sched_clone's test-support library declares
 * nothing here. */
#ifndef PEER_SUPPORT_CAPTURE_SUBPROCESS_H
#define PEER_SUPPORT_CAPTURE_SUBPROCESS_H
#endif
