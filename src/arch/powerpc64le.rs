//! powerpc64le (ELFv2): the clone trampolines.
//!
//! Kernel ABI: `sc` with the number in r0 and arguments in r3-r8. On
//! failure the kernel sets cr0.SO and returns a positive errno in r3; on
//! success cr0.SO is clear and r3 holds the result. `sc` may clobber r0,
//! r3-r12, cr0, ctr and xer; r1, r2, r13-r31 and lr are preserved, in the
//! parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)` (CONFIG_CLONE_BACKWARDS). With
//! CLONE_SETTLS the kernel sets the child's r13, the thread pointer; nothing
//! here touches r13.
//!
//! C ABI (ELFv2): r1 is the stack pointer, 16-byte aligned, and 0(r1) is
//! the back chain; a caller's frame starts with 32 bytes (back chain, CR
//! save, LR save, TOC save), where the callee may store lr and cr, followed
//! by a 64-byte parameter save area when the callee may want one (a
//! variadic or unprototyped function spills r3-r10 there). A leaf may use
//! the 288 bytes below r1 without a frame. A function is entered at its
//! global entry point with r12 = its address, from which it derives its
//! TOC pointer r2; an indirect call therefore goes through r12 and ctr.

use core::arch::naked_asm;
use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// Runs the clone syscall.
///
/// Register contract:
/// - in: r3 = fn, r4 = child stack top (16-byte aligned, non-null),
///   r5 = flags, r6 = arg, r7 = ptid, r8 = tls, r9 = ctid.
/// - parent: r3 = the raw kernel result (TID, or -errno: the `sc` error
///   convention is converted); r30 and r31 restored; r2 preserved, so the
///   function needs no TOC and declares no local entry point.
/// - child: never returns. It starts with r1 = the stack top, pushes a
///   96-byte caller frame (the 32-byte header and a parameter save area,
///   since fn's definition may be variadic or unprototyped) whose back
///   chain is 0 (the outermost frame), zeroes lr, calls fn(arg) through ctr
///   with r12 = fn (fn derives its own TOC from r12) and exits with
///   SYS_exit(fn's result). Nothing of it reaches above the stack top.
///
/// fn and arg reach the child in r30 and r31 (non-volatile, so `sc`
/// preserves them and the kernel copies them to the child), not on the
/// child's stack. The caller's r30 and r31 are saved below the parent's
/// own r1 (the ELFv2 protected zone); the parent never writes to the
/// child's stack, so a bad stack makes the child fault, never the caller.
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
        ".cfi_startproc",
        "std 30, -16(1)",         // protected zone of the parent's stack
        "std 31, -8(1)",
        ".cfi_offset r30, -16",   // CFA = r1 at entry
        ".cfi_offset r31, -8",
        "mr 30, 3",               // fn
        "mr 31, 6",               // arg
        "mr 3, 5",                // kernel arg 1: flags (r4 = arg 2, the stack, in place)
        "mr 5, 7",                // kernel arg 3: ptid
        "mr 6, 8",                // kernel arg 4: tls
        "mr 7, 9",                // kernel arg 5: ctid
        "li 0, {nr}",
        "sc",
        "bns 2f",                 // cr0.SO clear: success
        "neg 3, 3",               // failure: positive errno -> -errno
        "b 3f",
        "2:",
        "cmpdi 3, 0",
        "beq 4f",                 // r3 == 0: the child
        "3:",
        "ld 30, -16(1)",
        "ld 31, -8(1)",
        ".cfi_restore r30",
        ".cfi_restore r31",
        "blr",
        "4:",
        ".cfi_undefined lr",      // the child's outermost frame: unwinders stop here
        "li 0, 0",
        "mtlr 0",                 // lr still held the parent's return address
        "stdu 0, -96(1)",         // fn's caller frame, back chain 0
        "mr 12, 30",              // ELFv2 indirect call: r12 = callee's address
        "mtctr 12",
        "mr 3, 31",
        "bctrl",
        "li 0, {exit}",           // SYS_exit: ends this thread only, never exit_group
        "sc",                     // r3 = fn's result
        "trap",
        ".cfi_endproc",
        nr = const libc::SYS_clone,
        exit = const libc::SYS_exit,
    )
}

/// Runs the clone3 syscall.
///
/// Register contract:
/// - in: r3 = struct clone_args *, r4 = its size, r5 = fn, r6 = arg.
/// - parent: r3 = the raw kernel result (-errno converted as in
///   [`raw_clone`]); r30 and r31 restored.
/// - child: the kernel set r1 to args->stack + args->stack_size (or left
///   the caller's r1 when args->stack is 0, which is only allowed without
///   CLONE_VM); it aligns r1 down to 16, pushes the same 96-byte frame with
///   a zero back chain, calls fn(arg) as [`raw_clone`] does and exits with
///   SYS_exit(fn's result). fn and arg travel in r30 and r31, saved and
///   restored in the parent's protected zone.
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
        ".cfi_startproc",
        "std 30, -16(1)",
        "std 31, -8(1)",
        ".cfi_offset r30, -16",
        ".cfi_offset r31, -8",
        "mr 30, 5",               // fn: r5 and r6 do not survive `sc`
        "mr 31, 6",               // arg
        "li 0, {nr}",
        "sc",
        "bns 2f",
        "neg 3, 3",
        "b 3f",
        "2:",
        "cmpdi 3, 0",
        "beq 4f",
        "3:",
        "ld 30, -16(1)",
        "ld 31, -8(1)",
        ".cfi_restore r30",
        ".cfi_restore r31",
        "blr",
        "4:",
        ".cfi_undefined lr",
        "li 0, 0",
        "mtlr 0",
        "clrrdi 1, 1, 4",         // the caller's stack_size need not keep r1 aligned
        "stdu 0, -96(1)",
        "mr 12, 30",
        "mtctr 12",
        "mr 3, 31",
        "bctrl",
        "li 0, {exit}",
        "sc",
        "trap",
        ".cfi_endproc",
        nr = const libc::SYS_clone3,
        exit = const libc::SYS_exit,
    )
}

/// The body of an exported C entry point: sets r2 to this library's TOC,
/// then makes a direct tail call to `$target`, which receives the caller's
/// arguments untouched.
///
/// The target is ordinary Rust code: it is entered at its local entry point
/// and needs our TOC in r2 (for its PLT calls, e.g. to `__errno_location`).
/// A caller from another module arrives through a PLT stub with its own r2
/// (saved by the stub and restored after the call); a caller from this
/// module arrives with r2 already ours. The usual global-entry prologue
/// (`addis 2,12,.TOC.-sym@ha` plus `.localentry sym`) cannot be written
/// here: the macro does not know the exported symbol's name, and without
/// `.localentry` a local caller may enter with any r12. So the TOC pointer
/// is computed from the current address, found with `bcl 20,31` (the form
/// that leaves the return-address predictor alone); lr is restored before
/// the jump. r0 and r11 are volatile and carry no arguments.
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!(
            ".cfi_startproc",
            "mflr 0",
            ".cfi_register lr, r0",
            "bcl 20, 31, 2f",
            "2:",
            "mflr 11",            // r11 = address of label 2
            "mtlr 0",
            ".cfi_restore lr",
            "addis 2, 11, (.TOC. - 2b)@ha",
            "addi 2, 2, (.TOC. - 2b)@l",
            "b {target}",
            ".cfi_endproc",
            target = sym $target,
        )
    };
}
pub(crate) use entry_point;
