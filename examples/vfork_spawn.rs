//! Starting a program the way posix_spawn does, vfork-fast and without
//! `unsafe`: [`sched_clone::Command`] clones with `CLONE_VM | CLONE_VFORK`
//! (nothing is copied; the parent sleeps until the child has exec'd), runs
//! only raw system calls in the child, and reports an exec failure as the
//! spawn's error, with execve's errno.
//!
//! Run: `cargo run --example vfork_spawn -- /bin/echo hello`
//! (without arguments it runs `/bin/echo hello from a vfork child`).

use std::process::ExitCode;

use sched_clone::Command;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        args = ["/bin/echo", "hello", "from", "a", "vfork", "child"]
            .map(String::from)
            .to_vec();
    }
    let mut child = match Command::new(&args[0]).args(&args[1..]).pidfd(true).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("vfork_spawn: cannot run {}: {e}", args[0]);
            return ExitCode::FAILURE;
        }
    };
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
