//! A vfork-style spawn, the way posix_spawn starts a program: the child
//! shares the parent's memory (`CLONE_VM`) and the parent sleeps until the
//! child has exec'd or exited (`CLONE_VFORK`), so nothing is copied, and
//! the child can report an exec failure by writing the parent's memory.
//!
//! Run: `cargo run --example vfork_spawn -- /bin/echo hello`
//! (without arguments it runs `/bin/echo hello from a vfork child`).

use std::ffi::CString;
use std::process::ExitCode;

use sched_clone::{Clone, CloneFlags, Stack};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        args = vec![
            "/bin/echo".into(),
            "hello".into(),
            "from".into(),
            "a".into(),
            "vfork".into(),
            "child".into(),
        ];
    }
    let cargs: Vec<CString> = args
        .iter()
        .map(|a| CString::new(a.as_str()).expect("no NUL bytes"))
        .collect();
    let mut argv: Vec<*const libc::c_char> = cargs.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());

    let mut stack = match Stack::new(64 * 1024) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("vfork_spawn: stack: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Written by the child, in our memory, if exec fails.
    let mut exec_errno = 0;
    let spawned =
        Clone::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn_on(&mut stack, || {
            // SAFETY: argv is a NULL-terminated array of C strings.
            unsafe { libc::execvp(argv[0], argv.as_ptr()) };
            // SAFETY: reading this thread's errno.
            exec_errno = unsafe { *libc::__errno_location() };
            127
        });
    // By now the child has exec'd (or failed to, and exited).
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            eprintln!("vfork_spawn: clone: {e}");
            return ExitCode::FAILURE;
        }
    };
    if exec_errno != 0 {
        eprintln!(
            "vfork_spawn: cannot run {}: {}",
            args[0],
            std::io::Error::from_raw_os_error(exec_errno)
        );
    }
    match child.wait() {
        Ok(status) => {
            eprintln!("vfork_spawn: {} (pid {}) {status}", args[0], child.pid());
            if status.success() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("vfork_spawn: wait: {e}");
            ExitCode::FAILURE
        }
    }
}
