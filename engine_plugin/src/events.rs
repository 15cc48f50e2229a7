//! Messages between Rust and scripts, and the plain data they carry ([`ScriptValue`]).

use bevy::prelude::{Entity, Message};
use selenite::api::{Error, FromLua, IntoLua, Lua, LuaValue, Table};
use selenite::Value;

use crate::world::LuaEntity;

/// Plain data crossing between scripts and Rust (event payloads). Tables become `List`
/// when they are sequences (`1..n`) and `Map` otherwise; functions, threads and
/// userdata other than entities are refused.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ScriptValue {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Number(f64),
    String(String),
    List(Vec<ScriptValue>),
    /// Key/value pairs in a deterministic order (keys sorted by their debug text).
    Map(Vec<(ScriptValue, ScriptValue)>),
    Entity(Entity),
}

impl ScriptValue {
    /// The value under a string key of a `Map`.
    pub fn get(&self, key: &str) -> Option<&ScriptValue> {
        match self {
            ScriptValue::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| matches!(k, ScriptValue::String(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            ScriptValue::Int(i) => Some(i as f64),
            ScriptValue::Number(x) => Some(x),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ScriptValue::String(s) => Some(s),
            _ => None,
        }
    }

    fn from_lua_depth(v: LuaValue, lua: &mut Lua, depth: u32) -> Result<ScriptValue, Error> {
        if depth > 64 {
            return Err(Error::runtime("event data nested too deeply (or cyclic)"));
        }
        Ok(match v {
            LuaValue::Nil => ScriptValue::Nil,
            LuaValue::Boolean(b) => ScriptValue::Bool(b),
            LuaValue::Integer(i) => ScriptValue::Int(i),
            LuaValue::Number(x) => ScriptValue::Number(x),
            LuaValue::String(s) => ScriptValue::String(s.to_str(lua)?.to_string()),
            LuaValue::Table(t) => table_to_value(&t, lua, depth)?,
            v @ (LuaValue::UserData(_) | LuaValue::Host { .. }) => {
                let raw = v.into_lua(lua)?;
                match LuaEntity::from_lua(raw, lua) {
                    Ok(e) => ScriptValue::Entity(e.0),
                    Err(_) => {
                        return Err(Error::runtime("cannot send this userdata as event data"))
                    }
                }
            }
            other => {
                return Err(Error::runtime(format!(
                    "cannot send a {} as event data",
                    other.type_name()
                )))
            }
        })
    }
}

fn table_to_value(t: &Table, lua: &mut Lua, depth: u32) -> Result<ScriptValue, Error> {
    let pairs: Vec<(LuaValue, LuaValue)> = t.pairs(lua)?;
    let n = t.len(lua)?;
    if n as usize == pairs.len() && n > 0 {
        let items: Vec<LuaValue> = t.sequence_values(lua)?;
        let mut out = Vec::with_capacity(items.len());
        for v in items {
            out.push(ScriptValue::from_lua_depth(v, lua, depth + 1)?);
        }
        return Ok(ScriptValue::List(out));
    }
    let mut out = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        out.push((
            ScriptValue::from_lua_depth(k, lua, depth + 1)?,
            ScriptValue::from_lua_depth(v, lua, depth + 1)?,
        ));
    }
    out.sort_by_cached_key(|(k, _)| format!("{k:?}"));
    Ok(ScriptValue::Map(out))
}

impl FromLua for ScriptValue {
    fn from_lua(value: Value, lua: &mut Lua) -> Result<Self, Error> {
        let v = LuaValue::from_lua(value, lua)?;
        ScriptValue::from_lua_depth(v, lua, 0)
    }
}

impl IntoLua for ScriptValue {
    fn into_lua(self, lua: &mut Lua) -> Result<Value, Error> {
        match self {
            ScriptValue::Nil => Ok(Value::Nil),
            ScriptValue::Bool(b) => b.into_lua(lua),
            ScriptValue::Int(i) => i.into_lua(lua),
            ScriptValue::Number(x) => x.into_lua(lua),
            ScriptValue::String(s) => s.into_lua(lua),
            ScriptValue::Entity(e) => LuaEntity(e).into_lua(lua),
            ScriptValue::List(items) => {
                let t = lua.create_table()?;
                for (i, v) in items.into_iter().enumerate() {
                    t.raw_set(lua, i as i64 + 1, v)?;
                }
                t.into_lua(lua)
            }
            ScriptValue::Map(pairs) => {
                let t = lua.create_table()?;
                for (k, v) in pairs {
                    if matches!(k, ScriptValue::Nil) {
                        continue;
                    }
                    t.raw_set(lua, k, v)?;
                }
                t.into_lua(lua)
            }
        }
    }
}

impl From<f64> for ScriptValue {
    fn from(x: f64) -> Self {
        ScriptValue::Number(x)
    }
}
impl From<i64> for ScriptValue {
    fn from(x: i64) -> Self {
        ScriptValue::Int(x)
    }
}
impl From<bool> for ScriptValue {
    fn from(x: bool) -> Self {
        ScriptValue::Bool(x)
    }
}
impl From<&str> for ScriptValue {
    fn from(x: &str) -> Self {
        ScriptValue::String(x.to_string())
    }
}
impl From<String> for ScriptValue {
    fn from(x: String) -> Self {
        ScriptValue::String(x)
    }
}
impl From<Entity> for ScriptValue {
    fn from(x: Entity) -> Self {
        ScriptValue::Entity(x)
    }
}

/// Rust → scripts: calls `on_event(self, name, data)` on the script instances of
/// `target` (or of every entity when `None`), in the next script run.
#[derive(Message, Clone, Debug)]
pub struct ScriptEvent {
    pub target: Option<Entity>,
    pub name: String,
    pub data: ScriptValue,
}

impl ScriptEvent {
    /// An event for every script instance.
    pub fn broadcast(name: impl Into<String>, data: impl Into<ScriptValue>) -> Self {
        ScriptEvent {
            target: None,
            name: name.into(),
            data: data.into(),
        }
    }

    /// An event for the scripts of one entity.
    pub fn to(entity: Entity, name: impl Into<String>, data: impl Into<ScriptValue>) -> Self {
        ScriptEvent {
            target: Some(entity),
            name: name.into(),
            data: data.into(),
        }
    }
}

/// Scripts → Rust: written by `emit(name, data)`.
#[derive(Message, Clone, Debug)]
pub struct ScriptMessage {
    /// The entity whose script emitted it.
    pub entity: Entity,
    /// The script's asset path.
    pub script: String,
    pub name: String,
    pub data: ScriptValue,
}

/// What went wrong in a [`ScriptError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptErrorKind {
    /// The file does not compile (the previous version, if any, keeps running).
    Compile,
    /// A callback raised an error (only that instance is affected).
    Runtime,
}

/// A script failed to compile or raised an error. Written once per distinct error per
/// instance (a script failing the same way every frame is reported once).
#[derive(Message, Clone, Debug)]
pub struct ScriptError {
    pub kind: ScriptErrorKind,
    /// The script's asset path.
    pub script: String,
    /// The entity, for runtime errors (and for compile errors of a script an entity uses).
    pub entity: Option<Entity>,
    /// `path:line: message`.
    pub message: String,
    /// `stack traceback:` lines, for runtime errors.
    pub traceback: Option<String>,
}
