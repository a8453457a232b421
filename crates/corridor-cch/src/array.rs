//! [`U32Array`]: an immutable `[u32]` that either owns its memory or borrows it from shared
//! bytes, such as a memory-mapped file.
//!
//! A [`crate::Cch`] built in memory owns its arrays; one loaded from a snapshot file points into
//! the file's mapping, so its pages are clean, shared between processes that map the same file
//! and dropped by the kernel under memory pressure instead of counting as heap (OSRM serves its
//! `.hsgr` the same way). The crate does no I/O: the caller hands over any `AsRef<[u8]>` owner
//! (a `memmap2::Mmap`, a `Vec<u8>`) behind an `Arc`.
//!
//! Indexing is a plain slice access: the pointer and length are resolved once, at construction,
//! because the hot loops of customization and queries index these arrays millions of times.

use std::sync::Arc;

/// Bytes that outlive every [`U32Array`] borrowing from them.
pub type SharedBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Why shared bytes cannot be viewed as a `[u32]`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArrayError {
    /// The byte range is outside the owner.
    #[error("byte range {start}..{end} is outside the {len} bytes given")]
    OutOfBounds {
        /// First byte.
        start: usize,
        /// One past the last byte.
        end: usize,
        /// Bytes available.
        len: usize,
    },
    /// The range does not start on a 4-byte boundary in memory.
    #[error("byte offset {offset} is not 4-byte aligned in memory")]
    Misaligned {
        /// First byte.
        offset: usize,
    },
}

/// An immutable array of `u32`, owned or borrowed from [`SharedBytes`].
pub struct U32Array {
    ptr: *const u32,
    len: usize,
    owner: Owner,
}

enum Owner {
    Vec(#[allow(dead_code)] Vec<u32>),
    Shared(#[allow(dead_code)] SharedBytes),
}

// SAFETY: the array is never written after construction, and the memory it points to is owned
// by `owner` (a `Vec` that is never touched again, or `Send + Sync` shared bytes that are never
// written through this type), so sharing or sending it is sharing or sending `&[u32]`.
unsafe impl Send for U32Array {}
// SAFETY: as above.
unsafe impl Sync for U32Array {}

impl U32Array {
    /// Views `len` little-endian `u32`s of `bytes`, starting at byte `offset`, without copying.
    /// The bytes must stay unchanged while the array lives (true of a private read-only map of a
    /// file that is only ever replaced by renaming, as corridor writes snapshots).
    pub fn shared(bytes: SharedBytes, offset: usize, len: usize) -> Result<U32Array, ArrayError> {
        #[cfg(target_endian = "big")]
        compile_error!("corridor's binary formats are little-endian");
        let all: &[u8] = (*bytes).as_ref();
        let end = len.checked_mul(4).and_then(|b| b.checked_add(offset));
        let Some(end) = end.filter(|&e| e <= all.len()) else {
            return Err(ArrayError::OutOfBounds { start: offset, end: end.unwrap_or(usize::MAX), len: all.len() });
        };
        let ptr = all[offset..end].as_ptr();
        if !(ptr as usize).is_multiple_of(std::mem::align_of::<u32>()) {
            return Err(ArrayError::Misaligned { offset });
        }
        Ok(U32Array { ptr: ptr.cast::<u32>(), len, owner: Owner::Shared(bytes) })
    }

    /// Whether the array borrows shared bytes (rather than owning heap memory).
    pub fn is_shared(&self) -> bool {
        matches!(self.owner, Owner::Shared(_))
    }

    /// Heap bytes this array owns (0 when it borrows shared bytes).
    pub fn heap_bytes(&self) -> usize {
        match &self.owner {
            Owner::Vec(v) => 4 * v.capacity(),
            Owner::Shared(_) => 0,
        }
    }
}

impl From<Vec<u32>> for U32Array {
    fn from(v: Vec<u32>) -> U32Array {
        // The Vec's buffer does not move when the Vec does, and it is never modified again.
        U32Array { ptr: v.as_ptr(), len: v.len(), owner: Owner::Vec(v) }
    }
}

impl std::ops::Deref for U32Array {
    type Target = [u32];

    #[inline(always)]
    fn deref(&self) -> &[u32] {
        // SAFETY: `ptr` is aligned and points to `len` initialised `u32`s owned by `owner`
        // (checked in `shared`, or a Vec's buffer), unchanged for the array's lifetime.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Clone for U32Array {
    fn clone(&self) -> U32Array {
        match &self.owner {
            Owner::Vec(_) => U32Array::from(self.to_vec()),
            Owner::Shared(b) => U32Array { ptr: self.ptr, len: self.len, owner: Owner::Shared(b.clone()) },
        }
    }
}

impl std::fmt::Debug for U32Array {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "U32Array({} x u32, {})", self.len, if self.is_shared() { "shared" } else { "owned" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_and_shared_views_read_the_same_values() {
        let owned = U32Array::from(vec![1, 2, 3]);
        assert_eq!(&*owned, &[1, 2, 3]);
        assert!(!owned.is_shared());
        // Bytes backed by u32 storage, so the view is aligned whatever the allocator does.
        struct Words(Vec<u32>);
        impl AsRef<[u8]> for Words {
            fn as_ref(&self) -> &[u8] {
                // SAFETY: a u32 buffer viewed as its bytes (u8 has no alignment or validity needs).
                unsafe { std::slice::from_raw_parts(self.0.as_ptr().cast::<u8>(), self.0.len() * 4) }
            }
        }
        let shared: SharedBytes = Arc::new(Words(vec![7, 1, 2, 3]));
        let a = U32Array::shared(shared.clone(), 4, 3).unwrap();
        assert_eq!(&*a, &[1, 2, 3]);
        assert!(a.is_shared());
        assert_eq!(a.heap_bytes(), 0);
        assert_eq!(&*a.clone(), &[1, 2, 3]);
        assert!(matches!(U32Array::shared(shared.clone(), 2, 1), Err(ArrayError::Misaligned { offset: 2 })));
        assert!(matches!(U32Array::shared(shared.clone(), 8, 3), Err(ArrayError::OutOfBounds { .. })));
        assert!(matches!(U32Array::shared(shared, usize::MAX - 2, 1), Err(ArrayError::OutOfBounds { .. })));
    }
}
