//! powerpc (32-bit, big-endian, SysV ABI) primitives (contracts:
//! `src/arch/mod.rs`).
//!
//! Kernel ABI: `sc` with the number in r0 and arguments in r3-r8. On
//! failure the kernel sets cr0.SO and returns a positive errno in r3; on
//! success cr0.SO is clear and r3 holds the result. `sc` may clobber r0,
//! r3-r12, cr0, ctr and xer; r1, r2, r13-r31 and lr are preserved, in the
//! parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)` (CONFIG_CLONE_BACKWARDS); clone3(2)
//! `(args, size)`. With CLONE_SETTLS the kernel sets the child's r2, the
//! thread pointer of a 32-bit task; nothing here touches r2.
//!
//! C ABI (SysV 32-bit): r1 is the stack pointer, 16-byte aligned; 0(r1) is
//! the back chain and 4(r1) the slot where a callee saves its return
//! address, so the smallest frame is 16 bytes. Nothing below r1 is safe
//! (no red zone: a signal handler's frame goes right there), so whatever
//! the parent saves needs a frame of its own. There is no TOC: code reaches
//! its data PC-relatively or through r30 as it sets it up itself, so a call
//! through a function pointer is a plain `mtctr`/`bctrl`.
//!
//! In: r3 = fn, r4 = stack top, r5 = flags, r6 = arg, r7 = ptid, r8 = tls,
//! r9 = ctid (clone3: r3 = args, r4 = size, r5 = fn, r6 = arg). `fn` and
//! `arg` ride into the child in r30 and r31 (non-volatile, so `sc`
//! preserves them); the caller's r30 and r31 are saved in a 16-byte frame
//! on the parent's own stack, which the child never reads. Branches to
//! other symbols are unconditional (`b` reaches ±32 MiB, a conditional
//! branch ±32 KiB).

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and a frame for what
    // they save.
    (save) => {
        concat!(
            ".cfi_startproc\n",
            "stwu 1, -16(1)\n", // back chain at 0(r1)
            ".cfi_def_cfa_offset 16\n",
            "stw 30, 8(1)\n",
            "stw 31, 12(1)\n",
            ".cfi_offset r30, -8\n",
            ".cfi_offset r31, -4\n",
        )
    };

    // clone(2) and clone3(2): the moves of every powerpc port.
    (clone) => { powerpc_template!(clone) };
    (clone3) => { powerpc_template!(clone3) };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    // The child's r1 is its own stack pointer: it never sees the frame.
    (syscall) => {
        powerpc_template!(syscall ["lwz 30, 8(1)\n", "lwz 31, 12(1)\n", "addi 1, 1, 16\n"] "cmpwi")
    };

    // The child (r30 = fn, r31 = arg): pushes a 16-byte caller frame whose
    // back chain is 0 (its word at 4 is where fn saves its return address;
    // nothing of it reaches above the aligned top) and calls fn through ctr.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined lr\n",
            "li 0, 0\n",
            "mtlr 0\n", // lr still held the parent's return address
            "clrrwi 1, 1, 4\n",
            "stwu 0, -16(1)\n", // fn's caller frame, back chain 0
            "mtctr 30\n",
            "mr 3, 31\n",
            "bctrl\n",
            "li 0, {exit}\n",
            "sc\n", // r3 = fn's result
            "trap\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: a direct jump (no TOC to set up).
    (entry) => {
        concat!(".cfi_startproc\n", "b {target}\n", ".cfi_endproc\n")
    };

    // The thread pointer: r2.
    (thread_pointer) => {
        "mr {tp}, 2"
    };

    // `syscall4` and `syscall6`: those of every powerpc port.
    (syscall4 $($call:tt)*) => { powerpc_template!(syscall4 $($call)*) };
    (syscall6 $($call:tt)*) => { powerpc_template!(syscall6 $($call)*) };
}
pub(crate) use template;
