//! aarch64: the clone trampolines.
//!
//! Kernel ABI: `svc #0` with the number in x8 and arguments in x0-x5; the
//! result comes back in x0 and every other register is preserved, in the
//! parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)`.

use core::arch::naked_asm;
use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// Runs the clone syscall.
///
/// Register contract (AAPCS64):
/// - in: x0 = fn, x1 = child stack top (16-byte aligned, non-null),
///   x2 = flags, x3 = arg, x4 = ptid, x5 = tls, x6 = ctid.
/// - parent: x0 = the raw kernel result (TID or -errno); only x0-x8 and
///   x10-x11 (caller-saved) change.
/// - child: never returns. It starts with sp = the stack top (16-byte
///   aligned, as AAPCS64 requires at every public interface), zeroes fp
///   and lr so that frame-pointer walks end here, calls fn(arg) and exits
///   with SYS_exit(fn's result). It writes nothing to the stack itself.
///
/// fn and arg reach the child in x10 and x11 (temporaries the kernel
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
        "mov x10, x0",            // fn
        "mov x11, x3",            // arg
        "mov x0, x2",             // kernel arg 1: flags
        "mov x2, x4",             // kernel arg 3: ptid (x1 = arg 2, the stack, in place)
        "mov x3, x5",             // kernel arg 4: tls
        "mov x4, x6",             // kernel arg 5: ctid
        "mov x8, #{nr}",
        "svc #0",
        "cbz x0, 2f",
        "ret",
        "2:",
        ".cfi_undefined x30",     // the child's outermost frame: unwinders stop here
        "mov x29, xzr",           // no frame record above fn
        "mov x30, xzr",
        "mov x0, x11",
        "blr x10",
        "mov x8, #{exit}",        // SYS_exit: ends this thread only, never exit_group
        "svc #0",                 // x0 = fn's result
        "brk #0x3e8",
        ".cfi_endproc",
        nr = const libc::SYS_clone,
        exit = const libc::SYS_exit,
    )
}

/// Runs the clone3 syscall.
///
/// Register contract:
/// - in: x0 = struct clone_args *, x1 = its size, x2 = fn, x3 = arg.
/// - parent: x0 = the raw kernel result.
/// - child: the kernel set sp to args->stack + args->stack_size (or left
///   the caller's sp when args->stack is 0, which is only allowed without
///   CLONE_VM); it aligns sp down to 16, calls fn(arg) and exits with
///   SYS_exit(fn's result). fn and arg stay in x2 and x3, which clone3
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
        "mov x8, #{nr}",
        "svc #0",
        "cbz x0, 2f",
        "ret",
        "2:",
        ".cfi_undefined x30",
        "mov x29, xzr",
        "mov x30, xzr",
        "mov x9, sp",
        "and sp, x9, #-16",       // the caller's stack_size need not keep sp aligned
        "mov x0, x3",
        "blr x2",
        "mov x8, #{exit}",
        "svc #0",
        "brk #0x3e8",
        ".cfi_endproc",
        nr = const libc::SYS_clone3,
        exit = const libc::SYS_exit,
    )
}

/// The body of an exported C entry point: a BTI landing pad for indirect
/// calls (a PLT stub or a function pointer reaches us with `br`/`blr`),
/// then a direct tail call to `$target`, which receives the caller's
/// arguments untouched.
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!(
            ".cfi_startproc",
            "hint #34", // bti c, spelt as its hint so any assembler accepts it
            "b {target}",
            ".cfi_endproc",
            target = sym $target,
        )
    };
}
pub(crate) use entry_point;

// The GNU property note that declares this object BTI-compatible. Without
// it, linking our staticlib into a BTI-enabled program would switch BTI
// off for the whole program. Every indirect-branch target we define is an
// exported entry point beginning with `bti c`; our Rust code is reached
// only by direct branches and has no jump tables (c-tests/cross.sh's
// disassembly check would catch a `br`). We sign no return addresses, so
// the note claims BTI only, not PAC.
#[cfg(any(sched_clone_capi, cargo_c))]
core::arch::global_asm!(
    ".pushsection .note.gnu.property, \"a\"",
    ".p2align 3",
    ".long 4",  // n_namesz: "GNU\0"
    ".long 16", // n_descsz: one property, padded to 8
    ".long 5",  // NT_GNU_PROPERTY_TYPE_0
    ".asciz \"GNU\"",
    ".long 0xc0000000", // GNU_PROPERTY_AARCH64_FEATURE_1_AND
    ".long 4",          // pr_datasz
    ".long 1",          // GNU_PROPERTY_AARCH64_FEATURE_1_BTI
    ".long 0",          // pad to 8
    ".popsection",
);
