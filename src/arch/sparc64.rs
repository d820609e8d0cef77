//! sparc64 primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `ta 0x6d` with the number in %g1 and arguments in %o0-%o5.
//! On failure the kernel sets the carry bit of %xcc and returns a positive
//! errno in %o0; on success carry is clear and %o0 holds the result. Every
//! other register but %o1 is preserved, in the parent and (as a copy) in
//! the child. clone(2) takes `(flags, stack, ptid, tls, ctid)` (sparc's own
//! `sparc_clone`); in both processes %o0 is the parent's PID and %o1 tells
//! them apart: 0 in the parent, 1 in the child. The stack argument is a
//! biased %sp (the real address minus 2047, V9's stack bias): the kernel
//! copies the caller's current frame (from %sp to its saved %fp) below the
//! aligned top and starts the child there; qemu-user starts it at the
//! argument itself with no frame. With CLONE_SETTLS the kernel sets the
//! child's %g7, the thread pointer; nothing here touches %g7.
//!
//! C ABI (V9, LP64) in: %o0 = fn, %o1 = stack top, %o2 = flags, %o3 = arg,
//! %o4 = ptid, %o5 = tls, ctid on the caller's stack at %sp + 2047 + 176
//! (clone3: %o0 = args, %o1 = size, %o2 = fn, %o3 = arg). Both functions
//! open a register window (`save`, a 192-byte frame: 128 bytes of window
//! save area, the argument dump, padding to 16), so that the frame the
//! kernel copies for the child is exactly that size, and return with
//! `restore`, which brings back every register of the caller's window:
//! the windowed registers are the callee-saved ones. `fn` and `arg` ride
//! into the child in %g2 and %g3, globals the C ABI lets a callee change
//! and the syscall preserves. Calls and tail calls to other symbols are
//! `call` (PC-relative, ±2 GiB), with %o7 put back in the delay slot for a
//! tail call; every delay slot is written out.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE and the new window
    // (the caller's registers are restored by `restore`).
    (save) => {
        concat!(
            ".cfi_startproc\n",
            "save %sp, -192, %sp\n",
            ".cfi_def_cfa_register %fp\n",
            ".cfi_window_save\n",
            ".cfi_register %o7, %i7\n",
        )
    };

    // clone(2): the stack top aligned down to 16 (so the argument is never
    // 0, which would mean "the parent's stack"), then biased.
    (clone) => {
        concat!(
            "mov %i0, %g2\n",
            "mov %i3, %g3\n",
            "mov %i2, %o0\n",
            "andn %i1, 15, %o1\n",
            "sub %o1, 2047, %o1\n",
            "mov %i4, %o2\n",
            "mov %i5, %o3\n",
            "ldx [%fp + 2047 + 176], %o4\n",
            "mov {nr}, %g1\n",
        )
    };

    // clone3(2).
    (clone3) => {
        concat!(
            "mov %i2, %g2\n",
            "mov %i3, %g3\n",
            "mov %i0, %o0\n",
            "mov %i1, %o1\n",
            "mov {nr}, %g1\n",
        )
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, the child (%o1 != 0) goes to
    // `child`, an error restores and tail-calls on_error(-errno), a TID
    // restores and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "ta 0x6d\n",
            "bcs,pn %xcc, 2f\n",
            "nop\n",
            "brnz,pn %o1, 1f\n",
            "nop\n",
            "ret\n",
            "restore %o0, %g0, %o0\n", // delay slot: the TID to the caller
            "1:\n",
            "call {child}\n",
            "nop\n",
            "2:\n",
            "sub %g0, %o0, %o0\n", // positive errno -> -errno
            "restore %o0, %g0, %o0\n",
            "mov %o7, %g1\n",
            "call {on_error}\n",
            "mov %g1, %o7\n", // delay slot: on_error returns to our caller
        )
    };

    // The child (%g2 = fn, %g3 = arg), in the window the parent opened. It
    // builds its own 192-byte frame (window save area and argument dump for
    // fn) below its stack pointer aligned down to 16, wherever the kernel
    // (or qemu) left it: so the window save area of this frame, where a
    // window spill writes, lies below the top. %fp = 0 ends frame chains;
    // %i7 still held the parent's caller's return address.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined %o7\n",
            "add %sp, 2047, %g1\n",
            "andn %g1, 15, %g1\n",
            "sub %g1, 2047 + 192, %sp\n",
            "mov %g0, %fp\n",
            "mov %g0, %i7\n",
            "call %g2\n",
            "mov %g3, %o0\n", // delay slot: the argument
            "mov {exit}, %g1\n",
            "ta 0x6d\n", // %o0 = fn's result
            "illtrap 0\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry: a tail call (`call` is PC-relative; %o7 goes back
    // in its delay slot, %g1 carries no argument).
    (entry) => {
        concat!(
            ".cfi_startproc\n",
            "mov %o7, %g1\n",
            ".cfi_register %o7, %g1\n",
            "call {target}\n",
            "mov %g1, %o7\n",
            ".cfi_endproc\n",
        )
    };

    // The thread pointer: %g7.
    (thread_pointer) => {
        "mov %g7, {tp}"
    };

    // `syscall4`: carry set means a positive errno in %o0, negated here into
    // the layer's `-errno`; the kernel may change %o1 (a second result) and
    // the condition codes. The number goes to %g1 inside the block: LLVM
    // reserves %g1 as its own scratch register (it keeps nothing there).
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!("mov {nr}, %g1", "ta 0x6d", "bcc,pt %xcc, 1f", "nop", "sub %g0, %o0, %o0", "1:",
            nr = in(reg) $nr, inlateout("o0") $a as isize => $ret, inlateout("o1") $b => _,
            inlateout("o2") $c => _, inlateout("o3") $d => _, options(nostack))
    };
    // `syscall6`: as `syscall4`, with %o4 and %o5.
    (syscall6 $nr:expr, $a:expr => $ret:ident) => {
        core::arch::asm!("mov {nr}, %g1", "ta 0x6d", "bcc,pt %xcc, 1f", "nop", "sub %g0, %o0, %o0", "1:",
            nr = in(reg) $nr, inlateout("o0") $a[0] as isize => $ret, inlateout("o1") $a[1] => _,
            inlateout("o2") $a[2] => _, inlateout("o3") $a[3] => _,
            inlateout("o4") $a[4] => _, inlateout("o5") $a[5] => _, options(nostack))
    };
}
pub(crate) use template;
