//! Garbage-collected heap: object allocation and an incremental tri-colour collector.
//!
//! Every Lua object (string, table, closure, upvalue, prototype, userdata, thread) lives in a
//! [`GcBox`] allocated by the [`Heap`] and is referred to by a copyable [`Gc`] pointer. The heap
//! keeps a list of all objects (a pointer to each one's header, which holds its colour and
//! type). A cycle, as PUC's `lgc.c`, goes Pause → Propagate (marking a bounded amount of gray
//! objects per step, with an explicit gray stack so deep structures never recurse on the Rust
//! stack) → atomic (re-marking the roots, the tables written while
//! black, weak tables, finalizer separation) → Sweep (a bounded number of objects per step)
//! → Pause. Two white colours alternate between cycles, so objects allocated during a sweep
//! are never mistaken for dead ones. Write barriers (`barrier_back` for tables,
//! `barrier_forward` for upvalues and userdata) keep the invariant "no black object points to
//! a white one" while marking is in progress.
//!
//! Safety model: a `Gc<T>` is valid as long as its object is reachable from the roots at every
//! collection. The VM only collects at safepoints of its dispatch loop, where every live value
//! is in a register, an upvalue, a table or another root; native functions therefore never see
//! an object freed under them. This module holds all the `unsafe` of object lifetime.

use std::cell::Cell;

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ptr::NonNull;

use crate::function::{LuaClosure, NativeClosure, Proto, UpVal};
use crate::string::LuaStr;
use crate::table::Table;
use crate::thread::Thread;
use crate::userdata::UserData;
use crate::value::Value;

/// The first white; the other white is `WHITE0 ^ 1`, and the two alternate per cycle.
const WHITE0: u8 = 0;
/// Marked (and either traversed or waiting in a gray list).
const BLACK: u8 = 2;
/// Black, and queued in `grayagain` for re-traversal at the atomic step (written to).
const GRAYAGAIN: u8 = 3;

/// Entries of a table traversed per chunk of incremental marking.
const TABLE_CHUNK: usize = 4096;
/// Sweep work units charged for freeing an object, on top of visiting it.
const SWEEP_FREE_COST: usize = 3;
/// How far ahead of its top the table pool prefetches.
const POOL_PREFETCH: usize = 4;
/// Pools of dead tables, for array parts of capacity 0 to `POOL_CLASSES - 1`.
const POOL_CLASSES: usize = 5;
/// Most tables in the pools.
const POOL_MAX: usize = 1 << 16;

/// Hints the CPU to fetch the line at `p` (the sweep looks a few objects ahead).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Type of a heap object, kept in its header so that the sweep can free it.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    Str,
    Table,
    LuaClosure,
    NativeClosure,
    UpVal,
    Proto,
    UserData,
    Thread,
}

/// Common header of every heap object (PUC's `CommonHeader`): the colour and the type,
/// which lets the sweep free an object from a bare header pointer. Padded to a word for
/// most payloads, as the old colour-only header was.
struct Header {
    color: Cell<u8>,
    kind: Kind,
    /// Bytes a payload type may use through its `Gc` (tables: the absent-metamethod cache
    /// and the flags), free in the header's padding. Zero at allocation.
    extra: [Cell<u8>; 2],
}

/// Header and payload of one heap object. `repr(C)` puts the header at offset 0, so a
/// pointer to the box is a pointer to its header and back.
#[repr(C)]
pub struct GcBox<T> {
    header: Header,
    value: T,
}

/// A pointer to a heap object. `Copy`, compared and hashed by address.
pub struct Gc<T> {
    ptr: NonNull<GcBox<T>>,
}

impl<T> Clone for Gc<T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Gc<T> {}

impl<T> PartialEq for Gc<T> {
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        self.ptr == other.ptr
    }
}
impl<T> Eq for Gc<T> {}

impl<T> Hash for Gc<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.ptr.hash(state)
    }
}

impl<T> fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gc({:p})", self.ptr)
    }
}

impl<T> Gc<T> {
    /// The object's address, for identity (`tostring`, hashing).
    #[inline(always)]
    pub fn addr(&self) -> usize {
        self.ptr.as_ptr() as usize
    }

    /// Raw pointer to the object, for the rare in-place change of an object without
    /// interior mutability (`debug.upvaluejoin`). Writing through it is sound only while no
    /// reference into the object is alive.
    #[inline]
    pub fn raw_ptr(&self) -> *mut T {
        // SAFETY: only computes the field address; the box is alive as in `deref`.
        unsafe { &raw mut (*self.ptr.as_ptr()).value }
    }

    #[inline(always)]
    fn header(&self) -> &Cell<u8> {
        // SAFETY: as in `deref`.
        unsafe { &self.ptr.as_ref().header.color }
    }

    /// The `i`-th spare header byte (`i < 2`), for the payload type's own use.
    #[inline(always)]
    pub(crate) fn extra(&self, i: usize) -> &Cell<u8> {
        // SAFETY: as in `deref`.
        unsafe { &self.ptr.as_ref().header.extra[i] }
    }
}

impl<T> std::ops::Deref for Gc<T> {
    type Target = T;
    #[inline(always)]
    /// The object. Valid while the object is reachable (see the module's safety model).
    fn deref(&self) -> &T {
        // SAFETY: objects are only freed by `Heap::sweep`, which frees only objects that were
        // unreachable from the roots; every `Gc` the VM or a native function holds is
        // reachable (or was created since the last safepoint), so the box is alive.
        unsafe { &self.ptr.as_ref().value }
    }
}

/// A pointer to any heap object, with its type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GcAny {
    Str(Gc<LuaStr>),
    Table(Gc<Table>),
    LuaClosure(Gc<LuaClosure>),
    NativeClosure(Gc<NativeClosure>),
    UpVal(Gc<UpVal>),
    Proto(Gc<Proto>),
    UserData(Gc<UserData>),
    Thread(Gc<Thread>),
}

impl GcAny {
    /// The object whose header `h` is.
    ///
    /// # Safety
    /// `h` must be the header of a live object allocated by `Heap::alloc`.
    #[inline]
    unsafe fn from_header(h: NonNull<Header>) -> GcAny {
        // SAFETY: the caller guarantees a live header; `GcBox` is `repr(C)` with the header
        // first, and `kind` was set from the payload's type at allocation, so the cast
        // pointer is the box of that type (with the provenance of the whole allocation).
        let kind = unsafe { h.as_ref().kind };
        match kind {
            Kind::Str => GcAny::Str(Gc { ptr: h.cast() }),
            Kind::Table => GcAny::Table(Gc { ptr: h.cast() }),
            Kind::LuaClosure => GcAny::LuaClosure(Gc { ptr: h.cast() }),
            Kind::NativeClosure => GcAny::NativeClosure(Gc { ptr: h.cast() }),
            Kind::UpVal => GcAny::UpVal(Gc { ptr: h.cast() }),
            Kind::Proto => GcAny::Proto(Gc { ptr: h.cast() }),
            Kind::UserData => GcAny::UserData(Gc { ptr: h.cast() }),
            Kind::Thread => GcAny::Thread(Gc { ptr: h.cast() }),
        }
    }

    fn color(&self) -> &Cell<u8> {
        match self {
            GcAny::Str(g) => g.header(),
            GcAny::Table(g) => g.header(),
            GcAny::LuaClosure(g) => g.header(),
            GcAny::NativeClosure(g) => g.header(),
            GcAny::UpVal(g) => g.header(),
            GcAny::Proto(g) => g.header(),
            GcAny::UserData(g) => g.header(),
            GcAny::Thread(g) => g.header(),
        }
    }

    /// The object as a Lua value (upvalues and prototypes are not values: nil).
    pub fn to_value(self) -> Value {
        match self {
            GcAny::Str(g) => Value::Str(g),
            GcAny::Table(g) => Value::Table(g),
            GcAny::LuaClosure(g) => Value::LuaFn(g),
            GcAny::NativeClosure(g) => Value::NativeClosure(g),
            GcAny::UserData(g) => Value::UserData(g),
            GcAny::Thread(g) => Value::Thread(g),
            GcAny::UpVal(_) | GcAny::Proto(_) => Value::Nil,
        }
    }

    /// The object's address.
    pub fn addr(&self) -> usize {
        match self {
            GcAny::Str(g) => g.addr(),
            GcAny::Table(g) => g.addr(),
            GcAny::LuaClosure(g) => g.addr(),
            GcAny::NativeClosure(g) => g.addr(),
            GcAny::UpVal(g) => g.addr(),
            GcAny::Proto(g) => g.addr(),
            GcAny::UserData(g) => g.addr(),
            GcAny::Thread(g) => g.addr(),
        }
    }

    /// Frees the object.
    ///
    /// # Safety
    /// The object must be unreachable and this must be the only `free` of it.
    unsafe fn free(self) {
        // SAFETY: each box was created by `Box::into_raw` in `Heap::alloc` with this type;
        // the caller guarantees nothing refers to it any more.
        unsafe {
            match self {
                GcAny::Str(g) => drop(Box::from_raw(g.ptr.as_ptr())),
                GcAny::Table(g) => drop(Box::from_raw(g.ptr.as_ptr())),
                GcAny::LuaClosure(g) => drop(Box::from_raw(g.ptr.as_ptr())),
                GcAny::NativeClosure(g) => drop(Box::from_raw(g.ptr.as_ptr())),
                GcAny::UpVal(g) => drop(Box::from_raw(g.ptr.as_ptr())),
                GcAny::Proto(g) => drop(Box::from_raw(g.ptr.as_ptr())),
                GcAny::UserData(g) => drop(Box::from_raw(g.ptr.as_ptr())),
                GcAny::Thread(g) => drop(Box::from_raw(g.ptr.as_ptr())),
            }
        }
    }

    /// Approximate size of the object in bytes, for accounting.
    fn size(&self) -> usize {
        match self {
            GcAny::Str(g) => std::mem::size_of::<GcBox<LuaStr>>() + g.len(),
            GcAny::Table(g) => std::mem::size_of::<GcBox<Table>>() + g.heap_size(),
            GcAny::LuaClosure(g) => std::mem::size_of::<GcBox<LuaClosure>>() + g.upvals.len() * 8,
            GcAny::NativeClosure(g) => {
                std::mem::size_of::<GcBox<NativeClosure>>() + g.upvals.len() * 16
            }
            GcAny::UpVal(_) => std::mem::size_of::<GcBox<UpVal>>(),
            GcAny::Proto(g) => std::mem::size_of::<GcBox<Proto>>() + g.heap_size(),
            GcAny::UserData(_) => std::mem::size_of::<GcBox<UserData>>(),
            GcAny::Thread(g) => std::mem::size_of::<GcBox<Thread>>() + g.heap_size(),
        }
    }
}

/// Objects that know how to enumerate the heap pointers they contain.
pub trait Trace {
    fn trace(&self, tracer: &mut Tracer);
}

/// The gray set of a collection in progress: objects marked but not yet traversed.
#[derive(Default)]
pub struct Tracer {
    gray: Vec<GcAny>,
}

impl Tracer {
    #[inline]
    pub fn mark_value(&mut self, v: Value) {
        if let Some(obj) = v.as_gc() {
            self.mark(obj);
        }
    }

    /// Marks a white object black and queues it for traversal.
    #[inline]
    pub fn mark(&mut self, obj: GcAny) {
        let c = obj.color();
        if c.get() < BLACK {
            c.set(BLACK);
            // Strings hold no pointers: no need to visit them again.
            if !matches!(obj, GcAny::Str(_)) {
                self.gray.push(obj);
            }
        }
    }
}

/// Is the value a collectable object not (yet) marked in this cycle? Strings count as
/// values, never as weak references (as in PUC: `iscleared` marks them).
pub(crate) fn is_dead(tracer: &mut Tracer, v: Value) -> bool {
    match v.as_gc() {
        Some(GcAny::Str(s)) => {
            tracer.mark(GcAny::Str(s));
            false
        }
        Some(obj) => obj.color().get() < BLACK,
        None => false,
    }
}

/// Collector phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No cycle in progress.
    Pause,
    /// Marking incrementally.
    Propagate,
    /// Freeing the objects found dead, incrementally.
    Sweep,
}

/// Collector timing, for the host and `selenite --stats`.
#[derive(Clone, Copy, Debug, Default)]
pub struct GcStats {
    /// Longest single collector step (incremental step, atomic step or full collection).
    pub longest_step: std::time::Duration,
    /// Total time spent collecting.
    pub total: std::time::Duration,
    /// Steps taken.
    pub steps: u64,
    /// Cycles completed.
    pub cycles: u64,
    /// Longest step per kind: marking, atomic, sweeping.
    pub longest_mark: std::time::Duration,
    pub longest_atomic: std::time::Duration,
    pub longest_sweep: std::time::Duration,
}

/// Types that can be allocated on the heap.
#[allow(private_interfaces)]
pub trait Alloc: Sized {
    /// The type tag written into the header.
    const KIND: Kind;
    fn wrap(g: Gc<Self>) -> GcAny;
}

macro_rules! impl_alloc {
    ($($t:ty => $v:ident),*) => {$(
        #[allow(private_interfaces)]
        impl Alloc for $t {
            const KIND: Kind = Kind::$v;
            #[inline]
            fn wrap(g: Gc<Self>) -> GcAny { GcAny::$v(g) }
        }
    )*};
}
impl_alloc!(LuaStr => Str, Table => Table, LuaClosure => LuaClosure,
    NativeClosure => NativeClosure, UpVal => UpVal, Proto => Proto,
    UserData => UserData, Thread => Thread);

/// The object heap: owns every object and decides when to collect.
pub struct Heap {
    /// Every object, oldest first.
    objects: Vec<NonNull<Header>>,
    /// Estimated bytes in use by objects.
    bytes: usize,
    /// Collect when `bytes` passes this.
    threshold: usize,
    /// Bytes found live by the last atomic step, less what its sweep has freed so far
    /// (PUC's `GCestimate`): the base of the next threshold, which leaves out what was
    /// allocated during the cycle (mostly garbage the next cycle frees).
    estimate: usize,
    /// Collection pause, in percent (`setpause`): next threshold = live * pause / 100.
    pub pause: usize,
    pub step_mul: usize,
    /// False while the collector is stopped (`collectgarbage("stop")`).
    pub running: bool,
    /// Total collections done.
    pub collections: u64,
    phase: Phase,
    /// The white of objects allocated now (the other white marks the dead at sweep).
    white: u8,
    tracer: Tracer,
    /// Black objects written to (tables) or mutable by nature (threads): re-traversed at
    /// the atomic step.
    grayagain: Vec<GcAny>,
    /// Tables with weak values (`"v"`) or weak keys and values (`"kv"`) seen this cycle.
    weak: Vec<(Gc<Table>, bool, bool)>,
    /// Tables with weak keys only (ephemerons) seen this cycle.
    ephemerons: Vec<Gc<Table>>,
    /// Dead small tables kept for reuse, emptied, by the capacity of their array part
    /// (see [`Heap::alloc_table`]).
    table_pool: [Vec<Gc<Table>>; POOL_CLASSES],
    /// Tables in the pool.
    pool_len: usize,
    /// Most tables the pool keeps (as many as objects alive after the last sweep, about
    /// what the next cycle allocates; at most `POOL_MAX`).
    pool_max: usize,
    /// The sweep's cursor: the next entry of `objects` to visit.
    sweep_pos: usize,
    /// Where the sweep puts the next object it keeps: entries in `sweep_keep..sweep_pos`
    /// are stale (freed or moved down); equal outside a sweep.
    sweep_keep: usize,
    /// A large strong table being traversed in chunks, and the next entry to visit.
    partial: Option<(Gc<Table>, usize)>,
    /// Objects whose metatable had `__gc` when it was set, not yet found dead.
    finobj: Vec<GcAny>,
    fin_set: std::collections::HashSet<usize>,
    /// Dead objects with finalizers, kept alive until their `__gc` has run.
    pub tobefnz: std::collections::VecDeque<GcAny>,
    /// Interned `"__mode"`, set by the VM.
    pub mode_key: Option<Gc<LuaStr>>,
    pub stats: GcStats,
    /// Memory limit in bytes (`None`: unlimited). Crossing it makes the VM collect at its
    /// next safepoint and raise "not enough memory" if the live data still exceeds it.
    pub limit: Option<usize>,
    /// An allocation crossed the limit since the last check.
    pub alarm: bool,
    /// Bytes of a growth that was put off because it would cross the limit (a table that
    /// filled its spare slots instead): the next check fails unless a collection makes room.
    pub deferred: usize,
    /// Test mode that finds missing roots: collect at every `stress`-th safepoint check
    /// (0: off).
    pub stress: u32,
    stress_count: u32,
}

impl Default for Heap {
    fn default() -> Self {
        Heap {
            objects: Vec::new(),
            table_pool: Default::default(),
            pool_len: 0,
            pool_max: 1024,
            bytes: 0,
            threshold: 1 << 20,
            estimate: 0,
            pause: 200,
            step_mul: 100,
            running: true,
            collections: 0,
            phase: Phase::Pause,
            white: WHITE0,
            tracer: Tracer::default(),
            grayagain: Vec::new(),
            weak: Vec::new(),
            ephemerons: Vec::new(),
            sweep_pos: 0,
            sweep_keep: 0,
            partial: None,
            finobj: Vec::new(),
            fin_set: Default::default(),
            tobefnz: Default::default(),
            mode_key: None,
            stats: GcStats::default(),
            stress: 0,
            stress_count: 0,
            limit: None,
            alarm: false,
            deferred: 0,
        }
    }
}

impl Heap {
    /// Allocates an object; it is live until a collection finds it unreachable.
    pub fn alloc<T: Alloc>(&mut self, value: T) -> Gc<T> {
        let b = Box::new(GcBox {
            header: Header {
                color: Cell::new(self.white),
                kind: T::KIND,
                extra: Default::default(),
            },
            value,
        });
        let g = Gc {
            ptr: NonNull::from(Box::leak(b)),
        };
        self.objects.push(g.ptr.cast());
        self.bytes += T::wrap(g).size();
        if self.over_limit() {
            self.alarm = true;
        }
        g
    }

    /// A new empty table with an array part of `narray` nil slots, from the pool of dead
    /// tables (`None` if there is none of a fitting size): no malloc, and memory the sweep
    /// touched lately. Accounted, as any table, by the capacity of its parts.
    #[inline]
    pub fn alloc_table(&mut self, narray: usize) -> Option<Gc<Table>> {
        // A buffer up to twice the size hint will do (an open constructor `{f(), g()}`
        // hints one slot, and its SETLIST grows the part to two).
        let top = (narray * 2).min(POOL_CLASSES - 1);
        let pool = self
            .table_pool
            .get_mut(narray..=top)?
            .iter_mut()
            .find(|p| !p.is_empty())?;
        let t = pool.pop()?;
        if let Some(next) = pool.len().checked_sub(POOL_PREFETCH) {
            prefetch(pool[next].ptr.as_ptr());
        }
        self.pool_len -= 1;
        t.header().set(self.white);
        t.extra(0).set(0);
        t.extra(1).set(0);
        t.prepare(narray);
        self.objects.push(t.ptr.cast());
        self.bytes += GcAny::Table(t).size();
        if self.over_limit() {
            self.alarm = true;
        }
        Some(t)
    }

    /// Accounts for memory an object allocated after its creation (table growth, ...).
    #[inline]
    pub fn add_bytes(&mut self, n: usize) {
        self.bytes += n;
        if self.over_limit() {
            self.alarm = true;
        }
    }

    /// Records a growth of `bytes` put off because it would cross the limit.
    pub fn defer_growth(&mut self, bytes: usize) {
        self.deferred = self.deferred.max(bytes);
        self.alarm = true;
    }

    /// After the collection that an alarm started: is the live data plus `deferred` (the
    /// growth put off before it) still past the limit?
    pub fn still_over_limit(&self, deferred: usize) -> bool {
        matches!(self.limit, Some(l) if self.bytes.saturating_add(deferred) > l)
    }

    /// Accounts for memory an object gave back (a shrunk stack, ...).
    #[inline]
    pub fn sub_bytes(&mut self, n: usize) {
        self.bytes = self.bytes.saturating_sub(n);
    }

    /// Estimated bytes in use.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Is the estimate past the memory limit?
    #[inline]
    pub fn over_limit(&self) -> bool {
        matches!(self.limit, Some(l) if self.bytes > l)
    }

    /// Would `extra` more bytes pass the memory limit?
    #[inline]
    pub fn would_exceed(&self, extra: usize) -> bool {
        matches!(self.limit, Some(l) if self.bytes.saturating_add(extra) > l)
    }

    /// True when enough has been allocated since the last collection to warrant another.
    #[inline(always)]
    pub fn should_collect(&mut self) -> bool {
        if self.stress != 0 {
            self.stress_count += 1;
            if self.stress_count >= self.stress {
                self.stress_count = 0;
                return self.running;
            }
        }
        (self.bytes >= self.threshold && self.running) || self.alarm
    }

    // ---- Incremental collection -----------------------------------------------------------

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Marks a root value (the VM calls this for its roots).
    #[inline]
    pub fn mark_root_value(&mut self, v: Value) {
        self.tracer.mark_value(v);
    }

    /// Marks a root object.
    #[inline]
    pub fn mark_root(&mut self, obj: GcAny) {
        self.tracer.mark(obj);
    }

    /// Starts a marking cycle; the caller marks its roots next.
    pub fn start_cycle(&mut self) {
        self.phase = Phase::Propagate;
        self.partial = None;
        self.weak.clear();
        self.ephemerons.clear();
        self.grayagain.clear();
        let pending: Vec<GcAny> = self.tobefnz.iter().copied().collect();
        for obj in pending {
            self.tracer.mark(obj);
        }
    }

    /// Traverses gray objects for about `work` units; returns the work done. Zero means
    /// the gray set is empty.
    pub fn propagate(&mut self, work: usize) -> usize {
        let mut done = 0;
        while done < work {
            if let Some((t, from)) = self.partial.take() {
                let budget = (work - done).max(TABLE_CHUNK);
                // Entries that move (a rehash, keys pulled into the array part) restart the
                // traversal (`entries_moved`). Appends do not move entries and are covered
                // by the barrier.
                if let Some(next) = t.trace_range(&mut self.tracer, from, budget) {
                    self.partial = Some((t, next));
                }
                done += budget;
                continue;
            }
            let Some(obj) = self.tracer.gray.pop() else {
                break;
            };
            done += self.traverse(obj);
        }
        done
    }

    /// Nothing is left to traverse: the next step can be the atomic one.
    pub fn gray_empty(&self) -> bool {
        self.partial.is_none() && self.tracer.gray.is_empty()
    }

    fn propagate_all(&mut self) {
        while self.propagate(usize::MAX / 2) > 0 {}
    }

    /// Visits one gray object's references; returns a work estimate.
    fn traverse(&mut self, obj: GcAny) -> usize {
        match obj {
            GcAny::Str(_) => 1,
            GcAny::Table(t) => self.traverse_table(t),
            GcAny::LuaClosure(g) => {
                g.trace(&mut self.tracer);
                1 + g.upvals.len()
            }
            GcAny::NativeClosure(g) => {
                g.trace(&mut self.tracer);
                1 + g.upvals.len()
            }
            GcAny::UpVal(g) => {
                g.trace(&mut self.tracer);
                1
            }
            GcAny::Proto(g) => {
                g.trace(&mut self.tracer);
                1 + g.constants.len() + g.protos.len()
            }
            GcAny::UserData(g) => {
                g.trace(&mut self.tracer);
                1
            }
            GcAny::Thread(g) => {
                g.trace(&mut self.tracer);
                // A thread's stack changes without barriers: look at it again atomically.
                if g.header().get() == BLACK {
                    g.header().set(GRAYAGAIN);
                    self.grayagain.push(obj);
                }
                1 + g.heap_size() / 16
            }
        }
    }

    /// The weakness of a table from its metatable's `__mode`: (weak keys, weak values).
    fn table_mode(&self, t: Gc<Table>) -> (bool, bool) {
        let (Some(mt), Some(key)) = (t.metatable(), self.mode_key) else {
            return (false, false);
        };
        match mt.get_str(key) {
            Value::Str(m) => (m.as_bytes().contains(&b'k'), m.as_bytes().contains(&b'v')),
            _ => (false, false),
        }
    }

    fn traverse_table(&mut self, t: Gc<Table>) -> usize {
        let work = 1 + t.heap_size() / 32;
        match self.table_mode(t) {
            // Large strong tables are traversed a chunk per step, so no step is long.
            (false, false) if t.entry_slots() > TABLE_CHUNK => {
                self.partial = Some((t, 0));
                return 1;
            }
            (false, false) => t.trace(&mut self.tracer),
            (true, false) => {
                t.trace_ephemeron(&mut self.tracer);
                self.ephemerons.push(t);
            }
            (wk, wv) => {
                t.trace_weak(&mut self.tracer, wk, wv);
                self.weak.push((t, wk, wv));
            }
        }
        work
    }

    /// Marks values of ephemeron entries whose keys became reachable, until nothing
    /// changes.
    fn converge_ephemerons(&mut self) {
        loop {
            let mut changed = false;
            let tables = self.ephemerons.clone();
            for t in tables {
                if t.trace_ephemeron(&mut self.tracer) {
                    changed = true;
                }
            }
            self.propagate_all();
            if !changed {
                break;
            }
        }
    }

    /// The atomic step, after the VM re-marked its roots: finishes marking, handles weak
    /// tables and finalizers, and starts the sweep.
    pub fn atomic(&mut self) {
        self.propagate_all();
        let again = std::mem::take(&mut self.grayagain);
        for obj in again {
            obj.color().set(BLACK);
            self.traverse(obj);
        }
        self.grayagain.clear();
        self.propagate_all();
        self.converge_ephemerons();
        // Weak values first, so objects about to be resurrected for finalization are
        // removed from them (as `clearbyvalues` before `separatetobefnz`).
        let weak = self.weak.clone();
        for &(t, _, wv) in &weak {
            if wv {
                t.clear_weak(&mut self.tracer, false, true);
            }
        }
        // Dead objects with finalizers: keep them (and what they reach) for one more cycle.
        let mut i = self.finobj.len();
        while i > 0 {
            i -= 1;
            let obj = self.finobj[i];
            if obj.color().get() < BLACK {
                self.finobj.remove(i);
                self.fin_set.remove(&obj.addr());
                self.tobefnz.push_back(obj);
                self.tracer.mark(obj);
            }
        }
        self.propagate_all();
        self.converge_ephemerons();
        let ephemerons = self.ephemerons.clone();
        for t in ephemerons {
            t.clear_weak(&mut self.tracer, true, false);
        }
        for &(t, wk, wv) in &weak {
            t.clear_weak(&mut self.tracer, wk, wv);
        }
        // Everything still white is dead: flip so that new objects get the other white.
        self.white ^= 1;
        self.estimate = self.bytes;
        self.phase = Phase::Sweep;
        self.sweep_pos = 0;
        self.sweep_keep = 0;
    }

    /// Frees dead objects for about `work` objects; returns true when the sweep is done.
    /// `on_free_str` lets the string interner drop its entry first. Survivors keep their
    /// order (allocation order) as the sweep packs them down.
    pub fn sweep(&mut self, work: usize, mut on_free_str: impl FnMut(Gc<LuaStr>)) -> bool {
        const AHEAD: usize = 16;
        let dead = self.white ^ 1;
        let mut n = 0;
        while n < work && self.sweep_pos < self.objects.len() {
            if let Some(&p) = self.objects.get(self.sweep_pos + AHEAD) {
                prefetch(p.as_ptr());
            }
            let cur = self.objects[self.sweep_pos];
            self.sweep_pos += 1;
            n += 1;
            // SAFETY: entries from `sweep_pos` on are live objects (only the sweep frees,
            // and it frees only entries it has passed).
            let h = unsafe { cur.as_ref() };
            if h.color.get() == dead {
                // SAFETY: `cur` is a live header.
                let obj = unsafe { GcAny::from_header(cur) };
                let size = obj.size();
                self.bytes = self.bytes.saturating_sub(size);
                self.estimate = self.estimate.saturating_sub(size);
                match obj {
                    GcAny::Str(s) => on_free_str(s),
                    // A small table without hash part: kept, buffer and all.
                    GcAny::Table(t)
                        if self.pool_len < self.pool_max
                            && t.no_hash_part()
                            && t.array_capacity() < POOL_CLASSES =>
                    {
                        // Unreachable, as below: nothing can see it until `alloc_table`
                        // hands it out as a new table.
                        t.reset();
                        self.table_pool[t.array_capacity()].push(t);
                        self.pool_len += 1;
                        n += 1;
                        continue;
                    }
                    _ => {}
                }
                // SAFETY: still white after a complete mark phase means unreachable from
                // every root; the sweep has passed its entry, so it is freed exactly once.
                unsafe { obj.free() };
                // Freeing (the allocator's work, a table's parts) costs several visits.
                n += SWEEP_FREE_COST;
            } else {
                h.color.set(self.white);
                self.objects[self.sweep_keep] = cur;
                self.sweep_keep += 1;
            }
        }
        if self.sweep_pos < self.objects.len() {
            return false;
        }
        self.objects.truncate(self.sweep_keep);
        if self.objects.capacity() > 4 * self.objects.len() + 1024 {
            self.objects.shrink_to(2 * self.objects.len());
        }
        self.sweep_pos = 0;
        self.sweep_keep = 0;
        // Pool at most about as many tables as a cycle may allocate before the next one,
        // and never so many that growing a pool's vector (a copy) makes a long step.
        self.pool_max = (self.objects.len() + 1024).min(POOL_MAX);
        self.free_pool_excess();
        self.phase = Phase::Pause;
        let live = self.estimate.min(self.bytes);
        self.threshold = (live / 100).saturating_mul(self.pause).max(1 << 20);
        self.collections += 1;
        self.stats.cycles += 1;
        true
    }

    /// Dead small tables kept for reuse (not counted in [`Heap::bytes`]).
    pub fn pooled_tables(&self) -> usize {
        self.pool_len
    }

    /// Frees every pooled table (a full collection gives all the memory it can back: the
    /// pool is not counted in `bytes`, so under a memory limit it must not linger).
    pub fn release_pool(&mut self) {
        let keep = self.pool_max;
        self.pool_max = 0;
        self.free_pool_excess();
        self.pool_max = keep;
    }

    /// Frees pooled tables past `pool_max`.
    fn free_pool_excess(&mut self) {
        for pool in &mut self.table_pool {
            while self.pool_len > self.pool_max {
                let Some(t) = pool.pop() else { break };
                self.pool_len -= 1;
                // SAFETY: pooled tables are dead (swept) and in no other list; popped from
                // the pool, this one is referred to by nothing.
                unsafe { GcAny::Table(t).free() };
            }
        }
    }

    /// Every live object's header.
    fn headers(&self) -> impl Iterator<Item = &Header> + '_ {
        let (kept, rest) = self.objects.split_at(self.sweep_pos);
        kept[..self.sweep_keep]
            .iter()
            .chain(rest)
            // SAFETY: outside the stale gap, entries are live objects; the iterator
            // borrows the heap, so no sweep can free one meanwhile.
            .map(|h| unsafe { &*h.as_ptr() })
    }

    /// Abandons the marks of a cycle in progress (a full collection starts over).
    pub fn abandon_marking(&mut self) {
        if self.phase == Phase::Propagate {
            self.tracer.gray.clear();
            self.grayagain.clear();
            self.partial = None;
            for h in self.headers() {
                h.color.set(self.white);
            }
            self.phase = Phase::Pause;
        }
    }

    /// Called after a table's entries moved to other slots: if it is being traversed in
    /// chunks, the traversal starts over, or entries moved behind it would be missed.
    #[inline]
    pub fn entries_moved(&mut self, t: &Table) {
        if let Some((p, from)) = &mut self.partial {
            if std::ptr::eq(&**p, t) {
                *from = 0;
            }
        }
    }

    /// Called after a table gets a new key or value while marking: a black table must not
    /// point to a white object, so the object is marked now (an insertion barrier; PUC
    /// re-traverses the table instead, which costs a whole large table at the atomic step).
    #[inline]
    pub fn barrier_back(&mut self, t: Gc<Table>, v: Value) {
        if self.phase == Phase::Propagate && t.header().get() >= BLACK {
            self.tracer.mark_value(v);
        }
    }

    /// Called after a black object (upvalue, userdata) gets a white value while marking:
    /// the value is marked (PUC's `luaC_barrier`).
    #[inline]
    pub fn barrier_forward(&mut self, obj: GcAny, v: Value) {
        if self.phase == Phase::Propagate && obj.color().get() >= BLACK {
            self.tracer.mark_value(v);
        }
    }

    /// Makes an object found through a weak structure (the string interner) live again
    /// if the sweep has not reached it yet (PUC's `changewhite` in `internshrstr`).
    #[inline]
    pub fn resurrect<T: Alloc>(&mut self, g: Gc<T>) {
        if self.phase == Phase::Sweep && g.header().get() == self.white ^ 1 {
            g.header().set(self.white);
        }
    }

    /// Schedules the next paced step after `bytes` more bytes of allocation.
    pub fn set_step_debt(&mut self, bytes: usize) {
        self.threshold = self.bytes.saturating_add(bytes);
    }

    /// Registers an object whose metatable has `__gc` (once per object).
    pub fn register_finalizer(&mut self, obj: GcAny) {
        if self.fin_set.insert(obj.addr()) {
            self.finobj.push(obj);
        }
    }

    /// Objects still registered for finalization (all called at VM close).
    pub fn take_all_finalizable(&mut self) -> Vec<GcAny> {
        self.fin_set.clear();
        let mut all: Vec<GcAny> = self.tobefnz.drain(..).collect();
        all.extend(self.finobj.drain(..).rev());
        all
    }

    /// Number of live objects (after the last sweep plus new allocations).
    pub fn object_count(&self) -> usize {
        self.objects.len() - (self.sweep_pos - self.sweep_keep)
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        self.pool_max = 0;
        self.free_pool_excess();
        let mut objects = std::mem::take(&mut self.objects);
        objects.drain(self.sweep_keep..self.sweep_pos);
        for h in objects {
            // SAFETY: the heap owns all objects and is going away with the VM; nothing can
            // use a `Gc` after its VM is dropped. The stale gap of a sweep in progress was
            // removed, so each object is freed once.
            unsafe { GcAny::from_header(h).free() };
        }
    }
}

// A table is a header word and 48 bytes of fields: 56 bytes, a 64-byte malloc chunk.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<GcBox<Table>>() == 56);
