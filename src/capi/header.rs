//! The C prototypes and their documentation, as `include/sched_clone.h`
//! declares them: cbindgen reads this module, rustc never compiles it
//! (`#[cfg(any())]` in `src/capi.rs`). The definitions are the naked entry
//! points that `c_entry_points!` generates from the table in `src/capi.rs`;
//! `tests/header.rs` keeps the header fresh, and `c-tests/binary-checks.sh`
//! compiles it against `<sched.h>` in C and C++.

use core::ffi::{c_char, c_int, c_void};

use crate::clone3::CloneArgs;

/// int sched_clone3(const struct sched_clone_args *args, size_t size,
/// int (*fn)(void *), void *arg): clone3(2) with a function, see
/// sched_clone3(3). Creates a child that runs fn(arg) on the stack
/// args->stack .. args->stack + args->stack_size and exits (SYS_exit: the
/// thread only, stdio is not flushed) with fn's return value. Returns the
/// child's thread ID in the parent, or -1 with errno set. *args is only
/// read.
///
/// size is the size of the caller's argument block:
/// SCHED_CLONE_ARGS_SIZE_VER0 (64), _VER1 (80, set_tid) or _VER2 (88,
/// cgroup); a larger size is passed to the kernel, which requires the extra
/// bytes to be zero (E2BIG). Every clone3 feature passes through:
/// CLONE_PIDFD (the pidfd is stored at args->pidfd), CLONE_INTO_CGROUP,
/// set_tid, CLONE_CLEAR_SIGHAND, CLONE_NEWTIME and any exit_signal (0 for
/// none). With args->stack and args->stack_size both 0 (and no CLONE_VM),
/// the child runs on a copy of the caller's stack, as after fork().
///
/// Errors: clone3's own checks come first, in the kernel's order
/// (kernel/fork.c) and with its errors: EINVAL for a size below 64, E2BIG
/// for a size above a page or non-zero bytes past the known fields, EFAULT
/// for a NULL args or an unreadable set_tid array, EINVAL for invalid
/// fields, unknown flags, invalid flag combinations and a stack beyond the
/// user address space. Only a request the kernel would take is then refused
/// here, before any system call, with EINVAL: a NULL fn, CLONE_VM without a
/// stack, and a stack top (stack + stack_size) that wraps or is NULL once
/// aligned down to 16 bytes. Otherwise the kernel's error.
///
/// Fallback: when the kernel answers clone3 with ENOSYS (kernels before
/// 5.3, or a seccomp filter), or with EPERM (a seccomp filter; see
/// sched_clone3_set_eperm_fallback()), the request is carried out with the
/// legacy clone system call, after the same checks. ENOSYS is remembered
/// as a hint: later requests the legacy call can express go straight to it,
/// and one that needs clone3 still asks clone3 first (seccomp filters are
/// per thread). CLONE_PIDFD keeps working there (without
/// CLONE_PARENT_SETTID). What clone cannot express fails instead of being
/// dropped: -1/ENOSYS for CLONE_INTO_CGROUP, CLONE_CLEAR_SIGHAND,
/// CLONE_NEWTIME, a non-empty set_tid, and CLONE_PIDFD with
/// CLONE_PARENT_SETTID; under the EPERM fallback these return the kernel's
/// original EPERM.
///
/// Safety
/// ------
/// The caller keeps clone(2)'s rules: args points to size readable bytes;
/// the stack is writable memory that nothing else uses while the child
/// runs; every pointer in args is valid for the use its flag makes of it;
/// with CLONE_VM, everything fn uses must outlive the child.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sched_clone3(
    args: *const CloneArgs,
    size: usize,
    f: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    arg: *mut c_void,
) -> c_int {
    unreachable!()
}

/// int sched_clone3_set_eperm_fallback(int enabled): turns the fallback
/// of sched_clone3() from clone3 to the legacy clone after an EPERM on
/// (enabled != 0, the default) or off (0), for the whole process. Returns
/// the previous setting (1 or 0). See sched_clone3_set_eperm_fallback(3).
///
/// A seccomp filter that denies clone3 with EPERM would otherwise break
/// every call; but EPERM is also the kernel's answer to a request the
/// caller lacks privileges for, and a caller that wants clone3's own
/// answer turns this fallback off. The ENOSYS fallback is always on.
///
/// Safety
/// ------
/// None: any thread may call it at any time (the setting is atomic).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sched_clone3_set_eperm_fallback(enabled: c_int) -> c_int {
    unreachable!()
}

/// const char *sched_clone_version(void): the library's version as a
/// NUL-terminated string, e.g. "0.1.0"; the header's is
/// SCHED_CLONE_VERSION_MAJOR/MINOR/PATCH. See sched_clone_version(3).
///
/// Safety
/// ------
/// None: any thread may call it at any time; the string is static and
/// must not be written or freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sched_clone_version() -> *const c_char {
    unreachable!()
}
