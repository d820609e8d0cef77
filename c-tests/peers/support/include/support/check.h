/* sched_clone's own implementation of the part of glibc's <support/check.h>
 * that glibc's clone tests use. Written for c-tests/peers; the names and the
 * meaning of each macro follow glibc's test-support API, the code is ours.
 *
 * A failed check prints "error: FILE:LINE: ..." to stdout (as glibc's tests
 * expect: stdout keeps the order of the test's own messages) and either
 * records the failure (the test goes on, its final status becomes 1) or
 * exits at once with status 1. FAIL_UNSUPPORTED exits with 77. */
#ifndef PEER_SUPPORT_CHECK_H
#define PEER_SUPPORT_CHECK_H

#include <stdlib.h>

#define EXIT_UNSUPPORTED 77

/* Record a failure and print the message; go on. */
#define FAIL(...) support_print_failure(0, __FILE__, __LINE__, __VA_ARGS__)
/* Record a failure, print the message and return 1 from the function. */
#define FAIL_RET(...) \
    return (support_print_failure(0, __FILE__, __LINE__, __VA_ARGS__), 1)
/* Print the message and exit with status 1. */
#define FAIL_EXIT1(...) support_exit_failure(1, __FILE__, __LINE__, __VA_ARGS__)
/* Print the message and exit with status STATUS. */
#define FAIL_EXIT(status, ...) \
    support_exit_failure(status, __FILE__, __LINE__, __VA_ARGS__)
/* The test cannot run here: exit with EXIT_UNSUPPORTED. */
#define FAIL_UNSUPPORTED(...) \
    support_exit_failure(EXIT_UNSUPPORTED, __FILE__, __LINE__, __VA_ARGS__)

/* Record a failure when EXPR is false; go on. */
#define TEST_VERIFY(expr)                                                \
    ((expr) ? (void)0 : support_verify_failed(0, __FILE__, __LINE__, #expr))
/* Exit with status 1 when EXPR is false. */
#define TEST_VERIFY_EXIT(expr)                                           \
    ((expr) ? (void)0 : support_verify_failed(1, __FILE__, __LINE__, #expr))

/* Record a failure when two integer expressions differ; both values are
 * printed. The comparison is made on the values as the test wrote them,
 * so a signed/unsigned mismatch is reported, not hidden. */
#define TEST_COMPARE(left, right)                                           \
    do {                                                                    \
        __typeof__(left) peer_left_ = (left);                               \
        __typeof__(right) peer_right_ = (right);                            \
        int peer_lneg_ = (__typeof__(left))-1 < 1 && peer_left_ < 0;        \
        int peer_rneg_ = (__typeof__(right))-1 < 1 && peer_right_ < 0;      \
        if (peer_lneg_ != peer_rneg_ ||                                     \
            (unsigned long long)peer_left_ != (unsigned long long)peer_right_) \
            support_compare_failed(__FILE__, __LINE__, #left,               \
                                   (long long)peer_left_, #right,           \
                                   (long long)peer_right_);                 \
    } while (0)

/* Adds one failure to the count the test driver reports (shared with the
 * test's subprocesses: a child's failure fails the test too). */
void support_record_failure(void);
void support_print_failure(int unused, const char *file, int line,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
_Noreturn void support_exit_failure(int status, const char *file, int line,
                                    const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void support_verify_failed(int exit_now, const char *file, int line,
                           const char *expr);
void support_compare_failed(const char *file, int line, const char *left,
                            long long lvalue, const char *right,
                            long long rvalue);

#endif
