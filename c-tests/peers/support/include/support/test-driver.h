/* sched_clone's own test driver for glibc's clone tests: the protocol of
 * glibc's <support/test-driver.h> (a test defines do_test and includes
 * <support/test-driver.c>, which defines main), with what those tests use:
 *
 *   do_test() (or TEST_FUNCTION / TEST_FUNCTION_ARGV), EXPECTED_STATUS,
 *   EXPECTED_SIGNAL, TIMEOUT (seconds, default 20), PREPARE.
 *
 * support_test_main runs the test function in a forked subprocess and
 * waits for it, as glibc's driver does (so a test may check how its whole
 * process ends: tst-clone3 expects the status its main thread returns, not
 * the one its CLONE_THREAD child returns). The driver's exit status:
 * 0 the test passed, 77 unsupported (EXIT_UNSUPPORTED), 1 anything else
 * (wrong status, a signal, a timeout, or a failure recorded by a check in
 * any of the test's processes). */
#ifndef PEER_SUPPORT_TEST_DRIVER_H
#define PEER_SUPPORT_TEST_DRIVER_H

struct test_config {
    void (*prepare_function)(int argc, char **argv);
    int (*test_function)(void);
    int (*test_function_argv)(int argc, char **argv);
    int expected_status;
    int expected_signal;
    int timeout;
};

int support_test_main(int argc, char **argv, const struct test_config *config);

#endif
