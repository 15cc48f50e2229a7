//! Full userdata: host data with a metatable and a user value.

use std::any::Any;
use std::cell::{Cell, RefCell};

use crate::gc::{Gc, GcAny, Trace, Tracer};
use crate::table::Table;
use crate::value::Value;

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
