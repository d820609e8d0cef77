//! [`CloneFlags`]: every `CLONE_*` flag of clone(2) and clone3(2).

use bitflags::bitflags;

bitflags! {
    /// The `flags` of clone3(2) (and, in their low 32 bits, of clone(2)).
    ///
    /// The values are the kernel's (`include/uapi/linux/sched.h`). The low
    /// byte of a clone(2) flags word is the exit signal (`CSIGNAL`); clone3
    /// takes the exit signal separately (see [`CloneBuilder::exit_signal`]) and
    /// rejects those bits in `flags`, except [`CLONE_NEWTIME`], which lives
    /// there since Linux 5.6. [`CLONE_CLEAR_SIGHAND`] and
    /// [`CLONE_INTO_CGROUP`] do not fit in 32 bits: only clone3 can pass them.
    ///
    /// [`CloneBuilder::exit_signal`]: crate::CloneBuilder::exit_signal
    /// [`CLONE_NEWTIME`]: CloneFlags::CLONE_NEWTIME
    /// [`CLONE_CLEAR_SIGHAND`]: CloneFlags::CLONE_CLEAR_SIGHAND
    /// [`CLONE_INTO_CGROUP`]: CloneFlags::CLONE_INTO_CGROUP
    ///
    /// ```
    /// use sched_clone::CloneFlags;
    ///
    /// let flags = CloneFlags::CLONE_NEWUTS | CloneFlags::CLONE_PIDFD;
    /// assert_eq!(flags.bits(), 0x0400_1000);
    /// assert!(CloneFlags::CLONE_INTO_CGROUP.bits() > u64::from(u32::MAX));
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct CloneFlags: u64 {
        /// New time namespace (Linux 5.6; clone3 only: in clone(2) this bit
        /// is part of the exit signal).
        const CLONE_NEWTIME = 0x0000_0080;
        /// Share the address space.
        const CLONE_VM = 0x0000_0100;
        /// Share the filesystem information (root, cwd, umask).
        const CLONE_FS = 0x0000_0200;
        /// Share the file descriptor table.
        const CLONE_FILES = 0x0000_0400;
        /// Share the signal handlers (requires `CLONE_VM`).
        const CLONE_SIGHAND = 0x0000_0800;
        /// Return a pidfd for the child (Linux 5.2).
        const CLONE_PIDFD = 0x0000_1000;
        /// Continue tracing the child if the parent is traced.
        const CLONE_PTRACE = 0x0000_2000;
        /// Suspend the parent until the child exits or execs.
        const CLONE_VFORK = 0x0000_4000;
        /// The child's parent is the caller's parent.
        const CLONE_PARENT = 0x0000_8000;
        /// Same thread group (requires `CLONE_SIGHAND`).
        const CLONE_THREAD = 0x0001_0000;
        /// New mount namespace.
        const CLONE_NEWNS = 0x0002_0000;
        /// Share System V semaphore undo values.
        const CLONE_SYSVSEM = 0x0004_0000;
        /// Set the child's thread pointer (TLS).
        const CLONE_SETTLS = 0x0008_0000;
        /// Store the child's TID at `parent_tid` in the parent.
        const CLONE_PARENT_SETTID = 0x0010_0000;
        /// Clear the TID at `child_tid` in the child's memory when it
        /// exits, and wake a futex there.
        const CLONE_CHILD_CLEARTID = 0x0020_0000;
        /// Historical; ignored by clone(2), rejected by clone3 (`EINVAL`).
        const CLONE_DETACHED = 0x0040_0000;
        /// A tracer cannot force `CLONE_PTRACE` on the child.
        const CLONE_UNTRACED = 0x0080_0000;
        /// Store the child's TID at `child_tid` in the child's memory.
        const CLONE_CHILD_SETTID = 0x0100_0000;
        /// New cgroup namespace.
        const CLONE_NEWCGROUP = 0x0200_0000;
        /// New UTS namespace (hostname, domain name).
        const CLONE_NEWUTS = 0x0400_0000;
        /// New IPC namespace.
        const CLONE_NEWIPC = 0x0800_0000;
        /// New user namespace.
        const CLONE_NEWUSER = 0x1000_0000;
        /// New PID namespace.
        const CLONE_NEWPID = 0x2000_0000;
        /// New network namespace.
        const CLONE_NEWNET = 0x4000_0000;
        /// Share the I/O context.
        const CLONE_IO = 0x8000_0000;
        /// Reset every caught signal to its default disposition in the
        /// child (clone3 only, Linux 5.5).
        const CLONE_CLEAR_SIGHAND = 0x1_0000_0000;
        /// Start the child in the cgroup given by [`CloneBuilder::cgroup`]
        /// (clone3 only, Linux 5.7).
        ///
        /// [`CloneBuilder::cgroup`]: crate::CloneBuilder::cgroup
        const CLONE_INTO_CGROUP = 0x2_0000_0000;
    }
}

/// The exit-signal byte of a clone(2) flags word.
pub(crate) const CSIGNAL: u64 = 0xff;

// Our values must be the C library's wherever it defines them.
const _: () = {
    macro_rules! same {
        ($($name:ident),*) => {
            $(assert!(CloneFlags::$name.bits() == libc::$name as u32 as u64);)*
        };
    }
    same!(
        CLONE_VM,
        CLONE_FS,
        CLONE_FILES,
        CLONE_SIGHAND,
        CLONE_PIDFD,
        CLONE_PTRACE,
        CLONE_VFORK,
        CLONE_PARENT,
        CLONE_THREAD,
        CLONE_NEWNS,
        CLONE_SYSVSEM,
        CLONE_SETTLS,
        CLONE_PARENT_SETTID,
        CLONE_CHILD_CLEARTID,
        CLONE_DETACHED,
        CLONE_UNTRACED,
        CLONE_CHILD_SETTID,
        CLONE_NEWCGROUP,
        CLONE_NEWUTS,
        CLONE_NEWIPC,
        CLONE_NEWUSER,
        CLONE_NEWPID,
        CLONE_NEWNET,
        CLONE_IO
    );
    assert!(CSIGNAL == libc::CSIGNAL as u64);
};
