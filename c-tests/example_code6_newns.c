/* The article's CODE-6: clone(CLONE_VM | CLONE_NEWNS | SIGCHLD), as root.
 * The child makes its (new) mount namespace private, mounts a tmpfs on a
 * temporary directory and creates a file in it; while the child still holds
 * that mount, the parent checks that it sees neither the mount (st_dev and
 * /proc/self/mountinfo) nor the file, and that the child's
 * /proc/self/ns/mnt names a different namespace. */
/* sched-clone-test: musl */
#include "common.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define STACK_SIZE (1024 * 1024)

static char dir[] = "/tmp/sched-clone-code6-XXXXXX";
static char file[sizeof dir + 16];
static char child_ns[256];
static volatile dev_t child_dev;
static int to_parent[2], to_child[2];

static int child_function(void *arg)
{
    (void)arg;
    char c = 0;
    int rc = 0;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
        rc = 1;
    else if (mount("none", dir, "tmpfs", 0, NULL) == -1)
        rc = 2;
    struct stat st;
    if (rc == 0 && stat(dir, &st) == 0)
        child_dev = st.st_dev;
    int fd = rc == 0 ? open(file, O_CREAT | O_WRONLY, 0600) : -1;
    if (rc == 0 && fd == -1)
        rc = 3;
    if (fd != -1)
        close(fd);
    ssize_t n = readlink("/proc/self/ns/mnt", child_ns, sizeof child_ns - 1);
    if (n > 0)
        child_ns[n] = '\0';
    else if (rc == 0)
        rc = 4;
    /* Report, then hold the mount until the parent has looked. */
    if (write(to_parent[1], &c, 1) != 1 || read(to_child[0], &c, 1) != 1)
        rc = rc ? rc : 5;
    return rc;
}

static int mountinfo_mentions(const char *path)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    CHECK(f != NULL, "fopen mountinfo: %s", strerror(errno));
    char line[4096];
    int found = 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (strstr(line, path) != NULL)
            found = 1;
    fclose(f);
    return found;
}

int main(void)
{
    assert_clone_is_ours();
    need_root();

    CHECK(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    snprintf(file, sizeof file, "%s/in-tmpfs", dir);
    CHECK(pipe(to_parent) == 0 && pipe(to_child) == 0, "pipe: %s", strerror(errno));
    struct stat before;
    CHECK(stat(dir, &before) == 0, "stat: %s", strerror(errno));
    char parent_ns[256];
    ssize_t n = readlink("/proc/self/ns/mnt", parent_ns, sizeof parent_ns - 1);
    CHECK(n > 0, "readlink: %s", strerror(errno));
    parent_ns[n] = '\0';

    void *stack = malloc(STACK_SIZE);
    CHECK(stack != NULL, "malloc failed");
    pid_t pid = clone(child_function, (char *)stack + STACK_SIZE,
                      CLONE_VM | CLONE_NEWNS | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    char c;
    CHECK(read(to_parent[0], &c, 1) == 1, "no word from the child");
    struct stat during;
    int stat_ok = stat(dir, &during) == 0;
    int file_visible = access(file, F_OK) == 0;
    int mount_listed = mountinfo_mentions(dir);
    CHECK(write(to_child[1], &c, 1) == 1, "write: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    rmdir(dir);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_dev != before.st_dev, "the child does not see its tmpfs on %s", dir);
    CHECK(stat_ok && during.st_dev == before.st_dev, "the parent sees the child's mount");
    CHECK(!file_visible, "the parent sees %s", file);
    CHECK(!mount_listed, "the parent's mountinfo lists %s", dir);
    printf("Child mount namespace: %s\nParent mount namespace: %s\n", child_ns, parent_ns);
    CHECK(strcmp(child_ns, parent_ns) != 0, "same mount namespace %s", parent_ns);

    free(stack);
    return 0;
}
