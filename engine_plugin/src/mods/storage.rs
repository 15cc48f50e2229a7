//! Script state for save games: `storage` tables to RON and back.
//!
//! Every mod has a `storage` table (a global of its scripts); [`super::ModHost::save_storage`]
//! writes all of them as one RON document and [`super::ModHost::restore_storage`] puts them
//! back (before or after the mods load). Any table can be converted with
//! [`table_to_ron`]/[`ron_to_value`], e.g. an instance's `self.storage`.
//!
//! Savable values: booleans, numbers, strings, and tables of those (sequences become RON
//! lists, other tables maps with string or integer keys). Functions, userdata (entities,
//! vectors), threads and cycles are refused with the path of the value:
//! `cannot save storage of mod 'a': field 'inventory.on_use': expected a serializable
//! value, got function`.

use std::collections::BTreeMap;
use std::fmt;

use selenite::api::{Lua, LuaValue};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// A savable Lua value.
#[derive(Clone, Debug, PartialEq)]
pub enum StoredValue {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<StoredValue>),
    Map(BTreeMap<StoredKey, StoredValue>),
}

/// A key of a saved map.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StoredKey {
    Int(i64),
    Str(String),
}

/// Why state could not be saved or restored.
#[derive(Debug, Error)]
pub enum StorageError {
    /// A value that has no saved form (function, userdata...), with its path.
    #[error("cannot save storage of {owner}: {message}")]
    Unsavable { owner: String, message: String },
    #[error("cannot write RON: {0}")]
    Write(#[from] ron::Error),
    #[error("invalid saved state at {line}:{column}: {message}")]
    Read {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot restore storage of {owner}: {message}")]
    Restore { owner: String, message: String },
}

impl Serialize for StoredKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StoredKey::Int(i) => s.serialize_i64(*i),
            StoredKey::Str(t) => s.serialize_str(t),
        }
    }
}

impl Serialize for StoredValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StoredValue::Nil => s.serialize_unit(),
            StoredValue::Bool(b) => s.serialize_bool(*b),
            StoredValue::Int(i) => s.serialize_i64(*i),
            StoredValue::Float(f) => s.serialize_f64(*f),
            StoredValue::Str(t) => s.serialize_str(t),
            StoredValue::List(l) => l.serialize(s),
            StoredValue::Map(m) => m.serialize(s),
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = StoredValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean, number, string, list or map")
    }
    fn visit_unit<E>(self) -> Result<StoredValue, E> {
        Ok(StoredValue::Nil)
    }
    fn visit_none<E>(self) -> Result<StoredValue, E> {
        Ok(StoredValue::Nil)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<StoredValue, D::Error> {
        StoredValue::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<StoredValue, E> {
        Ok(StoredValue::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<StoredValue, E> {
        Ok(StoredValue::Int(i))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<StoredValue, E> {
        i64::try_from(u)
            .map(StoredValue::Int)
            .map_err(|_| E::custom(format!("integer {u} out of range")))
    }
    fn visit_f64<E>(self, f: f64) -> Result<StoredValue, E> {
        Ok(StoredValue::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<StoredValue, E> {
        Ok(StoredValue::Str(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<StoredValue, E> {
        Ok(StoredValue::Str(s))
    }
    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<StoredValue, E> {
        String::from_utf8(b.to_vec())
            .map(StoredValue::Str)
            .map_err(|_| E::custom("strings must be UTF-8 to be saved"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<StoredValue, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = a.next_element::<StoredValue>()? {
            out.push(v);
        }
        Ok(StoredValue::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<StoredValue, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = a.next_entry::<StoredKey, StoredValue>()? {
            out.insert(k, v);
        }
        Ok(StoredValue::Map(out))
    }
}

impl<'de> Deserialize<'de> for StoredValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StoredValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = StoredKey;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or integer key")
    }
    fn visit_i64<E>(self, i: i64) -> Result<StoredKey, E> {
        Ok(StoredKey::Int(i))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<StoredKey, E> {
        i64::try_from(u)
            .map(StoredKey::Int)
            .map_err(|_| E::custom(format!("key {u} out of range")))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<StoredKey, E> {
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            Ok(StoredKey::Int(f as i64))
        } else {
            Err(E::custom(format!(
                "table key {f} cannot be saved (use strings or integers)"
            )))
        }
    }
    fn visit_str<E>(self, s: &str) -> Result<StoredKey, E> {
        Ok(StoredKey::Str(s.to_string()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<StoredKey, E> {
        Err(E::custom(
            "boolean table keys cannot be saved (use strings or integers)",
        ))
    }
}

impl<'de> Deserialize<'de> for StoredKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StoredKey, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

/// Converts a Lua value (usually a table) to its saved form; `owner` names it in errors.
pub fn from_lua(lua: &mut Lua, v: LuaValue, owner: &str) -> Result<StoredValue, StorageError> {
    lua.from_value::<StoredValue>(v)
        .map_err(|e| StorageError::Unsavable {
            owner: owner.to_string(),
            message: e.to_string(),
        })
}

/// Converts a saved value back to a Lua value.
pub fn to_lua(lua: &mut Lua, v: &StoredValue, owner: &str) -> Result<LuaValue, StorageError> {
    lua.to_value(v).map_err(|e| StorageError::Restore {
        owner: owner.to_string(),
        message: e.to_string(),
    })
}

/// Pretty RON of any serializable state.
pub fn write_ron<T: Serialize>(v: &T) -> Result<String, StorageError> {
    Ok(ron::ser::to_string_pretty(
        v,
        ron::ser::PrettyConfig::default(),
    )?)
}

/// Parses RON written by [`write_ron`].
pub fn read_ron<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StorageError> {
    ron::from_str(text).map_err(|e| StorageError::Read {
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// A Lua value (table) as RON text.
pub fn table_to_ron(lua: &mut Lua, v: LuaValue, owner: &str) -> Result<String, StorageError> {
    let stored = from_lua(lua, v, owner)?;
    write_ron(&stored)
}

/// RON text (from [`table_to_ron`]) as a Lua value.
pub fn ron_to_value(lua: &mut Lua, text: &str, owner: &str) -> Result<LuaValue, StorageError> {
    let stored: StoredValue = read_ron(text)?;
    to_lua(lua, &stored, owner)
}
