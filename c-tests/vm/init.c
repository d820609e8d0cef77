/* /init of the initramfs c-tests/vm.sh boots under qemu-system: runs every
 * program in /tests on a real kernel, as root, and powers the machine off.
 *
 * Serial output, one line per test, parsed by vm.sh:
 *   PASS name
 *   SKIP name (reason from the test's "SKIP: ..." line)
 *   FAIL name (exit N | signal N | timeout)
 *       | the test's output, for failures only
 *       | a passing test's "SUMMARY: " lines
 * then "vm: N passed, N failed, N skipped" and "vm: done".
 *
 * Each test runs in its own process group with /tmp as working directory,
 * its output in a file on a tmpfs of its own; a test still running after
 * the timeout (kernel command line sched_clone_timeout=SECONDS, which the
 * kernel hands to init as an environment variable; default 120) is killed
 * with its group. A file /timeouts/NAME holding a number of seconds
 * overrides that timeout for the test NAME (vm.sh writes those). Built
 * fully static with the cross gcc; not linked with sched_clone (the tests
 * are). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOG_DIR "/run/vm-logs"

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

static void do_mount(const char *src, const char *dir, const char *type, const char *opts)
{
    mkdir(dir, 0755);
    if (mount(src, dir, type, 0, opts) != 0)
        say("vm: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static void power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    /* Not reached; if it were, the kernel panics when init exits
     * (panic=-1 on the command line turns that into a reboot, and
     * qemu's -no-reboot into an exit). */
    _exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Copies a test's log to the console: the SKIP reason, or all of it. */
static void show_log(const char *path, int skip_reason_only, const char *name, const char *status,
                     const char *detail)
{
    char line[1024];
    char reason[1024] = "";
    FILE *f = fopen(path, "r");
    if (skip_reason_only && f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "SKIP: ", 6) == 0) {
                snprintf(reason, sizeof reason, "%s", line + 6);
                reason[strcspn(reason, "\r\n")] = '\0';
                break;
            }
        }
    }
    if (skip_reason_only)
        say("%s %s (%s)\n", status, name, reason[0] ? reason : "no reason given");
    else
        say("%s %s (%s)\n", status, name, detail);
    if (!skip_reason_only && f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            line[strcspn(line, "\r\n")] = '\0';
            say("    | %s\n", line);
        }
    }
    if (f != NULL)
        fclose(f);
}

/* Copies the lines of a passing test's log that start with "SUMMARY: "
 * (figures the test wants on record) to the console. */
static void show_summary(const char *path)
{
    char line[1024];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "SUMMARY: ", 9) == 0) {
            line[strcspn(line, "\r\n")] = '\0';
            say("    | %s\n", line);
        }
    }
    fclose(f);
}

int main(void)
{
    do_mount("devtmpfs", "/dev", "devtmpfs", NULL);
    int con = open("/dev/console", O_RDWR);
    if (con >= 0) {
        dup2(con, 0);
        dup2(con, 1);
        dup2(con, 2);
        if (con > 2)
            close(con);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    do_mount("proc", "/proc", "proc", NULL);
    do_mount("sysfs", "/sys", "sysfs", NULL);
    do_mount("cgroup2", "/sys/fs/cgroup", "cgroup2", NULL);
    do_mount("tmpfs", "/tmp", "tmpfs", "mode=1777");
    do_mount("tmpfs", "/run", "tmpfs", "mode=0755");
    mkdir(LOG_DIR, 0755);
    /* Show the kernel's reports of crashed programs (unhandled signals are
     * logged at KERN_INFO), which "quiet" hides at boot. */
    klogctl(8, NULL, 7);
    setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
    setenv("HOME", "/tmp", 1);

    const char *t = getenv("sched_clone_timeout");
    int timeout_s = t != NULL && atoi(t) > 0 ? atoi(t) : 120;

    struct dirent **names;
    int n = scandir("/tests", &names, NULL, alphasort);
    if (n < 0) {
        say("vm: /tests: %s\n", strerror(errno));
        power_off();
    }
    char kver[256] = "";
    FILE *f = fopen("/proc/sys/kernel/osrelease", "r");
    if (f != NULL) {
        if (fgets(kver, sizeof kver, f) == NULL)
            kver[0] = '\0';
        kver[strcspn(kver, "\n")] = '\0';
        fclose(f);
    }
    say("vm: start, kernel %s, uid %d, timeout %ds\n", kver, (int)getuid(), timeout_s);

    int passed = 0, failed = 0, skipped = 0;
    double t_start = now();
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] == '.')
            continue;
        char exe[512], log[512];
        snprintf(exe, sizeof exe, "/tests/%s", name);
        snprintf(log, sizeof log, LOG_DIR "/%s.log", name);
        int limit_s = timeout_s;
        char tpath[512];
        snprintf(tpath, sizeof tpath, "/timeouts/%s", name);
        FILE *tf = fopen(tpath, "r");
        if (tf != NULL) {
            int v = 0;
            if (fscanf(tf, "%d", &v) == 1 && v > 0)
                limit_s = v;
            fclose(tf);
        }
        double t0 = now();
        pid_t pid = fork();
        if (pid < 0) {
            say("FAIL %s (fork: %s)\n", name, strerror(errno));
            failed++;
            continue;
        }
        if (pid == 0) {
            setpgid(0, 0);
            int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int in = open("/dev/null", O_RDONLY);
            if (out < 0 || in < 0 || chdir("/tmp") != 0)
                _exit(126);
            dup2(in, 0);
            dup2(out, 1);
            dup2(out, 2);
            close(in);
            close(out);
            char *argv[] = { exe, NULL };
            execv(exe, argv);
            _exit(127);
        }
        setpgid(pid, pid);
        int status = 0, done = 0, timed_out = 0;
        while (!done) {
            int st;
            pid_t w = waitpid(-1, &st, WNOHANG | __WALL);
            if (w == pid) {
                status = st;
                done = 1;
            } else if (w > 0) {
                continue; /* an orphan of an earlier test, reparented to us */
            } else if (now() - t0 > limit_s) {
                kill(-pid, SIGKILL);
                kill(pid, SIGKILL);
                timed_out = 1;
                waitpid(pid, &status, __WALL);
                done = 1;
            } else {
                struct timespec ts = { 0, 20 * 1000 * 1000 };
                nanosleep(&ts, NULL);
            }
        }
        /* Whatever the test left behind in its group goes too. */
        kill(-pid, SIGKILL);
        while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
            ;
        char detail[64];
        if (timed_out) {
            snprintf(detail, sizeof detail, "timeout after %ds", limit_s);
        } else if (WIFEXITED(status)) {
            snprintf(detail, sizeof detail, "exit %d", WEXITSTATUS(status));
        } else if (WIFSIGNALED(status)) {
            snprintf(detail, sizeof detail, "signal %d", WTERMSIG(status));
        } else {
            snprintf(detail, sizeof detail, "status %#x", status);
        }
        if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            say("PASS %s\n", name);
            show_summary(log);
            passed++;
        } else if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 77) {
            show_log(log, 1, name, "SKIP", NULL);
            skipped++;
        } else {
            show_log(log, 0, name, "FAIL", detail);
            failed++;
        }
        say("vm: time %s %.2fs\n", name, now() - t0);
    }
    say("vm: %d passed, %d failed, %d skipped in %.1fs\n", passed, failed, skipped, now() - t_start);
    say("vm: done\n");
    power_off();
}
