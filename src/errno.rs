//! `errno` for the C API, and [`Errno`] for the Rust one.

use core::ffi::{c_int, c_long};
use core::fmt;

/// An error number, as the kernel returns it (`EINVAL`, `EPERM`, ...).
///
/// Every Linux error number has a constant (`Errno::EPERM` ...
/// `Errno::EHWPOISON`, values from the `libc` crate for the target), a
/// [`name`](Errno::name) and a [`message`](Errno::message). `Display`
/// prints the message, as `strerror` does; `Debug` prints the name. With
/// the `std` feature, an `Errno` converts into a [`std::io::Error`] of the
/// same raw OS error.
///
/// ```
/// use sched_clone::Errno;
///
/// assert_eq!(Errno::EINVAL.to_string(), "Invalid argument");
/// assert_eq!(format!("{:?}", Errno::ENOENT), "Errno(ENOENT)");
/// assert_eq!(Errno(4000).to_string(), "Unknown error 4000");
/// let io: std::io::Error = Errno::EACCES.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(pub c_int);

/// Defines the constants and the table of names and messages.
macro_rules! errnos {
    ($($name:ident = $msg:literal,)*) => {
        impl Errno {
            $(
                #[doc = concat!("`", stringify!($name), "`: ", $msg, ".")]
                pub const $name: Errno = Errno(libc::$name);
            )*
        }

        /// (number, name, message) for every error number, each once.
        const TABLE: &[(c_int, &str, &str)] = &[
            $((libc::$name, stringify!($name), $msg),)*
            // powerpc, mips and sparc have a separate EDEADLOCK; elsewhere it
            // is EDEADLK.
            #[cfg(any(
                target_arch = "powerpc64",
                target_arch = "powerpc",
                target_arch = "mips",
                target_arch = "mips64",
                target_arch = "sparc64"
            ))]
            (libc::EDEADLOCK, "EDEADLOCK", "File locking deadlock error"),
        ];
    };
}

errnos! {
    EPERM = "Operation not permitted",
    ENOENT = "No such file or directory",
    ESRCH = "No such process",
    EINTR = "Interrupted system call",
    EIO = "Input/output error",
    ENXIO = "No such device or address",
    E2BIG = "Argument list too long",
    ENOEXEC = "Exec format error",
    EBADF = "Bad file descriptor",
    ECHILD = "No child processes",
    EAGAIN = "Resource temporarily unavailable",
    ENOMEM = "Cannot allocate memory",
    EACCES = "Permission denied",
    EFAULT = "Bad address",
    ENOTBLK = "Block device required",
    EBUSY = "Device or resource busy",
    EEXIST = "File exists",
    EXDEV = "Invalid cross-device link",
    ENODEV = "No such device",
    ENOTDIR = "Not a directory",
    EISDIR = "Is a directory",
    EINVAL = "Invalid argument",
    ENFILE = "Too many open files in system",
    EMFILE = "Too many open files",
    ENOTTY = "Inappropriate ioctl for device",
    ETXTBSY = "Text file busy",
    EFBIG = "File too large",
    ENOSPC = "No space left on device",
    ESPIPE = "Illegal seek",
    EROFS = "Read-only file system",
    EMLINK = "Too many links",
    EPIPE = "Broken pipe",
    EDOM = "Numerical argument out of domain",
    ERANGE = "Numerical result out of range",
    EDEADLK = "Resource deadlock avoided",
    ENAMETOOLONG = "File name too long",
    ENOLCK = "No locks available",
    ENOSYS = "Function not implemented",
    ENOTEMPTY = "Directory not empty",
    ELOOP = "Too many levels of symbolic links",
    ENOMSG = "No message of desired type",
    EIDRM = "Identifier removed",
    ECHRNG = "Channel number out of range",
    EL2NSYNC = "Level 2 not synchronized",
    EL3HLT = "Level 3 halted",
    EL3RST = "Level 3 reset",
    ELNRNG = "Link number out of range",
    EUNATCH = "Protocol driver not attached",
    ENOCSI = "No CSI structure available",
    EL2HLT = "Level 2 halted",
    EBADE = "Invalid exchange",
    EBADR = "Invalid request descriptor",
    EXFULL = "Exchange full",
    ENOANO = "No anode",
    EBADRQC = "Invalid request code",
    EBADSLT = "Invalid slot",
    EBFONT = "Bad font file format",
    ENOSTR = "Device not a stream",
    ENODATA = "No data available",
    ETIME = "Timer expired",
    ENOSR = "Out of streams resources",
    ENONET = "Machine is not on the network",
    ENOPKG = "Package not installed",
    EREMOTE = "Object is remote",
    ENOLINK = "Link has been severed",
    EADV = "Advertise error",
    ESRMNT = "Srmount error",
    ECOMM = "Communication error on send",
    EPROTO = "Protocol error",
    EMULTIHOP = "Multihop attempted",
    EDOTDOT = "RFS specific error",
    EBADMSG = "Bad message",
    EOVERFLOW = "Value too large for defined data type",
    ENOTUNIQ = "Name not unique on network",
    EBADFD = "File descriptor in bad state",
    EREMCHG = "Remote address changed",
    ELIBACC = "Can not access a needed shared library",
    ELIBBAD = "Accessing a corrupted shared library",
    ELIBSCN = ".lib section in a.out corrupted",
    ELIBMAX = "Attempting to link in too many shared libraries",
    ELIBEXEC = "Cannot exec a shared library directly",
    EILSEQ = "Invalid or incomplete multibyte or wide character",
    ERESTART = "Interrupted system call should be restarted",
    ESTRPIPE = "Streams pipe error",
    EUSERS = "Too many users",
    ENOTSOCK = "Socket operation on non-socket",
    EDESTADDRREQ = "Destination address required",
    EMSGSIZE = "Message too long",
    EPROTOTYPE = "Protocol wrong type for socket",
    ENOPROTOOPT = "Protocol not available",
    EPROTONOSUPPORT = "Protocol not supported",
    ESOCKTNOSUPPORT = "Socket type not supported",
    EOPNOTSUPP = "Operation not supported",
    EPFNOSUPPORT = "Protocol family not supported",
    EAFNOSUPPORT = "Address family not supported by protocol",
    EADDRINUSE = "Address already in use",
    EADDRNOTAVAIL = "Cannot assign requested address",
    ENETDOWN = "Network is down",
    ENETUNREACH = "Network is unreachable",
    ENETRESET = "Network dropped connection on reset",
    ECONNABORTED = "Software caused connection abort",
    ECONNRESET = "Connection reset by peer",
    ENOBUFS = "No buffer space available",
    EISCONN = "Transport endpoint is already connected",
    ENOTCONN = "Transport endpoint is not connected",
    ESHUTDOWN = "Cannot send after transport endpoint shutdown",
    ETOOMANYREFS = "Too many references: cannot splice",
    ETIMEDOUT = "Connection timed out",
    ECONNREFUSED = "Connection refused",
    EHOSTDOWN = "Host is down",
    EHOSTUNREACH = "No route to host",
    EALREADY = "Operation already in progress",
    EINPROGRESS = "Operation now in progress",
    ESTALE = "Stale file handle",
    EUCLEAN = "Structure needs cleaning",
    ENOTNAM = "Not a XENIX named type file",
    ENAVAIL = "No XENIX semaphores available",
    EISNAM = "Is a named type file",
    EREMOTEIO = "Remote I/O error",
    EDQUOT = "Disk quota exceeded",
    ENOMEDIUM = "No medium found",
    EMEDIUMTYPE = "Wrong medium type",
    ECANCELED = "Operation canceled",
    ENOKEY = "Required key not available",
    EKEYEXPIRED = "Key has expired",
    EKEYREVOKED = "Key has been revoked",
    EKEYREJECTED = "Key was rejected by service",
    EOWNERDEAD = "Owner died",
    ENOTRECOVERABLE = "State not recoverable",
    ERFKILL = "Operation not possible due to RF-kill",
    EHWPOISON = "Memory page has hardware error",
}

impl Errno {
    /// `EWOULDBLOCK`: the same number as [`EAGAIN`](Errno::EAGAIN).
    pub const EWOULDBLOCK: Errno = Errno(libc::EWOULDBLOCK);
    /// `EDEADLOCK`: [`EDEADLK`](Errno::EDEADLK), except on powerpc, mips and sparc.
    pub const EDEADLOCK: Errno = Errno(libc::EDEADLOCK);
    /// `ENOTSUP`: the same number as [`EOPNOTSUPP`](Errno::EOPNOTSUPP).
    pub const ENOTSUP: Errno = Errno(libc::ENOTSUP);

    fn entry(self) -> Option<&'static (c_int, &'static str, &'static str)> {
        TABLE.iter().find(|(n, _, _)| *n == self.0)
    }

    /// The symbolic name (`"EINVAL"`), if this is a known error number.
    pub fn name(self) -> Option<&'static str> {
        self.entry().map(|e| e.1)
    }

    /// The description `strerror` gives (`"Invalid argument"`), if this is
    /// a known error number.
    pub fn message(self) -> Option<&'static str> {
        self.entry().map(|e| e.2)
    }

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
        match self.message() {
            Some(m) => f.write_str(m),
            None => write!(f, "Unknown error {}", self.0),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Errno {}

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> std::io::Error {
        std::io::Error::from_raw_os_error(e.0)
    }
}
