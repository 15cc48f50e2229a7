//! Budgeted execution: run a function or coroutine for a slice of about N instructions,
//! then get control back (`OutOfBudget`) and continue later exactly where it stopped.
//! Thin wrappers over [`Vm::call_sliced`](crate::Vm::call_sliced),
//! [`Vm::resume_slice`](crate::Vm::resume_slice) and
//! [`Vm::resume_thread_sliced`](crate::Vm::resume_thread_sliced).
//!
//! ```
//! use selenite::api::{Lua, RunOutcome};
//!
//! let mut lua = Lua::new();
//! let f = lua.load("local n = 0 for i = 1, 100000 do n = n + i end return n", "=work").unwrap();
//! let mut slices = 1;
//! let mut outcome = f.call_budget::<_, i64>(&mut lua, (), 10_000).unwrap();
//! while let RunOutcome::OutOfBudget = outcome {
//!     slices += 1;
//!     outcome = lua.resume_budget::<i64>(10_000).unwrap();
//! }
//! assert!(matches!(outcome, RunOutcome::Finished(5000050000)));
//! assert!(slices > 1);
//! ```

use crate::budget::SliceOutcome;
use crate::stdlib::coroutine::Resumed;
use crate::thread::CoStatus;
use crate::value::Value;

use super::convert::{FromLuaMulti, IntoLuaMulti};
use super::error::{Error, Result};
use super::registry::{Function, LuaValue, Thread};
use super::Lua;

/// How a budgeted run stopped.
#[derive(Debug)]
pub enum RunOutcome<R> {
    /// The function returned (converted results).
    Finished(R),
    /// A coroutine yielded these values (only from [`Thread::resume_budget`]).
    Yielded(Vec<LuaValue>),
    /// The budget ran out; continue with [`Lua::resume_budget`] (main-thread run) or
    /// [`Thread::resume_budget`] (coroutine, with no arguments).
    OutOfBudget,
}

impl Lua {
    /// Converts raw result values (fresh from the VM, not yet collectable) via the stack.
    fn convert_results<R: FromLuaMulti>(&mut self, vals: &[Value]) -> Result<R> {
        let base = self.vm.top;
        for &v in vals {
            self.vm.push(v);
        }
        let r = R::from_stack(self, base, vals.len()).map_err(|e| match e {
            Error::BadArgument { cause, .. } => *cause,
            e => e,
        });
        self.vm.top = base;
        r
    }

    fn slice_outcome<R: FromLuaMulti>(
        &mut self,
        r: crate::error::LuaResult<SliceOutcome>,
    ) -> Result<RunOutcome<R>> {
        match r {
            Ok(SliceOutcome::Finished(vals)) => {
                Ok(RunOutcome::Finished(self.convert_results(&vals)?))
            }
            Ok(SliceOutcome::OutOfBudget) => Ok(RunOutcome::OutOfBudget),
            Err(e) => Err(self.runtime_error(e)),
        }
    }

    /// Continues the main-thread run suspended by [`Function::call_budget`] for another
    /// slice of about `budget` instructions.
    pub fn resume_budget<R: FromLuaMulti>(&mut self, budget: u64) -> Result<RunOutcome<R>> {
        self.drain_released();
        let r = self.vm.resume_slice(budget);
        self.slice_outcome(r)
    }

    /// A new coroutine running `f`.
    pub fn create_thread(&mut self, f: &Function) -> Result<Thread> {
        let body = f.raw(self)?;
        self.drain_released();
        let co = self.vm.heap.alloc(crate::thread::Thread::new(body));
        Ok(Thread::new(self, co))
    }
}

impl Function {
    /// Calls the function for at most about `budget` instructions. One budgeted
    /// main-thread run can be suspended at a time; finish it (or let it fail) before
    /// starting another. For many concurrent scripts use coroutines
    /// ([`Thread::resume_budget`]).
    pub fn call_budget<A: IntoLuaMulti, R: FromLuaMulti>(
        &self,
        lua: &mut Lua,
        args: A,
        budget: u64,
    ) -> Result<RunOutcome<R>> {
        let f = self.raw(lua)?;
        let r = with_raw_args(lua, args, |lua, args| lua.vm.call_sliced(f, args, budget))?;
        lua.slice_outcome(r)
    }
}

impl Thread {
    /// Resumes the coroutine for at most about `budget` instructions. After
    /// `OutOfBudget`, resume again with `()` to continue.
    ///
    /// ```
    /// use selenite::api::{Lua, RunOutcome, Thread};
    ///
    /// let mut lua = Lua::new();
    /// let f = lua.load("local a = ... ; local b = coroutine.yield(a + 1) return b * 2", "=co").unwrap();
    /// let co: Thread = lua.create_thread(&f).unwrap();
    /// let RunOutcome::Yielded(v) = co.resume_budget::<_, ()>(&mut lua, 1, 1000).unwrap() else { panic!() };
    /// assert!(matches!(v[0], selenite::api::LuaValue::Integer(2)));
    /// let r = co.resume_budget::<_, i64>(&mut lua, 21, 1000).unwrap();
    /// assert!(matches!(r, RunOutcome::Finished(42)));
    /// assert!(co.is_dead(&lua).unwrap());
    /// ```
    pub fn resume_budget<A: IntoLuaMulti, R: FromLuaMulti>(
        &self,
        lua: &mut Lua,
        args: A,
        budget: u64,
    ) -> Result<RunOutcome<R>> {
        self.resume_inner(lua, args, Some(budget))
    }

    /// Resumes the coroutine without a budget: `Finished` or `Yielded`.
    pub fn resume<A: IntoLuaMulti, R: FromLuaMulti>(
        &self,
        lua: &mut Lua,
        args: A,
    ) -> Result<RunOutcome<R>> {
        self.resume_inner(lua, args, None)
    }

    fn resume_inner<A: IntoLuaMulti, R: FromLuaMulti>(
        &self,
        lua: &mut Lua,
        args: A,
        budget: Option<u64>,
    ) -> Result<RunOutcome<R>> {
        self.raw(lua)?;
        let co = self.gc;
        let r = with_raw_args(lua, args, |lua, args| match budget {
            Some(b) => lua.vm.resume_thread_sliced(co, args, b),
            None => lua.vm.resume_thread(co, args),
        })?;
        match r {
            Ok(Resumed::Returned(vals)) => Ok(RunOutcome::Finished(lua.convert_results(&vals)?)),
            Ok(Resumed::Yielded(vals)) => {
                let base = lua.vm.top;
                for &v in &vals {
                    lua.vm.push(v);
                }
                let mut out = Vec::with_capacity(vals.len());
                let mut err = None;
                for &v in &vals {
                    match <LuaValue as super::FromLua>::from_lua(v, lua) {
                        Ok(x) => out.push(x),
                        Err(e) => {
                            err = Some(e);
                            break;
                        }
                    }
                }
                lua.vm.top = base;
                match err {
                    Some(e) => Err(e),
                    None => Ok(RunOutcome::Yielded(out)),
                }
            }
            Ok(Resumed::OutOfBudget) => Ok(RunOutcome::OutOfBudget),
            Err(e) => Err(lua.runtime_error(e)),
        }
    }

    /// Makes a finished coroutine start `f` afresh at its next resume, reusing its stack
    /// (a host running many short callbacks as coroutines keeps a few threads instead of
    /// creating one per call). Returns `Ok(false)`, changing nothing, unless the coroutine
    /// has not started yet or is dead with no pending to-be-closed variable.
    ///
    /// ```
    /// use selenite::api::{Lua, RunOutcome, Thread};
    ///
    /// let mut lua = Lua::new();
    /// let double = lua.load("return (...) * 2", "=double").unwrap();
    /// let co: Thread = lua.create_thread(&double).unwrap();
    /// let pause = lua.load("coroutine.yield()", "=pause").unwrap();
    /// let paused: Thread = lua.create_thread(&pause).unwrap();
    /// assert!(matches!(paused.resume::<_, ()>(&mut lua, ()).unwrap(), RunOutcome::Yielded(_)));
    /// assert!(!paused.reset(&mut lua, &double).unwrap()); // suspended mid-way
    /// assert!(matches!(co.resume::<_, i64>(&mut lua, 4).unwrap(), RunOutcome::Finished(8)));
    /// let inc = lua.load("return (...) + 1", "=inc").unwrap();
    /// assert!(co.reset(&mut lua, &inc).unwrap());
    /// assert!(matches!(co.resume::<_, i64>(&mut lua, 4).unwrap(), RunOutcome::Finished(5)));
    /// ```
    pub fn reset(&self, lua: &mut Lua, f: &Function) -> Result<bool> {
        lua.check_key(&self.key)?;
        let body = f.raw(lua)?;
        Ok(lua.vm.reset_thread(self.gc, body))
    }

    /// Closes the coroutine as `coroutine.close` does: the pending `__close` handlers of a
    /// suspended coroutine run with nil, those of one that died of an error with that
    /// error; then it is dead. Returns the error a handler raised as `Err`.
    ///
    /// ```
    /// use selenite::api::{Lua, RunOutcome, Thread};
    ///
    /// let mut lua = Lua::new();
    /// let f = lua.load("local r <close> = setmetatable({}, {__close = function() closed = true end})
    ///                   coroutine.yield()", "=co").unwrap();
    /// let co: Thread = lua.create_thread(&f).unwrap();
    /// assert!(matches!(co.resume::<_, ()>(&mut lua, ()).unwrap(), RunOutcome::Yielded(_)));
    /// co.close(&mut lua).unwrap();
    /// assert!(lua.get_global::<bool>("closed").unwrap());
    /// assert!(co.is_dead(&lua).unwrap());
    /// ```
    pub fn close(&self, lua: &mut Lua) -> Result<()> {
        self.close_inner(lua, None)
    }

    /// [`Thread::close`] with the handlers limited to about `budget` instructions in all
    /// (they cannot be suspended: one that overruns fails with "instruction budget
    /// exceeded in a call that cannot be suspended"). For coroutines of untrusted code.
    pub fn close_budget(&self, lua: &mut Lua, budget: u64) -> Result<()> {
        self.close_inner(lua, Some(budget))
    }

    fn close_inner(&self, lua: &mut Lua, budget: Option<u64>) -> Result<()> {
        lua.check_key(&self.key)?;
        lua.drain_released();
        match lua.vm.close_thread(self.gc, budget) {
            None => Ok(()),
            Some(e) => Err(lua.runtime_error(crate::error::LuaError::new(e))),
        }
    }

    /// Has the coroutine finished (returned or failed)?
    pub fn is_dead(&self, lua: &Lua) -> Result<bool> {
        lua.check_key(&self.key)?;
        Ok(self.gc.status.get() == CoStatus::Dead)
    }
}

/// Converts `args` to raw values and runs `run` with them. Up to eight arguments stay in a
/// buffer on the Rust stack (no allocation per call). No collection can happen between
/// the conversion and the VM taking the arguments.
fn with_raw_args<A: IntoLuaMulti, T>(
    lua: &mut Lua,
    args: A,
    run: impl FnOnce(&mut Lua, &[Value]) -> T,
) -> Result<T> {
    lua.drain_released();
    let base = lua.vm.top;
    if let Err(e) = args.push_into_stack(lua) {
        lua.vm.top = base;
        return Err(e);
    }
    let n = lua.vm.top - base;
    let mut inline = [Value::Nil; 8];
    let spilled: Vec<Value>;
    let raw: &[Value] = if n <= inline.len() {
        inline[..n].copy_from_slice(&lua.vm.stack[base..lua.vm.top]);
        &inline[..n]
    } else {
        spilled = lua.vm.stack[base..lua.vm.top].to_vec();
        &spilled
    };
    lua.vm.top = base;
    Ok(run(lua, raw))
}
