/* The caller's callee-saved registers and stack pointer survive clone()
 * on every way back: a fork-like child, a thread (with the three stack- or
 * high-numbered TID arguments in use), an error from the kernel (CLONE_SIGHAND
 * without CLONE_VM) and the wrapper's own EINVAL (NULL fn, NULL stack).
 *
 * C cannot observe this (the compiler decides what lives in which register),
 * so an assembly harness per architecture saves its caller's registers,
 * loads a distinct 64-bit pattern into every callee-saved register, calls
 * clone through a pointer to the exported symbol (the PLT/GOT address, as a
 * C caller's call would resolve), records every register right after the
 * call, restores its caller's registers and returns. The harness talks to C
 * through one global array of slots (`cs_slots`), found PC-relatively, so that it
 * needs no callee-saved register or stack slot to find it again.
 *
 *   x86_64    rbx rbp r12-r15 (x32: all 64 bits, and flags and the stack
 *             slot of ctid arrive with garbage upper halves)
 *   i686      ebx esi edi ebp
 *   aarch64   x19-x29, d8-d15
 *   armv7     r4-r11, d8-d15 (armv5te, soft-float: r4-r11)
 *   riscv64   s0-s11, fs0-fs11; gp and tp unchanged
 *   ppc64le   r14-r31, f14-f31, cr2-cr4; r13 unchanged; the TOC save slot
 *             24(r1) of the caller's frame intact (an indirect call's caller
 *             restores r2 from it); r2 itself unchanged when clone is in the
 *             same module (the static link modes)
 *   ppc64     as ppc64le, with the ELFv1 TOC save slot 40(r1); clone is
 *   (ELFv1)   called through its function descriptor (entry, TOC, env)
 *   powerpc   r14-r31, f14-f31, cr2-cr4; r2 (thread pointer) and r13 (small
 *             data anchor) unchanged; the back chain word 0(r1) intact
 *   s390x     r6-r13, f8-f15 (r6 is also clone's fifth argument, ptid, so
 *             its "pattern" is ptid's value)
 *   mips o32  s0-s7, fp, f20-f30 (the even doubles: FPXX/FP32)
 *   mips64    s0-s7, fp, f24-f31; gp unchanged
 *   sparc64   l0-l7, i0-i5 (the windowed registers: clone's own window
 *             must come and go with save/restore); g7 (thread pointer),
 *             fp and i7 unchanged; no callee-saved FP registers
 *   loongarch64 s0-s8, fs0-fs7; tp unchanged ($r21 is reserved)
 * and the stack pointer on each. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)

/* Slots of `cs_slots` (8 bytes each, whatever the word size: a 32-bit register
 * uses the low, first, word on the little-endian 32-bit targets; the low,
 * second, one on big-endian mips). */
#define CS_CLONE 0 /* in: the address of clone */
#define CS_FN 1    /* in: clone's arguments */
#define CS_STACK 2
#define CS_FLAGS 3
#define CS_ARG 4
#define CS_PTID 5
#define CS_TLS 6
#define CS_CTID 7
#define CS_RESULT 8    /* out: clone's result */
#define CS_SP_BEFORE 9 /* out: the stack pointer at the call */
#define CS_SP_AFTER 10 /* out: ... and right after it */
#define CS_X_BEFORE 11 /* out: 3 registers that must not change, before */
#define CS_X_AFTER 14  /* out: ... and after */
#define CS_CR_IN 17    /* in: ppc64le condition register pattern */
#define CS_CR_OUT 18   /* out: ppc64le condition register after */
#define CS_GPR_IN 20   /* in: the patterns of the general registers */
#define CS_GPR_OUT 40  /* out: the general registers after the call */
#define CS_FPR_IN 60   /* in: the patterns of the floating-point registers */
#define CS_FPR_OUT 80  /* out: the floating-point registers after the call */
#define CS_SLOTS 100

__attribute__((visibility("hidden"))) extern uint64_t cs_slots[CS_SLOTS];
uint64_t cs_slots[CS_SLOTS];
__attribute__((visibility("hidden"))) extern void cs_harness(void);

#define STR_(x) #x
#define STR(x) STR_(x)
/* Byte offsets of the slots, as assembler symbols. */
#define CS_ASM_OFFSETS                                                  \
    ".set CS_CLONE, " STR(CS_CLONE * 8) "\n"                            \
    ".set CS_FN, " STR(CS_FN * 8) "\n"                                  \
    ".set CS_STACK, " STR(CS_STACK * 8) "\n"                            \
    ".set CS_FLAGS, " STR(CS_FLAGS * 8) "\n"                            \
    ".set CS_ARG, " STR(CS_ARG * 8) "\n"                                \
    ".set CS_PTID, " STR(CS_PTID * 8) "\n"                              \
    ".set CS_TLS, " STR(CS_TLS * 8) "\n"                                \
    ".set CS_CTID, " STR(CS_CTID * 8) "\n"                              \
    ".set CS_RESULT, " STR(CS_RESULT * 8) "\n"                          \
    ".set CS_SPB, " STR(CS_SP_BEFORE * 8) "\n"                          \
    ".set CS_SPA, " STR(CS_SP_AFTER * 8) "\n"                           \
    ".set CS_XB, " STR(CS_X_BEFORE * 8) "\n"                            \
    ".set CS_XA, " STR(CS_X_AFTER * 8) "\n"                             \
    ".set CS_CRI, " STR(CS_CR_IN * 8) "\n"                              \
    ".set CS_CRO, " STR(CS_CR_OUT * 8) "\n"                             \
    ".set CS_GIN, " STR(CS_GPR_IN * 8) "\n"                             \
    ".set CS_GOUT, " STR(CS_GPR_OUT * 8) "\n"                           \
    ".set CS_FIN, " STR(CS_FPR_IN * 8) "\n"                             \
    ".set CS_FOUT, " STR(CS_FPR_OUT * 8) "\n"

#define CS_ASM_BEGIN                                                    \
    CS_ASM_OFFSETS                                                      \
    ".pushsection .text\n"                                              \
    ".globl cs_harness\n"                                               \
    ".hidden cs_harness\n"                                              \
    ".type cs_harness, %function\n"
#define CS_ASM_END                                                      \
    ".size cs_harness, .-cs_harness\n"                                  \
    ".popsection\n"

#if defined(__x86_64__)
static const char *const gpr_names[] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};
static const char *const fpr_names[1];
#define N_FPR 0
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  push %rbp\n"
        "  push %rbx\n"
        "  push %r12\n"
        "  push %r13\n"
        "  push %r14\n"
        "  push %r15\n"
        "  sub $8, %rsp\n"                 /* rsp 16-aligned at the call */
        "  lea cs_slots(%rip), %r11\n"
        "  mov CS_CTID(%r11), %rax\n"
        "  mov %rax, (%rsp)\n"             /* the 7th argument */
        "  mov CS_GIN+0(%r11), %rbx\n"
        "  mov CS_GIN+8(%r11), %rbp\n"
        "  mov CS_GIN+16(%r11), %r12\n"
        "  mov CS_GIN+24(%r11), %r13\n"
        "  mov CS_GIN+32(%r11), %r14\n"
        "  mov CS_GIN+40(%r11), %r15\n"
        "  mov CS_FN(%r11), %rdi\n"
        "  mov CS_STACK(%r11), %rsi\n"
        "  mov CS_FLAGS(%r11), %rdx\n"
        "  mov CS_ARG(%r11), %rcx\n"
        "  mov CS_PTID(%r11), %r8\n"
        "  mov CS_TLS(%r11), %r9\n"
        "  mov CS_CLONE(%r11), %r10\n"
        "  mov %rsp, CS_SPB(%r11)\n"
        "  xor %eax, %eax\n"               /* variadic call: no vector registers */
        "  call *%r10\n"
        "  lea cs_slots(%rip), %r11\n"
        "  mov %rax, CS_RESULT(%r11)\n"
        "  mov %rsp, CS_SPA(%r11)\n"
        "  mov %rbx, CS_GOUT+0(%r11)\n"
        "  mov %rbp, CS_GOUT+8(%r11)\n"
        "  mov %r12, CS_GOUT+16(%r11)\n"
        "  mov %r13, CS_GOUT+24(%r11)\n"
        "  mov %r14, CS_GOUT+32(%r11)\n"
        "  mov %r15, CS_GOUT+40(%r11)\n"
        "  add $8, %rsp\n"
        "  pop %r15\n"
        "  pop %r14\n"
        "  pop %r13\n"
        "  pop %r12\n"
        "  pop %rbx\n"
        "  pop %rbp\n"
        "  ret\n"
        CS_ASM_END);

#elif defined(__i386__)
static const char *const gpr_names[] = {"ebx", "esi", "edi", "ebp"};
static const char *const fpr_names[1];
#define N_FPR 0
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  push %ebp\n"
        "  push %ebx\n"
        "  push %esi\n"
        "  push %edi\n"
        "  sub $28, %esp\n"                /* 7 arguments; esp 16-aligned at the call */
        "  call 1f\n"
        "1: pop %ecx\n"
        "  addl $_GLOBAL_OFFSET_TABLE_+(.-1b), %ecx\n"
        "  leal cs_slots@GOTOFF(%ecx), %ecx\n"
        "  mov CS_FN(%ecx), %eax\n"
        "  mov %eax, 0(%esp)\n"
        "  mov CS_STACK(%ecx), %eax\n"
        "  mov %eax, 4(%esp)\n"
        "  mov CS_FLAGS(%ecx), %eax\n"
        "  mov %eax, 8(%esp)\n"
        "  mov CS_ARG(%ecx), %eax\n"
        "  mov %eax, 12(%esp)\n"
        "  mov CS_PTID(%ecx), %eax\n"
        "  mov %eax, 16(%esp)\n"
        "  mov CS_TLS(%ecx), %eax\n"
        "  mov %eax, 20(%esp)\n"
        "  mov CS_CTID(%ecx), %eax\n"
        "  mov %eax, 24(%esp)\n"
        "  mov CS_GIN+0(%ecx), %ebx\n"
        "  mov CS_GIN+8(%ecx), %esi\n"
        "  mov CS_GIN+16(%ecx), %edi\n"
        "  mov CS_GIN+24(%ecx), %ebp\n"
        "  mov CS_CLONE(%ecx), %eax\n"
        "  mov %esp, CS_SPB(%ecx)\n"
        "  call *%eax\n"
        "  mov %esp, %edx\n"               /* before the next call's push */
        "  call 2f\n"
        "2: pop %ecx\n"
        "  addl $_GLOBAL_OFFSET_TABLE_+(.-2b), %ecx\n"
        "  leal cs_slots@GOTOFF(%ecx), %ecx\n"
        "  mov %eax, CS_RESULT(%ecx)\n"
        "  mov %edx, CS_SPA(%ecx)\n"
        "  mov %ebx, CS_GOUT+0(%ecx)\n"
        "  mov %esi, CS_GOUT+8(%ecx)\n"
        "  mov %edi, CS_GOUT+16(%ecx)\n"
        "  mov %ebp, CS_GOUT+24(%ecx)\n"
        "  add $28, %esp\n"
        "  pop %edi\n"
        "  pop %esi\n"
        "  pop %ebx\n"
        "  pop %ebp\n"
        "  ret\n"
        CS_ASM_END);

#elif defined(__aarch64__)
static const char *const gpr_names[] = {"x19", "x20", "x21", "x22", "x23", "x24",
                                        "x25", "x26", "x27", "x28", "x29"};
static const char *const fpr_names[] = {"d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15"};
#define N_FPR 8
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  stp x29, x30, [sp, #-160]!\n"
        "  stp x19, x20, [sp, #16]\n"
        "  stp x21, x22, [sp, #32]\n"
        "  stp x23, x24, [sp, #48]\n"
        "  stp x25, x26, [sp, #64]\n"
        "  stp x27, x28, [sp, #80]\n"
        "  stp d8, d9, [sp, #96]\n"
        "  stp d10, d11, [sp, #112]\n"
        "  stp d12, d13, [sp, #128]\n"
        "  stp d14, d15, [sp, #144]\n"
        "  adrp x9, cs_slots\n"
        "  add x9, x9, :lo12:cs_slots\n"
        "  .irp n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29\n"
        "  ldr x\\n, [x9, #(CS_GIN + (\\n - 19) * 8)]\n"
        "  .endr\n"
        "  .irp n, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "  ldr d\\n, [x9, #(CS_FIN + (\\n - 8) * 8)]\n"
        "  .endr\n"
        "  ldr x0, [x9, #CS_FN]\n"
        "  ldr x1, [x9, #CS_STACK]\n"
        "  ldr x2, [x9, #CS_FLAGS]\n"
        "  ldr x3, [x9, #CS_ARG]\n"
        "  ldr x4, [x9, #CS_PTID]\n"
        "  ldr x5, [x9, #CS_TLS]\n"
        "  ldr x6, [x9, #CS_CTID]\n"
        "  ldr x10, [x9, #CS_CLONE]\n"
        "  mov x11, sp\n"
        "  str x11, [x9, #CS_SPB]\n"
        "  blr x10\n"
        "  adrp x9, cs_slots\n"
        "  add x9, x9, :lo12:cs_slots\n"
        "  str x0, [x9, #CS_RESULT]\n"
        "  mov x11, sp\n"
        "  str x11, [x9, #CS_SPA]\n"
        "  .irp n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29\n"
        "  str x\\n, [x9, #(CS_GOUT + (\\n - 19) * 8)]\n"
        "  .endr\n"
        "  .irp n, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "  str d\\n, [x9, #(CS_FOUT + (\\n - 8) * 8)]\n"
        "  .endr\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x21, x22, [sp, #32]\n"
        "  ldp x23, x24, [sp, #48]\n"
        "  ldp x25, x26, [sp, #64]\n"
        "  ldp x27, x28, [sp, #80]\n"
        "  ldp d8, d9, [sp, #96]\n"
        "  ldp d10, d11, [sp, #112]\n"
        "  ldp d12, d13, [sp, #128]\n"
        "  ldp d14, d15, [sp, #144]\n"
        "  ldp x29, x30, [sp], #160\n"
        "  ret\n"
        CS_ASM_END);

#elif defined(__arm__)
static const char *const gpr_names[] = {"r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"};
#if defined(__ARM_FP)
static const char *const fpr_names[] = {"d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15"};
#define N_FPR 8
#else /* soft-float (armel, ARMv5TE): no VFP registers to preserve or touch */
static const char *const fpr_names[1];
#define N_FPR 0
#endif
/* In ARM state (a Thumb caller reaches it through the linker's blx); the
 * instruction set the compiler was in is restored at the end. */
__asm__(CS_ASM_BEGIN
        ".arm\n"
        ".balign 4\n"
        "cs_harness:\n"
        "  push {r4-r12, lr}\n"            /* 40 bytes: sp stays 8-aligned */
#if defined(__ARM_FP)
        "  vpush {d8-d15}\n"
#endif
        "  sub sp, sp, #16\n"              /* ptid, tls, ctid (+ padding) */
        "  ldr r12, 8f\n"
        "7: add r12, pc, r12\n"            /* r12 = &cs_slots */
        "  ldr lr, [r12, #CS_PTID]\n"
        "  str lr, [sp]\n"
        "  ldr lr, [r12, #CS_TLS]\n"
        "  str lr, [sp, #4]\n"
        "  ldr lr, [r12, #CS_CTID]\n"
        "  str lr, [sp, #8]\n"
        "  .irp n, 4, 5, 6, 7, 8, 9, 10, 11\n"
        "  ldr r\\n, [r12, #(CS_GIN + (\\n - 4) * 8)]\n"
        "  .endr\n"
#if defined(__ARM_FP)
        "  .irp n, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "  vldr d\\n, [r12, #(CS_FIN + (\\n - 8) * 8)]\n"
        "  .endr\n"
#endif
        "  ldr r0, [r12, #CS_FN]\n"
        "  ldr r1, [r12, #CS_STACK]\n"
        "  ldr r2, [r12, #CS_FLAGS]\n"
        "  ldr r3, [r12, #CS_ARG]\n"
        "  str sp, [r12, #CS_SPB]\n"
        "  ldr r12, [r12, #CS_CLONE]\n"
        "  blx r12\n"
        "  ldr r12, 9f\n"
        "6: add r12, pc, r12\n"
        "  str r0, [r12, #CS_RESULT]\n"
        "  str sp, [r12, #CS_SPA]\n"
        "  .irp n, 4, 5, 6, 7, 8, 9, 10, 11\n"
        "  str r\\n, [r12, #(CS_GOUT + (\\n - 4) * 8)]\n"
        "  .endr\n"
#if defined(__ARM_FP)
        "  .irp n, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "  vstr d\\n, [r12, #(CS_FOUT + (\\n - 8) * 8)]\n"
        "  .endr\n"
#endif
        "  add sp, sp, #16\n"
#if defined(__ARM_FP)
        "  vpop {d8-d15}\n"
#endif
        "  pop {r4-r12, lr}\n"
        "  bx lr\n"
        "8: .word cs_slots - (7b + 8)\n"         /* pc reads as . + 8 in ARM state */
        "9: .word cs_slots - (6b + 8)\n"
        CS_ASM_END
#if defined(__thumb__)
        ".thumb\n"
#endif
);

#elif defined(__riscv) && __riscv_xlen == 64
static const char *const gpr_names[] = {"s0", "s1", "s2", "s3", "s4", "s5",
                                        "s6", "s7", "s8", "s9", "s10", "s11"};
static const char *const fpr_names[] = {"fs0", "fs1", "fs2", "fs3", "fs4", "fs5",
                                        "fs6", "fs7", "fs8", "fs9", "fs10", "fs11"};
#define N_FPR 12
#define X_NAMES {"gp", "tp"}
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  addi sp, sp, -208\n"
        "  sd ra, 200(sp)\n"
        "  .set cs_i, 0\n"
        "  .irp r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11\n"
        "  sd \\r, cs_i * 8(sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, fs0, fs1, fs2, fs3, fs4, fs5, fs6, fs7, fs8, fs9, fs10, fs11\n"
        "  fsd \\r, 96 + cs_i * 8(sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  lla t0, cs_slots\n"
        "  sd gp, CS_XB + 0(t0)\n"
        "  sd tp, CS_XB + 8(t0)\n"
        "  .set cs_i, 0\n"
        "  .irp r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11\n"
        "  ld \\r, CS_GIN + cs_i * 8(t0)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, fs0, fs1, fs2, fs3, fs4, fs5, fs6, fs7, fs8, fs9, fs10, fs11\n"
        "  fld \\r, CS_FIN + cs_i * 8(t0)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ld a0, CS_FN(t0)\n"
        "  ld a1, CS_STACK(t0)\n"
        "  ld a2, CS_FLAGS(t0)\n"
        "  ld a3, CS_ARG(t0)\n"
        "  ld a4, CS_PTID(t0)\n"
        "  ld a5, CS_TLS(t0)\n"
        "  ld a6, CS_CTID(t0)\n"
        "  ld t1, CS_CLONE(t0)\n"
        "  sd sp, CS_SPB(t0)\n"
        "  jalr t1\n"
        "  lla t0, cs_slots\n"
        "  sd a0, CS_RESULT(t0)\n"
        "  sd sp, CS_SPA(t0)\n"
        "  sd gp, CS_XA + 0(t0)\n"
        "  sd tp, CS_XA + 8(t0)\n"
        "  .set cs_i, 0\n"
        "  .irp r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11\n"
        "  sd \\r, CS_GOUT + cs_i * 8(t0)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, fs0, fs1, fs2, fs3, fs4, fs5, fs6, fs7, fs8, fs9, fs10, fs11\n"
        "  fsd \\r, CS_FOUT + cs_i * 8(t0)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11\n"
        "  ld \\r, cs_i * 8(sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, fs0, fs1, fs2, fs3, fs4, fs5, fs6, fs7, fs8, fs9, fs10, fs11\n"
        "  fld \\r, 96 + cs_i * 8(sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ld ra, 200(sp)\n"
        "  addi sp, sp, 208\n"
        "  ret\n"
        CS_ASM_END);

#elif defined(__powerpc64__) && defined(_CALL_ELF) && _CALL_ELF == 2
static const char *const gpr_names[] = {"r14", "r15", "r16", "r17", "r18", "r19",
                                        "r20", "r21", "r22", "r23", "r24", "r25",
                                        "r26", "r27", "r28", "r29", "r30", "r31"};
static const char *const fpr_names[] = {"f14", "f15", "f16", "f17", "f18", "f19",
                                        "f20", "f21", "f22", "f23", "f24", "f25",
                                        "f26", "f27", "f28", "f29", "f30", "f31"};
#define N_FPR 18
#define X_NAMES {"r2", "r13", "the TOC save slot 24(r1)"}
/* Frame: 32-byte header, 64-byte parameter save area (clone is variadic),
 * r14-r31 at 96, f14-f31 at 240: 384 bytes. CR is saved in the caller's
 * frame (8(r1)), lr in its 16(r1). */
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "0: addis 2, 12, .TOC.-0b@ha\n"
        "  addi 2, 2, .TOC.-0b@l\n"
        "  .localentry cs_harness, .-cs_harness\n"
        "  mflr 0\n"
        "  std 0, 16(1)\n"
        "  mfcr 0\n"
        "  stw 0, 8(1)\n"
        "  stdu 1, -384(1)\n"
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  std \\n, 96 + (\\n - 14) * 8(1)\n"
        "  stfd \\n, 240 + (\\n - 14) * 8(1)\n"
        "  .endr\n"
        "  bcl 20, 31, 1f\n"
        "1: mflr 11\n"
        "  addis 11, 11, cs_slots-1b@ha\n"
        "  addi 11, 11, cs_slots-1b@l\n"         /* r11 = &cs_slots */
        "  std 2, CS_XB + 0(11)\n"
        "  std 13, CS_XB + 8(11)\n"
        "  std 2, CS_XB + 16(11)\n"
        "  ld 0, CS_CRI(11)\n"
        "  mtcrf 0x38, 0\n"                /* cr2, cr3, cr4 */
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  ld \\n, CS_GIN + (\\n - 14) * 8(11)\n"
        "  lfd \\n, CS_FIN + (\\n - 14) * 8(11)\n"
        "  .endr\n"
        "  ld 3, CS_FN(11)\n"
        "  ld 4, CS_STACK(11)\n"
        "  ld 5, CS_FLAGS(11)\n"
        "  ld 6, CS_ARG(11)\n"
        "  ld 7, CS_PTID(11)\n"
        "  ld 8, CS_TLS(11)\n"
        "  ld 9, CS_CTID(11)\n"
        "  ld 12, CS_CLONE(11)\n"          /* indirect call: r12 = the callee */
        "  mtctr 12\n"
        "  std 2, 24(1)\n"                 /* TOC save, as for any indirect call */
        "  std 1, CS_SPB(11)\n"
        "  bctrl\n"
        "  bcl 20, 31, 2f\n"
        "2: mflr 11\n"
        "  addis 11, 11, cs_slots-2b@ha\n"
        "  addi 11, 11, cs_slots-2b@l\n"
        "  std 3, CS_RESULT(11)\n"
        "  std 1, CS_SPA(11)\n"
        "  std 2, CS_XA + 0(11)\n"
        "  std 13, CS_XA + 8(11)\n"
        "  ld 0, 24(1)\n"
        "  std 0, CS_XA + 16(11)\n"
        "  mfcr 0\n"
        "  std 0, CS_CRO(11)\n"
        "  ld 2, 24(1)\n"                  /* the indirect call's TOC restore */
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  std \\n, CS_GOUT + (\\n - 14) * 8(11)\n"
        "  stfd \\n, CS_FOUT + (\\n - 14) * 8(11)\n"
        "  ld \\n, 96 + (\\n - 14) * 8(1)\n"
        "  lfd \\n, 240 + (\\n - 14) * 8(1)\n"
        "  .endr\n"
        "  addi 1, 1, 384\n"
        "  ld 0, 16(1)\n"
        "  mtlr 0\n"
        "  lwz 0, 8(1)\n"
        "  mtcrf 0x38, 0\n"
        "  blr\n"
        CS_ASM_END);

#elif defined(__powerpc64__)
static const char *const gpr_names[] = {"r14", "r15", "r16", "r17", "r18", "r19",
                                        "r20", "r21", "r22", "r23", "r24", "r25",
                                        "r26", "r27", "r28", "r29", "r30", "r31"};
static const char *const fpr_names[] = {"f14", "f15", "f16", "f17", "f18", "f19",
                                        "f20", "f21", "f22", "f23", "f24", "f25",
                                        "f26", "f27", "f28", "f29", "f30", "f31"};
#define N_FPR 18
#define X_NAMES {"r2", "r13", "the TOC save slot 40(r1)"}
/* ELFv1: cs_harness is a function descriptor in .opd (the code is at
 * .L.cs_harness); &clone is clone's descriptor, so the call loads entry,
 * TOC and environment pointer from it. Frame: 48-byte header, 64-byte
 * parameter save area (clone is variadic), r14-r31 at 112, f14-f31 at 256:
 * 400 bytes. CR is saved in the caller's frame (8(r1)), lr in its 16(r1). */
__asm__(CS_ASM_OFFSETS
        ".pushsection .opd, \"aw\"\n"
        ".p2align 3\n"
        ".globl cs_harness\n"
        ".hidden cs_harness\n"
        ".type cs_harness, @function\n"
        "cs_harness:\n"
        "  .quad .L.cs_harness, .TOC.@tocbase, 0\n"
        ".size cs_harness, 24\n"
        ".popsection\n"
        ".pushsection .text\n"
        ".L.cs_harness:\n"
        "  mflr 0\n"
        "  std 0, 16(1)\n"
        "  mfcr 0\n"
        "  stw 0, 8(1)\n"
        "  stdu 1, -400(1)\n"
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  std \\n, 112 + (\\n - 14) * 8(1)\n"
        "  stfd \\n, 256 + (\\n - 14) * 8(1)\n"
        "  .endr\n"
        "  bcl 20, 31, 1f\n"
        "1: mflr 11\n"
        "  addis 11, 11, cs_slots-1b@ha\n"
        "  addi 11, 11, cs_slots-1b@l\n"         /* r11 = &cs_slots */
        "  std 2, CS_XB + 0(11)\n"
        "  std 13, CS_XB + 8(11)\n"
        "  std 2, CS_XB + 16(11)\n"
        "  ld 0, CS_CRI(11)\n"
        "  mtcrf 0x38, 0\n"                /* cr2, cr3, cr4 */
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  ld \\n, CS_GIN + (\\n - 14) * 8(11)\n"
        "  lfd \\n, CS_FIN + (\\n - 14) * 8(11)\n"
        "  .endr\n"
        "  ld 3, CS_FN(11)\n"
        "  ld 4, CS_STACK(11)\n"
        "  ld 5, CS_FLAGS(11)\n"
        "  ld 6, CS_ARG(11)\n"
        "  ld 7, CS_PTID(11)\n"
        "  ld 8, CS_TLS(11)\n"
        "  ld 9, CS_CTID(11)\n"
        "  ld 12, CS_CLONE(11)\n"          /* clone's descriptor */
        "  std 2, 40(1)\n"                 /* TOC save, as for any indirect call */
        "  std 1, CS_SPB(11)\n"
        "  ld 0, 0(12)\n"
        "  mtctr 0\n"
        "  ld 2, 8(12)\n"
        "  ld 11, 16(12)\n"
        "  bctrl\n"
        "  bcl 20, 31, 2f\n"
        "2: mflr 11\n"
        "  addis 11, 11, cs_slots-2b@ha\n"
        "  addi 11, 11, cs_slots-2b@l\n"
        "  std 3, CS_RESULT(11)\n"
        "  std 1, CS_SPA(11)\n"
        "  std 2, CS_XA + 0(11)\n"
        "  std 13, CS_XA + 8(11)\n"
        "  ld 0, 40(1)\n"
        "  std 0, CS_XA + 16(11)\n"
        "  mfcr 0\n"
        "  std 0, CS_CRO(11)\n"
        "  ld 2, 40(1)\n"                  /* the indirect call's TOC restore */
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  std \\n, CS_GOUT + (\\n - 14) * 8(11)\n"
        "  stfd \\n, CS_FOUT + (\\n - 14) * 8(11)\n"
        "  ld \\n, 112 + (\\n - 14) * 8(1)\n"
        "  lfd \\n, 256 + (\\n - 14) * 8(1)\n"
        "  .endr\n"
        "  addi 1, 1, 400\n"
        "  ld 0, 16(1)\n"
        "  mtlr 0\n"
        "  lwz 0, 8(1)\n"
        "  mtcrf 0x38, 0\n"
        "  blr\n"
        ".popsection\n");

#elif defined(__powerpc__)
static const char *const gpr_names[] = {"r14", "r15", "r16", "r17", "r18", "r19",
                                        "r20", "r21", "r22", "r23", "r24", "r25",
                                        "r26", "r27", "r28", "r29", "r30", "r31"};
static const char *const fpr_names[] = {"f14", "f15", "f16", "f17", "f18", "f19",
                                        "f20", "f21", "f22", "f23", "f24", "f25",
                                        "f26", "f27", "f28", "f29", "f30", "f31"};
#define N_FPR 18
#define X_NAMES {"r2 (thread pointer)", "r13 (small data anchor)", "the back chain 0(r1)"}
/* A register's slot is the low word of its 8-byte slot, at +4 (big-endian);
 * the FPRs use all 8 bytes. Frame: back chain and lr save word, CR at 8,
 * r14-r31 at 16, f14-f31 at 88: 240 bytes. lr goes to the caller's 4(r1). */
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  mflr 0\n"
        "  stw 0, 4(1)\n"
        "  mfcr 0\n"
        "  stwu 1, -240(1)\n"
        "  stw 0, 8(1)\n"
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  stw \\n, 16 + (\\n - 14) * 4(1)\n"
        "  stfd \\n, 88 + (\\n - 14) * 8(1)\n"
        "  .endr\n"
        "  bcl 20, 31, 1f\n"
        "1: mflr 11\n"
        "  addis 11, 11, cs_slots-1b@ha\n"
        "  addi 11, 11, cs_slots-1b@l\n"         /* r11 = &cs_slots */
        "  stw 2, CS_XB + 0 + 4(11)\n"
        "  stw 13, CS_XB + 8 + 4(11)\n"
        "  lwz 0, 0(1)\n"
        "  stw 0, CS_XB + 16 + 4(11)\n"
        "  lwz 0, CS_CRI + 4(11)\n"
        "  mtcrf 0x38, 0\n"                /* cr2, cr3, cr4 */
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  lwz \\n, CS_GIN + (\\n - 14) * 8 + 4(11)\n"
        "  lfd \\n, CS_FIN + (\\n - 14) * 8(11)\n"
        "  .endr\n"
        "  lwz 3, CS_FN + 4(11)\n"
        "  lwz 4, CS_STACK + 4(11)\n"
        "  lwz 5, CS_FLAGS + 4(11)\n"
        "  lwz 6, CS_ARG + 4(11)\n"
        "  lwz 7, CS_PTID + 4(11)\n"
        "  lwz 8, CS_TLS + 4(11)\n"
        "  lwz 9, CS_CTID + 4(11)\n"
        "  lwz 12, CS_CLONE + 4(11)\n"
        "  mtctr 12\n"
        "  stw 1, CS_SPB + 4(11)\n"
        "  crxor 6, 6, 6\n"                /* variadic call: no FP arguments in registers */
        "  bctrl\n"
        "  bcl 20, 31, 2f\n"
        "2: mflr 11\n"
        "  addis 11, 11, cs_slots-2b@ha\n"
        "  addi 11, 11, cs_slots-2b@l\n"
        "  stw 3, CS_RESULT + 4(11)\n"
        "  stw 1, CS_SPA + 4(11)\n"
        "  stw 2, CS_XA + 0 + 4(11)\n"
        "  stw 13, CS_XA + 8 + 4(11)\n"
        "  lwz 0, 0(1)\n"
        "  stw 0, CS_XA + 16 + 4(11)\n"
        "  mfcr 0\n"
        "  stw 0, CS_CRO + 4(11)\n"
        "  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
        "  stw \\n, CS_GOUT + (\\n - 14) * 8 + 4(11)\n"
        "  stfd \\n, CS_FOUT + (\\n - 14) * 8(11)\n"
        "  lwz \\n, 16 + (\\n - 14) * 4(1)\n"
        "  lfd \\n, 88 + (\\n - 14) * 8(1)\n"
        "  .endr\n"
        "  lwz 0, 8(1)\n"
        "  mtcrf 0x38, 0\n"
        "  addi 1, 1, 240\n"
        "  lwz 0, 4(1)\n"
        "  mtlr 0\n"
        "  blr\n"
        CS_ASM_END);

#elif defined(__s390x__)
static const char *const gpr_names[] = {"r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13"};
static const char *const fpr_names[] = {"f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15"};
#define N_FPR 8
/* Frame: the 160-byte save area clone may use, clone's stack arguments tls
 * and ctid at 160 and 168, f8-f15 at 176: 240 bytes. r6-r15 go to the save
 * area our caller provides. */
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  stmg %r6, %r15, 48(%r15)\n"
        "  lgr %r1, %r15\n"
        "  aghi %r15, -240\n"
        "  stg %r1, 0(%r15)\n"             /* back chain */
        "  .irp n, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "  std %f\\n, 176 + (\\n - 8) * 8(%r15)\n"
        "  .endr\n"
        "  larl %r1, cs_slots\n"
        "  lg %r0, CS_TLS(%r1)\n"
        "  stg %r0, 160(%r15)\n"
        "  lg %r0, CS_CTID(%r1)\n"
        "  stg %r0, 168(%r15)\n"
        "  .irp n, 7, 8, 9, 10, 11, 12, 13\n"
        "  lg %r\\n, CS_GIN + (\\n - 6) * 8(%r1)\n"
        "  .endr\n"
        "  .irp n, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "  ld %f\\n, CS_FIN + (\\n - 8) * 8(%r1)\n"
        "  .endr\n"
        "  lg %r2, CS_FN(%r1)\n"
        "  lg %r3, CS_STACK(%r1)\n"
        "  lg %r4, CS_FLAGS(%r1)\n"
        "  lg %r5, CS_ARG(%r1)\n"
        "  lg %r6, CS_PTID(%r1)\n"         /* r6: the fifth argument */
        "  stg %r15, CS_SPB(%r1)\n"
        "  lg %r1, CS_CLONE(%r1)\n"
        "  basr %r14, %r1\n"
        "  larl %r1, cs_slots\n"
        "  stg %r2, CS_RESULT(%r1)\n"
        "  stg %r15, CS_SPA(%r1)\n"
        "  .irp n, 6, 7, 8, 9, 10, 11, 12, 13\n"
        "  stg %r\\n, CS_GOUT + (\\n - 6) * 8(%r1)\n"
        "  .endr\n"
        "  .irp n, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "  std %f\\n, CS_FOUT + (\\n - 8) * 8(%r1)\n"
        "  ld %f\\n, 176 + (\\n - 8) * 8(%r15)\n"
        "  .endr\n"
        "  lmg %r6, %r15, 240 + 48(%r15)\n"
        "  br %r14\n"
        CS_ASM_END);

#elif defined(__mips__) && _MIPS_SIM == _ABIO32
static const char *const gpr_names[] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "fp"};
/* FPXX/FP32: the callee-saved $f20-$f31 as the six even doubles. */
static const char *const fpr_names[] = {"f20", "f22", "f24", "f26", "f28", "f30"};
#define N_FPR 6
/* The 32-bit word of a slot that a register uses: the low one, last on
 * big-endian. cs_slots is found PC-relatively (`bal` over a `.word cs_slots
 * - .`), so $8 holds it without a callee-saved register. Frame: 16-byte
 * argument area, ptid/tls/ctid at 16-24, s0-s7 and fp at 32, ra at 68,
 * the doubles at 72: 128 bytes. */
#if defined(__MIPSEB__)
#define CS_W "4"
#else
#define CS_W "0"
#endif
#define CS_MIPS_SLOTS                                                   \
    "  bal 1f\n"                                                        \
    "  nop\n"                                                           \
    "  .word cs_slots - .\n"                                            \
    "1: lw $8, 0($31)\n"                                                \
    "  addu $8, $8, $31\n"
__asm__(CS_ASM_BEGIN
        ".set push\n"
        ".set noreorder\n"
        ".set W, " CS_W "\n"
        "cs_harness:\n"
        "  addiu $sp, $sp, -128\n"
        "  sw $31, 68($sp)\n"
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  sw \\r, 32 + cs_i * 4($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f20, $f22, $f24, $f26, $f28, $f30\n"
        "  sdc1 \\r, 72 + cs_i * 8($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        CS_MIPS_SLOTS
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  lw \\r, CS_GIN + cs_i * 8 + W($8)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f20, $f22, $f24, $f26, $f28, $f30\n"
        "  ldc1 \\r, CS_FIN + cs_i * 8($8)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  lw $4, CS_FN + W($8)\n"
        "  lw $5, CS_STACK + W($8)\n"
        "  lw $6, CS_FLAGS + W($8)\n"
        "  lw $7, CS_ARG + W($8)\n"
        "  lw $9, CS_PTID + W($8)\n"
        "  sw $9, 16($sp)\n"
        "  lw $9, CS_TLS + W($8)\n"
        "  sw $9, 20($sp)\n"
        "  lw $9, CS_CTID + W($8)\n"
        "  sw $9, 24($sp)\n"
        "  lw $25, CS_CLONE + W($8)\n"
        "  sw $sp, CS_SPB + W($8)\n"
        "  jalr $25\n"
        "  nop\n"
        CS_MIPS_SLOTS
        "  sw $2, CS_RESULT + W($8)\n"
        "  sw $sp, CS_SPA + W($8)\n"
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  sw \\r, CS_GOUT + cs_i * 8 + W($8)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f20, $f22, $f24, $f26, $f28, $f30\n"
        "  sdc1 \\r, CS_FOUT + cs_i * 8($8)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  lw \\r, 32 + cs_i * 4($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f20, $f22, $f24, $f26, $f28, $f30\n"
        "  ldc1 \\r, 72 + cs_i * 8($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  lw $31, 68($sp)\n"
        "  jr $31\n"
        "  addiu $sp, $sp, 128\n"
        ".set pop\n"
        CS_ASM_END);

#elif defined(__mips__) && _MIPS_SIM == _ABI64
static const char *const gpr_names[] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "fp"};
static const char *const fpr_names[] = {"f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31"};
#define N_FPR 8
#define X_NAMES {"gp"}
/* As on o32, with 64-bit slots; gp is callee-saved here. Frame: s0-s7 and
 * fp at 0, gp at 72, ra at 80, f24-f31 at 88: 160 bytes. */
#define CS_MIPS_SLOTS                                                   \
    "  bal 1f\n"                                                        \
    "  nop\n"                                                           \
    "  .word cs_slots - .\n"                                            \
    "1: lw $12, 0($31)\n"                                               \
    "  daddu $12, $12, $31\n"
__asm__(CS_ASM_BEGIN
        ".set push\n"
        ".set noreorder\n"
        "cs_harness:\n"
        "  daddiu $sp, $sp, -160\n"
        "  sd $28, 72($sp)\n"
        "  sd $31, 80($sp)\n"
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  sd \\r, cs_i * 8($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f24, $f25, $f26, $f27, $f28, $f29, $f30, $f31\n"
        "  sdc1 \\r, 88 + cs_i * 8($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        CS_MIPS_SLOTS
        "  sd $28, CS_XB($12)\n"
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  ld \\r, CS_GIN + cs_i * 8($12)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f24, $f25, $f26, $f27, $f28, $f29, $f30, $f31\n"
        "  ldc1 \\r, CS_FIN + cs_i * 8($12)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ld $4, CS_FN($12)\n"
        "  ld $5, CS_STACK($12)\n"
        "  ld $6, CS_FLAGS($12)\n"
        "  ld $7, CS_ARG($12)\n"
        "  ld $8, CS_PTID($12)\n"
        "  ld $9, CS_TLS($12)\n"
        "  ld $10, CS_CTID($12)\n"
        "  ld $25, CS_CLONE($12)\n"
        "  sd $sp, CS_SPB($12)\n"
        "  jalr $25\n"
        "  nop\n"
        CS_MIPS_SLOTS
        "  sd $2, CS_RESULT($12)\n"
        "  sd $sp, CS_SPA($12)\n"
        "  sd $28, CS_XA($12)\n"
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  sd \\r, CS_GOUT + cs_i * 8($12)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f24, $f25, $f26, $f27, $f28, $f29, $f30, $f31\n"
        "  sdc1 \\r, CS_FOUT + cs_i * 8($12)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $16, $17, $18, $19, $20, $21, $22, $23, $30\n"
        "  ld \\r, cs_i * 8($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $f24, $f25, $f26, $f27, $f28, $f29, $f30, $f31\n"
        "  ldc1 \\r, 88 + cs_i * 8($sp)\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ld $28, 72($sp)\n"
        "  ld $31, 80($sp)\n"
        "  jr $31\n"
        "  daddiu $sp, $sp, 160\n"
        ".set pop\n"
        CS_ASM_END);

#elif defined(__loongarch64)
static const char *const gpr_names[] = {"s0", "s1", "s2", "s3", "s4", "s5",
                                        "s6", "s7", "s8", "fp"};
static const char *const fpr_names[] = {"fs0", "fs1", "fs2", "fs3", "fs4", "fs5",
                                        "fs6", "fs7"};
#define N_FPR 8
#define X_NAMES {"tp", "r21"}
/* Frame: s0-s8 and fp at 0, fs0-fs7 at 80, ra at 152: 160 bytes. */
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  addi.d $sp, $sp, -160\n"
        "  st.d $ra, $sp, 152\n"
        "  .set cs_i, 0\n"
        "  .irp r, $s0, $s1, $s2, $s3, $s4, $s5, $s6, $s7, $s8, $fp\n"
        "  st.d \\r, $sp, cs_i * 8\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $fs0, $fs1, $fs2, $fs3, $fs4, $fs5, $fs6, $fs7\n"
        "  fst.d \\r, $sp, 80 + cs_i * 8\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  la.pcrel $t0, cs_slots\n"
        "  st.d $tp, $t0, CS_XB + 0\n"
        "  st.d $r21, $t0, CS_XB + 8\n"
        "  .set cs_i, 0\n"
        "  .irp r, $s0, $s1, $s2, $s3, $s4, $s5, $s6, $s7, $s8, $fp\n"
        "  ld.d \\r, $t0, CS_GIN + cs_i * 8\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $fs0, $fs1, $fs2, $fs3, $fs4, $fs5, $fs6, $fs7\n"
        "  fld.d \\r, $t0, CS_FIN + cs_i * 8\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ld.d $a0, $t0, CS_FN\n"
        "  ld.d $a1, $t0, CS_STACK\n"
        "  ld.d $a2, $t0, CS_FLAGS\n"
        "  ld.d $a3, $t0, CS_ARG\n"
        "  ld.d $a4, $t0, CS_PTID\n"
        "  ld.d $a5, $t0, CS_TLS\n"
        "  ld.d $a6, $t0, CS_CTID\n"
        "  ld.d $t1, $t0, CS_CLONE\n"
        "  st.d $sp, $t0, CS_SPB\n"
        "  jirl $ra, $t1, 0\n"
        "  la.pcrel $t0, cs_slots\n"
        "  st.d $a0, $t0, CS_RESULT\n"
        "  st.d $sp, $t0, CS_SPA\n"
        "  st.d $tp, $t0, CS_XA + 0\n"
        "  st.d $r21, $t0, CS_XA + 8\n"
        "  .set cs_i, 0\n"
        "  .irp r, $s0, $s1, $s2, $s3, $s4, $s5, $s6, $s7, $s8, $fp\n"
        "  st.d \\r, $t0, CS_GOUT + cs_i * 8\n"
        "  ld.d \\r, $sp, cs_i * 8\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  .set cs_i, 0\n"
        "  .irp r, $fs0, $fs1, $fs2, $fs3, $fs4, $fs5, $fs6, $fs7\n"
        "  fst.d \\r, $t0, CS_FOUT + cs_i * 8\n"
        "  fld.d \\r, $sp, 80 + cs_i * 8\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ld.d $ra, $sp, 152\n"
        "  addi.d $sp, $sp, 160\n"
        "  ret\n"
        CS_ASM_END);

#elif defined(__sparc__) && defined(__arch64__)
static const char *const gpr_names[] = {"l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7",
                                        "i0", "i1", "i2", "i3", "i4", "i5"};
static const char *const fpr_names[1];
#define N_FPR 0
#define X_NAMES {"g7", "fp", "i7"}
/* A window of 192 bytes (save area, argument dump with clone's 7th argument
 * ctid at %sp + 2047 + 176). cs_slots is found PC-relatively into %g4 (rd
 * %pc; %pc22/%pc10 are relative to their own instruction, hence the
 * addends); the globals are the caller's to change. */
#define CS_SPARC_SLOTS                                                  \
    "  rd %pc, %g4\n"                                                   \
    "  sethi %pc22(cs_slots + 4), %g1\n"                                \
    "  or %g1, %pc10(cs_slots + 8), %g1\n"                              \
    "  add %g4, %g1, %g4\n"
__asm__(CS_ASM_BEGIN
        "cs_harness:\n"
        "  save %sp, -192, %sp\n"
        CS_SPARC_SLOTS
        "  stx %g7, [%g4 + CS_XB + 0]\n"
        "  stx %fp, [%g4 + CS_XB + 8]\n"
        "  stx %i7, [%g4 + CS_XB + 16]\n"
        "  .set cs_i, 0\n"
        "  .irp r, %l0, %l1, %l2, %l3, %l4, %l5, %l6, %l7, %i0, %i1, %i2, %i3, %i4, %i5\n"
        "  ldx [%g4 + CS_GIN + cs_i * 8], \\r\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ldx [%g4 + CS_CTID], %g1\n"
        "  stx %g1, [%sp + 2047 + 176]\n"
        "  ldx [%g4 + CS_FN], %o0\n"
        "  ldx [%g4 + CS_STACK], %o1\n"
        "  ldx [%g4 + CS_FLAGS], %o2\n"
        "  ldx [%g4 + CS_ARG], %o3\n"
        "  ldx [%g4 + CS_PTID], %o4\n"
        "  ldx [%g4 + CS_TLS], %o5\n"
        "  ldx [%g4 + CS_CLONE], %g1\n"
        "  stx %sp, [%g4 + CS_SPB]\n"
        "  call %g1\n"
        "  nop\n"
        CS_SPARC_SLOTS
        "  stx %o0, [%g4 + CS_RESULT]\n"
        "  stx %sp, [%g4 + CS_SPA]\n"
        "  stx %g7, [%g4 + CS_XA + 0]\n"
        "  stx %fp, [%g4 + CS_XA + 8]\n"
        "  stx %i7, [%g4 + CS_XA + 16]\n"
        "  .set cs_i, 0\n"
        "  .irp r, %l0, %l1, %l2, %l3, %l4, %l5, %l6, %l7, %i0, %i1, %i2, %i3, %i4, %i5\n"
        "  stx \\r, [%g4 + CS_GOUT + cs_i * 8]\n"
        "  .set cs_i, cs_i + 1\n"
        "  .endr\n"
        "  ret\n"
        "  restore\n"
        CS_ASM_END);

#else
#error "callee_saved_registers: no harness for this architecture"
#endif

#define N_GPR (int)(sizeof gpr_names / sizeof gpr_names[0])

/* A general register as compared: all 64 bits on x86_64, x32 included
 * (32-bit pointers, 64-bit registers); the word elsewhere. */
#if defined(__x86_64__)
typedef uint64_t cs_reg_t;
#else
typedef uintptr_t cs_reg_t;
#endif

/* A distinct value for each register and each call, all 64 bits used. */
static uint64_t pattern(int call, int reg)
{
    uint64_t x = ((uint64_t)(call + 1) << 40) ^ ((uint64_t)(reg + 1) * 0x9e3779b97f4a7c15ull);
    return x | 1; /* never 0 */
}

/* Calls clone(fn, stack, flags, arg, ptid, tls, ctid) through the harness,
 * checks every register, and returns clone's result; *err gets errno. */
static int call_clone(int call, const char *what, int (*fn)(void *), void *stack, int flags,
                      void *arg, pid_t *ptid, void *tls, pid_t *ctid, int *err)
{
    memset(cs_slots, 0, sizeof cs_slots);
    cs_slots[CS_CLONE] = (uintptr_t)&clone;
    cs_slots[CS_FN] = (uintptr_t)fn;
    cs_slots[CS_STACK] = (uintptr_t)stack;
    cs_slots[CS_FLAGS] = (uint64_t)(int64_t)flags; /* sign-extended, as 64-bit ABIs pass an int */
    cs_slots[CS_ARG] = (uintptr_t)arg;
    cs_slots[CS_PTID] = (uintptr_t)ptid;
    cs_slots[CS_TLS] = (uintptr_t)tls;
    cs_slots[CS_CTID] = (uintptr_t)ctid;
    for (int i = 0; i < N_GPR; i++)
        cs_slots[CS_GPR_IN + i] = pattern(call, i);
#if defined(__s390x__)
    cs_slots[CS_GPR_IN + 0] = cs_slots[CS_PTID]; /* r6 is ptid */
#endif
    for (int i = 0; i < N_FPR; i++)
        cs_slots[CS_FPR_IN + i] = pattern(call, 32 + i);
    cs_slots[CS_CR_IN] = pattern(call, 63);
#if defined(__x86_64__) && defined(__ILP32__)
    /* x32: the upper halves of an int in a register and of a stack slot
     * holding a 32-bit argument are undefined (only pointers in registers
     * arrive zero-extended, as gcc and clang both pass and assume them);
     * fill them with garbage, so that clone must ignore flags' and
     * zero-extend ctid's before the 64-bit kernel sees them. */
    cs_slots[CS_FLAGS] = (cs_slots[CS_FLAGS] & 0xffffffffu) | ((uint64_t)0xa5a5a5a5u << 32);
    cs_slots[CS_CTID] = (cs_slots[CS_CTID] & 0xffffffffu) | ((uint64_t)0x5a5a5a5au << 32);
#endif

    errno = 0;
    cs_harness();
    *err = errno;

    for (int i = 0; i < N_GPR; i++)
        CHECK((cs_reg_t)cs_slots[CS_GPR_OUT + i] == (cs_reg_t)cs_slots[CS_GPR_IN + i],
              "%s: %s was %#jx before clone, %#jx after", what, gpr_names[i],
              (uintmax_t)(cs_reg_t)cs_slots[CS_GPR_IN + i], (uintmax_t)(cs_reg_t)cs_slots[CS_GPR_OUT + i]);
    for (int i = 0; i < N_FPR; i++)
        CHECK(cs_slots[CS_FPR_OUT + i] == cs_slots[CS_FPR_IN + i], "%s: %s was %#jx before clone, %#jx after",
              what, fpr_names[i], (uintmax_t)cs_slots[CS_FPR_IN + i], (uintmax_t)cs_slots[CS_FPR_OUT + i]);
    (void)fpr_names;
    CHECK((cs_reg_t)cs_slots[CS_SP_AFTER] == (cs_reg_t)cs_slots[CS_SP_BEFORE],
          "%s: the stack pointer was %#jx at the call, %#jx after it", what,
          (uintmax_t)(cs_reg_t)cs_slots[CS_SP_BEFORE], (uintmax_t)(cs_reg_t)cs_slots[CS_SP_AFTER]);
#if defined(__riscv) || defined(__loongarch64)
    static const char *const x_names[] = X_NAMES;
    for (int i = 0; i < 2; i++)
        CHECK(cs_slots[CS_X_AFTER + i] == cs_slots[CS_X_BEFORE + i], "%s: %s was %#jx before clone, %#jx after",
              what, x_names[i], (uintmax_t)cs_slots[CS_X_BEFORE + i], (uintmax_t)cs_slots[CS_X_AFTER + i]);
#elif defined(__mips__) && _MIPS_SIM == _ABI64
    static const char *const x_names[] = X_NAMES;
    CHECK(cs_slots[CS_X_AFTER] == cs_slots[CS_X_BEFORE], "%s: %s was %#jx before clone, %#jx after",
          what, x_names[0], (uintmax_t)cs_slots[CS_X_BEFORE], (uintmax_t)cs_slots[CS_X_AFTER]);
#elif defined(__sparc__)
    static const char *const x_names[] = X_NAMES;
    for (int i = 0; i < 3; i++)
        CHECK(cs_slots[CS_X_AFTER + i] == cs_slots[CS_X_BEFORE + i], "%s: %s was %#jx before clone, %#jx after",
              what, x_names[i], (uintmax_t)cs_slots[CS_X_BEFORE + i], (uintmax_t)cs_slots[CS_X_AFTER + i]);
#elif defined(__powerpc64__)
    static const char *const x_names[] = X_NAMES;
    /* r13 (thread pointer) and the TOC save slot always; r2 itself when
     * clone is in this module, so that it shares our TOC (a callee in
     * another module may return with its own r2: the caller reloads it). */
#if defined(SCHED_CLONE_MODE_DYNAMIC) || defined(SCHED_CLONE_MODE_PRELOAD)
    const int first_x = 1;
#else
    const int first_x = 0;
#endif
    for (int i = first_x; i < 3; i++)
        CHECK(cs_slots[CS_X_AFTER + i] == cs_slots[CS_X_BEFORE + i], "%s: %s was %#jx before clone, %#jx after",
              what, x_names[i], (uintmax_t)cs_slots[CS_X_BEFORE + i], (uintmax_t)cs_slots[CS_X_AFTER + i]);
    const uint64_t cr234 = 0x00fff000; /* cr2-cr4 in the 32-bit CR (cr0 is the top nibble) */
    CHECK(((cs_slots[CS_CR_OUT] ^ cs_slots[CS_CR_IN]) & cr234) == 0,
          "%s: cr2-cr4 were %#jx before clone, %#jx after", what,
          (uintmax_t)(cs_slots[CS_CR_IN] & cr234), (uintmax_t)(cs_slots[CS_CR_OUT] & cr234));
#elif defined(__powerpc__)
    static const char *const x_names[] = X_NAMES;
    for (int i = 0; i < 3; i++)
        CHECK((uint32_t)cs_slots[CS_X_AFTER + i] == (uint32_t)cs_slots[CS_X_BEFORE + i],
              "%s: %s was %#jx before clone, %#jx after", what, x_names[i],
              (uintmax_t)(uint32_t)cs_slots[CS_X_BEFORE + i], (uintmax_t)(uint32_t)cs_slots[CS_X_AFTER + i]);
    const uint32_t cr234 = 0x00fff000; /* cr2-cr4 (cr0 is the top nibble) */
    CHECK((((uint32_t)cs_slots[CS_CR_OUT] ^ (uint32_t)cs_slots[CS_CR_IN]) & cr234) == 0,
          "%s: cr2-cr4 were %#jx before clone, %#jx after", what,
          (uintmax_t)((uint32_t)cs_slots[CS_CR_IN] & cr234),
          (uintmax_t)((uint32_t)cs_slots[CS_CR_OUT] & cr234));
#endif
    return (int)(uint32_t)cs_slots[CS_RESULT];
}

static int exit_with_arg(void *arg)
{
    return (int)(intptr_t)arg;
}

static volatile int thread_ran;

static int thread_fn(void *arg)
{
    thread_ran = (int)(intptr_t)arg;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();
    char *base = alloc_stack(STACK_SIZE);
    void *top = stack_top(base, STACK_SIZE);
    /* Without CLONE_PARENT_SETTID, CLONE_SETTLS and CLONE_CHILD_*TID the
     * kernel ignores ptid, tls and ctid: distinct junk values make sure
     * nothing depends on them being 0 (and give s390x's r6 a pattern). */
    pid_t *junk_ptid = (pid_t *)(uintptr_t)0x5a5a5a50;
    void *junk_tls = (void *)(uintptr_t)0x5b5b5b50;
    pid_t *junk_ctid = (pid_t *)(uintptr_t)0x5c5c5c50;
    int err, ret, status;

    /* 1. A fork-like child. */
    ret = call_clone(0, "fork-like child", exit_with_arg, top, SIGCHLD, (void *)(intptr_t)23,
                     junk_ptid, junk_tls, junk_ctid, &err);
    CHECK(ret > 0, "fork-like child: clone returned %d (errno %d)", ret, err);
    CHECK(waitpid(ret, &status, 0) == ret, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 23, "child status %#x", status);

    /* 2. A thread, with ptid and ctid in use. */
    static volatile pid_t ptid, ctid;
    ptid = 0;
    ctid = -1;
    ret = call_clone(1, "thread", thread_fn, top,
                     THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID,
                     (void *)(intptr_t)31, (pid_t *)&ptid, junk_tls, (pid_t *)&ctid, &err);
    CHECK(ret > 0, "thread: clone returned %d (errno %d)", ret, err);
    CHECK(ptid == ret, "ptid %d, clone returned %d", (int)ptid, ret);
    wait_tid_cleared(&ctid);
    CHECK(thread_ran == 31, "the thread did not run (%d)", thread_ran);

    /* 3. The kernel's error: CLONE_SIGHAND without CLONE_VM. */
    ret = call_clone(2, "kernel error", exit_with_arg, top, CLONE_SIGHAND | SIGCHLD, NULL,
                     junk_ptid, junk_tls, junk_ctid, &err);
    CHECK(ret == -1 && err == EINVAL, "kernel error: clone returned %d, errno %d", ret, err);

    /* 4 and 5. The wrapper's EINVAL, before any system call. */
    ret = call_clone(3, "NULL fn", NULL, top, SIGCHLD, NULL, junk_ptid, junk_tls, junk_ctid, &err);
    CHECK(ret == -1 && err == EINVAL, "NULL fn: clone returned %d, errno %d", ret, err);
    ret = call_clone(4, "NULL stack", exit_with_arg, NULL, SIGCHLD, NULL, junk_ptid, junk_tls,
                     junk_ctid, &err);
    CHECK(ret == -1 && err == EINVAL, "NULL stack: clone returned %d, errno %d", ret, err);

    errno = 0;
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD, "a stray child exists");
    return 0;
}
