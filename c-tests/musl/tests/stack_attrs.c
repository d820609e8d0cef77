/* Thread stacks from attributes: a requested size (and its guard page,
 * which faults), and a caller-supplied stack the thread really runs on. */
#include "mtest.h"
#include <pthread.h>
#include <sys/mman.h>

struct probe {
    void *local;
    void *base;
    size_t size;
};

static void *report(void *arg)
{
    struct probe *p = arg;
    int here;
    pthread_attr_t a;
    p->local = &here;
    CHECK(pthread_getattr_np(pthread_self(), &a) == 0, "pthread_getattr_np");
    CHECK(pthread_attr_getstack(&a, &p->base, &p->size) == 0, "pthread_attr_getstack");
    pthread_attr_destroy(&a);
    return NULL;
}

static void *touch_guard(void *arg)
{
    (void)arg;
    struct probe p;
    report(&p);
    volatile char *below = (char *)p.base - 1;
    *below = 1; /* must fault */
    return NULL;
}

static int inside(void *x, void *base, size_t size)
{
    return (char *)x >= (char *)base && (char *)x < (char *)base + size;
}

int main(void)
{
    mtest_start();
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    pthread_attr_t a;
    pthread_t t;
    struct probe p;

    /* A requested size. */
    pthread_attr_init(&a);
    CHECK(pthread_attr_setstacksize(&a, 256 * 1024) == 0, "setstacksize");
    CHECK(pthread_attr_setguardsize(&a, 4 * page) == 0, "setguardsize");
    CHECK(pthread_create(&t, &a, report, &p) == 0, "pthread_create");
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    CHECK(p.size >= 256 * 1024, "stack size %zu", p.size);
    CHECK(inside(p.local, p.base, p.size), "local %p outside %p+%zu", p.local, p.base, p.size);

    /* A caller's stack. */
    size_t size = 128 * 1024;
    void *mine = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(mine != MAP_FAILED, "mmap");
    pthread_attr_t b;
    pthread_attr_init(&b);
    CHECK(pthread_attr_setstack(&b, mine, size) == 0, "setstack");
    CHECK(pthread_create(&t, &b, report, &p) == 0, "pthread_create (own stack)");
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    CHECK(inside(p.local, mine, size), "local %p outside the given stack %p+%zu", p.local, mine, size);

    /* The guard below a library-allocated stack faults (in a child). */
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        if (pthread_create(&t, &a, touch_guard, NULL) != 0)
            _exit(2);
        pthread_join(t, NULL);
        _exit(3); /* the write below the stack did not fault */
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
    CHECK(WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGBUS),
          "the guard did not fault: status %#x", st);
    return 0;
}
