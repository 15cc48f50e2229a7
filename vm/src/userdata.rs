//! Full userdata: host data with a metatable and a user value.

use std::any::Any;
use std::cell::{Cell, RefCell};

use crate::gc::{Gc, GcAny, Trace, Tracer};
use crate::table::Table;
use crate::value::Value;

/// Field access of a host class ([`crate::Value::Host`]) answered by plain functions
/// before its metatable is looked at: for a handle whose fields are read and written
/// thousands of times a frame, this is the whole cost of a field, a Rust call.
#[derive(Clone, Copy)]
pub struct HostFields {
    /// `value.key` for the host value with these bits: `Ok(None)` when `key` is not one
    /// of these fields (then `__index` answers).
    pub get: fn(&mut crate::state::Vm, u64, Value) -> crate::error::LuaResult<Option<Value>>,
    /// `value.key = v`: `Ok(false)` when `key` is not one of these fields (then
    /// `__newindex` answers).
    pub set: fn(&mut crate::state::Vm, u64, Value, Value) -> crate::error::LuaResult<bool>,
    /// The common case of `get`, called straight from `GETFIELD`: no error, no Lua call,
    /// no panic escaping; `None` sends the access down the full path (`get`, whose
    /// answer, error included, is the one that counts).
    pub get_leaf: Option<LeafGet>,
    /// The common case of `set`, from `SETFIELD`; false: the full path (`set`).
    pub set_leaf: Option<LeafSet>,
}

/// [`HostFields::get_leaf`]: `value.key` for the host value with these bits.
pub type LeafGet = fn(&crate::state::Vm, u64, Value) -> Option<Value>;

/// [`HostFields::set_leaf`]: `value.key = v`; true when done.
pub type LeafSet = fn(&crate::state::Vm, u64, Value, Value) -> bool;

/// A block of host data visible to Lua as a `userdata` value.
pub struct UserData {
    pub data: RefCell<Box<dyn Any>>,
    pub metatable: Cell<Option<Gc<Table>>>,
    pub user_value: Cell<Value>,
}

impl Trace for UserData {
    fn trace(&self, tracer: &mut Tracer) {
        if let Some(mt) = self.metatable.get() {
            tracer.mark(GcAny::Table(mt));
        }
        tracer.mark_value(self.user_value.get());
    }
}
