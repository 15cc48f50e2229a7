//! Argument access and checking for native functions, with `lauxlib`'s messages
//! (`bad argument #1 to 'insert' (table expected, got nil)`).
//!
//! Arguments are numbered from 1 as in Lua; `base`/`nargs` are what the native received.

use crate::error::LuaResult;
use crate::gc::Gc;
use crate::number::{self, Number};
use crate::state::Vm;
use crate::string::LuaStr;
use crate::table::Table;
use crate::value::Value;

/// The arguments of a native call.
#[derive(Clone, Copy, Debug)]
pub struct Args {
    pub base: usize,
    pub n: usize,
}

impl Args {
    pub fn new(base: usize, n: usize) -> Args {
        Args { base, n }
    }

    /// Argument `i` (1-based) or nil.
    #[inline]
    pub fn get(&self, vm: &Vm, i: usize) -> Value {
        if i >= 1 && i <= self.n {
            vm.stack[self.base + i - 1]
        } else {
            Value::Nil
        }
    }

    /// Is argument `i` absent (`lua_isnone`)?
    #[inline]
    pub fn is_none(&self, i: usize) -> bool {
        i > self.n
    }

    /// Is argument `i` absent or nil (`lua_isnoneornil`)?
    pub fn is_none_or_nil(&self, vm: &Vm, i: usize) -> bool {
        self.get(vm, i).is_nil()
    }

    pub fn check_any(&self, vm: &mut Vm, i: usize) -> LuaResult<Value> {
        if self.is_none(i) {
            return Err(vm.arg_error(i, "value expected"));
        }
        Ok(self.get(vm, i))
    }

    pub fn check_table(&self, vm: &mut Vm, i: usize) -> LuaResult<Gc<Table>> {
        match self.get(vm, i) {
            Value::Table(t) => Ok(t),
            v => Err(vm.type_arg_error(i, "table", v, !self.is_none(i))),
        }
    }

    pub fn check_integer(&self, vm: &mut Vm, i: usize) -> LuaResult<i64> {
        let v = self.get(vm, i);
        match v {
            Value::Int(n) => Ok(n),
            _ => match vm.to_number(v) {
                Some(Number::Int(n)) => Ok(n),
                Some(Number::Float(f)) => match number::float_to_int_exact(f) {
                    Some(n) => Ok(n),
                    None => Err(vm.arg_error(i, "number has no integer representation")),
                },
                None => Err(vm.type_arg_error(i, "number", v, !self.is_none(i))),
            },
        }
    }

    pub fn opt_integer(&self, vm: &mut Vm, i: usize, default: i64) -> LuaResult<i64> {
        if self.is_none_or_nil(vm, i) {
            Ok(default)
        } else {
            self.check_integer(vm, i)
        }
    }

    pub fn check_number(&self, vm: &mut Vm, i: usize) -> LuaResult<Number> {
        let v = self.get(vm, i);
        match vm.to_number(v) {
            Some(n) => Ok(n),
            None => Err(vm.type_arg_error(i, "number", v, !self.is_none(i))),
        }
    }

    pub fn check_float(&self, vm: &mut Vm, i: usize) -> LuaResult<f64> {
        Ok(match self.check_number(vm, i)? {
            Number::Int(n) => n as f64,
            Number::Float(f) => f,
        })
    }

    pub fn opt_float(&self, vm: &mut Vm, i: usize, default: f64) -> LuaResult<f64> {
        if self.is_none_or_nil(vm, i) {
            Ok(default)
        } else {
            self.check_float(vm, i)
        }
    }

    /// A string argument; numbers are converted (`luaL_checklstring`). The string object
    /// is returned so the bytes can be borrowed without copying.
    pub fn check_str(&self, vm: &mut Vm, i: usize) -> LuaResult<Gc<LuaStr>> {
        let v = self.get(vm, i);
        match v {
            Value::Str(s) => Ok(s),
            Value::Int(_) | Value::Float(_) => {
                let bytes = vm.to_str_bytes(v).unwrap_or_default();
                let s = vm.intern(&bytes);
                // Like lua_tolstring, the argument slot now holds the string.
                if i >= 1 && i <= self.n {
                    vm.stack[self.base + i - 1] = Value::Str(s);
                }
                Ok(s)
            }
            _ => Err(vm.type_arg_error(i, "string", v, !self.is_none(i))),
        }
    }

    pub fn opt_str(&self, vm: &mut Vm, i: usize) -> LuaResult<Option<Gc<LuaStr>>> {
        if self.is_none_or_nil(vm, i) {
            Ok(None)
        } else {
            self.check_str(vm, i).map(Some)
        }
    }

    /// One of `options` (`luaL_checkoption`); returns its index.
    pub fn check_option(
        &self,
        vm: &mut Vm,
        i: usize,
        default: Option<&str>,
        options: &[&str],
    ) -> LuaResult<usize> {
        let name: Vec<u8> = match default {
            Some(d) if self.is_none_or_nil(vm, i) => d.as_bytes().to_vec(),
            _ => self.check_str(vm, i)?.as_bytes().to_vec(),
        };
        if let Some(idx) = options.iter().position(|o| o.as_bytes() == name.as_slice()) {
            return Ok(idx);
        }
        let msg = format!("invalid option '{}'", String::from_utf8_lossy(&name));
        Err(vm.arg_error(i, &msg))
    }
}

impl Vm {
    /// `tostring(v)` with `__tostring` and `__name` (`luaL_tolstring`).
    pub fn tostring(&mut self, v: Value) -> LuaResult<Value> {
        let h = self.meta_field(v, "__tostring");
        if !h.is_nil() {
            let r = self.call_function(h, &[v])?;
            let s = r.first().copied().unwrap_or(Value::Nil);
            return match s {
                Value::Str(_) => Ok(s),
                Value::Int(_) | Value::Float(_) => {
                    let b = self.to_str_bytes(s).unwrap_or_default();
                    Ok(self.new_str(&b))
                }
                _ => Err(self.rt_error("'__tostring' must return a string")),
            };
        }
        match v {
            Value::Str(_) => Ok(v),
            _ => {
                let b = self.tostring_raw(v);
                Ok(self.new_string_from_vec(b))
            }
        }
    }

    /// A field of `v`'s metatable (`luaL_getmetafield`), or nil.
    pub fn meta_field(&mut self, v: Value, name: &str) -> Value {
        match self.get_metatable(v) {
            Some(mt) => {
                let k = self.intern(name.as_bytes());
                mt.get_str(k)
            }
            None => Value::Nil,
        }
    }
}
