//! Lua values: a 16-byte `Copy` enum of immediates and heap pointers.

use crate::function::{LuaClosure, NativeClosure, NativeFn};
use crate::gc::{Gc, GcAny};
use crate::string::LuaStr;
use crate::table::Table;
use crate::thread::Thread;
use crate::userdata::UserData;

/// A Lua value. Heap objects are referenced through [`Gc`] pointers owned by the VM's heap.
#[derive(Clone, Copy, Debug, Default)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Gc<LuaStr>),
    Table(Gc<Table>),
    /// A Lua function (closure over a prototype).
    LuaFn(Gc<LuaClosure>),
    /// A built-in function without upvalues (a plain function pointer).
    Native(NativeFn),
    /// A host function with captured state or upvalues.
    NativeClosure(Gc<NativeClosure>),
    UserData(Gc<UserData>),
    Thread(Gc<Thread>),
    /// A light userdata: an opaque host pointer-sized value.
    LightUserData(usize),
    /// A host value: 64 bits of host data (an entity id, say) of a host class whose
    /// metatable it has (`Vm::host_metatables[class]`). A `userdata` to scripts, with
    /// `__eq` as full userdata have; compared by class and bits; never allocated, so
    /// handing out millions per second costs no memory and no collection.
    Host {
        class: u32,
        bits: u64,
    },
}

/// The basic Lua types, as `type()` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LuaType {
    Nil,
    Boolean,
    Number,
    String,
    Table,
    Function,
    UserData,
    Thread,
}

impl LuaType {
    pub fn name(self) -> &'static str {
        match self {
            LuaType::Nil => "nil",
            LuaType::Boolean => "boolean",
            LuaType::Number => "number",
            LuaType::String => "string",
            LuaType::Table => "table",
            LuaType::Function => "function",
            LuaType::UserData => "userdata",
            LuaType::Thread => "thread",
        }
    }
}

impl Value {
    #[inline(always)]
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Lua truthiness: everything but `nil` and `false` is true.
    #[inline(always)]
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    #[inline(always)]
    pub fn is_falsy(&self) -> bool {
        matches!(self, Value::Nil | Value::Bool(false))
    }

    pub fn lua_type(&self) -> LuaType {
        match self {
            Value::Nil => LuaType::Nil,
            Value::Bool(_) => LuaType::Boolean,
            Value::Int(_) | Value::Float(_) => LuaType::Number,
            Value::Str(_) => LuaType::String,
            Value::Table(_) => LuaType::Table,
            Value::LuaFn(_) | Value::Native(_) | Value::NativeClosure(_) => LuaType::Function,
            Value::UserData(_) | Value::LightUserData(_) | Value::Host { .. } => LuaType::UserData,
            Value::Thread(_) => LuaType::Thread,
        }
    }

    /// The name `type()` returns.
    pub fn type_name(&self) -> &'static str {
        self.lua_type().name()
    }

    pub fn is_function(&self) -> bool {
        matches!(
            self,
            Value::LuaFn(_) | Value::Native(_) | Value::NativeClosure(_)
        )
    }

    /// The heap object this value points to, if any.
    #[inline]
    pub fn as_gc(&self) -> Option<GcAny> {
        match *self {
            Value::Str(g) => Some(GcAny::Str(g)),
            Value::Table(g) => Some(GcAny::Table(g)),
            Value::LuaFn(g) => Some(GcAny::LuaClosure(g)),
            Value::NativeClosure(g) => Some(GcAny::NativeClosure(g)),
            Value::UserData(g) => Some(GcAny::UserData(g)),
            Value::Thread(g) => Some(GcAny::Thread(g)),
            _ => None,
        }
    }

    /// Raw equality (`rawequal`): no metamethods; `1 == 1.0`.
    #[inline(always)]
    pub fn raw_eq(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                crate::number::eq_int_float(a, b)
            }
            (Value::Str(a), Value::Str(b)) => a == b || a.eq_content(&b),
            (Value::Table(a), Value::Table(b)) => a == b,
            (Value::LuaFn(a), Value::LuaFn(b)) => a == b,
            (Value::Native(a), Value::Native(b)) => std::ptr::fn_addr_eq(a, b),
            (Value::NativeClosure(a), Value::NativeClosure(b)) => a == b,
            (Value::UserData(a), Value::UserData(b)) => a == b,
            (Value::Thread(a), Value::Thread(b)) => a == b,
            (Value::LightUserData(a), Value::LightUserData(b)) => a == b,
            (Value::Host { class: c, bits: a }, Value::Host { class: d, bits: b }) => {
                c == d && a == b
            }
            _ => false,
        }
    }

    /// Identity address of a heap value or function, for `tostring` and `%p`.
    pub fn addr(&self) -> usize {
        match *self {
            Value::Str(g) => g.addr(),
            Value::Table(g) => g.addr(),
            Value::LuaFn(g) => g.addr(),
            Value::Native(f) => f as usize,
            Value::NativeClosure(g) => g.addr(),
            Value::UserData(g) => g.addr(),
            Value::Thread(g) => g.addr(),
            Value::LightUserData(p) => p,
            Value::Host { bits, .. } => bits as usize,
            _ => 0,
        }
    }

    /// The string's bytes if this is a string.
    pub fn as_str(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// Userdata whose `__eq` is consulted when they are not raw-equal: full userdata
    /// and host values.
    #[inline(always)]
    pub fn has_userdata_eq(&self) -> bool {
        matches!(self, Value::UserData(_) | Value::Host { .. })
    }

    pub fn as_table(&self) -> Option<Gc<Table>> {
        match *self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_16_bytes() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
    }
}
