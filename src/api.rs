//! The Rust API: the [`CloneBuilder`] builder, [`Child`] and [`ExitStatus`].

use core::ffi::{c_int, c_long, c_void};
use core::fmt;
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, align_of, size_of};

use crate::Errno;
use crate::clone3::{CLONE_ARGS_SIZE_VER2, CloneArgs, clone3};
use crate::flags::CloneFlags;
use crate::stack::Stack;

/// The calling thread's `errno`.
pub(crate) fn last_errno() -> Errno {
    // SAFETY: __errno_location() returns the calling thread's errno slot.
    Errno(unsafe { *libc::__errno_location() })
}

/// A clone3 request under construction: flags and options, then one of the
/// `spawn` methods, which runs a closure in the child. (To start a program,
/// [`Command`](crate::Command) needs no closure and no `unsafe`.)
///
/// The closure needs no heap: it is moved onto the top of the child's stack
/// (or, without a stack of its own, kept in the caller's frame, of which the
/// child gets a copy), and a monomorphised `extern "C"` trampoline calls it.
/// The closure's return value is the child's exit status. A panic in the
/// closure aborts the child (`SIGABRT`): it can never unwind into the
/// trampoline's caller, which in the child has no frame to return to.
///
/// Who drops the closure: fork semantics. A fork-like child (no `CLONE_VM`)
/// gets its own copy of the closure and the parent drops the original once
/// the child exists, so that, for example, a pipe's write end moved into
/// the closure is closed in the parent and the reader sees end-of-file when
/// the child is done. A `CLONE_VM` child consumes the one closure in the
/// shared memory; if it execs before the closure returns, what the closure
/// owned is forgotten (leaked), never dropped twice. On error, no child
/// exists and the closure is dropped in the caller.
///
/// Every spawn method is `unsafe`: what the closure may do in the child
/// depends on the flags and on the rest of the process, as for
/// `nix::unistd::fork` and std's `CommandExt::pre_exec`; see the crate
/// documentation's "Safety" section and each method's `# Safety`.
/// - [`spawn`](CloneBuilder::spawn): a fork-like child (no `CLONE_VM`) that
///   runs on a copy of the caller's stack.
/// - [`spawn_on`](CloneBuilder::spawn_on): a child on a [`Stack`]:
///   fork-like, or `CLONE_VM | CLONE_VFORK` (the caller sleeps until the
///   child exits or execs).
/// - [`spawn_on_slice`](CloneBuilder::spawn_on_slice): anything, threads
///   included, on any memory.
///
/// When the kernel refuses clone3 (`ENOSYS`, or `EPERM` from a seccomp
/// filter), the request is carried out with clone(2) where it can be, and
/// fails with `ENOSYS` (`EPERM` under the `EPERM` fallback) where it cannot;
/// see [`clone3`](crate::clone3()).
///
/// # A fork-like child
/// ```
/// use sched_clone::{CloneBuilder, CloneFlags, ExitStatus};
///
/// let answer = 42;
/// // SAFETY: the child only returns a number (async-signal-safe).
/// let mut child = unsafe { CloneBuilder::new(CloneFlags::empty()).spawn(move || answer)? };
/// assert_eq!(child.wait()?, ExitStatus::Exited(42));
/// # Ok::<(), sched_clone::Errno>(())
/// ```
///
/// # A child in new namespaces, with a pidfd
/// ```
/// use sched_clone::{CloneBuilder, CloneFlags};
///
/// # if unsafe { libc::geteuid() } != 0 { return Ok(()); }
/// let flags = CloneFlags::CLONE_NEWUTS | CloneFlags::CLONE_NEWPID;
/// // SAFETY: the child makes system calls only.
/// let mut child = unsafe {
///     CloneBuilder::new(flags).pidfd(true).spawn(|| {
///         let name = b"sandbox";
///         let renamed = libc::sethostname(name.as_ptr().cast(), name.len()) == 0;
///         // The first process of a new PID namespace is its PID 1.
///         if renamed && libc::getpid() == 1 { 0 } else { 1 }
///     })?
/// };
/// assert!(child.pidfd().is_some());
/// assert!(child.wait()?.success());
/// # Ok::<(), sched_clone::Errno>(())
/// ```
#[must_use = "a CloneBuilder does nothing until one of its spawn methods runs it"]
#[derive(Debug)]
pub struct CloneBuilder<'a> {
    args: CloneArgs,
    exit_signal: Option<u64>,
    tls_set: bool,
    cgroup_set: bool,
    /// The slots and arrays whose addresses `args` holds.
    borrows: PhantomData<&'a mut libc::pid_t>,
}

impl<'a> CloneBuilder<'a> {
    /// A request with these flags, the default exit signal (`SIGCHLD`,
    /// or none with `CLONE_THREAD` or `CLONE_PARENT`, which clone3 requires)
    /// and no options.
    pub fn new(flags: CloneFlags) -> CloneBuilder<'a> {
        CloneBuilder {
            args: CloneArgs {
                flags: flags.bits(),
                ..CloneArgs::default()
            },
            exit_signal: None,
            tls_set: false,
            cgroup_set: false,
            borrows: PhantomData,
        }
    }

    /// The signal the parent receives when the child terminates; 0 for
    /// none. Any signal (1 to 64) is allowed, but a child whose exit signal
    /// is not `SIGCHLD` is a "clone" child: [`Child::wait`] handles it,
    /// plain `waitpid()` needs `__WALL` or `__WCLONE`.
    ///
    /// ```
    /// use sched_clone::{CloneBuilder, CloneFlags};
    ///
    /// // SAFETY: the child only returns a number.
    /// let mut child = unsafe { CloneBuilder::new(CloneFlags::empty()).exit_signal(0).spawn(|| 3)? };
    /// assert_eq!(child.wait()?.code(), Some(3));
    /// # Ok::<(), sched_clone::Errno>(())
    /// ```
    pub fn exit_signal(mut self, signal: c_int) -> CloneBuilder<'a> {
        // A negative signal becomes a huge u64, which clone3 rejects (EINVAL).
        self.exit_signal = Some(signal as i64 as u64);
        self
    }

    /// Whether to ask for a pidfd (`CLONE_PIDFD`); the [`Child`] owns it.
    ///
    /// ```
    /// use sched_clone::{CloneBuilder, CloneFlags};
    ///
    /// use std::os::fd::AsRawFd;
    ///
    /// // SAFETY: the child only returns a number.
    /// let mut child = unsafe { CloneBuilder::new(CloneFlags::empty()).pidfd(true).spawn(|| 0)? };
    /// let pidfd = child.pidfd().expect("a pidfd");
    /// let mut pfd = libc::pollfd { fd: pidfd.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    /// // SAFETY: one valid pollfd. A pidfd becomes readable when the child exits.
    /// assert_eq!(unsafe { libc::poll(&mut pfd, 1, -1) }, 1);
    /// assert!(child.wait()?.success()); // waitid(P_PIDFD, ...)
    /// # Ok::<(), sched_clone::Errno>(())
    /// ```
    pub fn pidfd(mut self, yes: bool) -> CloneBuilder<'a> {
        self.set_flag(CloneFlags::CLONE_PIDFD, yes);
        self
    }

    /// Starts the child in the cgroup v2 directory open as `fd`
    /// (`CLONE_INTO_CGROUP`, Linux 5.7). The descriptor is only read by the
    /// spawn call, and stays borrowed until then.
    ///
    /// ```no_run
    /// // Needs a cgroup v2 hierarchy and the right to create cgroups in it;
    /// // its mount point varies (/sys/fs/cgroup, /sys/fs/cgroup/unified).
    /// use std::os::fd::AsFd;
    /// use sched_clone::{CloneBuilder, CloneFlags};
    ///
    /// std::fs::create_dir("/sys/fs/cgroup/demo")?;
    /// let dir = std::fs::File::open("/sys/fs/cgroup/demo")?;
    /// // SAFETY: the child only returns a number.
    /// let mut child =
    ///     unsafe { CloneBuilder::new(CloneFlags::empty()).cgroup(dir.as_fd()).spawn(|| 0)? };
    /// child.wait()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn cgroup(self, fd: std::os::fd::BorrowedFd<'a>) -> CloneBuilder<'a> {
        // SAFETY: a BorrowedFd is open for 'a, which outlives the spawn call.
        unsafe { self.cgroup_raw(std::os::fd::AsRawFd::as_raw_fd(&fd)) }
    }

    /// [`cgroup`](CloneBuilder::cgroup) with a raw descriptor (for `no_std`).
    ///
    /// # Safety
    /// `fd` must be an open descriptor that the caller may use (I/O
    /// safety) until the spawn call returns; the kernel only reads it.
    pub unsafe fn cgroup_raw(mut self, fd: c_int) -> CloneBuilder<'a> {
        self.args.cgroup = fd as i64 as u64;
        self.cgroup_set = true;
        self.set_flag(CloneFlags::CLONE_INTO_CGROUP, true);
        self
    }

    /// Sets the child's thread pointer (`CLONE_SETTLS`): on i386 a
    /// `struct user_desc *`, elsewhere the new thread pointer itself.
    ///
    /// # Safety
    /// Everything the child runs that reads thread-local storage (Rust's
    /// `thread_local!`, libc's `errno`, the allocator's per-thread caches,
    /// panics) will use this TLS block: it must be a valid one for that
    /// code, for as long as the child runs.
    pub unsafe fn tls(mut self, tls: *mut c_void) -> CloneBuilder<'a> {
        self.args.tls = tls as usize as u64;
        self.tls_set = true;
        self.set_flag(CloneFlags::CLONE_SETTLS, true);
        self
    }

    /// Stores the child's TID in `slot` in the parent
    /// (`CLONE_PARENT_SETTID`) before the spawn method returns.
    pub fn parent_tid(mut self, slot: &'a mut libc::pid_t) -> CloneBuilder<'a> {
        self.args.parent_tid = slot as *mut libc::pid_t as usize as u64;
        self.set_flag(CloneFlags::CLONE_PARENT_SETTID, true);
        self
    }

    /// The child-side TID slot for `CLONE_CHILD_SETTID` (the kernel stores
    /// the TID there in the child's memory before the child runs) and
    /// `CLONE_CHILD_CLEARTID` (it stores 0 there and wakes a futex when the
    /// child exits or execs); set those flags in [`CloneBuilder::new`].
    pub fn child_tid(mut self, slot: &'a mut libc::pid_t) -> CloneBuilder<'a> {
        self.args.child_tid = slot as *mut libc::pid_t as usize as u64;
        self
    }

    /// The child's PID in each PID namespace, innermost first (`set_tid`,
    /// Linux 5.5): with `CLONE_NEWPID`, `[1]` makes it the new namespace's
    /// init, as it would be anyway; without, a given PID in the caller's
    /// namespace. Needs `CAP_CHECKPOINT_RESTORE` (or `CAP_SYS_ADMIN`) in the
    /// namespaces concerned.
    ///
    /// ```
    /// use sched_clone::{CloneBuilder, CloneFlags};
    ///
    /// # if unsafe { libc::geteuid() } != 0 { return Ok(()); }
    /// let pids = [1];
    /// // SAFETY: the child makes one system call.
    /// let mut child = unsafe {
    ///     CloneBuilder::new(CloneFlags::CLONE_NEWPID)
    ///         .set_tid(&pids)
    ///         .spawn(|| if libc::getpid() == 1 { 0 } else { 1 })?
    /// };
    /// assert!(child.wait()?.success());
    /// # Ok::<(), sched_clone::Errno>(())
    /// ```
    pub fn set_tid(mut self, pids: &'a [libc::pid_t]) -> CloneBuilder<'a> {
        self.args.set_tid = if pids.is_empty() {
            0
        } else {
            pids.as_ptr() as usize as u64
        };
        self.args.set_tid_size = pids.len() as u64;
        self
    }

    /// The `struct clone_args` this request passes, as it stands (the pidfd
    /// slot, the stack and the default exit signal are filled in by the
    /// spawn methods).
    pub fn args(&self) -> &CloneArgs {
        &self.args
    }

    fn set_flag(&mut self, flag: CloneFlags, on: bool) {
        if on {
            self.args.flags |= flag.bits();
        } else {
            self.args.flags &= !flag.bits();
        }
    }

    fn has(&self, flag: CloneFlags) -> bool {
        self.args.flags & flag.bits() == flag.bits()
    }

    /// Checks that every flag that makes the kernel write through a pointer
    /// has one, and fills in the default exit signal.
    fn finish(&mut self) -> Result<(), Errno> {
        let missing = (self.has(CloneFlags::CLONE_PARENT_SETTID) && self.args.parent_tid == 0)
            || ((self.has(CloneFlags::CLONE_CHILD_SETTID)
                || self.has(CloneFlags::CLONE_CHILD_CLEARTID))
                && self.args.child_tid == 0)
            || (self.has(CloneFlags::CLONE_SETTLS) && !self.tls_set)
            || (self.has(CloneFlags::CLONE_INTO_CGROUP) && !self.cgroup_set);
        if missing {
            return Err(Errno::EINVAL);
        }
        let no_signal = self.has(CloneFlags::CLONE_THREAD) || self.has(CloneFlags::CLONE_PARENT);
        self.args.exit_signal =
            self.exit_signal
                .unwrap_or(if no_signal { 0 } else { libc::SIGCHLD as u64 });
        Ok(())
    }

    /// Flag sets that `spawn` and `spawn_on` rule out, so that their
    /// contracts stay simple: a thread (`CLONE_VM` without `CLONE_VFORK`
    /// outlives the `&mut Stack` borrow) and `CLONE_FILES` without
    /// `CLONE_VM` (two copies of memory owning descriptors in one table).
    fn check_simple(&self) -> Result<(), Errno> {
        let vm = self.has(CloneFlags::CLONE_VM);
        if (vm && !self.has(CloneFlags::CLONE_VFORK)) || (self.has(CloneFlags::CLONE_FILES) && !vm)
        {
            return Err(Errno::EINVAL);
        }
        Ok(())
    }

    /// Runs `f` in a fork-like child that has no stack of its own: it runs
    /// on its copy of the caller's stack (clone3 with `stack` 0). Once the
    /// child exists, the caller drops its own copy of `f` (fork semantics).
    ///
    /// # Errors
    /// `EINVAL` with `CLONE_VM` (the child would share the caller's stack),
    /// with `CLONE_FILES` (see [`spawn_on`](CloneBuilder::spawn_on)), and when a
    /// flag that needs a slot lacks it (`CLONE_PARENT_SETTID` without
    /// [`parent_tid`](CloneBuilder::parent_tid), `CLONE_CHILD_SETTID` or
    /// `CLONE_CHILD_CLEARTID` without [`child_tid`](CloneBuilder::child_tid),
    /// `CLONE_SETTLS` without [`tls`](CloneBuilder::tls), `CLONE_INTO_CGROUP`
    /// without [`cgroup`](CloneBuilder::cgroup_raw)); otherwise the kernel's error or
    /// the fallback's (see [`clone3`](crate::clone3())). On error, no child
    /// exists and `f` is dropped.
    ///
    /// # Safety
    /// The child is a copy of the calling process with one thread, made
    /// without the C library's knowledge (no `pthread_atfork` handlers run),
    /// exactly as for `nix::unistd::fork`:
    /// - If the process may have other threads at the time of the call
    ///   (started by anyone: a library, the test harness), `f` must keep to
    ///   async-signal-safe operations until it returns or execs: no memory
    ///   allocation, no locks (stdout, `Mutex`), nothing that may find
    ///   another thread's half-finished work in the copy of memory. This is
    ///   the rule of fork(2) in a multithreaded program, for which
    ///   `nix::unistd::fork` and std's `CommandExt::pre_exec` are `unsafe`.
    /// - Even in a single-threaded process, `f` must not rely on C-library
    ///   state keyed by the thread ID, which still names the parent's
    ///   thread: robust or priority-inheritance pthread mutexes.
    pub unsafe fn spawn<F: FnOnce() -> c_int>(self, f: F) -> Result<Child, Errno> {
        self.check_simple()?;
        if self.has(CloneFlags::CLONE_VM) {
            return Err(Errno::EINVAL);
        }
        // SAFETY: no CLONE_VM: the child has its own copy of everything f
        // borrows; every pointer in `args` comes from a borrow that lives
        // for 'a, or is checked in `finish`; the caller keeps the child's
        // code to what a fork child may do.
        unsafe { self.spawn_impl(None, f) }
    }

    /// Runs `f` in a child on `stack`: fork-like (no `CLONE_VM`; the caller
    /// then drops its own copy of `f`), or vfork-like (`CLONE_VM |
    /// CLONE_VFORK`: the child shares the caller's memory while the caller
    /// sleeps until the child exits or execs, the way posix_spawn starts
    /// programs; the child consumes `f`).
    ///
    /// `f` is moved to the top of the stack, and the child runs below it;
    /// an overflow hits the stack's guard page and kills the child.
    ///
    /// # Errors
    /// As [`spawn`](CloneBuilder::spawn), plus `EINVAL` for `CLONE_VM` without
    /// `CLONE_VFORK` (a thread: see [`spawn_on_slice`](CloneBuilder::spawn_on_slice)),
    /// for `CLONE_FILES` without `CLONE_VM`, and for a stack too small for
    /// the closure.
    ///
    /// # Safety
    /// Fork-like: as [`spawn`](CloneBuilder::spawn).
    ///
    /// Vfork-like, `f` runs in the caller's memory and on the calling
    /// thread's thread-local storage, but in another process: with its own
    /// descriptor table (unless `CLONE_FILES`), signal dispositions and
    /// exit-time state. Until it execs or returns, `f` may only write plain
    /// data through what it borrows and call async-signal-safe functions
    /// (the rule of vfork(2)); in particular it must not:
    /// - change which descriptors the parent owns: store a descriptor it
    ///   opened (a `File`, an `OwnedFd`) where the parent can see it, or
    ///   close or drop one the parent owns, unless `CLONE_FILES` shares the
    ///   table (the parent would own a number its own table lacks: I/O
    ///   safety);
    /// - run exit-time code: `std::process::exit`, `libc::exit`, anything
    ///   that runs `atexit` handlers or thread-local destructors in the
    ///   shared memory; leave by returning, `_exit` or `execve`;
    /// - panic: the panic count lives in the shared thread-local storage,
    ///   and would stay raised in the parent (`std::thread::panicking()`);
    /// - allocate, or take a lock another thread may hold (it would wait
    ///   with the caller asleep);
    /// - leave signals unblocked if the caller's signal handlers cannot
    ///   safely run in the child (a handler runs there on the shared
    ///   memory and thread-local storage).
    ///
    /// ```
    /// use std::ffi::CString;
    /// use sched_clone::{CloneBuilder, CloneFlags, Stack};
    ///
    /// let prog = CString::new("/bin/true").unwrap();
    /// let argv = [prog.as_ptr(), std::ptr::null()];
    /// let mut exec_errno = 0;
    /// let mut stack = Stack::new(64 * 1024)?;
    /// // SAFETY: the child calls execv and, should it fail, reads errno and
    /// // writes one integer the caller owns: vfork-safe.
    /// let mut child = unsafe {
    ///     CloneBuilder::new(CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).spawn_on(
    ///         &mut stack,
    ///         || {
    ///             libc::execv(prog.as_ptr(), argv.as_ptr());
    ///             // Shared memory: the parent sees why exec failed.
    ///             exec_errno = *libc::__errno_location();
    ///             127
    ///         },
    ///     )?
    /// };
    /// // The child has exec'd (or exited) by the time spawn_on returns.
    /// let status = child.wait()?;
    /// assert_eq!(exec_errno, 0);
    /// assert!(status.success());
    /// # Ok::<(), sched_clone::Errno>(())
    /// ```
    pub unsafe fn spawn_on<F: FnOnce() -> c_int>(
        self,
        stack: &mut Stack,
        f: F,
    ) -> Result<Child, Errno> {
        self.check_simple()?;
        // SAFETY: without CLONE_VM the child has its own copy of memory;
        // with CLONE_VM | CLONE_VFORK the caller sleeps, inside this call,
        // until the child exits or execs, so everything f borrows outlives
        // the child's use of it. The stack has a guard page below it. The
        // caller keeps f to what such a child may do (# Safety).
        unsafe { self.spawn_impl(Some(stack.as_mut_slice()), f) }
    }

    /// Runs `f` in a child on `stack`, with any flags: threads
    /// (`CLONE_VM` without `CLONE_VFORK`) included.
    ///
    /// # Safety
    /// - `stack` must be large enough for `f` and all it calls: a child
    ///   that overflows writes below the slice (harmlessly only if the memory
    ///   there is a guard page, as below a [`Stack`]).
    /// - With `CLONE_VM` and without `CLONE_VFORK`, the child runs in the
    ///   caller's memory concurrently with it, after this method returns:
    ///   - the stack memory must stay valid, and unused by anyone else,
    ///     until the child has exited (the `&mut` borrow ends when this
    ///     returns; the child's use of the memory does not);
    ///   - everything `f` borrows must outlive the child, as must the
    ///     [`child_tid`](CloneBuilder::child_tid) slot with `CLONE_CHILD_CLEARTID`
    ///     (the kernel writes it when the child exits; waiting for that
    ///     write is how to join such a child);
    ///   - without [`tls`](CloneBuilder::tls), the child shares the caller's
    ///     thread-local storage: it must not touch it, directly or through
    ///     libc or std (`errno` on failure, the allocator's per-thread cache,
    ///     `println!`, panics);
    ///   - a `CLONE_THREAD` child's `SIGABRT` (from a panic) ends the whole
    ///     process.
    /// - With `CLONE_VM | CLONE_VFORK`, as [`spawn_on`](CloneBuilder::spawn_on).
    /// - Without `CLONE_VM`, as [`spawn`](CloneBuilder::spawn) (only
    ///   async-signal-safe work in the child of a multi-threaded process);
    ///   `CLONE_FILES` without `CLONE_VM` is allowed here, but both the
    ///   child and the caller (after the spawn) drop their copies of `f` in
    ///   the one shared descriptor table: `f` must not own descriptors, and
    ///   the child must not close descriptors the caller owns.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use sched_clone::{CloneBuilder, CloneFlags, Stack};
    ///
    /// let counter = AtomicU32::new(0);
    /// // Not 0 until the kernel has stored the TID (CLONE_CHILD_SETTID)
    /// // and then cleared it (CLONE_CHILD_CLEARTID).
    /// let mut tid: libc::pid_t = -1;
    /// let mut stack = Stack::new(64 * 1024)?;
    /// let flags = CloneFlags::CLONE_VM | CloneFlags::CLONE_FS | CloneFlags::CLONE_FILES
    ///     | CloneFlags::CLONE_SIGHAND | CloneFlags::CLONE_THREAD | CloneFlags::CLONE_SYSVSEM
    ///     | CloneFlags::CLONE_CHILD_SETTID | CloneFlags::CLONE_CHILD_CLEARTID;
    /// let tid_slot: *mut libc::pid_t = &mut tid;
    /// // SAFETY: `stack`, `counter` and `tid` outlive the thread, which is
    /// // joined below; it touches no thread-local storage.
    /// unsafe {
    ///     CloneBuilder::new(flags)
    ///         .child_tid(&mut *tid_slot)
    ///         .spawn_on_slice(stack.as_mut_slice(), || {
    ///             counter.fetch_add(1, Ordering::SeqCst);
    ///             0
    ///         })?;
    /// }
    /// // Join: the kernel zeroes `tid` and wakes this futex when the thread exits.
    /// loop {
    ///     // SAFETY: `tid` is a live, aligned word the kernel writes atomically.
    ///     let seen = unsafe { std::ptr::read_volatile(tid_slot) };
    ///     if seen == 0 {
    ///         break;
    ///     }
    ///     // SAFETY: FUTEX_WAIT on a valid word.
    ///     unsafe { libc::syscall(libc::SYS_futex, tid_slot, libc::FUTEX_WAIT, seen, 0) };
    /// }
    /// assert_eq!(counter.load(Ordering::SeqCst), 1);
    /// # Ok::<(), sched_clone::Errno>(())
    /// ```
    pub unsafe fn spawn_on_slice<F: FnOnce() -> c_int + Send>(
        self,
        stack: &mut [u8],
        f: F,
    ) -> Result<Child, Errno> {
        // SAFETY: the caller's contract (# Safety).
        unsafe { self.spawn_impl(Some(stack), f) }
    }

    /// # Safety
    /// With `stack` `None`, no CLONE_VM; otherwise the contract of
    /// [`spawn_on_slice`](CloneBuilder::spawn_on_slice).
    unsafe fn spawn_impl<F: FnOnce() -> c_int>(
        mut self,
        stack: Option<&mut [u8]>,
        f: F,
    ) -> Result<Child, Errno> {
        self.finish()?;
        let shared_memory = self.has(CloneFlags::CLONE_VM);
        let mut pidfd: c_int = -1;
        if self.has(CloneFlags::CLONE_PIDFD) {
            self.args.pidfd = &raw mut pidfd as usize as u64;
        }
        let trampoline = Some(trampoline::<F> as crate::ChildFn);
        let result = match stack {
            None => {
                // The closure stays in this frame; the child reads its copy
                // of it, above the stack pointer it starts with.
                let mut slot = ManuallyDrop::new(f);
                self.args.stack = 0;
                self.args.stack_size = 0;
                let arg = (&raw mut slot).cast::<c_void>();
                // SAFETY: `args` is a complete CloneArgs; see # Safety.
                let r = unsafe { clone3(&self.args, CLONE_ARGS_SIZE_VER2, trampoline, arg) };
                // No child (an error), or a fork-like child with its own
                // copy (stackless means no CLONE_VM): this copy is ours.
                // SAFETY: nothing else uses the closure in this memory.
                unsafe { ManuallyDrop::drop(&mut slot) };
                r
            }
            Some(stack) => {
                let Some(offset) = closure_offset::<F>(stack) else {
                    return Err(Errno::EINVAL); // drops f
                };
                // SAFETY: `offset` is in bounds and leaves room for an F.
                let slot = unsafe { stack.as_mut_ptr().add(offset) }.cast::<F>();
                // SAFETY: `slot` is aligned for F, inside `stack`, and
                // holds size_of::<F>() writable bytes.
                unsafe { slot.write(f) };
                self.args.stack = stack.as_mut_ptr() as usize as u64;
                self.args.stack_size = offset as u64;
                // SAFETY: the stack is the memory below the closure; see
                // # Safety for the rest.
                let r = unsafe {
                    clone3(
                        &self.args,
                        CLONE_ARGS_SIZE_VER2,
                        trampoline,
                        slot.cast::<c_void>(),
                    )
                };
                if r.is_err() || !shared_memory {
                    // SAFETY: no child exists, or it has its own copy of
                    // memory: the closure in this memory is still ours.
                    unsafe { slot.drop_in_place() };
                }
                r
            }
        };
        result.map(|pid| Child::from_raw(pid, pidfd))
    }
}

/// Where the closure goes on a stack: the highest offset aligned for it
/// (and to 16, the stack alignment), if that leaves room for a stack.
fn closure_offset<F>(stack: &[u8]) -> Option<usize> {
    let align = align_of::<F>().max(16);
    let base = stack.as_ptr() as usize;
    let end = base.checked_add(stack.len())?;
    let slot = end.checked_sub(size_of::<F>())? & !(align - 1);
    // At least one aligned byte of stack must remain below the closure.
    (slot > base && slot - base >= 16).then(|| slot - base)
}

/// The child's entry point: takes the closure `spawn` moved for it, calls
/// it and returns its result, which becomes the exit status. A panic
/// cannot unwind out of an `extern "C"` function: it aborts the child.
///
/// # Safety
/// `arg` points to an `F` that nothing else will use or drop.
unsafe extern "C" fn trampoline<F: FnOnce() -> c_int>(arg: *mut c_void) -> c_int {
    // SAFETY: the caller's promise; the parent never touches it again.
    let f = unsafe { arg.cast::<F>().read() };
    f()
}

/// A child started by a [`CloneBuilder`] spawn method or a
/// [`Command`](crate::Command). Dropping it closes its pidfd, if any, but
/// neither kills nor reaps the child.
#[derive(Debug)]
pub struct Child {
    pid: libc::pid_t,
    /// Owned; -1 for none.
    pidfd: c_int,
    status: Option<ExitStatus>,
}

impl Child {
    /// A child with this PID and pidfd (-1 for none), which it now owns.
    pub(crate) fn from_raw(pid: libc::pid_t, pidfd: c_int) -> Child {
        Child {
            pid,
            pidfd,
            status: None,
        }
    }

    /// The child's TID (its PID, unless it is a `CLONE_THREAD` child), as
    /// seen in the caller's PID namespace.
    pub fn pid(&self) -> libc::pid_t {
        self.pid
    }

    /// The child's pidfd, with [`CloneBuilder::pidfd`]; owned by this `Child`.
    #[cfg(feature = "std")]
    pub fn pidfd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        // SAFETY: the pidfd is open and owned by self, which the result
        // borrows.
        self.as_raw_pidfd()
            .map(|fd| unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) })
    }

    /// The pidfd's number, if there is one (still owned by this `Child`).
    pub fn as_raw_pidfd(&self) -> Option<c_int> {
        (self.pidfd >= 0).then_some(self.pidfd)
    }

    /// Takes the pidfd out of this `Child`: the caller now owns it (and
    /// [`wait`](Child::wait) uses `waitpid`).
    #[cfg(feature = "std")]
    pub fn take_pidfd(&mut self) -> Option<std::os::fd::OwnedFd> {
        // SAFETY: the pidfd was ours; from now on it is the OwnedFd's.
        self.take_raw_pidfd()
            .map(|fd| unsafe { std::os::fd::FromRawFd::from_raw_fd(fd) })
    }

    /// Takes the pidfd out of this `Child` as a raw descriptor, which the
    /// caller now owns and must close.
    pub fn take_raw_pidfd(&mut self) -> Option<c_int> {
        let fd = self.as_raw_pidfd();
        self.pidfd = -1;
        fd
    }

    /// Sends `signal` to the child: with `pidfd_send_signal` when it has a
    /// pidfd (Linux 5.1: immune to PID reuse), else `kill`. A child already
    /// reaped by [`wait`](Child::wait) or [`try_wait`](Child::try_wait) is
    /// not signalled (its PID may name another process by now): `Ok`.
    ///
    /// # Errors
    /// `EINVAL` for an invalid signal, `EPERM`; `ESRCH` counts as success
    /// (the child has exited).
    pub fn send_signal(&self, signal: c_int) -> Result<(), Errno> {
        if self.status.is_some() {
            return Ok(());
        }
        let r = match self.as_raw_pidfd() {
            // SAFETY: our own pidfd; no siginfo, no flags.
            Some(fd) => unsafe {
                libc::syscall(
                    libc::SYS_pidfd_send_signal,
                    fd,
                    signal,
                    core::ptr::null::<libc::siginfo_t>(),
                    0,
                )
            },
            // SAFETY: kill has no memory preconditions; the child is not
            // reaped, so its PID is still its own.
            None => c_long::from(unsafe { libc::kill(self.pid, signal) }),
        };
        match r {
            0 => Ok(()),
            _ => match last_errno() {
                Errno(libc::ESRCH) => Ok(()),
                e => Err(e),
            },
        }
    }

    /// Kills the child with `SIGKILL` (see [`send_signal`](Child::send_signal));
    /// does not reap it.
    pub fn kill(&self) -> Result<(), Errno> {
        self.send_signal(libc::SIGKILL)
    }

    /// Waits for the child to terminate and reaps it: with
    /// `waitid(P_PIDFD, ...)` when the child has a pidfd (and the kernel
    /// supports it, Linux 5.4), else `waitpid(pid, ..., __WALL)`; both also
    /// wait for children whose exit signal is not `SIGCHLD`. Later calls
    /// return the same status.
    ///
    /// # Errors
    /// `ECHILD` if the child is not the caller's to wait for
    /// (`CLONE_THREAD` and `CLONE_PARENT` children, or one already reaped
    /// elsewhere); other errors of waitid/waitpid.
    pub fn wait(&mut self) -> Result<ExitStatus, Errno> {
        self.reap(true)
            .map(|s| s.expect("a blocking wait returns a status"))
    }

    /// Reaps the child if it has terminated, without blocking: `Ok(None)`
    /// while it runs. Errors as [`wait`](Child::wait).
    pub fn try_wait(&mut self) -> Result<Option<ExitStatus>, Errno> {
        self.reap(false)
    }

    fn reap(&mut self, block: bool) -> Result<Option<ExitStatus>, Errno> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        let nohang = if block { 0 } else { libc::WNOHANG };
        let status = match self.wait_pidfd(nohang) {
            Some(r) => r?,
            None => self.wait_pid(nohang)?,
        };
        self.status = status;
        Ok(status)
    }

    /// waitid(P_PIDFD); `None` when there is no pidfd or the kernel does
    /// not know P_PIDFD (EINVAL before Linux 5.4).
    fn wait_pidfd(&self, nohang: c_int) -> Option<Result<Option<ExitStatus>, Errno>> {
        let fd = self.as_raw_pidfd()?;
        loop {
            // SAFETY: siginfo_t is plain data; all zeroes is a valid value.
            let mut info: libc::siginfo_t = unsafe { core::mem::zeroed() };
            // SAFETY: a valid siginfo_t to fill in.
            let r = unsafe {
                libc::waitid(
                    libc::P_PIDFD,
                    fd as libc::id_t,
                    &mut info,
                    libc::WEXITED | libc::__WALL | nohang,
                )
            };
            if r == 0 {
                // With WNOHANG and a running child, si_pid stays 0.
                // SAFETY: waitid filled in (or left zeroed) a siginfo_t.
                if unsafe { info.si_pid() } == 0 {
                    return Some(Ok(None));
                }
                return Some(Ok(Some(ExitStatus::from_siginfo(&info))));
            }
            match last_errno() {
                Errno(libc::EINTR) => continue,
                Errno::EINVAL => return None,
                e => return Some(Err(e)),
            }
        }
    }

    fn wait_pid(&self, nohang: c_int) -> Result<Option<ExitStatus>, Errno> {
        loop {
            let mut status = 0;
            // SAFETY: a valid int to fill in.
            let r = unsafe { libc::waitpid(self.pid, &mut status, libc::__WALL | nohang) };
            if r == self.pid {
                return Ok(Some(ExitStatus::from_wait_status(status)));
            }
            if r == 0 {
                return Ok(None);
            }
            match last_errno() {
                Errno(libc::EINTR) => continue,
                e => return Err(e),
            }
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if let Some(fd) = self.take_raw_pidfd() {
            // SAFETY: we own the pidfd and nothing else refers to it.
            unsafe { libc::close(fd) };
        }
    }
}

/// How a child terminated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExitStatus {
    /// It exited (returned from its closure, or called `_exit`) with this
    /// status (0 to 255).
    Exited(c_int),
    /// A signal killed it.
    Signaled {
        /// The signal's number.
        signal: c_int,
        /// Whether it dumped core.
        core_dumped: bool,
    },
}

impl ExitStatus {
    /// The exit status, if the child exited.
    pub fn code(self) -> Option<c_int> {
        match self {
            ExitStatus::Exited(code) => Some(code),
            ExitStatus::Signaled { .. } => None,
        }
    }

    /// The signal that killed the child, if one did.
    pub fn signal(self) -> Option<c_int> {
        match self {
            ExitStatus::Signaled { signal, .. } => Some(signal),
            ExitStatus::Exited(_) => None,
        }
    }

    /// Whether the child exited with status 0.
    pub fn success(self) -> bool {
        self == ExitStatus::Exited(0)
    }

    fn from_siginfo(info: &libc::siginfo_t) -> ExitStatus {
        // SAFETY: waitid filled in a SIGCHLD-style siginfo.
        let status = unsafe { info.si_status() };
        match info.si_code {
            libc::CLD_EXITED => ExitStatus::Exited(status),
            code => ExitStatus::Signaled {
                signal: status,
                core_dumped: code == libc::CLD_DUMPED,
            },
        }
    }

    fn from_wait_status(status: c_int) -> ExitStatus {
        if libc::WIFEXITED(status) {
            ExitStatus::Exited(libc::WEXITSTATUS(status))
        } else {
            ExitStatus::Signaled {
                signal: libc::WTERMSIG(status),
                core_dumped: libc::WCOREDUMP(status),
            }
        }
    }
}

impl fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ExitStatus::Exited(code) => write!(f, "exited with status {code}"),
            ExitStatus::Signaled {
                signal,
                core_dumped: false,
            } => {
                write!(f, "killed by signal {signal}")
            }
            ExitStatus::Signaled {
                signal,
                core_dumped: true,
            } => {
                write!(f, "killed by signal {signal} (core dumped)")
            }
        }
    }
}
