//! x86 (i686): the clone trampolines.
//!
//! Kernel ABI: `int $0x80` with the number in eax and arguments in ebx,
//! ecx, edx, esi, edi, ebp; the result comes back in eax and every other
//! register is preserved, in the parent and (as a copy) in the child. The
//! vDSO's `__kernel_vsyscall` (glibc's `call *%gs:0x10`) is not used: it
//! needs the TLS block, which the child may not have. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)`, where `tls` is a
//! `struct user_desc *` describing the GDT entry to load into %gs.
//!
//! cdecl passes every argument on the stack; ebx, esi, edi and ebp are
//! callee-saved.

use core::arch::naked_asm;
use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// Runs the clone syscall.
///
/// Register contract (i386 System V, cdecl):
/// - in: 4(%esp) = fn, 8 = child stack top (16-byte aligned, non-null),
///   12 = flags, 16 = arg, 20 = ptid, 24 = tls, 28 = ctid.
/// - parent: eax = the raw kernel result (TID or -errno); ebx, esi, edi
///   and ebp are saved on the parent's stack and restored; xmm0 is
///   clobbered (caller-saved).
/// - child: never returns. It starts with esp = the stack top, zeroes ebp
///   so that frame-pointer walks end here, pushes arg with padding so that
///   esp is 16-byte aligned at the call of fn (the i386 psABI's rule, which
///   GCC-compiled code assumes for SSE spills), and exits with
///   SYS_exit(fn's result). It writes only arg and the return address
///   within the 20 bytes below the stack top.
///
/// Register plan: the kernel reads five arguments in ebx, ecx, edx, esi and
/// edi, and eax holds the syscall number, so ebp is the only general
/// register left to carry a value into the child. fn goes in ebp and arg in
/// xmm0: the i686 target requires SSE2, and the kernel copies the FPU/SSE
/// register state into the child (with or without CLONE_VM). Neither is
/// written to the child's stack by the parent, so a bad stack makes the
/// child fault, never the caller.
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
        "push ebp",
        ".cfi_adjust_cfa_offset 4",
        ".cfi_rel_offset ebp, 0",
        "push ebx",
        ".cfi_adjust_cfa_offset 4",
        ".cfi_rel_offset ebx, 0",
        "push esi",
        ".cfi_adjust_cfa_offset 4",
        ".cfi_rel_offset esi, 0",
        "push edi",
        ".cfi_adjust_cfa_offset 4",
        ".cfi_rel_offset edi, 0",
        // The arguments now start at 20(%esp): past four saved registers
        // and the return address.
        "mov ebp, [esp + 20]",    // fn
        "mov ecx, [esp + 24]",    // kernel arg 2: the stack
        "mov ebx, [esp + 28]",    // kernel arg 1: flags
        "movd xmm0, [esp + 32]",  // arg
        "mov edx, [esp + 36]",    // kernel arg 3: ptid
        "mov esi, [esp + 40]",    // kernel arg 4: tls (struct user_desc *)
        "mov edi, [esp + 44]",    // kernel arg 5: ctid
        "mov eax, {nr}",
        "int 0x80",
        "test eax, eax",
        "jz 2f",
        "pop edi",
        ".cfi_adjust_cfa_offset -4",
        ".cfi_restore edi",
        "pop esi",
        ".cfi_adjust_cfa_offset -4",
        ".cfi_restore esi",
        "pop ebx",
        ".cfi_adjust_cfa_offset -4",
        ".cfi_restore ebx",
        "pop ebp",
        ".cfi_adjust_cfa_offset -4",
        ".cfi_restore ebp",
        "ret",
        "2:",
        ".cfi_undefined eip",     // the child's outermost frame: unwinders stop here
        "mov eax, ebp",           // fn
        "xor ebp, ebp",           // no frame pointer chain above fn
        "sub esp, 12",            // padding: esp is 16-aligned after pushing arg
        "movd ecx, xmm0",
        "push ecx",               // fn's one argument
        "call eax",
        "mov ebx, eax",           // exit status: fn's result
        "mov eax, {exit}",        // SYS_exit: ends this thread only, never exit_group
        "int 0x80",
        "ud2",
        ".cfi_endproc",
        nr = const libc::SYS_clone,
        exit = const libc::SYS_exit,
    )
}

/// Runs the clone3 syscall.
///
/// Register contract (cdecl):
/// - in: 4(%esp) = struct clone_args *, 8 = its size, 12 = fn, 16 = arg.
/// - parent: eax = the raw kernel result; ebx and esi are saved on the
///   parent's stack and restored.
/// - child: the kernel set esp to args->stack + args->stack_size (or left
///   the caller's esp when args->stack is 0, which is only allowed without
///   CLONE_VM); it aligns esp down to 16, calls fn(arg) with esp 16-byte
///   aligned at the call and exits with SYS_exit(fn's result). clone3 reads
///   only ebx and ecx, so fn and arg travel in edx and esi.
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
        "push ebx",
        ".cfi_adjust_cfa_offset 4",
        ".cfi_rel_offset ebx, 0",
        "push esi",
        ".cfi_adjust_cfa_offset 4",
        ".cfi_rel_offset esi, 0",
        // The arguments now start at 12(%esp).
        "mov ebx, [esp + 12]",    // kernel arg 1: struct clone_args *
        "mov ecx, [esp + 16]",    // kernel arg 2: its size
        "mov edx, [esp + 20]",    // fn
        "mov esi, [esp + 24]",    // arg
        "mov eax, {nr}",
        "int 0x80",
        "test eax, eax",
        "jz 2f",
        "pop esi",
        ".cfi_adjust_cfa_offset -4",
        ".cfi_restore esi",
        "pop ebx",
        ".cfi_adjust_cfa_offset -4",
        ".cfi_restore ebx",
        "ret",
        "2:",
        ".cfi_undefined eip",
        "xor ebp, ebp",
        "and esp, -16",           // the caller's stack_size need not keep esp aligned
        "sub esp, 12",
        "push esi",
        "call edx",
        "mov ebx, eax",
        "mov eax, {exit}",
        "int 0x80",
        "ud2",
        ".cfi_endproc",
        nr = const libc::SYS_clone3,
        exit = const libc::SYS_exit,
    )
}

/// The body of an exported C entry point: a direct tail jump to `$target`,
/// which receives the caller's arguments (all on the stack) untouched.
/// There is no landing pad: Linux enforces no indirect-branch tracking on
/// 32-bit x86, so `endbr32` would buy nothing.
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!(
            ".cfi_startproc",
            "jmp {target}",
            ".cfi_endproc",
            target = sym $target,
        )
    };
}
pub(crate) use entry_point;
