/* clone_bench: glibc's clone() against ours, in one process, interleaved.
 *
 *   clone_bench [--rounds R] [--scale X]   (X scales every iteration count)
 *
 * Modes (each a full clone + join; the child runs a function that returns
 * at once):
 *   vfork-style   CLONE_VM | CLONE_VFORK | SIGCHLD, then waitpid
 *   thread-style  VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|PARENT_SETTID|
 *                 CHILD_CLEARTID, joined on the CLEARTID futex
 *   fork-like     SIGCHLD, then waitpid
 * plus two rows that isolate the wrapper itself, where no child is made:
 *   err-null-fn   fn == NULL: EINVAL from the wrapper, no syscall
 *   err-kernel    CLONE_SIGHAND without CLONE_VM: one syscall, EINVAL
 *
 * Every round runs every mode with both implementations, back to back, in
 * an order that alternates from round to round (glibc first in even
 * rounds, ours first in odd ones), after one untimed warm-up round. The
 * table gives, per mode and implementation, the median ns per call over
 * the rounds and the spread (min..max), and the ratio ours/glibc of the
 * medians with the min..max of the per-round ratios.
 * glibc's clone is reached with dlopen("libc.so.6", RTLD_NOLOAD) + dlsym;
 * dladdr proves where each pointer lives. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef int (*clone_fn_t)(int (*)(void *), void *, int, void *, ...);

#define DIE(...)                                                                                   \
    do {                                                                                           \
        fprintf(stderr, "clone_bench: " __VA_ARGS__);                                              \
        fputc('\n', stderr);                                                                       \
        exit(1);                                                                                   \
    } while (0)

static volatile pid_t ctid;

static int child(void *arg)
{
    (void)arg;
    return 0;
}

enum { M_VFORK, M_THREAD, M_FORK, M_ERR_NULL, M_ERR_KERNEL, M_COUNT };
static const char *mode_name[] = { "vfork-style", "thread-style", "fork-like", "err-null-fn", "err-kernel" };
static const long base_iters[] = { 2000, 4000, 600, 200000, 100000 };

static char *stack_top_;

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void join_tid(void)
{
    pid_t v;
    while ((v = __atomic_load_n(&ctid, __ATOMIC_ACQUIRE)) != 0)
        syscall(SYS_futex, &ctid, FUTEX_WAIT, v, NULL, NULL, 0);
}

/* ns per call of `mode` with `cl`, over `n` calls. */
static double run(clone_fn_t cl, int mode, long n)
{
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        int st;
        pid_t t;
        switch (mode) {
        case M_VFORK:
            t = cl(child, stack_top_, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
            if (t <= 0 || waitpid(t, &st, 0) != t)
                DIE("vfork-style clone: %s", strerror(errno));
            break;
        case M_THREAD:
            t = cl(child, stack_top_,
                   CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                       CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
                   NULL, &ctid, NULL, &ctid);
            if (t <= 0)
                DIE("thread-style clone: %s", strerror(errno));
            join_tid();
            break;
        case M_FORK:
            t = cl(child, stack_top_, SIGCHLD, NULL);
            if (t <= 0 || waitpid(t, &st, 0) != t)
                DIE("fork-like clone: %s", strerror(errno));
            break;
        case M_ERR_NULL:
            if (cl(NULL, stack_top_, SIGCHLD, NULL) != -1 || errno != EINVAL)
                DIE("NULL fn did not give EINVAL");
            break;
        case M_ERR_KERNEL:
            if (cl(child, stack_top_, CLONE_SIGHAND | SIGCHLD, NULL) != -1 || errno != EINVAL)
                DIE("CLONE_SIGHAND without CLONE_VM did not give EINVAL");
            break;
        }
    }
    return (now_ns() - t0) / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    double tmp[64];
    memcpy(tmp, v, sizeof(double) * (size_t)n);
    qsort(tmp, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static void minmax(const double *v, int n, double *lo, double *hi)
{
    *lo = *hi = v[0];
    for (int i = 1; i < n; i++) {
        if (v[i] < *lo) *lo = v[i];
        if (v[i] > *hi) *hi = v[i];
    }
}

int main(int argc, char **argv)
{
    int rounds = 7;
    double scale = 1.0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--scale") && i + 1 < argc) scale = atof(argv[++i]);
        else DIE("usage: %s [--rounds R (1..63)] [--scale X]", argv[0]);
    }
    if (rounds < 1 || rounds > 63 || scale <= 0)
        DIE("bad --rounds or --scale");

    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    if (!libc)
        DIE("dlopen libc.so.6: %s", dlerror());
    clone_fn_t impl[2] = { (clone_fn_t)dlsym(libc, "clone"), clone };
    Dl_info gi, oi;
    if (!impl[0] || !dladdr((void *)impl[0], &gi) || !dladdr((void *)impl[1], &oi) ||
        !strstr(gi.dli_fname, "libc.so.6") || !strstr(oi.dli_fname, "libsched_clone"))
        DIE("could not tell the two clones apart (glibc: %s, ours: %s)", impl[0] ? gi.dli_fname : "?",
            oi.dli_fname ? oi.dli_fname : "?");
    printf("glibc: clone at %p in %s\nours:  clone at %p in %s\n", (void *)impl[0], gi.dli_fname,
           (void *)impl[1], oi.dli_fname);

    size_t size = 256 * 1024;
    char *stk = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stk == MAP_FAILED)
        DIE("mmap: %s", strerror(errno));
    memset(stk, 0, size); /* fault the stack in before timing */
    stack_top_ = stk + size;

    long iters[M_COUNT];
    for (int m = 0; m < M_COUNT; m++) {
        iters[m] = (long)((double)base_iters[m] * scale);
        if (iters[m] < 1)
            iters[m] = 1;
    }
    printf("%d rounds (+1 warm-up) x iterations per round: ", rounds);
    for (int m = 0; m < M_COUNT; m++)
        printf("%s %ld%s", mode_name[m], iters[m], m + 1 < M_COUNT ? ", " : "\n");
    fflush(stdout);

    static double ns[2][M_COUNT][64];
    for (int r = -1; r < rounds; r++) {
        for (int m = 0; m < M_COUNT; m++) {
            int first = (r + 1) & 1; /* alternate the order */
            double a = run(impl[first], m, iters[m]);
            double b = run(impl[!first], m, iters[m]);
            if (r >= 0) {
                ns[first][m][r] = a;
                ns[!first][m][r] = b;
            }
        }
    }

    printf("\n%-13s %28s %28s %7s %14s\n", "mode", "glibc ns/call", "ours ns/call", "ours/", "per-round");
    printf("%-13s %28s %28s %7s %14s\n", "", "median (min..max)", "median (min..max)", "glibc", "ratio min..max");
    for (int m = 0; m < M_COUNT; m++) {
        double med[2], lo[2], hi[2], ratio[64], rlo, rhi;
        for (int i = 0; i < 2; i++) {
            med[i] = median(ns[i][m], rounds);
            minmax(ns[i][m], rounds, &lo[i], &hi[i]);
        }
        for (int r = 0; r < rounds; r++)
            ratio[r] = ns[1][m][r] / ns[0][m][r];
        minmax(ratio, rounds, &rlo, &rhi);
        char g[64], o[64];
        snprintf(g, sizeof g, "%.1f (%.1f..%.1f)", med[0], lo[0], hi[0]);
        snprintf(o, sizeof o, "%.1f (%.1f..%.1f)", med[1], lo[1], hi[1]);
        printf("%-13s %28s %28s %7.3f %6.3f..%.3f\n", mode_name[m], g, o, med[1] / med[0], rlo, rhi);
    }
    return 0;
}
