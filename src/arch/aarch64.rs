//! aarch64 primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `svc #0` with the number in x8 and arguments in x0-x5; the
//! result comes back in x0 and every other register is preserved, in the
//! parent and (as a copy) in the child. clone(2) takes
//! `(flags, stack, ptid, tls, ctid)`; clone3(2) `(args, size)`.
//!
//! C ABI (AAPCS64) in: x0 = fn, x1 = stack top, x2 = flags, x3 = arg,
//! x4 = ptid, x5 = tls, x6 = ctid (clone3: x0 = args, x1 = size, x2 = fn,
//! x3 = arg). `fn` and `arg` ride into the child in x10 and x11,
//! temporaries the kernel preserves and neither syscall reads. Branches to
//! other symbols are unconditional (`b`, which the linker can extend with
//! a veneer), never `cbz`'s ±1 MiB.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(".cfi_startproc\n",)
    };

    // clone(2).
    (clone) => {
        concat!(
            "mov x10, x0\n",
            "mov x11, x3\n",
            "mov x0, x2\n",
            "mov x2, x4\n",
            "mov x3, x5\n",
            "mov x4, x6\n",
            "mov x8, #{nr}\n",
        )
    };

    // clone3(2).
    (clone3) => {
        concat!("mov x10, x2\n", "mov x11, x3\n", "mov x8, #{nr}\n",)
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "svc #0\n",
            "cbnz x0, 1f\n",
            "b {child}\n",
            "1:\n",
            "tbnz x0, #63, 2f\n", // negative: -errno
            "ret\n",
            "2:\n",
            "b {on_error}\n",
        )
    };

    // The child (x10 = fn, x11 = arg). It writes nothing to the stack: the
    // return address is in lr.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined x30\n",
            "mov x29, xzr\n", // no frame record above fn
            "mov x30, xzr\n",
            "mov x9, sp\n",
            "and sp, x9, #-16\n",
            "mov x0, x11\n",
            "blr x10\n",
            "mov x8, #{exit}\n",
            "svc #0\n", // x0 = fn's result
            "brk #0x3e8\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: a BTI landing pad for indirect calls (a PLT stub or
    // a function pointer reaches us with `br`/`blr`), then a direct jump.
    (entry) => {
        concat!(
            ".cfi_startproc\n",
            "hint #34\n", // bti c, spelt as its hint so any assembler accepts it
            "b {target}\n",
            ".cfi_endproc\n",
        )
    };

    // The thread pointer: `tpidr_el0`.
    (thread_pointer) => {
        "mrs {tp}, tpidr_el0"
    };

    // `syscall4`: `svc #0` changes only x0.
    (syscall4 $($call:tt)*) => { plain_syscall4!("svc 0", "x8", "x0", "x1", "x2", "x3", $($call)*) };
    // `syscall6`: as `syscall4`, with two more argument registers.
    (syscall6 $($call:tt)*) => { plain_syscall6!("svc 0", "x8", "x0", "x1", "x2", "x3", "x4", "x5", $($call)*) };
}
pub(crate) use template;

/// The GNU property that declares this object BTI-compatible
/// (`src/arch/mod.rs` writes the note): every indirect-branch target we
/// define is an exported entry point beginning with `bti c`; our Rust code
/// is reached only by direct branches and has no jump tables
/// (c-tests/cross.sh's disassembly check would catch a `br`). We sign no
/// return addresses, so the note claims BTI only, not PAC.
pub(crate) const GNU_PROPERTY: (u32, u32) = (0xc000_0000, 1); // AARCH64_FEATURE_1_AND: BTI
