//! The interpreter: the dispatch loop over Lua 5.4 bytecode, calls and returns, and the
//! completion of instructions interrupted by metamethod calls.
//!
//! Execution is stackless: a Lua-to-Lua call pushes a [`Frame`] and continues in the same
//! loop; so does a metamethod implemented in Lua, whose frame is marked `FINISH_OP` so that
//! its result completes the caller's instruction when it returns (`luaV_finishOp`). Only
//! natives that call back into Lua (and the host) re-enter [`Vm::execute`], bounded by
//! [`crate::state::MAX_C_DEPTH`].
//!
//! The loop is instantiated twice (`run::<HOOKED>`): the normal one has no hook checks at
//! all; the hooked one, used while the running thread has a debug hook, traces every
//! instruction (see [`crate::hook`]). The normal loop looks at the hook mask only on paths
//! that are already slow (after a native call, when the fuel runs out) and then hands over.

use crate::bytecode::*;
use crate::error::{LuaError, LuaResult};
use crate::function::{LuaClosure, NativeFn, Proto};
use crate::gc::Gc;
use crate::number::{self, Number};
use crate::state::{Vm, MAX_C_DEPTH, MAX_TAG_LOOP};
use crate::table::Table;
use crate::thread::{status, Frame};
use crate::value::Value;

/// Where an operand of a failing instruction came from, for "(local 'x')" in messages.
#[derive(Clone, Copy, Debug)]
pub enum Src {
    Reg(u32),
    Upval(u32),
    None,
}

/// Frames deeper than this raise "stack overflow" (Lua-to-Lua recursion).
pub const MAX_FRAMES: usize = 200_000;

/// Stack slots kept allocated above the base of the running Lua frame, so that the dispatch
/// loop can access any register an instruction names (an 8-bit operand plus an offset below
/// 8) without a bounds check.
pub const REG_WINDOW: usize = 256 + 8;

/// Unchecked accesses of the dispatch loop, kept in one place. Callers uphold the invariants
/// stated at each use (`SAFETY:` comments in [`Vm::run`]); debug builds check them.
mod raw {
    use crate::bytecode::{Instruction, OpCode};
    use crate::value::Value;

    /// `s[i]` without a bounds check.
    ///
    /// # Safety
    /// `i < s.len()`.
    #[inline(always)]
    pub(super) unsafe fn get<T: Copy>(s: &[T], i: usize) -> T {
        debug_assert!(i < s.len(), "index {i} out of {}", s.len());
        // SAFETY: the caller guarantees `i < s.len()`.
        unsafe { *s.get_unchecked(i) }
    }

    /// A borrow detached from the lifetime of the `Gc` handle it was reached through.
    ///
    /// # Safety
    /// The object must stay alive and unmodified while the result is used.
    #[inline(always)]
    pub(super) unsafe fn detach<'a, T: ?Sized>(r: &T) -> &'a T {
        // SAFETY: the caller guarantees that the referent outlives every use.
        unsafe { &*(r as *const T) }
    }

    /// `&mut stack[i]` without a bounds check.
    ///
    /// # Safety
    /// `i < stack.len()`.
    #[inline(always)]
    pub(super) unsafe fn slot(stack: &mut [Value], i: usize) -> &mut Value {
        debug_assert!(
            i < stack.len(),
            "register {i} out of a stack of {}",
            stack.len()
        );
        // SAFETY: the caller guarantees `i < stack.len()`.
        unsafe { stack.get_unchecked_mut(i) }
    }

    /// The opcode of an instruction, decoded so that the dispatch `match` compiles to one
    /// jump table indexed by the 7-bit field (numbers past the last opcode: `ExtraArg`,
    /// which does nothing, as `bytecode::get_op`).
    #[inline(always)]
    pub(super) fn op(i: Instruction) -> OpCode {
        let n = (i & 0x7f) as u8;
        if n <= OpCode::ExtraArg as u8 {
            // SAFETY: `OpCode` is `repr(u8)` with the contiguous discriminants
            // `0..=ExtraArg` (checked by the `opcode_numbers_are_contiguous` test).
            unsafe { std::mem::transmute::<u8, OpCode>(n) }
        } else {
            OpCode::ExtraArg
        }
    }

    #[cfg(test)]
    mod tests {
        use crate::bytecode::OpCode;

        #[test]
        fn opcode_numbers_are_contiguous() {
            for (n, &op) in OpCode::ALL.iter().enumerate() {
                assert_eq!(op as usize, n);
                assert_eq!(super::op(n as u32 | 0xABCD_0000 & !0x7f), op);
            }
            assert_eq!(super::op(0x7f), OpCode::ExtraArg);
        }
    }
}

/// One step of `t[key]` for natives that continue with [`Vm::call_then`].
pub enum IndexStep {
    /// The value, found directly or through `__index` tables.
    Value(Value),
    /// A function `__index` to call as `h(obj, key)`.
    Call(Value, Value),
}

/// What a native returns after [`Vm::call_then`] (never a real result count).
pub const CALL_PENDING: usize = usize::MAX;

/// Extra status bit: the comparison result must be negated (`__le` through `__lt`).
const NEGATE: u8 = 32;
/// Extra status bit: an `xpcall` message handler; the stack slot below its function holds
/// the index of the protected frame it unwinds to when it returns.
const HANDLER: u8 = 64;

enum Arith {
    Add,
    Sub,
    Mul,
    Mod,
    Pow,
    Div,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
}

impl Vm {
    // ---- Calls --------------------------------------------------------------------------

    /// Calls the value at `stack[func]` with the arguments `stack[func+1..top]` and runs it
    /// to completion. Results are left at `stack[func..]` (`top` ends them when `nresults`
    /// is -1). Used by natives and the host; nests the dispatch loop.
    pub fn call_at(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        if self.c_depth >= MAX_C_DEPTH {
            return Err(self.c_stack_overflow());
        }
        if self.c_depth == 0 {
            self.budget.clear_halt();
        }
        self.c_depth += 1;
        let entry = self.frames.len();
        let r = match self.precall(func, nresults, status::HOST) {
            Ok(true) => self.execute_from(entry),
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        };
        self.c_depth -= 1;
        r
    }

    /// Pushes a call frame; the frame list's growth is charged to the heap, so that deep
    /// recursion parked in coroutines counts against the memory limit.
    #[inline(always)]
    fn push_frame(&mut self, frame: Frame) {
        if self.frames.len() == self.frames.capacity() {
            self.grow_frames();
        }
        self.frames.push(frame);
    }

    #[cold]
    fn grow_frames(&mut self) {
        let before = self.frames.capacity();
        let frame_size = std::mem::size_of::<Frame>();
        if self.heap.would_exceed(before * frame_size) {
            // Near the memory limit: a few frames at a time, and the next safepoint
            // collects and raises "not enough memory" if that does not make room.
            self.frames.reserve_exact(16);
            self.heap.defer_growth(before * frame_size);
            self.budget.fuel = -1;
        } else {
            self.frames.reserve(before.max(8));
        }
        self.heap
            .add_bytes((self.frames.capacity() - before) * frame_size);
    }

    #[cold]
    fn c_stack_overflow(&mut self) -> LuaError {
        if self.c_depth >= MAX_C_DEPTH + 10 {
            // Error while handling the overflow: give up with a fixed message.
            self.plain_error("error in error handling")
        } else {
            self.vm_error("C stack overflow")
        }
    }

    /// Calls `f` with `args`, returning all its results. Convenience over [`Vm::call_at`].
    pub fn call_function(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let func = self.top;
        self.push(f);
        for &a in args {
            self.push(a);
        }
        self.call_at(func, -1)?;
        let results = self.stack[func..self.top].to_vec();
        self.top = func;
        Ok(results)
    }

    /// Prepares the call of `stack[func]` with arguments up to `top`. Returns `true` when a
    /// Lua frame was pushed (the dispatch loop must run it) and `false` when a native
    /// function already ran and its results are in place.
    pub(crate) fn precall(&mut self, func: usize, nresults: i32, st: u8) -> LuaResult<bool> {
        let mut f = self.stack[func];
        loop {
            match f {
                Value::LuaFn(cl) => return self.precall_lua(func, cl, nresults, st).map(|_| true),
                Value::Native(nf) => return self.call_native(func, nf, nresults, st),
                Value::NativeClosure(_) => {
                    return self.call_native_closure(func, nresults, st);
                }
                _ => {
                    // `__call`: insert the handler below the called object.
                    let h = self.metamethod(f, TagMethod::Call);
                    if h.is_nil() {
                        return Err(self.call_error(func));
                    }
                    self.ensure_stack(self.top + 1)?;
                    self.stack.copy_within(func..self.top, func + 1);
                    self.top += 1;
                    self.stack[func] = h;
                    f = h;
                }
            }
        }
    }

    #[inline(always)]
    fn precall_lua(
        &mut self,
        func: usize,
        cl: Gc<LuaClosure>,
        nresults: i32,
        st: u8,
    ) -> LuaResult<()> {
        let p = cl.proto;
        if p.is_vararg {
            return self.precall_lua_vararg(func, cl, nresults, st);
        }
        if self.frames.len() >= MAX_FRAMES {
            return Err(self.lua_stack_overflow());
        }
        let nargs = self.top - func - 1;
        let nparams = p.num_params as usize;
        let base = func + 1;
        self.ensure_stack(base + p.max_stack_size as usize)?;
        if nargs < nparams {
            for slot in &mut self.stack[base + nargs..base + nparams] {
                *slot = Value::Nil;
            }
        }
        self.push_frame(Frame {
            closure: Some(cl),
            func,
            base,
            pc: 0,
            nresults,
            nvarargs: 0,
            status: st,
            pending: 0,
            cont: None,
        });
        // Safepoint: a call charges the callee's straight-line length.
        self.budget.fuel -= p.code.len() as i64;
        if self.budget.fuel < 0 {
            self.callee_out_of_fuel()?;
        }
        Ok(())
    }

    /// The safepoint of a call, after the callee's frame was pushed. On an error (limit,
    /// interrupt, memory) the frame is removed again: a caller that handles the error
    /// itself, like `pcall`, must not find a half-entered frame on top (it used to run
    /// on as the caller, and a `pcall` retry loop never stopped). A suspension keeps the
    /// frame for the resume.
    #[cold]
    fn callee_out_of_fuel(&mut self) -> LuaResult<()> {
        let r = self.out_of_fuel();
        if let Err(e) = &r {
            if !e.is_suspension() {
                self.frames.pop();
            }
        }
        r
    }

    #[cold]
    #[inline(never)]
    fn lua_stack_overflow(&mut self) -> LuaError {
        self.vm_error("stack overflow")
    }

    /// [`Vm::precall_lua`] for a vararg function: moves the function and fixed parameters
    /// above the arguments, leaving the extra arguments below the new base (as
    /// `luaT_adjustvarargs`).
    #[inline(never)]
    fn precall_lua_vararg(
        &mut self,
        func: usize,
        cl: Gc<LuaClosure>,
        nresults: i32,
        st: u8,
    ) -> LuaResult<()> {
        let p = cl.proto;
        let nargs = self.top - func - 1;
        let nparams = p.num_params as usize;
        let frame_size = p.max_stack_size as usize;
        if self.frames.len() >= MAX_FRAMES {
            return Err(self.lua_stack_overflow());
        }
        self.ensure_stack(self.top + 2 * nparams + 2 + frame_size)?;
        // Complete missing parameters first, so the copy below never overlaps them.
        let mut nargs = nargs;
        while nargs < nparams {
            self.stack[self.top] = Value::Nil;
            self.top += 1;
            nargs += 1;
        }
        let nvarargs = nargs - nparams;
        let newfunc = self.top;
        self.stack[newfunc] = self.stack[func];
        for i in 0..nparams {
            self.stack[newfunc + 1 + i] = self.stack[func + 1 + i];
            self.stack[func + 1 + i] = Value::Nil;
        }
        let base = newfunc + 1;
        self.push_frame(Frame {
            closure: Some(cl),
            func,
            base,
            pc: 0,
            nresults,
            nvarargs: nvarargs as u32,
            status: st,
            pending: 0,
            cont: None,
        });
        // Safepoint: a call charges the callee's straight-line length.
        self.budget.fuel -= p.code.len() as i64;
        if self.budget.fuel < 0 {
            self.callee_out_of_fuel()?;
        }
        Ok(())
    }

    fn call_native(&mut self, func: usize, nf: NativeFn, nresults: i32, st: u8) -> LuaResult<bool> {
        if std::ptr::fn_addr_eq(nf, crate::stdlib::base::pcall as NativeFn) {
            return self.protected_call(func, nresults, st, false);
        }
        if std::ptr::fn_addr_eq(nf, crate::stdlib::base::xpcall as NativeFn) {
            return self.protected_call(func, nresults, st, true);
        }
        let nargs = self.top - func - 1;
        self.ensure_stack(self.top + 20)?;
        self.push_frame(Frame {
            closure: None,
            func,
            base: func + 1,
            pc: 0,
            nresults,
            nvarargs: 0,
            status: st,
            pending: 0,
            cont: None,
        });
        let fi = self.frames.len() - 1;
        let r = if self.current.hook_mask.get() & crate::hook::MASK_CALL != 0 {
            self.hook_call_native(fi, nargs)
                .and_then(|()| nf(self, func + 1, nargs))
        } else {
            nf(self, func + 1, nargs)
        };
        self.native_step(fi, r, false)
    }

    /// Finishes a step of the native in frame `fi` (the top frame): returns its results,
    /// or, when it asked for a call with [`Vm::call_then`], starts that call. `Ok(true)`:
    /// a Lua frame was pushed and the native continues when it returns (the dispatch loop
    /// sees the native frame again); `Ok(false)`: the native finished, results in place.
    ///
    /// `deferred`: the step runs from the dispatch loop (a continuation), where an error is
    /// unwound by `handle_error` with this frame still in place, so a `pcall` that called
    /// the native directly still catches it.
    fn native_step(
        &mut self,
        fi: usize,
        mut r: LuaResult<usize>,
        deferred: bool,
    ) -> LuaResult<bool> {
        loop {
            match r {
                Ok(CALL_PENDING) => {
                    let Some((slot, nres, cont)) = self.pending_call.take() else {
                        r = Err(self.plain_error("native asked for a call without a callee"));
                        continue;
                    };
                    self.frames[fi].cont = Some(cont);
                    match self.precall(slot, nres, 0) {
                        Ok(true) => return Ok(true),
                        Ok(false) => {
                            let base = self.frames[fi].base;
                            r = cont(self, base, self.top - base);
                        }
                        // The callee suspended: this frame waits with its continuation.
                        Err(e) if e.is_suspension() => return Err(e),
                        Err(e) => r = Err(e),
                    }
                }
                Ok(n) => {
                    let hooked = self.current.hook_mask.get() != 0;
                    if hooked {
                        if let Err(e) = self.hook_return(fi, self.top - n, n) {
                            r = Err(e);
                            continue;
                        }
                    }
                    let f = self.frames[fi];
                    self.frames.truncate(fi);
                    if hooked {
                        self.hook_returned();
                    }
                    if self.heap.alarm {
                        self.budget.fuel = -1;
                    }
                    return self.finish_native_return(f.func, n, f.nresults, f.status);
                }
                Err(mut e) => {
                    self.note_uncaught_traceback(&mut e);
                    if deferred && !e.is_suspension() {
                        return Err(e);
                    }
                    let f = self.frames[fi];
                    self.frames.truncate(fi);
                    if self.heap.alarm {
                        self.budget.fuel = -1;
                    }
                    if e.is_yield {
                        self.yield_call = Some(Frame { cont: None, ..f });
                    }
                    return Err(e);
                }
            }
        }
    }

    /// From a native function: calls `stack[slot]` with the arguments `stack[slot+1..top]`
    /// without nesting the dispatch loop, then continues with `cont(vm, base, nargs)`, where
    /// `base..base+nargs` is the native's stack region: its arguments and whatever it
    /// pushed below `slot`, followed by the call's results (`nresults`, -1 for all). The
    /// call may yield or run out of budget; the native then resumes with it. Use as
    /// `return vm.call_then(slot, 1, next_step)`; keep the native's state on its region
    /// (values, or a userdata for Rust state).
    pub fn call_then(&mut self, slot: usize, nresults: i32, cont: NativeFn) -> LuaResult<usize> {
        self.pending_call = Some((slot, nresults, cont));
        Ok(CALL_PENDING)
    }

    fn call_native_closure(&mut self, func: usize, nresults: i32, st: u8) -> LuaResult<bool> {
        let Value::NativeClosure(nc) = self.stack[func] else {
            return Err(self.call_error(func));
        };
        let nargs = self.top - func - 1;
        self.ensure_stack(self.top + 20)?;
        self.push_frame(Frame {
            closure: None,
            func,
            base: func + 1,
            pc: 0,
            nresults,
            nvarargs: 0,
            status: st,
            pending: 0,
            cont: None,
        });
        let fi = self.frames.len() - 1;
        let r = if self.current.hook_mask.get() & crate::hook::MASK_CALL != 0 {
            self.hook_call_native(fi, nargs)
                .and_then(|()| (nc.func)(self, func + 1, nargs))
        } else {
            (nc.func)(self, func + 1, nargs)
        };
        self.native_step(fi, r, false)
    }

    /// For an error that no protected call will catch, records the traceback while the
    /// raising native's frame is still there (so it shows `[C]: in function 'error'`).
    #[cold]
    fn note_uncaught_traceback(&mut self, e: &mut LuaError) {
        if e.traceback.is_some() || e.is_suspension() || self.c_depth > 1 {
            return;
        }
        if self.frames.iter().any(|f| f.status & status::PCALL != 0) {
            return;
        }
        let th = self.current;
        let tb = crate::stdlib::debug::traceback(self, th, None, 0);
        e.traceback = Some(String::from_utf8_lossy(&tb).into_owned());
    }

    /// Moves a native's `n` results (at `top - n`) into place and applies the status of
    /// the call. Always "completed" (`false`) for the caller of `precall`.
    fn finish_native_return(
        &mut self,
        func: usize,
        n: usize,
        nresults: i32,
        st: u8,
    ) -> LuaResult<bool> {
        let first = self.top - n;
        self.move_results(func, first, n, nresults);
        if st & status::FINISH_OP != 0 {
            // The caller's instruction completes from `stack[func]` in the slow path that
            // started the call; nothing to do here.
        }
        Ok(false)
    }

    /// Copies `n` results from `first` to `dest`, adjusting to `wanted` (-1: all).
    #[inline]
    pub(crate) fn move_results(&mut self, dest: usize, first: usize, n: usize, wanted: i32) {
        if wanted < 0 {
            self.stack.copy_within(first..first + n, dest);
            self.top = dest + n;
        } else {
            let wanted = wanted as usize;
            let k = n.min(wanted);
            self.stack.copy_within(first..first + k, dest);
            if dest + wanted > self.stack.len() {
                self.stack.resize(dest + wanted + 1, Value::Nil);
            }
            for slot in &mut self.stack[dest + k..dest + wanted] {
                *slot = Value::Nil;
            }
            self.top = dest + wanted;
        }
    }

    /// `pcall`/`xpcall` without recursion: the called function's frame is marked as the
    /// protection boundary.
    fn protected_call(
        &mut self,
        func: usize,
        nresults: i32,
        st: u8,
        with_handler: bool,
    ) -> LuaResult<bool> {
        let nargs = self.top - func - 1;
        let bad_handler = with_handler && (nargs < 2 || !self.stack[func + 2].is_function());
        if nargs == 0 || bad_handler {
            // Raise the argument error from a frame of pcall's own, as PUC's C function.
            self.push_frame(Frame {
                closure: None,
                func,
                base: func + 1,
                pc: 0,
                nresults,
                nvarargs: 0,
                status: st,
                pending: 0,
                cont: None,
            });
            let e = if !bad_handler {
                self.arg_error(1, "value expected")
            } else {
                let h = self.stack[func + 2];
                self.type_arg_error(2, "function", h, nargs >= 2)
            };
            self.frames.pop();
            return Err(e);
        }
        let mut callee = func + 1;
        let mut pst = status::PCALL;
        if with_handler {
            // [xpcall f h args...] -> [xpcall h f args...]
            self.stack.swap(func + 1, func + 2);
            callee = func + 2;
            pst |= status::XPCALL;
        }
        // A value that cannot be called fails inside pcall's own C frame: no position.
        let mut fv = self.stack[callee];
        for _ in 0..MAX_TAG_LOOP {
            if fv.is_function() {
                break;
            }
            let h = self.metamethod(fv, TagMethod::Call);
            if h.is_nil() {
                break;
            }
            fv = h;
        }
        if !fv.is_function() {
            let t = self.type_name_of(fv);
            let e = self.plain_error(format!("attempt to call a {t} value"));
            return self
                .protected_failure(func, e, nresults, with_handler, callee)
                .map(|_| false);
        }
        let inner_wanted = if nresults < 0 {
            -1
        } else if nresults == 0 {
            0
        } else {
            nresults - 1
        };
        if self.c_depth >= MAX_C_DEPTH {
            let e = self.c_stack_overflow();
            return self
                .protected_failure(func, e, nresults, with_handler, callee)
                .map(|_| false);
        }
        match self.precall(callee, inner_wanted, pst | (st & !status::TAIL)) {
            Ok(true) => {
                // The callee frame carries the caller's status bits too (HOST etc.): its
                // return applies them after the pcall fix-up.
                Ok(true)
            }
            Ok(false) => {
                // A native ran and succeeded: results at callee..top.
                self.pcall_success(func, callee);
                self.adjust_after_pcall(func, nresults);
                Ok(false)
            }
            // A suspension is not an error: the protected frame stays for the resume.
            Err(e) if e.is_suspension() => Err(e),
            Err(e) => self
                .protected_failure(func, e, nresults, with_handler, callee)
                .map(|_| false),
        }
    }

    /// After a successful protected call whose results start at `callee`: place `true`
    /// and the results at `func`.
    fn pcall_success(&mut self, func: usize, callee: usize) {
        let n = self.top - callee;
        if callee != func + 1 {
            self.stack.copy_within(callee..callee + n, func + 1);
        }
        self.stack[func] = Value::Bool(true);
        self.top = func + 1 + n;
    }

    fn adjust_after_pcall(&mut self, func: usize, nresults: i32) {
        let n = self.top - func;
        self.move_results(func, func, n, nresults);
    }

    fn protected_failure(
        &mut self,
        func: usize,
        e: LuaError,
        nresults: i32,
        with_handler: bool,
        _callee: usize,
    ) -> LuaResult<()> {
        let mut value = e.value;
        if with_handler {
            let h = self.stack[func + 1];
            value = self.call_handler(h, value);
        }
        self.stack[func] = Value::Bool(false);
        self.stack[func + 1] = value;
        self.top = func + 2;
        self.adjust_after_pcall(func, nresults);
        if self.current.hook_mask.get() != 0 {
            // The pcall returns to its caller (`rethook`).
            self.hook_returned();
        }
        Ok(())
    }

    /// Runs an `xpcall` message handler on an error value.
    fn call_handler(&mut self, h: Value, err: Value) -> Value {
        let mut err = err;
        // A handler that fails is retried on its own error, as in PUC, until the C stack
        // limit turns it into "error in error handling".
        for _ in 0..(MAX_C_DEPTH as usize + 20) {
            let save_top = self.top;
            // The handler runs on top of the frames that raised the error.
            self.top = self.live_top();
            let r = self.call_function(h, &[err]);
            self.top = save_top;
            match r {
                Ok(vals) => return vals.first().copied().unwrap_or(Value::Nil),
                Err(e) => err = e.value,
            }
            if self.c_depth >= MAX_C_DEPTH {
                break;
            }
        }
        self.new_str(b"error in error handling")
    }

    // ---- The dispatch loop --------------------------------------------------------------

    /// Runs Lua frames until the frame at index `entry` (marked `HOST`) returns. On an
    /// error not caught inside, the frames from `entry` up are removed.
    pub(crate) fn execute_from(&mut self, entry: usize) -> LuaResult<()> {
        loop {
            // Hooked threads run the instantiation that delivers hook events; either
            // instantiation leaves with `Ok(true)` when the mask changed under it.
            let r = if self.current.hook_mask.get() != 0 {
                self.run::<true>(entry)
            } else {
                self.run::<false>(entry)
            };
            match r {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(e) => {
                    if self.handle_error(e, entry)? {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Unwinds to the innermost protected frame at or above `entry`, or, if there is none,
    /// removes the frames from `entry` up and returns the error.
    /// `Ok(true)`: the entry frame itself was the protected call and is now complete.
    fn handle_error(&mut self, e: LuaError, entry: usize) -> LuaResult<bool> {
        if e.is_suspension() {
            // A yield or an exhausted budget leaves every frame in place for the resume.
            return Err(e);
        }
        let mut i = self.frames.len();
        while i > entry {
            i -= 1;
            if self.frames[i].status & status::PCALL != 0 {
                if self.frames[i].status & status::XPCALL != 0 {
                    return self.run_message_handler(i, e.value);
                }
                return Ok(self.unwind_to_pcall(i, e.value));
            }
        }
        let func = self.frames.get(entry).map(|f| f.func).unwrap_or(0);
        let traceback = match e.traceback {
            Some(t) => Some(t),
            // Outermost run, or a coroutine dying: keep where the error happened.
            None if self.c_depth <= 1 || (entry == 0 && self.current != self.main_thread) => {
                // PUC's format (`luaL_traceback` from the error point, as lua.c's handler).
                let th = self.current;
                let tb = crate::stdlib::debug::traceback(self, th, None, 0);
                Some(String::from_utf8_lossy(&tb).into_owned())
            }
            None => None,
        };
        self.frames.truncate(entry);
        // A coroutine dying of an error keeps its pending to-be-closed variables until
        // `coroutine.close` (or `coroutine.wrap`, or a host's reset) closes them, as in
        // PUC's `lua_resume`; everywhere else the error closes them on its way out.
        let value = if entry == 0 && self.current != self.main_thread {
            self.close_upvals(func);
            e.value
        } else {
            self.close_for_error(func, e.value)
        };
        Err(LuaError {
            value,
            traceback,
            is_yield: false,
            is_budget: false,
        })
    }

    /// Calls the message handler of the `xpcall` whose protected frame is `i` on `err`,
    /// on top of the stack where the error happened (as PUC does, so the handler can look
    /// at it with `debug.traceback`). A Lua handler runs as a frame of the dispatch loop
    /// (it may yield); its return unwinds to the `xpcall` (see `after_return`). An error in
    /// the handler calls it again on that error, up to the C-call limit, after which the
    /// result is "error in error handling".
    fn run_message_handler(&mut self, i: usize, err: Value) -> LuaResult<bool> {
        let f = self.frames[i];
        let h = self.stack[f.func - 1];
        let mut err = err;
        loop {
            let running = self.frames[i..]
                .iter()
                .filter(|fr| fr.status & HANDLER != 0)
                .count();
            if running >= MAX_C_DEPTH as usize {
                let v = self.new_str(b"error in error handling");
                return Ok(self.unwind_to_pcall(i, v));
            }
            // [target index][handler][error]: the slot below the handler says where its
            // result goes (frame fields like `pending` belong to the handler's own code).
            let slot = self.live_top() + 1;
            self.ensure_stack(slot + 3)?;
            self.top = slot - 1;
            self.push(Value::Int(i as i64));
            self.push(h);
            self.push(err);
            let r = self.precall(slot, 1, HANDLER);
            match r {
                Ok(true) => return Ok(false),
                Ok(false) => {
                    let v = self.stack[slot];
                    return Ok(self.unwind_to_pcall(i, v));
                }
                Err(e) if e.is_suspension() => return Err(e),
                Err(e) => err = e.value,
            }
        }
    }

    /// Ends the protected call whose frame is `i` with the error value `value`: closes what
    /// is above it, places `false, value` as its results. True if that frame was the entry
    /// of the running `execute_from` (the whole call completed).
    fn unwind_to_pcall(&mut self, i: usize, value: Value) -> bool {
        let f = self.frames[i];
        let with_handler = f.status & status::XPCALL != 0;
        let pcall_slot = if with_handler { f.func - 2 } else { f.func - 1 };
        // The unwound frames' registers hold garbage that must not stay reachable
        // (a memory error would otherwise persist after being caught).
        let extent = self.frames[i..]
            .iter()
            .map(|fr| match fr.closure {
                Some(cl) => fr.base + cl.proto.max_stack_size as usize,
                None => fr.base,
            })
            .max()
            .unwrap_or(0)
            .max(self.top)
            .min(self.stack.len());
        self.frames.truncate(i);
        let value = self.close_for_error(f.func, value);
        for v in &mut self.stack[(pcall_slot + 2).min(extent)..extent] {
            *v = Value::Nil;
        }
        let wanted = if f.nresults < 0 { -1 } else { f.nresults + 1 };
        self.stack[pcall_slot] = Value::Bool(false);
        self.stack[pcall_slot + 1] = value;
        self.top = pcall_slot + 2;
        self.adjust_after_pcall(pcall_slot, wanted);
        if self.current.hook_mask.get() != 0 {
            // The pcall returns to its caller (`rethook`).
            self.hook_returned();
        }
        if f.status & status::HOST != 0 {
            return true;
        }
        if f.status & status::FINISH_OP != 0 {
            self.finish_op(pcall_slot);
        }
        false
    }

    /// Closes upvalues and runs pending `__close` handlers at or above `level` during an
    /// error, returning the (possibly replaced) error value.
    fn close_for_error(&mut self, level: usize, mut err: Value) -> Value {
        self.close_upvals(level);
        while let Some(&slot) = self.tbc.last() {
            if slot < level {
                break;
            }
            self.tbc.pop();
            let v = self.stack[slot];
            let h = self.metamethod(v, TagMethod::Close);
            if h.is_nil() {
                continue;
            }
            let save = self.top;
            self.top = self.top.max(slot + 1);
            if let Err(e) = self.call_function(h, &[v, err]) {
                err = e.value;
            }
            self.top = save;
        }
        err
    }

    /// Runs the pending `__close` handlers at or above `level` outside an error (e.g.
    /// `coroutine.close`), passing `err`; returns the error a handler raised, if any.
    pub(crate) fn close_pending(&mut self, level: usize, err: Value) -> Option<Value> {
        let mut raised = None;
        self.close_upvals(level);
        while let Some(&slot) = self.tbc.last() {
            if slot < level {
                break;
            }
            self.tbc.pop();
            let v = self.stack[slot];
            let h = self.metamethod(v, TagMethod::Close);
            let save = self.top;
            self.top = self.top.max(slot + 1);
            let e = raised.unwrap_or(err);
            if let Err(x) = self.call_function(h, &[v, e]) {
                raised = Some(x.value);
            }
            self.top = save;
        }
        raised
    }

    /// The instruction-level loop. Returns `Ok(false)` when the `entry` frame returns, and
    /// `Ok(true)` (with the running frame's pc saved) when the running thread's hook mask
    /// no longer fits `HOOKED`: `execute_from` then continues in the other instantiation.
    /// With `HOOKED` false, every hook check below compiles away.
    fn run<const HOOKED: bool>(&mut self, entry: usize) -> LuaResult<bool> {
        // The running frame's state, reloaded from `self.frames` whenever the running frame
        // changes (`newframe!`): its index, closure, prototype, register base, next pc,
        // code and constants.
        let mut fi: usize;
        let mut cl: Gc<LuaClosure>;
        let mut p: Gc<Proto>;
        let mut base: usize;
        let mut pc: usize;
        let mut code: &[Instruction];
        let mut k: &[Value];
        macro_rules! load_frame {
            () => {{
                fi = self.frames.len() - 1;
                let mut frame = &self.frames[fi];
                let c = loop {
                    if let Some(c) = frame.closure {
                        break c;
                    }
                    // A native that made a call with `call_then` gets its results.
                    if self.resume_native_frame(fi, entry)? {
                        return Ok(false);
                    }
                    fi = self.frames.len() - 1;
                    frame = &self.frames[fi];
                };
                cl = c;
                p = c.proto;
                base = frame.base;
                pc = frame.pc;
                if HOOKED && pc == 0 && !p.is_vararg {
                    // A fresh frame (a vararg one calls its hook at `VARARGPREP`).
                    self.hook_call_lua(fi)?;
                }
                // SAFETY: the prototype is reachable from the frame's closure, a GC root,
                // until the frame is popped, and these are reloaded whenever the running
                // frame changes; a prototype's code and constants are never mutated.
                code = unsafe { raw::detach(&p.code) };
                k = unsafe { raw::detach(&p.constants) };
                // Verified by `function::verify` when the prototype was loaded: every pc the
                // loop reaches and every constant index in the code are in range.
                debug_assert!(cl.upvals.len() >= p.upvalues.len());
                debug_assert!(pc < code.len());
                // Register accesses are unchecked: keep `REG_WINDOW` slots above `base`.
                if self.stack.len() < base + REG_WINDOW {
                    self.grow_reg_window(base + REG_WINDOW);
                }
            }};
        }
        load_frame!();
        'dispatch: loop {
            // The running frame changed (a call or a return): reload its state.
            macro_rules! newframe {
                () => {{
                    load_frame!();
                    continue 'dispatch;
                }};
            }
            macro_rules! savepc {
                () => {
                    self.frames[fi].pc = pc
                };
            }
            macro_rules! r {
                ($x:expr) => {
                    // SAFETY: `$x` is an instruction operand of at most 8 bits plus an offset
                    // below 8, so `base + $x < base + REG_WINDOW <= stack.len()`: the window
                    // was checked at frame entry and after every call out of this loop that
                    // returns to it (`recheck!`), and the stack never shrinks otherwise.
                    *unsafe { raw::slot(&mut self.stack, base + $x as usize) }
                };
            }
            macro_rules! kst {
                ($x:expr) => {
                    // SAFETY: constant indices were checked by `function::verify`.
                    unsafe { raw::get(k, $x as usize) }
                };
            }
            macro_rules! next_inst {
                () => {
                    // SAFETY: `verify` checked that the instruction after this one exists.
                    unsafe { raw::get(code, pc) }
                };
            }
            // After a call out that returns to this frame: the register window may only
            // have moved if the running thread's stack was swapped (it never is across a
            // call that returns here, but the check is one compare on a slow path).
            macro_rules! recheck {
                () => {
                    if self.stack.len() < base + REG_WINDOW {
                        newframe!();
                    }
                };
            }
            // After a native call returned to this frame (pc saved): a native may have set
            // a hook on this thread (`debug.sethook`), which the hooked loop delivers.
            macro_rules! hook_switch {
                () => {
                    if !HOOKED && self.current.hook_mask.get() != 0 {
                        return Ok(true);
                    }
                };
            }
            macro_rules! upv {
                ($x:expr) => {
                    // SAFETY: `verify` checked upvalue indices against the prototype, and
                    // every closure has at least as many upvalues as its prototype.
                    unsafe { raw::get(&cl.upvals, $x as usize) }
                };
            }
            // `R[A] := R[B] op y` for numbers; otherwise (no pc skip) the following MMBIN*
            // handles strings and metamethods.
            macro_rules! arith {
                ($i:ident, $a:ident, $y:expr, $op:ident, |$i1:ident, $i2:ident| $int:expr, |$f1:ident, $f2:ident| $flt:expr) => {{
                    let x = r!(get_b($i));
                    let y = $y;
                    let v = match (x, y) {
                        (Value::Int($i1), Value::Int($i2)) => $int,
                        (Value::Float($f1), Value::Float($f2)) => Value::Float($flt),
                        (Value::Int($f1), Value::Float($f2)) => {
                            let $f1 = $f1 as f64;
                            Value::Float($flt)
                        }
                        (Value::Float($f1), Value::Int($f2)) => {
                            let $f2 = $f2 as f64;
                            Value::Float($flt)
                        }
                        _ => continue 'dispatch,
                    };
                    r!($a) = v;
                    pc += 1;
                    let _ = Arith::$op;
                }};
            }
            // Bitwise `R[A] := R[B] op y` for integers (and floats with integral values).
            macro_rules! bitwise {
                ($i:ident, $a:ident, $y:expr, $op:ident, |$i1:ident, $i2:ident| $int:expr) => {{
                    let x = r!(get_b($i));
                    let y = $y;
                    let v = match (x, y) {
                        (Value::Int($i1), Value::Int($i2)) => Value::Int($int),
                        _ => {
                            savepc!();
                            match self.arith_fast(&Arith::$op, x, y)? {
                                Some(v) => v,
                                None => continue 'dispatch,
                            }
                        }
                    };
                    r!($a) = v;
                    pc += 1;
                }};
            }
            // `if ((R[A] op R[B]) ~= k) then pc++` (`le`: the operator is `<=`).
            macro_rules! compare {
                ($i:ident, $a:ident, $le:expr, |$x:ident, $y:ident| $cmp:expr) => {{
                    let x = r!($a);
                    let y = r!(get_b($i));
                    let res = match (x, y) {
                        (Value::Int($x), Value::Int($y)) => $cmp,
                        (Value::Float($x), Value::Float($y)) => $cmp,
                        _ => {
                            self.top = base + p.max_stack_size as usize;
                            slow!(self.compare(x, y, $le).map(|o| o.map(Value::Bool))).truthy()
                        }
                    };
                    cond_jump!(res, $i);
                }};
            }
            // `if ((R[A] op sB) ~= k) then pc++` (`le`: `<=`/`>=`; `swap`: `>`/`>=`, done as
            // `sB < R[A]`/`sB <= R[A]` by the metamethod path).
            macro_rules! compare_imm {
                ($i:ident, $a:ident, $le:expr, $swap:expr, |$x:ident, $y:ident| $cmp:expr) => {{
                    let x = r!($a);
                    let imm = get_sb($i) as i64;
                    let res = match x {
                        Value::Int($x) => {
                            let $y = imm;
                            $cmp
                        }
                        Value::Float($x) => {
                            let $y = imm as f64;
                            $cmp
                        }
                        _ => {
                            let y = if get_c($i) != 0 {
                                Value::Float(imm as f64)
                            } else {
                                Value::Int(imm)
                            };
                            self.top = base + p.max_stack_size as usize;
                            let r = if $swap {
                                self.compare(y, x, $le)
                            } else {
                                self.compare(x, y, $le)
                            };
                            slow!(r.map(|o| o.map(Value::Bool))).truthy()
                        }
                    };
                    cond_jump!(res, $i);
                }};
            }
            // `R[A] := R[B] op y` through `arith_fast` (operators that can raise errors).
            macro_rules! arith_generic {
                ($i:ident, $a:ident, $y:expr, $op:ident) => {{
                    let x = r!(get_b($i));
                    let y = $y;
                    savepc!();
                    if let Some(v) = self.arith_fast(&Arith::$op, x, y)? {
                        r!($a) = v;
                        pc += 1;
                    }
                }};
            }
            macro_rules! rk {
                ($i:expr) => {
                    if get_k($i) {
                        kst!(get_c($i))
                    } else {
                        r!(get_c($i))
                    }
                };
            }
            // Runs a slow path that may have pushed a Lua frame (`None`): then switch to it.
            macro_rules! slow {
                ($e:expr) => {{
                    savepc!();
                    match $e? {
                        Some(v) => {
                            recheck!();
                            v
                        }
                        None => newframe!(),
                    }
                }};
            }
            // Safepoint on a backward jump: charge the loop body's length.
            macro_rules! charge {
                ($cost:expr) => {{
                    self.budget.fuel -= $cost as i64;
                    if self.budget.fuel < 0 {
                        savepc!();
                        self.out_of_fuel()?;
                        if !HOOKED && self.current.hook_mask.get() != 0 {
                            // A hook was set from somewhere this loop did not see.
                            return Ok(true);
                        }
                    }
                }};
            }
            macro_rules! cond_jump {
                ($cond:expr, $i:expr) => {{
                    if $cond != get_k($i) {
                        pc += 1;
                    } else {
                        let sj = get_sj(next_inst!());
                        pc = (pc as i64 + sj as i64 + 1) as usize;
                        if sj < 0 {
                            // A backward conditional jump (`repeat ... until c`) is a
                            // safepoint like `Jmp`'s.
                            charge!(-sj);
                        }
                    }
                }};
            }

            {
                if HOOKED && self.current.hook_mask.get() == 0 {
                    // The hook was removed: continue unhooked from this instruction.
                    savepc!();
                    return Ok(true);
                }
                // SAFETY: `verify` checked that every pc the loop can reach is in the code.
                let i = unsafe { raw::get(code, pc) };
                pc += 1;
                if HOOKED && raw::op(i) != OpCode::VarargPrep {
                    savepc!();
                    self.trace_exec(fi, pc - 1)?;
                    // The hook ran on this stack; keep the register window (as `recheck!`,
                    // without reloading the frame, whose instruction is already fetched).
                    if self.stack.len() < base + REG_WINDOW {
                        self.grow_reg_window(base + REG_WINDOW);
                    }
                }
                let a = get_a(i) as usize;
                match raw::op(i) {
                    OpCode::Move => r!(a) = r!(get_b(i)),
                    OpCode::LoadI => r!(a) = Value::Int(get_sbx(i) as i64),
                    OpCode::LoadF => r!(a) = Value::Float(get_sbx(i) as f64),
                    OpCode::LoadK => r!(a) = kst!(get_bx(i)),
                    OpCode::LoadKX => {
                        let ax = get_ax(next_inst!());
                        r!(a) = kst!(ax);
                        pc += 1;
                    }
                    OpCode::LoadFalse => r!(a) = Value::Bool(false),
                    OpCode::LFalseSkip => {
                        r!(a) = Value::Bool(false);
                        pc += 1;
                    }
                    OpCode::LoadTrue => r!(a) = Value::Bool(true),
                    OpCode::LoadNil => {
                        let b = get_b(i) as usize;
                        for slot in &mut self.stack[base + a..=base + a + b] {
                            *slot = Value::Nil;
                        }
                    }
                    OpCode::GetUpval => {
                        r!(a) = self.upval_get(upv!(get_b(i)));
                    }
                    OpCode::SetUpval => {
                        let v = r!(a);
                        self.upval_set(upv!(get_b(i)), v);
                    }
                    OpCode::GetTabUp => {
                        let t = self.upval_get(upv!(get_b(i)));
                        let key = kst!(get_c(i));
                        let v = match (t, key) {
                            (Value::Table(tb), Value::Str(s)) => {
                                let v = tb.get_str(s);
                                if v.is_nil() && tb.metatable().is_some() {
                                    slow!(self.index_miss(tb, key))
                                } else {
                                    v
                                }
                            }
                            _ => slow!(self.get_slow(t, key, Src::Upval(get_b(i)), base + a)),
                        };
                        r!(a) = v;
                    }
                    OpCode::GetTable => {
                        let t = r!(get_b(i));
                        let key = r!(get_c(i));
                        let v = match t {
                            Value::Table(tb) => {
                                let v = match key {
                                    Value::Int(n) => tb.get_int(n),
                                    _ => tb.get(key),
                                };
                                if v.is_nil() && tb.metatable().is_some() {
                                    slow!(self.index_miss(tb, key))
                                } else {
                                    v
                                }
                            }
                            _ => slow!(self.get_slow(t, key, Src::Reg(get_b(i)), base + a)),
                        };
                        r!(a) = v;
                    }
                    OpCode::GetI => {
                        let t = r!(get_b(i));
                        let key = Value::Int(get_c(i) as i64);
                        let v = match t {
                            Value::Table(tb) => {
                                let v = tb.get_int(get_c(i) as i64);
                                if v.is_nil() && tb.metatable().is_some() {
                                    slow!(self.index_miss(tb, key))
                                } else {
                                    v
                                }
                            }
                            _ => slow!(self.get_slow(t, key, Src::Reg(get_b(i)), base + a)),
                        };
                        r!(a) = v;
                    }
                    OpCode::GetField => {
                        let t = r!(get_b(i));
                        let key = kst!(get_c(i));
                        let v = match (t, key) {
                            (Value::Table(tb), Value::Str(s)) => {
                                let v = tb.get_str(s);
                                if v.is_nil() && tb.metatable().is_some() {
                                    slow!(self.index_miss(tb, key))
                                } else {
                                    v
                                }
                            }
                            _ => match self.leaf_get(t, key) {
                                Some(v) => v,
                                None => slow!(self.get_slow(t, key, Src::Reg(get_b(i)), base + a)),
                            },
                        };
                        r!(a) = v;
                    }
                    OpCode::SetTabUp => {
                        let t = self.upval_get(upv!(a));
                        let key = kst!(get_b(i));
                        let v = rk!(i);
                        if let (Value::Table(tb), Value::Str(s)) = (t, key) {
                            if self.raw_set_ok(tb, key) {
                                tb.set_str(&mut self.heap, s, v);
                                self.after_table_write();
                                continue 'dispatch;
                            }
                        }
                        self.top = base + p.max_stack_size as usize;
                        slow!(self.set_value(t, key, v, Src::Upval(a as u32)));
                    }
                    OpCode::SetTable => {
                        let t = r!(a);
                        let key = r!(get_b(i));
                        let v = rk!(i);
                        if let Value::Table(tb) = t {
                            match key {
                                Value::Int(n) if self.raw_set_ok(tb, key) => {
                                    tb.set_int(&mut self.heap, n, v);
                                    self.after_table_write();
                                    continue 'dispatch;
                                }
                                Value::Str(s) if self.raw_set_ok(tb, key) => {
                                    tb.set_str(&mut self.heap, s, v);
                                    self.after_table_write();
                                    continue 'dispatch;
                                }
                                _ => {}
                            }
                        }
                        self.top = base + p.max_stack_size as usize;
                        slow!(self.set_value(t, key, v, Src::Reg(a as u32)));
                    }
                    OpCode::SetI => {
                        let t = r!(a);
                        let v = rk!(i);
                        let n = get_b(i) as i64;
                        let key = Value::Int(n);
                        if let Value::Table(tb) = t {
                            if self.raw_set_ok(tb, key) {
                                tb.set_int(&mut self.heap, n, v);
                                self.after_table_write();
                                continue 'dispatch;
                            }
                        }
                        self.top = base + p.max_stack_size as usize;
                        slow!(self.set_value(t, key, v, Src::Reg(a as u32)));
                    }
                    OpCode::SetField => {
                        let t = r!(a);
                        let key = kst!(get_b(i));
                        let v = rk!(i);
                        if let (Value::Table(tb), Value::Str(s)) = (t, key) {
                            if self.raw_set_ok(tb, key) {
                                tb.set_str(&mut self.heap, s, v);
                                self.after_table_write();
                                continue 'dispatch;
                            }
                        }
                        if self.leaf_set(t, key, v) {
                            continue 'dispatch;
                        }
                        self.top = base + p.max_stack_size as usize;
                        slow!(self.set_value(t, key, v, Src::Reg(a as u32)));
                    }
                    OpCode::NewTable => {
                        let b = get_b(i);
                        let mut c = get_c(i) as usize;
                        if get_k(i) {
                            c += get_ax(code[pc]) as usize * (MAXARG_C as usize + 1);
                        }
                        pc += 1;
                        let nhash = if b > 0 { 1usize << (b - 1).min(30) } else { 0 };
                        let t = self.new_table_with(c, nhash);
                        r!(a) = Value::Table(t);
                        savepc!();
                        self.gc_safepoint(base + a + 1)?;
                    }
                    OpCode::SelfOp => {
                        let obj = r!(get_b(i));
                        let key = rk!(i);
                        r!(a + 1) = obj;
                        let v = match (obj, key) {
                            (Value::Table(tb), Value::Str(s)) => {
                                let v = tb.get_str(s);
                                if v.is_nil() && tb.metatable().is_some() {
                                    slow!(self.index_miss(tb, key))
                                } else {
                                    v
                                }
                            }
                            _ => slow!(self.get_slow(obj, key, Src::Reg(get_b(i)), base + a)),
                        };
                        r!(a) = v;
                    }
                    OpCode::AddI => {
                        let x = r!(get_b(i));
                        let imm = get_sc(i) as i64;
                        match x {
                            Value::Int(v) => {
                                r!(a) = Value::Int(v.wrapping_add(imm));
                                pc += 1;
                            }
                            Value::Float(f) => {
                                r!(a) = Value::Float(f + imm as f64);
                                pc += 1;
                            }
                            _ => {}
                        }
                    }
                    OpCode::ShrI => {
                        let x = r!(get_b(i));
                        if let Some(n) = int_operand(x) {
                            r!(a) = Value::Int(number::shift_left(n, -(get_sc(i) as i64)));
                            pc += 1;
                        }
                    }
                    OpCode::ShlI => {
                        let x = r!(get_b(i));
                        if let Some(n) = int_operand(x) {
                            r!(a) = Value::Int(number::shift_left(get_sc(i) as i64, n));
                            pc += 1;
                        }
                    }
                    OpCode::Add => arith!(
                        i,
                        a,
                        r!(get_c(i)),
                        Add,
                        |x, y| Value::Int(x.wrapping_add(y)),
                        |x, y| x + y
                    ),
                    OpCode::Sub => arith!(
                        i,
                        a,
                        r!(get_c(i)),
                        Sub,
                        |x, y| Value::Int(x.wrapping_sub(y)),
                        |x, y| x - y
                    ),
                    OpCode::Mul => arith!(
                        i,
                        a,
                        r!(get_c(i)),
                        Mul,
                        |x, y| Value::Int(x.wrapping_mul(y)),
                        |x, y| x * y
                    ),
                    OpCode::Div => arith!(
                        i,
                        a,
                        r!(get_c(i)),
                        Div,
                        |x, y| Value::Float(x as f64 / y as f64),
                        |x, y| x / y
                    ),
                    OpCode::AddK => arith!(
                        i,
                        a,
                        kst!(get_c(i)),
                        Add,
                        |x, y| Value::Int(x.wrapping_add(y)),
                        |x, y| x + y
                    ),
                    OpCode::SubK => arith!(
                        i,
                        a,
                        kst!(get_c(i)),
                        Sub,
                        |x, y| Value::Int(x.wrapping_sub(y)),
                        |x, y| x - y
                    ),
                    OpCode::MulK => arith!(
                        i,
                        a,
                        kst!(get_c(i)),
                        Mul,
                        |x, y| Value::Int(x.wrapping_mul(y)),
                        |x, y| x * y
                    ),
                    OpCode::DivK => arith!(
                        i,
                        a,
                        kst!(get_c(i)),
                        Div,
                        |x, y| Value::Float(x as f64 / y as f64),
                        |x, y| x / y
                    ),
                    OpCode::BAnd => bitwise!(i, a, r!(get_c(i)), BAnd, |x, y| x & y),
                    OpCode::BOr => bitwise!(i, a, r!(get_c(i)), BOr, |x, y| x | y),
                    OpCode::BXor => bitwise!(i, a, r!(get_c(i)), BXor, |x, y| x ^ y),
                    OpCode::BAndK => bitwise!(i, a, kst!(get_c(i)), BAnd, |x, y| x & y),
                    OpCode::BOrK => bitwise!(i, a, kst!(get_c(i)), BOr, |x, y| x | y),
                    OpCode::BXorK => bitwise!(i, a, kst!(get_c(i)), BXor, |x, y| x ^ y),
                    OpCode::Shl => {
                        bitwise!(i, a, r!(get_c(i)), Shl, |x, y| number::shift_left(x, y))
                    }
                    OpCode::Shr => {
                        bitwise!(i, a, r!(get_c(i)), Shr, |x, y| number::shift_left(
                            x,
                            y.wrapping_neg()
                        ))
                    }
                    OpCode::ModK => arith_generic!(i, a, kst!(get_c(i)), Mod),
                    OpCode::PowK => arith_generic!(i, a, kst!(get_c(i)), Pow),
                    OpCode::IDivK => arith_generic!(i, a, kst!(get_c(i)), IDiv),
                    OpCode::Mod => arith_generic!(i, a, r!(get_c(i)), Mod),
                    OpCode::Pow => arith_generic!(i, a, r!(get_c(i)), Pow),
                    OpCode::IDiv => arith_generic!(i, a, r!(get_c(i)), IDiv),
                    OpCode::MmBin | OpCode::MmBinI | OpCode::MmBinK => {
                        let prev = code[pc - 2];
                        let dest = base + get_a(prev) as usize;
                        let tm = TagMethod::from_u32(get_c(i)).unwrap_or(TagMethod::Add);
                        let ra = r!(a);
                        let (x, y, sx, sy) = match get_op(i) {
                            OpCode::MmBin => {
                                (ra, r!(get_b(i)), Src::Reg(a as u32), Src::Reg(get_b(i)))
                            }
                            OpCode::MmBinI => {
                                let imm = Value::Int(get_sb(i) as i64);
                                if get_k(i) {
                                    (imm, ra, Src::None, Src::Reg(a as u32))
                                } else {
                                    (ra, imm, Src::Reg(a as u32), Src::None)
                                }
                            }
                            _ => {
                                let kv = kst!(get_b(i));
                                if get_k(i) {
                                    (kv, ra, Src::None, Src::Reg(a as u32))
                                } else {
                                    (ra, kv, Src::Reg(a as u32), Src::None)
                                }
                            }
                        };
                        self.top = base + p.max_stack_size as usize;
                        let v = slow!(self.arith_meta(x, y, sx, sy, tm));
                        self.stack[dest] = v;
                    }
                    OpCode::Unm => {
                        let x = r!(get_b(i));
                        let v = match x {
                            Value::Int(n) => Value::Int(n.wrapping_neg()),
                            Value::Float(f) => Value::Float(-f),
                            _ => {
                                self.top = base + p.max_stack_size as usize;
                                let s = Src::Reg(get_b(i));
                                slow!(self.arith_meta(x, x, s, s, TagMethod::Unm))
                            }
                        };
                        r!(a) = v;
                    }
                    OpCode::BNot => {
                        let x = r!(get_b(i));
                        let v = match int_operand(x) {
                            Some(n) => Value::Int(!n),
                            None => {
                                self.top = base + p.max_stack_size as usize;
                                let s = Src::Reg(get_b(i));
                                slow!(self.arith_meta(x, x, s, s, TagMethod::BNot))
                            }
                        };
                        r!(a) = v;
                    }
                    OpCode::Not => r!(a) = Value::Bool(r!(get_b(i)).is_falsy()),
                    OpCode::Len => {
                        let x = r!(get_b(i));
                        self.top = base + p.max_stack_size as usize;
                        let v = slow!(self.len_of(x, Src::Reg(get_b(i))));
                        r!(a) = v;
                    }
                    OpCode::Concat => {
                        let pending = self.frames[fi].pending;
                        let n = if pending != 0 {
                            self.frames[fi].pending = 0;
                            pending as usize
                        } else {
                            get_b(i) as usize
                        };
                        savepc!();
                        slow!(self
                            .concat(base + a, n, base)
                            .map(|o| o.map(|_| Value::Nil)));
                        self.gc_safepoint(base + a + 1)?;
                    }
                    OpCode::Close => {
                        savepc!();
                        self.close_upvals(base + a);
                        if self.tbc.last().is_some_and(|&s| s >= base + a) {
                            self.top = base + p.max_stack_size as usize;
                            slow!(self.close_one_tbc(base + a, fi));
                            // A native `__close` finished: run CLOSE again for the rest.
                            pc -= 1;
                        }
                    }
                    OpCode::Tbc => {
                        let v = r!(a);
                        if v.truthy() && self.metamethod(v, TagMethod::Close).is_nil() {
                            savepc!();
                            let name = crate::debug::local_name(&p, base, a, pc - 1)
                                .unwrap_or_else(|| "?".into());
                            return Err(self
                                .vm_error(format!("variable '{name}' got a non-closable value")));
                        }
                        if v.truthy() {
                            self.tbc.push(base + a);
                        }
                    }
                    OpCode::Jmp => {
                        let sj = get_sj(i);
                        pc = (pc as i64 + sj as i64) as usize;
                        if sj < 0 {
                            charge!(-sj);
                        }
                    }
                    OpCode::Eq => {
                        let x = r!(a);
                        let y = r!(get_b(i));
                        let res = match (x, y) {
                            (Value::Table(t1), Value::Table(t2)) if t1 != t2 => {
                                self.top = base + p.max_stack_size as usize;
                                slow!(self.eq_meta(x, y)).truthy()
                            }
                            (Value::UserData(u1), Value::UserData(u2)) if u1 != u2 => {
                                self.top = base + p.max_stack_size as usize;
                                slow!(self.eq_meta(x, y)).truthy()
                            }
                            (Value::Host { .. }, _) | (_, Value::Host { .. })
                                if x.has_userdata_eq() && y.has_userdata_eq() && !x.raw_eq(&y) =>
                            {
                                self.top = base + p.max_stack_size as usize;
                                slow!(self.eq_meta(x, y)).truthy()
                            }
                            _ => x.raw_eq(&y),
                        };
                        cond_jump!(res, i);
                    }
                    OpCode::Lt => compare!(i, a, false, |x, y| x < y),
                    OpCode::Le => compare!(i, a, true, |x, y| x <= y),
                    OpCode::EqK => {
                        let res = r!(a).raw_eq(&kst!(get_b(i)));
                        cond_jump!(res, i);
                    }
                    OpCode::EqI => {
                        let imm = get_sb(i) as i64;
                        let res = match r!(a) {
                            Value::Int(v) => v == imm,
                            Value::Float(f) => f == imm as f64,
                            _ => false,
                        };
                        cond_jump!(res, i);
                    }
                    OpCode::LtI => compare_imm!(i, a, false, false, |x, y| x < y),
                    OpCode::LeI => compare_imm!(i, a, true, false, |x, y| x <= y),
                    OpCode::GtI => compare_imm!(i, a, false, true, |x, y| x > y),
                    OpCode::GeI => compare_imm!(i, a, true, true, |x, y| x >= y),
                    OpCode::Test => {
                        let res = r!(a).truthy();
                        cond_jump!(res, i);
                    }
                    OpCode::TestSet => {
                        let v = r!(get_b(i));
                        if v.is_falsy() == get_k(i) {
                            pc += 1;
                        } else {
                            r!(a) = v;
                            let sj = get_sj(next_inst!());
                            pc = (pc as i64 + sj as i64 + 1) as usize;
                            if sj < 0 {
                                charge!(-sj);
                            }
                        }
                    }
                    OpCode::Call => {
                        let b = get_b(i) as usize;
                        let nresults = get_c(i) as i32 - 1;
                        let func = base + a;
                        if b != 0 {
                            self.top = func + b;
                        }
                        savepc!();
                        if let Value::LuaFn(ncl) = self.stack[func] {
                            // Lua-to-Lua call: push the frame and continue in this loop.
                            self.precall_lua(func, ncl, nresults, 0)?;
                            newframe!();
                        }
                        if self.precall(func, nresults, 0)? {
                            newframe!();
                        }
                        recheck!();
                        self.gc_safepoint(if nresults < 0 {
                            self.top
                        } else {
                            base + p.max_stack_size as usize
                        })?;
                        hook_switch!();
                    }
                    OpCode::TailCall => {
                        let b = get_b(i) as usize;
                        let func = base + a;
                        if b != 0 {
                            self.top = func + b;
                        }
                        savepc!();
                        if !matches!(self.stack[func], Value::LuaFn(_)) {
                            // A native (or `__call` object) runs as a plain call from this
                            // frame, as PUC does; the `RETURN` that follows returns its
                            // results.
                            if self.precall(func, -1, 0)? {
                                newframe!();
                            }
                            recheck!();
                            hook_switch!();
                            continue;
                        }
                        self.close_upvals(base);
                        let f = self.frames[fi];
                        // Move the called value and its arguments down to the frame's slot.
                        let n = self.top - func;
                        self.stack.copy_within(func..func + n, f.func);
                        self.top = f.func + n;
                        // The caller's frame stays until the call is set up, so that an
                        // error in the call is still attributed (and caught) here.
                        let st = f.status | status::TAIL;
                        match self.precall(f.func, f.nresults, st) {
                            Ok(true) => {
                                self.frames.remove(fi);
                                newframe!();
                            }
                            Ok(false) => {
                                self.frames.remove(fi);
                            }
                            Err(e) => {
                                if e.is_suspension() {
                                    // The callee suspended (a native yielded, or the new
                                    // frame's budget charge ran out): drop the caller.
                                    self.frames.remove(fi);
                                }
                                return Err(e);
                            }
                        }
                        // A native was tail-called: its results are in place; return them.
                        if self.after_return(f, entry) {
                            return Ok(false);
                        }
                        newframe!();
                    }
                    OpCode::Return => {
                        let mut n = get_b(i) as usize;
                        let ra = base + a;
                        if self.frames[fi].pending != 0 {
                            n = self.frames[fi].pending as usize - 1;
                            self.frames[fi].pending = 0;
                        } else if n == 0 {
                            n = self.top.saturating_sub(ra);
                        } else {
                            n -= 1;
                        }
                        if get_k(i) {
                            savepc!();
                            self.close_upvals(base);
                            if self.tbc.last().is_some_and(|&s| s >= base) {
                                self.frames[fi].pending = n as u32 + 1;
                                self.top = (ra + n).max(base + p.max_stack_size as usize);
                                slow!(self.close_one_tbc(base, fi));
                                self.frames[fi].pc = pc - 1;
                                newframe!();
                            }
                        }
                        if HOOKED {
                            savepc!();
                            self.hook_return(fi, ra, n)?;
                        }
                        if n > 64 {
                            // Returning many values is work (quadratic in `return x, f()`
                            // chains): charge it and check the hard limits here.
                            self.budget.fuel -= n as i64;
                            if self.budget.fuel < 0 {
                                savepc!();
                                self.check_hard_limits()?;
                            }
                        }
                        let f = self.frames[fi];
                        self.frames.pop();
                        if HOOKED {
                            self.hook_returned();
                        }
                        self.move_results(f.func, ra, n, f.nresults);
                        if self.after_return(f, entry) {
                            return Ok(false);
                        }
                        newframe!();
                    }
                    OpCode::Return0 => {
                        if HOOKED {
                            savepc!();
                            self.hook_return(fi, base + a, 0)?;
                        }
                        let f = self.frames[fi];
                        self.frames.pop();
                        if HOOKED {
                            self.hook_returned();
                        }
                        if f.status == 0 && f.nresults >= 0 {
                            // Plain Lua-to-Lua return: fill the wanted results with nil.
                            let wanted = f.nresults as usize;
                            for slot in &mut self.stack[f.func..f.func + wanted] {
                                *slot = Value::Nil;
                            }
                            self.top = f.func + wanted;
                            if self.frames.len() <= entry {
                                return Ok(false);
                            }
                            newframe!();
                        }
                        self.move_results(f.func, base, 0, f.nresults);
                        if self.after_return(f, entry) {
                            return Ok(false);
                        }
                        newframe!();
                    }
                    OpCode::Return1 => {
                        if HOOKED {
                            savepc!();
                            self.hook_return(fi, base + a, 1)?;
                        }
                        let f = self.frames[fi];
                        self.frames.pop();
                        if HOOKED {
                            self.hook_returned();
                        }
                        if f.status == 0 {
                            // Plain Lua-to-Lua return of one value (the caller's registers
                            // hold `func + wanted`: it is below the stack's end).
                            let v = r!(a);
                            self.stack[f.func] = v;
                            if f.nresults == 1 || f.nresults < 0 {
                                self.top = f.func + 1;
                            } else {
                                let wanted = f.nresults as usize;
                                for slot in &mut self.stack[f.func + 1..f.func + wanted.max(1)] {
                                    *slot = Value::Nil;
                                }
                                self.top = f.func + wanted;
                            }
                            if self.frames.len() <= entry {
                                return Ok(false);
                            }
                            newframe!();
                        }
                        self.move_results(f.func, base + a, 1, f.nresults);
                        if self.after_return(f, entry) {
                            return Ok(false);
                        }
                        newframe!();
                    }
                    OpCode::ForLoop => {
                        match (r!(a + 2), r!(a + 1), r!(a)) {
                            (Value::Int(step), Value::Int(count), Value::Int(idx))
                                if count != 0 =>
                            {
                                let idx = idx.wrapping_add(step);
                                r!(a + 1) = Value::Int((count as u64 - 1) as i64);
                                r!(a) = Value::Int(idx);
                                r!(a + 3) = Value::Int(idx);
                                pc -= get_bx(i) as usize;
                                charge!(get_bx(i));
                            }
                            (Value::Float(step), Value::Float(limit), Value::Float(idx)) => {
                                let idx = idx + step;
                                let cont = if step > 0.0 {
                                    idx <= limit
                                } else {
                                    limit <= idx
                                };
                                if cont {
                                    r!(a) = Value::Float(idx);
                                    r!(a + 3) = Value::Float(idx);
                                    pc -= get_bx(i) as usize;
                                    charge!(get_bx(i));
                                }
                            }
                            _ => {}
                        }
                        if self.heap.should_collect() {
                            savepc!();
                            self.gc_safepoint(base + p.max_stack_size as usize)?;
                        }
                    }
                    OpCode::ForPrep => {
                        savepc!();
                        if self.for_prep(base + a)? {
                            pc += get_bx(i) as usize + 1;
                        }
                    }
                    OpCode::TForPrep => {
                        let v = r!(a + 3);
                        if v.truthy() {
                            if self.metamethod(v, TagMethod::Close).is_nil() {
                                savepc!();
                                return Err(self
                                    .vm_error("variable '(for state)' got a non-closable value"));
                            }
                            self.tbc.push(base + a + 3);
                        }
                        pc += get_bx(i) as usize;
                    }
                    OpCode::TForCall => {
                        let ra = base + a;
                        self.stack.copy_within(ra..ra + 3, ra + 4);
                        self.top = ra + 4 + 3;
                        savepc!();
                        if self.precall(ra + 4, get_c(i) as i32, 0)? {
                            newframe!();
                        }
                        recheck!();
                        hook_switch!();
                    }
                    OpCode::TForLoop => {
                        let v = r!(a + 4);
                        if !v.is_nil() {
                            r!(a + 2) = v;
                            pc -= get_bx(i) as usize;
                            charge!(get_bx(i));
                        }
                    }
                    OpCode::SetList => {
                        let mut n = get_b(i) as usize;
                        let mut last = get_c(i) as usize;
                        let ra = base + a;
                        if n == 0 {
                            n = self.top - ra - 1;
                        }
                        if get_k(i) {
                            last += get_ax(code[pc]) as usize * (MAXARG_C as usize + 1);
                            pc += 1;
                        }
                        if let Value::Table(t) = r!(a) {
                            if n > 0 {
                                t.reserve_array(&mut self.heap, last + 1, n);
                            }
                            for j in 1..=n {
                                let v = self.stack[ra + j];
                                t.set_int(&mut self.heap, (last + j) as i64, v);
                            }
                        }
                    }
                    OpCode::Closure => {
                        let np = p.protos[get_bx(i) as usize];
                        let upvals = np
                            .upvalues
                            .iter()
                            .map(|d| {
                                if d.in_stack {
                                    self.find_upval(base + d.index as usize)
                                } else {
                                    cl.upvals[d.index as usize]
                                }
                            })
                            .collect();
                        let ncl = self.heap.alloc(LuaClosure { proto: np, upvals });
                        r!(a) = Value::LuaFn(ncl);
                        savepc!();
                        self.gc_safepoint(base + a + 1)?;
                    }
                    OpCode::Vararg => {
                        let wanted = get_c(i) as i32 - 1;
                        let nva = self.frames[fi].nvarargs as usize;
                        let src = base - 1 - nva;
                        let ra = base + a;
                        let n = if wanted < 0 { nva } else { wanted as usize };
                        savepc!();
                        self.ensure_stack(ra + n + 1)?;
                        for j in 0..n {
                            self.stack[ra + j] = if j < nva {
                                self.stack[src + j]
                            } else {
                                Value::Nil
                            };
                        }
                        if wanted < 0 {
                            self.top = ra + n;
                        }
                    }
                    OpCode::VarargPrep => {
                        if HOOKED {
                            savepc!();
                            self.hook_call_lua(fi)?;
                            // The next instruction is seen as a new line (`OP_VARARGPREP`).
                            let th = self.current;
                            th.hook.set(crate::thread::HookState {
                                old_pc: 1,
                                ..th.hook.get()
                            });
                        }
                    }
                    OpCode::ExtraArg => {}
                }
            }
        }
    }

    /// The dispatch loop found native frame `fi` on top: runs its continuation (it made a
    /// call with `call_then` that has returned). `Ok(true)`: the loop must return.
    #[inline(never)]
    fn resume_native_frame(&mut self, fi: usize, entry: usize) -> LuaResult<bool> {
        let frame = self.frames[fi];
        let Some(cont) = frame.cont else {
            return Err(self.plain_error("internal error: native frame in dispatch loop"));
        };
        let r = cont(self, frame.base, self.top.saturating_sub(frame.base));
        if self.native_step(fi, r, true)? {
            return Ok(false);
        }
        Ok(self.after_return(frame, entry))
    }

    #[cold]
    #[inline(never)]
    fn grow_reg_window(&mut self, n: usize) {
        // Not a Lua-visible stack size: `precall` already checked the frame against
        // `MAX_STACK`; this only keeps the unchecked register window allocated.
        self.heap.add_bytes((n - self.stack.len()) * 16);
        self.stack.resize(n, Value::Nil);
    }

    /// Handles the end of frame `f` (already popped, results moved). Returns true when the
    /// dispatch loop must return to its host caller.
    pub(crate) fn after_return(&mut self, f: Frame, entry: usize) -> bool {
        if f.status & HANDLER != 0 {
            // A message handler returned: its result is the xpcall's error value.
            let v = self.stack[f.func];
            if let Value::Int(target) = self.stack[f.func - 1] {
                let target = target as usize;
                if target < self.frames.len() {
                    return self.unwind_to_pcall(target, v);
                }
            }
            return false;
        }
        if f.status & status::PCALL != 0 {
            let with_handler = f.status & status::XPCALL != 0;
            let slot = if with_handler { f.func - 2 } else { f.func - 1 };
            let n = if f.nresults < 0 {
                self.top - f.func
            } else {
                f.nresults as usize
            };
            self.top = f.func + n;
            self.pcall_success(slot, f.func);
            let wanted = if f.nresults < 0 { -1 } else { f.nresults + 1 };
            self.adjust_after_pcall(slot, wanted);
            if f.status & status::FINISH_OP != 0 {
                self.finish_op(slot);
            }
        } else if f.status & status::FINISH_OP != 0 {
            let v = if f.status & NEGATE != 0 {
                Value::Bool(self.stack[f.func].is_falsy())
            } else {
                self.stack[f.func]
            };
            self.stack[f.func] = v;
            self.finish_op(f.func);
        }
        f.status & status::HOST != 0 || self.frames.len() <= entry
    }

    /// Completes the instruction of the (Lua) frame on top that was interrupted by a
    /// metamethod call whose result is at `stack[res]` (`luaV_finishOp`).
    fn finish_op(&mut self, res: usize) {
        let Some(f) = self.frames.last().copied() else {
            return;
        };
        let Some(cl) = f.closure else { return };
        let code = &cl.proto.code;
        let Some(&inst) = code.get(f.pc.wrapping_sub(1)) else {
            return;
        };
        let base = f.base;
        let v = self.stack[res];
        match get_op(inst) {
            OpCode::MmBin | OpCode::MmBinI | OpCode::MmBinK => {
                if let Some(&prev) = code.get(f.pc.wrapping_sub(2)) {
                    self.stack[base + get_a(prev) as usize] = v;
                }
            }
            OpCode::Unm
            | OpCode::BNot
            | OpCode::Len
            | OpCode::GetTabUp
            | OpCode::GetTable
            | OpCode::GetI
            | OpCode::GetField
            | OpCode::SelfOp => {
                self.stack[base + get_a(inst) as usize] = v;
            }
            OpCode::Lt
            | OpCode::Le
            | OpCode::LtI
            | OpCode::LeI
            | OpCode::GtI
            | OpCode::GeI
            | OpCode::Eq
                if v.truthy() != get_k(inst) =>
            {
                if let Some(last) = self.frames.last_mut() {
                    last.pc += 1;
                }
            }
            OpCode::Concat => {
                // `pending` operands remained when the metamethod was called; the result
                // replaces the last two of them.
                let a = base + get_a(inst) as usize;
                let pending = f.pending as usize;
                self.stack[a + pending - 2] = v;
                if let Some(last) = self.frames.last_mut() {
                    last.pending = (pending - 1) as u32;
                    if pending - 1 > 1 {
                        last.pc -= 1;
                    } else {
                        last.pending = 0;
                        // The result already sits in R[A].
                    }
                }
            }
            OpCode::Close | OpCode::Return => {
                if let Some(last) = self.frames.last_mut() {
                    last.pc -= 1;
                }
            }
            _ => {}
        }
    }

    /// Calls a metamethod for the current instruction: `Some(result)` if it completed
    /// (a native), `None` if a Lua frame was pushed with `FINISH_OP`.
    fn call_meta(&mut self, h: Value, args: &[Value], negate: bool) -> LuaResult<Option<Value>> {
        let func = self.top;
        self.ensure_stack(func + args.len() + 1)?;
        self.push(h);
        for &x in args {
            self.push(x);
        }
        let st = status::FINISH_OP | if negate { NEGATE } else { 0 };
        let idx = self.frames.len();
        if self.precall(func, 1, st)? {
            self.meta_frame = idx;
            Ok(None)
        } else {
            let v = self.stack[func];
            self.top = func;
            Ok(Some(if negate { Value::Bool(v.is_falsy()) } else { v }))
        }
    }

    /// Collects if due; with a memory limit, fails with "not enough memory" when the live
    /// data still exceeds it after the collection.
    fn gc_safepoint(&mut self, live_top: usize) -> LuaResult<()> {
        if self.heap.should_collect() {
            let (alarm, deferred) = (self.heap.alarm, self.heap.deferred);
            let end = self.stack.len().min(live_top.max(self.top));
            for v in &mut self.stack[end..] {
                *v = Value::Nil;
            }
            self.gc_due();
            if alarm && self.heap.still_over_limit(deferred) {
                return Err(self.memory_error());
            }
        }
        Ok(())
    }

    // ---- Table access -------------------------------------------------------------------

    /// `t[key]` with `__index` (`luaV_finishget`). `_dest` is the target register.
    fn get_slow(
        &mut self,
        t: Value,
        key: Value,
        mut src: Src,
        _dest: usize,
    ) -> LuaResult<Option<Value>> {
        let mut t = t;
        for _ in 0..MAX_TAG_LOOP {
            let h = if let Value::Table(tb) = t {
                let v = tb.get(key);
                if !v.is_nil() {
                    return Ok(Some(v));
                }
                match tb.metatable() {
                    None => return Ok(Some(Value::Nil)),
                    Some(mt) => {
                        let h = mt.get_str(self.tm_name(TagMethod::Index));
                        if h.is_nil() {
                            return Ok(Some(Value::Nil));
                        }
                        h
                    }
                }
            } else {
                if let Value::Host { class, bits } = t {
                    if let Some(v) = self.host_field_get(class, bits, key)? {
                        return Ok(Some(v));
                    }
                }
                let h = self.metamethod(t, TagMethod::Index);
                if h.is_nil() {
                    return Err(self.index_error(t, key, src));
                }
                h
            };
            if h.is_function() {
                self.protect_registers();
                if let Some(v) = self.direct_field(h, t, key, None) {
                    return v.map(Some);
                }
                return self.call_meta(h, &[t, key], false);
            }
            t = h;
            // Past the first step the object is no longer the instruction's operand.
            src = Src::None;
        }
        Err(self.vm_error("'__index' chain too long; possibly a loop"))
    }

    /// Whether `tb[key] = v` (a non-nil, non-NaN key) is a plain raw assignment: the table
    /// is writable and either has no `__newindex` or already holds `key` (`luaV_fastset`).
    #[inline(always)]
    fn raw_set_ok(&mut self, tb: Gc<Table>, key: Value) -> bool {
        if tb.is_frozen() {
            return false;
        }
        match tb.metatable() {
            None => true,
            Some(mt) => self.fast_tm_absent(mt, TagMethod::NewIndex) || !tb.get(key).is_nil(),
        }
    }

    /// After a raw table write in the dispatch loop: growth past a memory limit is checked
    /// at the next safepoint (see `out_of_fuel`).
    #[inline(always)]
    fn after_table_write(&mut self) {
        if self.heap.alarm {
            self.budget.fuel = -1;
        }
    }

    /// Whether metatable `mt` has no field for `tm`, one of the fast metamethods
    /// (`__index` to `__eq`), whose absence the metatable caches in its absent bits
    /// (PUC's `fasttm`; every write to the metatable clears them).
    #[inline(always)]
    fn fast_tm_absent(&self, mt: Gc<Table>, tm: TagMethod) -> bool {
        debug_assert!((tm as u8) <= TagMethod::Eq as u8);
        let bit = 1u8 << (tm as u8);
        mt.absent_meta() & bit != 0 || self.fast_tm_absent_lookup(mt, tm, bit)
    }

    #[inline(never)]
    fn fast_tm_absent_lookup(&self, mt: Gc<Table>, tm: TagMethod, bit: u8) -> bool {
        if mt.get_str(self.tm_name(tm)).is_nil() {
            mt.set_absent_meta(mt.absent_meta() | bit);
            true
        } else {
            false
        }
    }

    /// `tb[key]` after the raw lookup found nothing in a table with a metatable: follows
    /// the `__index` chain through tables directly (`luaV_finishget`).
    #[inline(never)]
    fn index_miss(&mut self, tb: Gc<Table>, key: Value) -> LuaResult<Option<Value>> {
        let mut tb = tb;
        for _ in 0..MAX_TAG_LOOP {
            let Some(mt) = tb.metatable() else {
                return Ok(Some(Value::Nil));
            };
            // One lookup of `__index`; its absence is cached in the metatable.
            let bit = 1u8 << (TagMethod::Index as u8);
            if mt.absent_meta() & bit != 0 {
                return Ok(Some(Value::Nil));
            }
            let h = mt.get_str(self.tm_name(TagMethod::Index));
            match h {
                Value::Table(next) => {
                    let v = match key {
                        Value::Str(s) => next.get_str(s),
                        _ => next.get(key),
                    };
                    if !v.is_nil() {
                        return Ok(Some(v));
                    }
                    tb = next;
                }
                Value::Nil => {
                    mt.set_absent_meta(mt.absent_meta() | bit);
                    return Ok(Some(Value::Nil));
                }
                _ if h.is_function() => {
                    if let Some(f) = self.frames.last() {
                        if let Some(cl) = f.closure {
                            self.top = self.top.max(f.base + cl.proto.max_stack_size as usize);
                        }
                    }
                    return self.call_meta(h, &[Value::Table(tb), key], false);
                }
                // A non-table, non-function handler: index it with its own metamethods.
                _ => return self.get_slow(h, key, Src::None, 0),
            }
        }
        Err(self.vm_error("'__index' chain too long; possibly a loop"))
    }

    /// `t[key] = v` with `__newindex` (`luaV_finishset`). `Some(Nil)` when done.
    pub(crate) fn set_value(
        &mut self,
        t: Value,
        key: Value,
        v: Value,
        mut src: Src,
    ) -> LuaResult<Option<Value>> {
        let mut t = t;
        for _ in 0..MAX_TAG_LOOP {
            let h = if let Value::Table(tb) = t {
                if tb.is_frozen() {
                    return Err(self.vm_error("attempt to modify a read-only table"));
                }
                let h = match tb.metatable() {
                    None => Value::Nil,
                    Some(mt) => {
                        if !tb.get(key).is_nil() {
                            Value::Nil
                        } else {
                            mt.get_str(self.tm_name(TagMethod::NewIndex))
                        }
                    }
                };
                if h.is_nil() {
                    self.raw_set(tb, key, v)?;
                    if self.heap.alarm {
                        // Check at the next safepoint (see `out_of_fuel`).
                        self.budget.fuel = -1;
                    }
                    return Ok(Some(Value::Nil));
                }
                h
            } else {
                if let Value::Host { class, bits } = t {
                    if self.host_field_set(class, bits, key, v)? {
                        return Ok(Some(Value::Nil));
                    }
                }
                let h = self.metamethod(t, TagMethod::NewIndex);
                if h.is_nil() {
                    return Err(self.index_error(t, key, src));
                }
                h
            };
            if h.is_function() {
                if let Some(r) = self.direct_field(h, t, key, Some(v)) {
                    return r.map(|_| Some(Value::Nil));
                }
                let func = self.top;
                self.ensure_stack(func + 4)?;
                self.push(h);
                self.push(t);
                self.push(key);
                self.push(v);
                let idx = self.frames.len();
                if self.precall(func, 0, status::FINISH_OP)? {
                    self.meta_frame = idx;
                    return Ok(None);
                }
                self.top = func;
                return Ok(Some(Value::Nil));
            }
            t = h;
            src = Src::None;
        }
        Err(self.vm_error("'__newindex' chain too long; possibly a loop"))
    }

    /// Raises `top` above the running Lua frame's registers, so that a host call made
    /// from the middle of an instruction pushes nothing over them.
    #[inline]
    fn protect_registers(&mut self) {
        if let Some(f) = self.frames.last() {
            if let Some(cl) = f.closure {
                self.top = self.top.max(f.base + cl.proto.max_stack_size as usize);
            }
        }
    }

    /// `host.key` answered by the class's [`HostFields`](crate::userdata::HostFields), if it
    /// has them and they know `key` (`None`: ask the metatable). Not while a debug hook
    /// runs, which must see the `__index` call.
    #[inline]
    fn host_field_get(&mut self, class: u32, bits: u64, key: Value) -> LuaResult<Option<Value>> {
        let Some(Some(fields)) = self.host_fields.get(class as usize).copied() else {
            return Ok(None);
        };
        if self.current.hook_mask.get() != 0 {
            return Ok(None);
        }
        self.protect_registers();
        let outer = std::mem::replace(&mut self.direct_field_depth, self.frames.len() + 1);
        let r = (fields.get)(self, bits, key);
        self.direct_field_depth = outer;
        r
    }

    /// `GETFIELD` on a host value by the leaf form of its class's host fields (see
    /// [`HostFields::get_leaf`](crate::userdata::HostFields::get_leaf)); `None`: the
    /// full path (`get_slow`). Not while a debug hook runs. A call returning in
    /// registers from the slow arm, not a match arm of its own: an extra arm in the
    /// dispatch loop cost general code 2-4% (richards, nbody).
    #[inline(never)]
    fn leaf_get(&self, t: Value, key: Value) -> Option<Value> {
        let Value::Host { class, bits } = t else {
            return None;
        };
        let leaf = self.host_fields.get(class as usize)?.as_ref()?.get_leaf?;
        if self.current.hook_mask.get() != 0 {
            return None;
        }
        leaf(self, bits, key)
    }

    /// `SETFIELD` on a host value by the leaf form of its class's host fields (as
    /// `leaf_get`); false: the full path (`set_value`).
    #[inline(never)]
    fn leaf_set(&self, t: Value, key: Value, v: Value) -> bool {
        let Value::Host { class, bits } = t else {
            return false;
        };
        let Some(Some(leaf)) = self
            .host_fields
            .get(class as usize)
            .map(|f| f.as_ref()?.set_leaf)
        else {
            return false;
        };
        self.current.hook_mask.get() == 0 && leaf(self, bits, key, v)
    }

    /// `host.key = v` by the class's `HostFields`; false: ask the metatable.
    #[inline]
    fn host_field_set(&mut self, class: u32, bits: u64, key: Value, v: Value) -> LuaResult<bool> {
        let Some(Some(fields)) = self.host_fields.get(class as usize).copied() else {
            return Ok(false);
        };
        if self.current.hook_mask.get() != 0 {
            return Ok(false);
        }
        self.protect_registers();
        let outer = std::mem::replace(&mut self.direct_field_depth, self.frames.len() + 1);
        let r = (fields.set)(self, bits, key, v);
        self.direct_field_depth = outer;
        r
    }

    /// A userdata field read (`value` none) or write answered by the direct form of its
    /// `__index`/`__newindex` handler `h`, when it has one: no frame is pushed, so a host
    /// field costs a Rust call. `None`: `h` must be called normally (it has no direct
    /// form, or a debug hook wants to see the call). The caller has set `top` above the
    /// live registers.
    #[inline]
    fn direct_field(
        &mut self,
        h: Value,
        obj: Value,
        key: Value,
        value: Option<Value>,
    ) -> Option<LuaResult<Value>> {
        let Value::NativeClosure(nc) = h else {
            return None;
        };
        let direct = nc.direct.as_ref()?;
        if !obj.has_userdata_eq() || self.current.hook_mask.get() != 0 {
            return None;
        }
        // The handler stays rooted on the stack while it runs (the body could otherwise
        // drop the last reference to it, e.g. by replacing the metatable).
        let func = self.top;
        if let Err(e) = self.ensure_stack(func + 1) {
            return Some(Err(e));
        }
        self.push(h);
        let outer = std::mem::replace(&mut self.direct_field_depth, self.frames.len() + 1);
        let r = direct(self, obj, key, value);
        self.direct_field_depth = outer;
        self.top = func;
        Some(r)
    }

    /// Raw `t[key] = v` with the key checks of `luaH_newkey`.
    pub fn raw_set(&mut self, t: Gc<Table>, key: Value, v: Value) -> LuaResult<()> {
        match key {
            Value::Nil => return Err(self.vm_error("table index is nil")),
            Value::Float(f) if f.is_nan() => return Err(self.vm_error("table index is NaN")),
            _ => {}
        }
        t.set(&mut self.heap, key, v);
        Ok(())
    }

    /// `t[key]` with metamethods, run to completion (for natives).
    pub fn index_value(&mut self, t: Value, key: Value) -> LuaResult<Value> {
        self.at_native_level(|vm| vm.index_value_inner(t, key))
    }

    fn index_value_inner(&mut self, t: Value, key: Value) -> LuaResult<Value> {
        match self.get_slow(t, key, Src::None, 0)? {
            Some(v) => Ok(v),
            None => self.complete_pushed_meta(),
        }
    }

    /// `t[key]` following `__index` tables, stopping at a function `__index` so that a
    /// native can call it with [`Vm::call_then`] instead of nesting the dispatch loop.
    pub fn index_step(&mut self, t: Value, key: Value) -> LuaResult<IndexStep> {
        let mut t = t;
        for _ in 0..MAX_TAG_LOOP {
            let h = if let Value::Table(tb) = t {
                let v = tb.get(key);
                if !v.is_nil() {
                    return Ok(IndexStep::Value(v));
                }
                match tb.metatable() {
                    None => return Ok(IndexStep::Value(Value::Nil)),
                    Some(mt) => mt.get_str(self.tm_name(TagMethod::Index)),
                }
            } else {
                let h = self.metamethod(t, TagMethod::Index);
                if h.is_nil() {
                    return Err(self.index_error(t, key, Src::None));
                }
                h
            };
            if h.is_nil() {
                return Ok(IndexStep::Value(Value::Nil));
            }
            if h.is_function() {
                return Ok(IndexStep::Call(h, t));
            }
            t = h;
        }
        Err(self.vm_error("'__index' chain too long; possibly a loop"))
    }

    /// `t[key] = v` with metamethods, run to completion (for natives).
    pub fn set_index_value(&mut self, t: Value, key: Value, v: Value) -> LuaResult<()> {
        self.at_native_level(|vm| vm.set_index_value_inner(t, key, v))
    }

    fn set_index_value_inner(&mut self, t: Value, key: Value, v: Value) -> LuaResult<()> {
        match self.set_value(t, key, v, Src::None)? {
            Some(_) => Ok(()),
            None => self.complete_pushed_meta().map(|_| ()),
        }
    }

    /// Runs `f` one native level deeper: metamethods it calls run in a nested dispatch
    /// loop, which a budget never suspends and a yield cannot cross.
    fn at_native_level<T>(&mut self, f: impl FnOnce(&mut Vm) -> LuaResult<T>) -> LuaResult<T> {
        if self.c_depth >= MAX_C_DEPTH {
            return Err(self.c_stack_overflow());
        }
        self.c_depth += 1;
        let r = f(self);
        self.c_depth -= 1;
        r
    }

    /// Runs a metamethod frame that a slow path pushed, from a native context: the frame
    /// is turned into a host call and executed to completion.
    fn complete_pushed_meta(&mut self) -> LuaResult<Value> {
        let idx = self.meta_frame;
        let Some(f) = self.frames.get_mut(idx) else {
            return Ok(Value::Nil);
        };
        f.status = (f.status & !status::FINISH_OP) | status::HOST;
        let func = f.func;
        self.execute_from(idx)?;
        let v = self.stack[func];
        self.top = func;
        Ok(v)
    }

    // ---- Arithmetic ---------------------------------------------------------------------

    /// Arithmetic on two numbers (no metamethods). `None` when an operand is not a number
    /// (or, for bitwise ops, not convertible to an integer).
    fn arith_fast(&mut self, op: &Arith, x: Value, y: Value) -> LuaResult<Option<Value>> {
        use Value::{Float, Int};
        let v = match op {
            Arith::BAnd | Arith::BOr | Arith::BXor | Arith::Shl | Arith::Shr => {
                let (Some(p1), Some(p2)) = (int_operand(x), int_operand(y)) else {
                    return Ok(None);
                };
                Int(match op {
                    Arith::BAnd => p1 & p2,
                    Arith::BOr => p1 | p2,
                    Arith::BXor => p1 ^ p2,
                    Arith::Shl => number::shift_left(p1, p2),
                    _ => number::shift_left(p1, p2.wrapping_neg()),
                })
            }
            _ => match (x, y) {
                (Int(p1), Int(p2)) => match op {
                    Arith::Add => Int(p1.wrapping_add(p2)),
                    Arith::Sub => Int(p1.wrapping_sub(p2)),
                    Arith::Mul => Int(p1.wrapping_mul(p2)),
                    Arith::Mod => match number::int_mod(p1, p2) {
                        Some(r) => Int(r),
                        None => return Err(self.vm_error("attempt to perform 'n%0'")),
                    },
                    Arith::IDiv => match number::int_floor_div(p1, p2) {
                        Some(r) => Int(r),
                        None => return Err(self.vm_error("attempt to divide by zero")),
                    },
                    Arith::Pow => Float((p1 as f64).powf(p2 as f64)),
                    _ => Float(p1 as f64 / p2 as f64),
                },
                _ => {
                    let (Some(p1), Some(p2)) = (float_operand(x), float_operand(y)) else {
                        return Ok(None);
                    };
                    Float(match op {
                        Arith::Add => p1 + p2,
                        Arith::Sub => p1 - p2,
                        Arith::Mul => p1 * p2,
                        Arith::Mod => number::float_mod(p1, p2),
                        Arith::IDiv => number::float_floor_div(p1, p2),
                        Arith::Pow => {
                            if p2 == 2.0 {
                                p1 * p1
                            } else {
                                p1.powf(p2)
                            }
                        }
                        _ => p1 / p2,
                    })
                }
            },
        };
        Ok(Some(v))
    }

    /// Arithmetic through metamethods (`luaT_trybinTM`), with PUC's error messages.
    fn arith_meta(
        &mut self,
        x: Value,
        y: Value,
        sx: Src,
        sy: Src,
        tm: TagMethod,
    ) -> LuaResult<Option<Value>> {
        let mut h = self.metamethod(x, tm);
        if h.is_nil() {
            h = self.metamethod(y, tm);
        }
        if !h.is_nil() {
            return self.call_meta(h, &[x, y], false);
        }
        let is_num = |v: Value| matches!(v, Value::Int(_) | Value::Float(_));
        match tm {
            TagMethod::BAnd
            | TagMethod::BOr
            | TagMethod::BXor
            | TagMethod::Shl
            | TagMethod::Shr
            | TagMethod::BNot => {
                if is_num(x) && is_num(y) {
                    let (bad, src) = if int_operand(x).is_none() {
                        (x, sx)
                    } else {
                        (y, sy)
                    };
                    let _ = bad;
                    let info = self.varinfo(src);
                    Err(self.vm_error(format!("number{info} has no integer representation")))
                } else {
                    let (bad, src) = if !is_num(x) { (x, sx) } else { (y, sy) };
                    Err(self.type_error(bad, src, "perform bitwise operation on"))
                }
            }
            _ => {
                let (bad, src) = if !is_num(x) { (x, sx) } else { (y, sy) };
                Err(self.type_error(bad, src, "perform arithmetic on"))
            }
        }
    }

    /// Arithmetic with metamethods, run to completion (for natives and the API).
    pub fn arith(&mut self, tm: TagMethod, x: Value, y: Value) -> LuaResult<Value> {
        self.at_native_level(|vm| vm.arith_inner(tm, x, y))
    }

    fn arith_inner(&mut self, tm: TagMethod, x: Value, y: Value) -> LuaResult<Value> {
        let op = match tm {
            TagMethod::Add => Arith::Add,
            TagMethod::Sub => Arith::Sub,
            TagMethod::Mul => Arith::Mul,
            TagMethod::Mod => Arith::Mod,
            TagMethod::Pow => Arith::Pow,
            TagMethod::Div => Arith::Div,
            TagMethod::IDiv => Arith::IDiv,
            TagMethod::BAnd => Arith::BAnd,
            TagMethod::BOr => Arith::BOr,
            TagMethod::BXor => Arith::BXor,
            TagMethod::Shl => Arith::Shl,
            TagMethod::Shr => Arith::Shr,
            TagMethod::Unm => {
                return match x {
                    Value::Int(n) => Ok(Value::Int(n.wrapping_neg())),
                    Value::Float(f) => Ok(Value::Float(-f)),
                    _ => self.finish_native_meta(x, x, tm),
                }
            }
            _ => return self.finish_native_meta(x, y, tm),
        };
        if let Some(v) = self.arith_fast(&op, x, y)? {
            return Ok(v);
        }
        self.finish_native_meta(x, y, tm)
    }

    fn finish_native_meta(&mut self, x: Value, y: Value, tm: TagMethod) -> LuaResult<Value> {
        match self.arith_meta(x, y, Src::None, Src::None, tm)? {
            Some(v) => Ok(v),
            None => self.complete_pushed_meta(),
        }
    }

    /// `#v` (`luaV_objlen`).
    fn len_of(&mut self, v: Value, src: Src) -> LuaResult<Option<Value>> {
        match v {
            Value::Str(s) => Ok(Some(Value::Int(s.len() as i64))),
            Value::Table(t) => {
                if t.metatable().is_some() {
                    let h = self.metamethod(v, TagMethod::Len);
                    if !h.is_nil() {
                        return self.call_meta(h, &[v, v], false);
                    }
                }
                Ok(Some(Value::Int(t.len())))
            }
            _ => {
                let h = self.metamethod(v, TagMethod::Len);
                if h.is_nil() {
                    return Err(self.type_error(v, src, "get length of"));
                }
                self.call_meta(h, &[v, v], false)
            }
        }
    }

    /// `#v` with metamethods, run to completion (for natives).
    pub fn length(&mut self, v: Value) -> LuaResult<Value> {
        self.at_native_level(|vm| vm.length_inner(v))
    }

    fn length_inner(&mut self, v: Value) -> LuaResult<Value> {
        match self.len_of(v, Src::None)? {
            Some(v) => Ok(v),
            None => self.complete_pushed_meta(),
        }
    }

    // ---- Comparison ---------------------------------------------------------------------

    fn eq_meta(&mut self, x: Value, y: Value) -> LuaResult<Option<Value>> {
        let mut h = self.metamethod(x, TagMethod::Eq);
        if h.is_nil() {
            h = self.metamethod(y, TagMethod::Eq);
        }
        if h.is_nil() {
            return Ok(Some(Value::Bool(false)));
        }
        self.call_meta(h, &[x, y], false)
    }

    /// `x == y` with `__eq`, run to completion (for natives).
    pub fn equals(&mut self, x: Value, y: Value) -> LuaResult<bool> {
        self.at_native_level(|vm| vm.equals_inner(x, y))
    }

    fn equals_inner(&mut self, x: Value, y: Value) -> LuaResult<bool> {
        let needs_meta = matches!((x, y), (Value::Table(a), Value::Table(b)) if a != b)
            || (x.has_userdata_eq() && y.has_userdata_eq() && !x.raw_eq(&y));
        if !needs_meta {
            return Ok(x.raw_eq(&y));
        }
        let v = match self.eq_meta(x, y)? {
            Some(v) => v,
            None => self.complete_pushed_meta()?,
        };
        Ok(v.truthy())
    }

    /// `x < y` (`le` false) or `x <= y` (`le` true) with metamethods.
    fn compare(&mut self, x: Value, y: Value, le: bool) -> LuaResult<Option<bool>> {
        use Value::{Float, Int, Str};
        let r = match (x, y) {
            (Int(a), Int(b)) => Some(if le { a <= b } else { a < b }),
            (Float(a), Float(b)) => Some(if le { a <= b } else { a < b }),
            (Int(a), Float(b)) => Some(if le {
                number::le_int_float(a, b)
            } else {
                number::lt_int_float(a, b)
            }),
            (Float(a), Int(b)) => Some(if le {
                number::le_float_int(a, b)
            } else {
                number::lt_float_int(a, b)
            }),
            (Str(a), Str(b)) => {
                let o = a.as_bytes().cmp(b.as_bytes());
                Some(if le { o.is_le() } else { o.is_lt() })
            }
            _ => None,
        };
        if let Some(r) = r {
            return Ok(Some(r));
        }
        let tm = if le { TagMethod::Le } else { TagMethod::Lt };
        let mut h = self.metamethod(x, tm);
        if h.is_nil() {
            h = self.metamethod(y, tm);
        }
        if !h.is_nil() {
            return Ok(self.call_meta(h, &[x, y], false)?.map(|v| v.truthy()));
        }
        if le {
            // LUA_COMPAT_LT_LE (on in Debian's lua5.4): a <= b as not (b < a).
            let mut h = self.metamethod(y, TagMethod::Lt);
            if h.is_nil() {
                h = self.metamethod(x, TagMethod::Lt);
            }
            if !h.is_nil() {
                return Ok(self.call_meta(h, &[y, x], true)?.map(|v| v.truthy()));
            }
        }
        Err(self.order_error(x, y))
    }

    /// `x < y` / `x <= y` with metamethods, run to completion (for natives).
    pub fn less_than(&mut self, x: Value, y: Value, le: bool) -> LuaResult<bool> {
        self.at_native_level(|vm| vm.less_than_inner(x, y, le))
    }

    fn less_than_inner(&mut self, x: Value, y: Value, le: bool) -> LuaResult<bool> {
        match self.compare(x, y, le)? {
            Some(b) => Ok(b),
            None => Ok(self.complete_pushed_meta()?.truthy()),
        }
    }

    // ---- Concatenation ------------------------------------------------------------------

    /// Concatenates `stack[ra..ra+n]` into `stack[ra]` (`luaV_concat`). `None` when a Lua
    /// `__concat` frame was pushed; the frame's `pending` then says how many operands remain.
    fn concat(&mut self, ra: usize, n: usize, base: usize) -> LuaResult<Option<()>> {
        let mut remaining = n;
        while remaining > 1 {
            let top = ra + remaining;
            let x = self.stack[top - 2];
            let y = self.stack[top - 1];
            let is_strnum = |v: Value| matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_));
            if is_strnum(x) && is_strnum(y) {
                // Gather as many string/number operands as possible from the top down.
                let mut count = 2;
                while count < remaining && is_strnum(self.stack[top - count - 1]) {
                    count += 1;
                }
                let mut total = 0usize;
                for j in top - count..top {
                    total = total.saturating_add(match self.stack[j] {
                        Value::Str(s) => s.len(),
                        _ => 24,
                    });
                }
                if total > crate::stdlib::limits::MAX_ALLOC || self.heap.would_exceed(total) {
                    self.budget.fuel = -1;
                    return Err(self.memory_error());
                }
                // Copying is charged as the string library charges it (a unit per 64
                // bytes), and the hard limits are checked at once: a chain of returns
                // each concatenating a long string (`return "x" .. pcall(f)` unwinding
                // 30,000 levels) passes no safepoint and would copy gigabytes.
                self.charge_checked(total as u64 / 64)?;
                let mut buf = Vec::with_capacity(total);
                for j in top - count..top {
                    let v = self.stack[j];
                    match v {
                        Value::Str(s) => buf.extend_from_slice(s.as_bytes()),
                        _ => buf.extend(self.to_str_bytes(v).unwrap_or_default()),
                    }
                }
                let s = self.new_string_from_vec(buf);
                self.stack[top - count] = s;
                remaining -= count - 1;
            } else {
                let mut h = self.metamethod(x, TagMethod::Concat);
                if h.is_nil() {
                    h = self.metamethod(y, TagMethod::Concat);
                }
                if h.is_nil() {
                    let (bad, reg) = if is_strnum(x) {
                        (y, top - 1)
                    } else {
                        (x, top - 2)
                    };
                    let src = Src::Reg((reg - base) as u32);
                    return Err(self.type_error(bad, src, "concatenate"));
                }
                if let Some(f) = self.frames.last() {
                    if let Some(cl) = f.closure {
                        self.top = self.top.max(f.base + cl.proto.max_stack_size as usize);
                    }
                }
                // Record the operands left before the call: a Lua `__concat` (or a budget
                // suspension at its entry) continues through `finish_op`.
                let fi = self.frames.len() - 1;
                self.frames[fi].pending = remaining as u32;
                match self.call_meta(h, &[x, y], false)? {
                    Some(v) => {
                        self.frames[fi].pending = 0;
                        self.stack[top - 2] = v;
                        remaining -= 1;
                    }
                    None => return Ok(None),
                }
            }
        }
        Ok(Some(()))
    }

    /// Calls `__close` of the innermost pending to-be-closed variable at or above `level`.
    fn close_one_tbc(&mut self, level: usize, _fi: usize) -> LuaResult<Option<Value>> {
        let Some(&slot) = self.tbc.last() else {
            return Ok(Some(Value::Nil));
        };
        if slot < level {
            return Ok(Some(Value::Nil));
        }
        self.tbc.pop();
        let v = self.stack[slot];
        let h = self.metamethod(v, TagMethod::Close);
        let func = self.top;
        self.ensure_stack(func + 4)?;
        self.push(h);
        self.push(v);
        self.push(Value::Nil);
        if self.precall(func, 0, status::FINISH_OP)? {
            return Ok(None);
        }
        self.top = func;
        Ok(Some(Value::Nil))
    }

    // ---- Numeric for --------------------------------------------------------------------

    /// `FORPREP`: checks and prepares the loop at `ra`; true to skip the loop.
    fn for_prep(&mut self, ra: usize) -> LuaResult<bool> {
        let init = self.stack[ra];
        let limit = self.stack[ra + 1];
        let step = self.stack[ra + 2];
        if let (Value::Int(init), Value::Int(step)) = (init, step) {
            if step == 0 {
                return Err(self.vm_error("'for' step is zero"));
            }
            let lim = match limit {
                Value::Int(l) => l,
                _ => {
                    let conv = match self.to_number(limit) {
                        Some(Number::Int(l)) => Some(l),
                        Some(Number::Float(f)) => {
                            let c = if step < 0 {
                                number::float_ceil_to_int(f)
                            } else {
                                number::float_floor_to_int(f)
                            };
                            match c {
                                Some(l) => Some(l),
                                None => {
                                    if f.is_nan() {
                                        return Ok(true);
                                    }
                                    if f > 0.0 {
                                        if step < 0 {
                                            return Ok(true);
                                        }
                                        Some(i64::MAX)
                                    } else {
                                        if step > 0 {
                                            return Ok(true);
                                        }
                                        Some(i64::MIN)
                                    }
                                }
                            }
                        }
                        None => None,
                    };
                    match conv {
                        Some(l) => l,
                        None => return Err(self.for_error(limit, "limit")),
                    }
                }
            };
            if if step > 0 { init > lim } else { init < lim } {
                return Ok(true);
            }
            let count = if step > 0 {
                let c = (lim as u64).wrapping_sub(init as u64);
                if step != 1 {
                    c / step as u64
                } else {
                    c
                }
            } else {
                let c = (init as u64).wrapping_sub(lim as u64);
                c / ((-(step + 1)) as u64 + 1)
            };
            self.stack[ra + 1] = Value::Int(count as i64);
            self.stack[ra + 3] = Value::Int(init);
            return Ok(false);
        }
        let fl = |vm: &mut Vm, v: Value, what: &str| -> LuaResult<f64> {
            match vm.to_number(v) {
                Some(Number::Int(i)) => Ok(i as f64),
                Some(Number::Float(f)) => Ok(f),
                None => Err(vm.for_error(v, what)),
            }
        };
        let flimit = fl(self, limit, "limit")?;
        let fstep = fl(self, step, "step")?;
        let finit = fl(self, init, "initial value")?;
        if fstep == 0.0 {
            return Err(self.vm_error("'for' step is zero"));
        }
        if if fstep > 0.0 {
            flimit < finit
        } else {
            finit < flimit
        } {
            return Ok(true);
        }
        self.stack[ra] = Value::Float(finit);
        self.stack[ra + 1] = Value::Float(flimit);
        self.stack[ra + 2] = Value::Float(fstep);
        self.stack[ra + 3] = Value::Float(finit);
        Ok(false)
    }

    fn for_error(&mut self, v: Value, what: &str) -> LuaError {
        let t = self.type_name_of(v);
        self.vm_error(format!("bad 'for' {what} (number expected, got {t})"))
    }
}

/// Integer value for bitwise operators: integers, and floats with an exact integer value.
#[inline]
fn int_operand(v: Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(i),
        Value::Float(f) => number::float_to_int_exact(f),
        _ => None,
    }
}

#[inline]
fn float_operand(v: Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}
