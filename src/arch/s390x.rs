//! s390x primitives (contracts: `src/arch/mod.rs`).
//!
//! Kernel ABI: `svc N` for syscall numbers below 256, or `svc 0` with the
//! number in r1; arguments in r2-r7, the result in r2. Every other register
//! (r0 and r1 included) is preserved, in the parent and (as a copy) in the
//! child. clone(2) takes the stack FIRST: `(stack, flags, ptid, ctid, tls)`
//! (CONFIG_CLONE_BACKWARDS2); clone3(2) `(args, size)`. With CLONE_SETTLS
//! the kernel loads the thread pointer into access registers a0:a1;
//! nothing here touches them.
//!
//! C ABI (s390x ELF ABI): arguments in r2-r6, then on the stack from
//! 160(%r15); r6-r15 are callee-saved; every frame starts with a 160-byte
//! register save area whose first doubleword is the back chain; the caller
//! provides that area for the callee, and the callee may store r6-r15 at
//! 48-159 of it. The return address is in r14.
//!
//! In: r2 = fn, r3 = stack top, r4 = flags, r5 = arg, r6 = ptid,
//! 160(%r15) = tls, 168(%r15) = ctid (clone3: r2 = args, r3 = size,
//! r4 = fn, r5 = arg). `fn` rides into the child in r7 and `arg` in r0:
//! the registers neither syscall reads (clone3's `svc 0` takes its number
//! in r1). The parent saves r6 and r7 in the save area its caller
//! provided (clone3 too, so that both share one tail), its only store. `jg` (±4 GiB) reaches any symbol.

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The start of both syscall functions: their FDE, and what they save.
    (save) => {
        concat!(
            ".cfi_startproc\n",
            "stmg %r6, %r7, 48(%r15)\n", // r6 becomes kernel arg 5, r7 carries fn
            ".cfi_offset %r6, -112\n",   // CFA = r15 + 160 at entry; 48 - 160
            ".cfi_offset %r7, -104\n",
        )
    };

    // clone(2).
    (clone) => {
        concat!(
            "lgr %r7, %r2\n",
            "lgr %r0, %r5\n",
            "lgr %r2, %r3\n",
            "lgr %r3, %r4\n",
            "lgr %r4, %r6\n",
            "lg %r5, 168(%r15)\n",
            "lg %r6, 160(%r15)\n",
            "lghi %r1, {nr}\n",
        )
    };

    // clone3(2).
    (clone3) => {
        concat!(
            "lgr %r7, %r4\n",
            "lgr %r0, %r5\n",
            "lghi %r1, {nr}\n", // `svc 0` takes the number from r1
        )
    };

    // The end of both: the FDE ends before the syscall instruction; after
    // it, in the parent and in the child, 0 goes to the child, an error
    // restores and tail-calls on_error(-errno), a TID restores and returns.
    (syscall) => {
        concat!(
            ".cfi_endproc\n",
            "svc 0\n",
            "ltgr %r2, %r2\n",
            "jge {child}\n",            // 0: the child
            "lmg %r6, %r7, 48(%r15)\n", // lmg leaves the condition code alone
            "jgl {on_error}\n",         // negative: -errno
            "br %r14\n",
        )
    };

    // The child (r7 = fn, r0 = arg): builds fn's 160-byte register save area
    // below the aligned top with a zero back chain, zeroes r11 (the frame
    // pointer) and r14.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined %r14\n",
            "nill %r15, 0xfff0\n",
            "aghi %r15, -160\n", // fn's register save area; stays 16-aligned
            "xc 0(8,%r15), 0(%r15)\n", // back chain 0: no frame above this one
            "lghi %r11, 0\n",
            "lghi %r14, 0\n", // r14 still held the parent's return address
            "lgr %r2, %r0\n",
            "basr %r14, %r7\n",
            "svc {exit}\n", // r2 = fn's result
            ".short 0\n",   // an illegal instruction: SIGILL if exit returned
            ".cfi_endproc\n",
        )
    };

    // An exported entry: a direct jump; the caller's arguments (registers and
    // the stack area at 160(%r15)) stay untouched.
    (entry) => {
        concat!(".cfi_startproc\n", "jg {target}\n", ".cfi_endproc\n")
    };

    // The thread pointer: access registers a0 (high half) and a1 (low half).
    (thread_pointer) => {
        "ear {tp}, %a0\nsllg {tp}, {tp}, 32\near {tp}, %a1"
    };

    // `syscall4`: `svc 0` with the number in r1 (any number, unlike
    // `svc NR`) changes only r2.
    (syscall4 $($call:tt)*) => { plain_syscall4!("svc 0", "r1", "r2", "r3", "r4", "r5", $($call)*) };
    // `syscall6`: as `syscall4`, with two more argument registers.
    (syscall6 $($call:tt)*) => { plain_syscall6!("svc 0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", $($call)*) };
}
pub(crate) use template;

// `svc N` encodes N in 8 bits; clone3's number does not fit.
const _: () = assert!(libc::SYS_clone < 256 && libc::SYS_exit < 256 && libc::SYS_clone3 > 255);
