/* CLONE_PIDFD through sched_clone3: the pidfd is stored at args->pidfd, is
 * close-on-exec, names the child, is not readable while the child runs and
 * becomes readable (poll) when it exits; waitid(P_PIDFD) reaps the child
 * with its status; pidfd_send_signal through it kills a second child. */
#include "clone3_common.h"

#include <fcntl.h>
#include <poll.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define STACK_SIZE (64 * 1024)

/* Waits until the parent writes to the pipe, then exits 5. */
static int child_waits(void *arg)
{
    int *pipefd = arg;
    char c;
    while (read(pipefd[0], &c, 1) == -1 && errno == EINTR)
        ;
    return 5;
}

static int pidfd_pid(int pidfd)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open %s: %s", path, strerror(errno));
    int pid = -2;
    while (fgets(buf, sizeof buf, f))
        if (sscanf(buf, "Pid: %d", &pid) == 1)
            break;
    fclose(f);
    return pid;
}

static pid_t spawn(sched_clone3_fn clone3_fn, void *stack, int *pidfd, int *pipefd)
{
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = CLONE_PIDFD;
    a.pidfd = ptr64(pidfd);
    a.exit_signal = SIGCHLD;
    a.stack = ptr64(stack);
    a.stack_size = STACK_SIZE;
    *pidfd = -1;
    pid_t tid = clone3_fn(&a, sizeof a, child_waits, pipefd);
    CHECK(tid > 0, "sched_clone3(CLONE_PIDFD): %s", strerror(errno));
    CHECK(*pidfd >= 0, "no pidfd stored (%d)", *pidfd);
    return tid;
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    void *stack = alloc_stack(STACK_SIZE);
    int pipefd[2], pidfd;
    CHECK(pipe(pipefd) == 0, "pipe: %s", strerror(errno));

    pid_t tid = spawn(clone3_fn, stack, &pidfd, pipefd);
    int fdflags = fcntl(pidfd, F_GETFD);
    CHECK(fdflags >= 0 && (fdflags & FD_CLOEXEC), "the pidfd is not close-on-exec");
    CHECK(pidfd_pid(pidfd) == tid, "the pidfd names %d, not %d", pidfd_pid(pidfd), (int)tid);

    struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
    CHECK(poll(&pfd, 1, 0) == 0, "the pidfd is readable while the child runs");
    CHECK(write(pipefd[1], "x", 1) == 1, "write: %s", strerror(errno));
    CHECK(poll(&pfd, 1, 10000) == 1 && (pfd.revents & POLLIN), "the pidfd did not become readable");

    siginfo_t info;
    memset(&info, 0, sizeof info);
    CHECK(waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) == 0, "waitid(P_PIDFD): %s",
          strerror(errno));
    CHECK(info.si_pid == tid && info.si_code == CLD_EXITED && info.si_status == 5,
          "waitid: pid %d, code %d, status %d", (int)info.si_pid, info.si_code, info.si_status);
    errno = 0;
    CHECK(waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOHANG) == -1 && errno == ECHILD,
          "the child was reaped twice");
    close(pidfd);

    /* A second child, killed through its pidfd. */
    tid = spawn(clone3_fn, stack, &pidfd, pipefd);
    CHECK(syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0, "pidfd_send_signal: %s",
          strerror(errno));
    memset(&info, 0, sizeof info);
    CHECK(waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) == 0, "waitid(P_PIDFD): %s",
          strerror(errno));
    CHECK(info.si_pid == tid && info.si_code == CLD_KILLED && info.si_status == SIGKILL,
          "waitid: pid %d, code %d, status %d", (int)info.si_pid, info.si_code, info.si_status);
    close(pidfd);
    expect_no_children();
    return 0;
}
