//! `errno` for the C API, and [`Errno`] for the Rust one.

use core::ffi::{c_int, c_long};
use core::fmt;

/// An error number, as the kernel returns it (`EINVAL`, `EPERM`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(pub c_int);

impl Errno {
    /// `EINVAL`: bad arguments, found before any syscall.
    pub const EINVAL: Errno = Errno(libc::EINVAL);
    /// `ENOSYS`: the kernel (or a seccomp filter) lacks the syscall.
    pub const ENOSYS: Errno = Errno(libc::ENOSYS);
    /// `EPERM`: not permitted (often seccomp, or a missing capability).
    pub const EPERM: Errno = Errno(libc::EPERM);

    /// The raw error number.
    pub const fn raw(self) -> c_int {
        self.0
    }

    /// Splits a raw syscall return value: `-4095..=-1` is an error number,
    /// everything else is a result.
    pub(crate) fn from_syscall(ret: c_long) -> Result<c_long, Errno> {
        if (-4095..0).contains(&ret) {
            Err(Errno(-ret as c_int))
        } else {
            Ok(ret)
        }
    }

    /// Stores this error in the calling thread's `errno`.
    pub(crate) fn set(self) {
        // SAFETY: __errno_location() returns the calling thread's errno slot,
        // valid for the life of the thread, in glibc and musl alike.
        unsafe { *libc::__errno_location() = self.0 }
    }
}

/// The C convention for a result: the value, or `-1` with `errno` set.
pub(crate) fn c_result(r: Result<c_int, Errno>) -> c_int {
    match r {
        Ok(v) => v,
        Err(e) => {
            e.set();
            -1
        }
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "Errno({n})"),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} (errno {})", self.0),
            None => write!(f, "errno {}", self.0),
        }
    }
}

impl Errno {
    /// The symbolic name of the errors clone can return, for messages.
    fn name(self) -> Option<&'static str> {
        const NAMES: &[(c_int, &str)] = &[
            (libc::EPERM, "EPERM"),
            (libc::ENOENT, "ENOENT"),
            (libc::EINTR, "EINTR"),
            (libc::EBADF, "EBADF"),
            (libc::EAGAIN, "EAGAIN"),
            (libc::ENOMEM, "ENOMEM"),
            (libc::EFAULT, "EFAULT"),
            (libc::EBUSY, "EBUSY"),
            (libc::EEXIST, "EEXIST"),
            (libc::EINVAL, "EINVAL"),
            (libc::ENOSPC, "ENOSPC"),
            (libc::ENOSYS, "ENOSYS"),
            (libc::EUSERS, "EUSERS"),
            (libc::E2BIG, "E2BIG"),
            (libc::ECHILD, "ECHILD"),
            (libc::ESRCH, "ESRCH"),
        ];
        NAMES.iter().find(|(n, _)| *n == self.0).map(|(_, s)| *s)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Errno {}
