// The raw-descriptor form is unsafe.
use sched_clone::{CloneBuilder, CloneFlags};

fn main() {
    let _ = CloneBuilder::new(CloneFlags::empty()).cgroup_raw(3);
}
