//! x86_64 primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `syscall` with the number in rax and arguments in rdi, rsi,
//! rdx, r10, r8, r9; it clobbers rax, rcx and r11 and preserves every other
//! register, the SSE registers included, in the parent and (as a copy) in
//! the child. clone(2) takes `(flags, stack, ptid, ctid, tls)`; clone3(2)
//! `(args, size)`.
//!
//! C ABI in: rdi = fn, rsi = stack top, rdx = flags, rcx = arg, r8 = ptid,
//! r9 = tls, 8(%rsp) = ctid (clone3: rdi = args, rsi = size, rdx = fn,
//! rcx = arg). `arg` rides into the child in r9 (free once tls has moved to
//! r8) and `fn` in xmm0 (caller-saved; the kernel copies the FPU/SSE state
//! into the child), so that no callee-saved register needs saving.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(".cfi_startproc\n",)
    };

    // clone(2): the parent contract of `src/arch/mod.rs`.
    (clone) => {
        concat!(
            "movq xmm0, rdi\n",
            "mov rdi, rdx\n",
            "mov rdx, r8\n",
            "mov r8, r9\n",
            "mov r9, rcx\n",
            "mov r10, [rsp + 8]\n",
            "mov eax, {nr}\n",
        )
    };

    // clone3(2): the parent contract of `src/arch/mod.rs`.
    (clone3) => {
        concat!("movq xmm0, rdx\n", "mov r9, rcx\n", "mov eax, {nr}\n",)
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "syscall\n",
            "test rax, rax\n",
            "jz {child}\n",
            "js 2f\n",
            "ret\n",
            "2:\n",
            "mov rdi, rax\n",
            "jmp {on_error}\n",
        )
    };

    // The child (xmm0 = fn, r9 = arg): the child contract of
    // `src/arch/mod.rs`. It writes only the return address of `call` below
    // the aligned top.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined rip\n",
            "xor ebp, ebp\n", // no frame pointer chain above fn
            "and rsp, -16\n",
            "mov rdi, r9\n",
            "movq r9, xmm0\n",
            "call r9\n",
            "mov edi, eax\n",
            "mov eax, {exit}\n",
            "syscall\n",
            "ud2\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: `endbr64` (the PLT reaches us through an indirect
    // branch), then a direct jump.
    (entry) => {
        concat!(
            ".cfi_startproc\n",
            "endbr64\n",
            "jmp {target}\n",
            ".cfi_endproc\n"
        )
    };

    // The thread pointer: the x86_64 TLS ABI keeps the TCB's own address at
    // `fs:0`, which glibc and musl keep.
    (thread_pointer) => {
        "mov {tp}, fs:[0]"
    };

    // A store of the constant `{value}` at `{offset}` bytes from the thread
    // pointer: `fs`-relative, one instruction.
    (store_at_tp) => {
        "mov dword ptr fs:[{offset}], {value}"
    };

    // `syscall4`: `syscall` clobbers rcx and r11.
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!("syscall", inlateout("rax") $nr as isize => $ret, in("rdi") $a,
                in("rsi") $b, in("rdx") $c, in("r10") $d, lateout("rcx") _, lateout("r11") _,
                options(nostack))
    };
    // `syscall6`: as `syscall4`, with r8 and r9.
    (syscall6 $nr:expr, $a:expr => $ret:ident) => {
        core::arch::asm!("syscall", inlateout("rax") $nr as isize => $ret, in("rdi") $a[0],
                in("rsi") $a[1], in("rdx") $a[2], in("r10") $a[3], in("r8") $a[4], in("r9") $a[5],
                lateout("rcx") _, lateout("r11") _, options(nostack))
    };
}
pub(crate) use template;

/// The GNU property that declares this object IBT- and SHSTK-compatible
/// (`src/arch/mod.rs` writes the note): every indirect-branch target we
/// define is an exported entry point beginning with endbr64, and no code of
/// ours returns other than through the `call`/`ret` pairs the shadow stack
/// tracks.
pub(crate) const GNU_PROPERTY: (u32, u32) = (0xc000_0002, 3); // X86_FEATURE_1_AND: IBT | SHSTK
