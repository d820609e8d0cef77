/* Deliberately wrong clone wrappers, to show that glibc's tests, built with
 * our support library, catch a wrong wrapper (glibc-tests.sh --mutants and
 * its last section). Preloaded in front of libsched_clone.so, this `clone`
 * forwards to sched_clone's (RTLD_NEXT) with one fault, chosen at build
 * time with -DMUTANT_...:
 *   MUTANT_ERRNO       a NULL stack fails with errno 0 instead of EINVAL
 *   MUTANT_EXIT_GROUP  the child ends the whole thread group (exit_group)
 *                      with fn's result instead of only itself (exit)
 *   MUTANT_MISALIGN    fn runs on a stack 8 bytes off the ABI's alignment
 * One child at a time: the fn/arg pair travels in a static, which the child
 * reads before the parent can make another call. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int (*clone_fn)(int (*)(void *), void *, int, void *, ...);

static int (*user_fn)(void *);
static void *user_arg;

static __attribute__((unused)) int exit_group_child(void *unused)
{
    (void)unused;
    syscall(SYS_exit_group, user_fn(user_arg));
    return 0;
}

static __attribute__((unused)) int misaligned_child(void *unused)
{
    long r;
    void *a = user_arg;
    int (*f)(void *) = user_fn;
    (void)unused;
    /* Entered with the ABI's alignment; calls fn 8 bytes off it (this file
     * is compiled with -mno-red-zone: the call's push is ours to make). */
    __asm__ volatile("sub $8, %%rsp\n\t"
                     "call *%[fn]\n\t"
                     "add $8, %%rsp"
                     : "=a"(r), "+D"(a), [fn] "+r"(f)
                     :
                     : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "memory", "cc",
                       "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                       "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    return (int)r;
}

int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    /* ptid, tls, ctid: passed on whether the caller gave them or not, as a
     * wrapper of clone's calling convention must. */
    void *more[3];
    va_list ap;
    va_start(ap, arg);
    for (int i = 0; i < 3; i++)
        more[i] = va_arg(ap, void *);
    va_end(ap);
    clone_fn real = (clone_fn)dlsym(RTLD_NEXT, "clone");
#if defined(MUTANT_ERRNO)
    if (stack == NULL) {
        errno = 0;
        return -1;
    }
    return real(fn, stack, flags, arg, more[0], more[1], more[2]);
#elif defined(MUTANT_EXIT_GROUP) || defined(MUTANT_MISALIGN)
    user_fn = fn;
    user_arg = arg;
#if defined(MUTANT_EXIT_GROUP)
    return real(exit_group_child, stack, flags, NULL, more[0], more[1], more[2]);
#else
    return real(misaligned_child, stack, flags, NULL, more[0], more[1], more[2]);
#endif
#else
#error "choose a MUTANT_"
#endif
}
