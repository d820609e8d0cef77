//! x86_64: the clone trampolines.
//!
//! Kernel ABI: `syscall` with the number in rax and arguments in rdi, rsi,
//! rdx, r10, r8, r9; it clobbers rax, rcx and r11 and preserves every other
//! register, in the parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, ctid, tls)`.

use core::arch::naked_asm;
use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// Runs the clone syscall.
///
/// Register contract (System V C ABI):
/// - in: rdi = fn, rsi = child stack top (16-byte aligned, non-null),
///   rdx = flags, rcx = arg, r8 = ptid, r9 = tls, 8(%rsp) = ctid.
/// - parent: rax = the raw kernel result (TID or -errno); rbx restored.
/// - child: never returns. It starts with rsp = the stack top, calls
///   fn(arg) with rsp 16-byte aligned at the call, and exits with
///   SYS_exit(fn's result). It writes only the 8-byte return address below
///   the stack top.
///
/// fn and arg reach the child in registers (r9, rbx), not on the child's
/// stack: the parent never writes to the child's stack, so a bad stack makes
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
        "push rbx",               // callee-saved: carries arg into the child
        ".cfi_adjust_cfa_offset 8",
        ".cfi_rel_offset rbx, 0",
        "mov rbx, rcx",
        "mov r11, r8",            // ptid, parked while r8 receives tls
        "mov r8, r9",             // kernel arg 5: tls
        "mov r9, rdi",            // fn: r9 is not a clone argument, survives syscall
        "mov rdi, rdx",           // kernel arg 1: flags
        "mov rdx, r11",           // kernel arg 3: ptid
        "mov r10, [rsp + 16]",    // kernel arg 4: ctid (past ret addr and rbx)
        "mov eax, {nr}",
        "syscall",                // rsi = kernel arg 2: the stack, already in place
        "test rax, rax",
        "jz 2f",
        "pop rbx",
        ".cfi_adjust_cfa_offset -8",
        ".cfi_restore rbx",
        "ret",
        "2:",
        ".cfi_undefined rip",     // the child's outermost frame: unwinders stop here
        "xor ebp, ebp",           // no frame pointer chain above fn
        "mov rdi, rbx",
        "call r9",
        "mov edi, eax",
        "mov eax, {exit}",        // SYS_exit: ends this thread only, never exit_group
        "syscall",
        "ud2",
        ".cfi_endproc",
        nr = const libc::SYS_clone,
        exit = const libc::SYS_exit,
    )
}

/// Runs the clone3 syscall.
///
/// Register contract:
/// - in: rdi = struct clone_args *, rsi = its size, rdx = fn, rcx = arg.
/// - parent: rax = the raw kernel result.
/// - child: the kernel set rsp to args->stack + args->stack_size (or left
///   the caller's rsp when args->stack is 0, which is only allowed without
///   CLONE_VM); it aligns rsp down to 16, calls fn(arg) and exits with
///   SYS_exit(fn's result).
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
        "mov r9, rdx",            // fn and arg move to registers that
        "mov r8, rcx",            // syscall preserves and clone3 ignores
        "mov eax, {nr}",
        "syscall",
        "test rax, rax",
        "jz 2f",
        "ret",
        "2:",
        ".cfi_undefined rip",
        "xor ebp, ebp",
        "and rsp, -16",
        "mov rdi, r8",
        "call r9",
        "mov edi, eax",
        "mov eax, {exit}",
        "syscall",
        "ud2",
        ".cfi_endproc",
        nr = const libc::SYS_clone3,
        exit = const libc::SYS_exit,
    )
}

/// The body of an exported C entry point: a landing pad for indirect
/// branches (the PLT reaches us through one), then a direct tail call to
/// `$target`, which receives the caller's arguments untouched.
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!(
            ".cfi_startproc",
            "endbr64",
            "jmp {target}",
            ".cfi_endproc",
            target = sym $target,
        )
    };
}
pub(crate) use entry_point;

// The GNU property note that declares this object IBT- and SHSTK-compatible.
// Without it, linking our staticlib into a CET-enabled program would switch
// CET off for the whole program. Every indirect-branch target we define is
// an exported entry point beginning with endbr64, and no code of ours
// returns other than through the `call`/`ret` pairs the shadow stack tracks.
#[cfg(any(sched_clone_capi, cargo_c))]
core::arch::global_asm!(
    ".pushsection .note.gnu.property, \"a\"",
    ".p2align 3",
    ".long 4",  // n_namesz: "GNU\0"
    ".long 16", // n_descsz: one property, padded to 8
    ".long 5",  // NT_GNU_PROPERTY_TYPE_0
    ".asciz \"GNU\"",
    ".long 0xc0000002", // GNU_PROPERTY_X86_FEATURE_1_AND
    ".long 4",          // pr_datasz
    ".long 3",          // IBT | SHSTK
    ".long 0",          // pad to 8
    ".popsection",
);
