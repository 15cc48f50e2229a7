//! Conversions between Rust and Lua values: [`IntoLua`]/[`FromLua`] for single values,
//! [`IntoLuaMulti`]/[`FromLuaMulti`] for argument and result lists (tuples up to 8,
//! [`Variadic`], `()`).
//!
//! Numbers follow Lua's rules: a float with an exact integer value converts to an integer
//! type, a string converts as `tonumber` would, and a value out of the target's range is an
//! error ("number 300 out of range for u8"). Errors name what was expected and what was
//! found ("expected integer, got string").
//!
//! ```
//! use std::collections::HashMap;
//! use selenite::api::{Lua, Variadic};
//!
//! let mut lua = Lua::new();
//! let v: Vec<u8> = lua.exec("return {1, 2.0, '3'}", "=seq").unwrap();
//! assert_eq!(v, [1, 2, 3]);
//! let m: HashMap<String, i32> = lua.exec("return {a = 1, b = 2}", "=map").unwrap();
//! assert_eq!(m["b"], 2);
//! let err = lua.exec::<u8>("return 300", "=big").unwrap_err();
//! assert_eq!(err.to_string(), "number 300 out of range for u8");
//! let err = lua.exec::<i64>("return 'x'", "=s").unwrap_err();
//! assert_eq!(err.to_string(), "expected integer, got string");
//! let Variadic(all) = lua.exec::<Variadic<i64>>("return 1, 2, 3", "=v").unwrap();
//! assert_eq!(all, [1, 2, 3]);
//! ```
//!
//! # Rooting
//!
//! [`IntoLua::into_lua`] returns a raw [`Value`](crate::Value): it is valid until the next
//! call into Lua or garbage collection, so it must be stored (in a table, a global, the
//! registry, or the VM stack) before anything runs Lua code. The API's own uses always do
//! so; implementations for your types should only compose other conversions.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use crate::number::{self, Number};
use crate::table::Next;
use crate::value::Value;

use super::error::{Error, Result};
use super::registry::{AnyUserData, Function, LuaString, LuaValue, Table, Thread};
use super::Lua;

/// Conversion of a Rust value into a Lua value.
pub trait IntoLua {
    /// The Lua value (unrooted: see the [module docs](self)).
    fn into_lua(self, lua: &mut Lua) -> Result<Value>;
}

/// Conversion of a Lua value into a Rust value.
pub trait FromLua: Sized {
    fn from_lua(value: Value, lua: &mut Lua) -> Result<Self>;
}

/// Conversion of a Rust value into a list of Lua values (arguments or results).
pub trait IntoLuaMulti {
    /// Pushes the values on the VM stack; returns how many.
    fn push_into_stack(self, lua: &mut Lua) -> Result<usize>;
}

/// Conversion of a list of Lua values (on the VM stack) into a Rust value.
pub trait FromLuaMulti: Sized {
    /// Converts `lua.vm().stack[base..base + n]`. Errors about one position are wrapped in
    /// [`Error::BadArgument`] with its 1-based position.
    fn from_stack(lua: &mut Lua, base: usize, n: usize) -> Result<Self>;
}

/// Any number of values of the same type: trailing arguments or all results.
///
/// ```
/// use selenite::api::{Lua, Variadic};
///
/// let mut lua = Lua::new();
/// let sum = lua
///     .create_function(|_, Variadic(xs): Variadic<f64>| Ok(xs.iter().sum::<f64>()))
///     .unwrap();
/// lua.set_global("sum", sum).unwrap();
/// assert_eq!(lua.exec::<f64>("return sum(1, 2, 3.5)", "=v").unwrap(), 6.5);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variadic<T>(pub Vec<T>);

/// Lua type name of a raw value, with `__name` for tables and userdata with one.
pub(crate) fn type_name(lua: &mut Lua, v: Value) -> String {
    lua.vm.type_name_of(v)
}

// ---- Single values ----------------------------------------------------------------------

impl IntoLua for Value {
    fn into_lua(self, _: &mut Lua) -> Result<Value> {
        Ok(self)
    }
}

impl IntoLua for LuaValue {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        (&self).into_lua(lua)
    }
}

impl IntoLua for &LuaValue {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        Ok(match self {
            LuaValue::Nil => Value::Nil,
            LuaValue::Boolean(b) => Value::Bool(*b),
            LuaValue::Integer(i) => Value::Int(*i),
            LuaValue::Number(f) => Value::Float(*f),
            LuaValue::String(s) => s.raw(lua)?,
            LuaValue::Table(t) => t.raw(lua)?,
            LuaValue::Function(f) => f.raw(lua)?,
            LuaValue::UserData(u) => u.raw(lua)?,
            LuaValue::Thread(t) => t.raw(lua)?,
            LuaValue::LightUserData(p) => Value::LightUserData(*p),
            LuaValue::Host { class, bits } => Value::Host {
                class: *class,
                bits: *bits,
            },
        })
    }
}

impl FromLua for LuaValue {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        Ok(match v {
            Value::Nil => LuaValue::Nil,
            Value::Bool(b) => LuaValue::Boolean(b),
            Value::Int(i) => LuaValue::Integer(i),
            Value::Float(f) => LuaValue::Number(f),
            Value::Str(s) => LuaValue::String(LuaString::new(lua, s)),
            Value::Table(t) => LuaValue::Table(Table::new(lua, t)),
            Value::LuaFn(_) | Value::Native(_) | Value::NativeClosure(_) => {
                LuaValue::Function(Function::new(lua, v))
            }
            Value::UserData(u) => LuaValue::UserData(AnyUserData::new(lua, u)),
            Value::Thread(t) => LuaValue::Thread(Thread::new(lua, t)),
            Value::LightUserData(p) => LuaValue::LightUserData(p),
            Value::Host { class, bits } => LuaValue::Host { class, bits },
        })
    }
}

macro_rules! handle_conv {
    ($t:ident, $tname:literal, $($pat:pat => $mk:expr),+) => {
        impl IntoLua for $t {
            fn into_lua(self, lua: &mut Lua) -> Result<Value> {
                self.raw(lua)
            }
        }
        impl IntoLua for &$t {
            fn into_lua(self, lua: &mut Lua) -> Result<Value> {
                self.raw(lua)
            }
        }
        impl FromLua for $t {
            #[allow(clippy::redundant_closure_call, clippy::redundant_closure)]
            fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
                match v {
                    $($pat => Ok(($mk)(lua, v)),)+
                    _ => Err(Error::from_lua(type_name(lua, v), $tname)),
                }
            }
        }
    };
}

handle_conv!(Table, "table", Value::Table(t) => |lua, _| Table::new(lua, t));
handle_conv!(LuaString, "string", Value::Str(s) => |lua, _| LuaString::new(lua, s));
handle_conv!(AnyUserData, "userdata", Value::UserData(u) => |lua, _| AnyUserData::new(lua, u));
handle_conv!(Thread, "thread", Value::Thread(t) => |lua, _| Thread::new(lua, t));
handle_conv!(Function, "function",
    Value::LuaFn(_) | Value::Native(_) | Value::NativeClosure(_) => |lua, v| Function::new(lua, v));

impl IntoLua for bool {
    fn into_lua(self, _: &mut Lua) -> Result<Value> {
        Ok(Value::Bool(self))
    }
}

/// Lua truthiness: `nil` and `false` are false, everything else is true.
impl FromLua for bool {
    fn from_lua(v: Value, _: &mut Lua) -> Result<Self> {
        Ok(v.truthy())
    }
}

/// An integer from a Lua value by Lua's rules, before the range check.
fn lua_integer(v: Value, lua: &mut Lua) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(i),
        Value::Float(_) | Value::Str(_) => match lua.vm.to_number(v) {
            Some(Number::Int(i)) => Ok(i),
            Some(Number::Float(f)) => number::float_to_int_exact(f).ok_or_else(|| {
                Error::from_lua_msg(
                    type_name(lua, v),
                    "integer",
                    "number has no integer representation",
                )
            }),
            None => Err(Error::from_lua(type_name(lua, v), "integer")),
        },
        _ => Err(Error::from_lua(type_name(lua, v), "integer")),
    }
}

macro_rules! int_conv {
    ($($t:ty),*) => {$(
        impl IntoLua for $t {
            fn into_lua(self, _: &mut Lua) -> Result<Value> {
                #[allow(irrefutable_let_patterns)]
                Ok(match i64::try_from(self) {
                    Ok(i) => Value::Int(i),
                    // Beyond i64 (u64/usize only): a float, as Lua would hold it.
                    Err(_) => Value::Float(self as f64),
                })
            }
        }
        impl FromLua for $t {
            fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
                let i = lua_integer(v, lua)?;
                <$t>::try_from(i).map_err(|_| {
                    Error::from_lua_msg(
                        "number",
                        stringify!($t),
                        format!("number {} out of range for {}", i, stringify!($t)),
                    )
                })
            }
        }
    )*};
}
int_conv!(i8, i16, i32, i64, u8, u16, u32, u64, isize, usize);

macro_rules! float_conv {
    ($($t:ty),*) => {$(
        impl IntoLua for $t {
            fn into_lua(self, _: &mut Lua) -> Result<Value> {
                Ok(Value::Float(self as f64))
            }
        }
        impl FromLua for $t {
            fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
                match lua.vm.to_number(v) {
                    Some(Number::Int(i)) => Ok(i as $t),
                    Some(Number::Float(f)) => Ok(f as $t),
                    None => Err(Error::from_lua(type_name(lua, v), "number")),
                }
            }
        }
    )*};
}
float_conv!(f32, f64);

impl IntoLua for &str {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        Ok(lua.vm.new_str(self.as_bytes()))
    }
}

impl IntoLua for String {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        Ok(lua.vm.new_string_from_vec(self.into_bytes()))
    }
}

impl IntoLua for &String {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        Ok(lua.vm.new_str(self.as_bytes()))
    }
}

impl IntoLua for &[u8] {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        Ok(lua.vm.new_str(self))
    }
}

/// Strings, and numbers converted as `tostring` does (Lua's string coercion).
impl FromLua for String {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        match lua.vm.to_str_bytes(v) {
            Some(b) => String::from_utf8(b)
                .map_err(|_| Error::from_lua_msg("string", "String", "string is not valid UTF-8")),
            None => Err(Error::from_lua(type_name(lua, v), "string")),
        }
    }
}

impl<T: IntoLua> IntoLua for Option<T> {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        match self {
            Some(v) => v.into_lua(lua),
            None => Ok(Value::Nil),
        }
    }
}

impl<T: FromLua> FromLua for Option<T> {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        match v {
            Value::Nil => Ok(None),
            v => T::from_lua(v, lua).map(Some),
        }
    }
}

/// A sequence table (`{v1, v2, ...}`); `Vec<u8>` becomes a Lua string (bytes).
impl<T: IntoLua + 'static> IntoLua for Vec<T> {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        let any: Box<dyn std::any::Any> = Box::new(self);
        let items = match any.downcast::<Vec<u8>>() {
            Ok(bytes) => return Ok(lua.vm.new_string_from_vec(*bytes)),
            Err(any) => match any.downcast::<Vec<T>>() {
                Ok(v) => *v,
                Err(_) => return Ok(Value::Nil),
            },
        };
        let t = lua.vm.new_table_with(items.len(), 0);
        for (i, item) in items.into_iter().enumerate() {
            let v = item.into_lua(lua)?;
            t.set_int(&mut lua.vm.heap, i as i64 + 1, v);
        }
        Ok(Value::Table(t))
    }
}

/// From a sequence table (`1..=#t`, raw); `Vec<u8>` also accepts a string (its bytes).
impl<T: FromLua + 'static> FromLua for Vec<T> {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        if let Value::Str(s) = v {
            if std::any::TypeId::of::<T>() == std::any::TypeId::of::<u8>() {
                let any: Box<dyn std::any::Any> = Box::new(s.as_bytes().to_vec());
                if let Ok(v) = any.downcast::<Vec<T>>() {
                    return Ok(*v);
                }
            }
        }
        let Value::Table(t) = v else {
            return Err(Error::from_lua(type_name(lua, v), "table"));
        };
        let n = t.len().max(0);
        let mut out = Vec::with_capacity(n.min(1 << 16) as usize);
        for i in 1..=n {
            let item = t.get_int(i);
            out.push(T::from_lua(item, lua).map_err(|e| nested(e, &format!("[{i}]")))?);
        }
        Ok(out)
    }
}

/// Prefixes a conversion error with where in a structure it happened.
fn nested(e: Error, at: &str) -> Error {
    match e {
        Error::FromLua { from, to, message } => {
            let base = message.unwrap_or_else(|| format!("expected {to}, got {from}"));
            Error::FromLua {
                from,
                to,
                message: Some(format!("{at}: {base}")),
            }
        }
        e => e,
    }
}

macro_rules! map_conv {
    ($map:ident, $($bound:path),*) => {
        impl<K: IntoLua $(+ $bound)*, V: IntoLua> IntoLua for $map<K, V> {
            fn into_lua(self, lua: &mut Lua) -> Result<Value> {
                let t = lua.vm.new_table_with(0, self.len());
                for (k, v) in self {
                    let k = k.into_lua(lua)?;
                    let v = v.into_lua(lua)?;
                    lua.vm.raw_set(t, k, v).map_err(|e| Error::ToLua {
                        from: "map",
                        message: e.message(),
                    })?;
                }
                Ok(Value::Table(t))
            }
        }
        impl<K: FromLua $(+ $bound)*, V: FromLua> FromLua for $map<K, V> {
            fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
                let Value::Table(t) = v else {
                    return Err(Error::from_lua(type_name(lua, v), "table"));
                };
                let mut out = $map::new();
                let mut key = Value::Nil;
                while let Next::Pair(k, val) = t.next(key) {
                    key = k;
                    let rk = K::from_lua(k, lua).map_err(|e| nested(e, "key"))?;
                    let rv = V::from_lua(val, lua).map_err(|e| {
                        let at = match lua.vm.to_str_bytes(k) {
                            Some(b) => format!("[{}]", String::from_utf8_lossy(&b)),
                            None => "value".to_string(),
                        };
                        nested(e, &at)
                    })?;
                    out.insert(rk, rv);
                }
                Ok(out)
            }
        }
    };
}
map_conv!(HashMap, Eq, Hash);
map_conv!(BTreeMap, Ord);

// ---- Lists of values --------------------------------------------------------------------

impl<T: IntoLua> IntoLuaMulti for T {
    #[inline]
    fn push_into_stack(self, lua: &mut Lua) -> Result<usize> {
        let v = self.into_lua(lua)?;
        lua.vm.push(v);
        Ok(1)
    }
}

impl<T: FromLua> FromLuaMulti for T {
    #[inline]
    fn from_stack(lua: &mut Lua, base: usize, n: usize) -> Result<Self> {
        let v = if n > 0 {
            lua.vm.stack[base]
        } else {
            Value::Nil
        };
        T::from_lua(v, lua).map_err(|e| Error::BadArgument {
            pos: 1,
            cause: Box::new(mark_absent(e, n == 0)),
        })
    }
}

/// Records that a failed conversion was of an absent value ("got no value").
fn mark_absent(e: Error, absent: bool) -> Error {
    match e {
        Error::FromLua {
            to, message: None, ..
        } if absent => Error::FromLua {
            from: "no value".into(),
            to,
            message: None,
        },
        e => e,
    }
}

impl IntoLuaMulti for () {
    fn push_into_stack(self, _: &mut Lua) -> Result<usize> {
        Ok(0)
    }
}

impl FromLuaMulti for () {
    fn from_stack(_: &mut Lua, _: usize, _: usize) -> Result<Self> {
        Ok(())
    }
}

impl<T: IntoLua> IntoLuaMulti for Variadic<T> {
    fn push_into_stack(self, lua: &mut Lua) -> Result<usize> {
        let n = self.0.len();
        for v in self.0 {
            let v = v.into_lua(lua)?;
            lua.vm.push(v);
        }
        Ok(n)
    }
}

impl<T: FromLua> FromLuaMulti for Variadic<T> {
    fn from_stack(lua: &mut Lua, base: usize, n: usize) -> Result<Self> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let v = lua.vm.stack[base + i];
            out.push(T::from_lua(v, lua).map_err(|e| Error::BadArgument {
                pos: i + 1,
                cause: Box::new(e),
            })?);
        }
        Ok(Variadic(out))
    }
}

/// The multi-value conversion of the last element of a tuple: takes the rest.
macro_rules! tuple_conv {
    ($($name:ident $idx:tt),+ ; $last:ident $lidx:tt) => {
        impl<$($name: IntoLua,)+ $last: IntoLuaMulti> IntoLuaMulti for ($($name,)+ $last,) {
            fn push_into_stack(self, lua: &mut Lua) -> Result<usize> {
                $(
                    let v = self.$idx.into_lua(lua)?;
                    lua.vm.push(v);
                )+
                let n = self.$lidx.push_into_stack(lua)?;
                Ok(n + [$($idx),+].len())
            }
        }
        impl<$($name: FromLua,)+ $last: FromLuaMulti> FromLuaMulti for ($($name,)+ $last,) {
            fn from_stack(lua: &mut Lua, base: usize, n: usize) -> Result<Self> {
                Ok((
                    $({
                        let i: usize = $idx;
                        let v = if i < n { lua.vm.stack[base + i] } else { Value::Nil };
                        $name::from_lua(v, lua).map_err(|e| Error::BadArgument {
                            pos: i + 1,
                            cause: Box::new(mark_absent(e, i >= n)),
                        })?
                    },)+
                    {
                        let k: usize = $lidx;
                        let rest = n.saturating_sub(k);
                        $last::from_stack(lua, base + k.min(n), rest).map_err(|e| match e {
                            Error::BadArgument { pos, cause } => Error::BadArgument {
                                pos: pos + k,
                                cause,
                            },
                            e => e,
                        })?
                    },
                ))
            }
        }
    };
}

impl<A: IntoLuaMulti> IntoLuaMulti for (A,) {
    fn push_into_stack(self, lua: &mut Lua) -> Result<usize> {
        self.0.push_into_stack(lua)
    }
}
impl<A: FromLuaMulti> FromLuaMulti for (A,) {
    fn from_stack(lua: &mut Lua, base: usize, n: usize) -> Result<Self> {
        Ok((A::from_stack(lua, base, n)?,))
    }
}
tuple_conv!(A 0; B 1);
tuple_conv!(A 0, B 1; C 2);
tuple_conv!(A 0, B 1, C 2; D 3);
tuple_conv!(A 0, B 1, C 2, D 3; E 4);
tuple_conv!(A 0, B 1, C 2, D 3, E 4; F 5);
tuple_conv!(A 0, B 1, C 2, D 3, E 4, F 5; G 6);
tuple_conv!(A 0, B 1, C 2, D 3, E 4, F 5, G 6; H 7);
