//! Lua tables: an array part for keys `1..=n` and an open-addressing hash part.
//!
//! As in PUC's `ltable.c`, integer keys live in the array part when it is dense enough
//! (a rehash picks the largest power of two `n` with more than `n/2` of `1..=n` in use), and
//! float keys with integral values are normalised to integers. Removing a key leaves a dead
//! entry (nil value, key kept) so that `next` can continue a traversal across assignments of
//! nil, which Lua allows.
//!
//! The table is mutated through `&self`: the interpreter is single-threaded and no method
//! hands out a reference into the storage, so a short-lived `&mut` inside each method never
//! aliases (see `inner`).

use std::cell::UnsafeCell;

use crate::gc::{Gc, Heap, Trace, Tracer};
use crate::string::LuaStr;
use crate::value::Value;

#[derive(Clone, Copy, Default)]
struct Node {
    key: Value,
    val: Value,
}

/// The fields of a table: 48 bytes, so that with the object header a table is a 64-byte
/// malloc chunk (as PUC's `Table`). The array and hash parts are boxed slices (their
/// length is their capacity) and the array's length is a `u32` beside the hash part's
/// count; the absent-metamethod cache and the frozen flag live in the object header
/// (see the `Gc<Table>` methods).
#[derive(Default)]
struct Inner {
    /// Array part buffer: slots `0..alen` hold keys `1..=alen`; the rest is spare
    /// capacity, always nil.
    array: Box<[Value]>,
    /// Hash part; empty or a power of two long. A nil key marks a free slot.
    nodes: Box<[Node]>,
    metatable: Option<Gc<Table>>,
    /// Length of the array part.
    alen: u32,
    /// Slots with a non-nil key (live or dead).
    used: u32,
}

/// Header byte of a table's absent-metamethod cache, and of its flags.
const ABSENT: usize = 0;
const FLAGS: usize = 1;
/// Flag: the table is frozen.
const FROZEN: u8 = 1;

/// Largest array part (slots): its length is a `u32`.
const MAX_ARRAY: usize = 1 << 30;

impl Inner {
    #[inline(always)]
    fn alen(&self) -> usize {
        self.alen as usize
    }

    /// The array part (without spare capacity).
    #[inline(always)]
    fn arr(&self) -> &[Value] {
        &self.array[..self.alen as usize]
    }

    #[inline(always)]
    fn arr_mut(&mut self) -> &mut [Value] {
        let n = self.alen as usize;
        &mut self.array[..n]
    }

    /// Slots allocated for the array part.
    #[inline(always)]
    fn acap(&self) -> usize {
        self.array.len()
    }

    /// Moves the array part to a buffer of exactly `cap >= alen` slots.
    fn realloc_array(&mut self, cap: usize) {
        let mut v = Vec::with_capacity(cap);
        v.extend_from_slice(self.arr());
        v.resize(cap, Value::Nil);
        self.array = v.into_boxed_slice();
    }

    /// Appends to the array part, doubling the buffer when full (as `Vec::push`).
    fn push_array(&mut self, v: Value) {
        let n = self.alen();
        if n == self.acap() {
            self.realloc_array((n * 2).max(4));
        }
        self.array[n] = v;
        self.alen += 1;
    }

    /// Sets the array part's length to `n`: new slots are nil, removed ones cleared. The
    /// buffer grows to exactly `n` if needed.
    fn resize_array(&mut self, n: usize) {
        let old = self.alen();
        if n > self.acap() {
            self.realloc_array(n);
        }
        if n > old {
            self.array[old..n].fill(Value::Nil);
        } else {
            self.array[n..old].fill(Value::Nil);
        }
        self.alen = n as u32;
    }

    /// Room for `extra` more slots in the array part, allocated exactly.
    fn reserve_array_exact(&mut self, extra: usize) {
        let want = self.alen() + extra;
        if want > self.acap() {
            self.realloc_array(want);
        }
    }
}

/// A Lua table.
#[derive(Default)]
pub struct Table {
    inner: UnsafeCell<Inner>,
}

#[inline(always)]
fn mix(x: u64) -> u64 {
    let x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 29)
}

#[inline]
fn key_hash(k: &Value) -> u64 {
    match *k {
        Value::Str(s) => s.hash() as u64 * 0x9e37_79b9,
        Value::Int(i) => mix(i as u64),
        Value::Float(f) => mix(f.to_bits()),
        Value::Bool(b) => b as u64 + 1,
        other => mix(other.addr() as u64),
    }
}

/// Normalises a key: floats with an exact integer value become integers.
#[inline]
fn normalize(k: Value) -> Value {
    if let Value::Float(f) = k {
        if let Some(i) = crate::number::float_to_int_exact(f) {
            return Value::Int(i);
        }
    }
    k
}

/// Key of a slot whose key object was collected from a weak table: never equal to a
/// user key, skipped by lookups, reusable by inserts.
const TOMBSTONE: Value = Value::LightUserData(usize::MAX - 0x7e57);

#[inline]
fn is_tombstone(k: &Value) -> bool {
    matches!(k, Value::LightUserData(p) if *p == usize::MAX - 0x7e57)
}

/// Outcome of [`Table::next`].
pub enum Next {
    Pair(Value, Value),
    End,
    /// The key is not in the table ("invalid key to 'next'").
    InvalidKey,
}

impl Table {
    pub fn with_capacity(narray: usize, nhash: usize) -> Table {
        let t = Table::default();
        let inner = t.inner_mut();
        // Preallocate the array part as PUC does, so `{1, nil, 3}` has border 3.
        // Exact size: `resize` alone would round a small part up to four slots.
        let narray = narray.min(1 << 24);
        inner.resize_array(narray);
        if nhash > 0 {
            let cap = (nhash.min(1 << 24) * 4 / 3 + 1).next_power_of_two();
            inner.nodes = vec![Node::default(); cap].into_boxed_slice();
        }
        t
    }

    /// No hash part allocated.
    #[inline]
    pub(crate) fn no_hash_part(&self) -> bool {
        self.inner().nodes.is_empty()
    }

    /// Slots allocated for the array part.
    #[inline]
    pub(crate) fn array_capacity(&self) -> usize {
        self.inner().acap()
    }

    /// Empties a dead table for reuse: no entries, no metatable; the array buffer is
    /// kept. (The header flags are reset by the heap.)
    pub(crate) fn reset(&self) {
        let i = self.inner_mut();
        i.resize_array(0);
        i.used = 0;
        i.metatable = None;
    }

    /// Gives a reset table its `narray` nil array slots, as `with_capacity(narray, 0)`
    /// (within the kept capacity: no allocation).
    pub(crate) fn prepare(&self, narray: usize) {
        let i = self.inner_mut();
        debug_assert!(i.acap() >= narray);
        i.resize_array(narray);
    }

    #[inline(always)]
    fn inner(&self) -> &Inner {
        // SAFETY: see the module doc: mutation happens only inside this module's methods,
        // which never keep a reference across a call that could re-enter them.
        unsafe { &*self.inner.get() }
    }

    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn inner_mut(&self) -> &mut Inner {
        // SAFETY: single-threaded VM; each method takes this `&mut` for its own duration and
        // calls nothing that could access the same table.
        unsafe { &mut *self.inner.get() }
    }

    /// Bytes owned by the table outside its header, for memory accounting.
    pub fn heap_size(&self) -> usize {
        let i = self.inner();
        i.acap() * 16 + i.nodes.len() * 32
    }

    pub fn metatable(&self) -> Option<Gc<Table>> {
        self.inner().metatable
    }

    fn set_metatable_nb(&self, mt: Option<Gc<Table>>) {
        self.inner_mut().metatable = mt;
    }

    /// Length of the array part.
    #[inline(always)]
    pub fn array_len(&self) -> usize {
        self.inner().alen()
    }

    // ---- Reads --------------------------------------------------------------------------

    #[inline]
    pub fn get(&self, key: Value) -> Value {
        match key {
            Value::Int(i) => self.get_int(i),
            Value::Str(s) => self.get_str(s),
            Value::Nil => Value::Nil,
            Value::Float(f) => match crate::number::float_to_int_exact(f) {
                Some(i) => self.get_int(i),
                None => self.get_hash(&key),
            },
            _ => self.get_hash(&key),
        }
    }

    #[inline]
    pub fn get_int(&self, i: i64) -> Value {
        let inner = self.inner();
        let idx = (i as u64).wrapping_sub(1);
        if idx < inner.alen as u64 {
            return inner.array[idx as usize];
        }
        if inner.nodes.is_empty() {
            return Value::Nil;
        }
        self.get_hash(&Value::Int(i))
    }

    #[inline]
    pub fn get_str(&self, s: Gc<LuaStr>) -> Value {
        let inner = self.inner();
        if inner.nodes.is_empty() {
            return Value::Nil;
        }
        let mask = inner.nodes.len() - 1;
        let mut i = (s.hash() as u64 * 0x9e37_79b9) as usize & mask;
        loop {
            let n = &inner.nodes[i];
            match n.key {
                Value::Str(k) if k == s || k.eq_content(&s) => return n.val,
                Value::Nil => return Value::Nil,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn find_slot(&self, key: &Value) -> Option<usize> {
        let inner = self.inner();
        if inner.nodes.is_empty() {
            return None;
        }
        let mask = inner.nodes.len() - 1;
        let mut i = key_hash(key) as usize & mask;
        loop {
            let n = &inner.nodes[i];
            if n.key.is_nil() {
                return None;
            }
            if n.key.raw_eq(key) && !is_tombstone(&n.key) {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    fn get_hash(&self, key: &Value) -> Value {
        match self.find_slot(key) {
            Some(i) => self.inner().nodes[i].val,
            None => Value::Nil,
        }
    }

    // ---- Writes -------------------------------------------------------------------------

    /// Sets `t[key] = val` (raw). The key must not be nil or NaN (the caller checks and
    /// raises the Lua error). Memory growth is charged to `heap`.
    fn set_nb(&self, heap: &mut Heap, key: Value, val: Value) {
        match normalize(key) {
            Value::Int(i) => self.set_int_nb(heap, i, val),
            k => self.set_hash(heap, k, val),
        }
    }

    fn set_int_nb(&self, heap: &mut Heap, i: i64, val: Value) {
        let inner = self.inner_mut();
        let idx = (i as u64).wrapping_sub(1);
        let alen = inner.alen as u64;
        if idx < alen {
            inner.array[idx as usize] = val;
            return;
        }
        // Doubling the array part would pass the memory limit: the key goes to the hash
        // part, which fills its spare slots first (see `set_hash`).
        let grow_over_limit = inner.alen() == inner.acap() && heap.would_exceed(alen as usize * 16);
        if idx == alen && !val.is_nil() && alen < MAX_ARRAY as u64 && !grow_over_limit {
            // Appending: grow the array part and pull in any following keys from the hash.
            let before = inner.acap();
            inner.push_array(val);
            if !inner.nodes.is_empty() {
                self.remove_hash_key(&Value::Int(i));
                if self.migrate_from_hash() {
                    heap.entries_moved(self);
                }
            }
            let after = self.inner().acap();
            if after > before {
                heap.add_bytes((after - before) * 16);
            }
            return;
        }
        self.set_hash(heap, Value::Int(i), val);
    }

    /// Moves keys `len+1, len+2, ...` from the hash part to the array part; true if any
    /// moved.
    fn migrate_from_hash(&self) -> bool {
        let mut moved = false;
        loop {
            let next = self.inner().alen() as i64 + 1;
            match self.find_slot(&Value::Int(next)) {
                Some(slot) if self.inner().alen() < MAX_ARRAY => {
                    let inner = self.inner_mut();
                    let v = inner.nodes[slot].val;
                    if v.is_nil() {
                        return moved;
                    }
                    inner.nodes[slot].val = Value::Nil;
                    inner.push_array(v);
                    moved = true;
                }
                _ => return moved,
            }
        }
    }

    fn remove_hash_key(&self, key: &Value) {
        if let Some(slot) = self.find_slot(key) {
            self.inner_mut().nodes[slot].val = Value::Nil;
        }
    }

    fn set_str_nb(&self, heap: &mut Heap, key: Gc<LuaStr>, val: Value) {
        self.set_hash(heap, Value::Str(key), val)
    }

    fn set_hash(&self, heap: &mut Heap, key: Value, val: Value) {
        if let Some(slot) = self.find_slot(&key) {
            self.inner_mut().nodes[slot].val = val;
            return;
        }
        if val.is_nil() {
            return;
        }
        let inner = self.inner_mut();
        let used = inner.used as usize;
        let full = (used + 1) * 4 > inner.nodes.len() * 3;
        let spare = used + 2 <= inner.nodes.len();
        if full && spare && heap.would_exceed(self.heap_size()) {
            // Growing would pass the memory limit: the spare slots take the key (probing
            // needs one empty slot), and the next safepoint raises "not enough memory"
            // unless a collection makes room.
            heap.defer_growth(self.heap_size());
        } else if full {
            let before = self.heap_size();
            self.rehash(&key);
            heap.entries_moved(self);
            let after = self.heap_size();
            heap.add_bytes(after.saturating_sub(before));
            // The rehash may have made room for the key in the array part.
            if let Value::Int(i) = key {
                let idx = (i as u64).wrapping_sub(1);
                if idx < self.inner().alen as u64 {
                    self.inner_mut().array[idx as usize] = val;
                    return;
                }
            }
        }
        self.insert_new(key, val);
    }

    /// Inserts a key known to be absent, reusing a dead slot if the probe meets one.
    fn insert_new(&self, key: Value, val: Value) {
        let inner = self.inner_mut();
        let mask = inner.nodes.len() - 1;
        let mut i = key_hash(&key) as usize & mask;
        loop {
            let n = &mut inner.nodes[i];
            if n.key.is_nil() {
                *n = Node { key, val };
                inner.used += 1;
                return;
            }
            if n.val.is_nil() {
                // Dead entry: reuse it (its key is no longer reachable through `get`).
                *n = Node { key, val };
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Resizes both parts for the current contents plus `extra`, as `luaH_resize` does.
    fn rehash(&self, extra: &Value) {
        // nums[b]: number of integer keys k with 2^(b-1) < k <= 2^b.
        let mut nums = [0usize; 64];
        let mut total_int = 0usize;
        let mut total = 0usize;
        let count_int = |k: i64, nums: &mut [usize; 64]| {
            if k >= 1 {
                let b = 64 - ((k - 1) as u64).leading_zeros() as usize;
                if b < 64 {
                    nums[b] += 1;
                    return true;
                }
            }
            false
        };
        {
            let inner = self.inner();
            for (i, v) in inner.arr().iter().enumerate() {
                if !v.is_nil() && count_int(i as i64 + 1, &mut nums) {
                    total_int += 1;
                }
            }
            total += total_int;
            for n in &inner.nodes {
                if !n.key.is_nil() && !n.val.is_nil() {
                    total += 1;
                    if let Value::Int(k) = n.key {
                        if count_int(k, &mut nums) {
                            total_int += 1;
                        }
                    }
                }
            }
        }
        total += 1;
        if let Value::Int(k) = *extra {
            if count_int(k, &mut nums) {
                total_int += 1;
            }
        }
        // computesizes: the largest power of two with more than half its slots in use.
        let mut acc = 0usize;
        let mut array_size = 0usize;
        let mut in_array = 0usize;
        let mut twotoi = 1usize;
        for n in nums.iter() {
            if twotoi / 2 >= total_int {
                break;
            }
            acc += n;
            if acc > twotoi / 2 {
                array_size = twotoi;
                in_array = acc;
            }
            twotoi = twotoi.saturating_mul(2);
        }
        if array_size > MAX_ARRAY {
            // Keys past the largest array part stay in the hash part.
            array_size = MAX_ARRAY;
            in_array = nums.iter().take(31).sum();
        }
        let hash_count = total - in_array;
        self.resize(array_size, hash_count);
    }

    fn resize(&self, array_size: usize, hash_count: usize) {
        let inner = self.inner_mut();
        let old_nodes = std::mem::take(&mut inner.nodes);
        let mut spill = Vec::new();
        if array_size < inner.alen() {
            for (i, v) in inner.arr()[array_size..].iter().enumerate() {
                if !v.is_nil() {
                    spill.push((Value::Int((array_size + i + 1) as i64), *v));
                }
            }
        }
        inner.resize_array(array_size);
        let cap = if hash_count == 0 {
            0
        } else {
            (hash_count * 4 / 3 + 1).next_power_of_two().max(4)
        };
        inner.nodes = vec![Node::default(); cap].into_boxed_slice();
        inner.used = 0;
        for n in Vec::from(old_nodes)
            .into_iter()
            .chain(spill.into_iter().map(|(key, val)| Node { key, val }))
        {
            if n.key.is_nil() || n.val.is_nil() {
                continue;
            }
            if let Value::Int(k) = n.key {
                let idx = (k as u64).wrapping_sub(1);
                if idx < array_size as u64 {
                    self.inner_mut().array[idx as usize] = n.val;
                    continue;
                }
            }
            self.insert_new(n.key, n.val);
        }
    }

    // ---- Length and traversal -----------------------------------------------------------

    /// A border of the table (`#t` without `__len`), as `luaH_getn`.
    pub fn len(&self) -> i64 {
        let inner = self.inner();
        let n = inner.alen();
        if n > 0 && inner.array[n - 1].is_nil() {
            // Binary search for a border inside the array part.
            let (mut lo, mut hi) = (0usize, n);
            while hi - lo > 1 {
                let m = (lo + hi) / 2;
                if inner.array[m - 1].is_nil() {
                    hi = m;
                } else {
                    lo = m;
                }
            }
            return lo as i64;
        }
        if inner.nodes.is_empty() {
            return n as i64;
        }
        // Unbound search in the hash part.
        let mut i = n as i64;
        let mut j = i + 1;
        while !self.get_int(j).is_nil() {
            i = j;
            if j > i64::MAX / 2 {
                // Pathological: linear search.
                let mut k = 1;
                while !self.get_int(k).is_nil() {
                    k += 1;
                }
                return k - 1;
            }
            j *= 2;
        }
        while j - i > 1 {
            let m = i + (j - i) / 2;
            if self.get_int(m).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    /// True when no key has a non-nil value.
    pub fn is_empty(&self) -> bool {
        let inner = self.inner();
        inner.arr().iter().all(|v| v.is_nil()) && inner.nodes.iter().all(|n| n.val.is_nil())
    }

    /// The entry after `key` in traversal order (`next`): array part first, then hash slots.
    pub fn next(&self, key: Value) -> Next {
        let inner = self.inner();
        let alen = inner.alen();
        let mut start_array = 0usize;
        let mut start_node;
        match normalize(key) {
            Value::Nil => start_node = 0,
            Value::Int(i) if (i as u64).wrapping_sub(1) < alen as u64 => {
                start_array = i as usize;
                start_node = 0;
            }
            k => match self.find_slot(&k) {
                Some(slot) => {
                    start_array = alen;
                    start_node = slot + 1;
                }
                None => return Next::InvalidKey,
            },
        }
        for i in start_array..alen {
            if !inner.array[i].is_nil() {
                return Next::Pair(Value::Int(i as i64 + 1), inner.array[i]);
            }
        }
        while start_node < inner.nodes.len() {
            let n = &inner.nodes[start_node];
            if !n.val.is_nil() {
                return Next::Pair(n.key, n.val);
            }
            start_node += 1;
        }
        Next::End
    }

    /// Raw access to the array part element `i` (0-based) for fast `ipairs`-style loops.
    #[inline]
    pub fn array_get(&self, i: usize) -> Option<Value> {
        self.inner().arr().get(i).copied()
    }
}

/// Writes go through the table's `Gc` pointer so that the collector's write barrier sees
/// which table changed.
impl Gc<Table> {
    /// Set by `freeze`: writes through the VM are refused.
    #[inline(always)]
    pub fn is_frozen(self) -> bool {
        self.extra(FLAGS).get() & FROZEN != 0
    }

    /// Makes the table read-only for scripts (see the sandbox).
    pub fn freeze(self) {
        let f = self.extra(FLAGS);
        f.set(f.get() | FROZEN);
    }

    /// Cache of absent metamethods: bit `i` set means that this table (as a metatable) has
    /// no field for the i-th fast metamethod. Cleared on every write to the table.
    #[inline(always)]
    pub fn absent_meta(self) -> u8 {
        self.extra(ABSENT).get()
    }

    #[inline(always)]
    pub fn set_absent_meta(self, bits: u8) {
        self.extra(ABSENT).set(bits);
    }

    /// `t[key] = val` (raw). The key must not be nil or NaN (callers raise the Lua error).
    #[inline]
    pub fn set(self, heap: &mut Heap, key: Value, val: Value) {
        heap.barrier_back(self, key);
        heap.barrier_back(self, val);
        self.set_absent_meta(0);
        self.set_nb(heap, key, val);
    }

    #[inline]
    pub fn set_int(self, heap: &mut Heap, i: i64, val: Value) {
        heap.barrier_back(self, val);
        self.set_absent_meta(0);
        self.set_int_nb(heap, i, val);
    }

    #[inline]
    pub fn set_str(self, heap: &mut Heap, key: Gc<LuaStr>, val: Value) {
        // The key too: a new string (or an interned one still white) must not end up in a
        // black table unmarked, or the sweep frees it under the table.
        heap.barrier_back(self, Value::Str(key));
        heap.barrier_back(self, val);
        self.set_absent_meta(0);
        self.set_str_nb(heap, key, val);
    }

    /// Before a constructor's SETLIST stores keys `first..first + n` (`first` = 1 + the
    /// keys already stored): if they will be appended to the array part, sizes it for them
    /// at once, exactly (as PUC's `luaH_resizearray` there), instead of growing it by
    /// doubling (`{f(), g()}` hints one slot: a doubled part would hold four).
    pub fn reserve_array(self, heap: &mut Heap, first: usize, n: usize) {
        let inner = self.inner_mut();
        let (len, cap) = (inner.alen(), inner.acap());
        let end = first.saturating_add(n - 1);
        if len + 1 < first || end <= cap || end > 1 << 24 {
            return;
        }
        let extra = (end - cap) * 16;
        if heap.would_exceed(extra) {
            return;
        }
        inner.reserve_array_exact(end - len);
        heap.add_bytes((inner.acap() - cap) * 16);
    }

    pub fn set_metatable(self, heap: &mut Heap, mt: Option<Gc<Table>>) {
        if let Some(m) = mt {
            heap.barrier_back(self, Value::Table(m));
        }
        self.set_metatable_nb(mt);
    }
}

impl Table {
    /// Array slots plus hash slots: the unit of chunked traversal.
    pub(crate) fn entry_slots(&self) -> usize {
        let inner = self.inner();
        inner.alen() + inner.nodes.len()
    }

    /// Marks up to `count` entry slots from `from` (array part first, then hash slots);
    /// the metatable with the first chunk. Returns where to continue, or `None` when done.
    /// Entries added meanwhile are covered by the write barrier.
    pub(crate) fn trace_range(
        &self,
        tracer: &mut Tracer,
        from: usize,
        count: usize,
    ) -> Option<usize> {
        let inner = self.inner();
        if from == 0 {
            if let Some(mt) = inner.metatable {
                tracer.mark(crate::gc::GcAny::Table(mt));
            }
        }
        let alen = inner.alen();
        let end = from.saturating_add(count).min(alen + inner.nodes.len());
        for i in from..end {
            if i < alen {
                tracer.mark_value(inner.array[i]);
            } else {
                let n = &inner.nodes[i - alen];
                if !n.key.is_nil() {
                    tracer.mark_value(n.key);
                    tracer.mark_value(n.val);
                }
            }
        }
        (end < alen + inner.nodes.len()).then_some(end)
    }

    /// Marks the metatable and, of each entry, what the weakness allows: strong keys
    /// and values are marked, weak ones only if they are strings (strings are values).
    pub(crate) fn trace_weak(&self, tracer: &mut Tracer, weak_k: bool, weak_v: bool) {
        let inner = self.inner();
        if let Some(mt) = inner.metatable {
            tracer.mark(crate::gc::GcAny::Table(mt));
        }
        for &v in inner.arr() {
            if !weak_v || matches!(v, Value::Str(_)) {
                tracer.mark_value(v);
            }
        }
        for n in &inner.nodes {
            if n.val.is_nil() {
                continue;
            }
            if !weak_k || matches!(n.key, Value::Str(_)) {
                tracer.mark_value(n.key);
            }
            if !weak_v || matches!(n.val, Value::Str(_)) {
                tracer.mark_value(n.val);
            }
        }
    }

    /// Ephemeron traversal: marks the values of entries whose key is reachable. Returns
    /// true if it marked anything new.
    pub(crate) fn trace_ephemeron(&self, tracer: &mut Tracer) -> bool {
        let inner = self.inner();
        let mut marked = false;
        if let Some(mt) = inner.metatable {
            tracer.mark(crate::gc::GcAny::Table(mt));
        }
        for &v in inner.arr() {
            if crate::gc::is_dead(tracer, v) {
                marked = true;
            }
            tracer.mark_value(v);
        }
        for n in &inner.nodes {
            if n.val.is_nil() || crate::gc::is_dead(tracer, n.key) {
                continue;
            }
            if crate::gc::is_dead(tracer, n.val) {
                marked = true;
                tracer.mark_value(n.val);
            }
        }
        marked
    }

    /// Removes entries whose (weak) key or value was found dead.
    pub(crate) fn clear_weak(&self, tracer: &mut Tracer, keys: bool, values: bool) {
        let inner = self.inner_mut();
        if values {
            for v in inner.arr_mut() {
                if crate::gc::is_dead(tracer, *v) {
                    *v = Value::Nil;
                }
            }
        }
        for n in &mut inner.nodes {
            if n.key.is_nil() || is_tombstone(&n.key) {
                continue;
            }
            let key_dead = crate::gc::is_dead(tracer, n.key);
            if (keys && key_dead) || (values && crate::gc::is_dead(tracer, n.val)) {
                n.val = Value::Nil;
            }
            if key_dead && n.val.is_nil() {
                // The key object is about to be freed: never compare with it again.
                n.key = TOMBSTONE;
            }
        }
    }
}

impl Trace for Table {
    fn trace(&self, tracer: &mut Tracer) {
        let inner = self.inner();
        if let Some(mt) = inner.metatable {
            tracer.mark(crate::gc::GcAny::Table(mt));
        }
        for v in inner.arr() {
            tracer.mark_value(*v);
        }
        for n in &inner.nodes {
            if !n.val.is_nil() {
                tracer.mark_value(n.key);
                tracer.mark_value(n.val);
            } else if !n.key.is_nil() {
                // Dead key: keep the object alive only if it is a string (cheap and keeps
                // `next` working); other dead keys are compared by address only.
                tracer.mark_value(n.key);
            }
        }
    }
}
