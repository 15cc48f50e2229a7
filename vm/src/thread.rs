//! Threads (coroutines) and call frames.
//!
//! The running thread's stack, frames and open upvalues live directly in [`crate::state::Vm`]
//! for fast access; a thread that is not running keeps them here, and switching threads swaps
//! them in and out.

use std::cell::{Cell, RefCell};

use crate::function::{LuaClosure, UpVal};
use crate::gc::{Gc, GcAny, Trace, Tracer};
use crate::value::Value;

/// Frame status bits.
pub mod status {
    /// Returning from this frame leaves the dispatch loop (a host or native called it).
    pub const HOST: u8 = 1;
    /// The results complete the caller's interrupted instruction (`luaV_finishOp`).
    pub const FINISH_OP: u8 = 2;
    /// Errors stop here: `pcall`'s protected call. Results get a leading `true`.
    pub const PCALL: u8 = 4;
    /// As `PCALL` for `xpcall`: the handler sits just below the function slot.
    pub const XPCALL: u8 = 8;
    /// The frame was entered by a tail call.
    pub const TAIL: u8 = 16;
}

/// One activation record.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Lua closure being run, or `None` for a native function.
    pub closure: Option<Gc<LuaClosure>>,
    /// Stack index where the results go (the called value's slot).
    pub func: usize,
    /// First register (Lua) or first argument (native).
    pub base: usize,
    /// Next instruction to run (Lua frames).
    pub pc: usize,
    /// Results wanted by the caller (-1: all).
    pub nresults: i32,
    /// Extra arguments of a vararg function, stored just below `base - 1`.
    pub nvarargs: u32,
    /// `status` bits.
    pub status: u8,
    /// Remaining operands of an interrupted `CONCAT`.
    pub pending: u32,
    /// For a native waiting on a call it made (`Vm::call_then`): what runs next.
    pub cont: Option<crate::function::NativeFn>,
}

/// Coroutine status as `coroutine.status` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoStatus {
    Suspended,
    Running,
    Normal,
    Dead,
}

/// The saved state of a thread that is not running.
#[derive(Default)]
pub struct SavedState {
    pub stack: Vec<Value>,
    pub top: usize,
    pub frames: Vec<Frame>,
    pub open_upvals: Vec<Gc<UpVal>>,
    pub tbc: Vec<usize>,
    /// The pending `yield` call of a suspended coroutine (see `Vm::yield_call`).
    pub yield_call: Option<Frame>,
}

/// A Lua thread (coroutine).
pub struct Thread {
    pub saved: RefCell<SavedState>,
    pub status: Cell<CoStatus>,
    /// The function a fresh coroutine starts with.
    pub body: Cell<Value>,
    /// The error that killed the coroutine (reported once by `coroutine.close`).
    pub error_value: Cell<Option<Value>>,
    /// Events this thread's debug hook wants (`crate::hook::MASK_*`); 0: no hook, and
    /// the dispatch loop runs its unhooked instantiation.
    pub hook_mask: Cell<u8>,
    /// The rest of the hook state (see [`HookState`]).
    pub hook: Cell<HookState>,
}

/// Per-thread hook bookkeeping (`lua_State` fields `basehookcount`, `hookcount`,
/// `allowhook`, `oldpc` and the `CIST_HOOKED`/`CIST_TRAN` call info of PUC Lua).
#[derive(Clone, Copy, Debug)]
pub struct HookState {
    /// The count given to `debug.sethook`.
    pub base_count: i32,
    /// Instructions left before the next count event.
    pub count: i32,
    /// False while a hook runs: hooks do not nest.
    pub allow: bool,
    /// The last traced instruction (line events fire when the line changes or the pc
    /// does not move forward); shared by all frames of the thread, as PUC's `oldpc`.
    pub old_pc: u32,
    /// While a hook runs: the index of the frame it was called for, with the
    /// `ftransfer`/`ntransfer` of a call or return event.
    pub hooked: Option<(u32, u16, u16)>,
}

impl Default for HookState {
    fn default() -> Self {
        HookState {
            base_count: 0,
            count: 0,
            allow: true,
            old_pc: 0,
            hooked: None,
        }
    }
}

impl Thread {
    pub fn new(body: Value) -> Thread {
        Thread {
            saved: RefCell::new(SavedState::default()),
            status: Cell::new(CoStatus::Suspended),
            body: Cell::new(body),
            error_value: Cell::new(None),
            hook_mask: Cell::new(0),
            hook: Cell::new(HookState::default()),
        }
    }

    pub fn heap_size(&self) -> usize {
        self.saved
            .try_borrow()
            .map(|s| s.stack.capacity() * 16 + s.frames.capacity() * std::mem::size_of::<Frame>())
            .unwrap_or(0)
    }
}

impl Trace for Thread {
    fn trace(&self, tracer: &mut Tracer) {
        tracer.mark_value(self.body.get());
        if let Some(e) = self.error_value.get() {
            tracer.mark_value(e);
        }
        if self.status.get() == CoStatus::Suspended {
            if let Ok(mut s) = self.saved.try_borrow_mut() {
                if s.frames.is_empty() && s.yield_call.is_none() {
                    // Not started (new, or reset by `Vm::reset_thread`, which leaves the
                    // slots of its last run as they were): nothing on the stack is live.
                    // The slots are cleared here, once per collection, instead of at every
                    // reset; so no slot ever keeps an object the collector has freed.
                    s.stack.fill(Value::Nil);
                    s.top = 0;
                    return;
                }
            }
        }
        if let Ok(s) = self.saved.try_borrow() {
            for &v in &s.stack[..s.stack.len()] {
                tracer.mark_value(v);
            }
            for f in &s.frames {
                if let Some(c) = f.closure {
                    tracer.mark(GcAny::LuaClosure(c));
                }
            }
            for &u in &s.open_upvals {
                tracer.mark(GcAny::UpVal(u));
            }
        }
    }
}
