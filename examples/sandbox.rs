//! A namespace sandbox: runs a shell command as PID 1 of a new PID
//! namespace, with its own hostname (UTS namespace) and its own mounts
//! (mount namespace, with a fresh /proc that shows only the sandbox).
//!
//! Run as root: `cargo run --example sandbox` runs
//! `/bin/sh -c 'hostname; echo $$'` and prints `sandbox` and `1`; give
//! another script as the first argument, e.g.
//! `cargo run --example sandbox -- 'hostname; ps ax'`.

use std::ffi::CString;
use std::process::ExitCode;

use sched_clone::{CloneBuilder, CloneFlags};

/// Writes `msg` and the current errno's text to stderr, from the child
/// (which must not allocate: it is a copy of its parent).
fn report(msg: &[u8]) {
    // SAFETY: valid buffers; strerror's string is static for these errors.
    unsafe {
        let err = libc::strerror(*libc::__errno_location());
        libc::write(2, msg.as_ptr().cast(), msg.len());
        libc::write(2, err.cast(), libc::strlen(err));
        libc::write(2, b"\n".as_ptr().cast(), 1);
    }
}

fn main() -> ExitCode {
    let script = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "hostname; echo $$".to_owned());
    // Everything the child needs is prepared here, before the clone.
    let sh = CString::new("/bin/sh").unwrap();
    let dash_c = CString::new("-c").unwrap();
    let script = CString::new(script).expect("a script without NUL bytes");
    let argv = [
        sh.as_ptr(),
        dash_c.as_ptr(),
        script.as_ptr(),
        std::ptr::null(),
    ];
    let hostname = b"sandbox";

    let flags = CloneFlags::CLONE_NEWUTS | CloneFlags::CLONE_NEWPID | CloneFlags::CLONE_NEWNS;
    // SAFETY: this program is single-threaded, and the child makes plain
    // system calls with valid, NUL-terminated arguments.
    let spawned = unsafe {
        CloneBuilder::new(flags).pidfd(true).spawn(|| {
            if libc::sethostname(hostname.as_ptr().cast(), hostname.len()) != 0 {
                report(b"sandbox: sethostname: ");
                return 126;
            }
            // Keep our mounts from propagating back to the host, then give
            // the new PID namespace its own /proc.
            let none = c"none".as_ptr();
            if libc::mount(
                none,
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ) != 0
            {
                report(b"sandbox: making / private: ");
                return 126;
            }
            if libc::mount(
                c"proc".as_ptr(),
                c"/proc".as_ptr(),
                c"proc".as_ptr(),
                0,
                std::ptr::null(),
            ) != 0
            {
                report(b"sandbox: mounting /proc (continuing): ");
            }
            libc::execv(sh.as_ptr(), argv.as_ptr());
            report(b"sandbox: exec /bin/sh: ");
            127
        })
    };
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            eprintln!("sandbox: clone: {e} (this needs root: CAP_SYS_ADMIN)");
            return ExitCode::FAILURE;
        }
    };
    match child.wait() {
        Ok(status) => {
            eprintln!("sandbox: child {} {status}", child.pid());
            if status.success() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("sandbox: wait: {e}");
            ExitCode::FAILURE
        }
    }
}
