//! mips o32 primitives, both byte orders (contracts: `src/arch/mod.rs`;
//! tested: mipsel-unknown-linux-gnu, mips-unknown-linux-gnu).
//!
//! Kernel ABI (o32): `syscall` with the number in $2 (v0, 4000 + n) and
//! arguments in $4-$7 (a0-a3), the fifth and sixth at 16($sp) and 20($sp)
//! of the caller's stack, which the kernel reads (16..31($sp)) on every
//! system call. On failure $7 (a3) is 1 and $2 holds a positive errno; on
//! success $7 is 0 and $2 the result. The kernel may change $3 (v1),
//! $8-$15, $24, $25 and hi/lo; $16-$23 (s0-s7), $28-$31 and the argument
//! registers it preserves, in the parent and (as a copy) in the child.
//! clone(2) takes `(flags, stack, ptid, tls, ctid)` (CONFIG_CLONE_BACKWARDS,
//! ctid at 16($sp)); clone3(2) `(args, size)`. With CLONE_SETTLS the
//! kernel sets the child's UserLocal register (`rdhwr $29`), the thread
//! pointer; nothing here touches it.
//!
//! C ABI (o32): a0-a3 carry the first four words, the rest follow at
//! 16($sp); the caller reserves 16 bytes at 0($sp) where the callee may
//! save a0-a3; $sp is 8-byte aligned; s0-s7, $28 (gp), $30 (fp) and
//! $f20-$f31 (even ones with FR=0) are callee-saved; the return address is
//! in $31 (ra). Position-independent code derives its $gp from $25 (t9) on
//! entry, so every call, tail calls included, goes through $25 holding the
//! callee's address.
//!
//! In: a0 = fn, a1 = stack top, a2 = flags, a3 = arg, 16($sp) = ptid,
//! 20($sp) = tls, 24($sp) = ctid (clone3: a0 = args, a1 = size, a2 = fn,
//! a3 = arg). `fn` and `arg` ride into the child in s0 and s1 (the kernel
//! keeps callee-saved registers and copies them into the child); the parent
//! saves them in a 32-byte frame of its own, whose 16($sp) holds ctid for
//! the kernel.
//!
//! Addresses of other symbols (the child, `on_error`, an entry's target)
//! are PC-relative, from a `.word SYMBOL - .` read after a `bal` over it:
//! no $gp, no GOT (whose o32 form depends on the symbol's binding), and no
//! range limit (`b` reaches only ±128 KiB, and `j` is not
//! position-independent). Every block is `.set noreorder`, its delay slots
//! written out.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(
            ".cfi_startproc\n",
            ".set push\n",
            ".set noreorder\n",
            "addiu $29, $29, -32\n", // 0..15: argument area; 16: kernel arg 5
            ".cfi_adjust_cfa_offset 32\n",
            "sw $16, 20($29)\n",
            "sw $17, 24($29)\n",
            ".cfi_rel_offset $16, 20\n",
            ".cfi_rel_offset $17, 24\n",
        )
    };

    // clone(2): ptid, tls and ctid were at 16, 20 and 24 of the caller's
    // $sp, now 48, 52 and 56.
    (clone) => {
        concat!(
            "move $16, $4\n",
            "move $17, $7\n",
            "move $4, $6\n",
            "lw $6, 48($29)\n",
            "lw $7, 52($29)\n",
            "lw $8, 56($29)\n",
            "sw $8, 16($29)\n",
            "li $2, {nr}\n",
        )
    };

    // clone3(2).
    (clone3) => {
        concat!("move $16, $6\n", "move $17, $7\n", "li $2, {nr}\n",)
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno) through $25, a TID restores
    // and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "syscall\n",
            "bnez $7, 2f\n", // a3 set: $2 is a positive errno
            "nop\n",
            "bnez $2, 1f\n",
            "nop\n",
            "bal 3f\n", // $31 = the address of the word
            "nop\n",
            ".word {child} - .\n",
            "3:\n",
            "lw $25, 0($31)\n",
            "addu $25, $25, $31\n",
            "jr $25\n",
            "nop\n",
            "1:\n",
            "lw $16, 20($29)\n",
            "lw $17, 24($29)\n",
            "jr $31\n",
            "addiu $29, $29, 32\n",
            "2:\n",
            "subu $4, $0, $2\n",
            "lw $16, 20($29)\n",
            "lw $17, 24($29)\n",
            "addiu $29, $29, 32\n",
            "move $3, $31\n", // the caller's return address, for on_error
            "bal 4f\n",
            "nop\n",
            ".word {on_error} - .\n",
            "4:\n",
            "lw $25, 0($31)\n",
            "addu $25, $25, $31\n",
            "jr $25\n",
            "move $31, $3\n",
            ".set pop\n",
        )
    };

    // The child (s0 = fn, s1 = arg): zeroes the frame pointer and ra, aligns
    // $sp down to 16 and reserves fn's 16-byte argument area below it, the
    // o32 caller's duty; calls fn through $25.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined $31\n",
            ".set push\n",
            ".set noreorder\n",
            "move $30, $0\n",
            "move $31, $0\n",
            "li $8, -16\n",
            "and $29, $29, $8\n",
            "addiu $29, $29, -16\n",
            "move $25, $16\n",
            "jalr $25\n",
            "move $4, $17\n", // delay slot: a0 = arg
            "move $4, $2\n",  // fn's result
            "li $2, {exit}\n",
            "syscall\n",
            "break\n",
            ".set pop\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: jumps to the target through $25, its address read
    // PC-relative (the return address waits in $2, which carries no argument).
    (entry) => {
        concat!(
            ".cfi_startproc\n",
            ".set push\n",
            ".set noreorder\n",
            "move $2, $31\n",
            ".cfi_register $31, $2\n",
            "bal 1f\n",
            "nop\n",
            ".word {target} - .\n",
            "1:\n",
            "lw $25, 0($31)\n",
            "addu $25, $25, $31\n",
            "move $31, $2\n",
            ".cfi_restore $31\n",
            "jr $25\n",
            "nop\n",
            ".set pop\n",
            ".cfi_endproc\n",
        )
    };

    // The thread pointer: the UserLocal hardware register (MIPS32r2
    // `rdhwr`; the kernel emulates it on cores without).
    (thread_pointer) => {
        concat!(".set push\n", ".set mips32r2\n", ".set noat\n", "rdhwr {tp}, $29\n", ".set pop")
    };

    // `syscall4`: an error (a3 set) is negated into the layer's `-errno`;
    // the kernel may change v1, a0-a3, $8-$15, $24 and $25 (and hi/lo,
    // which asm! cannot name: the compiler keeps no value there across an
    // asm statement).
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!(".set push", ".set noreorder", "syscall", "beqz $7, 1f", "nop",
            "subu $2, $0, $2", "1:", ".set pop",
            inlateout("$2") $nr as isize => $ret, inlateout("$4") $a => _,
            inlateout("$5") $b => _, inlateout("$6") $c => _, inlateout("$7") $d => _,
            lateout("$3") _, lateout("$8") _, lateout("$9") _, lateout("$10") _,
            lateout("$11") _, lateout("$12") _, lateout("$13") _, lateout("$14") _,
            lateout("$15") _, lateout("$24") _, lateout("$25") _, options(nostack))
    };
    // `syscall6`: as `syscall4`, the fifth and sixth arguments at 16($sp)
    // and 20($sp) of a 32-byte area pushed for the call.
    (syscall6 $nr:expr, $a:expr => $ret:ident) => {
        core::arch::asm!(".set push", ".set noreorder", "addiu $29, $29, -32",
            "sw $8, 16($29)", "sw $9, 20($29)", "syscall", "addiu $29, $29, 32",
            "beqz $7, 1f", "nop", "subu $2, $0, $2", "1:", ".set pop",
            inlateout("$2") $nr as isize => $ret, inlateout("$4") $a[0] => _,
            inlateout("$5") $a[1] => _, inlateout("$6") $a[2] => _, inlateout("$7") $a[3] => _,
            inlateout("$8") $a[4] => _, inlateout("$9") $a[5] => _,
            lateout("$3") _, lateout("$10") _, lateout("$11") _, lateout("$12") _,
            lateout("$13") _, lateout("$14") _, lateout("$15") _, lateout("$24") _,
            lateout("$25") _)
    };
}
pub(crate) use template;
