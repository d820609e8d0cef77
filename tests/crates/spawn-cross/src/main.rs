//! `Command` on this architecture: prints one `ROW STATUS name [detail]`
//! line per check, for tests/crate-checks.sh; exits 1 if any failed.
//!
//! Two ways through `Command`, each running the child's raw system calls
//! (signal reset, file descriptor moves, `execve`, the errno report):
//! - vfork-style (`CLONE_VM | CLONE_VFORK`), the default. qemu-user 7.2
//!   accepts `CLONE_VM` only with the whole thread flag set, but turns
//!   `CLONE_VFORK` into a plain fork first (dropping `CLONE_VM`), so this
//!   runs there too, as a fork. Should a qemu refuse it with `EINVAL`
//!   instead, the check is reported as skipped, under qemu-user only
//!   (`SCHED_CLONE_QEMU_USER=1`, set by tests/crate-checks.sh).
//! - fork-like: a new user namespace with ID maps, whose child has its own
//!   memory. qemu-user 7.2 refuses namespace flags in a fork-like clone
//!   (`EINVAL`): skipped there, for that reason only.
use sched_clone::{CloneFlags, Command, Errno};

fn row(ok: &mut bool, status: &str, name: &str, detail: &str) {
    if status == "FAIL" {
        *ok = false;
    }
    println!("ROW {status} {name} {detail}");
}

/// Runs `/bin/true` (must succeed), `/nonexistent` (ENOENT) and
/// `/etc/passwd` (not executable: EACCES) through `make`'s commands.
fn check(make: &dyn Fn(&str) -> Command) -> Result<(), String> {
    let status = make("/bin/true")
        .status()
        .map_err(|e| format!("/bin/true: {e:?}"))?;
    if !status.success() {
        return Err(format!("/bin/true: {status}"));
    }
    for (path, want) in [
        ("/nonexistent", Errno::ENOENT),
        ("/etc/passwd", Errno::EACCES),
    ] {
        match make(path).spawn() {
            Err(e) if e == want => {}
            Err(e) => return Err(format!("{path}: {e:?}, want {want:?}")),
            Ok(mut c) => {
                let _ = c.wait();
                return Err(format!("{path}: spawned, want {want:?}"));
            }
        }
    }
    Ok(())
}

/// One row for `name`: PASS, SKIP (for `reason` when qemu-user answered
/// the spawn with `EINVAL`, or without user namespaces) or FAIL.
fn report(ok: &mut bool, name: &str, result: Result<(), String>, qemu: bool, reason: &str) {
    let no_userns =
        |e: &str| name == "forklike" && (e.ends_with("(EPERM)") || e.ends_with("(ENOSPC)"));
    match result {
        Ok(()) if qemu => row(ok, "PASS", name, "qemu-user: run as a fork"),
        Ok(()) => row(ok, "PASS", name, ""),
        Err(e) if qemu && e == "/bin/true: Errno(EINVAL)" => row(ok, "SKIP", name, reason),
        Err(e) if no_userns(&e) => row(ok, "SKIP", name, &format!("no user namespaces: {e}")),
        Err(e) => row(ok, "FAIL", name, &e),
    }
}

fn main() {
    let mut ok = true;
    let qemu = std::env::var_os("SCHED_CLONE_QEMU_USER").is_some();
    let reason = "qemu-user refuses CLONE_VM without the thread flags: EINVAL, as documented";
    report(&mut ok, "vfork", check(&|p| Command::new(p)), qemu, reason);

    // SAFETY: getuid/getgid have no preconditions.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let forklike = |p: &str| {
        let mut c = Command::new(p);
        c.namespaces(CloneFlags::CLONE_NEWUSER)
            .uid_map(&[(0, uid, 1)])
            .gid_map(&[(0, gid, 1)])
            .deny_setgroups();
        c
    };
    let reason = "qemu-user refuses namespace flags in a fork-like clone: EINVAL";
    report(&mut ok, "forklike", check(&forklike), qemu, reason);
    std::process::exit(if ok { 0 } else { 1 });
}
