// A fork-like child of a possibly multithreaded process runs the closure
// on a copy of memory that other threads may have left half-updated (the
// reason nix's fork and std's pre_exec are unsafe): spawn is unsafe.
use sched_clone::{CloneBuilder, CloneFlags};

fn main() {
    let _ = CloneBuilder::new(CloneFlags::empty()).spawn(|| {
        let v = vec![1, 2, 3];
        v.len() as i32
    });
}
