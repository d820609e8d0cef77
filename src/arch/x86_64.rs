//! x86_64 primitives, for the LP64 ABI and x32 (ILP32: 32-bit pointers in
//! the same registers; contracts: `src/arch/mod.rs`).
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
//!
//! x32: the syscall numbers carry `__X32_SYSCALL_BIT` (libc's `SYS_*` for
//! x32 have it), and clone(2)/clone3(2) are the 64-bit system calls, which
//! take every pointer as a 64-bit value. A stack slot's upper half (ctid)
//! is undefined; pointers in registers arrive zero-extended in practice (gcc
//! and clang pass them so and rely on it), which the written psABI does
//! not promise. So every pointer and size on its way to the kernel, and
//! `fn` on its way to `call`, goes through a 32-bit move, which
//! zero-extends (`by_width!`: the LP64 move, then the x32 one; free).
//! `arg` and `flags` need none: fn ignores its argument's upper half, the
//! kernel reads only flags' lower 32 bits.

/// The first template for LP64 x86_64, the second for x32.
#[cfg(target_pointer_width = "64")]
macro_rules! by_width_impl {
    ($lp64:literal, $x32:literal) => {
        $lp64
    };
}
#[cfg(target_pointer_width = "32")]
macro_rules! by_width_impl {
    ($lp64:literal, $x32:literal) => {
        $x32
    };
}
pub(crate) use by_width_impl as by_width;

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(".cfi_startproc\n",)
    };

    // clone(2): the parent contract of `src/arch/mod.rs`.
    (clone) => {
        concat!(
            $crate::arch::port::by_width!("movq xmm0, rdi\n", "movd xmm0, edi\n"),
            "mov rdi, rdx\n",
            $crate::arch::port::by_width!("mov rdx, r8\n", "mov edx, r8d\n"),
            $crate::arch::port::by_width!("mov r8, r9\n", "mov r8d, r9d\n"),
            "mov r9, rcx\n",
            $crate::arch::port::by_width!("mov r10, [rsp + 8]\n", "mov r10d, [rsp + 8]\n"),
            $crate::arch::port::by_width!("", "mov esi, esi\n"),
            "mov eax, {nr}\n",
        )
    };

    // clone3(2): the parent contract of `src/arch/mod.rs`.
    (clone3) => {
        concat!(
            $crate::arch::port::by_width!("movq xmm0, rdx\n", "movd xmm0, edx\n"),
            $crate::arch::port::by_width!("", "mov edi, edi\nmov esi, esi\n"),
            "mov r9, rcx\n",
            "mov eax, {nr}\n",
        )
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
            $crate::arch::port::by_width!("movq r9, xmm0\n", "movd r9d, xmm0\n"),
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
        $crate::arch::port::by_width!("mov {tp}, fs:[0]", "mov {tp:e}, fs:[0]")
    };

    // A store of the constant `{value}` at `{offset}` bytes from the thread
    // pointer: `fs`-relative, one instruction. (Not on x32, where the
    // offset, negative, would need sign-extending: `src/arch/mod.rs` adds
    // it to the thread pointer instead.)
    (store_at_tp) => {
        "mov dword ptr fs:[{offset}], {value}"
    };

    // `syscall4`: `syscall` clobbers rcx and r11. The operands are u64,
    // so that on x32 a 32-bit word reaches the kernel zero-extended (an
    // operand narrower than its register leaves the upper half undefined).
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {{
        let wide: u64;
        core::arch::asm!("syscall", inlateout("rax") $nr as u64 => wide, in("rdi") $a as u64,
                in("rsi") $b as u64, in("rdx") $c as u64, in("r10") $d as u64,
                lateout("rcx") _, lateout("r11") _, options(nostack));
        $ret = wide as isize;
    }};
    // `syscall6`: as `syscall4`, with r8 and r9.
    (syscall6 $nr:expr, $a:expr => $ret:ident) => {{
        let wide: u64;
        core::arch::asm!("syscall", inlateout("rax") $nr as u64 => wide, in("rdi") $a[0] as u64,
                in("rsi") $a[1] as u64, in("rdx") $a[2] as u64, in("r10") $a[3] as u64,
                in("r8") $a[4] as u64, in("r9") $a[5] as u64, lateout("rcx") _, lateout("r11") _,
                options(nostack));
        $ret = wide as isize;
    }};
}
pub(crate) use template;

/// The GNU property that declares this object IBT- and SHSTK-compatible
/// (`src/arch/mod.rs` writes the note): every indirect-branch target we
/// define is an exported entry point beginning with endbr64, and no code of
/// ours returns other than through the `call`/`ret` pairs the shadow stack
/// tracks.
pub(crate) const GNU_PROPERTY: (u32, u32) = (0xc000_0002, 3); // X86_FEATURE_1_AND: IBT | SHSTK
