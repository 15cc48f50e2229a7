//! The coroutine library (`lcorolib.c`) and the thread switch behind it.
//!
//! A resume swaps the coroutine's stack and frames into the VM and runs its dispatch loop;
//! a yield unwinds to that resume as a special error (`LuaError::is_yield`) that leaves the
//! coroutine's frames in place. The `yield` call itself is completed on the next resume.

use crate::args::Args;
use crate::error::{LuaError, LuaResult};
use crate::function::UpState;
use crate::function::{NativeClosure, NativeFn};
use crate::gc::{Gc, GcAny};
use crate::state::{Vm, MAX_C_DEPTH};
use crate::thread::{status, CoStatus, Frame, Thread};
use crate::value::Value;

pub fn open(vm: &mut Vm) {
    let t = vm.new_table();
    let funcs: &[(&str, NativeFn)] = &[
        ("create", create),
        ("resume", resume),
        ("yield", yield_),
        ("status", status_),
        ("wrap", wrap),
        ("isyieldable", isyieldable),
        ("running", running),
        ("close", close),
    ];
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    vm.set_global("coroutine", Value::Table(t));
}

/// A new coroutine running `f`. It inherits the creator's hook mask and count, as in
/// `lua_newthread` (its hook function stays unset until `debug.sethook` sets one).
fn new_thread(vm: &mut Vm, f: Value) -> Gc<Thread> {
    let co = vm.heap.alloc(Thread::new(f));
    let cur = vm.current;
    co.hook_mask.set(cur.hook_mask.get());
    let base_count = cur.hook.get().base_count;
    co.hook.set(crate::thread::HookState {
        base_count,
        count: base_count,
        ..co.hook.get()
    });
    co
}

/// Saves the running thread's state into its object and installs `co`'s.
fn switch_to(vm: &mut Vm, co: Gc<Thread>) -> Gc<Thread> {
    use std::mem::swap;
    let prev = vm.current;
    // Swaps, not takes: a saved state's vectors are empty while its thread runs, so the
    // running thread's go in and the next thread's come out with no drop checks.
    if let Ok(mut s) = prev.saved.try_borrow_mut() {
        swap(&mut s.stack, &mut vm.stack);
        swap(&mut s.frames, &mut vm.frames);
        swap(&mut s.open_upvals, &mut vm.open_upvals);
        swap(&mut s.tbc, &mut vm.tbc);
        swap(&mut s.yield_call, &mut vm.yield_call);
        s.top = vm.top;
    }
    if let Ok(mut s) = co.saved.try_borrow_mut() {
        swap(&mut s.stack, &mut vm.stack);
        swap(&mut s.frames, &mut vm.frames);
        swap(&mut s.open_upvals, &mut vm.open_upvals);
        swap(&mut s.tbc, &mut vm.tbc);
        swap(&mut s.yield_call, &mut vm.yield_call);
        vm.top = s.top;
    }
    vm.current = co;
    prev
}

/// Outcome of resuming a coroutine.
pub enum Resumed {
    /// The body returned these values; the coroutine is dead.
    Returned(Vec<Value>),
    /// The coroutine yielded these values and is suspended.
    Yielded(Vec<Value>),
    /// A budgeted resume ran out of instructions; resume again to continue.
    OutOfBudget,
}

impl Vm {
    /// Resumes `co` with `args` (`lua_resume`). Errors leave the coroutine dead.
    pub fn resume_thread(&mut self, co: Gc<Thread>, args: &[Value]) -> LuaResult<Resumed> {
        self.resume_thread_inner(co, args, None)
    }

    /// Resumes `co` for a slice of at most about `budget` instructions: the outcome is
    /// `Returned`, `Yielded` or `OutOfBudget` (then resume again, with no arguments, to
    /// continue exactly where it stopped).
    pub fn resume_thread_sliced(
        &mut self,
        co: Gc<Thread>,
        args: &[Value],
        budget: u64,
    ) -> LuaResult<Resumed> {
        self.resume_thread_inner(co, args, Some(budget))
    }

    /// Makes the coroutine `co` start afresh with `body` at its next resume, keeping its
    /// allocations (`lua_closethread` followed by a new body). Hosts that run many short
    /// callbacks as coroutines reuse one thread this way instead of creating one per call.
    /// A coroutine that died of an error first runs its pending `__close` handlers (errors
    /// they raise are dropped). Returns false, changing nothing, unless `co` is dead or has
    /// not started yet.
    pub fn reset_thread(&mut self, co: Gc<Thread>, body: Value) -> bool {
        if co.status.get() == CoStatus::Dead && co != self.current {
            // Pending `__close` handlers of a coroutine that died of an error run now, as
            // in `lua_closethread`; an error they raise is dropped with the coroutine.
            if let Some(err) = co.error_value.take() {
                close_pending_of(self, co, err);
            }
        }
        let Ok(mut s) = co.saved.try_borrow_mut() else {
            return false;
        };
        let resettable = match co.status.get() {
            CoStatus::Dead => s.tbc.is_empty(),
            // Not started yet: only the body changes.
            CoStatus::Suspended => s.frames.is_empty() && s.yield_call.is_none(),
            CoStatus::Running | CoStatus::Normal => false,
        };
        if !resettable || co == self.current {
            return false;
        }
        // Upvalues still open on the old stack (after an error) keep their last values.
        for u in std::mem::take(&mut s.open_upvals) {
            if let UpState::Open { index, .. } = u.state.get() {
                let v = s.stack.get(index).copied().unwrap_or(Value::Nil);
                u.state.set(UpState::Closed(v));
                self.heap.barrier_forward(GcAny::UpVal(u), v);
            }
        }
        // The slots of the last run stay as they are: the collector clears the stack of a
        // coroutine that has not started instead of marking it (see `Thread::trace`), and
        // registers are written before they are read. (Clearing here cost every callback
        // of a host running many short coroutines as much as the callback itself.)
        s.top = 0;
        s.frames.clear();
        s.yield_call = None;
        drop(s);
        co.error_value.set(None);
        co.body.set(body);
        self.heap.barrier_forward(GcAny::Thread(co), body);
        co.status.set(CoStatus::Suspended);
        true
    }

    /// `coroutine.close` for hosts: runs the pending `__close` handlers of a suspended
    /// coroutine (with nil) or of one that died of an error (with that error), and leaves
    /// it dead. Returns the error a handler raised, if any. A running or normal coroutine
    /// is left alone (`None`). With a `budget`, the handlers run as one slice: they
    /// cannot be suspended, so a handler that overruns it fails with "instruction budget
    /// exceeded in a call that cannot be suspended" instead of running on.
    pub fn close_thread(&mut self, co: Gc<Thread>, budget: Option<u64>) -> Option<Value> {
        match co.status.get() {
            CoStatus::Running | CoStatus::Normal => None,
            CoStatus::Dead | CoStatus::Suspended => {
                let died_of = co.error_value.take();
                let saved_slice = (self.budget.slice_active, self.budget.slice_depth);
                if let Some(b) = budget {
                    if self.c_depth == 0 {
                        self.budget.clear_halt();
                    }
                    self.begin_slice(b);
                }
                let raised = close_pending_of(self, co, died_of.unwrap_or(Value::Nil));
                if budget.is_some() {
                    self.end_slice(saved_slice);
                }
                raised
            }
        }
    }

    fn resume_thread_inner(
        &mut self,
        co: Gc<Thread>,
        args: &[Value],
        budget: Option<u64>,
    ) -> LuaResult<Resumed> {
        match co.status.get() {
            CoStatus::Dead => return Err(self.plain_error("cannot resume dead coroutine")),
            CoStatus::Running | CoStatus::Normal => {
                return Err(self.plain_error("cannot resume non-suspended coroutine"))
            }
            CoStatus::Suspended => {}
        }
        if self.c_depth >= MAX_C_DEPTH {
            return Err(self.plain_error("C stack overflow"));
        }
        if self.c_depth == 0 {
            self.budget.clear_halt();
        }
        let prev = switch_to(self, co);
        prev.status.set(CoStatus::Normal);
        co.status.set(CoStatus::Running);
        self.c_depth += 1;
        self.resume_depths.push(self.c_depth);
        let saved_slice = (self.budget.slice_active, self.budget.slice_depth);
        if let Some(b) = budget {
            self.begin_slice(b);
        }
        let r = self.run_resumed(co, args);
        if budget.is_some() {
            self.end_slice(saved_slice);
        }
        self.resume_depths.pop();
        self.c_depth -= 1;
        let outcome = match r {
            Ok(()) => {
                co.status.set(CoStatus::Dead);
                Ok(Resumed::Returned(self.stack[..self.top].to_vec()))
            }
            Err(e) if e.is_yield => {
                co.status.set(CoStatus::Suspended);
                Ok(Resumed::Yielded(std::mem::take(&mut self.yield_values)))
            }
            Err(e) if e.is_budget => {
                co.status.set(CoStatus::Suspended);
                Ok(Resumed::OutOfBudget)
            }
            Err(e) => {
                co.status.set(CoStatus::Dead);
                co.error_value.set(Some(e.value));
                self.frames.clear();
                Err(e)
            }
        };
        switch_to(self, prev);
        prev.status.set(CoStatus::Running);
        outcome
    }

    fn run_resumed(&mut self, co: Gc<Thread>, args: &[Value]) -> LuaResult<()> {
        let first_time = self.frames.is_empty() && self.yield_call.is_none();
        if first_time {
            let body = co.body.get();
            self.top = 0;
            self.ensure_stack(args.len() + 8)?;
            self.push(body);
            for &a in args {
                self.push(a);
            }
            return match self.precall(0, -1, status::HOST)? {
                true => self.execute_from(0),
                false => Ok(()),
            };
        }
        // Complete the `yield` call with the resume arguments as its results; a coroutine
        // stopped by its budget just continues.
        let Some(f) = self.yield_call.take() else {
            return self.execute_from(0);
        };
        let first = self.top;
        self.ensure_stack(first + args.len() + 1)?;
        for &a in args {
            self.push(a);
        }
        if self.current.hook_mask.get() != 0 {
            // The `yield` returns now: its return event, with its frame back in place.
            let fi = self.frames.len();
            self.frames.push(f);
            let r = self.hook_return(fi, first, args.len());
            self.frames.truncate(fi);
            r?;
            self.hook_returned();
        }
        self.move_results(f.func, first, args.len(), f.nresults);
        if self.complete_call(f) {
            return Ok(());
        }
        if self.frames.is_empty() {
            return Ok(());
        }
        self.execute_from(0)
    }
}

fn yield_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    if vm.current == vm.main_thread {
        // `luaG_runerror` in `lua_yieldk`: positioned at the running function, the native
        // `yield` itself, so no position.
        return Err(vm.vm_error("attempt to yield from outside a coroutine"));
    }
    if vm.resume_depths.last() != Some(&vm.c_depth) {
        return Err(vm.vm_error("attempt to yield across a C-call boundary"));
    }
    vm.yield_values = vm.stack[base..base + nargs].to_vec();
    let mut e = LuaError::new(Value::Nil);
    e.is_yield = true;
    Err(e)
}

fn check_co(vm: &mut Vm, args: &Args, i: usize) -> LuaResult<Gc<Thread>> {
    match args.get(vm, i) {
        Value::Thread(t) => Ok(t),
        v => Err(vm.type_arg_error(i, "thread", v, !args.is_none(i))),
    }
}

fn create(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let f = args.get(vm, 1);
    if !f.is_function() {
        return Err(vm.type_arg_error(1, "function", f, !args.is_none(1)));
    }
    let co = new_thread(vm, f);
    vm.push(Value::Thread(co));
    Ok(1)
}

fn resume(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let co = check_co(vm, &args, 1)?;
    let rargs: Vec<Value> = vm.stack[base + 1..base + nargs].to_vec();
    match vm.resume_thread(co, &rargs) {
        Ok(Resumed::OutOfBudget) => {
            // Only a host's sliced resume can run out of budget at this level.
            vm.push(Value::Bool(true));
            Ok(1)
        }
        Ok(Resumed::Returned(vals)) | Ok(Resumed::Yielded(vals)) => {
            vm.ensure_stack(vm.top + vals.len() + 1)?;
            vm.push(Value::Bool(true));
            for &v in &vals {
                vm.push(v);
            }
            Ok(vals.len() + 1)
        }
        Err(e) => {
            vm.push(Value::Bool(false));
            vm.push(e.value);
            Ok(2)
        }
    }
}

fn wrap(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let f = args.get(vm, 1);
    if !f.is_function() {
        return Err(vm.type_arg_error(1, "function", f, !args.is_none(1)));
    }
    let co = new_thread(vm, f);
    let nc = vm.heap.alloc(NativeClosure {
        func: Box::new(wrap_aux),
        name: "wrap",
        upvals: vec![Value::Thread(co)],
        direct: None,
    });
    vm.push(Value::NativeClosure(nc));
    Ok(1)
}

fn wrap_aux(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let co = match vm.stack[base - 1] {
        Value::NativeClosure(nc) => match nc.upvals.first() {
            Some(Value::Thread(t)) => *t,
            _ => return Err(vm.rt_error("invalid wrapped coroutine")),
        },
        _ => return Err(vm.rt_error("invalid wrapped coroutine")),
    };
    let rargs: Vec<Value> = vm.stack[base..base + nargs].to_vec();
    match vm.resume_thread(co, &rargs) {
        Ok(Resumed::OutOfBudget) => Ok(0),
        Ok(Resumed::Returned(vals)) | Ok(Resumed::Yielded(vals)) => {
            vm.ensure_stack(vm.top + vals.len() + 1)?;
            for &v in &vals {
                vm.push(v);
            }
            Ok(vals.len())
        }
        Err(mut e) => {
            // The dead coroutine's to-be-closed variables close now (`lua_closethread` in
            // `auxwrap`); an error in a handler replaces the original one.
            if !e.is_suspension() && co.status.get() == CoStatus::Dead {
                let died_of = co.error_value.take().unwrap_or(e.value);
                e.value = close_pending_of(vm, co, died_of).unwrap_or(died_of);
            }
            let is_memory_error = matches!(e.value, Value::Str(s) if s == vm.memory_error_msg);
            if let (Value::Str(s), false) = (e.value, is_memory_error) {
                let pos = vm.where_(1);
                if !pos.is_empty() {
                    let mut b = pos.into_bytes();
                    b.extend_from_slice(s.as_bytes());
                    e.value = vm.new_string_from_vec(b);
                }
            }
            Err(e)
        }
    }
}

fn status_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let co = check_co(vm, &args, 1)?;
    let s = match co.status.get() {
        CoStatus::Suspended => "suspended",
        CoStatus::Running => "running",
        CoStatus::Normal => "normal",
        CoStatus::Dead => "dead",
    };
    let v = vm.new_str(s.as_bytes());
    vm.push(v);
    Ok(1)
}

fn isyieldable(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let co = match args.get(vm, 1) {
        Value::Thread(t) => t,
        _ => vm.current,
    };
    let y =
        co != vm.main_thread && (co != vm.current || vm.resume_depths.last() == Some(&vm.c_depth));
    vm.push(Value::Bool(y));
    Ok(1)
}

fn running(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    let cur = vm.current;
    vm.push(Value::Thread(cur));
    vm.push(Value::Bool(cur == vm.main_thread));
    Ok(2)
}

/// Runs the pending `__close` handlers of the suspended or dead coroutine `co` with the
/// error `err` (nil for a plain close), leaves it dead, and returns the error a handler
/// raised, if any (`lua_closethread`).
fn close_pending_of(vm: &mut Vm, co: Gc<Thread>, err: Value) -> Option<Value> {
    let pending_tbc = co
        .saved
        .try_borrow()
        .map(|s| !s.tbc.is_empty())
        .unwrap_or(false);
    let mut raised = None;
    if pending_tbc {
        let prev = switch_to(vm, co);
        co.status.set(CoStatus::Running);
        prev.status.set(CoStatus::Normal);
        raised = vm.close_pending(0, err);
        vm.frames.clear();
        switch_to(vm, prev);
        prev.status.set(CoStatus::Running);
    } else if let Ok(mut s) = co.saved.try_borrow_mut() {
        s.frames.clear();
    }
    co.status.set(CoStatus::Dead);
    raised
}

fn close(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let co = check_co(vm, &args, 1)?;
    match co.status.get() {
        CoStatus::Running => return Err(vm.rt_error("cannot close a running coroutine")),
        CoStatus::Normal => return Err(vm.rt_error("cannot close a normal coroutine")),
        CoStatus::Dead | CoStatus::Suspended => {}
    }
    let died_of = co.error_value.take();
    let raised = close_pending_of(vm, co, died_of.unwrap_or(Value::Nil));
    match raised.or(died_of) {
        None => {
            vm.push(Value::Bool(true));
            Ok(1)
        }
        Some(e) => {
            vm.push(Value::Bool(false));
            vm.push(e);
            Ok(2)
        }
    }
}

impl Vm {
    /// Completes a call whose results are in place (a resumed `yield`): applies the
    /// status of frame `f`. True if that ends the coroutine's entry frame.
    fn complete_call(&mut self, f: Frame) -> bool {
        self.after_return(f, 0)
    }
}
