//! Rooted handles: [`RegistryKey`] (`Send + Sync`, for ECS components and resources) and
//! the typed handles [`Table`], [`Function`], [`LuaString`], [`AnyUserData`], [`Thread`]
//! and the owned value enum [`LuaValue`].
//!
//! # Lifetime model
//!
//! The VM frees an object only at a garbage collection, and only when it is unreachable from
//! its roots. Every handle the API gives out is a root: its value sits in the VM's registry
//! table under a unique integer key. Dropping the last clone of a handle (or a
//! `RegistryKey`) does not touch the VM — it cannot, as handles may be dropped anywhere,
//! even on another thread — it pushes the key onto a queue shared with the `Lua`. The `Lua`
//! drains that queue (removing the registry entries) at the start of its next API call
//! that runs or allocates (load, calls, creating values, globals access, collection), so
//! released values become collectable from then on.
//!
//! A handle remembers which `Lua` made it; using it with another instance returns
//! [`Error::MismatchedLua`] instead of touching the wrong heap. Handle methods take the
//! `Lua` as a parameter, which also guarantees the heap is alive while they run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::{fmt, rc::Rc};

use crate::gc::Gc;
use crate::string::LuaStr;
use crate::table::Table as RawTable;
use crate::thread::Thread as RawThread;
use crate::userdata::UserData as RawUserData;
use crate::value::Value;

use super::error::{Error, Result};
use super::Lua;

/// Release queue shared by a `Lua` and all its keys. Its address identifies the instance.
#[derive(Default)]
pub(crate) struct Shared {
    dirty: AtomicBool,
    queue: Mutex<Vec<i64>>,
}

impl Shared {
    pub(crate) fn take(&self) -> Vec<i64> {
        // Cheap check first: a plain load on the hot path (every API call).
        if !self.dirty.load(Ordering::Relaxed) || !self.dirty.swap(false, Ordering::Acquire) {
            return Vec::new();
        }
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *q)
    }
}

/// A value kept alive in the registry of one `Lua`, across calls and frames.
///
/// `'static + Send + Sync`: store it in Bevy components or resources. Get the value back
/// with [`Lua::registry_value`]. Dropping the key releases the value (see the
/// [module docs](self): the registry entry is removed at the `Lua`'s next API call).
///
/// ```
/// use selenite::api::{Lua, RegistryKey, Table};
///
/// let mut lua = Lua::new();
/// let t: Table = lua.exec("return { hp = 10 }", "=init").unwrap();
/// let key: RegistryKey = lua.create_registry_value(t).unwrap();
/// fn assert_send_sync<T: Send + Sync + 'static>(_: &T) {}
/// assert_send_sync(&key);
/// lua.collect_garbage();
/// let t: Table = lua.registry_value(&key).unwrap();
/// assert_eq!(t.get::<_, i64>(&mut lua, "hp").unwrap(), 10);
/// ```
pub struct RegistryKey {
    pub(crate) key: i64,
    pub(crate) shared: Arc<Shared>,
}

impl RegistryKey {
    /// The integer key in the VM's registry table (for debugging and tests).
    pub fn id(&self) -> i64 {
        self.key
    }

    /// Does this key belong to `lua`?
    pub fn belongs_to(&self, lua: &Lua) -> bool {
        lua.state_opt()
            .is_some_and(|s| Arc::ptr_eq(&self.shared, &s.shared))
    }
}

impl fmt::Debug for RegistryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegistryKey({})", self.key)
    }
}

impl Drop for RegistryKey {
    fn drop(&mut self) {
        let mut q = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        q.push(self.key);
        self.shared.dirty.store(true, Ordering::Release);
    }
}

impl Lua {
    /// Roots a raw value under a new registry key.
    pub(crate) fn root(&mut self, v: Value) -> RegistryKey {
        self.drain_released();
        let st = self.state();
        let key = match st.free_keys.pop() {
            Some(k) => k,
            None => {
                st.next_key += 1;
                st.next_key - 1
            }
        };
        let shared = st.shared.clone();
        let reg = self.vm.registry;
        reg.set_int(&mut self.vm.heap, key, v);
        RegistryKey { key, shared }
    }

    /// Removes the registry entries of dropped keys and handles.
    pub(crate) fn drain_released(&mut self) {
        let keys = match self.state_opt() {
            Some(s) => s.shared.take(),
            None => return,
        };
        if keys.is_empty() {
            return;
        }
        let reg = self.vm.registry;
        for &k in &keys {
            reg.set_int(&mut self.vm.heap, k, Value::Nil);
        }
        self.state().free_keys.extend(keys);
    }

    pub(crate) fn check_key(&self, key: &RegistryKey) -> Result<()> {
        if key.belongs_to(self) {
            Ok(())
        } else {
            Err(Error::MismatchedLua)
        }
    }

    /// The raw value under a key of this instance.
    pub(crate) fn key_value(&self, key: &RegistryKey) -> Result<Value> {
        self.check_key(key)?;
        Ok(self.vm.registry.get_int(key.key))
    }
}

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident, $raw:ty, $variant:ident, $tname:literal) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name {
            pub(crate) gc: Gc<$raw>,
            pub(crate) key: Rc<RegistryKey>,
        }

        impl $name {
            pub(crate) fn new(lua: &mut Lua, gc: Gc<$raw>) -> $name {
                let key = Rc::new(lua.root(Value::$variant(gc)));
                $name { gc, key }
            }

            /// The raw value, after checking the handle belongs to `lua`.
            pub(crate) fn raw(&self, lua: &Lua) -> Result<Value> {
                lua.check_key(&self.key)?;
                Ok(Value::$variant(self.gc))
            }

            /// A `Send + Sync` key for the same value (to store in ECS components).
            pub fn to_registry_key(&self, lua: &mut Lua) -> Result<RegistryKey> {
                let v = self.raw(lua)?;
                Ok(lua.root(v))
            }

            /// Was this handle made by `lua` (and so usable with it)?
            pub fn belongs_to(&self, lua: &Lua) -> bool {
                self.key.belongs_to(lua)
            }

            /// Do both handles refer to the same object?
            pub fn ptr_eq(&self, other: &$name) -> bool {
                self.gc == other.gc
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($tname, "({:#x})"), self.gc.addr())
            }
        }
    };
}

handle!(
    /// A rooted Lua table.
    ///
    /// ```
    /// use selenite::api::Lua;
    ///
    /// let mut lua = Lua::new();
    /// let t = lua.create_table().unwrap();
    /// t.set(&mut lua, "name", "orc").unwrap();
    /// t.set(&mut lua, 1, 10).unwrap();
    /// assert_eq!(t.get::<_, String>(&mut lua, "name").unwrap(), "orc");
    /// assert_eq!(t.len(&mut lua).unwrap(), 1);
    /// ```
    Table,
    RawTable,
    Table,
    "Table"
);
handle!(
    /// A rooted Lua string (bytes, not necessarily UTF-8).
    ///
    /// ```
    /// use selenite::api::{Lua, LuaString};
    ///
    /// let mut lua = Lua::new();
    /// let s: LuaString = lua.exec("return 'a\\0b'", "=s").unwrap();
    /// assert_eq!(s.as_bytes(&lua).unwrap(), b"a\0b");
    /// ```
    LuaString,
    LuaStr,
    Str,
    "LuaString"
);
handle!(
    /// A rooted full userdata of any type; see [`AnyUserData::borrow`].
    AnyUserData,
    RawUserData,
    UserData,
    "AnyUserData"
);
handle!(
    /// A rooted coroutine.
    Thread,
    RawThread,
    Thread,
    "Thread"
);

impl LuaString {
    /// The bytes of the string.
    pub fn as_bytes<'a>(&'a self, lua: &'a Lua) -> Result<&'a [u8]> {
        lua.check_key(&self.key)?;
        Ok(self.gc.as_bytes())
    }

    /// The string as UTF-8.
    pub fn to_str<'a>(&'a self, lua: &'a Lua) -> Result<&'a str> {
        std::str::from_utf8(self.as_bytes(lua)?)
            .map_err(|_| Error::from_lua_msg("string", "UTF-8 string", "invalid UTF-8 string"))
    }
}

/// A rooted Lua function (Lua or host). Call it with [`Function::call`].
#[derive(Clone)]
pub struct Function {
    /// A `LuaFn`, `Native` or `NativeClosure` value.
    pub(crate) value: Value,
    pub(crate) key: Rc<RegistryKey>,
}

impl Function {
    pub(crate) fn new(lua: &mut Lua, value: Value) -> Function {
        let key = Rc::new(lua.root(value));
        Function { value, key }
    }

    pub(crate) fn raw(&self, lua: &Lua) -> Result<Value> {
        lua.check_key(&self.key)?;
        Ok(self.value)
    }

    /// A `Send + Sync` key for the same function (to store in ECS components).
    pub fn to_registry_key(&self, lua: &mut Lua) -> Result<RegistryKey> {
        let v = self.raw(lua)?;
        Ok(lua.root(v))
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Function({:#x})", self.value.addr())
    }
}

/// An owned Lua value whose heap objects are rooted: safe to keep across calls.
///
/// ```
/// use selenite::api::{Lua, LuaValue};
///
/// let mut lua = Lua::new();
/// let v: LuaValue = lua.exec("return 1.5", "=v").unwrap();
/// assert!(matches!(v, LuaValue::Number(x) if x == 1.5));
/// let v: LuaValue = lua.exec("return {}", "=v").unwrap();
/// assert_eq!(v.type_name(), "table");
/// ```
#[derive(Clone, Debug, Default)]
pub enum LuaValue {
    #[default]
    Nil,
    Boolean(bool),
    Integer(i64),
    Number(f64),
    String(LuaString),
    Table(Table),
    Function(Function),
    UserData(AnyUserData),
    Thread(Thread),
    LightUserData(usize),
    /// A host value (see [`crate::Value::Host`]): plain data, no handle needed.
    Host {
        class: u32,
        bits: u64,
    },
}

impl LuaValue {
    pub fn type_name(&self) -> &'static str {
        match self {
            LuaValue::Nil => "nil",
            LuaValue::Boolean(_) => "boolean",
            LuaValue::Integer(_) | LuaValue::Number(_) => "number",
            LuaValue::String(_) => "string",
            LuaValue::Table(_) => "table",
            LuaValue::Function(_) => "function",
            LuaValue::UserData(_) | LuaValue::LightUserData(_) | LuaValue::Host { .. } => {
                "userdata"
            }
            LuaValue::Thread(_) => "thread",
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, LuaValue::Nil)
    }
}

impl Table {
    /// `t[key]` with metamethods (`__index`), as a script would read it.
    pub fn get<K: super::IntoLua, V: super::FromLua>(&self, lua: &mut Lua, key: K) -> Result<V> {
        let t = self.raw(lua)?;
        let k = key.into_lua(lua)?;
        let func = lua.vm.top;
        // Keep the key on the stack (a root) while `__index` may run.
        lua.vm.push(k);
        let r = lua.vm.index_value(t, k);
        lua.vm.top = func;
        match r {
            Ok(v) => V::from_lua(v, lua),
            Err(e) => Err(lua.runtime_error(e)),
        }
    }

    /// `t[key] = value` with metamethods (`__newindex`); a frozen table refuses it.
    pub fn set<K: super::IntoLua, V: super::IntoLua>(
        &self,
        lua: &mut Lua,
        key: K,
        value: V,
    ) -> Result<()> {
        let t = self.raw(lua)?;
        let func = lua.vm.top;
        let k = key.into_lua(lua)?;
        lua.vm.push(k);
        let v = value.into_lua(lua)?;
        lua.vm.push(v);
        let r = lua.vm.set_index_value(t, k, v);
        lua.vm.top = func;
        r.map_err(|e| lua.runtime_error(e))
    }

    /// `rawget(t, key)`.
    pub fn raw_get<K: super::IntoLua, V: super::FromLua>(
        &self,
        lua: &mut Lua,
        key: K,
    ) -> Result<V> {
        self.raw(lua)?;
        let k = key.into_lua(lua)?;
        let v = self.gc.get(k);
        V::from_lua(v, lua)
    }

    /// `rawset(t, key, value)`: no metamethods. Host code may write frozen tables.
    pub fn raw_set<K: super::IntoLua, V: super::IntoLua>(
        &self,
        lua: &mut Lua,
        key: K,
        value: V,
    ) -> Result<()> {
        self.raw(lua)?;
        let k = key.into_lua(lua)?;
        let func = lua.vm.top;
        lua.vm.push(k);
        let v = value.into_lua(lua)?;
        lua.vm.top = func;
        lua.vm
            .raw_set(self.gc, k, v)
            .map_err(|e| lua.runtime_error(e))
    }

    /// `#t` without metamethods (the border of the sequence part).
    pub fn len(&self, lua: &Lua) -> Result<i64> {
        lua.check_key(&self.key)?;
        Ok(self.gc.len())
    }

    /// Is the table empty (no key at all)?
    pub fn is_empty(&self, lua: &Lua) -> Result<bool> {
        lua.check_key(&self.key)?;
        Ok(self.gc.is_empty())
    }

    /// All key/value pairs (raw traversal, as `next`), converted.
    pub fn pairs<K: super::FromLua, V: super::FromLua>(
        &self,
        lua: &mut Lua,
    ) -> Result<Vec<(K, V)>> {
        self.raw(lua)?;
        let mut out = Vec::new();
        let mut key = Value::Nil;
        while let crate::table::Next::Pair(k, v) = self.gc.next(key) {
            key = k;
            out.push((K::from_lua(k, lua)?, V::from_lua(v, lua)?));
        }
        Ok(out)
    }

    /// The values at `1..=#t`, converted.
    pub fn sequence_values<V: super::FromLua>(&self, lua: &mut Lua) -> Result<Vec<V>> {
        self.raw(lua)?;
        let n = self.gc.len();
        let mut out = Vec::with_capacity(n.clamp(0, 1 << 16) as usize);
        for i in 1..=n {
            let v = self.gc.get_int(i);
            out.push(V::from_lua(v, lua)?);
        }
        Ok(out)
    }

    /// The metatable, if any.
    pub fn metatable(&self, lua: &mut Lua) -> Result<Option<Table>> {
        self.raw(lua)?;
        Ok(self.gc.metatable().map(|mt| Table::new(lua, mt)))
    }

    /// Sets or removes the metatable (host code may do it on frozen tables).
    pub fn set_metatable(&self, lua: &mut Lua, mt: Option<&Table>) -> Result<()> {
        self.raw(lua)?;
        let mt = match mt {
            Some(m) => {
                m.raw(lua)?;
                Some(m.gc)
            }
            None => None,
        };
        self.gc.set_metatable(&mut lua.vm_mut().heap, mt);
        Ok(())
    }

    /// Has the table been frozen ([`Lua::freeze`])?
    pub fn is_frozen(&self, lua: &Lua) -> Result<bool> {
        lua.check_key(&self.key)?;
        Ok(self.gc.is_frozen())
    }
}
