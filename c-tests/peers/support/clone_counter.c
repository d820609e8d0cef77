/* Counts the calls the test's code makes to the clone wrappers without
 * touching glibc's test source: the peer programs are linked with
 * -Wl,--wrap=clone,--wrap=__clone, so every reference to `clone` or `__clone`
 * in their objects (the test, this library's xclone, and in fully static
 * links glibc's own libc.a members) goes to __wrap_clone / __wrap___clone
 * below, which add one to a counter in the shared page and jump on to
 * __real_clone / __real___clone, i.e. to whichever `clone` the link or the
 * dynamic linker chose. The jump leaves every argument register, the stack
 * and the return address exactly as the caller made them (rax, which a
 * variadic call sets to the number of vector registers, is saved around
 * the count), so the wrapper under test sees the caller's own call. */
#include <stddef.h>

#include "peer_state.h"

#if !defined(__x86_64__)
#error "c-tests/peers runs natively on x86_64"
#endif

#define COUNTING_JUMP(name, offset)                                       \
    ".text\n"                                                             \
    ".globl __wrap_" name "\n"                                            \
    ".type __wrap_" name ", @function\n"                                  \
    "__wrap_" name ":\n"                                                  \
    "    endbr64\n"                                                       \
    "    push %rax\n"                                                     \
    "    mov peer_shared_state(%rip), %rax\n"                             \
    "    test %rax, %rax\n"                                               \
    "    jz 1f\n"                                                         \
    "    lock incq " offset "(%rax)\n"                                    \
    "1:  pop %rax\n"                                                      \
    "    jmp __real_" name "@PLT\n"                                       \
    ".size __wrap_" name ", . - __wrap_" name "\n"

#define STR_(x) #x
#define STR(x) STR_(x)
__asm__(COUNTING_JUMP("clone", STR(PEER_CLONE_CALLS_OFFSET))
        COUNTING_JUMP("__clone", STR(PEER_DUNDER_CLONE_CALLS_OFFSET)));

_Static_assert(offsetof(struct peer_shared, clone_calls) == PEER_CLONE_CALLS_OFFSET,
               "clone_calls offset");
_Static_assert(offsetof(struct peer_shared, dunder_clone_calls) == PEER_DUNDER_CLONE_CALLS_OFFSET,
               "dunder_clone_calls offset");
