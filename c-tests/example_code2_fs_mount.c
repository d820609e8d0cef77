/* The article's CODE-2: clone(CLONE_VM | CLONE_FS | SIGCHLD) with a child
 * that runs mount(NULL, "/", NULL, MS_SHARED | MS_REC, NULL), as root.
 *
 * So that the host's "/" propagation is never touched, the test first moves
 * itself into a private mount namespace (unshare(CLONE_NEWNS)) and makes
 * every mount there private. The child's mount(2) must then succeed and take
 * effect in the mount namespace the parent shares with it: "/" turns from
 * private to shared (a "shared:N" field in /proc/self/mountinfo). */
/* sched-clone-test: musl */
#include "common.h"
#include <sys/mount.h>

#define STACK_SIZE (1024 * 1024)

static volatile int child_mount_result = -2;
static volatile int child_mount_errno;

static int child_function(void *arg)
{
    (void)arg;
    child_mount_result = mount(NULL, "/", NULL, MS_SHARED | MS_REC, NULL);
    child_mount_errno = errno;
    if (child_mount_result == -1)
        return 1;
    printf("Child process created successfully! PID: %d\n", (int)getpid());
    printf("File system information shared with the parent.\n");
    fflush(stdout);
    return 0;
}

/* 1 if the mount at "/" is in a shared peer group, 0 if not, -1 on error. */
static int root_is_shared(void)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (f == NULL)
        return -1;
    char line[4096];
    int result = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        /* mount-id parent-id major:minor root mount-point options [fields] - ... */
        char root[1024], mnt[1024];
        if (sscanf(line, "%*d %*d %*s %1023s %1023s", root, mnt) != 2)
            continue;
        if (strcmp(mnt, "/") != 0)
            continue;
        char *sep = strstr(line, " - ");
        char *shared = strstr(line, " shared:");
        result = shared != NULL && (sep == NULL || shared < sep); /* the last "/" wins */
    }
    fclose(f);
    return result;
}

int main(void)
{
    assert_clone_is_ours();
    need_root();

    CHECK(unshare(CLONE_NEWNS) == 0, "unshare(CLONE_NEWNS): %s", strerror(errno));
    CHECK(mount(NULL, "/", NULL, MS_PRIVATE | MS_REC, NULL) == 0,
          "making / private: %s", strerror(errno));
    CHECK(root_is_shared() == 0, "/ is not private after MS_PRIVATE");

    void *stack = malloc(STACK_SIZE);
    CHECK(stack != NULL, "malloc failed");
    pid_t pid = clone(child_function, (char *)stack + STACK_SIZE,
                      CLONE_VM | CLONE_FS | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(child_mount_result == 0, "the child's mount failed (%d): %s",
          child_mount_result, strerror(child_mount_errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(root_is_shared() == 1, "the child's MS_SHARED did not reach the parent's namespace");

    free(stack);
    return 0;
}
