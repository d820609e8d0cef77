//! A raw six-argument system call for the 64-bit architectures, so that the
//! clone3 fallback can ask the kernel about its limits (the page size, the
//! end of the user address space, whether `set_tid` is readable) without
//! importing anything from libc. On i686 and arm it answers `-ENOSYS`
//! without a call (their six-register conventions need the frame or base
//! pointer register), and the callers then do without.

#[cfg(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64",
    target_arch = "powerpc64",
    target_arch = "s390x"
))]
use core::arch::asm;
use core::ffi::c_long;

/// Stands in for the call on i686 and arm: `-ENOSYS`.
///
/// # Safety
/// None needed; `unsafe` for the same signature as the real ones.
#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64",
    target_arch = "powerpc64",
    target_arch = "s390x"
)))]
pub(crate) unsafe fn syscall6(_nr: c_long, _a: [usize; 6]) -> c_long {
    -(libc::ENOSYS as c_long)
}

/// `syscall(nr, a0..a5)`: the kernel's raw result (`-errno` on failure).
///
/// # Safety
/// The call must be one whose arguments do not make the kernel write to
/// memory the caller does not own, or change state the program relies on.
#[cfg(target_arch = "x86_64")]
pub(crate) unsafe fn syscall6(nr: c_long, a: [usize; 6]) -> c_long {
    let ret;
    // SAFETY: the caller vouches for the call; `syscall` clobbers rcx, r11.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a[0], in("rsi") a[1],
             in("rdx") a[2], in("r10") a[3], in("r8") a[4], in("r9") a[5],
             lateout("rcx") _, lateout("r11") _, options(nostack))
    };
    ret
}

/// See the x86_64 version.
///
/// # Safety
/// As the x86_64 version.
#[cfg(target_arch = "aarch64")]
pub(crate) unsafe fn syscall6(nr: c_long, a: [usize; 6]) -> c_long {
    let ret;
    // SAFETY: the caller vouches for the call.
    unsafe {
        asm!("svc 0", in("x8") nr, inlateout("x0") a[0] => ret, in("x1") a[1],
             in("x2") a[2], in("x3") a[3], in("x4") a[4], in("x5") a[5], options(nostack))
    };
    ret
}

/// See the x86_64 version.
///
/// # Safety
/// As the x86_64 version.
#[cfg(target_arch = "riscv64")]
pub(crate) unsafe fn syscall6(nr: c_long, a: [usize; 6]) -> c_long {
    let ret;
    // SAFETY: the caller vouches for the call.
    unsafe {
        asm!("ecall", in("a7") nr, inlateout("a0") a[0] => ret, in("a1") a[1],
             in("a2") a[2], in("a3") a[3], in("a4") a[4], in("a5") a[5], options(nostack))
    };
    ret
}

/// See the x86_64 version. The kernel flags an error in cr0.SO and returns
/// the positive errno in r3.
///
/// # Safety
/// As the x86_64 version.
#[cfg(target_arch = "powerpc64")]
pub(crate) unsafe fn syscall6(nr: c_long, a: [usize; 6]) -> c_long {
    let ret: c_long;
    // SAFETY: the caller vouches for the call; `sc` clobbers r0, r4-r12,
    // ctr, xer and cr0.
    unsafe {
        asm!("sc", "bns+ 1f", "neg 3, 3", "1:",
             inlateout("r0") nr => _, inlateout("r3") a[0] => ret,
             inlateout("r4") a[1] => _, inlateout("r5") a[2] => _, inlateout("r6") a[3] => _,
             inlateout("r7") a[4] => _, inlateout("r8") a[5] => _,
             lateout("r9") _, lateout("r10") _, lateout("r11") _, lateout("r12") _,
             lateout("ctr") _, lateout("xer") _, lateout("cr0") _, options(nostack))
    };
    ret
}

/// See the x86_64 version.
///
/// # Safety
/// As the x86_64 version.
#[cfg(target_arch = "s390x")]
pub(crate) unsafe fn syscall6(nr: c_long, a: [usize; 6]) -> c_long {
    let ret;
    // SAFETY: the caller vouches for the call.
    unsafe {
        asm!("svc 0", in("r1") nr, inlateout("r2") a[0] => ret, in("r3") a[1],
             in("r4") a[2], in("r5") a[3], in("r6") a[4], in("r7") a[5], options(nostack))
    };
    ret
}
