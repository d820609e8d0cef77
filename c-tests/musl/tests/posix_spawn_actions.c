/* posix_spawn with file actions: open a file as the child's stdout, dup2
 * it to stderr, close a descriptor; the child's exit status and output
 * arrive, and the parent's descriptors are untouched. */
#include "mtest.h"
#include <fcntl.h>
#include <spawn.h>

extern char **environ;

int main(void)
{
    mtest_start();
    const char *out = "mtest_spawn.out";
    unlink(out);
    int keep = open("/dev/null", O_RDONLY);
    CHECK(keep >= 0, "open");
    posix_spawn_file_actions_t fa;
    CHECK(posix_spawn_file_actions_init(&fa) == 0, "init");
    CHECK(posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644) == 0, "addopen");
    CHECK(posix_spawn_file_actions_adddup2(&fa, 1, 2) == 0, "adddup2");
    CHECK(posix_spawn_file_actions_addclose(&fa, keep) == 0, "addclose");
    char script[128];
    snprintf(script, sizeof script, "echo out; echo err >&2; [ -e /proc/self/fd/%d ] && exit 9; exit 3", keep);
    char *argv[] = { "sh", "-c", script, NULL };
    pid_t pid;
    int e = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
    CHECK(e == 0, "posix_spawn: %s", strerror(e));
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "child status %#x", st);
    char buf[64] = "";
    FILE *f = fopen(out, "r");
    CHECK(f != NULL, "no output file");
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    CHECK(strcmp(buf, "out\nerr\n") == 0, "output '%s'", buf);
    CHECK(fcntl(keep, F_GETFD) >= 0, "the parent's descriptor was closed");
    /* A program that does not exist: the error comes back from the child. */
    char *argv2[] = { "nonexistent", NULL };
    e = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, argv2, environ);
    CHECK(e == ENOENT, "posix_spawn of a missing program: %d (%s)", e, strerror(e));
    unlink(out);
    return 0;
}
