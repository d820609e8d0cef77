//! `sched_clone`: the glibc `clone()` wrapper, reimplemented, and the
//! fn/arg clone3 wrapper no libc exports.
//!
//! As a C library (built by the Makefile with `--cfg sched_clone_capi`, or
//! by cargo-c, no default features) it exports `clone`, `__clone`,
//! `__clone2`, `sched_clone3`, `sched_clone3_set_eperm_fallback` and
//! `sched_clone_version` with glibc's ABI; `include/sched_clone.h` declares
//! them. The rlib never exports them, whatever features are on, and never
//! defines a panic handler: a `no_std` program (a Rust libc) that depends on
//! it with `default-features = false` brings its own.
//!
//! As a Rust crate it offers:
//! - [`Command`] (with `std`): start a program, in new namespaces if asked,
//!   vfork-fast and safely: path, argv, environment, posix_spawn-style file
//!   actions, user-namespace ID maps, a pidfd, the exec error as `Err`;
//! - [`CloneBuilder`], which runs a closure in the child without touching
//!   the heap, with [`CloneFlags`] for every `CLONE_*` flag, [`Stack`] (an
//!   mmap'ed stack with a guard page) and [`Child`] (pid, pidfd,
//!   [`wait`](Child::wait), [`try_wait`](Child::try_wait),
//!   [`kill`](Child::kill));
//! - the raw entry points as `unsafe` functions: [`clone`], [`clone2`] and
//!   [`clone3()`] (with its [`CloneArgs`]), and the clone3 fallback switch
//!   [`set_eperm_fallback`];
//! - [`Errno`]: every Linux error number, `strerror`-style `Display`,
//!   `From<Errno> for std::io::Error`.
//!
//! # Safety: where the line is
//! No safe function here lets safe code cause undefined behaviour, in a
//! single- or multithreaded program, I/O safety included. What a child may
//! soundly do depends on what it shares with its parent, so:
//! - **Safe**: [`Command`]. Its child runs only this crate's code between
//!   clone and `execve` (raw system calls, no allocation, locks or
//!   thread-local storage), with every signal blocked until the parent's
//!   handlers are reset, and leaves with `_exit` on failure.
//! - **`unsafe`: every closure-running spawn** ([`CloneBuilder::spawn`],
//!   [`spawn_on`](CloneBuilder::spawn_on),
//!   [`spawn_on_slice`](CloneBuilder::spawn_on_slice)).
//!   - A `CLONE_VM` child runs arbitrary code in the parent's memory and on
//!     its thread-local storage but with its own descriptor table, signal
//!     dispositions and exit path: storing a descriptor, calling `exit`,
//!     panicking there corrupts the parent (I/O safety, `atexit` state, the
//!     panic count). The type system cannot tell such a closure from a
//!     harmless one, so the caller promises (the rule of vfork(2)).
//!   - A fork-like child of a process that may have other threads gets a
//!     copy of memory that those threads may have left mid-update (locks
//!     held, the allocator's state): only async-signal-safe code is sound
//!     there. That is why `nix::unistd::fork`, rustix's `kernel_fork` and
//!     std's `CommandExt::pre_exec` are `unsafe`; a library cannot know
//!     that the process has no other thread, so this one is too.
//! - After a fork-like spawn the parent drops its own copy of the closure
//!   (fork semantics: both processes own independent copies).
//!
//! ```
//! use sched_clone::{CloneBuilder, CloneFlags, Command, Stack};
//!
//! // A program, safely.
//! assert!(Command::new("/bin/true").status()?.success());
//!
//! // A fork-like child running a closure on its own guarded stack.
//! let mut stack = Stack::new(64 * 1024)?;
//! let greeting = "hello";
//! // SAFETY: the child only computes a length (async-signal-safe).
//! let mut child = unsafe {
//!     CloneBuilder::new(CloneFlags::empty())
//!         .pidfd(true)
//!         .spawn_on(&mut stack, || greeting.len() as i32)?
//! };
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
// mips and sparc64 asm! is unstable (the targets need -Zbuild-std with
// Debian's rustc and RUSTC_BOOTSTRAP anyway).
#![cfg_attr(
    any(target_arch = "mips", target_arch = "mips64", target_arch = "sparc64"),
    feature(asm_experimental_arch)
)]

#[cfg(feature = "std")]
extern crate std;

// The architecture layer: the table of ports is in src/arch/mod.rs.
mod arch;

#[cfg(not(target_os = "linux"))]
compile_error!("sched_clone is a Linux library");

mod api;
mod clone3;
// `c_result` and `Errno::set` serve only the C ABI.
#[cfg_attr(not(any(sched_clone_capi, cargo_c)), allow(dead_code))]
mod errno;
mod flags;
mod raw;
#[cfg(feature = "std")]
mod spawn;
mod stack;

#[cfg(any(sched_clone_capi, cargo_c))]
pub mod capi;

pub use api::{Child, CloneBuilder, ExitStatus};
pub use clone3::{
    CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER1, CLONE_ARGS_SIZE_VER2, CloneArgs, clone3,
    set_eperm_fallback,
};
pub use errno::Errno;
pub use flags::CloneFlags;
pub use raw::{ChildFn, clone, clone2};
#[cfg(feature = "std")]
pub use spawn::Command;
pub use stack::Stack;

/// The library's version, as a NUL-terminated string (`"0.1.0"`).
pub const VERSION: &core::ffi::CStr = {
    match core::ffi::CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes())
    {
        Ok(v) => v,
        Err(_) => panic!("version string has an interior NUL"),
    }
};

/// The C library (`--cfg sched_clone_capi`, or cargo-c's `cargo_c`, built
/// without std) is the final artifact, so it must bring its own panic
/// handler. Our own code never panics on a reachable path; if it ever did,
/// aborting is the only answer that cannot unwind into C. The rlib never
/// defines one: a `no_std` program that depends on us brings its own.
#[cfg(all(any(sched_clone_capi, cargo_c), not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: abort() takes no arguments and never returns.
    unsafe { libc::abort() }
}

/// Without LTO, the precompiled `core` pulled into a `no_std` cdylib refers
/// to `rust_eh_personality` even under `panic = "abort"`. Nothing can unwind
/// here (the panic handler aborts first), so the symbol only has to exist.
/// It is defined in assembly, hidden (never exported from the `.so`) and
/// weak: a C program that links our staticlib beside another Rust
/// staticlib, whose std defines the real routine, gets that one and no
/// `multiple definition` error.
#[cfg(all(any(sched_clone_capi, cargo_c), not(feature = "std")))]
extern "C" fn eh_personality_unreachable() -> ! {
    // SAFETY: abort() takes no arguments and never returns.
    unsafe { libc::abort() }
}

#[cfg(all(any(sched_clone_capi, cargo_c), not(feature = "std")))]
core::arch::global_asm!(
    ".weak rust_eh_personality",
    ".hidden rust_eh_personality",
    ".set rust_eh_personality, {f}",
    f = sym eh_personality_unreachable,
);
