/* The exact stack pointer at fn's first instruction, for 32 stack tops (each
 * misalignment twice, two of them aligned), in a thread and in a fork-like
 * child: it is the given top aligned down to 16, minus the bytes of child
 * stack the wrapper uses (README's architecture table), and the outermost
 * frame is marked as the ABI wants. fn is an assembly probe that records the
 * stack pointer, the frame pointer register(s), the word at the stack
 * pointer (the back chain where the ABI has one) and its argument, and
 * returns 42.
 *
 *   arch      sp at fn's entry           also
 *   x86_64    top - 8  (return address)  rbp = 0
 *   i686      top - 20 (return address,  ebp = 0; (sp + 4) % 16 == 0;
 *             arg, padding)              arg at 4(sp)
 *   aarch64   top                        x29 = 0
 *   armv7     top                        r11 = 0 and r7 = 0 (ARM, Thumb fp)
 *   riscv64   top                        s0 = 0
 *   ppc64le   top - 96 (header + para-   back chain 0(r1) = 0; fn entered at
 *             meter save area)           its global entry with r12 = fn (the
 *                                        probe finds its data through the TOC
 *                                        it derives from r12)
 *   ppc64     top - 112 (48-byte header  back chain 0(r1) = 0; fn called
 *   (ELFv1)   + parameter save area)     through its descriptor: r2 and r11
 *                                        are the descriptor's TOC and
 *                                        environment words (the probe's are
 *                                        marker values)
 *   powerpc   top - 16 (back chain, LR   back chain 0(r1) = 0
 *             save word, padding)
 *   s390x     top - 160 (register save   back chain 0(r15) = 0; r11 = 0
 *             area)
 *   mips o32  top - 16 (the argument     $fp = 0; fn entered with $25 = fn
 *             area a0-a3 may be saved    (the probe finds its data through
 *             in)                        the $gp it derives from $25)
 *   mips64    top                        $fp = 0; $25 = fn, as on o32
 *   sparc64   top - 192 (window save     %fp = 0 and %i7 = 0 (the caller's
 *             area, argument dump;       frame pointer and return address);
 *             %sp + 2047, unbiased)      under qemu-user, which starts the
 *                                        child at the given stack; a kernel
 *                                        first copies the parent's 192-byte
 *                                        frame below the top (top - 384)
 *   loongarch64 top                      $fp = 0
 * (top: the given stack top aligned down to 16.)
 *
 * The frame pointer checks prove something only if the caller's frame
 * pointer (which the child inherits) is not 0: clone is called from a
 * function compiled with a frame pointer, and that it is non-zero is
 * checked too. On arm, from an ARM-state and from a Thumb-state caller, so
 * that r11 and r7 are each the caller's frame pointer once. The stack is
 * filled with 0xa5 before each clone so that a zero back chain is written,
 * not found. */
/* sched-clone-test: cross musl */
#include "common.h"

#define STACK_SIZE (64 * 1024)
#define PROBE_ARG 0x5a5a
#define PROBE_RESULT 42

struct probe_record {
    uintptr_t sp;         /* the stack pointer at entry */
    uintptr_t fp;         /* the frame pointer register */
    uintptr_t fp_alt;     /* arm: r7, the Thumb frame pointer; sparc64: %i7 */
    uintptr_t back_chain; /* ppc64le, s390x: the word at the stack pointer */
    uintptr_t arg;        /* fn's argument as fn sees it */
    uintptr_t toc;        /* ppc64 ELFv1: r2 and r11 at entry */
    uintptr_t env;
};

/* Where the probe writes: a MAP_SHARED page, so that a fork-like child's
 * record reaches the parent too. */
__attribute__((visibility("hidden"))) extern struct probe_record *probe_out;
struct probe_record *probe_out;
__attribute__((visibility("hidden"))) extern int probe_entry(void *arg);

#define PROBE_BEGIN                                                     \
    ".pushsection .text\n"                                              \
    ".globl probe_entry\n"                                              \
    ".hidden probe_entry\n"                                             \
    ".type probe_entry, %function\n"
#define PROBE_END                                                       \
    ".size probe_entry, .-probe_entry\n"                                \
    ".popsection\n"

#if defined(__x86_64__) && defined(__ILP32__)
/* x32: 32-bit pointers and uintptr_t fields (4 bytes apart). */
#define BYTES_BELOW_TOP 8
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("mov %%ebp, %0" : "=r"(v))
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  endbr64\n"
        "  mov probe_out(%rip), %eax\n"   /* zero-extends: a 32-bit address */
        "  mov %esp, 0(%rax)\n"
        "  mov %ebp, 4(%rax)\n"
        "  mov %edi, 16(%rax)\n"
        "  mov $42, %eax\n"
        "  ret\n"
        PROBE_END);
#elif defined(__x86_64__)
#define BYTES_BELOW_TOP 8
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("mov %%rbp, %0" : "=r"(v))
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  endbr64\n"
        "  mov probe_out(%rip), %rax\n"
        "  mov %rsp, 0(%rax)\n"
        "  mov %rbp, 8(%rax)\n"
        "  mov %rdi, 32(%rax)\n"
        "  mov $42, %eax\n"
        "  ret\n"
        PROBE_END);
#elif defined(__i386__)
#define BYTES_BELOW_TOP 20
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("mov %%ebp, %0" : "=r"(v))
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  mov %esp, %edx\n"
        "  call 1f\n"
        "1: pop %ecx\n"
        "  addl $_GLOBAL_OFFSET_TABLE_+(.-1b), %ecx\n"
        "  mov probe_out@GOTOFF(%ecx), %ecx\n"
        "  mov %edx, 0(%ecx)\n"
        "  mov %ebp, 4(%ecx)\n"
        "  mov 4(%edx), %eax\n"            /* the argument, on the stack */
        "  mov %eax, 16(%ecx)\n"
        "  mov $42, %eax\n"
        "  ret\n"
        PROBE_END);
#elif defined(__aarch64__)
#define BYTES_BELOW_TOP 0
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("mov %0, x29" : "=r"(v))
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  hint #34\n"                     /* bti c: reached through blr */
        "  adrp x9, probe_out\n"
        "  ldr x9, [x9, :lo12:probe_out]\n"
        "  mov x10, sp\n"
        "  str x10, [x9]\n"
        "  str x29, [x9, #8]\n"
        "  str x0, [x9, #32]\n"
        "  mov w0, #42\n"
        "  ret\n"
        PROBE_END);
#elif defined(__arm__)
#define BYTES_BELOW_TOP 0
#define FP_ZEROED 1
#define BACK_CHAIN 0
__asm__(PROBE_BEGIN
        ".arm\n"
        ".balign 4\n"
        "probe_entry:\n"
        "  ldr r12, 2f\n"
        "1: add r12, pc, r12\n"
        "  ldr r12, [r12]\n"
        "  str sp, [r12]\n"
        "  str r11, [r12, #4]\n"
        "  str r7, [r12, #8]\n"
        "  str r0, [r12, #16]\n"
        "  mov r0, #42\n"
        "  bx lr\n"
        "2: .word probe_out - (1b + 8)\n"  /* pc reads as . + 8 in ARM state */
        PROBE_END
#if defined(__thumb__)
        ".thumb\n"
#endif
);
#elif defined(__riscv) && __riscv_xlen == 64
#define BYTES_BELOW_TOP 0
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("mv %0, s0" : "=r"(v))
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  lla t0, probe_out\n"
        "  ld t0, 0(t0)\n"
        "  sd sp, 0(t0)\n"
        "  sd s0, 8(t0)\n"
        "  sd a0, 32(t0)\n"
        "  li a0, 42\n"
        "  ret\n"
        PROBE_END);
#elif defined(__powerpc64__) && defined(_CALL_ELF) && _CALL_ELF == 2
#define BYTES_BELOW_TOP 96
#define FP_ZEROED 0 /* ELFv2 has no frame pointer register; the back chain links frames */
#define BACK_CHAIN 1
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "0: addis 2, 12, .TOC.-0b@ha\n"    /* the global entry: r2 from r12 */
        "  addi 2, 2, .TOC.-0b@l\n"
        "  .localentry probe_entry, .-probe_entry\n"
        "  addis 11, 2, probe_out@toc@ha\n"
        "  ld 11, probe_out@toc@l(11)\n"
        "  std 1, 0(11)\n"
        "  std 31, 8(11)\n"
        "  ld 0, 0(1)\n"
        "  std 0, 24(11)\n"
        "  std 3, 32(11)\n"
        "  li 3, 42\n"
        "  blr\n"
        PROBE_END);
#elif defined(__powerpc64__)
#define BYTES_BELOW_TOP 112
#define FP_ZEROED 0 /* no frame pointer register in the ABI; the back chain links frames */
#define BACK_CHAIN 1
#define DESCRIPTOR 1
/* ELFv1: probe_entry is a function descriptor in .opd whose TOC and
 * environment words are markers (the probe itself needs no TOC: it finds
 * probe_out PC-relatively); the code is at .L.probe_entry. */
__attribute__((visibility("hidden"))) extern const char probe_toc_marker[8];
const char probe_toc_marker[8];
#define PROBE_ENV_MARKER 0x5e5e
__asm__(".pushsection .opd, \"aw\"\n"
        ".p2align 3\n"
        ".globl probe_entry\n"
        ".hidden probe_entry\n"
        ".type probe_entry, @function\n"
        "probe_entry:\n"
        "  .quad .L.probe_entry, probe_toc_marker, 0x5e5e\n"
        ".size probe_entry, 24\n"
        ".popsection\n"
        ".pushsection .text\n"
        ".L.probe_entry:\n"
        "  mflr 0\n"
        "  bcl 20, 31, 1f\n"
        "1: mflr 12\n"
        "  mtlr 0\n"
        "  addis 12, 12, probe_out-1b@ha\n"
        "  addi 12, 12, probe_out-1b@l\n"
        "  ld 12, 0(12)\n"
        "  std 1, 0(12)\n"
        "  std 31, 8(12)\n"
        "  ld 0, 0(1)\n"
        "  std 0, 24(12)\n"
        "  std 3, 32(12)\n"
        "  std 2, 40(12)\n"
        "  std 11, 48(12)\n"
        "  li 3, 42\n"
        "  blr\n"
        ".popsection\n");
#elif defined(__powerpc__)
#define BYTES_BELOW_TOP 16
#define FP_ZEROED 0 /* no frame pointer register in the ABI; the back chain links frames */
#define BACK_CHAIN 1
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  mflr 0\n"
        "  bcl 20, 31, 1f\n"
        "1: mflr 12\n"
        "  mtlr 0\n"
        "  addis 12, 12, probe_out-1b@ha\n"
        "  addi 12, 12, probe_out-1b@l\n"
        "  lwz 12, 0(12)\n"
        "  stw 1, 0(12)\n"
        "  stw 31, 4(12)\n"
        "  lwz 0, 0(1)\n"
        "  stw 0, 12(12)\n"
        "  stw 3, 16(12)\n"
        "  li 3, 42\n"
        "  blr\n"
        PROBE_END);
#elif defined(__s390x__)
#define BYTES_BELOW_TOP 160
#define FP_ZEROED 1
#define BACK_CHAIN 1
#define READ_FP(v) __asm__ volatile("lgr %0, %%r11" : "=d"(v))
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  larl %r1, probe_out\n"
        "  lg %r1, 0(%r1)\n"
        "  stg %r15, 0(%r1)\n"
        "  stg %r11, 8(%r1)\n"
        "  lg %r0, 0(%r15)\n"
        "  stg %r0, 24(%r1)\n"
        "  stg %r2, 32(%r1)\n"
        "  lghi %r2, 42\n"
        "  br %r14\n"
        PROBE_END);
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
#define BYTES_BELOW_TOP 16
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("move %0, $fp" : "=r"(v))
__asm__(PROBE_BEGIN
        ".set push\n"
        ".set noreorder\n"
        "probe_entry:\n"
        "  lui $2, %hi(_gp_disp)\n"       /* $gp from $25: a wrong $25 gives a wrong probe_out */
        "  addiu $2, $2, %lo(_gp_disp)\n"
        "  addu $2, $2, $25\n"
        "  lw $3, %got(probe_out)($2)\n"
        "  lw $3, 0($3)\n"
        "  sw $sp, 0($3)\n"
        "  sw $fp, 4($3)\n"
        "  sw $4, 16($3)\n"
        "  jr $31\n"
        "  li $2, 42\n"
        ".set pop\n"
        PROBE_END);
#elif defined(__mips__) && _MIPS_SIM == _ABI64
#define BYTES_BELOW_TOP 0
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("move %0, $fp" : "=r"(v))
__asm__(PROBE_BEGIN
        ".set push\n"
        ".set noreorder\n"
        "probe_entry:\n"
        "  lui $2, %hi(%neg(%gp_rel(probe_entry)))\n" /* $gp from $25, as on o32 */
        "  daddu $2, $2, $25\n"
        "  daddiu $2, $2, %lo(%neg(%gp_rel(probe_entry)))\n"
        "  ld $3, %got_disp(probe_out)($2)\n"
        "  ld $3, 0($3)\n"
        "  sd $sp, 0($3)\n"
        "  sd $fp, 8($3)\n"
        "  sd $4, 32($3)\n"
        "  jr $31\n"
        "  li $2, 42\n"
        ".set pop\n"
        PROBE_END);
#elif defined(__sparc__) && defined(__arch64__)
#define BYTES_BELOW_TOP 192
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("mov %%fp, %0" : "=r"(v))
/* A leaf without a window: %fp and %i7 are still the child entry's.
 * probe_out is found PC-relatively (rd %pc; %pc22/%pc10 of the symbol,
 * each relative to its own instruction, hence the addends). */
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "1: rd %pc, %g4\n"
        "  sethi %pc22(probe_out + 4), %g1\n"
        "  or %g1, %pc10(probe_out + 8), %g1\n"
        "  ldx [%g4 + %g1], %g4\n"
        "  add %sp, 2047, %g1\n"
        "  stx %g1, [%g4 + 0]\n"
        "  stx %fp, [%g4 + 8]\n"
        "  stx %i7, [%g4 + 16]\n"
        "  stx %o0, [%g4 + 32]\n"
        "  retl\n"
        "  mov 42, %o0\n"
        PROBE_END);
#elif defined(__loongarch64)
#define BYTES_BELOW_TOP 0
#define FP_ZEROED 1
#define BACK_CHAIN 0
#define READ_FP(v) __asm__ volatile("move %0, $fp" : "=r"(v))
__asm__(PROBE_BEGIN
        "probe_entry:\n"
        "  la.pcrel $t0, probe_out\n"
        "  ld.d $t0, $t0, 0\n"
        "  st.d $sp, $t0, 0\n"
        "  st.d $fp, $t0, 8\n"
        "  st.d $a0, $t0, 32\n"
        "  addi.d $a0, $zero, 42\n"
        "  ret\n"
        PROBE_END);
#else
#error "entry_sp_probe: no probe for this architecture"
#endif

/* Calls clone from a frame with a frame pointer; *caller_fp gets it. The
 * asm after the call keeps it from being a tail call (which would restore
 * our own caller's frame pointer before jumping to clone). */
#define CALLER_BODY(read_fp)                                                       \
    {                                                                              \
        uintptr_t fp = 0;                                                          \
        read_fp;                                                                   \
        *caller_fp = fp;                                                           \
        int ret = clone(probe_entry, top, flags, (void *)(uintptr_t)PROBE_ARG,     \
                        NULL, NULL, ctid);                                         \
        __asm__ volatile("" ::: "memory");                                         \
        return ret;                                                                \
    }
typedef int caller_fn(void *top, int flags, pid_t *ctid, uintptr_t *caller_fp);

#if defined(__arm__)
/* r11 is the frame pointer of ARM code, r7 that of Thumb code. */
__attribute__((noinline, optimize("no-omit-frame-pointer"), target("arm"))) static int
clone_from_arm(void *top, int flags, pid_t *ctid, uintptr_t *caller_fp)
CALLER_BODY(__asm__ volatile("mov %0, r11" : "=r"(fp)))
/* (No Thumb caller on hard-float ARMv6: gcc has no Thumb-1 code for the
 * VFP calling convention.) */
#if __ARM_ARCH_ISA_THUMB >= 2 || !defined(__ARM_PCS_VFP)
#define THUMB_CALLER 1
#else
#define THUMB_CALLER 0
#endif
#if THUMB_CALLER
__attribute__((noinline, optimize("no-omit-frame-pointer"), target("thumb"))) static int
clone_from_thumb(void *top, int flags, pid_t *ctid, uintptr_t *caller_fp)
CALLER_BODY(__asm__ volatile("mov %0, r7" : "=r"(fp)))
#endif
static const struct { const char *name; caller_fn *call; } callers[] = {
    {"an ARM-state caller (fp r11)", clone_from_arm},
#if THUMB_CALLER
    {"a Thumb-state caller (fp r7)", clone_from_thumb},
#endif
};
#else
#if defined(__clang__)
/* clang has no optimize attribute: c-tests/lib.sh compiles with
 * -fno-omit-frame-pointer where clang is the compiler (loongarch64). */
#define WITH_FRAME_POINTER
#else
#define WITH_FRAME_POINTER optimize("no-omit-frame-pointer")
#endif
__attribute__((noinline, WITH_FRAME_POINTER)) static int
clone_with_fp(void *top, int flags, pid_t *ctid, uintptr_t *caller_fp)
#if FP_ZEROED
CALLER_BODY(READ_FP(fp))
#else
CALLER_BODY((void)0)
#endif
static const struct { const char *name; caller_fn *call; } callers[] = {
    {"a caller with a frame pointer", clone_with_fp},
};
#endif

int main(void)
{
    assert_clone_is_ours();
    probe_out = mmap(NULL, sizeof *probe_out, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                     -1, 0);
    CHECK(probe_out != MAP_FAILED, "mmap: %s", strerror(errno));
    char *base = alloc_stack(STACK_SIZE);
    char *page_top = stack_top(base, STACK_SIZE);

    for (int k = 0; k < 32; k++) {
        char *given = page_top - k;
        uintptr_t want = ((uintptr_t)given & ~(uintptr_t)15) - BYTES_BELOW_TOP;
        for (size_t c = 0; c < sizeof callers / sizeof callers[0]; c++) {
            for (int thread = 1; thread >= 0; thread--) {
                const char *mode = thread ? "thread" : "fork-like child";
                memset(page_top - 1024, 0xa5, 1024);
                memset(probe_out, 0xa5, sizeof *probe_out);
                uintptr_t caller_fp = 0;
                static volatile pid_t ctid;
                ctid = -1;
                int ret;
                if (thread) {
                    ret = callers[c].call(given, THREAD_FLAGS | CLONE_CHILD_SETTID |
                                                     CLONE_CHILD_CLEARTID,
                                          (pid_t *)&ctid, &caller_fp);
                    CHECK(ret > 0, "top - %d, %s: clone: %s", k, mode, strerror(errno));
                    wait_tid_cleared(&ctid);
                } else {
                    ret = callers[c].call(given, SIGCHLD, NULL, &caller_fp);
                    CHECK(ret > 0, "top - %d, %s: clone: %s", k, mode, strerror(errno));
                    int status;
                    CHECK(waitpid(ret, &status, 0) == ret, "waitpid: %s", strerror(errno));
                    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == PROBE_RESULT,
                          "top - %d, %s: status %#x, not exit(%d)", k, mode, status,
                          PROBE_RESULT);
                }
                const struct probe_record r = *probe_out;
                CHECK(r.arg == PROBE_ARG, "top - %d, %s: fn got the argument %#jx, not %#x", k,
                      mode, (uintmax_t)r.arg, PROBE_ARG);
                CHECK(r.sp == want,
                      "top - %d, %s: sp at fn's entry is aligned top - %jd (%#jx), not "
                      "aligned top - %d (%#jx)",
                      k, mode, (intmax_t)(((uintptr_t)given & ~(uintptr_t)15) - r.sp),
                      (uintmax_t)r.sp, BYTES_BELOW_TOP, (uintmax_t)want);
#if defined(__i386__)
                CHECK((r.sp + 4) % 16 == 0, "top - %d, %s: esp + 4 = %#jx is not 16-aligned",
                      k, mode, (uintmax_t)(r.sp + 4));
#endif
#if defined(DESCRIPTOR)
                CHECK(r.toc == (uintptr_t)probe_toc_marker && r.env == PROBE_ENV_MARKER,
                      "top - %d, %s: r2 %#jx and r11 %#jx at fn's entry, not its descriptor's "
                      "%#jx and %#x", k, mode, (uintmax_t)r.toc, (uintmax_t)r.env,
                      (uintmax_t)(uintptr_t)probe_toc_marker, PROBE_ENV_MARKER);
#endif
                if (BACK_CHAIN)
                    CHECK(r.back_chain == 0, "top - %d, %s: back chain at fn's entry %#jx, not 0",
                          k, mode, (uintmax_t)r.back_chain);
                if (FP_ZEROED) {
                    CHECK(caller_fp != 0, "%s: its frame pointer is 0, so the check that "
                          "the child's is 0 would prove nothing", callers[c].name);
                    CHECK(r.fp == 0, "top - %d, %s from %s: frame pointer %#jx at fn's entry, "
                          "not 0", k, mode, callers[c].name, (uintmax_t)r.fp);
#if defined(__arm__)
                    CHECK(r.fp_alt == 0, "top - %d, %s from %s: r7 %#jx at fn's entry, not 0",
                          k, mode, callers[c].name, (uintmax_t)r.fp_alt);
#elif defined(__sparc__)
                    CHECK(r.fp_alt == 0, "top - %d, %s from %s: %%i7 (the caller's return "
                          "address) %#jx at fn's entry, not 0",
                          k, mode, callers[c].name, (uintmax_t)r.fp_alt);
#endif
                }
            }
        }
    }
    return 0;
}
