/* gdb's backtrace from inside fn ends cleanly at the library's trampoline:
 * `bt` in a cloned thread shows fn, then the trampoline as the outermost
 * frame (in libsched_clone.so when linked dynamically or preloaded), with
 * no "Backtrace stopped: ..." or "corrupt stack" complaint: the trampoline
 * marks the child's return address undefined in its CFI.
 *
 * The program runs itself under gdb (`gdb -batch ... --args SELF --child`):
 * in the --child role it clones a thread running child_fn, where gdb stops
 * at a breakpoint. The thread is a full pthread-style clone (exit signal 0),
 * which gdb follows as a new LWP of the same process. SKIP without gdb. */
/* sched-clone-test: musl */
#include "common.h"
#include <fcntl.h>

#define STACK_SIZE (64 * 1024)

static volatile pid_t ctid;

__attribute__((noinline)) int child_fn(void *arg)
{
    __asm__ volatile("" : : "r"(arg) : "memory");
    return 0;
}

static int run_child_role(void)
{
    void *stack = alloc_stack(STACK_SIZE);
    pid_t tid = clone(child_fn, stack_top(stack, STACK_SIZE),
                      THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, NULL,
                      (pid_t *)&ctid, NULL, (pid_t *)&ctid);
    CHECK(tid > 0, "clone: %s", strerror(errno));
    wait_tid_cleared(&ctid);
    return 0;
}

static const char *find_gdb(void)
{
    static const char *const candidates[] = { "/usr/bin/gdb", "/usr/local/bin/gdb", "/bin/gdb" };
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (access(candidates[i], X_OK) == 0)
            return candidates[i];
    return NULL;
}

/* Runs gdb on this program in its child role; returns gdb's output. */
static char *run_gdb(const char *gdb, const char *self)
{
    int out[2];
    CHECK(pipe(out) == 0, "pipe: %s", strerror(errno));
    /* A preloaded library must reach the debuggee, not gdb itself. */
    const char *preload = getenv("LD_PRELOAD");
    char set_env[4096] = "echo";
    if (preload != NULL)
        snprintf(set_env, sizeof set_env, "set environment LD_PRELOAD=%s", preload);

    pid_t pid = fork();
    CHECK(pid != -1, "fork: %s", strerror(errno));
    if (pid == 0) {
        unsetenv("LD_PRELOAD");
        dup2(out[1], 1);
        dup2(out[1], 2);
        close(out[0]);
        close(out[1]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        execl(gdb, gdb, "-nx", "-batch",
              "-iex", "set debuginfod enabled off",
              "-ex", "set pagination off",
              "-ex", "set confirm off",
              "-ex", set_env,
              "-ex", "break child_fn",
              "-ex", "run",
              "-ex", "echo ==bt==\\n",
              "-ex", "bt",
              "-ex", "echo ==end==\\n",
              "-ex", "info frame",
              "-ex", "kill",
              "--args", self, "--child", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    CHECK(buf != NULL, "malloc failed");
    ssize_t n;
    while ((n = read(out[0], buf + len, cap - 1 - len)) > 0) {
        len += (size_t)n;
        if (len == cap - 1) {
            cap *= 2;
            buf = realloc(buf, cap);
            CHECK(buf != NULL, "realloc failed");
        }
    }
    buf[len] = '\0';
    close(out[0]);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 127, "could not run %s", gdb);
    return buf;
}

int main(int argc, char **argv)
{
    assert_clone_is_ours();
    if (argc > 1 && strcmp(argv[1], "--child") == 0)
        return run_child_role();

    const char *gdb = find_gdb();
    if (gdb == NULL)
        test_skip("gdb is not installed");
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(n > 0, "readlink: %s", strerror(errno));
    self[n] = '\0';

    char *output = run_gdb(gdb, self);
    fputs(output, stdout);
    fflush(stdout);

    if (strstr(output, "ptrace: Operation not permitted") != NULL)
        test_skip("ptrace is not permitted here");
    char *bt = strstr(output, "==bt==\n");
    char *end = strstr(output, "==end==\n");
    CHECK(bt != NULL && end != NULL && end > bt, "no backtrace in gdb's output");
    bt += strlen("==bt==\n");
    *end = '\0';

    CHECK(strstr(bt, "Backtrace stopped") == NULL, "the backtrace did not end cleanly");
    CHECK(strstr(bt, "corrupt stack") == NULL, "gdb reports a corrupt stack");
    CHECK(strncmp(bt, "#0 ", 3) == 0 && strstr(bt, "child_fn") != NULL &&
              strstr(bt, "child_fn") < strchr(bt, '\n'),
          "gdb did not stop in child_fn");

    /* The outermost frame: the last line that starts with '#'. */
    char *last = NULL;
    int frames = 0;
    for (char *line = bt; line != NULL && *line != '\0';) {
        char *nl = strchr(line, '\n');
        if (*line == '#') {
            last = line;
            frames++;
        }
        if (nl != NULL)
            *nl = '\0';
        line = nl ? nl + 1 : NULL;
    }
    CHECK(frames == 2, "%d frames, expected child_fn and the trampoline", frames);
    CHECK(strstr(last, "sched_clone") != NULL,
          "the outermost frame is not sched_clone's trampoline: %s", last);
#if defined(SCHED_CLONE_MODE_DYNAMIC) || defined(SCHED_CLONE_MODE_PRELOAD)
    CHECK(strstr(last, "libsched_clone") != NULL,
          "the outermost frame is not in libsched_clone.so: %s", last);
#endif
    printf("outermost frame: %s\n", last);
    free(output);
    return 0;
}
