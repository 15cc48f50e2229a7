//! Lua strings: immutable byte strings with a cached hash; short strings are interned.
//!
//! Interning short strings (at most [`SHORT_STR_MAX`] bytes, which covers identifiers and
//! field names) makes their equality a pointer comparison; long strings are compared by
//! content. Hashes are deterministic (no per-process seed), so table iteration order is the
//! same on every run.

use crate::gc::{Gc, Heap};

/// Strings up to this length are interned (PUC's `LUAI_MAXSHORTLEN`).
pub const SHORT_STR_MAX: usize = 40;

/// An immutable Lua string.
pub struct LuaStr {
    hash: u32,
    bytes: Box<[u8]>,
}

impl LuaStr {
    #[inline(always)]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    #[inline(always)]
    pub fn hash(&self) -> u32 {
        self.hash
    }

    #[inline(always)]
    pub fn is_short(&self) -> bool {
        self.bytes.len() <= SHORT_STR_MAX
    }

    /// Content equality for two distinct objects (interned short strings are never equal
    /// unless identical).
    #[inline]
    pub fn eq_content(&self, other: &LuaStr) -> bool {
        !self.is_short() && self.hash == other.hash && self.bytes == other.bytes
    }

    /// Lossy UTF-8 view, for messages.
    pub fn to_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// Hash of a byte string (FNV-1a variant over all bytes, then mixed).
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 29;
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 32;
    h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 32) as u32
}

/// The set of interned short strings (an open-addressing table of `Gc<LuaStr>`).
pub struct Interner {
    slots: Vec<Option<Gc<LuaStr>>>,
    count: usize,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            slots: vec![None; 1024],
            count: 0,
        }
    }
}

impl Interner {
    /// Returns the string object for `bytes`, creating (and for short strings, interning) it.
    pub fn intern(&mut self, heap: &mut Heap, bytes: &[u8]) -> Gc<LuaStr> {
        let hash = hash_bytes(bytes);
        if bytes.len() > SHORT_STR_MAX {
            return heap.alloc(LuaStr {
                hash,
                bytes: bytes.into(),
            });
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                Some(s) if s.hash == hash && &*s.bytes == bytes => {
                    heap.resurrect(s);
                    return s;
                }
                Some(_) => i = (i + 1) & mask,
                None => break,
            }
        }
        let s = heap.alloc(LuaStr {
            hash,
            bytes: bytes.into(),
        });
        self.slots[i] = Some(s);
        self.count += 1;
        if self.count * 2 > self.slots.len() {
            self.resize(self.slots.len() * 2);
        }
        s
    }

    /// Creates a long string from an owned buffer without copying.
    pub fn from_vec(&mut self, heap: &mut Heap, bytes: Vec<u8>) -> Gc<LuaStr> {
        if bytes.len() <= SHORT_STR_MAX {
            return self.intern(heap, &bytes);
        }
        heap.alloc(LuaStr {
            hash: hash_bytes(&bytes),
            bytes: bytes.into_boxed_slice(),
        })
    }

    /// Removes a string that the collector is about to free.
    pub fn remove(&mut self, s: Gc<LuaStr>) {
        if !s.is_short() {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut i = s.hash as usize & mask;
        loop {
            match self.slots[i] {
                Some(x) if x == s => break,
                Some(_) => i = (i + 1) & mask,
                None => return,
            }
        }
        // Backward-shift deletion keeps probe chains intact without tombstones.
        self.slots[i] = None;
        self.count -= 1;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let Some(x) = self.slots[j] else { break };
            let home = x.hash as usize & mask;
            // Move x back to i if i lies cyclically between its home slot and j.
            let between = if i <= j {
                home <= i || home > j
            } else {
                home <= i && home > j
            };
            if between {
                self.slots[i] = Some(x);
                self.slots[j] = None;
                i = j;
            }
        }
    }

    fn resize(&mut self, new_len: usize) {
        let old = std::mem::replace(&mut self.slots, vec![None; new_len]);
        let mask = new_len - 1;
        for s in old.into_iter().flatten() {
            let mut i = s.hash as usize & mask;
            while self.slots[i].is_some() {
                i = (i + 1) & mask;
            }
            self.slots[i] = Some(s);
        }
    }
}
