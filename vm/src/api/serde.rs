//! serde support: any `Serialize` type to a Lua value ([`Lua::to_value`]) and any
//! `DeserializeOwned` type from one ([`Lua::from_value`]).
//!
//! Mapping: structs and maps are tables with their keys; sequences and tuples are sequence
//! tables; `None` and `()` are `nil`; integers stay integers and floats floats; unit enum
//! variants are strings, other variants single-key tables `{ Variant = ... }` (serde's
//! external tagging). Errors name the path of the offending field:
//! `field 'stats.hp': expected integer, got string`.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use selenite::api::Lua;
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Stats { hp: i64, speed: f64 }
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Enemy { name: String, stats: Stats, loot: Vec<String> }
//!
//! let mut lua = Lua::new();
//! let orc = Enemy { name: "orc".into(), stats: Stats { hp: 30, speed: 1.5 }, loot: vec!["axe".into()] };
//! let v = lua.to_value(&orc).unwrap();
//! lua.set_global("orc", v).unwrap();
//! assert_eq!(lua.exec::<i64>("return orc.stats.hp", "=m").unwrap(), 30);
//! let back: Enemy = lua.exec::<selenite::api::LuaValue>("return orc", "=m")
//!     .and_then(|v| lua.from_value(v)).unwrap();
//! assert_eq!(back, orc);
//!
//! let bad = lua.exec("return { name = 'x', stats = { hp = 'lots', speed = 1 }, loot = {} }", "=m").unwrap();
//! let err = lua.from_value::<Enemy>(bad).unwrap_err();
//! assert_eq!(err.to_string(), "field 'stats.hp': expected integer, got string");
//! ```

use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};

use crate::gc::Gc;
use crate::number;
use crate::table::{Next, Table as RawTable};
use crate::value::Value;

use super::convert::{FromLua, IntoLua};
use super::error::{Error, Result};
use super::registry::LuaValue;
use super::Lua;

/// Deepest nesting (de)serialized: deeper (or cyclic) tables are an error.
const MAX_DEPTH: usize = 200;

impl Lua {
    /// Converts any `Serialize` value into a (rooted) Lua value.
    pub fn to_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<LuaValue> {
        self.drain_released();
        let v = value.serialize(Ser {
            lua: self,
            depth: 0,
        })?;
        LuaValue::from_lua(v, self)
    }

    /// Converts a Lua value into any `DeserializeOwned` type.
    pub fn from_value<T: DeserializeOwned>(&mut self, value: LuaValue) -> Result<T> {
        let v = value.into_lua(self)?;
        self.deserialize_raw(v)
    }

    pub(crate) fn deserialize_raw<T: DeserializeOwned>(&mut self, v: Value) -> Result<T> {
        T::deserialize(De {
            lua: self,
            value: v,
            depth: 0,
        })
        .map_err(|e: DeError| {
            let mut path = String::new();
            for seg in e.path.iter().rev() {
                if !seg.starts_with('[') && !path.is_empty() {
                    path.push('.');
                }
                path.push_str(seg);
            }
            Error::Serde {
                path,
                message: e.message,
            }
        })
    }
}

/// A value converted through serde, usable as a host function argument or result.
///
/// ```
/// use serde::Deserialize;
/// use selenite::api::{Lua, Serde};
///
/// #[derive(Deserialize)]
/// struct Spawn { kind: String, count: u32 }
///
/// let mut lua = Lua::new();
/// let f = lua.create_function(|_, Serde(s): Serde<Spawn>| Ok(format!("{} {}", s.count, s.kind))).unwrap();
/// lua.set_global("spawn", f).unwrap();
/// assert_eq!(lua.exec::<String>("return spawn { kind = 'orc', count = 2 }", "=m").unwrap(), "2 orc");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Serde<T>(pub T);

impl<T: Serialize> IntoLua for Serde<T> {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        self.0.serialize(Ser { lua, depth: 0 })
    }
}

impl<T: DeserializeOwned> FromLua for Serde<T> {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        lua.deserialize_raw(v).map(Serde)
    }
}

// ---- Serializer -------------------------------------------------------------------------

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Serde {
            path: String::new(),
            message: msg.to_string(),
        }
    }
}

struct Ser<'a> {
    lua: &'a mut Lua,
    depth: usize,
}

impl<'a> Ser<'a> {
    fn child(&mut self) -> Result<Ser<'_>> {
        if self.depth >= MAX_DEPTH {
            return Err(ser::Error::custom("value nested too deeply"));
        }
        Ok(Ser {
            lua: self.lua,
            depth: self.depth + 1,
        })
    }

    fn set(&mut self, t: Gc<RawTable>, k: Value, v: Value) -> Result<()> {
        self.lua
            .vm
            .raw_set(t, k, v)
            .map_err(|e| ser::Error::custom(e.message()))
    }

    /// `{ [variant] = inner }`.
    fn tagged(&mut self, variant: &str, inner: Value) -> Result<Value> {
        let t = self.lua.vm.new_table_with(0, 1);
        let k = self.lua.vm.new_str(variant.as_bytes());
        self.set(t, k, inner)?;
        Ok(Value::Table(t))
    }
}

struct SeqSer<'a> {
    ser: Ser<'a>,
    table: Gc<RawTable>,
    n: i64,
    variant: Option<&'static str>,
}

struct MapSer<'a> {
    ser: Ser<'a>,
    table: Gc<RawTable>,
    key: Value,
    variant: Option<&'static str>,
}

impl<'a> ser::Serializer for Ser<'a> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = SeqSer<'a>;
    type SerializeTuple = SeqSer<'a>;
    type SerializeTupleStruct = SeqSer<'a>;
    type SerializeTupleVariant = SeqSer<'a>;
    type SerializeMap = MapSer<'a>;
    type SerializeStruct = MapSer<'a>;
    type SerializeStructVariant = MapSer<'a>;

    fn serialize_bool(self, v: bool) -> Result<Value> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value> {
        Ok(Value::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value> {
        Ok(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        })
    }
    fn serialize_f32(self, v: f32) -> Result<Value> {
        Ok(Value::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value> {
        Ok(Value::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value> {
        let mut b = [0; 4];
        Ok(self.lua.vm.new_str(v.encode_utf8(&mut b).as_bytes()))
    }
    fn serialize_str(self, v: &str) -> Result<Value> {
        Ok(self.lua.vm.new_str(v.as_bytes()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        Ok(self.lua.vm.new_str(v))
    }
    fn serialize_none(self) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value> {
        Ok(self.lua.vm.new_str(variant.as_bytes()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value> {
        let inner = value.serialize(self.child()?)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer<'a>> {
        let table = self.lua.vm.new_table_with(len.unwrap_or(0), 0);
        Ok(SeqSer {
            ser: self,
            table,
            n: 0,
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqSer<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqSer<'a>> {
        let mut s = self.serialize_seq(Some(len))?;
        s.variant = Some(variant);
        Ok(s)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapSer<'a>> {
        let table = self.lua.vm.new_table_with(0, len.unwrap_or(0));
        Ok(MapSer {
            ser: self,
            table,
            key: Value::Nil,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapSer<'a>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<MapSer<'a>> {
        let mut s = self.serialize_map(Some(len))?;
        s.variant = Some(variant);
        Ok(s)
    }
}

impl SeqSer<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let v = value.serialize(self.ser.child()?)?;
        self.n += 1;
        self.table.set_int(&mut self.ser.lua.vm.heap, self.n, v);
        Ok(())
    }
    fn finish(mut self) -> Result<Value> {
        match self.variant {
            Some(var) => self.ser.tagged(var, Value::Table(self.table)),
            None => Ok(Value::Table(self.table)),
        }
    }
}

macro_rules! seq_impl {
    ($($tr:ident :: $m:ident),*) => {$(
        impl ser::$tr for SeqSer<'_> {
            type Ok = Value;
            type Error = Error;
            fn $m<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.push(value)
            }
            fn end(self) -> Result<Value> {
                self.finish()
            }
        }
    )*};
}
seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl MapSer<'_> {
    fn finish(mut self) -> Result<Value> {
        match self.variant {
            Some(var) => self.ser.tagged(var, Value::Table(self.table)),
            None => Ok(Value::Table(self.table)),
        }
    }
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        let v = value.serialize(self.ser.child()?)?;
        let k = self.ser.lua.vm.new_str(key.as_bytes());
        self.ser.set(self.table, k, v)
    }
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = key.serialize(self.ser.child()?)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let v = value.serialize(self.ser.child()?)?;
        let k = std::mem::take(&mut self.key);
        self.ser.set(self.table, k, v)
    }
    fn end(self) -> Result<Value> {
        self.finish()
    }
}

macro_rules! struct_impl {
    ($($tr:ident),*) => {$(
        impl ser::$tr for MapSer<'_> {
            type Ok = Value;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
                self.field(key, value)
            }
            fn end(self) -> Result<Value> {
                self.finish()
            }
        }
    )*};
}
struct_impl!(SerializeStruct, SerializeStructVariant);

// ---- Deserializer -----------------------------------------------------------------------

/// Deserialization error with the path (innermost segment first) it happened at.
#[derive(Debug)]
struct DeError {
    path: Vec<String>,
    message: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            path: Vec::new(),
            message: msg.to_string(),
        }
    }
}

fn at(mut e: DeError, seg: String) -> DeError {
    e.path.push(seg);
    e
}

type DeResult<T> = std::result::Result<T, DeError>;

struct De<'a> {
    lua: &'a mut Lua,
    value: Value,
    depth: usize,
}

impl<'a> De<'a> {
    fn expected(&mut self, what: &str) -> DeError {
        let got = self.lua.vm.type_name_of(self.value);
        de::Error::custom(format!("expected {what}, got {got}"))
    }

    fn child(&mut self, value: Value) -> DeResult<De<'_>> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom("table nested too deeply (or cyclic)"));
        }
        Ok(De {
            lua: self.lua,
            value,
            depth: self.depth + 1,
        })
    }

    fn integer(&mut self) -> DeResult<i64> {
        match self.value {
            Value::Int(i) => Ok(i),
            Value::Float(f) => number::float_to_int_exact(f).ok_or_else(|| {
                de::Error::custom("expected integer, got number with a fractional part")
            }),
            _ => Err(self.expected("integer")),
        }
    }

    fn table(&mut self) -> DeResult<Gc<RawTable>> {
        match self.value {
            Value::Table(t) => Ok(t),
            _ => Err(self.expected("table")),
        }
    }

    fn string(&mut self) -> DeResult<String> {
        match self.value {
            Value::Str(s) => String::from_utf8(s.as_bytes().to_vec())
                .map_err(|_| de::Error::custom("string is not valid UTF-8")),
            _ => Err(self.expected("string")),
        }
    }

    /// Does the table look like a sequence (keys exactly 1..n, n > 0)?
    fn is_sequence(t: Gc<RawTable>) -> bool {
        let n = t.len();
        if n <= 0 {
            return false;
        }
        let mut count = 0i64;
        let mut key = Value::Nil;
        while let Next::Pair(k, _) = t.next(key) {
            count += 1;
            key = k;
        }
        count == n
    }
}

macro_rules! de_int {
    ($($m:ident $v:ident $t:ty),*) => {$(
        fn $m<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
            let i = self.integer()?;
            let x = <$t>::try_from(i).map_err(|_| {
                <DeError as de::Error>::custom(format!("number {} out of range for {}", i, stringify!($t)))
            })?;
            visitor.$v(x)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        match self.value {
            Value::Nil => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Int(i) => visitor.visit_i64(i),
            Value::Float(f) => visitor.visit_f64(f),
            Value::Str(s) => match std::str::from_utf8(s.as_bytes()) {
                Ok(st) => visitor.visit_str(st),
                Err(_) => visitor.visit_bytes(s.as_bytes()),
            },
            Value::Table(t) => {
                if Self::is_sequence(t) {
                    self.deserialize_seq(visitor)
                } else {
                    self.deserialize_map(visitor)
                }
            }
            _ => Err(self.expected("a serializable value")),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(b),
            _ => Err(self.expected("boolean")),
        }
    }

    de_int!(deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32, deserialize_i64 visit_i64 i64,
        deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        match self.value {
            Value::Int(i) => visitor.visit_f64(i as f64),
            Value::Float(f) => visitor.visit_f64(f),
            _ => Err(self.expected("number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        let s = self.string()?;
        visitor.visit_string(s)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        match self.value {
            Value::Str(s) => visitor.visit_byte_buf(s.as_bytes().to_vec()),
            Value::Table(_) => self.deserialize_seq(visitor),
            _ => Err(self.expected("string")),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        match self.value {
            Value::Nil => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        match self.value {
            Value::Nil => visitor.visit_unit(),
            _ => Err(self.expected("nil")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> DeResult<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> DeResult<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        let t = self.table()?;
        let n = t.len().max(0);
        visitor.visit_seq(SeqDe {
            de: self,
            table: t,
            i: 0,
            n,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> DeResult<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> DeResult<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        let t = self.table()?;
        visitor.visit_map(MapDe {
            de: self,
            table: t,
            key: Value::Nil,
            value: Value::Nil,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        match self.value {
            Value::Str(_) => {
                let s = self.string()?;
                visitor.visit_enum(s.into_deserializer())
            }
            Value::Table(t) => {
                let (k, v) = match t.next(Value::Nil) {
                    Next::Pair(k, v) => (k, v),
                    _ => {
                        return Err(de::Error::custom(
                            "expected enum table with one key, got empty table",
                        ))
                    }
                };
                if let Next::Pair(..) = t.next(k) {
                    return Err(de::Error::custom(
                        "expected enum table with one key, got several",
                    ));
                }
                let Value::Str(name) = k else {
                    return Err(de::Error::custom("expected enum variant name as key"));
                };
                let variant = name.to_str_lossy().into_owned();
                let inner = self.child(v)?;
                visitor.visit_enum(EnumDe { variant, de: inner })
            }
            _ => Err(self.expected("enum (string or table)")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        visitor.visit_unit()
    }
}

struct SeqDe<'a> {
    de: De<'a>,
    table: Gc<RawTable>,
    i: i64,
    n: i64,
}

impl<'de> de::SeqAccess<'de> for SeqDe<'_> {
    type Error = DeError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> DeResult<Option<T::Value>> {
        if self.i >= self.n {
            return Ok(None);
        }
        self.i += 1;
        let v = self.table.get_int(self.i);
        let i = self.i;
        let child = self.de.child(v)?;
        seed.deserialize(child)
            .map(Some)
            .map_err(|e| at(e, format!("[{i}]")))
    }
    fn size_hint(&self) -> Option<usize> {
        Some((self.n - self.i) as usize)
    }
}

struct MapDe<'a> {
    de: De<'a>,
    table: Gc<RawTable>,
    key: Value,
    value: Value,
}

impl<'de> de::MapAccess<'de> for MapDe<'_> {
    type Error = DeError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> DeResult<Option<K::Value>> {
        match self.table.next(self.key) {
            Next::Pair(k, v) => {
                self.key = k;
                self.value = v;
                let child = self.de.child(k)?;
                seed.deserialize(child).map(Some)
            }
            _ => Ok(None),
        }
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> DeResult<V::Value> {
        let seg = match self.key {
            Value::Str(s) => s.to_str_lossy().into_owned(),
            k => format!(
                "[{}]",
                String::from_utf8_lossy(&self.de.lua.vm.tostring_raw(k))
            ),
        };
        let child = self.de.child(self.value)?;
        seed.deserialize(child).map_err(|e| at(e, seg))
    }
}

struct EnumDe<'a> {
    variant: String,
    de: De<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumDe<'a> {
    type Error = DeError;
    type Variant = VariantDe<'a>;
    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> DeResult<(V::Value, VariantDe<'a>)> {
        let name = self.variant.clone();
        let v = seed.deserialize(self.variant.into_deserializer())?;
        Ok((v, VariantDe { de: self.de, name }))
    }
}

struct VariantDe<'a> {
    de: De<'a>,
    name: String,
}

impl<'de> de::VariantAccess<'de> for VariantDe<'_> {
    type Error = DeError;
    fn unit_variant(self) -> DeResult<()> {
        Ok(())
    }
    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> DeResult<T::Value> {
        let name = self.name;
        seed.deserialize(self.de).map_err(|e| at(e, name))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> DeResult<V::Value> {
        let name = self.name;
        de::Deserializer::deserialize_seq(self.de, visitor).map_err(|e| at(e, name))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        let name = self.name;
        de::Deserializer::deserialize_map(self.de, visitor).map_err(|e| at(e, name))
    }
}
