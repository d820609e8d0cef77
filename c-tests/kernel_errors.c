/* Errors the kernel reports pass through unchanged: -1 with the kernel's
 * errno, and no child. Three flag combinations clone(2) documents as EINVAL:
 *   - CLONE_SIGHAND without CLONE_VM;
 *   - CLONE_NEWPID with CLONE_THREAD (with the rest of a thread's flags, so
 *     that only this rule applies);
 *   - CLONE_FS with CLONE_NEWNS.
 * Each result is also compared with glibc's clone(), found in libc.so.6 by
 * dlsym (not in fully static programs, which cannot have both). */
#include "common.h"

#define STACK_SIZE (64 * 1024)

typedef int (*clone_fn)(int (*)(void *), void *, int, void *, ...);

static int child_function(void *arg)
{
    (void)arg;
    return 0;
}

struct result { int ret, err; };

static struct result call(clone_fn f, void *top, int flags)
{
    static volatile pid_t ctid;
    errno = 0;
    struct result r;
    r.ret = f(child_function, top, flags, NULL, NULL, NULL, (pid_t *)&ctid);
    r.err = errno;
    return r;
}

static clone_fn glibc_clone(void)
{
#if defined(SCHED_CLONE_MODE_FULLY_STATIC)
    return NULL;
#else
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    if (libc == NULL)
        return NULL; /* not glibc */
    clone_fn f = (clone_fn)dlsym(libc, "clone");
    CHECK(f != NULL, "libc.so.6 has no clone");
    CHECK((void *)f != (void *)&clone, "dlsym(libc.so.6, clone) found our clone");
    Dl_info info;
    CHECK(dladdr((void *)f, &info) != 0 && info.dli_fname != NULL &&
              strstr(info.dli_fname, "libc.so") != NULL,
          "glibc's clone comes from %s", info.dli_fname ? info.dli_fname : "?");
    return f;
#endif
}

int main(void)
{
    assert_clone_is_ours();
    static const struct { const char *name; int flags; } cases[] = {
        { "CLONE_SIGHAND without CLONE_VM", CLONE_SIGHAND | SIGCHLD },
        { "CLONE_NEWPID with CLONE_THREAD", THREAD_FLAGS | CLONE_NEWPID },
        { "CLONE_FS with CLONE_NEWNS", CLONE_FS | CLONE_NEWNS | SIGCHLD },
    };
    void *stack = alloc_stack(STACK_SIZE);
    void *top = stack_top(stack, STACK_SIZE);
    clone_fn theirs = glibc_clone();
    if (theirs == NULL)
        printf("no glibc clone() to compare with in this mode\n");

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct result ours = call((clone_fn)clone, top, cases[i].flags);
        CHECK(ours.ret == -1 && ours.err == EINVAL, "%s: returned %d, errno %d (%s)",
              cases[i].name, ours.ret, ours.err, strerror(ours.err));
        errno = 0;
        CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD,
              "%s: a child was created", cases[i].name);
        if (theirs != NULL) {
            struct result ref = call(theirs, top, cases[i].flags);
            CHECK(ref.ret == ours.ret && ref.err == ours.err,
                  "%s: glibc returns %d/%s, we return %d/%s", cases[i].name, ref.ret,
                  strerror(ref.err), ours.ret, strerror(ours.err));
        }
        printf("%s: -1, EINVAL%s\n", cases[i].name, theirs ? " (as glibc)" : "");
    }
    return 0;
}
