//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Mutex, MutexGuard};

/// Reports a skipped test on the real stderr (libtest captures `eprintln!`
/// of passing tests, and a skip must not pass silently).
pub fn skip(test: &str, reason: &str) {
    let _ = writeln!(std::io::stderr(), "SKIP: {test}: {reason}");
}

/// Whether we run as root; prints the SKIP line if not.
pub fn root_or_skip(test: &str) -> bool {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        skip(test, "needs root");
    }
    root
}

/// Serializes the tests of one binary that start fork-like children: such a
/// child gets a copy of every thread's memory, and a lock another test
/// thread held at that moment (the allocator's) would stay locked in it.
/// With this held, the other test threads wait here instead.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The calling thread's errno.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// The mount point of a cgroup2 filesystem, if one is mounted.
pub fn cgroup2_mount() -> Option<String> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    info.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        if right.split_whitespace().next()? != "cgroup2" {
            return None;
        }
        left.split_whitespace().nth(4).map(str::to_owned)
    })
}
