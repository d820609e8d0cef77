//! arm (32-bit, EABI, e.g. armv7-unknown-linux-gnueabihf): the clone
//! trampolines.
//!
//! Kernel ABI (EABI): `svc #0` with the number in r7 and arguments in
//! r0-r6; the result comes back in r0 and every other register is
//! preserved, in the parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)`.
//!
//! The code is written in unified syntax with instructions that exist in
//! both the ARM and the Thumb-2 instruction sets, so it assembles in either
//! state (armv7 targets are ARM by default, thumbv7neon ones Thumb). fn is
//! called with `blx`, which switches state as fn's address says.
//!
//! Unwinding: besides CFI (for debuggers), ARM has its own exception tables
//! (EHABI, `.ARM.exidx`). rustc writes none for naked functions, so each
//! trampoline describes itself: the parent half as a function that saved
//! its registers, the child half as a separate `.cantunwind` region, the
//! outermost frame of the new thread.

use core::arch::naked_asm;
use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// Runs the clone syscall.
///
/// Register contract (AAPCS):
/// - in: r0 = fn, r1 = child stack top (16-byte aligned, non-null),
///   r2 = flags, r3 = arg, [sp] = ptid, [sp + 4] = tls, [sp + 8] = ctid.
/// - parent: r0 = the raw kernel result (TID or -errno); r4-r7 are saved
///   on the parent's stack and restored.
/// - child: never returns. It starts with sp = the stack top (16-byte
///   aligned, more than AAPCS's 8), zeroes the frame pointers (r11 for ARM
///   code, r7 for Thumb code) and lr so that frame walks end here, calls
///   fn(arg) with `blx` (fn may be Thumb) and exits with SYS_exit(fn's
///   result). It writes nothing to the stack itself.
///
/// fn and arg reach the child in r5 and r6 (callee-saved, not clone
/// arguments, preserved by the kernel), not on the child's stack: the
/// parent never writes to the child's stack, so a bad stack makes the child
/// fault, never the caller.
///
/// # Safety
/// `f` and `stack` must be valid as clone(2) requires (see `crate::clone`).
#[unsafe(naked)]
pub(crate) unsafe extern "C" fn raw_clone(
    f: ChildFn,
    stack: *mut c_void,
    flags: c_ulong,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_long {
    naked_asm!(
        ".fnstart",
        ".cfi_startproc",
        "push {{r4, r5, r6, r7}}", // r4 and r7 are kernel arguments; r5, r6 carry fn, arg
        ".save {{r4, r5, r6, r7}}",
        ".cfi_adjust_cfa_offset 16",
        ".cfi_rel_offset r4, 0",
        ".cfi_rel_offset r5, 4",
        ".cfi_rel_offset r6, 8",
        ".cfi_rel_offset r7, 12",
        "mov r5, r0",              // fn
        "mov r6, r3",              // arg
        "mov r0, r2",              // kernel arg 1: flags (r1 = arg 2, the stack, in place)
        "ldr r2, [sp, #16]",       // kernel arg 3: ptid (past the four saved registers)
        "ldr r3, [sp, #20]",       // kernel arg 4: tls
        "ldr r4, [sp, #24]",       // kernel arg 5: ctid
        "movw r7, #{nr}",
        "svc #0",
        "cmp r0, #0",
        "beq 2f",
        "pop {{r4, r5, r6, r7}}",
        ".cfi_adjust_cfa_offset -16",
        ".cfi_restore r4",
        ".cfi_restore r5",
        ".cfi_restore r6",
        ".cfi_restore r7",
        "bx lr",
        ".fnend",
        // The child: a region of its own, which no unwinder may leave.
        "2:",
        ".fnstart",
        ".cantunwind",
        ".cfi_undefined lr",       // the child's outermost frame: unwinders stop here
        "mov r7, #0",              // no frame chain above fn (r7 frames Thumb code,
        "mov r11, #0",             // r11 ARM code)
        "mov lr, #0",
        "mov r0, r6",
        "blx r5",
        "movw r7, #{exit}",        // SYS_exit: ends this thread only, never exit_group
        "svc #0",                  // r0 = fn's result
        "udf #0",
        ".cfi_endproc",
        ".fnend",
        nr = const libc::SYS_clone,
        exit = const libc::SYS_exit,
    )
}

/// Runs the clone3 syscall.
///
/// Register contract:
/// - in: r0 = struct clone_args *, r1 = its size, r2 = fn, r3 = arg.
/// - parent: r0 = the raw kernel result; r7 is saved on the parent's stack
///   and restored.
/// - child: the kernel set sp to args->stack + args->stack_size (or left
///   the caller's sp when args->stack is 0, which is only allowed without
///   CLONE_VM); it aligns sp down to 16, calls fn(arg) and exits with
///   SYS_exit(fn's result). fn and arg stay in r2 and r3, which clone3
///   does not read and the kernel preserves.
///
/// # Safety
/// `args` must point to a valid `struct clone_args` of `size` bytes whose
/// stack is valid for the child; see `crate::clone3`.
#[unsafe(naked)]
pub(crate) unsafe extern "C" fn raw_clone3(
    args: *mut c_void,
    size: usize,
    f: ChildFn,
    arg: *mut c_void,
) -> c_long {
    naked_asm!(
        ".fnstart",
        ".cfi_startproc",
        "push {{r4, r7}}",         // r7 holds the syscall number; r4 keeps sp 8-aligned
        ".save {{r4, r7}}",
        ".cfi_adjust_cfa_offset 8",
        ".cfi_rel_offset r4, 0",
        ".cfi_rel_offset r7, 4",
        "movw r7, #{nr}",
        "svc #0",
        "cmp r0, #0",
        "beq 2f",
        "pop {{r4, r7}}",
        ".cfi_adjust_cfa_offset -8",
        ".cfi_restore r4",
        ".cfi_restore r7",
        "bx lr",
        ".fnend",
        "2:",
        ".fnstart",
        ".cantunwind",
        ".cfi_undefined lr",
        "mov r7, #0",
        "mov r11, #0",
        "mov lr, #0",
        "mov r12, sp",
        "bic r12, r12, #15",       // the caller's stack_size need not keep sp aligned
        "mov sp, r12",
        "mov r0, r3",
        "blx r2",
        "movw r7, #{exit}",
        "svc #0",
        "udf #0",
        ".cfi_endproc",
        ".fnend",
        nr = const libc::SYS_clone3,
        exit = const libc::SYS_exit,
    )
}

/// The body of an exported C entry point: a direct tail call to `$target`,
/// which receives the caller's arguments untouched. ARM has no landing pads.
/// `b` does not switch instruction set: `$target` is Rust code compiled for
/// the same target, so in the same state as this entry point; the linker
/// handles interworking for the C caller, which may be Thumb code.
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!(
            ".fnstart",
            ".cfi_startproc",
            "b {target}",
            ".cfi_endproc",
            ".fnend",
            target = sym $target,
        )
    };
}
pub(crate) use entry_point;
