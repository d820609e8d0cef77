//! The clone3 → clone(2) fallback through the Rust API: a seccomp filter,
//! installed in a fork-like test process (started with the API itself),
//! makes clone3 fail; the test process reports through its exit status.
//! The child code keeps to system calls (no allocation).

mod common;

use std::ffi::c_void;

use sched_clone::{CloneArgs, CloneBuilder, CloneFlags, Errno, ExitStatus, Stack, clone3};

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
#[cfg(all(target_arch = "powerpc64", target_endian = "little"))]
const AUDIT_ARCH: u32 = 0xc000_0015;
#[cfg(all(target_arch = "powerpc64", target_endian = "big"))]
const AUDIT_ARCH: u32 = 0x8000_0015;
#[cfg(target_arch = "powerpc")]
const AUDIT_ARCH: u32 = 0x0000_0014;
#[cfg(target_arch = "s390x")]
const AUDIT_ARCH: u32 = 0x8000_0016;
#[cfg(all(target_arch = "mips", target_endian = "big"))]
const AUDIT_ARCH: u32 = 0x0000_0008;
#[cfg(all(target_arch = "mips", target_endian = "little"))]
const AUDIT_ARCH: u32 = 0x4000_0008;
#[cfg(all(target_arch = "mips64", target_endian = "big"))]
const AUDIT_ARCH: u32 = 0x8000_0008;
#[cfg(all(target_arch = "mips64", target_endian = "little"))]
const AUDIT_ARCH: u32 = 0xc000_0008;
#[cfg(target_arch = "sparc64")]
const AUDIT_ARCH: u32 = 0x8000_002b;
#[cfg(target_arch = "loongarch64")]
const AUDIT_ARCH: u32 = 0xc000_0102;

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
    // What clone(2) cannot express.
    let unsupported = [
        // SAFETY: the test process is single-threaded; the children only return.
        unsafe { CloneBuilder::new(CloneFlags::CLONE_CLEAR_SIGHAND).spawn(|| 0) },
        // SAFETY: as above.
        unsafe { CloneBuilder::new(CloneFlags::CLONE_NEWTIME).spawn(|| 0) },
        // SAFETY: as above; descriptor 0 is only read by the spawn call.
        unsafe {
            CloneBuilder::new(CloneFlags::empty())
                .cgroup_raw(0)
                .spawn(|| 0)
        },
        // SAFETY: as above.
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
        return 9;
    }
    // From now on clone3 kills this process: the ENOSYS must be cached for
    // what clone(2) can express (what it cannot would ask clone3 again).
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

/// The argument blocks of issue 11's five cases, which sched_clone3's
/// fallback answered differently from clone3: (what, block, size). The
/// block is 8192 bytes, zero past what each case sets.
fn issue_cases(n: usize) -> (&'static str, [u64; 1024], usize) {
    let mut b = [0u64; 1024];
    let mut slot: u64 = 0;
    let slot_addr = (&raw mut slot) as u64;
    match n {
        0 => {
            b[5] = 0x10000; // stack without stack_size
            ("size 8192, only a stack", b, 8192)
        }
        1 => {
            b[6] = 0x10000; // stack_size without stack
            b[11] = 1 << 16; // a non-zero byte at offset 90
            ("a non-zero byte past 88, only a stack size", b, 96)
        }
        2 => {
            b[0] = 1 << 40;
            b[4] = libc::SIGCHLD as u64;
            ("unknown flag bit 40", b, 88)
        }
        3 => {
            b[0] = (CloneFlags::CLONE_PIDFD | CloneFlags::CLONE_PARENT_SETTID).bits();
            b[1] = slot_addr; // only compared, never written: EINVAL
            b[3] = slot_addr;
            b[4] = libc::SIGCHLD as u64;
            (
                "CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd == parent_tid",
                b,
                88,
            )
        }
        _ => {
            b[4] = libc::SIGCHLD as u64;
            b[5] = u64::MAX - 0xffff; // ends below 2^64, above every TASK_SIZE
            b[6] = 0x1000;
            ("a stack beyond the user address space", b, 88)
        }
    }
}

unsafe extern "C" fn exits_7(_: *mut c_void) -> libc::c_int {
    7
}

/// The raw clone3 answer to a block that makes it fail (0 if it did not).
fn raw_clone3_on(b: &[u64; 1024], size: usize) -> i32 {
    // SAFETY: each issue case fails in the kernel before any child exists.
    let r = unsafe { libc::syscall(libc::SYS_clone3, b.as_ptr(), size) };
    if r == -1 { common::errno() } else { 0 }
}

/// Whether sched_clone3 answers each issue case as the raw clone3 did
/// before the filter (in `kernel`).
fn issue_cases_agree(kernel: &[i32; 5]) -> bool {
    (0..5).all(|i| {
        let (_, b, size) = issue_cases(i);
        // SAFETY: a readable block of `size` bytes; every case fails.
        let r = unsafe {
            clone3(
                b.as_ptr().cast::<CloneArgs>(),
                size,
                Some(exits_7),
                std::ptr::null_mut(),
            )
        };
        r.err().map(|e| e.0) == Some(kernel[i])
    })
}

fn kernel_answers() -> [i32; 5] {
    let mut k = [0; 5];
    for (i, slot) in k.iter_mut().enumerate() {
        let (_, b, size) = issue_cases(i);
        *slot = raw_clone3_on(&b, size);
    }
    k
}

fn issue_cases_body(action: u32) -> i32 {
    let kernel = kernel_answers();
    if kernel.contains(&0) || !issue_cases_agree(&kernel) {
        return 20;
    }
    if !filter_clone3(action) {
        return 77;
    }
    if issue_cases_agree(&kernel) { 0 } else { 21 }
}

fn issue_cases_enosys() -> i32 {
    issue_cases_body(libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32)
}

fn issue_cases_eperm() -> i32 {
    issue_cases_body(libc::SECCOMP_RET_ERRNO | libc::EPERM as u32)
}

/// A seccomp filter of one thread (no TSYNC) must not cost another thread
/// any clone3 feature, although the ENOSYS cache is process-wide.
fn per_thread_filter_body() -> i32 {
    static mut STACK: [u8; 64 * 1024] = [0; 64 * 1024];
    extern "C" fn filtered(_: *mut c_void) -> *mut c_void {
        if !filter_clone3(libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32) {
            return std::ptr::without_provenance_mut(77);
        }
        // clone(2) does it: the cache is now set for the process.
        if !pidfd_child_works(3) {
            return std::ptr::without_provenance_mut(1);
        }
        // This thread cannot have what needs clone3.
        // SAFETY: the child only returns; it touches no lock another thread holds.
        let r = unsafe { CloneBuilder::new(CloneFlags::CLONE_CLEAR_SIGHAND).spawn(|| 0) };
        if r.err() != Some(Errno::ENOSYS) {
            return std::ptr::without_provenance_mut(2);
        }
        std::ptr::null_mut()
    }
    let mut t: libc::pthread_t = 0;
    // SAFETY: a plain thread on its own (static) stack; joined below.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        libc::pthread_attr_init(&mut attr);
        libc::pthread_attr_setstack(&mut attr, (&raw mut STACK).cast(), 64 * 1024);
        if libc::pthread_create(&mut t, &attr, filtered, std::ptr::null_mut()) != 0 {
            return 30;
        }
        let mut ret = std::ptr::null_mut();
        libc::pthread_join(t, &mut ret);
        if !ret.is_null() {
            return ret.addr() as i32;
        }
    }
    // This thread has no filter: clone3 still works here, for what needs it
    // (a raw clone3 that would be ENOSYS would make this fail)...
    // SAFETY: the other thread has been joined; the child only returns.
    if unsafe { CloneBuilder::new(CloneFlags::CLONE_CLEAR_SIGHAND).spawn(|| 5) }
        .and_then(|mut c| c.wait())
        != Ok(ExitStatus::Exited(5))
    {
        return 31;
    }
    // ...and what clone(2) can express still works (through clone(2)).
    if !pidfd_child_works(6) {
        return 32;
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

#[test]
fn issue_cases_enosys_fallback_answers_as_clone3() {
    check(
        "issue_cases_enosys_fallback_answers_as_clone3",
        in_test_process(issue_cases_enosys),
    );
}

#[test]
fn issue_cases_eperm_fallback_answers_as_clone3() {
    check(
        "issue_cases_eperm_fallback_answers_as_clone3",
        in_test_process(issue_cases_eperm),
    );
}

#[test]
fn one_threads_filter_costs_no_other_thread_clone3() {
    check(
        "one_threads_filter_costs_no_other_thread_clone3",
        in_test_process(per_thread_filter_body),
    );
}
