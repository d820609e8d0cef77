//! The C ABI: what `libsched_clone.so` and `libsched_clone.a` export.
//!
//! Each exported symbol is a naked entry point (a landing pad for CET/BTI,
//! then a direct jump) in front of an `extern "C"` function that does the
//! work. The jump is direct, never through the PLT, so that our own entry
//! points always reach our own code, even in a `dlopen(RTLD_LOCAL)` copy.
//!
//! `clone` and `__clone2` are variadic in glibc's prototypes; the trailing
//! pointers arrive exactly as fixed arguments would on every Linux ABI we
//! support, so fixed-argument definitions read them correctly.

use core::ffi::{c_char, c_int, c_void};

use crate::arch::entry_point;
use crate::errno::c_result;
use crate::raw::ChildFn;

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
    // SAFETY: the C caller takes on clone(2)'s contract, as with glibc.
    c_result(unsafe { crate::clone(f, stack, flags, arg, ptid, tls, ctid) })
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

/// `int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...
/// /* pid_t *ptid, void *tls, pid_t *ctid */)`, as glibc's.
///
/// # Safety
/// clone(2)'s contract: see [`crate::clone`].
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clone(
    f: Option<ChildFn>,
    stack: *mut c_void,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_int {
    entry_point!(clone_impl)
}

/// `__clone`: glibc's other name for [`clone`].
///
/// # Safety
/// As [`clone`].
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __clone(
    f: Option<ChildFn>,
    stack: *mut c_void,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_int {
    entry_point!(clone_impl)
}

/// `int __clone2(int (*fn)(void *), void *stack_base, size_t stack_size,
/// int flags, void *arg, ... /* pid_t *ptid, void *tls, pid_t *ctid */)`.
///
/// # Safety
/// As [`clone`], for the region `stack_base .. stack_base + stack_size`.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __clone2(
    f: Option<ChildFn>,
    stack_base: *mut c_void,
    stack_size: usize,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_int {
    entry_point!(clone2_impl)
}

unsafe extern "C" fn version_impl() -> *const c_char {
    crate::VERSION.as_ptr()
}

/// The library's version as a NUL-terminated string, e.g. `"0.1.0"`.
///
/// # Safety
/// Always safe to call (it is `unsafe` only because it is a naked entry
/// point); the string is static.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sched_clone_version() -> *const c_char {
    entry_point!(version_impl)
}
