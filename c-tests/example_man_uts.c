/* The clone(2) manual page's example: a child in a new UTS namespace
 * (CLONE_NEWUTS | SIGCHLD, as root) sets its hostname; uname() in the child
 * reports the new name, while the parent's hostname stays what it was.
 * The man page's sleeps are replaced by a pipe handshake. */
/* sched-clone-test: musl */
#include "common.h"
#include <sys/utsname.h>

#define STACK_SIZE (1024 * 1024)
#define CHILD_HOSTNAME "sched-clone-uts"

static int to_parent[2], to_child[2];

static int childFunc(void *arg)
{
    struct utsname uts;
    char c = 0;

    if (sethostname(arg, strlen(arg)) == -1)
        return 1;
    if (uname(&uts) == -1)
        return 2;
    printf("uts.nodename in child:  %s\n", uts.nodename);
    fflush(stdout);
    if (strcmp(uts.nodename, arg) != 0)
        return 3;
    /* Keep the namespace until the parent has looked at its own name. */
    if (write(to_parent[1], &c, 1) != 1 || read(to_child[0], &c, 1) != 1)
        return 4;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    need_root();

    struct utsname before, after;
    CHECK(uname(&before) == 0, "uname: %s", strerror(errno));
    CHECK(strcmp(before.nodename, CHILD_HOSTNAME) != 0, "the host is already called %s",
          CHILD_HOSTNAME);
    CHECK(pipe(to_parent) == 0 && pipe(to_child) == 0, "pipe: %s", strerror(errno));

    char *stack = malloc(STACK_SIZE);
    CHECK(stack != NULL, "malloc failed");
    char *stackTop = stack + STACK_SIZE;

    pid_t pid = clone(childFunc, stackTop, CLONE_NEWUTS | SIGCHLD, CHILD_HOSTNAME);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    printf("clone() returned %ld\n", (long)pid);

    char c;
    ssize_t got = read(to_parent[0], &c, 1); /* 0: the child failed early */
    CHECK(uname(&after) == 0, "uname: %s", strerror(errno));
    printf("uts.nodename in parent: %s\n", after.nodename);
    if (got == 1)
        CHECK(write(to_child[1], &c, 1) == 1, "write: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    printf("child has terminated\n");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(got == 1, "no word from the child");
    CHECK(strcmp(after.nodename, before.nodename) == 0,
          "the parent's hostname changed from %s to %s", before.nodename, after.nodename);

    free(stack);
    return 0;
}
