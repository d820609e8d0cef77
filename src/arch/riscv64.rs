//! riscv64: the clone trampolines.
//!
//! Kernel ABI: `ecall` with the number in a7 and arguments in a0-a5; the
//! result comes back in a0 and every other register is preserved, in the
//! parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)` (CONFIG_CLONE_BACKWARDS). With
//! CLONE_SETTLS the kernel sets the child's `tp`; nothing here touches `tp`.

use core::arch::naked_asm;
use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// Runs the clone syscall.
///
/// Register contract (LP64D psABI):
/// - in: a0 = fn, a1 = child stack top (16-byte aligned, non-null),
///   a2 = flags, a3 = arg, a4 = ptid, a5 = tls, a6 = ctid.
/// - parent: a0 = the raw kernel result (TID or -errno); only a0-a4, a7,
///   t1 and t2 (caller-saved) change.
/// - child: never returns. It starts with sp = the stack top (16-byte
///   aligned, as the psABI requires at a call), zeroes s0 (the frame
///   pointer) and ra so that frame-pointer walks end here, calls fn(arg)
///   and exits with SYS_exit(fn's result). It writes nothing to the stack
///   itself; the psABI has no argument save area to reserve.
///
/// fn and arg reach the child in t1 and t2 (temporaries the kernel
/// preserves and clone ignores), not on the child's stack: the parent never
/// writes to the child's stack, so a bad stack makes the child fault, never
/// the caller.
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
        "mv t1, a0",              // fn (t1, not t0: `jalr t0` would hint a coroutine swap)
        "mv t2, a3",              // arg
        "mv a0, a2",              // kernel arg 1: flags (a1 = arg 2, the stack, in place)
        "mv a2, a4",              // kernel arg 3: ptid
        "mv a3, a5",              // kernel arg 4: tls
        "mv a4, a6",              // kernel arg 5: ctid
        "li a7, {nr}",
        "ecall",
        "beqz a0, 2f",
        "ret",
        "2:",
        ".cfi_undefined ra",      // the child's outermost frame: unwinders stop here
        "li s0, 0",               // no frame record above fn
        "li ra, 0",               // ra still held the parent's return address
        "mv a0, t2",
        "jalr t1",
        "li a7, {exit}",          // SYS_exit: ends this thread only, never exit_group
        "ecall",                  // a0 = fn's result
        "unimp",
        ".cfi_endproc",
        nr = const libc::SYS_clone,
        exit = const libc::SYS_exit,
    )
}

/// Runs the clone3 syscall.
///
/// Register contract:
/// - in: a0 = struct clone_args *, a1 = its size, a2 = fn, a3 = arg.
/// - parent: a0 = the raw kernel result.
/// - child: the kernel set sp to args->stack + args->stack_size (or left
///   the caller's sp when args->stack is 0, which is only allowed without
///   CLONE_VM); it aligns sp down to 16, zeroes s0 and ra, calls fn(arg)
///   and exits with SYS_exit(fn's result). fn and arg stay in a2 and a3,
///   which clone3 does not read and the kernel preserves.
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
        "li a7, {nr}",
        "ecall",
        "beqz a0, 2f",
        "ret",
        "2:",
        ".cfi_undefined ra",
        "li s0, 0",
        "li ra, 0",
        "andi sp, sp, -16",       // the caller's stack_size need not keep sp aligned
        "mv a0, a3",
        "jalr a2",
        "li a7, {exit}",
        "ecall",
        "unimp",
        ".cfi_endproc",
        nr = const libc::SYS_clone3,
        exit = const libc::SYS_exit,
    )
}

/// The body of an exported C entry point: a direct tail call to `$target`,
/// which receives the caller's arguments untouched. (`tail` goes through
/// t1, which no argument uses.)
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!(
            ".cfi_startproc",
            "tail {target}",
            ".cfi_endproc",
            target = sym $target,
        )
    };
}
pub(crate) use entry_point;
