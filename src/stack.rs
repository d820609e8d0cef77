//! [`Stack`]: an owned child stack, mapped with a guard page below it.

use core::ffi::c_void;
use core::ptr::NonNull;

use crate::Errno;
use crate::api::last_errno;
use crate::clone3::page_size;

/// A child stack: an anonymous private mapping whose lowest page is a
/// `PROT_NONE` guard page, so that a child that overflows its stack faults
/// instead of writing over whatever memory lies below. Unmapped on drop.
///
/// ```
/// use sched_clone::Stack;
///
/// let mut stack = Stack::new(64 * 1024)?;
/// assert!(stack.len() >= 64 * 1024);
/// assert_eq!(stack.as_mut_slice().len(), stack.len());
/// # Ok::<(), sched_clone::Errno>(())
/// ```
#[derive(Debug)]
pub struct Stack {
    /// The whole mapping, guard page included.
    map: NonNull<u8>,
    map_len: usize,
    guard_len: usize,
}

// SAFETY: a Stack owns its mapping exclusively; it is plain memory.
unsafe impl Send for Stack {}
// SAFETY: shared references only give out its address and length.
unsafe impl Sync for Stack {}

impl Stack {
    /// Maps a stack of at least `size` usable bytes (rounded up to whole
    /// pages) with one guard page below it.
    ///
    /// # Errors
    /// `EINVAL` for a zero `size` or one that overflows once rounded, and
    /// mmap's or mprotect's error (`ENOMEM`, ...).
    pub fn new(size: usize) -> Result<Stack, Errno> {
        let page = page_size();
        if size == 0 {
            return Err(Errno::EINVAL);
        }
        let usable = size.checked_next_multiple_of(page).ok_or(Errno::EINVAL)?;
        let map_len = usable.checked_add(page).ok_or(Errno::EINVAL)?;
        // SAFETY: a fresh anonymous mapping; no existing memory is touched.
        let p = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(last_errno());
        }
        // SAFETY: `p` is non-null (mmap succeeded and never returns 0 for a
        // non-fixed mapping).
        let stack = Stack {
            map: unsafe { NonNull::new_unchecked(p.cast()) },
            map_len,
            guard_len: page,
        };
        // SAFETY: the guard page is the first page of our own mapping.
        if unsafe { libc::mprotect(p, page, libc::PROT_NONE) } != 0 {
            return Err(last_errno()); // `stack` unmaps on drop
        }
        Ok(stack)
    }

    /// The number of usable bytes (the guard page not included).
    pub fn len(&self) -> usize {
        self.map_len - self.guard_len
    }

    /// Always `false`: a stack has at least one usable page.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The lowest usable address (just above the guard page).
    pub fn base(&self) -> *mut u8 {
        self.map.as_ptr().wrapping_add(self.guard_len)
    }

    /// One past the highest usable address: the initial stack pointer of a
    /// child that runs on this stack.
    pub fn top(&self) -> *mut u8 {
        self.map.as_ptr().wrapping_add(self.map_len)
    }

    /// The usable memory, for [`CloneBuilder::spawn_on_slice`] and clone(2).
    ///
    /// [`CloneBuilder::spawn_on_slice`]: crate::CloneBuilder::spawn_on_slice
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: the usable part of the mapping is readable, writable,
        // initialized (anonymous memory is zero) and owned by `self`,
        // which `&mut self` borrows exclusively.
        unsafe { core::slice::from_raw_parts_mut(self.base(), self.len()) }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours and nothing borrows it any more.
        unsafe { libc::munmap(self.map.as_ptr().cast::<c_void>(), self.map_len) };
    }
}
