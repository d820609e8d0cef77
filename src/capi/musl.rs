//! musl's ABI for the C entry points (`--cfg sched_clone_musl`, with
//! `--cfg sched_clone_capi`): the archive that a musl build links in place
//! of its own `src/thread/ARCH/clone.s` and `src/linux/clone.c`.
//!
//! musl's internal `__clone(fn, stack, flags, arg, ptid, tls, ctid)`
//! differs from glibc's in two ways, and musl's callers rely on both:
//!
//! - It returns the raw kernel result: the TID, or `-errno` with `errno`
//!   untouched (`posix_spawn` returns `-__clone(...)` as its error number).
//! - On i386, `tls` is the new thread pointer itself; `__clone` builds the
//!   `struct user_desc` for it, reusing the GDT entry that the calling
//!   thread's %gs selects (musl's `pthread_create` passes its TCB).
//!
//! musl's public `clone` is `__clone` with the C convention (`-1` and
//! `errno`), `tls` included; so is ours in this build.

use core::ffi::{c_int, c_long, c_uint, c_ulong, c_void};

use crate::arch;
use crate::raw::{ChildFn, checked_clone_args};

/// musl's `__clone`: our argument checks (`-EINVAL` for a `None` function
/// or a stack that is NULL once aligned), then the raw clone(2) result.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe extern "C" fn musl_clone_impl(
    f: Option<ChildFn>,
    stack: *mut c_void,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_int {
    let (f, top) = match checked_clone_args(f, stack) {
        Ok(checked) => checked,
        Err(e) => return -e.raw(),
    };
    #[cfg(target_arch = "x86")]
    let mut desc: UserDesc;
    #[cfg(target_arch = "x86")]
    let tls = if flags & libc::CLONE_SETTLS != 0 {
        desc = UserDesc::for_thread_pointer(tls as usize as u32);
        (&raw mut desc).cast()
    } else {
        tls
    };
    // SAFETY: the checks passed; the C caller takes on clone(2)'s contract
    // (musl's pthread_create and posix_spawn do). `desc`, when used, lives
    // until the syscall has read it. The kernel reads only the low 32 bits
    // of flags.
    let ret = unsafe { arch::raw_clone(f, top, flags as c_uint as c_ulong, arg, ptid, tls, ctid) };
    ret as c_int
}

/// musl's public `clone`: its `__clone` with `-1`/`errno` on failure.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe extern "C" fn musl_public_clone_impl(
    f: Option<ChildFn>,
    stack: *mut c_void,
    flags: c_int,
    arg: *mut c_void,
    ptid: *mut libc::pid_t,
    tls: *mut c_void,
    ctid: *mut libc::pid_t,
) -> c_int {
    // SAFETY: the C caller's promise, as for __clone.
    let ret = unsafe { musl_clone_impl(f, stack, flags, arg, ptid, tls, ctid) };
    if ret < 0 {
        super::clone_failed(ret as c_long)
    } else {
        ret
    }
}

/// The kernel's i386 `struct user_desc` (`asm/ldt.h`): the TLS segment
/// that `CLONE_SETTLS` loads.
#[cfg(target_arch = "x86")]
#[repr(C)]
struct UserDesc {
    entry_number: u32,
    base_addr: u32,
    limit: u32,
    /// Bit fields: seg_32bit (0), contents (1-2), read_exec_only (3),
    /// limit_in_pages (4), seg_not_present (5), useable (6).
    flags: u32,
}

#[cfg(target_arch = "x86")]
impl UserDesc {
    const SEG_32BIT: u32 = 1 << 0;
    const LIMIT_IN_PAGES: u32 = 1 << 4;
    const USEABLE: u32 = 1 << 6;

    /// A flat 4 GiB data segment based at `tp`, in the GDT entry the calling
    /// thread's %gs selects (the one the C library set up for the main
    /// thread), as musl's i386 `__clone` builds it.
    fn for_thread_pointer(tp: u32) -> Self {
        UserDesc {
            entry_number: u32::from(arch::gs_selector() >> 3),
            base_addr: tp,
            limit: 0xfffff,
            flags: Self::SEG_32BIT | Self::LIMIT_IN_PAGES | Self::USEABLE,
        }
    }
}
