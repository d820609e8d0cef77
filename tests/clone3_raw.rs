//! The raw `clone3()` function and `CloneArgs`, as a Rust caller sees them.

mod common;

use std::ffi::c_void;
use std::mem::{offset_of, size_of};

use sched_clone::{
    CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER1, CLONE_ARGS_SIZE_VER2, CloneArgs, CloneFlags, Errno,
    Stack, clone3,
};

unsafe extern "C" fn returns_arg(arg: *mut c_void) -> libc::c_int {
    arg as usize as libc::c_int
}

fn wait_exit(pid: libc::pid_t) -> libc::c_int {
    let mut st = 0;
    // SAFETY: a valid status pointer.
    assert_eq!(unsafe { libc::waitpid(pid, &mut st, libc::__WALL) }, pid);
    assert!(libc::WIFEXITED(st), "status {st:#x}");
    libc::WEXITSTATUS(st)
}

fn args_on(stack: &mut Stack) -> CloneArgs {
    CloneArgs {
        exit_signal: libc::SIGCHLD as u64,
        stack: stack.base() as u64,
        stack_size: stack.len() as u64,
        ..CloneArgs::default()
    }
}

#[test]
fn layout_matches_the_kernel() {
    assert_eq!(size_of::<CloneArgs>(), CLONE_ARGS_SIZE_VER2);
    assert_eq!(offset_of!(CloneArgs, tls) + 8, CLONE_ARGS_SIZE_VER0);
    assert_eq!(
        offset_of!(CloneArgs, set_tid_size) + 8,
        CLONE_ARGS_SIZE_VER1
    );
    assert_eq!(offset_of!(CloneArgs, cgroup) + 8, CLONE_ARGS_SIZE_VER2);
    assert_eq!(
        (
            CLONE_ARGS_SIZE_VER0,
            CLONE_ARGS_SIZE_VER1,
            CLONE_ARGS_SIZE_VER2
        ),
        (64, 80, 88)
    );
}

#[test]
fn each_published_size_works() {
    let _g = common::serial();
    let mut stack = Stack::new(64 * 1024).unwrap();
    for (i, size) in [
        CLONE_ARGS_SIZE_VER0,
        CLONE_ARGS_SIZE_VER1,
        CLONE_ARGS_SIZE_VER2,
    ]
    .into_iter()
    .enumerate()
    {
        let a = args_on(&mut stack);
        // SAFETY: a valid block and stack; the child only returns.
        let pid = unsafe { clone3(&a, size, Some(returns_arg), (10 + i) as *mut c_void) }.unwrap();
        assert_eq!(wait_exit(pid), 10 + i as i32, "size {size}");
    }
}

#[test]
fn larger_sizes_pass_through_to_the_kernel() {
    let _g = common::serial();
    let mut stack = Stack::new(64 * 1024).unwrap();
    #[repr(C)]
    struct Bigger {
        a: CloneArgs,
        more: [u64; 2],
    }
    let mut b = Bigger {
        a: args_on(&mut stack),
        more: [0; 2],
    };
    let size = size_of::<Bigger>();
    // SAFETY: `size` readable bytes; valid stack.
    let pid = unsafe { clone3(&b.a, size, Some(returns_arg), 3 as *mut c_void) }.unwrap();
    assert_eq!(wait_exit(pid), 3);
    b.more[1] = 1;
    // SAFETY: as above.
    let r = unsafe { clone3(&b.a, size, Some(returns_arg), std::ptr::null_mut()) };
    assert_eq!(r.unwrap_err(), Errno(libc::E2BIG));
}

#[test]
fn stackless_fork_like_child() {
    let _g = common::serial();
    let a = CloneArgs {
        exit_signal: libc::SIGCHLD as u64,
        ..CloneArgs::default()
    };
    // SAFETY: no CLONE_VM: the child runs on its copy of our stack.
    let pid = unsafe {
        clone3(
            &a,
            size_of::<CloneArgs>(),
            Some(returns_arg),
            8 as *mut c_void,
        )
    };
    assert_eq!(wait_exit(pid.unwrap()), 8);
}

#[test]
fn bad_arguments_are_einval() {
    let _g = common::serial();
    let mut stack = Stack::new(64 * 1024).unwrap();
    let good = args_on(&mut stack);
    let n = size_of::<CloneArgs>();
    let f = Some(returns_arg as unsafe extern "C" fn(*mut c_void) -> libc::c_int);
    let cases: [(&str, CloneArgs, usize, bool); 7] = [
        ("size 63", good, 63, true),
        ("NULL fn", good, n, false),
        (
            "CLONE_VM without a stack",
            CloneArgs {
                flags: CloneFlags::CLONE_VM.bits(),
                stack: 0,
                stack_size: 0,
                ..good
            },
            n,
            true,
        ),
        (
            "stack without size",
            CloneArgs {
                stack_size: 0,
                ..good
            },
            n,
            true,
        ),
        (
            "size without stack",
            CloneArgs { stack: 0, ..good },
            n,
            true,
        ),
        (
            "top below 16",
            CloneArgs {
                stack: 1,
                stack_size: 8,
                ..good
            },
            n,
            true,
        ),
        (
            "top overflows",
            CloneArgs {
                stack: u64::MAX - 8,
                stack_size: 16,
                ..good
            },
            n,
            true,
        ),
    ];
    for (what, a, size, with_fn) in cases {
        // SAFETY: every case is rejected before the syscall.
        let r = unsafe {
            clone3(
                &a,
                size,
                if with_fn { f } else { None },
                std::ptr::null_mut(),
            )
        };
        assert_eq!(r.unwrap_err(), Errno::EINVAL, "{what}");
    }
    // SAFETY: the kernel rejects a NULL block as it would any unreadable
    // one, with EFAULT (E2BIG/EINVAL for a size it rejects first).
    for (size, want) in [
        (n, libc::EFAULT),
        (63, libc::EINVAL),
        (1 << 20, libc::E2BIG),
    ] {
        let r = unsafe { clone3(std::ptr::null(), size, f, std::ptr::null_mut()) };
        assert_eq!(r.unwrap_err(), Errno(want), "NULL args, size {size}");
        // SAFETY: rejected before any child exists, with or without fn.
        let r = unsafe { clone3(std::ptr::null(), size, None, std::ptr::null_mut()) };
        assert_eq!(r.unwrap_err(), Errno(want), "NULL args and fn, size {size}");
    }
}

#[test]
fn pidfd_is_stored_where_args_say() {
    let _g = common::serial();
    let mut stack = Stack::new(64 * 1024).unwrap();
    let mut pidfd: libc::c_int = -1;
    let a = CloneArgs {
        flags: CloneFlags::CLONE_PIDFD.bits(),
        pidfd: (&raw mut pidfd) as u64,
        ..args_on(&mut stack)
    };
    // SAFETY: valid block, stack and pidfd slot.
    let pid = unsafe {
        clone3(
            &a,
            size_of::<CloneArgs>(),
            Some(returns_arg),
            2 as *mut c_void,
        )
    }
    .unwrap();
    assert!(pidfd >= 0);
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{pidfd}")).unwrap();
    assert!(info.contains(&format!("Pid:\t{pid}")), "{info}");
    assert_eq!(wait_exit(pid), 2);
    // SAFETY: our pidfd.
    unsafe { libc::close(pidfd) };
}
