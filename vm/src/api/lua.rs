//! The entry type [`Lua`]: owns a [`Vm`] and the API state.

use std::any::TypeId;
use std::sync::Arc;

use crate::error::LuaError;
use crate::gc::Gc;
use crate::state::Vm;
use crate::table::Table as RawTable;
use crate::value::Value;

use super::convert::{FromLua, FromLuaMulti, IntoLua};
use super::error::{Error, Result};
use super::registry::{Function, LuaString, RegistryKey, Shared, Table};

/// API state stored in [`Vm::ext`].
pub(crate) struct ApiState {
    pub(crate) shared: Arc<Shared>,
    pub(crate) next_key: i64,
    /// Keys released and cleared, handed out again first (as `luaL_ref`'s free list), so
    /// the registry table keeps its size however many handles come and go.
    pub(crate) free_keys: Vec<i64>,
    /// Shared metatable per userdata type (rooted in the registry, never released). A
    /// program has a few userdata types: a short list scanned on every userdata creation
    /// beats hashing the `TypeId`. With the type's host class if it is passed as host
    /// values.
    pub(crate) metatables: Vec<(TypeId, Gc<RawTable>, Option<u32>)>,
    /// Metatable of the environments made by `new_env` (rooted in the registry).
    pub(crate) env_meta: Option<Gc<RawTable>>,
    pub(crate) sandboxed: bool,
    /// Keys of the permanent objects (see [`root_forever`]), released with the state.
    pub(crate) permanent: Vec<RegistryKey>,
    /// Set in a sandbox: the secret key of the identities that `tostring` and `%p` show
    /// instead of real addresses (see [`crate::Vm::shown_addr`]).
    pub(crate) addr_key: Option<std::collections::hash_map::RandomState>,
}

impl ApiState {
    fn new() -> ApiState {
        ApiState {
            shared: Arc::new(Shared::default()),
            // Low integer keys are left to the core (registry[2] is the globals table).
            next_key: 1 << 10,
            free_keys: Vec::new(),
            metatables: Vec::new(),
            env_meta: None,
            sandboxed: false,
            permanent: Vec::new(),
            addr_key: None,
        }
    }
}

/// Which standard libraries to open ([`Lua::with_libs`]). Combine with `|`.
///
/// The libraries are whatever [`crate::stdlib`] provides: a set that contains only the safe
/// libraries opens them with [`crate::stdlib::open_safe`] (the `os` library is then limited
/// to `clock`/`time`/`date`/`difftime`), any of `IO`, `DEBUG` or `FILE` opens the trusted
/// set. Library tables not in the set are removed from the globals afterwards.
///
/// ```
/// use selenite::api::{LibSet, Lua};
///
/// let mut lua = Lua::with_libs(LibSet::BASE | LibSet::STRING);
/// assert!(lua.get_global::<Option<selenite::api::Table>>("coroutine").unwrap().is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LibSet(u32);

impl LibSet {
    /// Base functions (`print`, `pairs`, `pcall`, `load`...), always opened.
    pub const BASE: LibSet = LibSet(1);
    pub const COROUTINE: LibSet = LibSet(1 << 1);
    pub const TABLE: LibSet = LibSet(1 << 2);
    pub const STRING: LibSet = LibSet(1 << 3);
    pub const MATH: LibSet = LibSet(1 << 4);
    pub const UTF8: LibSet = LibSet(1 << 5);
    /// `os` (only its safe part unless the set is trusted).
    pub const OS: LibSet = LibSet(1 << 6);
    pub const IO: LibSet = LibSet(1 << 7);
    pub const DEBUG: LibSet = LibSet(1 << 8);
    /// `dofile` and `loadfile`.
    pub const FILE: LibSet = LibSet(1 << 9);
    /// The libraries safe for untrusted scripts.
    pub const SAFE: LibSet = LibSet(0x7f);
    /// Everything.
    pub const ALL: LibSet = LibSet(0x3ff);

    pub const fn contains(self, other: LibSet) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for LibSet {
    type Output = LibSet;
    fn bitor(self, rhs: LibSet) -> LibSet {
        LibSet(self.0 | rhs.0)
    }
}

const LIB_TABLES: &[(LibSet, &str)] = &[
    (LibSet::COROUTINE, "coroutine"),
    (LibSet::TABLE, "table"),
    (LibSet::STRING, "string"),
    (LibSet::MATH, "math"),
    (LibSet::UTF8, "utf8"),
    (LibSet::OS, "os"),
    (LibSet::IO, "io"),
    (LibSet::DEBUG, "debug"),
];

/// A Lua state for a host program: owns the VM, converts values, registers host functions
/// and userdata types, and builds sandboxes.
///
/// `Lua` is not `Send` (the heap is single-threaded); in Bevy keep it in a non-send
/// resource. Handles ([`Table`], [`Function`]...) take the `Lua` as a parameter.
///
/// ```
/// use selenite::api::Lua;
///
/// let mut lua = Lua::new();
/// lua.set_global("speed", 2.5).unwrap();
/// let double = lua
///     .load("return function(x) return x * speed end", "@scripts/util.lua")
///     .unwrap()
///     .call::<_, selenite::api::Function>(&mut lua, ())
///     .unwrap();
/// let r: f64 = double.call(&mut lua, 4).unwrap();
/// assert_eq!(r, 10.0);
/// ```
#[repr(transparent)]
pub struct Lua {
    pub(crate) vm: Vm,
}

impl Default for Lua {
    fn default() -> Self {
        Lua::new()
    }
}

impl Lua {
    /// A trusted state: every library, as the `selenite` command has. It loads binary
    /// chunks (`string.dump` output, verified before it runs; see
    /// [`crate::state::Vm::allow_binary_chunks`] to turn that off): a game can ship
    /// precompiled scripts. States with only the safe libraries (the sandbox) refuse them.
    pub fn new() -> Lua {
        Lua::with_libs(LibSet::ALL)
    }

    /// A state with only the libraries of `libs` (see [`LibSet`]).
    pub fn with_libs(libs: LibSet) -> Lua {
        let mut vm = Vm::new();
        if LibSet::SAFE.contains(libs) {
            crate::stdlib::open_safe(&mut vm);
        } else {
            crate::stdlib::open_trusted(&mut vm);
        }
        let mut lua = Lua::from_vm(vm);
        if !libs.contains(LibSet::FILE) {
            lua.vm.set_global("dofile", Value::Nil);
            lua.vm.set_global("loadfile", Value::Nil);
        }
        for &(set, name) in LIB_TABLES {
            if !libs.contains(set) {
                lua.vm.set_global(name, Value::Nil);
            }
        }
        if !libs.contains(LibSet::STRING) {
            lua.vm.string_meta = None;
        }
        lua
    }

    /// Wraps an existing VM (for hosts that set it up themselves).
    pub fn from_vm(mut vm: Vm) -> Lua {
        vm.ext = Some(Box::new(ApiState::new()));
        Lua { vm }
    }

    /// The `Lua` view of the VM running a host function.
    pub(crate) fn from_vm_mut(vm: &mut Vm) -> &mut Lua {
        // SAFETY: `Lua` is `repr(transparent)` over `Vm`, so the pointer cast is a
        // reinterpretation of the same, uniquely borrowed, object.
        unsafe { &mut *(vm as *mut Vm as *mut Lua) }
    }

    /// The `Lua` view of a VM seen through a shared reference (leaf host fields).
    pub(crate) fn from_vm_ref(vm: &Vm) -> &Lua {
        // SAFETY: as in `from_vm_mut`: `Lua` is `repr(transparent)` over `Vm`.
        unsafe { &*(vm as *const Vm as *const Lua) }
    }

    /// `v` as a host value ([`UserData::HOST_VALUE`](super::UserData::HOST_VALUE)) if
    /// this VM knows `T`'s host class already (it does once a `T` went to Lua through
    /// `IntoLua`); `None` otherwise. For leaf host fields, which cannot register it.
    pub fn known_host_value<T: super::UserData>(&self, v: &T) -> Option<Value> {
        let class = super::userdata::known_host_class::<T>(&self.vm)?;
        Some(Value::Host {
            class,
            bits: v.host_bits(),
        })
    }

    /// The underlying VM (for the low-level API).
    pub fn vm(&self) -> &Vm {
        &self.vm
    }

    /// The underlying VM, mutably. Values obtained through it are not rooted: see
    /// [`crate::gc`] for the rules.
    pub fn vm_mut(&mut self) -> &mut Vm {
        &mut self.vm
    }

    pub(crate) fn state(&mut self) -> &mut ApiState {
        let ok = self
            .vm
            .ext
            .as_ref()
            .is_some_and(|e| e.downcast_ref::<ApiState>().is_some());
        if !ok {
            self.vm.ext = Some(Box::new(ApiState::new()));
        }
        match self
            .vm
            .ext
            .as_mut()
            .and_then(|e| e.downcast_mut::<ApiState>())
        {
            Some(s) => s,
            None => unreachable!("API state installed above"),
        }
    }

    /// The API state, if installed (always, for a `Lua` made by `from_vm` or the
    /// constructors; a host function run by a VM not made so installs it on first use).
    pub(crate) fn state_opt(&self) -> Option<&ApiState> {
        self.vm
            .ext
            .as_ref()
            .and_then(|e| e.downcast_ref::<ApiState>())
    }

    /// The address-hiding key of a sandboxed state.
    pub(crate) fn addr_key(vm: &Vm) -> Option<&std::collections::hash_map::RandomState> {
        vm.ext
            .as_ref()
            .and_then(|e| e.downcast_ref::<ApiState>())
            .and_then(|s| s.addr_key.as_ref())
    }

    /// Is this state sandboxed ([`Lua::sandboxed`])?
    pub fn is_sandboxed(&self) -> bool {
        self.state_opt().is_some_and(|s| s.sandboxed)
    }

    // ---- Errors ---------------------------------------------------------------------------

    /// Converts a VM error into an API error, rooting the error value.
    pub(crate) fn runtime_error(&mut self, e: LuaError) -> Error {
        let message = e.message();
        let value = match e.value {
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => None,
            v => Some(Arc::new(self.root(v))),
        };
        Error::Runtime {
            message,
            value,
            traceback: e.traceback,
        }
    }

    // ---- Loading and running --------------------------------------------------------------

    /// Compiles a chunk. Name it `@path/to/file.lua` so that messages read
    /// `path/to/file.lua:12: ...`, or `=name` for a literal name. The chunk's `_ENV` is the
    /// globals table. `source` may also be a binary chunk (`string.dump` output) if the
    /// state allows them ([`crate::state::Vm::allow_binary_chunks`]; on in [`Lua::new`]).
    ///
    /// ```
    /// use selenite::api::{Error, Lua};
    ///
    /// let mut lua = Lua::new();
    /// let err = lua.load("x = = 1", "@scripts/enemy.lua").unwrap_err();
    /// assert!(matches!(err, Error::Syntax { .. }));
    /// assert_eq!(err.to_string(), "scripts/enemy.lua:1: unexpected symbol near '='");
    /// ```
    pub fn load(&mut self, source: impl AsRef<[u8]>, chunk_name: &str) -> Result<Function> {
        let env = Value::Table(self.vm.globals);
        self.load_env(source.as_ref(), chunk_name, env)
    }

    pub(crate) fn load_env(&mut self, source: &[u8], name: &str, env: Value) -> Result<Function> {
        self.drain_released();
        match self.vm.load_with_env(source, name, env) {
            Ok(f) => Ok(Function::new(self, f)),
            Err(e) => Err(Error::Syntax {
                message: e.message(),
            }),
        }
    }

    /// Loads and runs a chunk, converting its results.
    ///
    /// ```
    /// let mut lua = selenite::api::Lua::new();
    /// let (a, b): (i64, String) = lua.exec("return 1 + 2, 'x'", "=calc").unwrap();
    /// assert_eq!((a, b.as_str()), (3, "x"));
    /// ```
    pub fn exec<R: FromLuaMulti>(
        &mut self,
        source: impl AsRef<[u8]>,
        chunk_name: &str,
    ) -> Result<R> {
        let f = self.load(source, chunk_name)?;
        f.call(self, ())
    }

    // ---- Globals --------------------------------------------------------------------------

    /// The globals table.
    pub fn globals(&mut self) -> Table {
        let g = self.vm.globals;
        Table::new(self, g)
    }

    /// Reads a global variable (raw access to the globals table).
    ///
    /// ```
    /// let mut lua = selenite::api::Lua::new();
    /// lua.exec::<()>("score = 42", "=s").unwrap();
    /// assert_eq!(lua.get_global::<u32>("score").unwrap(), 42);
    /// assert_eq!(lua.get_global::<Option<u32>>("nothing").unwrap(), None);
    /// ```
    pub fn get_global<T: FromLua>(&mut self, name: &str) -> Result<T> {
        self.drain_released();
        let v = self.vm.get_global(name);
        T::from_lua(v, self)
    }

    /// Sets a global variable (raw access: works on a frozen globals table too, as the
    /// host is trusted).
    pub fn set_global(&mut self, name: &str, value: impl IntoLua) -> Result<()> {
        self.drain_released();
        let v = value.into_lua(self)?;
        self.vm.set_global(name, v);
        Ok(())
    }

    // ---- Values ---------------------------------------------------------------------------

    /// A new empty table.
    pub fn create_table(&mut self) -> Result<Table> {
        self.drain_released();
        let t = self.vm.new_table();
        Ok(Table::new(self, t))
    }

    /// A table filled from key/value pairs.
    ///
    /// ```
    /// let mut lua = selenite::api::Lua::new();
    /// let t = lua.create_table_from([("a", 1), ("b", 2)]).unwrap();
    /// assert_eq!(t.get::<_, i64>(&mut lua, "b").unwrap(), 2);
    /// ```
    pub fn create_table_from<K: IntoLua, V: IntoLua>(
        &mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Table> {
        let t = self.create_table()?;
        for (k, v) in pairs {
            t.raw_set(self, k, v)?;
        }
        Ok(t)
    }

    /// A table holding `values` at `1..=n`.
    pub fn create_sequence_from<V: IntoLua>(
        &mut self,
        values: impl IntoIterator<Item = V>,
    ) -> Result<Table> {
        let t = self.create_table()?;
        for (i, v) in values.into_iter().enumerate() {
            t.raw_set(self, i as i64 + 1, v)?;
        }
        Ok(t)
    }

    /// A Lua string from bytes.
    pub fn create_string(&mut self, bytes: impl AsRef<[u8]>) -> Result<LuaString> {
        self.drain_released();
        let s = self.vm.intern(bytes.as_ref());
        Ok(LuaString::new(self, s))
    }

    // ---- Registry -------------------------------------------------------------------------

    /// Keeps a value alive under a new [`RegistryKey`].
    pub fn create_registry_value(&mut self, value: impl IntoLua) -> Result<RegistryKey> {
        let v = value.into_lua(self)?;
        Ok(self.root(v))
    }

    /// The value under a key. A key of another `Lua` gives [`Error::MismatchedLua`].
    pub fn registry_value<T: FromLua>(&mut self, key: &RegistryKey) -> Result<T> {
        let v = self.key_value(key)?;
        T::from_lua(v, self)
    }

    /// Replaces the value under a key.
    pub fn replace_registry_value(&mut self, key: &RegistryKey, value: impl IntoLua) -> Result<()> {
        self.check_key(key)?;
        let v = value.into_lua(self)?;
        let reg = self.vm.registry;
        reg.set_int(&mut self.vm.heap, key.key, v);
        Ok(())
    }

    /// Removes the registry entries of keys and handles dropped since the last API call.
    /// Called automatically by most API calls; exposed for hosts that want to control when.
    pub fn expire_registry_values(&mut self) {
        self.drain_released();
    }

    // ---- Memory ---------------------------------------------------------------------------

    /// Releases dropped handles, then runs a full garbage collection.
    pub fn collect_garbage(&mut self) {
        self.drain_released();
        if self.vm.frames.is_empty() {
            // Between calls the stack holds no live values: clear it so stale slots do not
            // keep garbage alive.
            let top = self.vm.top;
            for v in &mut self.vm.stack[top..] {
                *v = Value::Nil;
            }
        }
        self.vm.collect_garbage();
    }

    /// Estimated bytes in use by the heap.
    pub fn used_memory(&self) -> usize {
        self.vm.heap.bytes()
    }

    /// Redirects `print` output to `hook` (one call per `print`, newline included).
    pub fn set_print_hook(&mut self, hook: impl FnMut(&[u8]) + 'static) {
        self.vm.print_hook = Some(Box::new(hook));
    }
}

/// Registry keys of the API state's permanent objects (metatables).
pub(crate) fn root_forever(lua: &mut Lua, v: Value) {
    let key = lua.root(v);
    // Kept by the state itself (not forgotten: the key's `Arc<Shared>` would leak).
    lua.state().permanent.push(key);
}
