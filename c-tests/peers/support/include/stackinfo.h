/* Which way the stack grows, as glibc's tests ask <stackinfo.h>. The peer
 * suite runs natively on x86_64 (and i686), where it grows down. */
#ifndef PEER_STACKINFO_H
#define PEER_STACKINFO_H
#if defined(__x86_64__) || defined(__i386__)
#define _STACK_GROWS_DOWN 1
#else
#error "c-tests/peers: say which way the stack grows on this architecture"
#endif
#endif
