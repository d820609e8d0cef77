//! Spawns a child through the safe `Command` API and a fork-like closure.
use sched_clone::{CloneBuilder, CloneFlags};

fn main() {
    let status = sched_clone::Command::new("/bin/true").status().expect("spawn /bin/true");
    assert!(status.success(), "{status}");
    // SAFETY: this program is single-threaded.
    let mut child = unsafe { CloneBuilder::new(CloneFlags::empty()).spawn(|| 7) }.expect("spawn");
    assert_eq!(child.wait().expect("wait").code(), Some(7));
    println!("dependent: ok");
}
