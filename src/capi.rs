//! The C ABI: what `libsched_clone.so` and `libsched_clone.a` export.
//!
//! Each exported symbol is a naked entry point (the architecture's
//! `entry_point!`: a landing pad for CET/BTI, then a direct jump) in front of
//! an `extern "C"` function that does the work; `c_entry_points!` generates
//! them all from the one table below. The jump is direct, never through the
//! PLT, so that our own entry points always reach our own code, even in a
//! `dlopen(RTLD_LOCAL)` copy. The C prototypes and their documentation, as
//! the header declares them, are in `src/capi/header.rs` (read by cbindgen
//! only).
//!
//! `clone` and `__clone2` are variadic in glibc's prototypes; the trailing
//! pointers arrive exactly as fixed arguments would on every Linux ABI we
//! support, so fixed-argument definitions read them correctly.
//!
//! `clone`'s parent path is as short as glibc's: the entry jumps to
//! `clone_impl`, which makes the architecture-neutral checks and tail-calls
//! `arch::clone_or_errno` with its own arguments in the same order, whose
//! error tail is `clone_failed`. `errno` is written through a cached
//! offset from the thread pointer (see `set_errno`).
//!
//! Built with `--cfg sched_clone_musl` as well (the archive a musl build
//! links), `clone` and `__clone` follow musl's ABI instead: see
//! `capi/musl.rs`.

use core::ffi::{c_char, c_int, c_long, c_void};
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::arch;
use crate::clone3::CloneArgs;
use crate::errno::c_result;
use crate::raw::ChildFn;

// cbindgen's view of the exported prototypes; never compiled.
#[cfg(any())]
mod header;
// musl's ABI for clone and __clone (`--cfg sched_clone_musl`).
#[cfg(sched_clone_musl)]
mod musl;

/// Generates the exported naked entry points: `name(args) -> ret => target`
/// exports `name`, which jumps to `target` with the caller's arguments.
macro_rules! c_entry_points {
    ($($(#[$doc:meta])* fn $name:ident($($a:ident: $t:ty),* $(,)?) -> $ret:ty => $target:path;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// The contract of the C prototype (see `include/sched_clone.h`, and
        /// [`crate::clone`] for clone(2)'s).
        #[cfg(not(all(target_arch = "powerpc64", target_endian = "big")))]
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name($($a: $t),*) -> $ret {
            arch::entry_point!($target)
        }
        // powerpc64 ELFv1: a C caller calls through the symbol's function
        // descriptor, which rustc emits for ordinary functions only (not
        // naked ones); the body is a direct call of the target. A section
        // of its own per name keeps LLVM from merging identical bodies
        // (`clone`, `__clone`) into one address: they stay two entry points.
        $(#[$doc])*
        ///
        /// # Safety
        /// The contract of the C prototype (see `include/sched_clone.h`, and
        /// [`crate::clone`] for clone(2)'s).
        #[cfg(all(target_arch = "powerpc64", target_endian = "big"))]
        #[unsafe(no_mangle)]
        #[unsafe(link_section = concat!(".text.", stringify!($name)))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name($($a: $t),*) -> $ret {
            // SAFETY: the caller's contract, passed on unchanged.
            unsafe { $target($($a),*) }
        }
    )*};
}

c_entry_points! {
    /// `int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...
    /// /* pid_t *ptid, void *tls, pid_t *ctid */)`, as glibc's.
    #[cfg(not(sched_clone_musl))]
    fn clone(f: Option<ChildFn>, stack: *mut c_void, flags: c_int, arg: *mut c_void,
        ptid: *mut libc::pid_t, tls: *mut c_void, ctid: *mut libc::pid_t) -> c_int => clone_impl;
    /// `clone`, as musl's (see `capi/musl.rs`).
    #[cfg(sched_clone_musl)]
    fn clone(f: Option<ChildFn>, stack: *mut c_void, flags: c_int, arg: *mut c_void,
        ptid: *mut libc::pid_t, tls: *mut c_void, ctid: *mut libc::pid_t) -> c_int => musl::musl_public_clone_impl;
    /// `__clone`: glibc's other name for [`clone`].
    #[cfg(not(sched_clone_musl))]
    fn __clone(f: Option<ChildFn>, stack: *mut c_void, flags: c_int, arg: *mut c_void,
        ptid: *mut libc::pid_t, tls: *mut c_void, ctid: *mut libc::pid_t) -> c_int => clone_impl;
    /// `__clone` with musl's internal contract (see `capi/musl.rs`).
    #[cfg(sched_clone_musl)]
    fn __clone(f: Option<ChildFn>, stack: *mut c_void, flags: c_int, arg: *mut c_void,
        ptid: *mut libc::pid_t, tls: *mut c_void, ctid: *mut libc::pid_t) -> c_int => musl::musl_clone_impl;
    /// `int __clone2(int (*fn)(void *), void *stack_base, size_t stack_size,
    /// int flags, void *arg, ... /* pid_t *ptid, void *tls, pid_t *ctid */)`.
    fn __clone2(f: Option<ChildFn>, stack_base: *mut c_void, stack_size: usize, flags: c_int,
        arg: *mut c_void, ptid: *mut libc::pid_t, tls: *mut c_void, ctid: *mut libc::pid_t)
        -> c_int => clone2_impl;
    /// `sched_clone3`: clone3(2) with a function (documented in the header).
    fn sched_clone3(args: *const CloneArgs, size: usize, f: Option<ChildFn>, arg: *mut c_void)
        -> c_int => clone3_impl;
    /// `sched_clone3_set_eperm_fallback` (documented in the header).
    fn sched_clone3_set_eperm_fallback(enabled: c_int) -> c_int => set_eperm_fallback_impl;
    /// `sched_clone_version`: the library's version (documented in the header).
    fn sched_clone_version() -> *const c_char => version_impl;
}

// glibc's clone and __clone (musl's are in `capi/musl.rs`).
#[cfg(not(sched_clone_musl))]
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn clone_impl(
    f: Option<ChildFn>,
    stack: *mut c_void,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_int {
    match crate::raw::checked_clone_args(f, stack) {
        // SAFETY: the checks passed; the C caller takes on clone(2)'s
        // contract, as with glibc. The arguments keep their registers and
        // stack slot, so this is a tail call.
        Ok((f, top)) => unsafe { arch::clone_or_errno(f, top, flags, arg, ptid, tls, ctid) },
        Err(_) => {
            set_errno::<{ libc::EINVAL }>();
            -1
        }
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn clone2_impl(
    f: Option<ChildFn>,
    stack_base: *mut c_void,
    stack_size: usize,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_int {
    // SAFETY: as in clone_impl.
    c_result(unsafe { crate::clone2(f, stack_base, stack_size, flags, arg, ptid, tls, ctid) })
}

unsafe extern "C" fn clone3_impl(
    args: *const CloneArgs,
    size: usize,
    f: Option<ChildFn>,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: the C caller takes on sched_clone3's contract (see its docs).
    c_result(unsafe { crate::clone3(args, size, f, arg) })
}

unsafe extern "C" fn set_eperm_fallback_impl(enabled: c_int) -> c_int {
    crate::set_eperm_fallback(enabled != 0) as c_int
}

unsafe extern "C" fn version_impl() -> *const c_char {
    crate::VERSION.as_ptr()
}

/// The error tail of `arch::clone_or_errno`: `ret` is the kernel's
/// `-errno`; sets `errno` and returns -1.
pub(crate) extern "C" fn clone_failed(ret: c_long) -> c_int {
    set_errno_slow(-ret as c_int);
    -1
}

/// Whether `errno` lives at a fixed offset from the thread pointer, the
/// same in every thread: true of glibc (`errno` is initial-exec TLS, in the
/// static TLS block) and musl (a field of the thread descriptor), the
/// C libraries of the targets we build for. Off on arm, where ARMv6 cores
/// before ARMv6K have no thread-pointer register to read (the C library
/// asks the kernel's helper instead).
const ERRNO_AT_TP_OFFSET: bool = cfg!(all(
    any(target_env = "gnu", target_env = "musl"),
    not(target_arch = "arm")
));

/// `errno`'s address minus the thread pointer, learnt from the first call
/// of `__errno_location()`; 0 until then (no C library keeps `errno` at the
/// thread pointer itself, where its TCB starts).
static ERRNO_OFFSET: AtomicUsize = AtomicUsize::new(0);

/// Sets the calling thread's `errno` to `E`, the wrappers' own error: one
/// store of a constant through the thread pointer once the offset is known
/// (as glibc's wrappers store it through theirs), otherwise through
/// `__errno_location()`.
#[cfg(not(sched_clone_musl))]
#[inline(always)]
fn set_errno<const E: c_int>() {
    let offset = ERRNO_OFFSET.load(Ordering::Relaxed);
    if ERRNO_AT_TP_OFFSET && offset != 0 {
        // SAFETY: `thread_pointer() + offset` is this thread's errno (see
        // ERRNO_AT_TP_OFFSET), an int slot valid for the thread's life.
        unsafe { arch::store_at_tp::<E>(offset) }
    } else {
        set_errno_slow(E)
    }
}

/// Sets `errno` through `__errno_location()`, and learns its offset from
/// the thread pointer.
#[cold]
#[inline(never)]
fn set_errno_slow(e: c_int) {
    // SAFETY: __errno_location() returns the calling thread's errno slot,
    // valid for the life of the thread.
    let slot = unsafe { libc::__errno_location() };
    if ERRNO_AT_TP_OFFSET {
        let offset = (slot as usize).wrapping_sub(arch::thread_pointer());
        ERRNO_OFFSET.store(offset, Ordering::Relaxed);
    }
    // SAFETY: as above.
    unsafe { *slot = e }
}
