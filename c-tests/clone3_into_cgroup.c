/* CLONE_INTO_CGROUP through sched_clone3: the child starts in a cgroup v2
 * directory the test creates (/proc/<child>/cgroup names it, and its
 * cgroup.procs lists the child), not in the parent's cgroup. Needs root
 * and a writable cgroup2 mount. */
#include "clone3_common.h"

#include <fcntl.h>
#include <sys/stat.h>

#define STACK_SIZE (64 * 1024)

static char cg_dir[1200];
static pid_t running_child;

static void cleanup(void)
{
    if (running_child > 0) {
        kill(running_child, SIGKILL);
        waitpid(running_child, NULL, __WALL);
    }
    if (cg_dir[0])
        rmdir(cg_dir);
}

/* The mount point of a cgroup2 filesystem, from /proc/self/mountinfo. */
static int find_cgroup2(char *out, size_t len)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f)
        return 0;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *sep = strstr(line, " - ");
        if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
            continue;
        char mnt[1024];
        if (sscanf(line, "%*s %*s %*s %*s %1023s", mnt) == 1 && strlen(mnt) < len) {
            strcpy(out, mnt);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

static int child_waits(void *arg)
{
    int *pipefd = arg;
    char c;
    while (read(pipefd[0], &c, 1) == -1 && errno == EINTR)
        ;
    return 0;
}

static int file_has_line(const char *path, const char *prefix, const char *suffix)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open %s: %s", path, strerror(errno));
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        size_t n = strlen(line), s = strlen(suffix);
        found = strncmp(line, prefix, strlen(prefix)) == 0 && n >= s &&
                strcmp(line + n - s, suffix) == 0;
    }
    fclose(f);
    return found;
}

int main(void)
{
    assert_clone_is_ours();
    sched_clone3_fn clone3_fn = our_sched_clone3();
    need_root();
    char mnt[1024];
    if (!find_cgroup2(mnt, sizeof mnt))
        test_skip("no cgroup2 filesystem is mounted");
    char name[64];
    snprintf(name, sizeof name, "sched_clone_test_%d", (int)getpid());
    snprintf(cg_dir, sizeof cg_dir, "%s/%s", mnt, name);
    if (mkdir(cg_dir, 0755) != 0) {
        if (errno == EROFS || errno == EACCES || errno == EPERM)
            test_skip("cannot create a cgroup under the cgroup2 mount");
        CHECK(0, "mkdir %s: %s", cg_dir, strerror(errno));
    }
    atexit(cleanup);
    int cgfd = open(cg_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(cgfd >= 0, "open %s: %s", cg_dir, strerror(errno));

    int pipefd[2];
    CHECK(pipe(pipefd) == 0, "pipe: %s", strerror(errno));
    void *stack = alloc_stack(STACK_SIZE);
    struct sched_clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = CLONE_INTO_CGROUP;
    a.cgroup = (uint64_t)cgfd;
    a.exit_signal = SIGCHLD;
    a.stack = ptr64(stack);
    a.stack_size = STACK_SIZE;
    pid_t tid = clone3_fn(&a, sizeof a, child_waits, pipefd);
    CHECK(tid > 0, "sched_clone3(CLONE_INTO_CGROUP): %s", strerror(errno));
    running_child = tid;

    char path[64], suffix[80], procs[1300], tidstr[32];
    snprintf(path, sizeof path, "/proc/%d/cgroup", (int)tid);
    snprintf(suffix, sizeof suffix, "/%s", name);
    CHECK(file_has_line(path, "0::", suffix), "%s does not name the cgroup %s", path, name);
    CHECK(!file_has_line("/proc/self/cgroup", "0::", suffix), "the parent moved too");
    snprintf(procs, sizeof procs, "%s/cgroup.procs", cg_dir);
    snprintf(tidstr, sizeof tidstr, "%d", (int)tid);
    CHECK(file_has_line(procs, tidstr, tidstr), "%s does not list %d", procs, (int)tid);

    CHECK(write(pipefd[1], "x", 1) == 1, "write: %s", strerror(errno));
    expect_exit(tid, 0);
    running_child = 0;

    /* The cgroup needs the 88-byte argument block. */
    errno = 0;
    CHECK_FAILS(clone3_fn(&a, SCHED_CLONE_ARGS_SIZE_VER1, child_waits, pipefd), EINVAL);
    expect_no_children();

    /* The cgroup empties once the child is reaped; removing it may need a
     * moment while the kernel finishes tearing the task down. */
    for (int i = 0; i < 100 && rmdir(cg_dir) != 0; i++)
        usleep(10000);
    CHECK(access(cg_dir, F_OK) != 0, "could not remove %s: %s", cg_dir, strerror(errno));
    cg_dir[0] = 0;
    return 0;
}
