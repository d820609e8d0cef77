//! `sched_clone`: the glibc `clone()` wrapper, reimplemented, and the
//! fn/arg clone3 wrapper no libc exports.
//!
//! As a C library (built with `--features capi`, no default features) it
//! exports `clone`, `__clone`, `__clone2`, `sched_clone3`,
//! `sched_clone3_set_eperm_fallback` and `sched_clone_version` with glibc's
//! ABI, so that it can be linked, or substituted with `LD_PRELOAD`, in place
//! of glibc's wrapper; `include/sched_clone.h` declares them.
//!
//! As a Rust crate it offers:
//! - the raw entry points as `unsafe` functions: [`clone`], [`clone2`] and
//!   [`clone3()`] (with its [`CloneArgs`]);
//! - a builder, [`Clone`](struct@Clone), that runs a closure in the child
//!   without touching the heap, safely for fork-like and vfork-like children
//!   ([`Clone::spawn`], [`Clone::spawn_on`]) and as `unsafe` for threads
//!   ([`Clone::spawn_on_slice`]), with [`CloneFlags`] for every `CLONE_*`
//!   flag, [`Stack`] (an mmap'ed stack with a guard page) and [`Child`]
//!   (pid, pidfd, [`wait`](Child::wait));
//! - the fallback from clone3 to clone(2) when the kernel or a seccomp
//!   filter refuses clone3 (see [`clone3()`]), and its switch,
//!   [`set_eperm_fallback`].
//!
//! ```
//! use sched_clone::{Clone, CloneFlags, Stack};
//!
//! // A fork-like child running a closure on its own guarded stack.
//! let mut stack = Stack::new(64 * 1024)?;
//! let greeting = "hello";
//! let mut child = Clone::new(CloneFlags::empty())
//!     .pidfd(true)
//!     .spawn_on(&mut stack, || greeting.len() as i32)?;
//! assert_eq!(child.wait()?.code(), Some(5));
//! # Ok::<(), sched_clone::Errno>(())
//! ```
//!
//! Everything architecture-specific is a small assembly trampoline in
//! `src/arch/`; argument checks, `errno`, the clone3 fallback and the flag
//! table live once, outside it.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

#[cfg(feature = "std")]
extern crate std;

#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64.rs")]
#[cfg_attr(target_arch = "x86", path = "arch/x86.rs")]
#[cfg_attr(target_arch = "aarch64", path = "arch/aarch64.rs")]
#[cfg_attr(target_arch = "arm", path = "arch/arm.rs")]
#[cfg_attr(target_arch = "riscv64", path = "arch/riscv64.rs")]
#[cfg_attr(
    all(target_arch = "powerpc64", target_endian = "little"),
    path = "arch/powerpc64le.rs"
)]
#[cfg_attr(target_arch = "s390x", path = "arch/s390x.rs")]
// `entry_point!` serves only the C ABI.
#[cfg_attr(not(feature = "capi"), allow(unused_macros, unused_imports))]
mod arch;

#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv64",
    all(target_arch = "powerpc64", target_endian = "little"),
    target_arch = "s390x"
)))]
compile_error!(
    "sched_clone supports x86_64, x86 (i686), aarch64, arm (armv7), riscv64, powerpc64le and s390x"
);

#[cfg(not(target_os = "linux"))]
compile_error!("sched_clone is a Linux library");

mod api;
mod clone3;
// `c_result` and `Errno::set` serve only the C ABI.
#[cfg_attr(not(feature = "capi"), allow(dead_code))]
mod errno;
mod flags;
mod raw;
mod stack;
mod syscall;

#[cfg(feature = "capi")]
pub mod capi;

pub use api::{Child, Clone, ExitStatus};
pub use clone3::{
    CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER1, CLONE_ARGS_SIZE_VER2, CloneArgs, clone3,
    set_eperm_fallback,
};
pub use errno::Errno;
pub use flags::CloneFlags;
pub use raw::{ChildFn, clone, clone2};
pub use stack::Stack;

/// The library's version, as a NUL-terminated string (`"0.1.0"`).
pub const VERSION: &core::ffi::CStr = {
    match core::ffi::CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes())
    {
        Ok(v) => v,
        Err(_) => panic!("version string has an interior NUL"),
    }
};

/// Without std, nothing else provides a panic handler for the `cdylib` and
/// `staticlib` builds. Our own code never panics on a reachable path; if it
/// ever did, aborting is the only answer that cannot unwind into C.
#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: abort() takes no arguments and never returns.
    unsafe { libc::abort() }
}

/// Without LTO, the precompiled `core` pulled into a `no_std` cdylib refers
/// to `rust_eh_personality` even under `panic = "abort"`. Nothing can unwind
/// here (the panic handler aborts first), so the symbol only has to exist; it
/// is defined hidden, in assembly, so that it is never exported.
#[cfg(not(feature = "std"))]
extern "C" fn eh_personality_unreachable() -> ! {
    // SAFETY: abort() takes no arguments and never returns.
    unsafe { libc::abort() }
}

#[cfg(not(feature = "std"))]
core::arch::global_asm!(
    ".globl rust_eh_personality",
    ".hidden rust_eh_personality",
    ".set rust_eh_personality, {f}",
    f = sym eh_personality_unreachable,
);
