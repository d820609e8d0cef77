//! loongarch64 primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `syscall 0` with the number in $a7 and arguments in
//! $a0-$a5; the result comes back in $a0. The syscall ABI lets the kernel
//! change $t0-$t8 as well; $a1-$a7 and the callee-saved registers are
//! preserved, in the parent and (as a copy) in the child. clone(2) takes
//! the generic `(flags, stack, ptid, ctid, tls)` (no CONFIG_CLONE_BACKWARDS,
//! as glibc's loongarch clone.S passes them); clone3(2) `(args, size)`.
//! With CLONE_SETTLS the kernel sets the child's $tp ($r2); nothing here
//! touches $tp.
//!
//! C ABI (LP64D) in: $a0 = fn, $a1 = stack top, $a2 = flags, $a3 = arg,
//! $a4 = ptid, $a5 = tls, $a6 = ctid (clone3: $a0 = args, $a1 = size,
//! $a2 = fn, $a3 = arg). `fn` and `arg` ride into the child in argument
//! registers the syscall neither reads nor changes: $a5 and $a6 (clone's
//! five arguments fill $a0-$a4, clone3's two $a0-$a1). Not in $t*: the
//! kernel may change those. Branches to other
//! symbols are `b` (±128 MiB).

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE; nothing to save.
    (save) => {
        concat!(".cfi_startproc\n",)
    };

    // clone(2).
    (clone) => {
        concat!(
            "move $t0, $a0\n", // fn
            "move $a0, $a2\n", // flags
            "move $a2, $a4\n", // ptid
            "move $a4, $a5\n", // tls
            "move $a5, $t0\n", // fn
            "move $t0, $a3\n", // arg
            "move $a3, $a6\n", // ctid
            "move $a6, $t0\n", // arg
            "addi.d $a7, $zero, {nr}\n",
        )
    };

    // clone3(2).
    (clone3) => {
        concat!("move $a5, $a2\n", "move $a6, $a3\n", "addi.d $a7, $zero, {nr}\n",)
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // tail-calls on_error(-errno), a TID returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "syscall 0\n",
            "bnez $a0, 1f\n",
            "b {child}\n",
            "1:\n",
            "blt $a0, $zero, 2f\n", // negative: -errno
            "ret\n",
            "2:\n",
            "b {on_error}\n",
        )
    };

    // The child ($a5 = fn, $a6 = arg). It writes nothing to the stack: the
    // return address is in $ra, and the psABI has no argument save area.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined 1\n", // $ra
            "move $fp, $zero\n",  // no frame record above fn
            "move $ra, $zero\n",  // $ra still held the parent's return address
            "bstrins.d $sp, $zero, 3, 0\n",
            "move $a0, $a6\n",
            "jirl $ra, $a5, 0\n",
            "addi.d $a7, $zero, {exit}\n",
            "syscall 0\n", // $a0 = fn's result
            "break 0\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: a direct jump.
    (entry) => {
        concat!(".cfi_startproc\n", "b {target}\n", ".cfi_endproc\n")
    };

    // The thread pointer: $tp.
    (thread_pointer) => {
        "move {tp}, $tp"
    };

    // `syscall4`: `syscall 0` changes $a0 and may change $t0-$t8.
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!("syscall 0", in("$a7") $nr, inlateout("$a0") $a as isize => $ret,
            in("$a1") $b, in("$a2") $c, in("$a3") $d,
            lateout("$t0") _, lateout("$t1") _, lateout("$t2") _, lateout("$t3") _,
            lateout("$t4") _, lateout("$t5") _, lateout("$t6") _, lateout("$t7") _,
            lateout("$t8") _, options(nostack))
    };
    // `syscall6`: as `syscall4`, with $a4 and $a5.
    (syscall6 $nr:expr, $a:expr => $ret:ident) => {
        core::arch::asm!("syscall 0", in("$a7") $nr, inlateout("$a0") $a[0] as isize => $ret,
            in("$a1") $a[1], in("$a2") $a[2], in("$a3") $a[3], in("$a4") $a[4], in("$a5") $a[5],
            lateout("$t0") _, lateout("$t1") _, lateout("$t2") _, lateout("$t3") _,
            lateout("$t4") _, lateout("$t5") _, lateout("$t6") _, lateout("$t7") _,
            lateout("$t8") _, options(nostack))
    };
}
pub(crate) use template;
