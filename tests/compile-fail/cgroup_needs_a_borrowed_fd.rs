// I/O safety: the cgroup descriptor is a BorrowedFd, not a raw number.
use sched_clone::{CloneBuilder, CloneFlags};

fn main() {
    let _ = CloneBuilder::new(CloneFlags::empty()).cgroup(3);
}
