//! Resource hooks used by the libraries for work proportional to script-controlled sizes.
//!
//! [`Vm::check_alloc`] refuses single allocations above a bound before they are made (the
//! bound becomes the VM's configured memory limit with the memory work); work is reported
//! with [`Vm::charge`] (see [`crate::budget`]).

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
}
