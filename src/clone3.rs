//! clone3 with a function and an argument, and its fallback to clone(2).
//!
//! Everything here is architecture-neutral: the argument checks, the
//! decision to fall back, the `ENOSYS` cache, the translation of a
//! `struct clone_args` into the legacy call and the switch that turns the
//! `EPERM` fallback off. The architecture provides `raw_clone3` and
//! `raw_clone`. The fallback is documented on [`clone3`].

use core::ffi::{c_long, c_ulong, c_void};
use core::mem::{offset_of, size_of};
use core::sync::atomic::{AtomicBool, Ordering};

use crate::Errno;
use crate::arch;
use crate::flags::{CSIGNAL, CloneFlags};
use crate::raw::{ChildFn, STACK_ALIGN, aligned_stack_top};

/// The argument block of clone3: the kernel's `struct clone_args`, field
/// for field; every field is a 64-bit integer, pointers included, on every
/// architecture. In C it is `struct sched_clone_args`.
///
/// The kernel has published three sizes of it; pass the one that covers
/// the fields you use (a larger one is fine: trailing fields that are zero
/// mean "not used"): 64 bytes (up to `tls`, Linux 5.3), 80 (adds `set_tid`
/// and `set_tid_size`, Linux 5.5) and 88 (adds `cgroup`, Linux 5.7), named
/// `CLONE_ARGS_SIZE_VER0/1/2` in Rust and `SCHED_CLONE_ARGS_SIZE_VER0/1/2`
/// in C.
// align(8): the kernel's fields are `__aligned_u64`, 8-byte aligned even
// where a u64 is not (i386, whose u64 alignment is 4).
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CloneArgs {
    /// `CLONE_*` flags; no exit signal in here (its bits are rejected).
    pub flags: u64,
    /// With `CLONE_PIDFD`: where the kernel stores the child's pidfd (an
    /// `int *`).
    pub pidfd: u64,
    /// With `CLONE_CHILD_SETTID`/`CLONE_CHILD_CLEARTID`: the child's TID
    /// slot in the child's memory (a `pid_t *`).
    pub child_tid: u64,
    /// With `CLONE_PARENT_SETTID`: the child's TID slot in the parent's
    /// memory (a `pid_t *`).
    pub parent_tid: u64,
    /// The signal sent to the parent when the child terminates (0: none).
    pub exit_signal: u64,
    /// The lowest address of the child's stack, or 0 (with `stack_size` 0)
    /// for a child that runs on a copy of the caller's stack (not allowed
    /// with `CLONE_VM`).
    pub stack: u64,
    /// The size of the child's stack in bytes.
    pub stack_size: u64,
    /// With `CLONE_SETTLS`: the child's thread pointer (on i386, a
    /// `struct user_desc *`).
    pub tls: u64,
    /// A `pid_t` array of `set_tid_size` PIDs for the child, innermost PID
    /// namespace first (`CLONE_NEWPID` adds a level).
    pub set_tid: u64,
    /// The number of entries in `set_tid` (at most 32).
    pub set_tid_size: u64,
    /// With `CLONE_INTO_CGROUP`: a file descriptor of the target cgroup v2
    /// directory.
    pub cgroup: u64,
}

/// The size of the first published `struct clone_args` (up to `tls`).
pub const CLONE_ARGS_SIZE_VER0: usize = 64;
/// The size of `struct clone_args` with `set_tid` and `set_tid_size`.
pub const CLONE_ARGS_SIZE_VER1: usize = 80;
/// The size of `struct clone_args` with `cgroup`: the size of
/// `struct sched_clone_args`, the largest this library knows.
pub const CLONE_ARGS_SIZE_VER2: usize = 88;

const _: () = {
    assert!(size_of::<CloneArgs>() == CLONE_ARGS_SIZE_VER2);
    assert!(core::mem::align_of::<CloneArgs>() == 8);
    assert!(offset_of!(CloneArgs, flags) == 0);
    assert!(offset_of!(CloneArgs, pidfd) == 8);
    assert!(offset_of!(CloneArgs, child_tid) == 16);
    assert!(offset_of!(CloneArgs, parent_tid) == 24);
    assert!(offset_of!(CloneArgs, exit_signal) == 32);
    assert!(offset_of!(CloneArgs, stack) == 40);
    assert!(offset_of!(CloneArgs, stack_size) == 48);
    assert!(offset_of!(CloneArgs, tls) == 56);
    assert!(offset_of!(CloneArgs, set_tid) == 64);
    assert!(offset_of!(CloneArgs, set_tid_size) == 72);
    assert!(offset_of!(CloneArgs, cgroup) == 80);
    assert!(offset_of!(CloneArgs, tls) + 8 == CLONE_ARGS_SIZE_VER0);
    assert!(offset_of!(CloneArgs, set_tid_size) + 8 == CLONE_ARGS_SIZE_VER1);
    assert!(offset_of!(CloneArgs, cgroup) + 8 == CLONE_ARGS_SIZE_VER2);
};

/// The most PID namespace levels `set_tid` may name (the kernel's
/// `MAX_PID_NS_LEVEL`).
const MAX_PID_NS_LEVEL: u64 = 32;

/// The highest valid signal number (the kernel's `_NSIG`: 128 on mips, 64
/// on every other architecture we support).
const MAX_SIGNAL: u64 = if cfg!(any(target_arch = "mips", target_arch = "mips64")) {
    128
} else {
    64
};

/// Set once the kernel has answered clone3 with `ENOSYS`: later calls go
/// straight to clone(2).
static CLONE3_ENOSYS: AtomicBool = AtomicBool::new(false);

/// Whether an `EPERM` from clone3 is retried with clone(2) (the default).
static EPERM_FALLBACK: AtomicBool = AtomicBool::new(true);

/// Turns the fallback to clone(2) after an `EPERM` from clone3 on or off
/// for the whole process; returns the previous setting. It is on by
/// default.
///
/// A seccomp filter that denies clone3 with `EPERM` (as some container
/// profiles do) would otherwise break every call; but `EPERM` is also the
/// kernel's answer to a request the caller is not privileged for, and a
/// caller that wants to see that answer from clone3 itself turns the
/// fallback off. The `ENOSYS` fallback is always on.
///
/// ```
/// let was = sched_clone::set_eperm_fallback(false);
/// assert!(was); // on by default
/// sched_clone::set_eperm_fallback(was);
/// ```
pub fn set_eperm_fallback(enabled: bool) -> bool {
    EPERM_FALLBACK.swap(enabled, Ordering::Relaxed)
}

/// clone3 with a function: creates a child that runs `f(arg)` on the stack
/// `args.stack .. args.stack + args.stack_size` and exits (SYS_exit) with
/// its return value. Returns the child's TID in the caller.
///
/// `size` is the size of the argument block the caller passes; a size
/// larger than [`CLONE_ARGS_SIZE_VER2`] is passed through to the kernel,
/// which requires the extra bytes to be zero (`E2BIG` otherwise).
///
/// # Errors
/// The kernel's answer, or the fallback's (see below). Without a syscall,
/// and only for a request the kernel would take (otherwise the kernel's
/// errno, see the next paragraph): `EINVAL` for a `None` function,
/// `CLONE_VM` without a stack, a stack whose top (`stack + stack_size`) is
/// NULL once aligned down to 16 bytes, and one whose range wraps around the
/// address space (which only s390x's kernel would take).
///
/// Whatever this function answers without the kernel, it answers as clone3
/// would, in the kernel's order of checks (`kernel/fork.c`): `E2BIG` for a
/// `size` above the page size, `EINVAL` for one below
/// [`CLONE_ARGS_SIZE_VER0`], `EFAULT` for a NULL `args`, `E2BIG` for
/// non-zero bytes past the fields this library knows, then `EINVAL` for
/// an inconsistent `set_tid`/`set_tid_size`, an exit signal above 64,
/// `CLONE_INTO_CGROUP` with a `size` below 88 or a `cgroup` above
/// `INT_MAX`, then `EFAULT` for a `set_tid` array that is not readable
/// (asked of the kernel without touching it, through the port's
/// `syscall6`; on i686, which has none, it is the caller's contract), then `EINVAL` for an
/// unknown flag, exit-signal bits or `CLONE_DETACHED` in
/// `flags`, `CLONE_SIGHAND` with `CLONE_CLEAR_SIGHAND`, an exit signal with
/// `CLONE_THREAD` or `CLONE_PARENT`, a stack given by only one of
/// `stack`/`stack_size` or not inside the user address space, and
/// `CLONE_PIDFD` with `CLONE_PARENT_SETTID` and `pidfd == parent_tid`.
///
/// ```
/// use std::ffi::c_void;
/// use sched_clone::{CloneArgs, CloneFlags, Stack, clone3};
///
/// unsafe extern "C" fn child(arg: *mut c_void) -> i32 {
///     arg as usize as i32
/// }
///
/// let stack = Stack::new(64 * 1024)?;
/// let mut pidfd = -1;
/// let args = CloneArgs {
///     flags: CloneFlags::CLONE_PIDFD.bits(),
///     pidfd: &raw mut pidfd as u64,
///     exit_signal: libc::SIGCHLD as u64,
///     stack: stack.base() as u64,
///     stack_size: stack.len() as u64,
///     ..CloneArgs::default()
/// };
/// // SAFETY: a complete argument block, a stack nothing else uses, a pidfd
/// // slot; the child only returns.
/// let pid = unsafe { clone3(&args, size_of::<CloneArgs>(), Some(child), 7 as *mut c_void)? };
/// assert!(pidfd >= 0);
/// let mut status = 0;
/// // SAFETY: a valid status pointer.
/// assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
/// assert_eq!(libc::WEXITSTATUS(status), 7);
/// # unsafe { libc::close(pidfd) };
/// # Ok::<(), sched_clone::Errno>(())
/// ```
///
/// # Fallback
/// When the kernel answers clone3 with `ENOSYS` (a kernel older than 5.3,
/// or a seccomp filter that hides the syscall, as container runtimes did),
/// or with `EPERM` (a seccomp filter that denies it), the request is carried
/// out with clone(2). `ENOSYS` is remembered for the life of the process, so
/// later calls go straight to clone(2); `EPERM` is not (it can also be a
/// legitimate answer), and [`set_eperm_fallback`] turns that fallback off.
///
/// `CLONE_PIDFD` keeps working: clone(2) stores the pidfd through its
/// `parent_tid` argument, so `args.pidfd` is passed there. (A kernel older
/// than 5.2 ignores the flag in clone(2) and leaves the slot as it was: set
/// it to -1 first to tell. The library does not write it itself: a slot
/// that is not writable is the kernel's EFAULT, never a crash.)
///
/// Before it falls back, the request goes through clone3's checks (see
/// # Errors), so a request clone3 rejects gets clone3's errno. The stack's
/// range is checked against the user address space as the kernel does:
/// on the 64-bit architectures the kernel is asked (process_vm_readv(2)
/// with nothing to read runs the same `access_ok`); on i686 and arm a range
/// that ends at or below 4 GiB passes, which a native 32-bit kernel would
/// reject above its TASK_SIZE (0xc0000000 on i386, 0xbf000000 on arm with
/// the 3 GiB split) and there the child dies of SIGSEGV instead.
///
/// clone(2) cannot express every clone3 request. Those requests fail, never
/// silently lose a feature:
/// - `ENOSYS` ("this kernel path cannot do it") for `CLONE_INTO_CGROUP`,
///   `CLONE_CLEAR_SIGHAND`, `CLONE_NEWTIME` (its bit is part of the exit
///   signal in clone(2)), a non-empty `set_tid`, and `CLONE_PIDFD` together
///   with `CLONE_PARENT_SETTID` (clone(2) has one slot for both) — after
///   the flag combinations `copy_process` rejects whatever else holds
///   (`CLONE_NEWNS` or `CLONE_NEWUSER` with `CLONE_FS`, `CLONE_THREAD`
///   without `CLONE_SIGHAND` or with `CLONE_NEWUSER`/`CLONE_NEWPID`,
///   `CLONE_SIGHAND` without `CLONE_VM`, `CLONE_NEWIPC` with
///   `CLONE_SYSVSEM`), which get `EINVAL`; what the kernel would refuse for
///   the caller's privileges or state, it cannot be asked;
/// - under the `EPERM` fallback, the same requests return the kernel's
///   original `EPERM` instead, so that a legitimate `EPERM` is never masked.
///
/// The `ENOSYS` cache is process-wide, but a seccomp filter may be the
/// thread's own: once any thread saw `ENOSYS`, a request that clone(2) can
/// express goes straight to clone(2) in every thread (the child is the
/// same), and a request that needs clone3 still asks clone3 first, so a
/// thread without the filter keeps every clone3 feature.
///
/// # Safety
/// clone(2)'s contract (see [`crate::clone`]), for clone3's arguments:
/// - `args` must point to `size` readable bytes;
/// - the stack must be writable memory that nothing else uses while the
///   child runs, large enough for `f`; with `stack` 0 (and no `CLONE_VM`)
///   the child runs on a copy of the caller's stack;
/// - every pointer in `args` must be valid for the use its flag makes of it
///   (`pidfd` an `int`, `parent_tid`/`child_tid` a `pid_t`, `set_tid` an
///   array of `set_tid_size` `pid_t`s, `tls` a thread pointer valid for
///   `f`);
/// - with `CLONE_VM`, everything `f` touches must outlive the child.
pub unsafe fn clone3(
    args: *const CloneArgs,
    size: usize,
    f: Option<ChildFn>,
    arg: *mut c_void,
) -> Result<libc::pid_t, Errno> {
    // Our own refusals (no function, CLONE_VM without a stack, a stack top
    // that is NULL once aligned) answer only a request the kernel would
    // otherwise accept: whatever the kernel rejects first, it rejects with
    // its own errno.
    let known = match f {
        // SAFETY: the caller guarantees `size` readable bytes at `args`.
        Some(_) if !args.is_null() && size >= CLONE_ARGS_SIZE_VER0 => unsafe {
            read_known_fields(args, size)
        },
        // The kernel answers a NULL block or a short size with no child:
        // pass it through (or, in the fallback, answer as it would).
        Some(_) => CloneArgs::default(),
        None => {
            // SAFETY: as above.
            unsafe { clone3_checks(args, size) }?;
            return Err(Errno::EINVAL);
        }
    };
    let f = f.ok_or(Errno::EINVAL)?;
    if !args.is_null() && refused_stack(&known) {
        // SAFETY: as above.
        unsafe { clone3_checks(args, size) }?;
        return Err(Errno::EINVAL);
    }

    // The ENOSYS cache is a hint, process-wide while seccomp filters are per
    // thread: a request clone(2) can express goes straight to clone(2) (the
    // same child either way), one that needs clone3 always asks clone3.
    if !CLONE3_ENOSYS.load(Ordering::Relaxed) || args.is_null() || needs_clone3(&known) {
        // SAFETY: the arguments were checked above as far as we can; the
        // caller upholds the rest of the contract (see # Safety).
        let ret = unsafe { arch::raw_clone3(args as *mut c_void, size, f, arg) };
        match Errno::from_syscall(ret) {
            Ok(tid) => return Ok(tid as libc::pid_t),
            Err(Errno::ENOSYS) => CLONE3_ENOSYS.store(true, Ordering::Relaxed),
            Err(Errno::EPERM) if EPERM_FALLBACK.load(Ordering::Relaxed) => {
                // SAFETY: as above.
                unsafe { fallback_checks(args, size) }?;
                if needs_clone3(&known) {
                    return Err(Errno::EPERM);
                }
                // SAFETY: as above.
                return unsafe { legacy_clone(&known, f, arg) };
            }
            Err(e) => return Err(e),
        }
    }
    // SAFETY: as above.
    unsafe { fallback_checks(args, size) }?;
    if needs_clone3(&known) {
        return Err(Errno::ENOSYS);
    }
    // SAFETY: as above; the request passed clone3's checks.
    unsafe { legacy_clone(&known, f, arg) }
}

/// The fields of `*args` this library knows; those beyond `size` are 0, as
/// the kernel reads them.
///
/// # Safety
/// `args` must point to `size` readable bytes.
unsafe fn read_known_fields(args: *const CloneArgs, size: usize) -> CloneArgs {
    let mut known = CloneArgs::default();
    let n = size.min(size_of::<CloneArgs>());
    // SAFETY: `n` bytes are readable at `args` (the caller's promise) and
    // writable in `known`; the two do not overlap.
    unsafe {
        core::ptr::copy_nonoverlapping(args.cast::<u8>(), (&raw mut known).cast::<u8>(), n);
    }
    known
}

/// The stacks this library refuses although clone3 may take them: none
/// with CLONE_VM (the child would run on the caller's own stack, under its
/// frames), a top that is NULL once aligned to 16 bytes (clone()'s EINVAL)
/// and a range that wraps around the address space (every kernel but
/// s390x's rejects it itself; s390x's `access_ok` accepts every range, and
/// the child would start on a wrapped stack pointer). A half-given stack is
/// the kernel's to reject.
fn refused_stack(a: &CloneArgs) -> bool {
    match (a.stack, a.stack_size) {
        (0, 0) => a.flags & CloneFlags::CLONE_VM.bits() != 0,
        (0, _) | (_, 0) => false,
        (stack, size) => match stack.checked_add(size) {
            Some(top) => top < STACK_ALIGN as u64,
            None => true,
        },
    }
}

/// Whether the request uses something clone(2) cannot express, or a flag
/// this library does not know (which a newer kernel may).
fn needs_clone3(a: &CloneArgs) -> bool {
    let pidfd_and_ptid = CloneFlags::CLONE_PIDFD | CloneFlags::CLONE_PARENT_SETTID;
    a.flags >> 32 != 0
        || a.flags & CloneFlags::CLONE_NEWTIME.bits() != 0
        || (a.set_tid != 0 && a.set_tid_size != 0)
        || a.flags & pidfd_and_ptid.bits() == pidfd_and_ptid.bits()
}

/// clone3's own checks, in the kernel's order (`kernel/fork.c`, Linux
/// 5.7 to 6.18): `copy_clone_args_from_user`, then `clone3_args_valid`
/// (including `clone3_stack_valid`), then the pidfd/parent_tid check at the
/// top of `kernel_clone`. A NULL `args` is the kernel's EFAULT; an
/// unreadable `set_tid` array cannot be detected (it is the caller's
/// contract) and is not read.
///
/// # Safety
/// `args` is NULL or points to `size` readable bytes.
unsafe fn clone3_checks(args: *const CloneArgs, size: usize) -> Result<CloneArgs, Errno> {
    if size > page_size() {
        return Err(Errno(libc::E2BIG));
    }
    if size < CLONE_ARGS_SIZE_VER0 {
        return Err(Errno::EINVAL);
    }
    if args.is_null() {
        return Err(Errno(libc::EFAULT));
    }
    // SAFETY: the caller's promise on `args`/`size`.
    let a = unsafe { read_known_fields(args, size) };
    if size > size_of::<CloneArgs>() {
        // SAFETY: `size` bytes are readable at `args` (caller's promise).
        let tail = unsafe {
            core::slice::from_raw_parts(
                args.cast::<u8>().add(size_of::<CloneArgs>()),
                size - size_of::<CloneArgs>(),
            )
        };
        if tail.iter().any(|&b| b != 0) {
            return Err(Errno(libc::E2BIG));
        }
    }
    let flags = a.flags;
    let has = |f: CloneFlags| flags & f.bits() != 0;
    let known_flags =
        0xffff_ffff | CloneFlags::CLONE_CLEAR_SIGHAND.bits() | CloneFlags::CLONE_INTO_CGROUP.bits();
    let invalid =
        // copy_clone_args_from_user
        a.set_tid_size > MAX_PID_NS_LEVEL
        || (a.set_tid == 0) != (a.set_tid_size == 0)
        || a.exit_signal > MAX_SIGNAL
        || (has(CloneFlags::CLONE_INTO_CGROUP)
            && (a.cgroup > i32::MAX as u64 || size < CLONE_ARGS_SIZE_VER2));
    if invalid {
        return Err(Errno::EINVAL);
    }
    // copy_clone_args_from_user reads the set_tid array last.
    if a.set_tid != 0 && !user_readable(a.set_tid, a.set_tid_size * 4) {
        return Err(Errno(libc::EFAULT));
    }
    // clone3_args_valid
    let invalid = flags & !known_flags != 0
        || flags
            & (CloneFlags::CLONE_DETACHED.bits() | (CSIGNAL & !CloneFlags::CLONE_NEWTIME.bits()))
            != 0
        || (has(CloneFlags::CLONE_SIGHAND) && has(CloneFlags::CLONE_CLEAR_SIGHAND))
        || (has(CloneFlags::CLONE_THREAD | CloneFlags::CLONE_PARENT) && a.exit_signal != 0)
        // clone3_stack_valid
        || (a.stack == 0) != (a.stack_size == 0)
        || (a.stack != 0 && !user_range_ok(a.stack, a.stack_size))
        // kernel_clone
        || (has(CloneFlags::CLONE_PIDFD)
            && has(CloneFlags::CLONE_PARENT_SETTID)
            && a.pidfd == a.parent_tid);
    if invalid { Err(Errno::EINVAL) } else { Ok(a) }
}

/// What the kernel checks before it takes a request that clone(2) cannot
/// express: clone3's own checks, then the flag combinations that
/// `copy_process` (and `copy_namespaces`, for a caller allowed to create
/// namespaces) rejects with EINVAL whatever else holds. The checks of
/// `copy_process` that depend on the caller's state (an unkillable init,
/// a pending PID or time namespace) or differ between kernel versions
/// (CLONE_PIDFD with CLONE_THREAD, an EINVAL before Linux 6.9) are left to
/// the kernel, which sees the request when clone(2) can express it.
///
/// # Safety
/// As [`clone3_checks`].
unsafe fn fallback_checks(args: *const CloneArgs, size: usize) -> Result<(), Errno> {
    // SAFETY: the caller's promise.
    let a = unsafe { clone3_checks(args, size) }?;
    let f = CloneFlags::from_bits_retain(a.flags);
    let both = |x: CloneFlags| f.contains(x);
    let invalid = both(CloneFlags::CLONE_NEWNS | CloneFlags::CLONE_FS)
        || both(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_FS)
        || (f.contains(CloneFlags::CLONE_THREAD) && !f.contains(CloneFlags::CLONE_SIGHAND))
        || (f.contains(CloneFlags::CLONE_SIGHAND) && !f.contains(CloneFlags::CLONE_VM))
        || (f.contains(CloneFlags::CLONE_THREAD)
            && f.intersects(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWPID))
        || both(CloneFlags::CLONE_NEWIPC | CloneFlags::CLONE_SYSVSEM);
    if invalid { Err(Errno::EINVAL) } else { Ok(()) }
}

/// Whether `stack .. stack + size` lies in the user address space, as the
/// kernel's `access_ok` (which `clone3_stack_valid` applies) answers it.
///
/// On the 64-bit architectures the kernel itself answers: the limit
/// depends on the kernel (x86_64: 4- or 5-level page tables; aarch64: 48 or
/// 52 VA bits; 6.4 to 6.11 on x86_64 accept every address below 2^63), so
/// process_vm_readv(2) gets the range as its local buffer with nothing to
/// read, which runs the same `access_ok` and returns at once (0, EFAULT,
/// or EINVAL for a size of 2^63 or more). Should that call be unavailable
/// (a seccomp filter), only a range that wraps or ends above 2^64 - 2^12
/// is rejected. On i686, arm and x32 every range that ends at or below 4 GiB
/// is accepted and every other one rejected (the fallback cannot pass a
/// 64-bit stack to clone(2) there): a 64-bit kernel running the program
/// accepts all of those; a native 32-bit kernel rejects a range that ends
/// above its TASK_SIZE (0xc0000000 on i386 and 0xbf000000 on arm with the
/// usual 3 GiB split), and there the child dies of SIGSEGV instead.
fn user_range_ok(stack: u64, size: u64) -> bool {
    let Some(top) = stack.checked_add(size) else {
        return false;
    };
    #[cfg(target_pointer_width = "64")]
    {
        let iov = [stack as usize, size as usize];
        let nothing = [0usize; 2];
        // SAFETY: process_vm_readv with no remote range reads and writes
        // nothing; it only checks the local range.
        let r = unsafe {
            crate::arch::syscall6(
                libc::SYS_process_vm_readv as c_long,
                [0, iov.as_ptr() as usize, 1, nothing.as_ptr() as usize, 0, 0],
            )
        };
        match r {
            0 => return true,
            r if r == -(libc::EFAULT as c_long) || r == -(libc::EINVAL as c_long) => return false,
            _ => {}
        }
        top <= u64::MAX - 0xfff
    }
    #[cfg(target_pointer_width = "32")]
    {
        top <= 1 << 32
    }
}

/// Whether `len` bytes at `addr` are readable, asked of the kernel without
/// touching them (process_vm_readv(2) from this process into a buffer),
/// so that an unreadable `set_tid` array is the kernel's EFAULT, never a
/// fault. On i686, which has no six-argument system call here, and when
/// the call is unavailable, the answer is yes: the array is then the caller's
/// contract.
fn user_readable(addr: u64, len: u64) -> bool {
    let mut buf = [0u8; (MAX_PID_NS_LEVEL * 4) as usize];
    if len > buf.len() as u64 {
        return true; // set_tid_size was checked first
    }
    let local = [buf.as_mut_ptr() as usize, len as usize];
    let remote = [addr as usize, len as usize];
    // SAFETY: getpid has no arguments; process_vm_readv writes at most
    // `len` bytes into `buf`, which has room for them.
    let r = unsafe {
        let pid = crate::arch::syscall6(libc::SYS_getpid as c_long, [0; 6]);
        if pid < 0 {
            return true;
        }
        crate::arch::syscall6(
            libc::SYS_process_vm_readv as c_long,
            [
                pid as usize,
                local.as_ptr() as usize,
                1,
                remote.as_ptr() as usize,
                1,
                0,
            ],
        )
    };
    !(r == -(libc::EFAULT as c_long) || (r >= 0 && (r as u64) < len))
}

/// The kernel's page size, its limit on `size`: a constant where the
/// architecture has one page size; on aarch64, powerpc, mips, loongarch64
/// (Debian's kernel: 16 KiB) and sparc64 (8 KiB) the smallest
/// power of two from 4 KiB up that mincore(2) takes as page-aligned
/// (mincore of 0 bytes checks only that), computed once.
pub(crate) fn page_size() -> usize {
    #[cfg(any(
        target_arch = "aarch64",
        target_arch = "powerpc64",
        target_arch = "powerpc",
        target_arch = "mips",
        target_arch = "mips64",
        target_arch = "loongarch64",
        target_arch = "sparc64"
    ))]
    {
        use core::sync::atomic::AtomicUsize;
        static PAGE_SIZE: AtomicUsize = AtomicUsize::new(0);
        let known = PAGE_SIZE.load(Ordering::Relaxed);
        if known != 0 {
            return known;
        }
        let mut size = 4096;
        while size < 1 << 20 {
            // SAFETY: mincore of 0 bytes reads and writes nothing.
            let r = unsafe {
                crate::arch::syscall6(libc::SYS_mincore as c_long, [size, 0, 0, 0, 0, 0])
            };
            if r != -(libc::EINVAL as c_long) {
                break;
            }
            size *= 2;
        }
        PAGE_SIZE.store(size, Ordering::Relaxed);
        size
    }
    #[cfg(not(any(
        target_arch = "aarch64",
        target_arch = "powerpc64",
        target_arch = "powerpc",
        target_arch = "mips",
        target_arch = "mips64",
        target_arch = "loongarch64",
        target_arch = "sparc64"
    )))]
    {
        4096
    }
}

/// A pointer field of clone_args as a pointer of this architecture; one
/// that does not fit is `EFAULT`, as the kernel would find it unmapped.
fn user_ptr<T>(v: u64) -> Result<*mut T, Errno> {
    usize::try_from(v)
        .map(|p| p as *mut T)
        .map_err(|_| Errno(libc::EFAULT))
}

/// Carries out with clone(2) a request that passed clone3's checks and
/// needs nothing clone(2) cannot express.
///
/// # Safety
/// As [`clone3`]; `known` holds the fields of the caller's `*args`.
unsafe fn legacy_clone(
    known: &CloneArgs,
    f: ChildFn,
    arg: *mut c_void,
) -> Result<libc::pid_t, Errno> {
    let pidfd = known.flags & CloneFlags::CLONE_PIDFD.bits() != 0;
    // clone(2) writes the pidfd, an int, through its parent_tid argument.
    let ptid: *mut libc::pid_t = user_ptr(if pidfd { known.pidfd } else { known.parent_tid })?;
    let ctid: *mut libc::pid_t = user_ptr(known.child_tid)?;
    let tls: *mut c_void = user_ptr(known.tls)?;
    // Both fit in 32 bits: flags >> 32 == 0 and exit_signal <= MAX_SIGNAL (< 256).
    let flags = (known.flags | known.exit_signal) as c_ulong;
    let ret = if known.stack == 0 {
        // SAFETY: a fork-like child (CLONE_VM without a stack was refused);
        // the rest is the caller's contract.
        unsafe { clone_on_current_stack(f, flags, arg, ptid, tls, ctid) }
    } else {
        // The range passed user_range_ok: it ends in this address space.
        let top = user_ptr::<c_void>(known.stack + known.stack_size).map_err(|_| Errno::EINVAL)?;
        let top = aligned_stack_top(top)?;
        // SAFETY: `top` is checked and aligned; the caller vouches for the
        // stack and the pointers.
        unsafe { arch::raw_clone(f, top, flags, arg, ptid, tls, ctid) }
    };
    Errno::from_syscall(ret).map(|tid| tid as libc::pid_t)
}

/// clone(2) for a child without a stack of its own, which runs on its copy
/// of the caller's stack, as clone3 does with `stack` 0. clone(2) takes a
/// stack pointer, and every `raw_clone` wants a non-NULL one: this frame's
/// own address. It lies below every live frame of our callers (this
/// function is never inlined), and the child, which has its own copy of the
/// memory (no CLONE_VM), overwrites only that copy, below this frame's
/// locals, where nothing it reads lives: `raw_clone` keeps `f` and `arg` in
/// registers.
///
/// # Safety
/// No CLONE_VM in `flags`; the rest as [`clone3`].
#[inline(never)]
unsafe fn clone_on_current_stack(
    f: ChildFn,
    flags: c_ulong,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_long {
    let here = 0u8;
    let sp = core::hint::black_box(&raw const here) as *mut c_void;
    match aligned_stack_top(sp) {
        // SAFETY: see the function's documentation.
        Ok(top) => unsafe { arch::raw_clone(f, top, flags, arg, ptid, tls, ctid) },
        Err(e) => -(e.0 as c_long),
    }
}
