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

fn main() {
    let mut ok = true;
    let qemu = std::env::var_os("SCHED_CLONE_QEMU_USER").is_some();

    match (check(&|p| Command::new(p)), qemu) {
        (Ok(()), false) => row(&mut ok, "PASS", "vfork", ""),
        (Ok(()), true) => row(&mut ok, "PASS", "vfork", "qemu-user: run as a fork"),
        (Err(e), true) if e == "/bin/true: Errno(EINVAL)" => row(
            &mut ok,
            "SKIP",
            "vfork",
            "qemu-user refuses CLONE_VM without the thread flags: EINVAL, as documented",
        ),
        (Err(e), _) => row(&mut ok, "FAIL", "vfork", &e),
    }

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
    match (check(&forklike), qemu) {
        (Ok(()), _) => row(&mut ok, "PASS", "forklike", ""),
        (Err(e), true) if e == "/bin/true: Errno(EINVAL)" => row(
            &mut ok,
            "SKIP",
            "forklike",
            "qemu-user refuses namespace flags in a fork-like clone: EINVAL",
        ),
        (Err(e), _) if e.ends_with("(EPERM)") || e.ends_with("(ENOSPC)") => row(
            &mut ok,
            "SKIP",
            "forklike",
            &format!("no user namespaces here: {e}"),
        ),
        (Err(e), _) => row(&mut ok, "FAIL", "forklike", &e),
    }
    std::process::exit(if ok { 0 } else { 1 });
}
