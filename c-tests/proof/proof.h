/* Helpers shared by the proof programs (stress, fault and guard tests).
 * Include after ../common.h. */
#ifndef SCHED_CLONE_PROOF_H
#define SCHED_CLONE_PROOF_H

#include <dirent.h>
#include <inttypes.h>
#include <stdbool.h>
#include <time.h>

/* splitmix64: every random choice in the proof programs comes from it, so
 * a run is reproduced by its seed. */
static inline uint64_t proof_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A seed from the clock, for runs that were not given one. */
static inline uint64_t proof_clock_seed(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t)t.tv_sec * 1000003u ^ (uint64_t)t.tv_nsec;
}

/* Parses `--seed S` and `--NAME N` (one numeric option besides the seed);
 * prints the seed. Unknown options fail. */
static inline void proof_args(int argc, char **argv, const char *name, uint64_t *value,
                              uint64_t *seed)
{
    bool seeded = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            *seed = strtoull(argv[++i], NULL, 0);
            seeded = true;
        } else if (name && argv[i][0] == '-' && argv[i][1] == '-' && !strcmp(argv[i] + 2, name) &&
                   i + 1 < argc) {
            *value = strtoull(argv[++i], NULL, 0);
        } else {
            fprintf(stderr, "usage: %s [--seed S]%s%s%s\n", argv[0], name ? " [--" : "",
                    name ? name : "", name ? " N]" : "");
            exit(2);
        }
    }
    if (!seeded)
        *seed = proof_clock_seed();
    printf("seed=%" PRIu64 "\n", *seed);
    fflush(stdout);
}

static inline double proof_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Raw futex calls for child functions: no errno, no libc (x86_64's
 * convention: clang, unlike gcc, checks the constraints of an unused
 * inline function). */
#if defined(__x86_64__)
static inline long proof_futex(volatile int *addr, int op, int val)
{
    register long r10 __asm__("r10") = 0;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"((long)SYS_futex), "D"(addr), "S"((long)op), "d"((long)val), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}
#endif

/* Entries in a /proc directory, "." and ".." aside. */
static inline int proof_dir_entries(const char *path)
{
    DIR *d = opendir(path);
    CHECK(d != NULL, "opendir %s: %s", path, strerror(errno));
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* Open file descriptors of this process. */
static inline int proof_fd_count(void)
{
    return proof_dir_entries("/proc/self/fd") - 1; /* the stream's own descriptor */
}

/* Threads of this process. */
static inline int proof_task_count(void)
{
    return proof_dir_entries("/proc/self/task");
}

/* Resident set size in KiB (/proc/self/statm, second field). */
static inline long proof_rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    CHECK(f != NULL, "fopen statm: %s", strerror(errno));
    long size, resident;
    CHECK(fscanf(f, "%ld %ld", &size, &resident) == 2, "statm unreadable");
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static inline long proof_read_long(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    if (fscanf(f, "%ld", &v) != 1)
        v = -1;
    fclose(f);
    return v;
}

#endif
