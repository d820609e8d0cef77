/* The older protocol of glibc's tests: a test defines
 * `#define TEST_FUNCTION do_test ()` (an expression, not a function name)
 * and includes "../test-skeleton.c", which the compiler finds here through
 * the include path (-I support/include). It turns the expression into a
 * test function for <support/test-driver.c>. The headers are the ones such
 * tests rely on without including them (tst-getpid3 calls kill()). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <support/check.h>

static int peer_legacy_test_function(int argc, char **argv)
{
    (void)argc;
    (void)argv;
#ifdef TEST_FUNCTION
    return TEST_FUNCTION;
#undef TEST_FUNCTION
#else
    return do_test(argc, argv);
#endif
}
#define TEST_FUNCTION_ARGV peer_legacy_test_function
#ifdef PREPARE
#error "c-tests/peers: PREPARE in a test-skeleton test is not implemented"
#endif

#include <support/test-driver.c>
