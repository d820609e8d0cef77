/* Which glibc functions run on sched_clone's __clone in a fully static
 * glibc program linked with libsched_clone.a placed before libc.a.
 *
 * glibc 2.36's pthread_create and posix_spawn (and so system and popen,
 * and timer_create(SIGEV_THREAD)'s helper threads) create their children
 * with __clone_internal. Where glibc has a clone3 wrapper (x86_64, i386 in
 * 2.36) that tries clone3 first and calls __clone only when clone3 fails
 * with ENOSYS; elsewhere it always calls __clone. In a static link that
 * __clone is ours: our archive defines it before libc.a's clone.o is
 * searched (run.sh checks the link map). fork and vfork use the syscall.
 *
 * Counting: linked with -Wl,--wrap=__clone, so glibc's call of __clone
 * reaches __wrap___clone, which counts and calls __real___clone (ours).
 * Phase 1 runs each function as it is; phase 2 first installs a seccomp
 * filter that fails clone3 with ENOSYS (as on a kernel before 5.3) and
 * runs them again. Built with -DGLIBC_HAS_CLONE3=0 or 1 (and for
 * mtest.h -DEXPECT_SCHED_CLONE=1 -DMTEST_STATIC=1). */
#include "../tests/mtest.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <semaphore.h>
#include <spawn.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

extern char **environ;
static int calls;

int __real___clone(int (*fn)(void *), void *stack, int flags, void *arg, pid_t *ptid, void *tls, pid_t *ctid);
int __wrap___clone(int (*fn)(void *), void *stack, int flags, void *arg, pid_t *ptid, void *tls, pid_t *ctid)
{
    __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    return __real___clone(fn, stack, flags, arg, ptid, tls, ctid);
}

static void *thread_fn(void *arg)
{
    return arg;
}

static sem_t fired;
static void notify(union sigval v)
{
    (void)v;
    sem_post(&fired);
}

/* Runs one function; returns how many times it called __clone. */
static int run(const char *what)
{
    int before = __atomic_load_n(&calls, __ATOMIC_RELAXED);
    if (strcmp(what, "pthread_create") == 0) {
        pthread_t t;
        void *r;
        CHECK(pthread_create(&t, NULL, thread_fn, (void *)7) == 0, "pthread_create");
        CHECK(pthread_join(t, &r) == 0 && r == (void *)7, "pthread_join");
    } else if (strcmp(what, "posix_spawn") == 0) {
        char *argv[] = { "sh", "-c", "exit 4", NULL };
        pid_t pid;
        int st;
        CHECK(posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) == 0, "posix_spawn");
        CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 4, "status %#x", st);
    } else if (strcmp(what, "system") == 0) {
        int st = system("exit 5");
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5, "system status %#x", st);
    } else if (strcmp(what, "popen") == 0) {
        char buf[16] = "";
        FILE *p = popen("echo hi", "r");
        CHECK(p != NULL && fgets(buf, sizeof buf, p) != NULL, "popen");
        CHECK(pclose(p) == 0 && strcmp(buf, "hi\n") == 0, "popen read '%s'", buf);
    } else if (strcmp(what, "timer_create") == 0) {
        struct sigevent sev;
        memset(&sev, 0, sizeof sev);
        sev.sigev_notify = SIGEV_THREAD;
        sev.sigev_notify_function = notify;
        timer_t tm;
        CHECK(timer_create(CLOCK_MONOTONIC, &sev, &tm) == 0, "timer_create: %s", strerror(errno));
        struct itimerspec its = { { 0, 0 }, { 0, 10 * 1000 * 1000 } };
        CHECK(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime");
        while (sem_wait(&fired) != 0)
            CHECK(errno == EINTR, "sem_wait");
        timer_delete(tm);
        usleep(20 * 1000); /* the notification thread ends */
    } else if (strcmp(what, "fork") == 0) {
        pid_t pid = fork();
        CHECK(pid >= 0, "fork");
        if (pid == 0)
            _exit(6);
        int st;
        CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 6, "fork status %#x", st);
    }
    return __atomic_load_n(&calls, __ATOMIC_RELAXED) - before;
}

static const char *const functions[] = { "pthread_create", "posix_spawn", "system", "popen", "timer_create", "fork" };
#define N_FUNCTIONS (sizeof functions / sizeof functions[0])

/* Each function but fork calls __clone at least once when `expect_ours`. */
static void phase(const char *name, int expect_ours)
{
    for (size_t i = 0; i < N_FUNCTIONS; i++) {
        int n = run(functions[i]);
        int is_fork = strcmp(functions[i], "fork") == 0;
        printf("%s: %-15s %d call(s) of our __clone\n", name, functions[i], n);
        if (is_fork || !expect_ours)
            CHECK(n == 0, "%s: %s called __clone %d times, expected none", name, functions[i], n);
        else
            CHECK(n >= 1, "%s: %s did not call our __clone", name, functions[i]);
    }
}

static int deny_clone3(void)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { sizeof code / sizeof code[0], code };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    /* TSYNC: timer_create's helper thread, started in phase 1, too. */
    return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
}

int main(void)
{
    mtest_start(); /* clone is ours (and run.sh checked __clone in the link map) */
    CHECK(sem_init(&fired, 0, 0) == 0, "sem_init");

    long r = syscall(__NR_clone3, NULL, 0);
    int kernel_clone3 = !(r == -1 && errno == ENOSYS);
    printf("glibc clone3 wrapper: %s; clone3 in this kernel: %s\n", GLIBC_HAS_CLONE3 ? "yes" : "no",
           kernel_clone3 ? "yes" : "no (ENOSYS)");
    phase("as is", !GLIBC_HAS_CLONE3 || !kernel_clone3);
    if (!GLIBC_HAS_CLONE3 || !kernel_clone3)
        return 0; /* already all through __clone; phase 2 would change nothing */
    if (deny_clone3() != 0) {
        printf("SKIP: cannot install a seccomp filter (%s); phase 1 passed\n", strerror(errno));
        return 77;
    }
    phase("clone3 ENOSYS", 1);
    return 0;
}
