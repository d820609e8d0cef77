/* TEST_STACK_ALIGN(): non-zero when the calling function's stack frame is
 * not aligned as the ABI promises (16 bytes on x86_64 and i686 as glibc
 * builds it). A 16-byte-aligned local is placed by the compiler relative to
 * the incoming stack pointer, assuming that alignment; its address shows
 * whether the caller (here: the clone wrapper starting the child) kept the
 * promise. The values are printed, as glibc's version does, so a failure
 * shows the misaligned addresses. */
#ifndef PEER_TST_STACK_ALIGN_H
#define PEER_TST_STACK_ALIGN_H
#include <stdint.h>
#include <stdio.h>

struct peer_aligned16 {
    int words[4];
} __attribute__((aligned(16)));

/* Out of line so that the compiler cannot fold the check away. */
__attribute__((noinline, noclone, weak)) int
peer_misaligned(const volatile void *p, unsigned long align)
{
    return ((uintptr_t)p & (align - 1)) != 0;
}

#define TEST_STACK_ALIGN()                                                  \
    ({                                                                      \
        volatile struct peer_aligned16 a16_ = {{0}};                        \
        volatile long double ld_ = 15.0L;                                   \
        volatile double d_ = 12.0;                                          \
        printf("aligned16: %p %zu\n", (void *)&a16_, __alignof__(a16_));   \
        printf("ldouble:   %p %zu\n", (void *)&ld_, __alignof__(ld_));     \
        printf("double:    %p %zu\n", (void *)&d_, __alignof__(d_));       \
        peer_misaligned(&a16_, __alignof__(a16_)) +                         \
            peer_misaligned(&ld_, __alignof__(ld_)) +                       \
            peer_misaligned(&d_, __alignof__(d_));                          \
    })
#endif
