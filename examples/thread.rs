//! Raw threads: `CLONE_VM | CLONE_THREAD | ...` children that share the
//! process's memory, each on its own guarded `Stack`, joined through the
//! `CLONE_CHILD_CLEARTID` futex, the way pthread_join works underneath.
//!
//! The threads get no TLS block of their own (no `CLONE_SETTLS`): they
//! share the main thread's, so they must not touch thread-local state. They
//! use atomics and `write(2)` only.
//!
//! Run: `cargo run --example thread`

use std::sync::atomic::{AtomicU64, Ordering};

use sched_clone::{CloneBuilder, CloneFlags, Errno, Stack};

const THREADS: usize = 4;
const ROUNDS: u64 = 100_000;

/// Writes "thread <tid> done\n" to stdout without allocating or touching
/// thread-local state.
fn say_done() {
    let mut buf = *b"thread            done\n";
    // SAFETY: gettid has no preconditions.
    let mut tid = unsafe { libc::syscall(libc::SYS_gettid) } as u64;
    let mut i = 16; // right-align the TID in the gap
    loop {
        buf[i] = b'0' + (tid % 10) as u8;
        tid /= 10;
        if tid == 0 {
            break;
        }
        i -= 1;
    }
    // SAFETY: a valid buffer; a successful write does not touch errno.
    unsafe { libc::write(1, buf.as_ptr().cast(), buf.len()) };
}

/// Waits until the kernel clears `*slot` (the thread has exited).
fn join(slot: *const libc::pid_t) {
    loop {
        // SAFETY: `slot` is live; the kernel writes it atomically.
        let seen = unsafe { std::ptr::read_volatile(slot) };
        if seen == 0 {
            return;
        }
        // SAFETY: FUTEX_WAIT on a valid, aligned word; returns at once if
        // it no longer holds `seen`.
        unsafe { libc::syscall(libc::SYS_futex, slot, libc::FUTEX_WAIT, seen, 0) };
    }
}

fn main() -> Result<(), Errno> {
    let counter = AtomicU64::new(0);
    let mut stacks = Vec::new();
    for _ in 0..THREADS {
        stacks.push(Stack::new(64 * 1024)?);
    }
    // One TID slot per thread: -1 until the kernel stores the TID
    // (CLONE_CHILD_SETTID), 0 once the thread has exited.
    let mut tids = [-1 as libc::pid_t; THREADS];
    let slots = tids.as_mut_ptr();

    let flags = CloneFlags::CLONE_VM
        | CloneFlags::CLONE_FS
        | CloneFlags::CLONE_FILES
        | CloneFlags::CLONE_SIGHAND
        | CloneFlags::CLONE_THREAD
        | CloneFlags::CLONE_SYSVSEM
        | CloneFlags::CLONE_CHILD_SETTID
        | CloneFlags::CLONE_CHILD_CLEARTID;
    for (i, stack) in stacks.iter_mut().enumerate() {
        let counter = &counter;
        // SAFETY: `stacks`, `counter` and `tids` outlive the threads, which
        // are all joined below; the threads touch no thread-local state.
        unsafe {
            CloneBuilder::new(flags)
                .child_tid(&mut *slots.add(i))
                .spawn_on_slice(stack.as_mut_slice(), move || {
                    for _ in 0..ROUNDS {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    say_done();
                    0
                })?;
        }
    }
    for i in 0..THREADS {
        // SAFETY: in bounds.
        join(unsafe { slots.add(i) });
    }
    let total = counter.load(Ordering::Relaxed);
    println!("{THREADS} threads counted to {total}");
    assert_eq!(total, THREADS as u64 * ROUNDS);
    Ok(())
}
