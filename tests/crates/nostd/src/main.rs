//! Calls `sched_clone::clone` for a fork-like child on a static stack and
//! checks its exit status: 0 when everything held, else the failed step.
#![no_std]
#![no_main]

use core::ffi::{c_char, c_int, c_void};
use core::ptr::{addr_of_mut, null_mut};

/// Our own panic handler: the crate must not define one.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: abort() has no preconditions.
    unsafe { libc::abort() }
}

#[repr(C, align(16))]
struct ChildStack([u8; 64 * 1024]);
static mut STACK: ChildStack = ChildStack([0; 64 * 1024]);

unsafe extern "C" fn child(arg: *mut c_void) -> c_int {
    arg as usize as c_int
}

fn say(msg: &[u8]) {
    // SAFETY: a valid buffer and its length.
    unsafe { libc::write(1, msg.as_ptr().cast(), msg.len()) };
}

#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    // SAFETY: a private static stack that only the child uses (it is a
    // fork-like child: it runs on its own copy of our memory).
    let top = unsafe { addr_of_mut!(STACK).cast::<u8>().add(64 * 1024) };
    // SAFETY: see above; the child only returns its argument.
    let r = unsafe {
        sched_clone::clone(
            Some(child),
            top.cast(),
            libc::SIGCHLD,
            42usize as *mut c_void,
            null_mut(),
            null_mut(),
            null_mut(),
        )
    };
    let Ok(pid) = r else {
        say(b"nostd-user: clone failed\n");
        return 1;
    };
    let mut status = 0;
    // SAFETY: a valid int to fill in.
    if unsafe { libc::waitpid(pid, &mut status, 0) } != pid {
        say(b"nostd-user: waitpid failed\n");
        return 2;
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 42 {
        say(b"nostd-user: wrong child status\n");
        return 3;
    }
    // A bad argument comes back as an Errno, not a crash.
    // SAFETY: fails its argument check before any syscall.
    let bad = unsafe {
        sched_clone::clone(None, top.cast(), 0, null_mut(), null_mut(), null_mut(), null_mut())
    };
    if bad != Err(sched_clone::Errno::EINVAL) {
        say(b"nostd-user: NULL fn not EINVAL\n");
        return 4;
    }
    say(b"nostd-user: ok\n");
    0
}
