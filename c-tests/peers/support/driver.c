/* support_test_main: runs a glibc test's test function in a subprocess,
 * checks how it ended, and reports what the test called.
 *
 * Before the test runs, the driver proves that `clone` in this program is
 * sched_clone's, with c-tests/common.h's assert_clone_is_ours (dladdr in
 * the dynamic and preload modes, the executable and the distance from
 * sched_clone_version in the static ones). The program is linked with
 * --wrap=clone, so the driver asks about __real_clone: the symbol the
 * counting jump goes on to (the `#define` below renames the declaration
 * <sched.h> makes and the address common.h takes). After the test, it
 * prints one line for the runner:
 *   sched-clone-peer: clone_calls=N __clone_calls=M failures=F
 * N and M count the calls of the wrappers made by the test's code in all
 * of its processes (clone_counter.c). */
#define _GNU_SOURCE
#define clone __real_clone
#include "../../common.h"
#undef clone

#include <support/check.h>
#include <support/test-driver.h>

#include "peer_state.h"

struct peer_shared *peer_shared_state;

__attribute__((constructor(101))) static void peer_state_init(void)
{
    void *p = mmap(NULL, sizeof(struct peer_shared), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("sched-clone-peer: mmap of the shared state");
        _exit(1);
    }
    peer_shared_state = p;
}

static volatile pid_t test_pid;
static volatile sig_atomic_t timed_out;

static void on_timeout(int sig)
{
    (void)sig;
    timed_out = 1;
    if (test_pid > 0) {
        kill(-test_pid, SIGKILL);
        kill(test_pid, SIGKILL);
    }
}

int support_test_main(int argc, char **argv, const struct test_config *config)
{
    /* TIMEOUT, else 20 s; SCHED_CLONE_PEER_TIMEOUT (seconds) overrides both. */
    int timeout = config->timeout > 0 ? config->timeout : 20;
    const char *t = getenv("SCHED_CLONE_PEER_TIMEOUT");
    if (t != NULL && atoi(t) > 0)
        timeout = atoi(t);
    int status, verdict;

#ifdef SCHED_CLONE_MODE_PRELOAD
    /* glibc-tests.sh's mutant runs only (support/mutant.c in front of us):
     * clone is then deliberately not ours, and the run proves nothing. */
    if (getenv("SCHED_CLONE_PEER_MUTANT") != NULL)
        fprintf(stderr, "sched-clone-peer: mutant run, clone is not ours\n");
    else
#endif
        assert_clone_is_ours();
    setvbuf(stdout, NULL, _IONBF, 0);
    if (config->prepare_function != NULL)
        config->prepare_function(argc, argv);

    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* The test's own process group, so that a timeout kills it all. */
        setpgid(0, 0);
        int r = config->test_function_argv != NULL ? config->test_function_argv(argc, argv)
                                                   : config->test_function();
        exit(r);
    }
    test_pid = pid;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_timeout;
    sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned)timeout);
    pid_t w;
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    alarm(0);
    CHECK(w == pid, "waitpid: %s", strerror(errno));
    kill(-pid, SIGKILL); /* what the test left running */

    unsigned long failures = peer_shared_state->failures;
    if (timed_out) {
        printf("error: the test timed out after %d seconds\n", timeout);
        verdict = 1;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_UNSUPPORTED &&
               config->expected_status != EXIT_UNSUPPORTED) {
        verdict = EXIT_UNSUPPORTED;
    } else if (config->expected_signal != 0) {
        verdict = !(WIFSIGNALED(status) && WTERMSIG(status) == config->expected_signal);
        if (verdict)
            printf("error: expected signal %d, got status %#x\n", config->expected_signal, status);
    } else if (!WIFEXITED(status)) {
        printf("error: the test died of signal %d (%s)\n", WTERMSIG(status),
               strsignal(WTERMSIG(status)));
        verdict = 1;
    } else {
        verdict = WEXITSTATUS(status) != config->expected_status;
        if (verdict)
            printf("error: exit status %d, expected %d\n", WEXITSTATUS(status),
                   config->expected_status);
    }
    if (verdict == 0 && failures > 0) {
        printf("error: %lu failures recorded by checks\n", failures);
        verdict = 1;
    }
    fprintf(stderr, "sched-clone-peer: clone_calls=%lu __clone_calls=%lu failures=%lu\n",
            peer_shared_state->clone_calls, peer_shared_state->dunder_clone_calls, failures);
    return verdict;
}
