/* sched_clone's own implementation of the checks, x-wrappers, stacks and
 * /dev/null descriptor runs of glibc's test-support API, as far as glibc's
 * clone tests use them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <support/check.h>
#include <support/support.h>
#include <support/xsched.h>
#include <support/xunistd.h>

#include "peer_state.h"

void support_record_failure(void)
{
    if (peer_shared_state != NULL)
        __atomic_add_fetch(&peer_shared_state->failures, 1, __ATOMIC_SEQ_CST);
}

static void print_message(const char *file, int line, const char *fmt, va_list ap)
{
    printf("error: %s:%d: ", file, line);
    vprintf(fmt, ap);
    if (fmt[0] == '\0' || fmt[strlen(fmt) - 1] != '\n')
        putchar('\n');
    fflush(stdout);
}

void support_print_failure(int unused, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    (void)unused;
    support_record_failure();
    va_start(ap, fmt);
    print_message(file, line, fmt, ap);
    va_end(ap);
}

void support_exit_failure(int status, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    if (status != EXIT_UNSUPPORTED)
        support_record_failure();
    va_start(ap, fmt);
    if (status == EXIT_UNSUPPORTED) {
        printf("warning: unsupported: %s:%d: ", file, line);
        vprintf(fmt, ap);
        putchar('\n');
        fflush(stdout);
    } else {
        print_message(file, line, fmt, ap);
    }
    va_end(ap);
    exit(status);
}

void support_verify_failed(int exit_now, const char *file, int line, const char *expr)
{
    support_record_failure();
    printf("error: %s:%d: not true: %s\n", file, line, expr);
    fflush(stdout);
    if (exit_now)
        exit(1);
}

void support_compare_failed(const char *file, int line, const char *left, long long lvalue,
                            const char *right, long long rvalue)
{
    support_record_failure();
    printf("error: %s:%d: value of %s (%lld) != value of %s (%lld)\n", file, line, left,
           lvalue, right, rvalue);
    fflush(stdout);
}

pid_t xwaitpid(pid_t pid, int *status, int flags)
{
    pid_t r = waitpid(pid, status, flags);
    if (r < 0)
        FAIL_EXIT1("waitpid(%d, %#x): %m", (int)pid, (unsigned)flags);
    return r;
}

void xclose(int fd)
{
    if (close(fd) < 0 && errno != EINTR)
        FAIL_EXIT1("close(%d): %m", fd);
}

/* The call of the public wrapper: this is where tst-close_range reaches
 * whichever `clone` the program is bound to. */
pid_t xclone(int (*fn)(void *arg), void *arg, void *stack, size_t stack_size, int flags)
{
    pid_t r = clone(fn, (char *)stack + stack_size, flags, arg, NULL, NULL, NULL);
    if (r < 0)
        FAIL_EXIT1("clone(flags %#x): %m", (unsigned)flags);
    return r;
}

struct support_stack support_stack_alloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t usable = (size + page - 1) / page * page;
    struct support_stack s = {NULL, usable, page};
    char *p = mmap(NULL, usable + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
                   -1, 0);
    if (p == MAP_FAILED)
        FAIL_EXIT1("mmap of a %zu-byte stack: %m", usable);
    if (mprotect(p + page, usable, PROT_READ | PROT_WRITE) != 0)
        FAIL_EXIT1("mprotect: %m");
    s.stack = p + page;
    return s;
}

void support_stack_free(struct support_stack *s)
{
    if (munmap((char *)s->stack - s->guardsize, s->size + 2 * s->guardsize) != 0)
        FAIL_EXIT1("munmap: %m");
}

static int fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

int support_open_dev_null_range(int num, int flags, int mode)
{
    /* The lowest start of NUM free descriptors in a row. */
    int low = 0;
    for (int i = 0; i < num; i++) {
        if (fd_is_open(low + i)) {
            low = low + i + 1;
            i = -1;
        }
    }
    for (int i = 0; i < num; i++) {
        int fd = open("/dev/null", flags, mode);
        if (fd < 0)
            FAIL_EXIT1("open /dev/null: %m");
        if (fd != low + i) {
            int moved = fcntl(fd, (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, low + i);
            if (moved != low + i)
                FAIL_EXIT1("cannot place /dev/null at descriptor %d (got %d): %m", low + i, moved);
            xclose(fd);
        }
    }
    return low;
}
