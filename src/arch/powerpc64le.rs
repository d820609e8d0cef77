//! powerpc64le (ELFv2) primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `sc` with the number in r0 and arguments in r3-r8. On
//! failure the kernel sets cr0.SO and returns a positive errno in r3; on
//! success cr0.SO is clear and r3 holds the result. `sc` may clobber r0,
//! r3-r12, cr0, ctr and xer; r1, r2, r13-r31 and lr are preserved, in the
//! parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)` (CONFIG_CLONE_BACKWARDS); clone3(2)
//! `(args, size)`. With CLONE_SETTLS the kernel sets the child's r13, the
//! thread pointer; nothing here touches r13.
//!
//! C ABI (ELFv2): r1 is the stack pointer, 16-byte aligned, and 0(r1) is
//! the back chain; a caller's frame starts with 32 bytes (back chain, CR
//! save, LR save, TOC save), followed by a 64-byte parameter save area when
//! the callee may want one (a variadic or unprototyped function spills
//! r3-r10 there). A leaf may use the 288 bytes below r1 without a frame. A
//! function is entered at its global entry point with r12 = its address,
//! from which it derives its TOC pointer r2; an indirect call therefore
//! goes through r12 and ctr.
//!
//! In: r3 = fn, r4 = stack top, r5 = flags, r6 = arg, r7 = ptid, r8 = tls,
//! r9 = ctid (clone3: r3 = args, r4 = size, r5 = fn, r6 = arg). `fn` and
//! `arg` ride into the child in r30 and r31 (non-volatile, so `sc`
//! preserves them); the caller's r30 and r31 are saved below the parent's
//! own r1 (the ELFv2 protected zone). r2 is preserved, so the functions
//! need no TOC and declare no local entry point. Branches to other symbols
//! are unconditional (`b` reaches ±32 MiB, a conditional branch ±32 KiB).
//!
//! powerpc64 big-endian (ELFv1, `src/arch/powerpc64.rs`) uses these
//! templates too, all but `child` and `entry`.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(
            ".cfi_startproc\n",
            "std 30, -16(1)\n", // protected zone of the parent's stack
            "std 31, -8(1)\n",
            ".cfi_offset r30, -16\n", // CFA = r1 at entry
            ".cfi_offset r31, -8\n",
        )
    };

    // clone(2) and clone3(2): the moves of every powerpc port.
    (clone) => { powerpc_template!(clone) };
    (clone3) => { powerpc_template!(clone3) };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    (syscall) => {
        powerpc_template!(syscall ["ld 30, -16(1)\n", "ld 31, -8(1)\n"] "cmpdi")
    };

    // The child (r30 = fn, r31 = arg): pushes a 96-byte caller frame (the
    // 32-byte header and a parameter save area, since fn's definition may be
    // variadic or unprototyped) whose back chain is 0, and calls fn through
    // ctr with r12 = fn (fn derives its own TOC from r12). Nothing of it
    // reaches above the aligned top.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined lr\n",
            "li 0, 0\n",
            "mtlr 0\n", // lr still held the parent's return address
            "clrrdi 1, 1, 4\n",
            "stdu 0, -96(1)\n", // fn's caller frame, back chain 0
            "mr 12, 30\n",      // ELFv2 indirect call: r12 = callee's address
            "mtctr 12\n",
            "mr 3, 31\n",
            "bctrl\n",
            "li 0, {exit}\n",
            "sc\n", // r3 = fn's result
            "trap\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: sets r2 to this library's TOC, then jumps.
    //
    // The target is ordinary Rust code: it is entered at its local entry point
    // and needs our TOC in r2 (for its PLT calls, e.g. to `__errno_location`).
    // A caller from another module arrives through a PLT stub with its own r2
    // (saved by the stub and restored after the call); a caller from this
    // module arrives with r2 already ours. The usual global-entry prologue
    // (`addis 2,12,.TOC.-sym@ha` plus `.localentry sym`) cannot be written
    // here: the template does not know the exported symbol's name, and without
    // `.localentry` a local caller may enter with any r12. So the TOC pointer
    // is computed from the current address, found with `bcl 20,31` (the form
    // that leaves the return-address predictor alone); lr is restored before
    // the jump. r0 and r11 are volatile and carry no arguments.
    (entry) => {
        concat!(
            ".cfi_startproc\n",
            "mflr 0\n",
            ".cfi_register lr, r0\n",
            "bcl 20, 31, 2f\n",
            "2:\n",
            "mflr 11\n", // r11 = address of label 2
            "mtlr 0\n",
            ".cfi_restore lr\n",
            "addis 2, 11, (.TOC. - 2b)@ha\n",
            "addi 2, 2, (.TOC. - 2b)@l\n",
            "b {target}\n",
            ".cfi_endproc\n",
        )
    };

    // The thread pointer: r13.
    (thread_pointer) => {
        "mr {tp}, 13"
    };

    // `syscall4` and `syscall6`: those of every powerpc port.
    (syscall4 $($call:tt)*) => { powerpc_template!(syscall4 $($call)*) };
    (syscall6 $($call:tt)*) => { powerpc_template!(syscall6 $($call)*) };
}
pub(crate) use template;
