/* noclone3 PROGRAM [ARG...]: runs PROGRAM with clone3 answering ENOSYS (a
 * seccomp filter, inherited across execve), as on a kernel without clone3.
 * glibc's pthread_create and posix_spawn then fall back from clone3 to
 * __clone; in a fully static program that __clone is sched_clone's. Uses
 * c-tests/clone3_common.h's filter. Compile with -DSCHED_CLONE_MODE_PRELOAD
 * (the launcher itself is not linked with the library). */
#define CLONE3_TEST_SECCOMP
#include "../../clone3_common.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: noclone3 PROGRAM [ARG...]\n");
        return 2;
    }
    filter_clone3(SECCOMP_RET_ERRNO | ENOSYS);
    execv(argv[1], argv + 1);
    fprintf(stderr, "noclone3: execv %s: %s\n", argv[1], strerror(errno));
    return 127;
}
