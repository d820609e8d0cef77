/* The article's CODE-5: clone(CLONE_VM | CLONE_NEWNET | SIGCHLD), as root.
 * The child lives in a new network namespace: /proc/self/ns/net names a
 * different namespace than the parent's, and it can create a socket there. */
/* sched-clone-test: musl */
#include "common.h"
#include <sys/socket.h>
#include <netinet/in.h>

#define STACK_SIZE (1024 * 1024)

static char child_ns[256];
static volatile int child_socket_ok;

static int child_function(void *arg)
{
    (void)arg;
    int sockfd = socket(AF_INET, SOCK_STREAM, 0);
    if (sockfd == -1)
        return 1;
    child_socket_ok = 1;
    close(sockfd);
    ssize_t n = readlink("/proc/self/ns/net", child_ns, sizeof child_ns - 1);
    if (n == -1)
        return 2;
    child_ns[n] = '\0';
    printf("Child network namespace: %s\n", child_ns);
    fflush(stdout);
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    need_root();

    char parent_ns[256];
    ssize_t n = readlink("/proc/self/ns/net", parent_ns, sizeof parent_ns - 1);
    CHECK(n > 0, "readlink: %s", strerror(errno));
    parent_ns[n] = '\0';

    void *stack = malloc(STACK_SIZE);
    CHECK(stack != NULL, "malloc failed");
    pid_t pid = clone(child_function, (char *)stack + STACK_SIZE,
                      CLONE_VM | CLONE_NEWNET | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_socket_ok, "the child could not create a socket");
    printf("Parent network namespace: %s\n", parent_ns);
    CHECK(strncmp(child_ns, "net:[", 5) == 0, "child namespace \"%s\"", child_ns);
    CHECK(strcmp(child_ns, parent_ns) != 0, "the child is in the parent's namespace %s", parent_ns);

    free(stack);
    return 0;
}
