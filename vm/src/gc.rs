//! Garbage-collected heap: object allocation, tracing and sweeping.
//!
//! Every Lua object (string, table, closure, upvalue, prototype, userdata, thread) lives in a
//! [`GcBox`] allocated by the [`Heap`] and is referred to by a copyable [`Gc`] pointer. The heap
//! keeps a list of all objects; a collection marks everything reachable from the roots the VM
//! hands it (with an explicit gray stack, so deep structures never recurse on the Rust stack)
//! and frees the rest.
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

/// Header and payload of one heap object.
pub struct GcBox<T> {
    marked: Cell<bool>,
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
    fn header(&self) -> &Cell<bool> {
        // SAFETY: as in `deref`.
        unsafe { &self.ptr.as_ref().marked }
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
    fn marked(&self) -> &Cell<bool> {
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

/// Collects gray objects during marking.
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

    #[inline]
    pub fn mark(&mut self, obj: GcAny) {
        let m = obj.marked();
        if !m.get() {
            m.set(true);
            // Strings hold no pointers: no need to visit them again.
            if !matches!(obj, GcAny::Str(_)) {
                self.gray.push(obj);
            }
        }
    }
}

/// Types that can be allocated on the heap.
pub trait Alloc: Sized {
    fn wrap(g: Gc<Self>) -> GcAny;
}

macro_rules! impl_alloc {
    ($($t:ty => $v:ident),*) => {$(
        impl Alloc for $t {
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
    objects: Vec<GcAny>,
    /// Estimated bytes in use by objects.
    bytes: usize,
    /// Collect when `bytes` passes this.
    threshold: usize,
    /// Collection pause, in percent (`setpause`): next threshold = live * pause / 100.
    pub pause: usize,
    pub step_mul: usize,
    /// False while the collector is stopped (`collectgarbage("stop")`).
    pub running: bool,
    /// Total collections done.
    pub collections: u64,
    /// Test mode that finds missing roots: collect at every `stress`-th safepoint check
    /// (0: off).
    pub stress: u32,
    stress_count: u32,
}

impl Default for Heap {
    fn default() -> Self {
        Heap {
            objects: Vec::new(),
            bytes: 0,
            threshold: 1 << 20,
            pause: 200,
            step_mul: 100,
            running: true,
            collections: 0,
            stress: 0,
            stress_count: 0,
        }
    }
}

impl Heap {
    /// Allocates an object; it is live until a collection finds it unreachable.
    pub fn alloc<T: Alloc>(&mut self, value: T) -> Gc<T> {
        let b = Box::new(GcBox {
            marked: Cell::new(false),
            value,
        });
        let g = Gc {
            // SAFETY-free: Box::into_raw never returns null.
            ptr: NonNull::from(Box::leak(b)),
        };
        let any = T::wrap(g);
        self.bytes += any.size();
        self.objects.push(any);
        g
    }

    /// Accounts for memory an object allocated after its creation (table growth, ...).
    #[inline]
    pub fn add_bytes(&mut self, n: usize) {
        self.bytes += n;
    }

    /// Estimated bytes in use.
    pub fn bytes(&self) -> usize {
        self.bytes
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
        self.bytes >= self.threshold && self.running
    }

    /// Starts a collection: returns a tracer for the caller to mark the roots with.
    pub fn begin_mark(&mut self) -> Tracer {
        Tracer {
            gray: Vec::with_capacity(256),
        }
    }

    /// Marks everything reachable from the gray set.
    pub fn propagate(&mut self, tracer: &mut Tracer) {
        while let Some(obj) = tracer.gray.pop() {
            match obj {
                GcAny::Str(_) => {}
                GcAny::Table(g) => g.trace(tracer),
                GcAny::LuaClosure(g) => g.trace(tracer),
                GcAny::NativeClosure(g) => g.trace(tracer),
                GcAny::UpVal(g) => g.trace(tracer),
                GcAny::Proto(g) => g.trace(tracer),
                GcAny::UserData(g) => g.trace(tracer),
                GcAny::Thread(g) => g.trace(tracer),
            }
        }
    }

    /// Is this object marked (reachable) in the current collection?
    pub fn is_marked(obj: GcAny) -> bool {
        obj.marked().get()
    }

    /// Frees every unmarked object and clears the marks of the survivors.
    /// `on_free_str` lets the string interner drop its entry first.
    pub fn sweep(&mut self, mut on_free_str: impl FnMut(Gc<LuaStr>)) {
        let mut live_bytes = 0;
        let mut i = 0;
        while i < self.objects.len() {
            let obj = self.objects[i];
            if obj.marked().get() {
                obj.marked().set(false);
                live_bytes += obj.size();
                i += 1;
            } else {
                if let GcAny::Str(s) = obj {
                    on_free_str(s);
                }
                self.objects.swap_remove(i);
                // SAFETY: unmarked after a complete mark phase means unreachable from every
                // root; it was removed from `objects`, so it is freed exactly once.
                unsafe { obj.free() };
            }
        }
        self.bytes = live_bytes;
        self.threshold = (live_bytes / 100).saturating_mul(self.pause).max(1 << 20);
        self.collections += 1;
    }

    /// Number of live objects (after the last sweep plus new allocations).
    pub fn object_count(&self) -> usize {
        self.objects.len()
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        for obj in self.objects.drain(..) {
            // SAFETY: the heap owns all objects and is going away with the VM; nothing can
            // use a `Gc` after its VM is dropped.
            unsafe { obj.free() };
        }
    }
}
