//! Sandboxing untrusted scripts (the Luau model): safe libraries only, shared tables frozen,
//! one environment per script.
//!
//! [`Lua::sandboxed`] opens the safe libraries (no `io`, `os` limited to
//! `clock`/`time`/`date`/`difftime`, no `dofile`/`loadfile`, `load` refuses binary chunks and
//! `string.dump` dumps nothing: `Vm::allow_binary_chunks` stays off),
//! then freezes the globals table, every library table in it and the string metatable: a
//! script writing to them gets "attempt to modify a read-only table". Each script runs in
//! its own environment ([`Lua::new_env`]): a table whose `__index` is the frozen globals, so
//! its global variables land in its own table while reads fall back to the shared library.
//! In the sandbox `load` without an explicit environment gives the new chunk the caller's
//! environment (not the shared globals). `tostring` and `string.format('%p')` show no real
//! addresses there: each object's identity is a keyed hash of its address (SipHash with a
//! random key per state), stable for the object's lifetime and unrelated to the layout of
//! the host's memory.
//!
//! ```
//! use selenite::api::Lua;
//!
//! let mut lua = Lua::sandboxed();
//! let env_a = lua.new_env().unwrap();
//! let env_b = lua.new_env().unwrap();
//! lua.load_in("x = 1", "@mods/a.lua", &env_a).unwrap().call::<_, ()>(&mut lua, ()).unwrap();
//! let seen: Option<i64> = lua.load_in("return x", "@mods/b.lua", &env_b).unwrap().call(&mut lua, ()).unwrap();
//! assert_eq!(seen, None);
//! let err = lua.load_in("string.rep = nil", "@mods/a.lua", &env_a).unwrap()
//!     .call::<_, ()>(&mut lua, ()).unwrap_err();
//! assert_eq!(err.to_string(), "mods/a.lua:1: attempt to modify a read-only table");
//! ```

use crate::error::LuaResult;
use crate::state::Vm;
use crate::table::Next;
use crate::value::Value;

use super::error::Result;
use super::function::native_closure;
use super::lua::{root_forever, LibSet};
use super::registry::{Function, Table};
use super::Lua;

impl Lua {
    /// A state for untrusted scripts: see the [module docs](self).
    pub fn sandboxed() -> Lua {
        let mut lua = Lua::with_libs(LibSet::SAFE);
        lua.install_env_load();
        lua.install_safe_collectgarbage();
        // Freeze the shared state.
        let g = lua.vm.globals;
        let mut key = Value::Nil;
        while let Next::Pair(k, v) = g.next(key) {
            if let Value::Table(t) = v {
                t.freeze();
            }
            key = k;
        }
        g.freeze();
        if let Some(mt) = lua.vm.string_meta {
            if let Value::Table(idx) = mt.get_str(lua.vm.intern(b"__index")) {
                idx.freeze();
            }
            mt.freeze();
        }
        lua.state().sandboxed = true;
        lua.state().addr_key = Some(std::collections::hash_map::RandomState::new());
        lua
    }

    /// Replaces `load` by one whose default environment is the caller's `_ENV`.
    fn install_env_load(&mut self) {
        let orig = self.vm.get_global("load");
        if !orig.is_function() {
            return;
        }
        let body = move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            let mut args = [Value::Nil; 4];
            for (i, a) in args.iter_mut().enumerate() {
                *a = vm.arg(base, nargs, i);
            }
            if nargs < 4 {
                args[3] = caller_env(vm);
            }
            let func = vm.top;
            vm.push(orig);
            for a in args {
                vm.push(a);
            }
            vm.call_at(func, -1)?;
            Ok(vm.top - func)
        };
        let f = native_closure(self, Box::new(body), vec![orig]);
        self.vm.set_global("load", f);
    }

    /// Replaces `collectgarbage` by one whose options that tune or stop the collector
    /// (`stop`, `restart`, `setpause`, `setstepmul`, `incremental`, `generational`) do
    /// nothing: the collector is shared by every script of the state, and one mod must not
    /// be able to switch it off for all the others. `collect`, `step`, `count` and
    /// `isrunning` work as usual.
    fn install_safe_collectgarbage(&mut self) {
        let orig = self.vm.get_global("collectgarbage");
        if !orig.is_function() {
            return;
        }
        let body = move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            let opt = vm.arg(base, nargs, 0);
            let neutral: Option<Value> = match opt.as_str() {
                Some(b"stop") | Some(b"restart") => Some(Value::Int(0)),
                Some(b"setpause") => Some(Value::Int(vm.heap.pause as i64)),
                Some(b"setstepmul") => Some(Value::Int(vm.heap.step_mul as i64)),
                Some(b"incremental") | Some(b"generational") => Some(vm.new_str(b"incremental")),
                _ => None,
            };
            if let Some(v) = neutral {
                vm.push(v);
                return Ok(1);
            }
            let func = vm.top;
            vm.push(orig);
            for i in 0..nargs {
                let a = vm.arg(base, nargs, i);
                vm.push(a);
            }
            vm.call_at(func, -1)?;
            Ok(vm.top - func)
        };
        let f = native_closure(self, Box::new(body), vec![orig]);
        self.vm.set_global("collectgarbage", f);
    }

    /// Makes a table read-only for scripts: assignment, `rawset` and `setmetatable` on it
    /// fail with "attempt to modify a read-only table". Host code can still write it with
    /// [`Table::raw_set`]. There is no unfreeze.
    ///
    /// ```
    /// use selenite::api::Lua;
    ///
    /// let mut lua = Lua::new();
    /// let config = lua.create_table_from([("difficulty", 3)]).unwrap();
    /// lua.freeze(&config).unwrap();
    /// lua.set_global("config", &config).unwrap();
    /// let err = lua.exec::<()>("config.difficulty = 0", "@cheat.lua").unwrap_err();
    /// assert_eq!(err.to_string(), "cheat.lua:1: attempt to modify a read-only table");
    /// ```
    pub fn freeze(&mut self, table: &Table) -> Result<()> {
        table.raw(self)?;
        table.gc.freeze();
        Ok(())
    }

    /// A new script environment: an empty table whose `__index` is the globals table
    /// (frozen in a sandbox). Its metatable is shared and frozen.
    pub fn new_env(&mut self) -> Result<Table> {
        self.drain_released();
        let mt = match self.state().env_meta {
            Some(mt) => mt,
            None => {
                let mt = self.vm.new_table();
                root_forever(self, Value::Table(mt));
                let g = Value::Table(self.vm.globals);
                self.vm.set_field(mt, "__index", g);
                // Protected: `setmetatable(_ENV, ...)` fails, `getmetatable` sees the
                // frozen table itself.
                self.vm.set_field(mt, "__metatable", Value::Table(mt));
                mt.freeze();
                self.state().env_meta = Some(mt);
                mt
            }
        };
        let env = self.vm.new_table();
        env.set_metatable(&mut self.vm.heap, Some(mt));
        Ok(Table::new(self, env))
    }

    /// Compiles a chunk whose `_ENV` is `env` (see [`Lua::new_env`]).
    pub fn load_in(
        &mut self,
        source: impl AsRef<[u8]>,
        chunk_name: &str,
        env: &Table,
    ) -> Result<Function> {
        let e = env.raw(self)?;
        self.load_env(source.as_ref(), chunk_name, e)
    }
}

/// The `_ENV` of the Lua function calling the running native, or the globals.
fn caller_env(vm: &Vm) -> Value {
    let n = vm.frames.len();
    if n >= 2 {
        if let Some(cl) = vm.frames[n - 2].closure {
            if let Some(i) = cl.proto.upvalues.iter().position(|u| u.name == "_ENV") {
                if let Some(&u) = cl.upvals.get(i) {
                    return vm.upval_get(u);
                }
            }
        }
    }
    Value::Table(vm.globals)
}
