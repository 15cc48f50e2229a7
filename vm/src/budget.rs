//! Instruction budgets: slicing execution so that a script can be suspended after about N
//! instructions and resumed later exactly where it stopped, plus the interrupt flag and the
//! total instruction limit.
//!
//! Counting is done at safepoints only (backward jumps, loop instructions and calls), each
//! charging the instructions of the loop body or function it enters; natives charge in
//! proportion to their work with [`Vm::charge`]. The counter (`fuel`) runs down, and only
//! when it goes negative does [`Vm::out_of_fuel`] look at what to do, so the cost per loop
//! iteration is one subtraction and one compare. Overshoot is bounded by one straight-line
//! block (the longest run of instructions between safepoints) plus one native step.
//! A slice can only be suspended when the dispatch loop that started it is on top of the
//! Rust stack; inside a native's callback (e.g. a `table.sort` comparator) the budget
//! runs down further and suspends as soon as control is back at that loop.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{LuaError, LuaResult};
use crate::state::Vm;
use crate::thread::status;
use crate::value::Value;

/// How often the interrupt flag and instruction limit are checked when no slice is active.
const CHECK_QUANTUM: i64 = 1 << 20;
/// Re-check interval while a slice that ran out waits to get back to its own level.
const SMALL_QUANTUM: i64 = 64;

/// Result of running a slice.
#[derive(Debug)]
pub enum SliceOutcome {
    /// The function returned these values.
    Finished(Vec<Value>),
    /// The budget ran out; call [`Vm::resume_slice`] to continue.
    OutOfBudget,
}

/// Budget bookkeeping kept in the VM.
pub struct Budget {
    /// Instructions left before the next check (see module doc).
    pub fuel: i64,
    /// What `fuel` was last set to, to compute how much was used.
    loaded: i64,
    /// A budgeted slice is running: suspend when its fuel is gone.
    pub slice_active: bool,
    /// `c_depth` of the dispatch loop running the slice (suspension only there).
    pub slice_depth: u32,
    /// Instructions charged so far (all slices and unbudgeted runs).
    pub instructions: u64,
    /// Error "instruction limit exceeded" past this many instructions in total.
    pub instruction_limit: Option<u64>,
    /// Set from any thread to stop the running script at the next safepoint.
    pub interrupt: Arc<AtomicBool>,
    /// The interrupt or limit error already raised in this run. It is raised again at
    /// every later safepoint until the host starts a new run, so that a script cannot
    /// catch it with `pcall` and carry on.
    halted: Option<&'static str>,
    /// Instructions run past an exhausted slice while it could not be suspended (inside a
    /// native's callback or a nested coroutine).
    overshoot: u64,
    /// Past this overshoot the run fails with "instruction budget exceeded in a call that
    /// cannot be suspended", so that nothing can hold the host forever.
    pub overshoot_limit: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            fuel: CHECK_QUANTUM,
            loaded: CHECK_QUANTUM,
            slice_active: false,
            slice_depth: 0,
            instructions: 0,
            instruction_limit: None,
            interrupt: Arc::new(AtomicBool::new(false)),
            halted: None,
            overshoot: 0,
            overshoot_limit: 10_000_000,
        }
    }
}

impl Budget {
    /// Moves what was used since the last load into `instructions` and loads `fuel`.
    fn reload(&mut self, fuel: i64) {
        self.instructions = self
            .instructions
            .saturating_add((self.loaded - self.fuel).max(0) as u64);
        self.fuel = fuel;
        self.loaded = fuel;
    }

    /// Forgets a halt of the previous run: called when the host enters the VM afresh.
    pub(crate) fn clear_halt(&mut self) {
        self.halted = None;
    }

    /// Instructions charged so far, including the running quantum.
    pub fn used(&self) -> u64 {
        self.instructions
            .saturating_add((self.loaded - self.fuel).max(0) as u64)
    }
}

impl Vm {
    /// Charges `units` of work done by a native function to the budget. The check happens
    /// at the next safepoint.
    #[inline]
    pub fn charge(&mut self, units: u64) {
        self.budget.fuel = self
            .budget
            .fuel
            .saturating_sub(units.min(i64::MAX as u64) as i64);
    }

    /// A handle that stops the running script from another thread at its next safepoint,
    /// with the error "interrupted".
    pub fn interrupt_handle(&self) -> Arc<AtomicBool> {
        self.budget.interrupt.clone()
    }

    /// Called at a safepoint when `fuel` went negative: suspends the slice, raises the
    /// interrupt or limit errors, or reloads and continues.
    #[cold]
    pub(crate) fn out_of_fuel(&mut self) -> LuaResult<()> {
        if self.heap.alarm {
            let deferred = self.heap.deferred;
            self.collect_garbage();
            if self.heap.still_over_limit(deferred) {
                self.budget.reload(CHECK_QUANTUM);
                return Err(self.memory_error());
            }
        }
        self.check_halt()?;
        if self.budget.slice_active {
            if self.c_depth == self.budget.slice_depth {
                self.budget.reload(0);
                return Err(LuaError::out_of_budget());
            }
            self.budget.overshoot += SMALL_QUANTUM as u64;
            if self.budget.overshoot > self.budget.overshoot_limit {
                self.budget.reload(0);
                return Err(
                    self.vm_error("instruction budget exceeded in a call that cannot be suspended")
                );
            }
            self.budget.reload(SMALL_QUANTUM);
            return Ok(());
        }
        let quantum = match self.budget.instruction_limit {
            Some(limit) => (limit.saturating_sub(self.budget.used()) as i64 + 1).min(CHECK_QUANTUM),
            None => CHECK_QUANTUM,
        };
        self.budget.reload(quantum.max(1));
        Ok(())
    }

    /// Raises the interrupt or limit error the run must stop with, if any, leaving no fuel
    /// so that the next safepoint raises it again.
    fn check_halt(&mut self) -> LuaResult<()> {
        match self.halt_reason() {
            Some(message) => {
                self.budget.halted = Some(message);
                self.budget.reload(0);
                Err(self.vm_error(message))
            }
            None => Ok(()),
        }
    }

    /// The interrupt or limit error the run must stop with, if any.
    fn halt_reason(&mut self) -> Option<&'static str> {
        if self.budget.halted.is_some() {
            return self.budget.halted;
        }
        if self.budget.interrupt.swap(false, Ordering::Relaxed) {
            return Some("interrupted");
        }
        match self.budget.instruction_limit {
            Some(limit) if self.budget.used() > limit => Some("instruction limit exceeded"),
            _ => None,
        }
    }

    /// As [`Vm::out_of_fuel`] where the run can neither be suspended nor collect (a
    /// `return` in progress): raises the interrupt and instruction-limit errors only, and
    /// leaves the fuel negative so that the next safepoint does the rest.
    #[cold]
    pub(crate) fn check_hard_limits(&mut self) -> LuaResult<()> {
        self.check_halt()?;
        if self.budget.slice_active && self.budget.fuel.unsigned_abs() > self.budget.overshoot_limit
        {
            self.budget.reload(0);
            return Err(
                self.vm_error("instruction budget exceeded in a call that cannot be suspended")
            );
        }
        Ok(())
    }

    /// Charges `units` of a native's work, as [`Vm::charge`], and raises the interrupt
    /// and limit errors at once when the fuel is gone: for natives whose loops run as long
    /// as a script says (`table.move(t, 1, 1e15, 2)`), which must not wait for the next
    /// safepoint.
    #[inline]
    pub fn charge_checked(&mut self, units: u64) -> LuaResult<()> {
        self.charge(units);
        if self.budget.fuel < 0 {
            return self.check_hard_limits();
        }
        Ok(())
    }

    /// Starts a slice of `budget` instructions for the dispatch loop at the current
    /// `c_depth`.
    pub(crate) fn begin_slice(&mut self, budget: u64) {
        self.budget.reload(budget.min(i64::MAX as u64) as i64);
        self.budget.slice_active = true;
        self.budget.overshoot = 0;
        self.budget.slice_depth = self.c_depth;
    }

    /// Gives the running slice a fresh budget of `fuel` instructions: a host that runs
    /// several callbacks one after the other in one coroutine (one resume) gives each its
    /// own budget this way, from a native function between them. Outside a slice it only
    /// moves the next check.
    pub fn reload_slice(&mut self, fuel: u64) {
        self.budget.reload(fuel.min(i64::MAX as u64) as i64);
        self.budget.overshoot = 0;
    }

    /// Ends a slice, restoring the enclosing slice state (`begin_slice`'s caller saved it).
    pub(crate) fn end_slice(&mut self, saved: (bool, u32)) {
        (self.budget.slice_active, self.budget.slice_depth) = saved;
        self.budget.reload(CHECK_QUANTUM);
    }

    /// Starts calling `f` with `args` as a budgeted run on the main thread and runs the
    /// first slice of at most about `budget` instructions.
    pub fn call_sliced(
        &mut self,
        f: Value,
        args: &[Value],
        budget: u64,
    ) -> LuaResult<SliceOutcome> {
        let func = self.top;
        self.push(f);
        for &a in args {
            self.push(a);
        }
        self.sliced_base = Some(func);
        let entry = self.frames.len();
        match self.precall(func, -1, status::HOST) {
            Ok(true) => {}
            Ok(false) => {
                self.sliced_base = None;
                let r = self.stack[func..self.top].to_vec();
                self.top = func;
                return Ok(SliceOutcome::Finished(r));
            }
            Err(e) => {
                self.sliced_base = None;
                self.top = func;
                return Err(e);
            }
        }
        self.sliced_entry = entry;
        self.resume_slice(budget)
    }

    /// Continues a run suspended by [`SliceOutcome::OutOfBudget`] for another slice.
    pub fn resume_slice(&mut self, budget: u64) -> LuaResult<SliceOutcome> {
        let Some(func) = self.sliced_base else {
            return Err(self.plain_error("no suspended run to resume"));
        };
        let entry = self.sliced_entry;
        let saved = (self.budget.slice_active, self.budget.slice_depth);
        if self.c_depth == 0 {
            self.budget.clear_halt();
        }
        self.c_depth += 1;
        self.begin_slice(budget);
        let r = self.execute_from(entry);
        self.end_slice(saved);
        self.c_depth -= 1;
        match r {
            Ok(()) => {
                self.sliced_base = None;
                let res = self.stack[func..self.top].to_vec();
                self.top = func;
                Ok(SliceOutcome::Finished(res))
            }
            Err(e) if e.is_budget => Ok(SliceOutcome::OutOfBudget),
            Err(e) => {
                self.sliced_base = None;
                self.top = func;
                Err(e)
            }
        }
    }
}
