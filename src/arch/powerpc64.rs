//! powerpc64 big-endian (ELFv1) primitives (contracts: `src/arch/mod.rs`).
//!
//! The kernel side is powerpc64le's, one copy (`src/arch/powerpc64le.rs`:
//! `sc`, cr0.SO with a positive errno, clone's `(flags, stack, ptid, tls,
//! ctid)`, r13 the thread pointer set by CLONE_SETTLS) and so are the
//! parent's moves: `fn` and `arg` ride into the child in r30 and r31,
//! saved in the 288-byte protected zone below r1, which ELFv1 has too.
//! This file holds what ELFv1 does differently, the child's call and the
//! exported entry.
//!
//! C ABI (ELFv1): r1 is the stack pointer, 16-byte aligned, and 0(r1) is
//! the back chain; a caller's frame starts with a 48-byte header (back
//! chain, CR save, LR save, two reserved doublewords, TOC save) followed by
//! a 64-byte parameter save area, 112 bytes at least. A function pointer
//! is the address of its descriptor (entry address, TOC pointer,
//! environment pointer), in `.opd`; an indirect call loads all three, sets
//! r2 and r11 and branches through ctr. A direct `b`/`bl` names the
//! descriptor's symbol and the linker turns it into a branch to the entry.
//! The raw syscall functions are called directly by our own code with our
//! TOC in r2, which they preserve; `on_error` is reached by a direct `b`
//! with that r2.
//!
//! In: r3 = fn (a descriptor), r4 = stack top, r5 = flags, r6 = arg,
//! r7 = ptid, r8 = tls, r9 = ctid (clone3: r3 = args, r4 = size, r5 = fn,
//! r6 = arg), as on ELFv2.

// The kernel-side templates, shared with powerpc64le.
#[path = "powerpc64le.rs"]
pub(crate) mod elfv2;

/// The instruction templates of `src/arch/mod.rs`, by name.
macro_rules! template {
    // The child (r30 = fn's descriptor, r31 = arg): pushes a 112-byte
    // caller frame whose back chain is 0 (nothing of it reaches above the
    // aligned top), loads fn's entry, TOC and environment pointer from the
    // descriptor and calls it through ctr.
    (child) => {
        concat!(
            ".cfi_startproc\n",
            ".cfi_undefined lr\n",
            "li 0, 0\n",
            "mtlr 0\n", // lr still held the parent's return address
            "clrrdi 1, 1, 4\n",
            "stdu 0, -112(1)\n", // fn's caller frame, back chain 0
            "ld 0, 0(30)\n",     // entry
            "ld 2, 8(30)\n",     // fn's TOC
            "ld 11, 16(30)\n",   // environment pointer
            "mtctr 0\n",
            "mr 3, 31\n",
            "bctrl\n",
            "li 0, {exit}\n",
            "sc\n", // r3 = fn's result
            "trap\n",
            ".cfi_endproc\n",
        )
    };

    // An exported entry is not a naked function here (rustc gives a naked
    // function no descriptor): `src/capi.rs` defines it as an ordinary
    // function, whose descriptor carries our TOC, so no arm is needed.

    // Everything else: powerpc64le's.
    ($($other:tt)*) => {
        $crate::arch::port::elfv2::template!($($other)*)
    };
}
pub(crate) use template;
