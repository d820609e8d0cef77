//! The clone3 → clone(2) fallback through the Rust API: a seccomp filter,
//! installed in a fork-like test process (started with the API itself),
//! makes clone3 fail; the test process reports through its exit status.
//! The child code keeps to system calls (no allocation).

mod common;

use sched_clone::{CloneBuilder, CloneFlags, Errno, ExitStatus, Stack};

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xc000_003e;
#[cfg(target_arch = "x86")]
const AUDIT_ARCH: u32 = 0x4000_0003;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xc000_00b7;
#[cfg(target_arch = "arm")]
const AUDIT_ARCH: u32 = 0x4000_0028;
#[cfg(target_arch = "riscv64")]
const AUDIT_ARCH: u32 = 0xc000_00f3;
#[cfg(target_arch = "powerpc64")]
const AUDIT_ARCH: u32 = 0xc000_0015;
#[cfg(target_arch = "s390x")]
const AUDIT_ARCH: u32 = 0x8000_0016;

/// Adds a seccomp filter: clone3 gets `action`, the rest is allowed.
/// Returns false if seccomp is unavailable.
fn filter_clone3(action: u32) -> bool {
    const ARCH_OFFSET: u32 = 4; // struct seccomp_data { int nr; __u32 arch; ... }
    let stmt = |code: u32, k: u32| libc::sock_filter {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    };
    let jeq = |k: u32, jt: u8, jf: u8| libc::sock_filter {
        code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
        jt,
        jf,
        k,
    };
    let load = libc::BPF_LD | libc::BPF_W | libc::BPF_ABS;
    let ret = libc::BPF_RET | libc::BPF_K;
    let mut prog = [
        stmt(load, ARCH_OFFSET),
        jeq(AUDIT_ARCH, 1, 0),
        stmt(ret, libc::SECCOMP_RET_ALLOW),
        stmt(load, 0),
        jeq(libc::SYS_clone3 as u32, 0, 1),
        stmt(ret, action),
        stmt(ret, libc::SECCOMP_RET_ALLOW),
    ];
    let fprog = libc::sock_fprog {
        len: prog.len() as u16,
        filter: prog.as_mut_ptr(),
    };
    // SAFETY: plain system calls with a valid filter program.
    unsafe {
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
            && libc::syscall(libc::SYS_seccomp, libc::SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0
    }
}

/// Runs `body` in a fork-like test process and returns its exit status;
/// 77 means "seccomp unavailable".
fn in_test_process(body: fn() -> i32) -> ExitStatus {
    let _g = common::serial();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let mut child =
        unsafe { CloneBuilder::new(CloneFlags::empty()).spawn(body) }.expect("test process");
    child.wait().expect("wait")
}

fn raw_clone3_errno() -> i32 {
    // SAFETY: a NULL argument block: clone3 fails without side effects.
    let r = unsafe { libc::syscall(libc::SYS_clone3, std::ptr::null_mut::<u8>(), 0usize) };
    if r == -1 { common::errno() } else { 0 }
}

/// Checks one fork-like child through the builder, with a pidfd: `Ok` if it
/// ran and was reaped through its pidfd with the right status.
fn pidfd_child_works(code: i32) -> bool {
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    match unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .pidfd(true)
            .spawn(move || code)
    } {
        Ok(mut child) => child.pidfd().is_some() && child.wait() == Ok(ExitStatus::Exited(code)),
        Err(_) => false,
    }
}

fn enosys_body() -> i32 {
    if !filter_clone3(libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32) {
        return 77;
    }
    if raw_clone3_errno() != libc::ENOSYS {
        return 10;
    }
    if !pidfd_child_works(3) {
        return 11;
    }
    // From now on clone3 kills this process: the ENOSYS must be cached.
    if !filter_clone3(libc::SECCOMP_RET_KILL_PROCESS) {
        return 12;
    }
    if !pidfd_child_works(4) {
        return 13;
    }
    let Ok(mut stack) = Stack::new(64 * 1024) else {
        return 14;
    };
    let mut seen = 0;
    let vfork =
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        unsafe { CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn_on(&mut stack, || {
            seen = 1;
            0
        }) };
    let Ok(mut vfork) = vfork else { return 15 };
    if seen != 1 || vfork.wait() != Ok(ExitStatus::Exited(0)) {
        return 16;
    }
    // What clone(2) cannot express.
    let unsupported = [
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        unsafe { CloneBuilder::new(CloneFlags::CLONE_CLEAR_SIGHAND).spawn(|| 0) },
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        unsafe { CloneBuilder::new(CloneFlags::CLONE_NEWTIME).spawn(|| 0) },
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        unsafe {
            CloneBuilder::new(CloneFlags::empty())
                .cgroup_raw(0)
                .spawn(|| 0)
        },
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        unsafe {
            CloneBuilder::new(CloneFlags::CLONE_NEWPID)
                .set_tid(&[1])
                .spawn(|| 0)
        },
    ];
    if unsupported
        .iter()
        .any(|r| r.as_ref().err() != Some(&Errno::ENOSYS))
    {
        return 17;
    }
    0
}

fn eperm_body() -> i32 {
    if !filter_clone3(libc::SECCOMP_RET_ERRNO | libc::EPERM as u32) {
        return 77;
    }
    if raw_clone3_errno() != libc::EPERM {
        return 10;
    }
    if !pidfd_child_works(3) {
        return 11;
    }
    // A request that needs clone3 gets the kernel's EPERM back.
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    if unsafe { CloneBuilder::new(CloneFlags::CLONE_CLEAR_SIGHAND).spawn(|| 0) }.err()
        != Some(Errno::EPERM)
    {
        return 12;
    }
    // The switch.
    if !sched_clone::set_eperm_fallback(false) {
        return 13;
    }
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    if unsafe { CloneBuilder::new(CloneFlags::empty()).spawn(|| 0) }.err() != Some(Errno::EPERM) {
        return 14;
    }
    sched_clone::set_eperm_fallback(true);
    if !pidfd_child_works(5) {
        return 15;
    }
    0
}

fn check(test: &str, status: ExitStatus) {
    match status {
        ExitStatus::Exited(77) => common::skip(test, "seccomp filters are not available"),
        s => assert_eq!(s, ExitStatus::Exited(0), "{test}: the test process failed"),
    }
}

#[test]
fn enosys_falls_back_and_is_cached() {
    check(
        "enosys_falls_back_and_is_cached",
        in_test_process(enosys_body),
    );
}

#[test]
fn eperm_falls_back_unless_switched_off() {
    check(
        "eperm_falls_back_unless_switched_off",
        in_test_process(eperm_body),
    );
}
