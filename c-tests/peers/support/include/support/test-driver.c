/* Included by a glibc test after it defines do_test: defines main. See
 * <support/test-driver.h> for the macros it reads. */
#include <support/test-driver.h>
#include <string.h>

#if defined(CMDLINE_OPTIONS) || defined(CMDLINE_PROCESS) || \
    defined(CLEANUP_HANDLER) || defined(RUN_COMMAND_MODE)
#error "c-tests/peers: this test uses a test-driver feature our support library does not implement"
#endif

int main(int argc, char **argv)
{
    struct test_config config;
    memset(&config, 0, sizeof config);
#ifdef PREPARE
    config.prepare_function = (PREPARE);
#endif
#if defined(TEST_FUNCTION) && defined(TEST_FUNCTION_ARGV)
#error "TEST_FUNCTION and TEST_FUNCTION_ARGV are exclusive"
#elif defined(TEST_FUNCTION)
    config.test_function = TEST_FUNCTION;
#elif defined(TEST_FUNCTION_ARGV)
    config.test_function_argv = TEST_FUNCTION_ARGV;
#else
    config.test_function = do_test;
#endif
#ifdef EXPECTED_STATUS
    config.expected_status = (EXPECTED_STATUS);
#endif
#ifdef EXPECTED_SIGNAL
    config.expected_signal = (EXPECTED_SIGNAL);
#endif
#ifdef TIMEOUT
    config.timeout = (TIMEOUT);
#endif
    return support_test_main(argc, argv, &config);
}
