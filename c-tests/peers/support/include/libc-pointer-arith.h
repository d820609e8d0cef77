/* Pointer rounding, as glibc's tests use it from <libc-pointer-arith.h>.
 * SIZE must be a power of two. */
#ifndef PEER_LIBC_POINTER_ARITH_H
#define PEER_LIBC_POINTER_ARITH_H
#include <stdint.h>
#define PTR_ALIGN_DOWN(p, size) \
    ((__typeof__(p))((uintptr_t)(p) & ~((uintptr_t)(size) - 1)))
#define PTR_ALIGN_UP(p, size)                                       \
    ((__typeof__(p))(((uintptr_t)(p) + ((uintptr_t)(size) - 1)) &   \
                     ~((uintptr_t)(size) - 1)))
#endif
