//! The `CloneBuilder`, `Stack` and `Child`: one test per behaviour.
//!
//! Fork-like children get a copy of the whole test process; they keep to
//! system calls (no allocation) and every test takes `common::serial()`.

mod common;

use std::ffi::CString;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicUsize, Ordering};

use sched_clone::{Child, CloneBuilder, CloneFlags, Errno, ExitStatus, Stack};

fn wait(mut child: Child) -> ExitStatus {
    child.wait().expect("wait")
}

#[test]
fn fork_like_child_exit_status_is_the_closure_result() {
    let _g = common::serial();
    let value = 42;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe { CloneBuilder::new(CloneFlags::empty()).spawn(move || value) }.unwrap();
    assert!(child.pid() > 0);
    assert_eq!(wait(child), ExitStatus::Exited(42));
}

#[test]
fn fork_like_child_on_an_owned_stack_runs_on_it() {
    let _g = common::serial();
    let mut stack = Stack::new(64 * 1024).unwrap();
    let (lo, hi) = (stack.base() as usize, stack.top() as usize);
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty()).spawn_on(&mut stack, move || {
            let here = 0u8;
            let at = std::hint::black_box(&here) as *const u8 as usize;
            if (lo..hi).contains(&at) { 0 } else { 1 }
        })
    }
    .unwrap();
    assert_eq!(wait(child), ExitStatus::Exited(0));
}

/// A large closure lands on the child's stack intact.
#[test]
fn large_closure_is_moved_onto_the_stack() {
    let _g = common::serial();
    let mut data = [0u8; 8192];
    for (i, b) in data.iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    let expected: u32 = data.iter().map(|&b| u32::from(b)).sum();
    let mut stack = Stack::new(64 * 1024).unwrap();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty()).spawn_on(&mut stack, move || {
            let sum: u32 = data.iter().map(|&b| u32::from(b)).sum();
            (sum == expected) as i32
        })
    }
    .unwrap();
    assert_eq!(wait(child), ExitStatus::Exited(1));
}

#[test]
fn closure_too_large_for_the_stack_is_einval_and_dropped() {
    let _g = common::serial();
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Counted([u8; 16384]);
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }
    let big = Counted([1; 16384]);
    let mut stack = Stack::new(4096).unwrap();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe {
        CloneBuilder::new(CloneFlags::empty()).spawn_on(&mut stack, move || {
            let big = big; // the whole value, not just the Copy field
            i32::from(big.0[0])
        })
    };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
    assert_eq!(DROPS.load(Ordering::SeqCst), 1);
}

/// The parent never drops a closure that a child received; when no child
/// was created, the closure is dropped exactly once.
#[test]
fn closure_drop_accounting() {
    let _g = common::serial();
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }

    // Fork-like: the child drops its copy, and the parent its own (fork
    // semantics): the parent counts one drop.
    let c = Counted;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty()).spawn(move || {
            drop(c);
            0
        })
    }
    .unwrap();
    assert_eq!(wait(child), ExitStatus::Exited(0));
    assert_eq!(DROPS.load(Ordering::SeqCst), 1);

    // vfork-like: the child drops it in shared memory, once.
    let mut stack = Stack::new(64 * 1024).unwrap();
    let c = Counted;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn_on(
            &mut stack,
            move || {
                drop(c);
                0
            },
        )
    }
    .unwrap();
    assert_eq!(wait(child), ExitStatus::Exited(0));
    assert_eq!(DROPS.load(Ordering::SeqCst), 2);

    // Rejected before the syscall (stackless, CLONE_VM): dropped here, once.
    let c = Counted;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe {
        CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn(move || {
            drop(c);
            0
        })
    };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
    assert_eq!(DROPS.load(Ordering::SeqCst), 3);

    // Rejected by the kernel after the closure was placed on the stack.
    let c = Counted;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .exit_signal(65)
            .spawn_on(&mut stack, move || {
                drop(c);
                0
            })
    };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
    assert_eq!(DROPS.load(Ordering::SeqCst), 4);

    // Rejected by the kernel, stackless.
    let c = Counted;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .exit_signal(65)
            .spawn(move || {
                drop(c);
                0
            })
    };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
    assert_eq!(DROPS.load(Ordering::SeqCst), 5);
}

#[test]
fn vfork_child_shares_memory_and_parent_waits_for_it() {
    let _g = common::serial();
    let mut stack = Stack::new(64 * 1024).unwrap();
    let mut seen = 0;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn_on(
            &mut stack,
            || {
                seen = 7;
                0
            },
        )
    }
    .unwrap();
    // The parent slept until the child exited: its write is visible.
    assert_eq!(seen, 7);
    assert_eq!(wait(child), ExitStatus::Exited(0));
}

#[test]
fn vfork_child_execs() {
    let _g = common::serial();
    let sh = CString::new("/bin/sh").unwrap();
    let dash_c = CString::new("-c").unwrap();
    let script = CString::new("exit 17").unwrap();
    let argv = [
        sh.as_ptr(),
        dash_c.as_ptr(),
        script.as_ptr(),
        std::ptr::null(),
    ];
    let exec_errno = AtomicI32::new(0);
    let mut stack = Stack::new(64 * 1024).unwrap();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn_on(
            &mut stack,
            || {
                // argv is a NULL-terminated array of C strings.
                libc::execv(sh.as_ptr(), argv.as_ptr());
                exec_errno.store(common::errno(), Ordering::SeqCst);
                127
            },
        )
    }
    .unwrap();
    assert_eq!(exec_errno.load(Ordering::SeqCst), 0);
    assert_eq!(wait(child), ExitStatus::Exited(17));
}

#[test]
fn safe_methods_reject_unsound_flag_sets() {
    let _g = common::serial();
    let mut stack = Stack::new(64 * 1024).unwrap();
    // A thread (CLONE_VM without CLONE_VFORK) needs spawn_on_slice.
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe { CloneBuilder::new(CloneFlags::CLONE_VM).spawn_on(&mut stack, || 0) };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
    // Stackless with CLONE_VM would share the caller's stack.
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r =
        unsafe { CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn(|| 0) };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
    // CLONE_FILES without CLONE_VM: shared descriptors, separate memory.
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe { CloneBuilder::new(CloneFlags::CLONE_FILES).spawn(|| 0) };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
    // Flags that make the kernel write through a pointer need the pointer.
    for flags in [
        CloneFlags::CLONE_PARENT_SETTID,
        CloneFlags::CLONE_CHILD_SETTID,
        CloneFlags::CLONE_CHILD_CLEARTID,
        CloneFlags::CLONE_SETTLS,
        CloneFlags::CLONE_INTO_CGROUP,
    ] {
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        let r = unsafe { CloneBuilder::new(flags).spawn(|| 0) };
        assert_eq!(r.unwrap_err(), Errno::EINVAL, "{flags:?}");
    }
    // No child was created by any of these.
    // SAFETY: WNOHANG, no status pointer.
    let r = unsafe { libc::waitpid(-1, std::ptr::null_mut(), libc::WNOHANG | libc::__WALL) };
    assert!(
        r == -1 && common::errno() == libc::ECHILD,
        "a child exists: {r}"
    );
}

#[test]
fn panic_in_the_closure_kills_the_child_with_sigabrt() {
    let _g = common::serial();
    let mut stack = Stack::new(256 * 1024).unwrap();
    // Fork-like only: a vfork-like child must not panic (its panic count
    // is the parent's; see spawn_on's # Safety).
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty()).spawn_on(&mut stack, || {
            panic!("panic in a fork-like child (expected by the test)")
        })
    }
    .unwrap();
    assert_eq!(wait(child).signal(), Some(libc::SIGABRT));
}

#[test]
fn stack_overflow_hits_the_guard_page() {
    let _g = common::serial();
    fn recurse(depth: u32) -> u32 {
        let buf = [depth as u8; 512];
        std::hint::black_box(&buf);
        if depth == 0 {
            0
        } else {
            recurse(depth - 1).wrapping_add(u32::from(buf[7]))
        }
    }
    let mut stack = Stack::new(16 * 1024).unwrap();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .spawn_on(&mut stack, || recurse(std::hint::black_box(1 << 20)) as i32)
    }
    .unwrap();
    let status = wait(child);
    assert_eq!(status.signal(), Some(libc::SIGSEGV), "{status}");
}

#[test]
fn stack_sizes() {
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
    assert_eq!(Stack::new(0).unwrap_err(), Errno::EINVAL);
    assert_eq!(Stack::new(usize::MAX).unwrap_err(), Errno::EINVAL);
    let mut s = Stack::new(1).unwrap();
    assert_eq!(s.len() % page, 0);
    assert!(s.len() >= page);
    assert_eq!(s.top() as usize - s.base() as usize, s.len());
    s.as_mut_slice().fill(0xaa);
    // The page below the stack is the guard: PROT_NONE.
    let guard = s.base() as usize - page;
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let start = format!("{guard:x}-");
    let line = maps
        .lines()
        .find(|l| l.starts_with(&start))
        .expect("guard mapping");
    assert!(line.split_whitespace().nth(1) == Some("---p"), "{line}");
}

#[test]
fn pidfd_and_wait_through_it() {
    let _g = common::serial();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let mut child = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .pidfd(true)
            .spawn(|| 3)
    }
    .unwrap();
    let fd = child.as_raw_pidfd().expect("pidfd");
    assert_eq!(child.pidfd().map(|b| b.as_raw_fd()), Some(fd));
    let fdinfo = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
    assert!(
        fdinfo.contains(&format!("Pid:\t{}", child.pid())),
        "{fdinfo}"
    );
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    assert_eq!(unsafe { libc::poll(&mut pfd, 1, 10_000) }, 1);
    assert_eq!(child.wait().unwrap(), ExitStatus::Exited(3));
    // Cached: the child is gone, the answer stays.
    assert_eq!(child.wait().unwrap(), ExitStatus::Exited(3));
    drop(child);
    // Dropping the Child closed the pidfd.
    // SAFETY: F_GETFD on a closed descriptor just fails.
    assert_eq!(unsafe { libc::fcntl(fd, libc::F_GETFD) }, -1);
}

#[test]
fn wait_without_a_pidfd_uses_waitpid() {
    let _g = common::serial();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let mut child = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .pidfd(true)
            .spawn(|| 4)
    }
    .unwrap();
    let fd = child.take_pidfd().expect("pidfd");
    assert!(child.pidfd().is_none());
    assert_eq!(child.wait().unwrap(), ExitStatus::Exited(4));
    // We own the pidfd now: it is still open until `fd` drops.
    // SAFETY: F_GETFD on a descriptor.
    assert!(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) } >= 0);
}

#[test]
fn exit_signals_other_than_sigchld() {
    let _g = common::serial();
    // 0: no signal at all; SIGURG: ignored by default. Both are "clone"
    // children that wait() reaps with __WALL.
    for sig in [0, libc::SIGURG] {
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        let child = unsafe {
            CloneBuilder::new(CloneFlags::empty())
                .exit_signal(sig)
                .spawn(|| 5)
        }
        .unwrap();
        assert_eq!(wait(child), ExitStatus::Exited(5), "exit signal {sig}");
        // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
        let child = unsafe {
            CloneBuilder::new(CloneFlags::empty())
                .exit_signal(sig)
                .pidfd(true)
                .spawn(|| 6)
        }
        .unwrap();
        assert_eq!(
            wait(child),
            ExitStatus::Exited(6),
            "exit signal {sig}, pidfd"
        );
    }
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .exit_signal(-1)
            .spawn(|| 0)
    };
    assert_eq!(r.unwrap_err(), Errno::EINVAL);
}

#[test]
fn killed_child_reports_its_signal() {
    let _g = common::serial();
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty()).spawn(|| {
            // SAFETY: plain system calls.
            libc::kill(libc::getpid(), libc::SIGKILL);
            0
        })
    }
    .unwrap();
    let status = wait(child);
    assert_eq!(
        status,
        ExitStatus::Signaled {
            signal: libc::SIGKILL,
            core_dumped: false
        }
    );
    assert_eq!(status.code(), None);
    assert!(!status.success());
}

#[test]
fn parent_tid_slot_is_filled_before_spawn_returns() {
    let _g = common::serial();
    let mut ptid: libc::pid_t = 0;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .parent_tid(&mut ptid)
            .spawn(|| 0)
    }
    .unwrap();
    let pid = child.pid();
    assert_eq!(wait(child), ExitStatus::Exited(0));
    assert_eq!(ptid, pid);
}

#[test]
fn namespace_sandbox() {
    if !common::root_or_skip("namespace_sandbox") {
        return;
    }
    let _g = common::serial();
    let mut before = [0u8; 65];
    // SAFETY: a buffer and its length.
    unsafe { libc::gethostname(before.as_mut_ptr().cast(), before.len()) };
    let flags = CloneFlags::CLONE_NEWUTS | CloneFlags::CLONE_NEWPID | CloneFlags::CLONE_NEWNS;
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(flags).spawn(|| {
            let name = b"sched-clone-box";
            let mut got = [0u8; 65];
            // SAFETY: buffers and their lengths.
            {
                if libc::sethostname(name.as_ptr().cast(), name.len()) != 0 {
                    return 1;
                }
                libc::gethostname(got.as_mut_ptr().cast(), got.len());
                if libc::getpid() != 1 {
                    return 2;
                }
            }
            if &got[..name.len()] != name || got[name.len()] != 0 {
                return 3;
            }
            0
        })
    }
    .unwrap();
    assert_eq!(wait(child), ExitStatus::Exited(0));
    let mut after = [0u8; 65];
    // SAFETY: as above.
    unsafe { libc::gethostname(after.as_mut_ptr().cast(), after.len()) };
    assert_eq!(
        before, after,
        "the child's hostname leaked out of its UTS namespace"
    );
}

#[test]
fn set_tid_in_a_new_pid_namespace() {
    if !common::root_or_skip("set_tid_in_a_new_pid_namespace") {
        return;
    }
    let _g = common::serial();
    let pids = [1];
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::CLONE_NEWPID)
            .set_tid(&pids)
            .spawn(|| {
                // SAFETY: getpid has no preconditions.
                if libc::getpid() == 1 { 0 } else { 1 }
            })
    }
    .unwrap();
    assert_eq!(wait(child), ExitStatus::Exited(0));
    // A PID in use.
    // SAFETY: getpid has no preconditions.
    let mine = [unsafe { libc::getpid() }];
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let r = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .set_tid(&mine)
            .spawn(|| 0)
    };
    assert_eq!(r.unwrap_err(), Errno(libc::EEXIST));
}

extern "C" fn on_sigusr2(_: libc::c_int) {}

#[test]
fn clear_sighand_resets_caught_signals() {
    let _g = common::serial();
    // SAFETY: installs a handler that does nothing, for SIGUSR2, which
    // nothing else in this test binary uses.
    unsafe { libc::signal(libc::SIGUSR2, on_sigusr2 as *const () as usize) };
    let probe = || {
        // SAFETY: a query; `old` is written.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        unsafe { libc::sigaction(libc::SIGUSR2, std::ptr::null(), &mut old) };
        if old.sa_sigaction == libc::SIG_DFL {
            0
        } else {
            1
        }
    };
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe { CloneBuilder::new(CloneFlags::CLONE_CLEAR_SIGHAND).spawn(probe) }.unwrap();
    assert_eq!(wait(child), ExitStatus::Exited(0), "handler not reset");
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe { CloneBuilder::new(CloneFlags::empty()).spawn(probe) }.unwrap();
    assert_eq!(
        wait(child),
        ExitStatus::Exited(1),
        "handler not inherited without the flag"
    );
}

#[test]
fn into_cgroup() {
    const TEST: &str = "into_cgroup";
    if !common::root_or_skip(TEST) {
        return;
    }
    let Some(mount) = common::cgroup2_mount() else {
        return common::skip(TEST, "no cgroup2 filesystem is mounted");
    };
    let _g = common::serial();
    let name = format!("sched_clone_rust_test_{}", std::process::id());
    let dir = format!("{mount}/{name}");
    if let Err(e) = std::fs::create_dir(&dir) {
        return common::skip(TEST, &format!("cannot create {dir}: {e}"));
    }
    let cg = std::fs::File::open(&dir).unwrap();
    let mut fds = [0; 2];
    // SAFETY: a valid array of two ints.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: the tests run one at a time (common::serial()); the child makes system calls only, or is vfork-safe.
    let child = unsafe {
        CloneBuilder::new(CloneFlags::empty())
            .cgroup(std::os::fd::AsFd::as_fd(&cg))
            .spawn(move || {
                let mut c = 0u8;
                // SAFETY: reads one byte into `c`.
                libc::read(fds[0], (&raw mut c).cast(), 1);
                0
            })
    }
    .unwrap();
    let cgroup = std::fs::read_to_string(format!("/proc/{}/cgroup", child.pid())).unwrap();
    let procs = std::fs::read_to_string(format!("{dir}/cgroup.procs")).unwrap();
    // SAFETY: writes one byte from a valid buffer.
    unsafe { libc::write(fds[1], b"x".as_ptr().cast(), 1) };
    let pid = child.pid();
    let status = wait(child);
    // SAFETY: closing our own pipe.
    unsafe {
        libc::close(fds[0]);
        libc::close(fds[1]);
    }
    for _ in 0..100 {
        if std::fs::remove_dir(&dir).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        cgroup
            .lines()
            .any(|l| l.starts_with("0::") && l.ends_with(&format!("/{name}"))),
        "{cgroup}"
    );
    assert!(procs.lines().any(|l| l == pid.to_string()), "{procs}");
    assert_eq!(status, ExitStatus::Exited(0));
    assert!(std::fs::metadata(&dir).is_err(), "{dir} was not removed");
}

/// A raw thread: CLONE_VM without CLONE_VFORK, through the unsafe method,
/// joined by the CLONE_CHILD_CLEARTID futex.
#[test]
fn thread_via_spawn_on_slice() {
    let _g = common::serial();
    let counter = AtomicU32::new(0);
    let mut tid: libc::pid_t = -1;
    let tid_ptr: *mut libc::pid_t = &mut tid;
    let mut stack = Stack::new(64 * 1024).unwrap();
    let flags = CloneFlags::CLONE_VM
        | CloneFlags::CLONE_FS
        | CloneFlags::CLONE_FILES
        | CloneFlags::CLONE_SIGHAND
        | CloneFlags::CLONE_THREAD
        | CloneFlags::CLONE_SYSVSEM
        | CloneFlags::CLONE_CHILD_SETTID
        | CloneFlags::CLONE_CHILD_CLEARTID;
    // SAFETY: the stack, `counter` and `tid` outlive the thread (joined
    // below before they go out of scope); the thread touches no
    // thread-local state.
    let mut child = unsafe {
        CloneBuilder::new(flags)
            .child_tid(&mut *tid_ptr)
            .spawn_on_slice(stack.as_mut_slice(), || {
                counter.fetch_add(1, Ordering::SeqCst);
                0
            })
            .unwrap()
    };
    loop {
        // SAFETY: `tid` is live; the kernel writes it atomically.
        let seen = unsafe { std::ptr::read_volatile(tid_ptr) };
        if seen == 0 {
            break;
        }
        // SAFETY: FUTEX_WAIT on a valid, aligned word.
        unsafe { libc::syscall(libc::SYS_futex, tid_ptr, libc::FUTEX_WAIT, seen, 0) };
    }
    assert_eq!(counter.load(Ordering::SeqCst), 1);
    // A CLONE_THREAD child is not ours to wait for.
    assert_eq!(child.wait().unwrap_err(), Errno(libc::ECHILD));
}
