//! riscv64 primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `ecall` with the number in a7 and arguments in a0-a5; the
//! result comes back in a0 and every other register is preserved, in the
//! parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)` (CONFIG_CLONE_BACKWARDS); clone3(2)
//! `(args, size)`. With CLONE_SETTLS the kernel sets the child's `tp`;
//! nothing here touches `tp`.
//!
//! C ABI (LP64D) in: a0 = fn, a1 = stack top, a2 = flags, a3 = arg,
//! a4 = ptid, a5 = tls, a6 = ctid (clone3: a0 = args, a1 = size, a2 = fn,
//! a3 = arg). `fn` and `arg` ride into the child in t3 and t4,
//! temporaries the kernel preserves and neither syscall reads (not t0 or
//! t1: `tail` goes through t1, and `jalr t0` would hint a coroutine swap).

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(".cfi_startproc\n",)
    };

    // clone(2).
    (clone) => {
        concat!(
            "mv t3, a0\n",
            "mv t4, a3\n",
            "mv a0, a2\n",
            "mv a2, a4\n",
            "mv a3, a5\n",
            "mv a4, a6\n",
            "li a7, {nr}\n",
        )
    };

    // clone3(2).
    (clone3) => {
        concat!("mv t3, a2\n", "mv t4, a3\n", "li a7, {nr}\n",)
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "ecall\n",
            "bnez a0, 1f\n",
            "tail {child}\n",
            "1:\n",
            "bltz a0, 2f\n", // negative: -errno
            "ret\n",
            "2:\n",
            "tail {on_error}\n",
        )
    };

    // The child (t3 = fn, t4 = arg). It writes nothing to the stack: the
    // return address is in ra, and the psABI has no argument save area.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined ra\n",
            "li s0, 0\n", // no frame record above fn
            "li ra, 0\n", // ra still held the parent's return address
            "andi sp, sp, -16\n",
            "mv a0, t4\n",
            "jalr t3\n",
            "li a7, {exit}\n",
            "ecall\n", // a0 = fn's result
            "unimp\n",
            ".cfi_endproc\n",
        )
    };

    // `syscall4`: `ecall` changes only a0.
    (syscall4 $($call:tt)*) => { plain_syscall4!("ecall", "a7", "a0", "a1", "a2", "a3", $($call)*) };

    // An exported entry: a direct jump (`tail` goes through t1, which no
    // argument uses).
    (entry) => {
        concat!(".cfi_startproc\n", "tail {target}\n", ".cfi_endproc\n")
    };

    // The thread pointer: `tp`.
    (thread_pointer) => {
        "mv {tp}, tp"
    };
    // `syscall6`: as `syscall4`, with two more argument registers.
    (syscall6 $($call:tt)*) => { plain_syscall6!("ecall", "a7", "a0", "a1", "a2", "a3", "a4", "a5", $($call)*) };
}
pub(crate) use template;
