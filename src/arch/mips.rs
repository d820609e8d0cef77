//! mips primitives: o32 (`target_arch = "mips"`) and n64 (`"mips64"`), both
//! byte orders (contracts: `src/arch/mod.rs`; tested: mipsel-unknown-linux-gnu,
//! mips-unknown-linux-gnu, mips64el-unknown-linux-gnuabi64,
//! mips64-unknown-linux-gnuabi64). The templates are shared; what the two
//! ABIs do differently is the `abi!` table below.
//!
//! Kernel ABI: `syscall` with the number in $2 (v0; 4000 + n on o32, 5000
//! + n on n64) and arguments in $4-$7 (a0-a3), then on o32 at 16($sp) and
//! 20($sp) of the caller's stack (which the kernel reads, 16..31($sp), on
//! every system call), on n64 in $8 and $9 (a4, a5). On failure $7 (a3) is
//! 1 and $2 holds a positive errno; on success $7 is 0 and $2 the result.
//! The kernel may change $3 (v1), the temporaries ($8-$15 on o32, $10-$15
//! on n64), $24, $25 and hi/lo; $16-$23 (s0-s7), $28-$31 and the argument
//! registers it preserves, in the parent and (as a copy) in the child.
//! clone(2) takes `(flags, stack, ptid, tls, ctid)` (CONFIG_CLONE_BACKWARDS;
//! ctid at 16($sp) on o32); clone3(2) `(args, size)`. With CLONE_SETTLS the
//! kernel sets the child's UserLocal register (`rdhwr $29`), the thread
//! pointer; nothing here touches it.
//!
//! C ABI: o32 passes four words in a0-a3 and the rest at 16($sp), above a
//! 16-byte area at 0($sp) the caller reserves for the callee to save a0-a3,
//! with $sp 8-byte aligned; n64 passes eight in $4-$11 (a0-a7), has no
//! argument area and a 16-byte aligned $sp. s0-s7, $28 (gp), $30 (fp) and
//! the callee-saved FP registers ($f20-$f31 on o32, $f24-$f31 on n64) are
//! preserved; the return address is in $31 (ra). Position-independent code
//! derives its $gp from $25 (t9) on entry, so every call, tail calls
//! included, goes through $25 holding the callee's address.
//!
//! In: a0 = fn, a1 = stack top, a2 = flags, a3 = arg, then ptid, tls, ctid
//! (o32: 16, 20, 24($sp); n64: a4-a6) (clone3: a0 = args, a1 = size,
//! a2 = fn, a3 = arg). `fn` and `arg` ride into the child in s0 and s1 (the
//! kernel keeps callee-saved registers and copies them into the child);
//! the parent saves them in a frame of its own (MIPS has no red zone),
//! which on o32 also holds ctid at 16($sp) for the kernel.
//!
//! Addresses of other symbols (the child, `on_error`, an entry's target)
//! are PC-relative, from a `.word SYMBOL - .` (sign-extended by `lw`) read
//! after a `bal` over it: no $gp, no GOT (whose form depends on the
//! symbol's binding), and no range limit (`b` reaches only ±128 KiB, and
//! `j` is not position-independent). Every block is `.set noreorder`, its
//! delay slots written out.

/// What o32 does differently from n64, by name: the word-size mnemonics,
/// the parent's frame (its size and where s0 and s1 go), the moves of
/// clone's last three arguments, the ISA that has `rdhwr`, and the
/// argument area below fn's stack pointer.
#[cfg(target_arch = "mips")]
macro_rules! abi {
    (addu) => {
        "addu"
    };
    (addiu) => {
        "addiu"
    };
    (subu) => {
        "subu"
    };
    (load) => {
        "lw"
    };
    (store) => {
        "sw"
    };
    // 0..15: the argument area of the kernel's view; 16: its fifth argument.
    (frame) => {
        "32"
    };
    (s0_slot) => {
        "20"
    };
    (s1_slot) => {
        "24"
    };
    // ptid, tls and ctid were at 16, 20 and 24 of the caller's $sp, now 48,
    // 52 and 56; ctid goes to 16($sp) for the kernel.
    (clone_tail_args) => {
        concat!(
            "lw $6, 48($29)\n",
            "lw $7, 52($29)\n",
            "lw $8, 56($29)\n",
            "sw $8, 16($29)\n"
        )
    };
    (isa) => {
        ".set mips32r2\n"
    };
    // fn's caller reserves its 16-byte argument area.
    (fn_area) => {
        "addiu $29, $29, -16\n"
    };
}
#[cfg(target_arch = "mips64")]
macro_rules! abi {
    (addu) => {
        "daddu"
    };
    (addiu) => {
        "daddiu"
    };
    (subu) => {
        "dsubu"
    };
    (load) => {
        "ld"
    };
    (store) => {
        "sd"
    };
    (frame) => {
        "16"
    };
    (s0_slot) => {
        "0"
    };
    (s1_slot) => {
        "8"
    };
    (clone_tail_args) => {
        concat!("move $6, $8\n", "move $7, $9\n", "move $8, $10\n")
    };
    (isa) => {
        ".set mips64r2\n"
    };
    // n64 has no argument area: fn runs at the aligned top.
    (fn_area) => {
        ""
    };
}
pub(crate) use abi;

/// A jump through $25 to `{$sym}`, its address read PC-relative (`bal`
/// over a `.word {$sym} - .`; $31 is changed), with `$delay` in the jump's
/// delay slot.
macro_rules! jump_pc_relative {
    ($sym:literal, $label:literal, $delay:literal) => {
        concat!(
            "bal ",
            $label,
            "f\n",
            "nop\n",
            ".word {",
            $sym,
            "} - .\n",
            $label,
            ":\n",
            "lw $25, 0($31)\n",
            $crate::arch::port::abi!(addu),
            " $25, $25, $31\n",
            "jr $25\n",
            $delay,
            "\n",
        )
    };
}
pub(crate) use jump_pc_relative;

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(
            ".cfi_startproc\n",
            ".set push\n",
            ".set noreorder\n",
            $crate::arch::port::abi!(addiu), " $29, $29, -", $crate::arch::port::abi!(frame), "\n",
            ".cfi_adjust_cfa_offset ", $crate::arch::port::abi!(frame), "\n",
            $crate::arch::port::abi!(store), " $16, ", $crate::arch::port::abi!(s0_slot), "($29)\n",
            $crate::arch::port::abi!(store), " $17, ", $crate::arch::port::abi!(s1_slot), "($29)\n",
            ".cfi_rel_offset $16, ", $crate::arch::port::abi!(s0_slot), "\n",
            ".cfi_rel_offset $17, ", $crate::arch::port::abi!(s1_slot), "\n",
        )
    };

    // clone(2).
    (clone) => {
        concat!(
            "move $16, $4\n",
            "move $17, $7\n",
            "move $4, $6\n",
            $crate::arch::port::abi!(clone_tail_args),
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
            $crate::arch::port::jump_pc_relative!("child", "3", "nop"),
            "1:\n",
            $crate::arch::port::abi!(load), " $16, ", $crate::arch::port::abi!(s0_slot), "($29)\n",
            $crate::arch::port::abi!(load), " $17, ", $crate::arch::port::abi!(s1_slot), "($29)\n",
            "jr $31\n",
            $crate::arch::port::abi!(addiu), " $29, $29, ", $crate::arch::port::abi!(frame), "\n",
            "2:\n",
            $crate::arch::port::abi!(subu), " $4, $0, $2\n",
            $crate::arch::port::abi!(load), " $16, ", $crate::arch::port::abi!(s0_slot), "($29)\n",
            $crate::arch::port::abi!(load), " $17, ", $crate::arch::port::abi!(s1_slot), "($29)\n",
            $crate::arch::port::abi!(addiu), " $29, $29, ", $crate::arch::port::abi!(frame), "\n",
            "move $3, $31\n", // the caller's return address, for on_error
            $crate::arch::port::jump_pc_relative!("on_error", "4", "move $31, $3"),
            ".set pop\n",
        )
    };

    // The child (s0 = fn, s1 = arg): zeroes the frame pointer and ra, aligns
    // $sp down to 16 and (o32) reserves fn's argument area below it; calls
    // fn through $25. It writes nothing to the stack.
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
            $crate::arch::port::abi!(fn_area),
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

    // An exported entry: jumps to the target through $25 (the return
    // address waits in $2, which carries no argument).
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
            $crate::arch::port::abi!(addu), " $25, $25, $31\n",
            "move $31, $2\n",
            ".cfi_restore $31\n",
            "jr $25\n",
            "nop\n",
            ".set pop\n",
            ".cfi_endproc\n",
        )
    };

    // The thread pointer: the UserLocal hardware register (`rdhwr` of
    // MIPS32r2/MIPS64r2; the kernel emulates it on cores without).
    (thread_pointer) => {
        concat!(".set push\n", $crate::arch::port::abi!(isa), ".set noat\n", "rdhwr {tp}, $29\n", ".set pop")
    };

    // `syscall4`: an error (a3 set) is negated into the layer's `-errno`;
    // the kernel may change v1, a0-a3, $8-$15, $24 and $25 (and hi/lo,
    // which asm! cannot name: the compiler keeps no value there across an
    // asm statement).
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!(".set push", ".set noreorder", "syscall", "beqz $7, 1f", "nop",
            concat!($crate::arch::port::abi!(subu), " $2, $0, $2"), "1:", ".set pop",
            inlateout("$2") $nr as isize => $ret, inlateout("$4") $a => _,
            inlateout("$5") $b => _, inlateout("$6") $c => _, inlateout("$7") $d => _,
            lateout("$3") _, lateout("$8") _, lateout("$9") _, lateout("$10") _,
            lateout("$11") _, lateout("$12") _, lateout("$13") _, lateout("$14") _,
            lateout("$15") _, lateout("$24") _, lateout("$25") _, options(nostack))
    };
    // `syscall6`: as `syscall4`, the fifth and sixth arguments from $8 and
    // $9: n64's registers; o32 stores them at 16($sp) and 20($sp) of a
    // 32-byte area pushed for the call.
    (syscall6 $nr:expr, $a:expr => $ret:ident) => {
        core::arch::asm!(".set push", ".set noreorder", $crate::arch::port::syscall6_stack_args!(push),
            "syscall", $crate::arch::port::syscall6_stack_args!(pop),
            "beqz $7, 1f", "nop", concat!($crate::arch::port::abi!(subu), " $2, $0, $2"), "1:", ".set pop",
            inlateout("$2") $nr as isize => $ret, inlateout("$4") $a[0] => _,
            inlateout("$5") $a[1] => _, inlateout("$6") $a[2] => _, inlateout("$7") $a[3] => _,
            inlateout("$8") $a[4] => _, inlateout("$9") $a[5] => _,
            lateout("$3") _, lateout("$10") _, lateout("$11") _, lateout("$12") _,
            lateout("$13") _, lateout("$14") _, lateout("$15") _, lateout("$24") _,
            lateout("$25") _)
    };
}
pub(crate) use template;

/// `syscall6`'s stack arguments: o32 pushes a 32-byte area with $8 and $9
/// at 16($sp) and 20($sp); n64 passes them in those registers.
#[cfg(target_arch = "mips")]
macro_rules! syscall6_stack_args {
    (push) => {
        "addiu $29, $29, -32\nsw $8, 16($29)\nsw $9, 20($29)"
    };
    (pop) => {
        "addiu $29, $29, 32"
    };
}
#[cfg(target_arch = "mips64")]
macro_rules! syscall6_stack_args {
    (push) => {
        ""
    };
    (pop) => {
        ""
    };
}
pub(crate) use syscall6_stack_args;
