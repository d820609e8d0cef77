//! arm (32-bit EABI, ARMv5TE and later; tested: armv7-unknown-linux-gnueabihf,
//! armv5te-unknown-linux-gnueabi, arm-unknown-linux-gnueabihf (ARMv6))
//! primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI (EABI): `svc #0` with the number in r7 and arguments in
//! r0-r6; the result comes back in r0 and every other register is
//! preserved, in the parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)`; clone3(2) `(args, size)`.
//!
//! C ABI (AAPCS) in: r0 = fn, r1 = stack top, r2 = flags, r3 = arg,
//! [sp] = ptid, [sp + 4] = tls, [sp + 8] = ctid (clone3: r0 = args,
//! r1 = size, r2 = fn, r3 = arg). `fn` and `arg` ride into the child in r5
//! and r6, callee-saved registers that neither syscall reads; the parent
//! saves r4-r7 on its own stack.
//!
//! The code is written in unified syntax with instructions that exist in
//! both the ARM and the Thumb-2 instruction sets, so it assembles in either
//! state (armv7 targets are ARM by default, thumbv7neon ones Thumb). `fn`
//! is called with `blx`, which switches state as fn's address says.
//! Branches to other symbols are unconditional (Thumb's conditional branch
//! reaches only ±1 MiB). Nothing here needs more than ARMv5TE (`blx`): `ldr r7, =N`
//! (a `mov`, or a literal for clone3's number, which no ARM immediate
//! encodes) instead of ARMv6T2's `movw`.
//!
//! Unwinding: besides CFI (for debuggers), ARM has its own exception tables
//! (EHABI, `.ARM.exidx`), whose entries have no end: each lasts until the
//! next begins. rustc writes none for naked functions, so the code says
//! itself: the parent half up to the syscall as a function that saved
//! r4-r7, everything from the syscall on (run by the child too) and the
//! child as `.cantunwind` regions.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(
            ".fnstart\n",
            ".cfi_startproc\n",
            "push {{r4, r5, r6, r7}}\n", // r4 and r7 are kernel arguments; r5, r6 carry fn, arg
            ".save {{r4, r5, r6, r7}}\n",
            ".cfi_adjust_cfa_offset 16\n",
            ".cfi_rel_offset r4, 0\n",
            ".cfi_rel_offset r5, 4\n",
            ".cfi_rel_offset r6, 8\n",
            ".cfi_rel_offset r7, 12\n",
        )
    };

    // clone(2).
    (clone) => {
        concat!(
            "mov r5, r0\n",
            "mov r6, r3\n",
            "mov r0, r2\n",
            "ldr r2, [sp, #16]\n",
            "ldr r3, [sp, #20]\n",
            "ldr r4, [sp, #24]\n",
            "ldr r7, ={nr}\n",
        )
    };

    // clone3(2).
    (clone3) => {
        concat!("mov r5, r2\n", "mov r6, r3\n", "ldr r7, ={nr}\n",)
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            ".fnend\n",
            ".fnstart\n",
            ".cantunwind\n",
            "svc #0\n",
            "cmp r0, #0\n",
            "bne 1f\n",
            "b {child}\n",
            "1:\n",
            "pop {{r4, r5, r6, r7}}\n", // pop leaves the flags alone
            "blt 2f\n",
            "bx lr\n",
            "2:\n",
            "b {on_error}\n",
            ".fnend\n",
        )
    };

    // The child (r5 = fn, r6 = arg): zeroes both frame pointers (r11 frames
    // ARM code, r7 Thumb code). It writes nothing to the stack: the return
    // address is in lr.
    (child) => {
        concat!(
            ".fnstart\n",
            ".cantunwind\n",
            ".cfi_startproc\n",
            ".cfi_undefined lr\n",
            "mov r7, #0\n",
            "mov r11, #0\n",
            "mov lr, #0\n",
            "mov r12, sp\n",
            "bic r12, r12, #15\n",
            "mov sp, r12\n",
            "mov r0, r6\n",
            "blx r5\n",
            "mov r7, #{exit}\n",
            "svc #0\n", // r0 = fn's result
            "udf #0\n", // 0xe7f000f0: permanently undefined from ARMv5 on too
            ".cfi_endproc\n",
            ".fnend\n",
        )
    };

    // An exported entry: a direct jump (ARM has no landing pads). `b` does not
    // switch instruction set: the target is Rust code compiled for the same
    // target, so in the same state; the linker handles interworking for the C
    // caller, which may be Thumb code.
    (entry) => {
        concat!(
            ".fnstart\n",
            ".cfi_startproc\n",
            "b {target}\n",
            ".cfi_endproc\n",
            ".fnend\n"
        )
    };

    // The thread pointer: TPIDRURO (CP15 c13), which ARMv6K and later have.
    // Unused: the errno cache of `src/capi.rs` is off on arm, where a
    // plain ARMv6 core lacks the register.
    (thread_pointer) => {
        "mrc p15, 0, {tp}, c13, c0, 3"
    };

    // `syscall4`: `svc #0` changes only r0; the number goes in r7.
    (syscall4 $($call:tt)*) => { plain_syscall4!("svc 0", "r7", "r0", "r1", "r2", "r3", $($call)*) };
    // `syscall6`: as `syscall4`, with r4 and r5.
    (syscall6 $($call:tt)*) => { plain_syscall6!("svc 0", "r7", "r0", "r1", "r2", "r3", "r4", "r5", $($call)*) };
}
pub(crate) use template;
