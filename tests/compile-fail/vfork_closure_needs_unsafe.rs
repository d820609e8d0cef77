// Reproductions 1 and 2: a CLONE_VM | CLONE_VFORK child running a closure
// could store a File in shared memory, call exit() or panic in the parent's
// memory. Safe code can no longer do it: spawn_on is unsafe.
use sched_clone::{CloneBuilder, CloneFlags, Stack};

fn main() {
    let mut stack = Stack::new(64 * 1024).unwrap();
    let mut ghost: Option<std::fs::File> = None;
    let _ = CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn_on(
        &mut stack,
        || {
            ghost = std::fs::File::open("/dev/null").ok();
            std::process::exit(0)
        },
    );
}
