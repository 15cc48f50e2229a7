//! Host functions ([`Lua::create_function`]) and calling Lua functions from Rust
//! ([`Function::call`]).

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{LuaError, LuaResult};
use crate::function::NativeClosure;
use crate::state::Vm;
use crate::value::Value;

use super::convert::{FromLuaMulti, IntoLuaMulti};
use super::error::{Error, Result};
use super::registry::Function;
use super::Lua;

impl Function {
    /// Calls the function with `args` and converts its results.
    ///
    /// ```
    /// use selenite::api::{Function, Lua};
    ///
    /// let mut lua = Lua::new();
    /// let f: Function = lua.exec("return function(a, b) return a + b, a .. b end", "=f").unwrap();
    /// let (sum, cat): (i64, String) = f.call(&mut lua, (1, 2)).unwrap();
    /// assert_eq!((sum, cat.as_str()), (3, "12"));
    /// ```
    pub fn call<A: IntoLuaMulti, R: FromLuaMulti>(&self, lua: &mut Lua, args: A) -> Result<R> {
        let f = self.raw(lua)?;
        lua.drain_released();
        let func = lua.vm.top;
        lua.vm.push(f);
        // Arguments go straight onto the stack (a root) as they are converted.
        if let Err(e) = args.push_into_stack(lua) {
            lua.vm.top = func;
            return Err(e);
        }
        if let Err(e) = lua.vm.call_at(func, -1) {
            lua.vm.top = func;
            return Err(lua.runtime_error(e));
        }
        let n = lua.vm.top - func;
        let r = R::from_stack(lua, func, n).map_err(unwrap_position);
        lua.vm.top = func;
        r
    }
}

/// Results are not arguments: report the conversion error itself.
fn unwrap_position(e: Error) -> Error {
    match e {
        Error::BadArgument { cause, .. } => *cause,
        e => e,
    }
}

/// Turns an API error into a Lua error raised by the running host function.
pub(crate) fn raise(vm: &mut Vm, e: Error, nargs: usize, arg_offset: usize) -> LuaError {
    let lua = Lua::from_vm_mut(vm);
    match e {
        Error::BadArgument { pos, cause } => {
            let pos = pos + arg_offset;
            let msg = cause.arg_message(pos <= nargs);
            lua.vm.arg_error(pos, &msg)
        }
        Error::Runtime {
            value: Some(key),
            ref message,
            ..
        } => match lua.key_value(&key) {
            // Re-raise the original error value (a nested call's error passing through).
            Ok(v) if !v.is_nil() => LuaError::new(v),
            _ => lua.vm.plain_error(message),
        },
        Error::Runtime { message, .. } => lua.vm.plain_error(message),
        e => lua.vm.rt_error(e.to_string()),
    }
}

/// Runs host code with panics caught: a panic becomes the Lua error
/// "host function panicked: <message>", and the VM's call state is restored.
pub(crate) fn guarded(
    vm: &mut Vm,
    base: usize,
    nargs: usize,
    body: impl FnOnce(&mut Lua) -> Result<usize>,
) -> LuaResult<usize> {
    guarded_at(vm, base + nargs, nargs, body)
}

/// As [`guarded`] for the direct form of a field handler (see
/// [`NativeClosure::direct`]), whose `nargs` operands are not on the stack.
pub(crate) fn guarded_direct<R>(
    vm: &mut Vm,
    nargs: usize,
    body: impl FnOnce(&mut Lua) -> Result<R>,
) -> LuaResult<R> {
    let top = vm.top;
    guarded_at(vm, top, nargs, body)
}

fn guarded_at<R>(
    vm: &mut Vm,
    top: usize,
    nargs: usize,
    body: impl FnOnce(&mut Lua) -> Result<R>,
) -> LuaResult<R> {
    let nframes = vm.frames.len();
    let c_depth = vm.c_depth;
    let ntbc = vm.tbc.len();
    let resume_depths = vm.resume_depths.len();
    let r = catch_unwind(AssertUnwindSafe(|| body(Lua::from_vm_mut(vm))));
    match r {
        Ok(Ok(n)) => Ok(n),
        Ok(Err(e)) => Err(raise(vm, e, nargs, 0)),
        Err(payload) => {
            // Whatever the host code was doing (maybe a nested Lua call) is abandoned.
            vm.frames.truncate(nframes);
            vm.c_depth = c_depth;
            vm.tbc.truncate(ntbc);
            vm.resume_depths.truncate(resume_depths);
            vm.close_upvals(top);
            vm.top = top.min(vm.stack.len());
            let msg = if let Some(s) = payload.downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "unknown panic payload".to_string()
            };
            Err(vm.rt_error(format!("host function panicked: {msg}")))
        }
    }
}

/// Builds a host function value from a raw body.
pub(crate) fn native_closure(
    lua: &mut Lua,
    func: Box<crate::function::HostFn>,
    upvals: Vec<Value>,
) -> Value {
    native_closure_direct(lua, func, None, upvals)
}

/// As [`native_closure`], for a userdata `__index`/`__newindex` handler that also has a
/// direct form (see [`NativeClosure::direct`]).
pub(crate) fn native_closure_direct(
    lua: &mut Lua,
    func: Box<crate::function::HostFn>,
    direct: Option<Box<crate::function::DirectFieldFn>>,
    upvals: Vec<Value>,
) -> Value {
    let nc = lua.vm.heap.alloc(NativeClosure {
        func,
        name: "?",
        upvals,
        direct,
    });
    Value::NativeClosure(nc)
}

impl Lua {
    /// Makes a host function callable from Lua. Arguments are converted with
    /// [`FromLuaMulti`] (a tuple for several), results with [`IntoLuaMulti`].
    ///
    /// A conversion failure raises `bad argument #2 to 'spawn' (string expected, got nil)`
    /// (the name is the one the script called it by); an `Err` returned by `f` is raised
    /// as a Lua error; a panic in `f` is caught and raised as
    /// `host function panicked: <message>`.
    ///
    /// ```
    /// use selenite::api::Lua;
    ///
    /// let mut lua = Lua::new();
    /// let spawn = lua
    ///     .create_function(|_, (count, kind): (u32, String)| Ok(format!("{count} x {kind}")))
    ///     .unwrap();
    /// lua.set_global("spawn", spawn).unwrap();
    /// assert_eq!(lua.exec::<String>("return spawn(3, 'orc')", "=m").unwrap(), "3 x orc");
    /// let err = lua.exec::<()>("spawn(3)", "@mods/m.lua").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "mods/m.lua:1: bad argument #2 to 'spawn' (string expected, got no value)"
    /// );
    /// ```
    pub fn create_function<A, R, F>(&mut self, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, A) -> Result<R> + 'static,
    {
        self.drain_released();
        let body = move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            guarded(vm, base, nargs, |lua| {
                let args = A::from_stack(lua, base, nargs)?;
                let r = f(lua, args)?;
                r.push_into_stack(lua)
            })
        };
        let v = native_closure(self, Box::new(body), Vec::new());
        Ok(Function::new(self, v))
    }

    /// As [`Lua::create_function`] for an `FnMut`. A re-entrant call (the function calling
    /// itself through Lua) is an error instead of a double mutable borrow.
    ///
    /// ```
    /// let mut lua = selenite::api::Lua::new();
    /// let mut total = 0;
    /// let add = lua
    ///     .create_function_mut(move |_, n: i64| {
    ///         total += n;
    ///         Ok(total)
    ///     })
    ///     .unwrap();
    /// lua.set_global("add", add).unwrap();
    /// assert_eq!(lua.exec::<i64>("add(2) return add(3)", "=m").unwrap(), 5);
    /// ```
    pub fn create_function_mut<A, R, F>(&mut self, f: F) -> Result<Function>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: FnMut(&mut Lua, A) -> Result<R> + 'static,
    {
        let cell = RefCell::new(f);
        self.create_function(move |lua, args: A| {
            let mut f = cell
                .try_borrow_mut()
                .map_err(|_| Error::runtime("mutable host function called recursively"))?;
            f(lua, args)
        })
    }
}
