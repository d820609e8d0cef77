/* Thread-local storage in new threads: each starts from the initial image
 * (initialised and zeroed parts), has its own copy, and errno is per thread. */
#include "mtest.h"
#include <pthread.h>

static __thread int counter = 41;
static __thread char zeroed[256];
static __thread int *self_addr;

static void *work(void *arg)
{
    CHECK(counter == 41, "TLS initial value %d", counter);
    for (int i = 0; i < 256; i++)
        CHECK(zeroed[i] == 0, "TLS .tbss byte %d is %d", i, zeroed[i]);
    counter += (int)(uintptr_t)arg;
    self_addr = &counter;
    errno = 1000 + (int)(uintptr_t)arg;
    sched_yield();
    CHECK(errno == 1000 + (int)(uintptr_t)arg, "errno is %d", errno);
    CHECK(counter == 41 + (int)(uintptr_t)arg, "TLS changed under us: %d", counter);
    return self_addr;
}

int main(void)
{
    mtest_start();
    counter = 7;
    zeroed[3] = 1;
    pthread_t t[4];
    void *addr[4];
    for (uintptr_t i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, work, (void *)(i + 1)) == 0, "pthread_create");
    for (int i = 0; i < 4; i++)
        CHECK(pthread_join(t[i], &addr[i]) == 0, "pthread_join");
    for (int i = 0; i < 4; i++) {
        CHECK(addr[i] != &counter, "thread %d shares the main thread's TLS", i);
        for (int j = 0; j < i; j++)
            CHECK(addr[i] != addr[j], "threads %d and %d share TLS", i, j);
    }
    CHECK(counter == 7, "main's TLS changed: %d", counter);
    return 0;
}
