//! Resource hooks used by the libraries for work proportional to script-controlled sizes.
//!
//! [`Vm::check_alloc`] refuses single allocations above a bound before they are made (the
//! bound becomes the VM's configured memory limit with the memory work); work is reported
//! with [`Vm::charge`] (see [`crate::budget`]).

use crate::error::{LuaError, LuaResult};
use crate::state::Vm;

/// Largest single buffer a library function may build (placeholder for the memory limit).
pub const MAX_ALLOC: usize = 1 << 31;

impl Vm {
    /// Refuses an allocation of `bytes` ("not enough memory") when it exceeds the bound.
    /// With a memory limit set, an allocation that would cross it fails too; the next
    /// safepoint then collects, so memory is back under the limit for the script's error
    /// handler and whatever runs next.
    pub fn check_alloc(&mut self, bytes: usize) -> LuaResult<()> {
        if bytes > MAX_ALLOC || self.heap.would_exceed(bytes) {
            self.budget.fuel = -1;
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// The "not enough memory" error (no position, as PUC's preallocated message).
    pub fn memory_error(&mut self) -> LuaError {
        LuaError::new(crate::value::Value::Str(self.memory_error_msg))
    }

    /// Largest buffer a library function may still build: [`MAX_ALLOC`], or less when the
    /// memory limit is nearer.
    pub fn alloc_headroom(&self) -> usize {
        match self.heap.limit {
            Some(l) => l.saturating_sub(self.heap.bytes()).min(MAX_ALLOC),
            None => MAX_ALLOC,
        }
    }

    /// Sets the memory limit of this VM in bytes (`None`: unlimited).
    pub fn set_memory_limit(&mut self, limit: Option<usize>) {
        self.heap.limit = limit;
    }
}

impl Vm {
    /// The identity of a heap value shown by `tostring` and `%p`: its address, or in a
    /// sandbox ([`crate::api::Lua::sandboxed`]) a keyed hash of it, so that scripts learn
    /// nothing about the host's memory layout. Stable for the object's lifetime.
    pub fn shown_addr(&self, v: crate::value::Value) -> usize {
        use std::hash::BuildHasher;
        let a = v.addr();
        match crate::api::Lua::addr_key(self) {
            Some(k) if a != 0 => (k.hash_one(a) as usize) | 1,
            _ => a,
        }
    }
}
