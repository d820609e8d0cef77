/* Calls one clone wrapper once, for bench/icount.py to single-step under
 * gdb and count the instructions the caller executes inside it.
 *
 *   icount_driver glibc|ours fork|vfork|thread|null-fn|null-fn-first
 *
 * The wrapper to count is stored in icount_target, and icount_marker() is
 * called just before the call, so the script knows where to start. Every
 * mode but null-fn-first makes one untimed call first (a NULL fn: EINVAL,
 * no syscall), so that the counted call is a process's steady state: ours
 * learns errno's offset from the thread pointer on its first error (see
 * src/capi.rs); null-fn-first counts that first call. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*clone_fn_t)(int (*)(void *), void *, int, void *, ...);

clone_fn_t volatile icount_target;
static volatile pid_t ctid;

__attribute__((noinline)) void icount_marker(void)
{
    __asm__ volatile("" ::: "memory");
}

static int child(void *arg)
{
    (void)arg;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    icount_target = !strcmp(argv[1], "glibc") ? (clone_fn_t)dlsym(libc, "clone") : clone;
    size_t size = 64 * 1024;
    char *stk = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *top = stk + size;
    int flags = SIGCHLD;
    int (*fn)(void *) = child;
    if (!strcmp(argv[2], "vfork"))
        flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    else if (!strcmp(argv[2], "thread"))
        flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
    else if (!strcmp(argv[2], "null-fn") || !strcmp(argv[2], "null-fn-first"))
        fn = NULL;
    if (strcmp(argv[2], "null-fn-first") != 0 && icount_target(NULL, top, SIGCHLD, NULL) != -1)
        return 1;
    icount_marker();
    int t = icount_target(fn, top, flags, NULL, &ctid, NULL, &ctid);
    if (fn == NULL)
        return t == -1 && errno == EINVAL ? 0 : 1;
    if (t <= 0)
        return 1;
    if (flags & CLONE_THREAD) {
        pid_t v;
        while ((v = ctid) != 0)
            syscall(SYS_futex, &ctid, FUTEX_WAIT, v, NULL, NULL, 0);
    } else {
        waitpid(t, NULL, 0);
    }
    return 0;
}
