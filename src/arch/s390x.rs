//! s390x: the clone trampolines.
//!
//! Kernel ABI: `svc N` for syscall numbers below 256, or `svc 0` with the
//! number in r1; arguments in r2-r7, the result in r2. Every other register
//! (r0 and r1 included) is preserved, in the parent and (as a copy) in the
//! child. clone(2) takes the stack FIRST: `(stack, flags, ptid, ctid, tls)`
//! (CONFIG_CLONE_BACKWARDS2). With CLONE_SETTLS the kernel loads the thread
//! pointer into access registers a0:a1; nothing here touches them.
//!
//! C ABI (s390x ELF ABI): arguments in r2-r6, then on the stack from
//! 160(%r15); r6-r15 are callee-saved; every frame starts with a 160-byte
//! register save area whose first doubleword is the back chain; the caller
//! provides that area for the callee, and the callee may store r6-r15 at
//! 48-159 of it. The return address is in r14.

use core::arch::naked_asm;
use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// Runs the clone syscall.
///
/// Register contract:
/// - in: r2 = fn, r3 = child stack top (16-byte aligned, non-null),
///   r4 = flags, r5 = arg, r6 = ptid, 160(%r15) = tls, 168(%r15) = ctid.
/// - parent: r2 = the raw kernel result (TID or -errno); r6 restored;
///   r0, r1, r3-r5 (caller-saved) change.
/// - child: never returns. It starts with r15 = the stack top, builds
///   fn's 160-byte register save area below it with a zero back chain (the
///   outermost frame), zeroes r11 (the frame pointer) and r14, calls
///   fn(arg) and exits with SYS_exit(fn's result).
///
/// fn and arg reach the child in r1 and r0 (scratch registers the kernel
/// preserves and clone ignores), not on the child's stack: the parent's only
/// store is r6 into the save area its caller provided, so a bad stack makes
/// the child fault, never the caller.
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
        "stg %r6, 48(%r15)",      // callee-saved r6 becomes kernel arg 5: save it in its slot
        ".cfi_offset %r6, -112",  // CFA = r15 + 160 at entry; 48 - 160
        "lgr %r1, %r2",           // fn (r1: a valid basr target, unlike r0)
        "lgr %r0, %r5",           // arg
        "lgr %r2, %r3",           // kernel arg 1: the stack
        "lgr %r3, %r4",           // kernel arg 2: flags
        "lgr %r4, %r6",           // kernel arg 3: ptid
        "lg %r5, 168(%r15)",      // kernel arg 4: ctid
        "lg %r6, 160(%r15)",      // kernel arg 5: tls
        "svc {nr}",
        "ltgr %r2, %r2",
        "jz 2f",
        "lg %r6, 48(%r15)",
        ".cfi_restore %r6",
        "br %r14",
        "2:",
        ".cfi_undefined %r14",    // the child's outermost frame: unwinders stop here
        "aghi %r15, -160",        // fn's register save area; top - 160 stays 16-aligned
        "xc 0(8,%r15), 0(%r15)",  // back chain 0: no frame above this one
        "lghi %r11, 0",           // no frame pointer above fn
        "lghi %r14, 0",           // r14 still held the parent's return address
        "lgr %r2, %r0",
        "basr %r14, %r1",
        "svc {exit}",             // SYS_exit (never exit_group); r2 = fn's result
        ".short 0",               // an illegal instruction: SIGILL if exit returned
        ".cfi_endproc",
        nr = const libc::SYS_clone,
        exit = const libc::SYS_exit,
    )
}

// `svc N` encodes N in 8 bits; clone3's number does not fit.
const _: () = assert!(libc::SYS_clone < 256 && libc::SYS_exit < 256 && libc::SYS_clone3 > 255);

/// Runs the clone3 syscall.
///
/// Register contract:
/// - in: r2 = struct clone_args *, r3 = its size, r4 = fn, r5 = arg.
/// - parent: r2 = the raw kernel result; r1 changes.
/// - child: the kernel set r15 to args->stack + args->stack_size (or left
///   the caller's r15 when args->stack is 0, which is only allowed without
///   CLONE_VM); it aligns r15 down to 16, builds fn's register save area
///   with a zero back chain, zeroes r11 and r14, calls fn(arg) and exits
///   with SYS_exit(fn's result). fn and arg stay in r4 and r5, which clone3
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
        ".cfi_startproc",
        "lghi %r1, {nr}",         // `svc 0` takes the number from r1
        "svc 0",
        "ltgr %r2, %r2",
        "jz 2f",
        "br %r14",
        "2:",
        ".cfi_undefined %r14",
        "nill %r15, 0xfff0",      // the caller's stack_size need not keep r15 aligned
        "aghi %r15, -160",
        "xc 0(8,%r15), 0(%r15)",
        "lghi %r11, 0",
        "lghi %r14, 0",
        "lgr %r2, %r5",
        "basr %r14, %r4",
        "svc {exit}",
        ".short 0",
        ".cfi_endproc",
        nr = const libc::SYS_clone3,
        exit = const libc::SYS_exit,
    )
}

/// The body of an exported C entry point: a direct tail call to `$target`,
/// which receives the caller's arguments (registers and the stack area at
/// 160(%r15)) untouched.
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!(
            ".cfi_startproc",
            "jg {target}",
            ".cfi_endproc",
            target = sym $target,
        )
    };
}
pub(crate) use entry_point;
