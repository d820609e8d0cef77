//! The architecture layer: the clone system calls, the child's first
//! instructions and the exported entry stub, as each architecture needs
//! them. The interface and its contracts are written here, once; each port
//! file (`src/arch/<arch>.rs`, selected by the table below) holds only what
//! differs: the syscall instruction and its error convention, the kernel's
//! argument order, the registers that carry `fn` and `arg` into the child,
//! and the child's frame.
//!
//! # What a port provides
//!
//! One macro, `template!`, whose arms are the port's instruction templates
//! (`naked_asm!`/`asm!` template strings; this module supplies the
//! operands, so every port names them alike):
//!
//! - `template!(save)`: the start of both syscall functions: their FDE
//!   (`.cfi_startproc`) and the saving of what they must restore;
//! - `template!(clone)` and `template!(clone3)`: what follows in a naked
//!   `extern "C"` function with the signature of [`raw_clone`] (resp.
//!   [`raw_clone3`]): the moves into the kernel's registers and of the
//!   syscall number `{nr}`;
//! - `template!(syscall)`, the end of both: `.cfi_endproc`, the syscall
//!   instruction, then 0 jumps to `{child}`, an error tail-calls
//!   `{on_error}`, a TID returns;
//! - `template!(child)`: the child's first instruction onwards (`{exit}` is
//!   `SYS_exit`);
//! - `template!(entry)`: an exported entry stub, ending in a direct jump to
//!   `{target}`: a landing pad where the architecture has one (`endbr64`,
//!   `bti c`) and the setup its ABI wants (powerpc64's TOC pointer);
//! - `template!(thread_pointer)`: `{tp}` = the thread pointer as the TLS ABI
//!   defines it (the register, or on x86 the self pointer at `fs:0`/`gs:0`);
//!   on x86 also `template!(store_at_tp)`, a segment-relative store, and on
//!   i686 `template!(gs_selector)`, the %gs selector (musl's ABI, `src/capi/musl.rs`);
//! - `GNU_PROPERTY` (type, bits) where the architecture has landing pads;
//! - `template!(syscall4 nr, a, b, c, d => ret)`: not a template but a
//!   whole `asm!` statement (its operands name the port's registers): the
//!   system call `nr` with up to four word arguments, its result in `ret`
//!   (an `isize`), for [`syscall4`].
//!
//! # The parent contract (`save`, `clone`, `clone3`, `syscall`)
//!
//! - Arguments arrive as the C ABI passes them to the signature; the port
//!   moves them to the kernel's registers (its own argument order), puts
//!   `fn` and `arg` in registers the syscall preserves and the kernel copies
//!   into the child, and never writes to the child's stack: a bad stack
//!   makes the child fault, never the caller.
//! - Exact CFI: the function's FDE (`.cfi_startproc` .. `.cfi_endproc`)
//!   describes every instruction up to the syscall and ends before it, as
//!   glibc's `clone.S` does, because after the syscall the same
//!   instructions run in the child, on another stack, where the parent's
//!   frame description would send an unwinder past the child's stack top.
//!   On arm, whose unwinder reads EHABI tables, where a region lasts until
//!   the next one starts, the code after the syscall is a `.cantunwind`
//!   region of its own.
//! - After the syscall: a result of 0 jumps to `child`; a kernel error
//!   (`-4095..=-1`, or the architecture's error flag) restores what the
//!   port saved and tail-calls `on_error(-errno)`, an `extern "C"
//!   fn(c_long) -> R`; success restores and returns the TID.
//! - Only the caller-saved registers of the C ABI change.
//!
//! # The child contract (`template!(child)`)
//!
//! - Its own FDE, whose first row already marks the return-address register
//!   undefined (`.cfi_undefined`): an unwinder in the child, at any
//!   instruction, stops there. On arm it is a `.cantunwind` EHABI region.
//! - It zeroes the frame-pointer register(s) and the return-address
//!   register, aligns the stack pointer down to 16 (clone3's
//!   `stack + stack_size` need not be aligned), builds the frame the ABI
//!   wants below it (if any: powerpc64's 96 bytes, s390x's 160, mips o32's
//!   16-byte argument area), calls
//!   `fn(arg)` (an indirect call with the ABI's target register where it
//!   has one), then ends the thread with `SYS_exit(fn's result)` (never
//!   `exit_group`) and traps should that return.
//!
//! # Safety contract (for every caller of [`raw_clone`] and [`raw_clone3`])
//!
//! `fn` must be a valid function; the stack must be writable memory that
//! nothing else uses while the child runs; `ptid`, `tls` and `ctid` (or the
//! clone3 argument block) must be valid for the use the flags make of them;
//! in the child only async-signal-safe work is sound (see `crate::clone`).
//!
//! # A new port
//!
//! One file here with the items above and one row in the table below (plus
//! the architecture's row in `c-tests/lib.sh` and, for qemu, `cross.sh`).
//! The tests that prove a port: `c-tests/entry_sp_probe.c` (the child's
//! stack pointer, frame pointers and back chain at `fn`'s entry),
//! `c-tests/callee_saved_registers.c` (the parent contract's register
//! promise on every way back), `c-tests/unwind_child.c` (`_Unwind_Backtrace`
//! and `backtrace()` from `fn` and from a signal at the child's first
//! instruction end cleanly at our code), `c-tests/cfi-checks.sh` (the FDEs
//! as `readelf` reads them) and the whole suite under qemu-user
//! (`cross.sh`) and a real kernel (`vm.sh`).

use core::ffi::{c_long, c_ulong, c_void};

use crate::raw::ChildFn;

/// The `syscall4` of a port whose syscall instruction changes only the
/// result register (aarch64, arm, riscv64, s390x): the instruction, the
/// number's register, then the four arguments' (the first also the result).
#[allow(unused_macros)]
macro_rules! plain_syscall4 {
    ($insn:literal, $nr_reg:tt, $r0:tt, $r1:tt, $r2:tt, $r3:tt,
     $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!($insn, in($nr_reg) $nr, inlateout($r0) $a as isize => $ret,
            in($r1) $b, in($r2) $c, in($r3) $d, options(nostack))
    };
}

/// The `syscall6` of such a port: the instruction, the number's register,
/// then the six arguments' (the first also the result).
#[allow(unused_macros)]
macro_rules! plain_syscall6 {
    ($insn:literal, $nr_reg:tt, $r0:tt, $r1:tt, $r2:tt, $r3:tt, $r4:tt, $r5:tt,
     $nr:expr, $a:expr => $ret:ident) => {
        core::arch::asm!($insn, in($nr_reg) $nr, inlateout($r0) $a[0] as isize => $ret,
            in($r1) $a[1], in($r2) $a[2], in($r3) $a[3], in($r4) $a[4], in($r5) $a[5],
            options(nostack))
    };
}

/// The `syscall6` of a port without one (its six-register convention needs
/// a register the compiler reserves, such as i686's ebp or arm's r7 as
/// frame pointers): `-ENOSYS` without a call, and the callers do without.
#[allow(unused_macros)]
macro_rules! no_syscall6 {
    ($nr:expr, $a:expr => $ret:ident) => {{
        let _ = ($nr, $a);
        $ret = -(libc::ENOSYS as isize);
    }};
}

/// What the powerpc ports (32-bit, powerpc64le and through it ELFv1)
/// write alike: the moves of `clone` and `clone3` (fn into r30, arg into
/// r31, the kernel's arguments into r3-r7), the syscall tail, and
/// `syscall4`/`syscall6`: `sc`
/// flags an error in cr0.SO with a positive errno in r3, negated here into
/// the layer's `-errno`; it clobbers r0 and r4-r12 (the volatile registers
/// of the syscall ABI), cr0, ctr and xer.
#[allow(unused_macros)]
macro_rules! powerpc_template {
    (clone) => {
        concat!(
            "mr 30, 3\n",
            "mr 31, 6\n",
            "mr 3, 5\n",
            "mr 5, 7\n",
            "mr 6, 8\n",
            "mr 7, 9\n",
            "li 0, {nr}\n",
        )
    };
    (clone3) => {
        concat!("mr 30, 5\n", "mr 31, 6\n", "li 0, {nr}\n",)
    };
    // The syscall tail, given the port's restore of r30/r31 (and its frame)
    // and its word compare: 0 goes to the child, an error (cr0.SO) restores
    // and tail-calls on_error(-errno), a TID restores and returns.
    (syscall [$($restore:literal),*] $cmp:literal) => {
        concat!(
            ".cfi_endproc\n",
            "sc\n",
            "bns 1f\n",   // cr0.SO clear: not an error
            "neg 3, 3\n", // positive errno -> -errno
            $($restore,)*
            "b {on_error}\n",
            "1:\n",
            $cmp, " 3, 0\n",
            "bne 2f\n",
            "b {child}\n",
            "2:\n",
            $($restore,)*
            "blr\n",
        )
    };
    (syscall4 $nr:expr, $a:expr, $b:expr, $c:expr, $d:expr => $ret:ident) => {
        core::arch::asm!("sc", "bns+ 1f", "neg 3, 3", "1:",
                inlateout("r0") $nr => _, inlateout("r3") $a as isize => $ret,
                inlateout("r4") $b => _, inlateout("r5") $c => _, inlateout("r6") $d => _,
                lateout("r7") _, lateout("r8") _, lateout("r9") _, lateout("r10") _,
                lateout("r11") _, lateout("r12") _, lateout("ctr") _, lateout("xer") _,
                lateout("cr0") _, options(nostack))
    };
    (syscall6 $nr:expr, $a:expr => $ret:ident) => {
        core::arch::asm!("sc", "bns+ 1f", "neg 3, 3", "1:",
             inlateout("r0") $nr => _, inlateout("r3") $a[0] as isize => $ret,
             inlateout("r4") $a[1] => _, inlateout("r5") $a[2] => _, inlateout("r6") $a[3] => _,
             inlateout("r7") $a[4] => _, inlateout("r8") $a[5] => _,
             lateout("r9") _, lateout("r10") _, lateout("r11") _, lateout("r12") _,
             lateout("ctr") _, lateout("xer") _, lateout("cr0") _, options(nostack))
    };
}

#[cfg_attr(target_arch = "x86_64", path = "x86_64.rs")]
#[cfg_attr(target_arch = "x86", path = "x86.rs")]
#[cfg_attr(target_arch = "aarch64", path = "aarch64.rs")]
#[cfg_attr(target_arch = "arm", path = "arm.rs")]
#[cfg_attr(target_arch = "riscv64", path = "riscv64.rs")]
#[cfg_attr(
    all(target_arch = "powerpc64", target_endian = "little"),
    path = "powerpc64le.rs"
)]
#[cfg_attr(target_arch = "s390x", path = "s390x.rs")]
#[cfg_attr(
    all(target_arch = "powerpc64", target_endian = "big"),
    path = "powerpc64.rs"
)]
#[cfg_attr(target_arch = "powerpc", path = "powerpc.rs")]
#[cfg_attr(target_arch = "mips", path = "mips.rs")]
#[cfg_attr(target_arch = "mips64", path = "mips.rs")]
#[cfg_attr(target_arch = "sparc64", path = "sparc64.rs")]
#[cfg_attr(target_arch = "loongarch64", path = "loongarch64.rs")]
// `entry_point!` and the thread pointer serve only the C ABI.
#[cfg_attr(
    not(any(sched_clone_capi, cargo_c)),
    allow(unused_macros, unused_imports, dead_code)
)]
pub(crate) mod port;

#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv64",
    all(target_arch = "powerpc64", target_endian = "little"),
    target_arch = "s390x",
    all(target_arch = "powerpc64", target_endian = "big"),
    target_arch = "powerpc",
    target_arch = "mips",
    target_arch = "mips64",
    target_arch = "sparc64",
    target_arch = "loongarch64"
)))]
compile_error!(
    "sched_clone supports x86_64 (and x32), x86 (i686), aarch64, arm (ARMv5TE and later), riscv64, powerpc64le, s390x, powerpc64 (big-endian, ELFv1), powerpc, mips (o32), mips64 (n64), sparc64 and loongarch64"
);

// The x86 port carries `arg` into the child in xmm0 (the only general
// register clone leaves free is ebp, which carries `fn`).
#[cfg(all(target_arch = "x86", not(target_feature = "sse2")))]
compile_error!("sched_clone on x86 needs SSE2 (i686): the child receives `arg` in xmm0");

// The arm port needs ARMv5TE (`blx`; no `movw`, no VFP, no TPIDRURO read):
// on armv4t the assembler rejects `blx` ("instruction requires: armv5t").
// A `compile_error!` cannot say so earlier: stable rustc exposes no arm
// `target_feature` to `cfg` (`v5te`, `v6`, `vfp2` appear only on nightly).
// Tested: armv7 (gnueabihf), armv5te (gnueabi, soft-float, under an
// ARM926 in qemu-user) and armv6 (arm-unknown-linux-gnueabihf, VFPv2).

/// Defines a naked syscall function from the port's templates: `save`,
/// then `$template` (the moves for `$nr`), then `syscall`.
macro_rules! clone_function {
    ($(#[$m:meta])* $vis:vis fn $name:ident($($a:ident: $t:ty),* $(,)?) -> $ret:ty
        = $template:ident($nr:expr) else $on_error:path) => {
        $(#[$m])*
        #[unsafe(naked)]
        #[allow(clippy::too_many_arguments)]
        $vis unsafe extern "C" fn $name($($a: $t),*) -> $ret {
            core::arch::naked_asm!(
                port::template!(save),
                port::template!($template),
                port::template!(syscall),
                nr = const $nr,
                child = sym child,
                on_error = sym $on_error,
            )
        }
    };
}

clone_function! {
    /// The clone system call: `f(arg)` runs in the child on `stack`, a
    /// 16-byte aligned non-null stack top; returns the raw kernel result
    /// (the TID, or `-errno`). See the module docs for the contracts.
    ///
    /// # Safety
    /// The module's safety contract.
    pub(crate) fn raw_clone(f: ChildFn, stack: *mut c_void, flags: c_ulong, arg: *mut c_void,
        ptid: *mut libc::pid_t, tls: *mut c_void, ctid: *mut libc::pid_t) -> c_long
        = clone(libc::SYS_clone) else raw_result
}

clone_function! {
    /// [`raw_clone`] with the C convention: the TID, or `-1` with `errno`
    /// set (by `crate::capi::clone_failed`). `flags` is the C caller's
    /// `int` as it arrived: the kernel reads only its low 32 bits
    /// (`lower_32_bits` in `kernel/fork.c`), as glibc relies on.
    ///
    /// # Safety
    /// The module's safety contract.
    #[cfg(all(any(sched_clone_capi, cargo_c), not(sched_clone_musl)))]
    pub(crate) fn clone_or_errno(f: ChildFn, stack: *mut c_void, flags: core::ffi::c_int,
        arg: *mut c_void, ptid: *mut libc::pid_t, tls: *mut c_void, ctid: *mut libc::pid_t)
        -> core::ffi::c_int = clone(libc::SYS_clone) else crate::capi::clone_failed
}

clone_function! {
    /// The clone3 system call: `args` is a `struct clone_args` of `size`
    /// bytes; `f(arg)` runs in the child on `args->stack +
    /// args->stack_size` aligned down to 16 (or on the copy of the caller's
    /// stack when `args->stack` is 0). Returns the raw kernel result (the
    /// TID, or `-errno`).
    ///
    /// # Safety
    /// The module's safety contract, for the stack and pointers in `args`.
    pub(crate) fn raw_clone3(args: *mut c_void, size: usize, f: ChildFn, arg: *mut c_void)
        -> c_long = clone3(libc::SYS_clone3) else raw_result
}

/// The child's first instruction, where both syscalls land (the child
/// contract in the module docs).
#[unsafe(naked)]
unsafe extern "C" fn child() -> ! {
    core::arch::naked_asm!(port::template!(child), exit = const libc::SYS_exit)
}

/// The body of an exported naked C entry point: the port's `entry_asm!`,
/// which ends in a direct tail jump to `$target`. (Not on powerpc64 ELFv1,
/// whose exported functions are ordinary ones: see `src/capi.rs`.)
#[cfg(all(
    any(sched_clone_capi, cargo_c),
    not(all(target_arch = "powerpc64", target_endian = "big"))
))]
macro_rules! entry_point {
    ($target:path) => {
        core::arch::naked_asm!($crate::arch::template!(entry), target = sym $target)
    };
}
#[cfg(all(
    any(sched_clone_capi, cargo_c),
    not(all(target_arch = "powerpc64", target_endian = "big"))
))]
pub(crate) use entry_point;
#[cfg(all(
    any(sched_clone_capi, cargo_c),
    not(all(target_arch = "powerpc64", target_endian = "big"))
))]
pub(crate) use port::template;

/// The error tail of the raw functions: the kernel's `-errno`, unchanged.
extern "C" fn raw_result(ret: c_long) -> c_long {
    ret
}

/// A system call with up to four word arguments (unused ones 0), for code
/// that may touch neither `errno` nor thread-local storage nor any lock
/// (`crate::spawn`'s child, between clone and `execve`): the kernel's
/// result, `-errno` (`-4095..=-1`) on failure. Each port's `syscall4`
/// folds its error convention into that (powerpc64's cr0.SO flag) and
/// declares every register its syscall instruction changes, so that only
/// the result register differs afterwards; it touches no memory but what
/// the system call itself does.
///
/// # Safety
/// The system call's own contract: every pointer argument valid for the
/// use the kernel makes of it.
#[cfg_attr(not(feature = "std"), allow(dead_code))]
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: c_long, a: usize, b: usize, c: usize, d: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller's contract; the port's block names every register
    // its syscall instruction clobbers.
    unsafe { port::template!(syscall4 nr, a, b, c, d => ret) };
    ret
}

/// A system call with up to six word arguments, for the clone3 fallback's
/// questions to the kernel (its page size, the end of the user address
/// space, whether `set_tid` is readable) without importing anything from
/// libc: the kernel's result, `-errno` on failure; `-ENOSYS` without a
/// call on a port whose convention cannot be met in inline asm (its
/// `template!(syscall6)` says so), and the callers then do without.
///
/// # Safety
/// The call must be one whose arguments do not make the kernel write to
/// memory the caller does not own, or change state the program relies on.
pub(crate) unsafe fn syscall6(nr: c_long, a: [usize; 6]) -> c_long {
    let ret: isize;
    // SAFETY: the caller's contract; the port's block names every register
    // its syscall instruction clobbers.
    unsafe { port::template!(syscall6 nr, a => ret) };
    ret as c_long
}

/// The calling thread's thread pointer.
#[cfg(any(sched_clone_capi, cargo_c))]
#[inline(always)]
pub(crate) fn thread_pointer() -> usize {
    let tp: usize;
    // SAFETY: reads the thread pointer register, or on x86 the self pointer
    // at offset 0 of the thread's TLS segment, which every thread has.
    unsafe {
        core::arch::asm!(
            port::template!(thread_pointer),
            tp = out(reg) tp,
            options(nostack, preserves_flags, readonly),
        )
    };
    tp
}

/// Stores `V` at `offset` bytes from the calling thread's thread pointer
/// (wrapping): one segment-relative store on x86.
///
/// # Safety
/// That address must be valid for a 4-byte aligned write.
#[cfg(all(any(sched_clone_capi, cargo_c), not(sched_clone_musl)))]
#[inline(always)]
pub(crate) unsafe fn store_at_tp<const V: core::ffi::c_int>(offset: usize) {
    #[cfg(any(
        all(target_arch = "x86_64", target_pointer_width = "64"),
        target_arch = "x86"
    ))]
    // SAFETY: the caller's promise.
    unsafe {
        core::arch::asm!(
            port::template!(store_at_tp),
            offset = in(reg) offset,
            value = const V,
            options(nostack, preserves_flags),
        );
    }
    // (x32 too: its negative offset, zero-extended in a 64-bit address,
    // would miss; added to the 32-bit thread pointer it wraps as it must.)
    #[cfg(not(any(
        all(target_arch = "x86_64", target_pointer_width = "64"),
        target_arch = "x86"
    )))]
    // SAFETY: the caller's promise.
    unsafe {
        (thread_pointer().wrapping_add(offset) as *mut core::ffi::c_int).write(V)
    }
}

/// The calling thread's %gs segment selector: the GDT entry of its TLS
/// segment is `selector >> 3` (for musl's i386 `__clone`, which reuses it).
#[cfg(all(target_arch = "x86", sched_clone_musl))]
#[inline(always)]
pub(crate) fn gs_selector() -> u16 {
    let sel: u16;
    // SAFETY: reads a segment register; no memory, no flags.
    unsafe {
        core::arch::asm!(
            port::template!(gs_selector),
            sel = out(reg) sel,
            options(nomem, nostack, preserves_flags),
        )
    };
    sel
}

// The GNU property note that declares this object compatible with the
// architecture's landing pads and shadow stack (`port::GNU_PROPERTY`: a
// type and its bits). Without it, linking our staticlib into a program
// that enables them would switch them off for the whole program.
// (The 64-bit layout: 8-byte aligned, the property padded to 8; x32, an
// ELF32 ABI, gets the ELF32 one below.)
#[cfg(all(
    any(sched_clone_capi, cargo_c),
    any(target_arch = "x86_64", target_arch = "aarch64"),
    target_pointer_width = "64"
))]
core::arch::global_asm!(
    ".pushsection .note.gnu.property, \"a\"",
    ".p2align 3",
    ".long 4",  // n_namesz: "GNU\0"
    ".long 16", // n_descsz: one property, padded to 8
    ".long 5",  // NT_GNU_PROPERTY_TYPE_0
    ".asciz \"GNU\"",
    ".long {pr_type}",
    ".long 4",  // pr_datasz
    ".long {pr_bits}",
    ".long 0",  // pad to 8
    ".popsection",
    pr_type = const port::GNU_PROPERTY.0,
    pr_bits = const port::GNU_PROPERTY.1,
);

// x32's note, in the ELF32 layout (4-byte aligned, no padding), as gcc
// writes it there.
#[cfg(all(
    any(sched_clone_capi, cargo_c),
    target_arch = "x86_64",
    target_pointer_width = "32"
))]
core::arch::global_asm!(
    ".pushsection .note.gnu.property, \"a\"",
    ".p2align 2",
    ".long 4",  // n_namesz: "GNU\0"
    ".long 12", // n_descsz: one property
    ".long 5",  // NT_GNU_PROPERTY_TYPE_0
    ".asciz \"GNU\"",
    ".long {pr_type}",
    ".long 4", // pr_datasz
    ".long {pr_bits}",
    ".popsection",
    pr_type = const port::GNU_PROPERTY.0,
    pr_bits = const port::GNU_PROPERTY.1,
);
