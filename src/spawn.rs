//! [`Command`]: start a program in new namespaces without a closure, safely,
//! the way posix_spawn does (`CLONE_VM | CLONE_VFORK`).
//!
//! Everything the child needs (the program's path, argv, envp, the file
//! actions, the signal mask) is prepared in the parent, in memory the child
//! only reads. Between clone and `execve` the child makes raw system calls
//! only (`crate::arch::syscall4`): no allocation, no locks, no thread-local storage (not
//! even `errno`), so it cannot disturb the parent whose memory it shares,
//! nor deadlock on a lock another of the parent's threads held. It leaves
//! with `exit_group` (`_exit`) if anything fails, after writing the errno
//! into a close-on-exec pipe, whose end-of-file tells the parent that
//! `execve` succeeded; the parent then returns that errno as its `Err`, as
//! std's `Command` does.
//!
//! Signals, as glibc's posix_spawn handles them: the parent blocks every
//! signal around the clone, so none is delivered to the child while it
//! runs on the parent's memory; the child resets to `SIG_DFL` every signal
//! that has a handler (the handlers are the parent's code, which must not
//! run there), keeps ignored signals ignored, and restores the parent's
//! signal mask just before `execve`.
//!
//! A user namespace with ID maps cannot use `CLONE_VFORK`: the maps are
//! written by the parent (only a process in the parent namespace may write
//! arbitrary maps) while the child waits, and a vfork parent sleeps until
//! the child execs. Such a child is fork-like instead (no `CLONE_VM`: its
//! own copy of memory), and waits on a second pipe for the parent's go.

use core::ffi::{c_char, c_int, c_void};
use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::vec::Vec;

use crate::api::Child;
use crate::arch::syscall4;
use crate::clone3::{CLONE_ARGS_SIZE_VER2, CloneArgs, clone3};
use crate::{CloneFlags, Errno, ExitStatus, Stack};

/// The flags a [`Command`] accepts: namespaces, and nothing that would
/// share state with the parent beyond what `CLONE_VM | CLONE_VFORK` does.
const NAMESPACE_FLAGS: CloneFlags = CloneFlags::CLONE_NEWNS
    .union(CloneFlags::CLONE_NEWUTS)
    .union(CloneFlags::CLONE_NEWIPC)
    .union(CloneFlags::CLONE_NEWUSER)
    .union(CloneFlags::CLONE_NEWPID)
    .union(CloneFlags::CLONE_NEWNET)
    .union(CloneFlags::CLONE_NEWCGROUP)
    .union(CloneFlags::CLONE_NEWTIME);

/// The child's stack: it runs only `child_main` and the raw calls.
const CHILD_STACK_SIZE: usize = 32 * 1024;

/// The kernel's signal set size (`_NSIG / 8`) on every supported target.
const SIGSET_SIZE: usize = 8;

/// A raw system call's result (`-errno` on failure), from [`syscall4`].
type Raw = isize;

/// A file action, run in the child in the order given, as posix_spawn's.
#[derive(Debug)]
enum FileAction {
    Dup2 {
        from: c_int,
        to: c_int,
    },
    Close {
        fd: c_int,
    },
    Open {
        fd: c_int,
        path: CString,
        flags: c_int,
        mode: libc::mode_t,
    },
}

/// Starts a program, optionally in new namespaces, as posix_spawn does:
/// path, argv, environment, file actions, user-namespace ID maps, a pidfd.
/// Safe: the child runs only this crate's code until `execve`.
///
/// ```
/// use sched_clone::{Command, Errno};
///
/// let status = Command::new("/bin/sh").arg("-c").arg("exit 3").status()?;
/// assert_eq!(status.code(), Some(3));
/// // An exec failure is the spawn's error, with execve's errno.
/// assert_eq!(Command::new("/nonexistent").spawn().unwrap_err(), Errno::ENOENT);
/// # Ok::<(), Errno>(())
/// ```
///
/// A new user namespace in which the caller is root (works unprivileged
/// where the system allows user namespaces):
/// ```no_run
/// use sched_clone::{CloneFlags, Command};
///
/// let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
/// let status = Command::new("/usr/bin/id")
///     .namespaces(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWUTS)
///     .uid_map(&[(0, uid, 1)])
///     .gid_map(&[(0, gid, 1)])
///     .deny_setgroups()
///     .status()?;
/// assert!(status.success());
/// # Ok::<(), sched_clone::Errno>(())
/// ```
#[derive(Debug)]
pub struct Command {
    program: CString,
    /// argv; argv[0] is the program unless [`arg0`](Command::arg0) says.
    argv: Vec<CString>,
    /// `None`: the caller's environment.
    env: Option<Vec<CString>>,
    flags: CloneFlags,
    actions: Vec<FileAction>,
    cwd: Option<CString>,
    uid_map: Option<CString>,
    gid_map: Option<CString>,
    deny_setgroups: bool,
    pidfd: bool,
    /// The first invalid input (an interior NUL, a bad flag), reported by
    /// the spawn.
    error: Option<Errno>,
}

fn cstring(s: &OsStr, error: &mut Option<Errno>) -> CString {
    CString::new(s.as_bytes()).unwrap_or_else(|_| {
        error.get_or_insert(Errno::EINVAL);
        CString::default()
    })
}

impl Command {
    /// A command that runs `program`: a path, or a name looked up in `PATH`
    /// (by the parent, before the spawn) if it has no `/`.
    pub fn new(program: impl AsRef<OsStr>) -> Command {
        let mut error = None;
        let program = cstring(program.as_ref(), &mut error);
        Command {
            argv: std::vec![program.clone()],
            program,
            env: None,
            flags: CloneFlags::empty(),
            actions: Vec::new(),
            cwd: None,
            uid_map: None,
            gid_map: None,
            deny_setgroups: false,
            pidfd: false,
            error,
        }
    }

    /// Adds an argument.
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        let a = cstring(arg.as_ref(), &mut self.error);
        self.argv.push(a);
        self
    }

    /// Adds arguments.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&mut self, args: I) -> &mut Command {
        for a in args {
            self.arg(a);
        }
        self
    }

    /// Sets `argv[0]` (the program's path by default).
    pub fn arg0(&mut self, arg0: impl AsRef<OsStr>) -> &mut Command {
        self.argv[0] = cstring(arg0.as_ref(), &mut self.error);
        self
    }

    fn env_mut(&mut self) -> &mut Vec<CString> {
        self.env.get_or_insert_with(|| {
            std::env::vars_os()
                .filter_map(|(k, v)| {
                    let mut kv = k.into_vec();
                    kv.push(b'=');
                    kv.extend_from_slice(v.as_bytes());
                    CString::new(kv).ok()
                })
                .collect()
        })
    }

    /// Sets an environment variable for the program (the caller's
    /// environment otherwise passes through).
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Command {
        let (key, value) = (key.as_ref(), value.as_ref());
        if key.is_empty() || key.as_bytes().contains(&b'=') {
            self.error.get_or_insert(Errno::EINVAL);
            return self;
        }
        let mut kv: OsString = key.into();
        kv.push("=");
        kv.push(value);
        let kv = cstring(&kv, &mut self.error);
        let prefix_len = key.len() + 1;
        let env = self.env_mut();
        env.retain(|e| e.as_bytes().get(..prefix_len) != Some(&kv.as_bytes()[..prefix_len]));
        env.push(kv);
        self
    }

    /// Starts the program with an empty environment (then add with
    /// [`env`](Command::env)).
    pub fn env_clear(&mut self) -> &mut Command {
        self.env = Some(Vec::new());
        self
    }

    /// The namespaces to create: any of `CLONE_NEWNS`, `CLONE_NEWUTS`,
    /// `CLONE_NEWIPC`, `CLONE_NEWUSER`, `CLONE_NEWPID`, `CLONE_NEWNET`,
    /// `CLONE_NEWCGROUP`, `CLONE_NEWTIME`. Any other flag makes the spawn
    /// fail with `EINVAL` (`CLONE_VM` and `CLONE_VFORK` are this type's own
    /// business).
    pub fn namespaces(&mut self, flags: CloneFlags) -> &mut Command {
        if !NAMESPACE_FLAGS.contains(flags) {
            self.error.get_or_insert(Errno::EINVAL);
        }
        self.flags = flags & NAMESPACE_FLAGS;
        self
    }

    /// File action: `dup2(from, to)` in the child (with `from == to`, clears
    /// `FD_CLOEXEC` on it, as posix_spawn does). Only the child's copy of
    /// the descriptor table changes.
    pub fn dup2(&mut self, from: c_int, to: c_int) -> &mut Command {
        self.actions.push(FileAction::Dup2 { from, to });
        self
    }

    /// File action: `close(fd)` in the child (not an error if `fd` is not
    /// open, as posix_spawn since POSIX.1-2024).
    pub fn close(&mut self, fd: c_int) -> &mut Command {
        self.actions.push(FileAction::Close { fd });
        self
    }

    /// File action: opens `path` with `flags` and `mode` in the child and
    /// puts it at descriptor `fd`.
    pub fn open(
        &mut self,
        fd: c_int,
        path: impl AsRef<OsStr>,
        flags: c_int,
        mode: libc::mode_t,
    ) -> &mut Command {
        let path = cstring(path.as_ref(), &mut self.error);
        self.actions.push(FileAction::Open {
            fd,
            path,
            flags,
            mode,
        });
        self
    }

    /// The child's working directory, changed after the file actions.
    pub fn current_dir(&mut self, dir: impl AsRef<OsStr>) -> &mut Command {
        self.cwd = Some(cstring(dir.as_ref(), &mut self.error));
        self
    }

    /// With `CLONE_NEWUSER`: the child's UID map, lines of
    /// `(inside, outside, count)`, written by the parent before the child
    /// goes on to exec.
    pub fn uid_map(&mut self, map: &[(u32, u32, u32)]) -> &mut Command {
        self.uid_map = Some(id_map(map));
        self
    }

    /// With `CLONE_NEWUSER`: the child's GID map (see
    /// [`uid_map`](Command::uid_map)); unprivileged callers also need
    /// [`deny_setgroups`](Command::deny_setgroups).
    pub fn gid_map(&mut self, map: &[(u32, u32, u32)]) -> &mut Command {
        self.gid_map = Some(id_map(map));
        self
    }

    /// With `CLONE_NEWUSER`: writes `deny` to the child's
    /// `/proc/PID/setgroups` before its GID map.
    pub fn deny_setgroups(&mut self) -> &mut Command {
        self.deny_setgroups = true;
        self
    }

    /// Whether the [`Child`] gets a pidfd (`CLONE_PIDFD`).
    pub fn pidfd(&mut self, yes: bool) -> &mut Command {
        self.pidfd = yes;
        self
    }

    /// Starts the program and waits for it.
    ///
    /// # Errors
    /// As [`spawn`](Command::spawn), and the errors of [`Child::wait`].
    pub fn status(&mut self) -> Result<ExitStatus, Errno> {
        self.spawn()?.wait()
    }

    /// Starts the program; returns once it runs (`execve` succeeded).
    ///
    /// # Errors
    /// `EINVAL` for an interior NUL byte in any string, a flag that is not
    /// a namespace, or ID maps without `CLONE_NEWUSER`; `ENOENT` for a
    /// name not found in `PATH`; the errno of the first step that failed
    /// in the child (a file action, `chdir`, `execve`: `ENOENT`, `EACCES`,
    /// `ENOEXEC`, ...); errors of pipe2, mmap, clone3 and of writing the ID
    /// maps. After an error in the child, the child has been reaped.
    pub fn spawn(&mut self) -> Result<Child, Errno> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let maps = self.uid_map.is_some() || self.gid_map.is_some() || self.deny_setgroups;
        if maps && !self.flags.contains(CloneFlags::CLONE_NEWUSER) {
            return Err(Errno::EINVAL);
        }
        let path = resolve(&self.program)?;
        let argv = null_terminated(&self.argv);
        let envp = self.env.as_ref().map(|e| null_terminated(e));
        let actions: Vec<RawAction> = self.actions.iter().map(RawAction::from).collect();
        // The error pipe's write end moves above every descriptor a file
        // action names, so that no action can close or replace it.
        let fd_floor = self
            .actions
            .iter()
            .map(|a| match *a {
                FileAction::Dup2 { from, to } => from.max(to),
                FileAction::Close { fd } | FileAction::Open { fd, .. } => fd,
            })
            .max()
            .unwrap_or(2)
            .max(2)
            .saturating_add(1);
        let err_pipe = Pipe::new()?;
        let go_pipe = if maps { Some(Pipe::new()?) } else { None };
        let mut stack = Stack::new(CHILD_STACK_SIZE)?;

        let mut child_args = ChildArgs {
            path: path.as_ptr(),
            argv: argv.as_ptr(),
            envp: match &envp {
                Some(e) => e.as_ptr(),
                // SAFETY: reading the pointer `environ` holds; the child
                // only reads the array, as execve would.
                None => unsafe { environ }.cast_const(),
            },
            actions: actions.as_ptr(),
            actions_len: actions.len(),
            cwd: self.cwd.as_ref().map_or(core::ptr::null(), |c| c.as_ptr()),
            err_fd: err_pipe.write,
            fd_floor,
            go_fd: go_pipe.as_ref().map_or(-1, |p| p.read),
            old_mask: 0,
        };

        let mut pidfd: c_int = -1;
        let mut flags = self.flags.bits();
        if maps {
            // Fork-like: the child waits for the maps in its own memory.
        } else {
            flags |= (CloneFlags::CLONE_VM | CloneFlags::CLONE_VFORK).bits();
        }
        if self.pidfd {
            flags |= CloneFlags::CLONE_PIDFD.bits();
        }
        let slice = stack.as_mut_slice();
        let args = CloneArgs {
            flags,
            pidfd: &raw mut pidfd as usize as u64,
            exit_signal: libc::SIGCHLD as u64,
            stack: slice.as_mut_ptr() as usize as u64,
            stack_size: slice.len() as u64,
            ..CloneArgs::default()
        };

        // Block every signal (glibc's internal ones too, hence the raw
        // call) so that none runs a handler in the child before it has
        // reset them; the child restores `old_mask` before execve.
        let all: u64 = !0;
        // SAFETY: valid sigset pointers of the kernel's size.
        let blocked = unsafe {
            libc::syscall(
                libc::SYS_rt_sigprocmask,
                libc::SIG_SETMASK,
                &raw const all,
                &raw mut child_args.old_mask,
                SIGSET_SIZE,
            )
        };
        if blocked != 0 {
            return Err(crate::api::last_errno());
        }
        // SAFETY: `args` is complete; the stack is ours and unused; the
        // child runs `child_main`, which uses raw system calls only and
        // reads `child_args` and everything it points to, all of which
        // outlive the child's use: with CLONE_VFORK this call returns only
        // once the child has exec'd or exited; without CLONE_VM the child
        // has its own copy.
        let spawned = unsafe {
            clone3(
                &args,
                CLONE_ARGS_SIZE_VER2,
                Some(child_main),
                (&raw mut child_args).cast::<c_void>(),
            )
        };
        // SAFETY: restores the mask saved above.
        unsafe {
            libc::syscall(
                libc::SYS_rt_sigprocmask,
                libc::SIG_SETMASK,
                &raw const child_args.old_mask,
                core::ptr::null_mut::<u64>(),
                SIGSET_SIZE,
            )
        };
        let pid = spawned?;
        let mut child = Child::from_raw(pid, pidfd);
        drop(stack);

        if let Some(go) = go_pipe {
            let written = self.write_maps(pid);
            // On error, closing the go pipe unwritten makes the child exit.
            if written.is_ok() {
                go.write_byte()?;
            }
            drop(go);
            if let Err(e) = written {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        }
        // Our copy of the write end must be closed for end-of-file.
        let read = err_pipe.into_read();
        match read_errno(read) {
            None => Ok(child),
            Some(e) => {
                let _ = child.wait();
                Err(e)
            }
        }
    }

    fn write_maps(&self, pid: libc::pid_t) -> Result<(), Errno> {
        let write = |file: &str, data: &[u8]| -> Result<(), Errno> {
            std::fs::write(std::format!("/proc/{pid}/{file}"), data)
                .map_err(|e| Errno(e.raw_os_error().unwrap_or(libc::EIO)))
        };
        if let Some(m) = &self.uid_map {
            write("uid_map", m.as_bytes())?;
        }
        if self.deny_setgroups {
            write("setgroups", b"deny")?;
        }
        if let Some(m) = &self.gid_map {
            write("gid_map", m.as_bytes())?;
        }
        Ok(())
    }
}

fn id_map(map: &[(u32, u32, u32)]) -> CString {
    let mut s = std::string::String::new();
    for (inside, outside, count) in map {
        s.push_str(&std::format!("{inside} {outside} {count}\n"));
    }
    CString::new(s).expect("digits and spaces only")
}

/// A NULL-terminated array of pointers into `strings`.
fn null_terminated(strings: &[CString]) -> Vec<*const c_char> {
    let mut v: Vec<*const c_char> = strings.iter().map(|s| s.as_ptr()).collect();
    v.push(core::ptr::null());
    v
}

/// The program's path: as given if it has a `/`, else the first
/// executable `dir/program` for `dir` in `PATH` (default `/usr/bin:/bin`).
fn resolve(program: &CString) -> Result<CString, Errno> {
    let bytes = program.as_bytes();
    if bytes.is_empty() {
        return Err(Errno::ENOENT);
    }
    if bytes.contains(&b'/') {
        return Ok(program.clone());
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    let mut last = Errno::ENOENT;
    for dir in path.as_bytes().split(|&b| b == b':') {
        let dir = if dir.is_empty() { &b"."[..] } else { dir };
        let mut full = dir.to_vec();
        full.push(b'/');
        full.extend_from_slice(bytes);
        let Ok(full) = CString::new(full) else {
            continue;
        };
        // SAFETY: a NUL-terminated path.
        if unsafe { libc::access(full.as_ptr(), libc::X_OK) } == 0 {
            return Ok(full);
        }
        if crate::api::last_errno() == Errno::EACCES {
            last = Errno::EACCES;
        }
    }
    Err(last)
}

/// A close-on-exec pipe, both ends owned.
struct Pipe {
    read: c_int,
    write: c_int,
}

impl Pipe {
    fn new() -> Result<Pipe, Errno> {
        let mut fds = [-1; 2];
        // SAFETY: an array of two ints to fill in.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(crate::api::last_errno());
        }
        Ok(Pipe {
            read: fds[0],
            write: fds[1],
        })
    }

    fn write_byte(&self) -> Result<(), Errno> {
        // SAFETY: one byte from a valid buffer to our own descriptor.
        match unsafe { libc::write(self.write, b"g".as_ptr().cast(), 1) } {
            1 => Ok(()),
            _ => Err(crate::api::last_errno()),
        }
    }

    /// Closes the write end; returns the read end, now the caller's.
    fn into_read(self) -> c_int {
        let read = self.read;
        // SAFETY: our own descriptor, closed once.
        unsafe { libc::close(self.write) };
        core::mem::forget(self);
        read
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        // SAFETY: our own descriptors, closed once.
        unsafe {
            libc::close(self.read);
            libc::close(self.write);
        }
    }
}

/// Reads the child's report from the error pipe's read end (and closes
/// it): `None` at end-of-file (execve succeeded), else the errno.
fn read_errno(fd: c_int) -> Option<Errno> {
    let mut buf = [0u8; 4];
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: reads into the unfilled part of `buf`.
        let n = unsafe { libc::read(fd, buf[got..].as_mut_ptr().cast(), buf.len() - got) };
        if n > 0 {
            got += n as usize;
        } else if n == 0 || crate::api::last_errno() != Errno(libc::EINTR) {
            break;
        }
    }
    // SAFETY: our own descriptor, closed once.
    unsafe { libc::close(fd) };
    match got {
        0 => None,
        4 => Some(Errno(c_int::from_ne_bytes(buf))),
        _ => Some(Errno(libc::EIO)),
    }
}

unsafe extern "C" {
    static environ: *mut *const c_char;
}

/// A file action as the child runs it: plain integers and pointers.
#[repr(C)]
#[derive(Clone, Copy)]
struct RawAction {
    kind: u8,
    fd: c_int,
    other: c_int,
    path: *const c_char,
    mode: libc::mode_t,
}

const ACTION_DUP2: u8 = 0;
const ACTION_CLOSE: u8 = 1;
const ACTION_OPEN: u8 = 2;

impl From<&FileAction> for RawAction {
    fn from(a: &FileAction) -> RawAction {
        let base = RawAction {
            kind: ACTION_CLOSE,
            fd: -1,
            other: 0,
            path: core::ptr::null(),
            mode: 0,
        };
        match a {
            FileAction::Dup2 { from, to } => RawAction {
                kind: ACTION_DUP2,
                fd: *to,
                other: *from,
                ..base
            },
            FileAction::Close { fd } => RawAction { fd: *fd, ..base },
            FileAction::Open {
                fd,
                path,
                flags,
                mode,
            } => RawAction {
                kind: ACTION_OPEN,
                fd: *fd,
                other: *flags,
                path: path.as_ptr(),
                mode: *mode,
            },
        }
    }
}

/// What the child reads; prepared by the parent.
#[repr(C)]
struct ChildArgs {
    path: *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
    actions: *const RawAction,
    actions_len: usize,
    cwd: *const c_char,
    err_fd: c_int,
    fd_floor: c_int,
    go_fd: c_int,
    /// The parent's signal mask before it blocked everything.
    old_mask: u64,
}

/// The child, from clone to execve: raw system calls only. Never returns.
///
/// # Safety
/// `arg` points to a `ChildArgs` whose pointers are valid for reading.
unsafe extern "C" fn child_main(arg: *mut c_void) -> c_int {
    // SAFETY: the caller's promise.
    let a = unsafe { &*arg.cast::<ChildArgs>() };
    let mut report = a.err_fd;
    // SAFETY: as above, for each pointer in `a`.
    let errno = unsafe { child_steps(a, &mut report) };
    // Report, then leave without running anything of the parent's.
    let bytes = errno.to_ne_bytes();
    // SAFETY: plain system calls on our own descriptor and buffer.
    unsafe {
        syscall4(
            libc::SYS_write,
            report as usize,
            bytes.as_ptr() as usize,
            4,
            0,
        );
        syscall4(libc::SYS_exit_group, 127, 0, 0, 0);
    }
    127
}

/// Runs the steps; returns the errno of the one that failed (execve, if
/// it returns at all), to be written to `*report`.
///
/// # Safety
/// As [`child_main`].
unsafe fn child_steps(a: &ChildArgs, report: &mut c_int) -> c_int {
    // SAFETY (whole function): raw system calls with valid pointers from
    // `a` or into this frame.
    unsafe {
        if a.go_fd >= 0 {
            let mut byte = 0u8;
            let n = syscall4(
                libc::SYS_read,
                a.go_fd as usize,
                (&raw mut byte) as usize,
                1,
                0,
            );
            if n != 1 {
                return if n < 0 { -n as c_int } else { libc::EIO };
            }
        }
        // Our report channel, above every descriptor the actions name.
        let err = syscall4(
            libc::SYS_fcntl,
            a.err_fd as usize,
            libc::F_DUPFD_CLOEXEC as usize,
            a.fd_floor as usize,
            0,
        );
        if err < 0 {
            return -err as c_int;
        }
        // From here on, report through the moved copy.
        *report = err as c_int;

        // Signal handlers are the parent's code: reset them to SIG_DFL.
        // A zeroed kernel sigaction is SIG_DFL, no flags, empty mask on
        // every architecture; the handler is its first word on every
        // supported one (a word, not 8 bytes: on 32-bit targets the next
        // word is the flags). 8 words hold the largest (4 words + mask).
        let mut old = [0usize; 8];
        let dfl = [0usize; 8];
        for sig in 1..=64usize {
            if sig == libc::SIGKILL as usize || sig == libc::SIGSTOP as usize {
                continue;
            }
            let r = syscall4(
                libc::SYS_rt_sigaction,
                sig,
                0,
                old.as_mut_ptr() as usize,
                SIGSET_SIZE,
            );
            if r == 0 && old[0] != libc::SIG_DFL && old[0] != libc::SIG_IGN {
                syscall4(
                    libc::SYS_rt_sigaction,
                    sig,
                    dfl.as_ptr() as usize,
                    0,
                    SIGSET_SIZE,
                );
            }
        }

        for i in 0..a.actions_len {
            let act = *a.actions.add(i);
            let r: Raw = match act.kind {
                ACTION_DUP2 if act.other == act.fd => {
                    // posix_spawn: dup2(fd, fd) clears FD_CLOEXEC.
                    syscall4(
                        libc::SYS_fcntl,
                        act.fd as usize,
                        libc::F_SETFD as usize,
                        0,
                        0,
                    )
                }
                ACTION_DUP2 => syscall4(libc::SYS_dup3, act.other as usize, act.fd as usize, 0, 0),
                ACTION_CLOSE => {
                    let r = syscall4(libc::SYS_close, act.fd as usize, 0, 0, 0);
                    if r == -(libc::EBADF as Raw) { 0 } else { r }
                }
                _ => {
                    let fd = syscall4(
                        libc::SYS_openat,
                        libc::AT_FDCWD as usize,
                        act.path as usize,
                        act.other as usize,
                        act.mode as usize,
                    );
                    if fd >= 0 && fd != act.fd as Raw {
                        let r = syscall4(libc::SYS_dup3, fd as usize, act.fd as usize, 0, 0);
                        syscall4(libc::SYS_close, fd as usize, 0, 0, 0);
                        r
                    } else {
                        fd
                    }
                }
            };
            if r < 0 {
                return -r as c_int;
            }
        }
        if !a.cwd.is_null() {
            let r = syscall4(libc::SYS_chdir, a.cwd as usize, 0, 0, 0);
            if r < 0 {
                return -r as c_int;
            }
        }
        syscall4(
            libc::SYS_rt_sigprocmask,
            libc::SIG_SETMASK as usize,
            (&raw const a.old_mask) as usize,
            0,
            SIGSET_SIZE,
        );
        let r = syscall4(
            libc::SYS_execve,
            a.path as usize,
            a.argv as usize,
            a.envp as usize,
            0,
        );
        -r as c_int
    }
}
