//! Resource hooks used by the libraries for work proportional to script-controlled sizes.
//!
//! [`Vm::check_alloc`] refuses single allocations above a bound before they are made, and
//! [`Vm::charge`] reports units of work. Both are placeholders for the execution-control
//! and memory-limit machinery: the bound becomes the VM's configured memory limit and
//! `charge` feeds the instruction/work budget.

use crate::error::LuaResult;
use crate::state::Vm;

/// Largest single buffer a library function may build (placeholder for the memory limit).
pub const MAX_ALLOC: usize = 1 << 31;

impl Vm {
    /// Refuses an allocation of `bytes` ("not enough memory") when it exceeds the bound.
    pub fn check_alloc(&mut self, bytes: usize) -> LuaResult<()> {
        if bytes > MAX_ALLOC {
            return Err(self.rt_error("not enough memory"));
        }
        Ok(())
    }

    /// Reports `units` of work done by a library function (a no-op hook for now).
    #[inline]
    pub fn charge(&mut self, _units: u64) {}
}
