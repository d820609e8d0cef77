//! The architecture-neutral half of every clone call: argument checks and
//! the translation of the raw kernel result. The other half, the syscall and
//! the child's first instructions, is `arch::raw_clone`.

use core::ffi::{c_int, c_uint, c_ulong, c_void};

use crate::Errno;
use crate::arch;

/// The function a clone child runs: `int fn(void *arg)`. Its return value
/// becomes the child's exit status.
pub type ChildFn = unsafe extern "C" fn(*mut c_void) -> c_int;

/// Every architecture we support wants at most 16-byte stack alignment, so
/// the stack top is aligned to 16 everywhere (glibc does the same on x86_64,
/// aarch64 and riscv64; 16 also satisfies arm's 8 and s390x's 8).
pub(crate) const STACK_ALIGN: usize = 16;

/// The child's initial stack pointer: `stack` aligned down to
/// [`STACK_ALIGN`], or `EINVAL` if that is NULL.
pub(crate) fn aligned_stack_top(stack: *mut c_void) -> Result<*mut c_void, Errno> {
    let misalignment = stack as usize % STACK_ALIGN;
    if stack as usize - misalignment == 0 {
        return Err(Errno::EINVAL);
    }
    Ok(stack.wrapping_byte_sub(misalignment))
}

/// clone()'s argument checks, the same for the C and the Rust API: a
/// `None` function, then a stack that is NULL once aligned, are `EINVAL`.
/// Returns the function and the aligned stack top.
// (x32: `{0}` names the 64-bit register of a 32-bit value; the template is
// a comment, so the name does not matter.)
#[cfg_attr(
    all(target_arch = "x86_64", target_pointer_width = "32"),
    allow(asm_sub_register)
)]
#[inline(always)]
pub(crate) fn checked_clone_args(
    f: Option<ChildFn>,
    stack: *mut c_void,
) -> Result<(ChildFn, *mut c_void), Errno> {
    let f = f.ok_or(Errno::EINVAL)?;
    // For the layout only: what follows goes on to a system call that costs
    // microseconds, so the NULL-`fn` error is the straight-line path and
    // costs as little as in glibc (one taken branch fewer).
    core::hint::cold_path();
    // An empty asm, no instruction: it keeps the compiler from merging the
    // two checks into one branch on flags computed without branches (four
    // more instructions on the success path of the C `clone`).
    let mut addr = stack.addr();
    // SAFETY: an empty template that only claims to read and write `addr`.
    unsafe {
        core::arch::asm!("/* {0} */", inout(reg) addr, options(pure, nomem, nostack, preserves_flags))
    };
    let stack = stack.with_addr(addr);
    Ok((f, aligned_stack_top(stack)?))
}

/// The top of a stack given as its lowest address and its size (the
/// `__clone2` convention), checked: a NULL base, a zero size and a range
/// that wraps around the address space are all `EINVAL`.
pub(crate) fn stack_top_from_base(base: *mut c_void, size: usize) -> Result<*mut c_void, Errno> {
    if base.is_null() || size == 0 {
        return Err(Errno::EINVAL);
    }
    (base as usize).checked_add(size).ok_or(Errno::EINVAL)?;
    aligned_stack_top(base.wrapping_byte_add(size))
}

/// glibc's `clone()`, with a Rust result: creates a child that runs
/// `f(arg)` on `stack` and exits with its return value.
///
/// `flags` holds the `CLONE_*` flags and, in its low byte, the termination
/// signal. `ptid`, `tls` and `ctid` are passed to the kernel as the flags
/// require. Returns the child's TID in the caller.
///
/// # Errors
/// `EINVAL` for a `None` function or a stack that is NULL once aligned
/// down to 16 bytes (checked before any syscall); otherwise whatever the
/// kernel answers.
///
/// # Safety
/// This is the raw clone(2) contract, with all its sharp edges:
/// - `stack` must point just past a region of writable memory large enough
///   for `f`, which must not be used by anyone else while the child runs.
/// - With `CLONE_VM`, the child shares the caller's memory: everything `f`
///   touches through `arg` must outlive the child, and `f` must not rely on
///   thread-local storage unless `CLONE_SETTLS` gives it a valid TLS block.
/// - `ptid`, `tls` and `ctid` must be valid for the use the flags make of
///   them (`ctid` for as long as `CLONE_CHILD_CLEARTID` may write it).
/// - In the child, only async-signal-safe operations are sound, as after
///   `fork()` in a multithreaded program.
#[allow(clippy::too_many_arguments)]
pub unsafe fn clone(
    f: Option<ChildFn>,
    stack: *mut c_void,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> Result<libc::pid_t, Errno> {
    let (f, top) = checked_clone_args(f, stack)?;
    // SAFETY: f is non-null and top is an aligned non-null stack pointer;
    // the caller upholds the rest of the clone contract (see # Safety).
    let ret = unsafe { arch::raw_clone(f, top, flags as c_uint as c_ulong, arg, ptid, tls, ctid) };
    Errno::from_syscall(ret).map(|tid| tid as libc::pid_t)
}

/// `__clone2()`: [`clone`] with the stack given as its lowest address and
/// its size (the ia64 convention, available on every architecture here).
///
/// # Errors
/// As [`clone`], and `EINVAL` for a NULL `stack_base`, a zero `stack_size`
/// or a `stack_base + stack_size` that overflows.
///
/// # Safety
/// As [`clone`], for the region `stack_base .. stack_base + stack_size`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn clone2(
    f: Option<ChildFn>,
    stack_base: *mut c_void,
    stack_size: usize,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> Result<libc::pid_t, Errno> {
    let f = f.ok_or(Errno::EINVAL)?;
    // For the layout only: what follows goes on to a system call that costs
    // microseconds, so the NULL-`fn` error is the straight-line path and
    // costs as little as in glibc (one taken branch fewer).
    core::hint::cold_path();
    let top = stack_top_from_base(stack_base, stack_size)?;
    // SAFETY: as in clone(); the top was computed and checked above.
    unsafe { clone(Some(f), top, flags, arg, ptid, tls, ctid) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;

    fn at(addr: usize) -> *mut c_void {
        ptr::without_provenance_mut(addr)
    }

    #[test]
    fn stack_top_is_aligned_down_to_16() {
        assert_eq!(aligned_stack_top(at(0x1000)), Ok(at(0x1000)));
        assert_eq!(aligned_stack_top(at(0x100f)), Ok(at(0x1000)));
        assert_eq!(aligned_stack_top(at(0x1011)), Ok(at(0x1010)));
    }

    #[test]
    fn stack_null_once_aligned_is_einval() {
        for addr in [0, 1, 8, 15] {
            assert_eq!(aligned_stack_top(at(addr)), Err(Errno::EINVAL), "{addr}");
        }
        assert_eq!(aligned_stack_top(at(16)), Ok(at(16)));
    }

    #[test]
    fn clone2_stack_checks() {
        assert_eq!(stack_top_from_base(at(0), 4096), Err(Errno::EINVAL));
        assert_eq!(stack_top_from_base(at(0x1000), 0), Err(Errno::EINVAL));
        assert_eq!(
            stack_top_from_base(at(usize::MAX - 15), 32),
            Err(Errno::EINVAL)
        );
        assert_eq!(stack_top_from_base(at(0x1000), 0x1008), Ok(at(0x2000)));
        // A base below 16 with a size that keeps the top below 16 is NULL
        // once aligned.
        assert_eq!(stack_top_from_base(at(4), 8), Err(Errno::EINVAL));
    }

    unsafe extern "C" fn never_runs(_: *mut c_void) -> c_int {
        unreachable!()
    }

    #[test]
    fn bad_arguments_fail_before_any_syscall() {
        // SAFETY: both calls fail their argument checks before the syscall.
        unsafe {
            let none = clone(
                None,
                at(0x1000),
                0,
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
            );
            assert_eq!(none, Err(Errno::EINVAL));
            let low = clone(
                Some(never_runs),
                at(15),
                0,
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
            );
            assert_eq!(low, Err(Errno::EINVAL));
        }
    }
}
