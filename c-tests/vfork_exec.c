/* CLONE_VM | CLONE_VFORK | SIGCHLD with a child that execs: the parent
 * resumes as soon as the exec releases the shared memory, while the new
 * program still runs. The child writes a shared variable, points its stdin
 * at a pipe and execs /bin/cat, which blocks reading; clone() must return
 * with the variable written and the child alive, running cat. Closing the
 * pipe ends cat, which exits 0. */
/* sched-clone-test: musl */
#include "common.h"
#include <fcntl.h>

#define STACK_SIZE (64 * 1024)

extern char **environ;
static volatile int before_exec;
static int in_pipe[2];

static int child_function(void *arg)
{
    (void)arg;
    before_exec = 1;
    int devnull = open("/dev/null", O_WRONLY);
    if (dup2(in_pipe[0], 0) != 0 || devnull < 0 || dup2(devnull, 1) != 1)
        return 1;
    close(in_pipe[0]);
    close(in_pipe[1]);
    char *argv[] = { "cat", NULL };
    execve("/bin/cat", argv, environ);
    return 2;
}

int main(void)
{
    assert_clone_is_ours();
    CHECK(access("/bin/cat", X_OK) == 0, "/bin/cat: %s", strerror(errno));
    CHECK(pipe(in_pipe) == 0, "pipe: %s", strerror(errno));

    void *stack = alloc_stack(STACK_SIZE);
    pid_t pid = clone(child_function, stack_top(stack, STACK_SIZE),
                      CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));
    CHECK(before_exec == 1, "clone returned before the child ran");

    int status;
    pid_t w = waitpid(pid, &status, WNOHANG);
    CHECK(w == 0, "the child is gone when clone returns (waitpid: %d, status %#x)", (int)w,
          w == pid ? status : 0);
    /* The kernel wakes a vfork parent as the exec releases the shared
     * memory, a moment before /proc/PID/exe names the new program: poll
     * for it, for up to 5 seconds. */
    char path[64], exe[256];
    ssize_t n = 0;
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    for (int tries = 0; tries < 500; tries++) {
        n = readlink(path, exe, sizeof exe - 1);
        CHECK(n > 0, "readlink %s: %s", path, strerror(errno));
        exe[n] = '\0';
        if (strcmp(exe + (n >= 4 ? n - 4 : 0), "/cat") == 0)
            break;
        usleep(10000);
    }
    CHECK(strcmp(exe + (n >= 4 ? n - 4 : 0), "/cat") == 0, "the child runs %s, not cat", exe);

    close(in_pipe[0]);
    close(in_pipe[1]); /* EOF for cat */
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    return 0;
}
