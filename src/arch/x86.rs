//! x86 (i686) primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `int $0x80` with the number in eax and arguments in ebx,
//! ecx, edx, esi, edi, ebp; the result comes back in eax and every other
//! register is preserved, in the parent and (as a copy) in the child. The
//! vDSO's `__kernel_vsyscall` (glibc's `call *%gs:0x10`) is not used: it
//! needs the TLS block, which the child may not have. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)`, where `tls` is a `struct user_desc *`
//! describing the GDT entry to load into %gs; clone3(2) `(args, size)`.
//!
//! C ABI (cdecl): every argument on the stack, 4(%esp) onwards; ebx, esi,
//! edi and ebp are callee-saved, and the parent saves all four.
//! The kernel reads five arguments and eax holds the number, so ebp is the
//! only general register left to carry a value into the child: `fn` rides
//! in ebp and `arg` in xmm0 (the i686 target requires SSE2, see the
//! `compile_error!` in `src/arch/mod.rs`; the kernel copies the FPU/SSE
//! state into the child). The error tail stores `-errno` into the first
//! argument slot, which cdecl lets the callee overwrite, and jumps.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(
            ".cfi_startproc\n",
            "push ebp\n",
            ".cfi_adjust_cfa_offset 4\n",
            ".cfi_rel_offset ebp, 0\n",
            "push ebx\n",
            ".cfi_adjust_cfa_offset 4\n",
            ".cfi_rel_offset ebx, 0\n",
            "push esi\n",
            ".cfi_adjust_cfa_offset 4\n",
            ".cfi_rel_offset esi, 0\n",
            "push edi\n",
            ".cfi_adjust_cfa_offset 4\n",
            ".cfi_rel_offset edi, 0\n",
        )
    };

    // clone(2): 4(%esp) = fn, 8 = stack top, 12 = flags, 16 = arg, 20 = ptid,
    // 24 = tls, 28 = ctid.
    (clone) => {
        concat!(
            // The arguments now start at 20(%esp), past four saved
            // registers and the return address.
            "mov ebp, [esp + 20]\n",
            "mov ecx, [esp + 24]\n",
            "mov ebx, [esp + 28]\n",
            "movd xmm0, [esp + 32]\n",
            "mov edx, [esp + 36]\n",
            "mov esi, [esp + 40]\n",
            "mov edi, [esp + 44]\n",
            "mov eax, {nr}\n",
        )
    };

    // clone3(2): 4(%esp) = struct clone_args *, 8 = its size, 12 = fn, 16 = arg.
    (clone3) => {
        concat!(
            "mov ebx, [esp + 20]\n",
            "mov ecx, [esp + 24]\n",
            "mov ebp, [esp + 28]\n",
            "movd xmm0, [esp + 32]\n",
            "mov eax, {nr}\n",
        )
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "int 0x80\n",
            "test eax, eax\n",
            "jz {child}\n",
            "pop edi\n", // pop leaves the flags alone
            "pop esi\n",
            "pop ebx\n",
            "pop ebp\n",
            "js 2f\n",
            "ret\n",
            "2:\n",
            "mov [esp + 4], eax\n",
            "jmp {on_error}\n",
        )
    };

    // The child (ebp = fn, xmm0 = arg): pushes arg with padding so that esp
    // is 16-byte aligned at the call of fn (the i386 psABI's rule, which
    // GCC-compiled code assumes for SSE spills). It writes only arg and the
    // return address within the 20 bytes below the aligned top.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined eip\n",
            "mov eax, ebp\n",
            "xor ebp, ebp\n", // no frame pointer chain above fn
            "and esp, -16\n",
            "sub esp, 12\n", // padding: esp is 16-aligned after pushing arg
            "movd ecx, xmm0\n",
            "push ecx\n",
            "call eax\n",
            "mov ebx, eax\n", // exit status: fn's result
            "mov eax, {exit}\n",
            "int 0x80\n",
            "ud2\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: a direct jump. There is no landing pad: Linux
    // enforces no indirect-branch tracking on 32-bit x86, so `endbr32` would
    // buy nothing.
    (entry) => {
        concat!(".cfi_startproc\n", "jmp {target}\n", ".cfi_endproc\n")
    };

    // The thread pointer: the i386 TLS ABI keeps the TCB's own address at
    // `gs:0`, which glibc and musl keep.
    (thread_pointer) => {
        "mov {tp}, gs:[0]"
    };

    // A store of the constant `{value}` at `{offset}` bytes from the thread
    // pointer: `gs`-relative, one instruction.
    (store_at_tp) => {
        "mov dword ptr gs:[{offset}], {value}"
    };

    // `{sel}` = the %gs segment selector (its GDT index is `sel >> 3`).
    (gs_selector) => {
        "mov {sel:x}, gs"
    };

    // `syscall4`: LLVM reserves esi on i686, so the fourth argument is
    // swapped into it around `int 0x80`.
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!("xchg esi, {d}", "int 0x80", "xchg esi, {d}", d = inout(reg) $d => _,
                inlateout("eax") $nr as isize => $ret, in("ebx") $a, in("ecx") $b, in("edx") $c,
                options(nostack))
    };
    // `syscall6`: none; its sixth argument goes in ebp and its fourth in
    // esi, both registers LLVM reserves on i686.
    (syscall6 $($call:tt)*) => { no_syscall6!($($call)*) };
}
pub(crate) use template;
