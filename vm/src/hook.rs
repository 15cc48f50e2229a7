//! Debug hook delivery (`debug.sethook`), following PUC Lua 5.4's `ldo.c`/`ldebug.c`.
//!
//! A thread with a non-zero [`Thread::hook_mask`](crate::thread::Thread) runs its Lua
//! code in the hooked instantiation of the dispatch loop (`Vm::run::<true>`), which traces
//! every instruction (`luaG_traceexec`: count and line events), fires call events when a
//! Lua frame starts and return events from the `RETURN*` instructions. The unhooked
//! instantiation has none of these checks; it only looks at the mask where it already
//! does slow work (after a native call returns, and when the fuel runs out at a
//! safepoint) and then leaves so that `execute_from` continues in the hooked one.
//! `debug.sethook` is a native, so a hook set on the running thread takes effect with the
//! next instruction; one set where no native call returns to the loop (a `sethook` used
//! as a metamethod) takes effect at the next native call or fuel check. Forcing a fuel
//! check instead would charge the rest of the fuel quantum as used instructions.
//! Natives fire their call and return events from `call_native`/`native_step`.
//!
//! Hooks run through a nested call (`Vm::call_at`), so they are charged to the budget
//! like any other code, cannot yield, and an error in a hook propagates from the hooked
//! instruction. While a hook runs, the thread's hooks are off (`HookState::allow`), but
//! the bookkeeping (`old_pc`, the count) goes on as in PUC.

use crate::error::LuaResult;
use crate::state::Vm;
use crate::thread::status;
use crate::value::Value;

pub const MASK_CALL: u8 = 1;
pub const MASK_RET: u8 = 2;
pub const MASK_LINE: u8 = 4;
pub const MASK_COUNT: u8 = 8;

/// A hook event, named as the hook function receives it.
#[derive(Clone, Copy, Debug)]
pub enum HookEvent {
    Call,
    Return,
    Line,
    Count,
    TailCall,
}

impl HookEvent {
    fn name(self) -> &'static [u8] {
        match self {
            HookEvent::Call => b"call",
            HookEvent::Return => b"return",
            HookEvent::Line => b"line",
            HookEvent::Count => b"count",
            HookEvent::TailCall => b"tail call",
        }
    }
}

impl Vm {
    /// `luaD_hook`: calls the running thread's hook for `event`, with frame `fi` as the
    /// hooked function (level 2 inside the hook) and `transfer` as its
    /// `ftransfer`/`ntransfer`.
    #[cold]
    #[inline(never)]
    pub(crate) fn call_hook(
        &mut self,
        event: HookEvent,
        line: i64,
        fi: usize,
        transfer: (u16, u16),
    ) -> LuaResult<()> {
        let th = self.current;
        let hs = th.hook.get();
        if !hs.allow || th.hook_mask.get() == 0 {
            return Ok(());
        }
        let f = crate::stdlib::debug::hook_function(self, th);
        if !f.is_function() {
            return Ok(());
        }
        let save_top = self.top;
        // Protect the whole register window of a Lua frame (its live values may lie
        // above `top` between instructions).
        if let Some(fr) = self.frames.get(fi) {
            if let Some(cl) = fr.closure {
                self.top = self
                    .top
                    .max(fr.base + cl.proto.max_stack_size as usize)
                    .min(self.stack.len());
            }
        }
        th.hook.set(crate::thread::HookState {
            allow: false,
            hooked: Some((fi as u32, transfer.0, transfer.1)),
            ..hs
        });
        let name = self.new_str(event.name());
        let func = self.top;
        self.push(f);
        self.push(name);
        self.push(if line >= 0 {
            Value::Int(line)
        } else {
            Value::Nil
        });
        let r = self.call_at(func, 0);
        let mut after = th.hook.get();
        after.allow = true;
        after.hooked = hs.hooked;
        th.hook.set(after);
        self.top = save_top;
        r
    }

    /// `luaG_traceexec` for instruction `npc` of the Lua frame `fi`, whose saved pc is
    /// `npc + 1`: count and line events.
    #[inline(never)]
    pub(crate) fn trace_exec(&mut self, fi: usize, npc: usize) -> LuaResult<()> {
        let th = self.current;
        let mask = th.hook_mask.get();
        if mask & (MASK_LINE | MASK_COUNT) == 0 {
            return Ok(());
        }
        let mut hs = th.hook.get();
        hs.count = hs.count.wrapping_sub(1);
        let count_hook = hs.count == 0 && mask & MASK_COUNT != 0;
        if count_hook {
            hs.count = hs.base_count;
        }
        th.hook.set(hs);
        if count_hook {
            self.call_hook(HookEvent::Count, -1, fi, (0, 0))?;
        } else if mask & MASK_LINE == 0 {
            return Ok(());
        }
        if mask & MASK_LINE != 0 {
            let Some(cl) = self.frames.get(fi).and_then(|f| f.closure) else {
                return Ok(());
            };
            let lines = &cl.proto.line_info;
            let mut hs = th.hook.get();
            // `old_pc` may belong to another function: then it counts as 0.
            let old = hs.old_pc as usize;
            let old = if old < cl.proto.code.len() { old } else { 0 };
            let new_line = lines.get(npc).copied();
            let changed = match (lines.get(old), new_line) {
                (Some(&a), Some(b)) => a != b,
                _ => false,
            };
            if npc <= old || changed {
                let line = new_line.map_or(-1, |l| l as i64);
                self.call_hook(HookEvent::Line, line, fi, (0, 0))?;
                hs = th.hook.get();
            }
            hs.old_pc = npc as u32;
            th.hook.set(hs);
        }
        Ok(())
    }

    /// `luaD_hookcall`: a Lua frame `fi` starts (its pc is 0, or 1 after `VARARGPREP`).
    #[inline(never)]
    pub(crate) fn hook_call_lua(&mut self, fi: usize) -> LuaResult<()> {
        let th = self.current;
        let mut hs = th.hook.get();
        hs.old_pc = 0;
        th.hook.set(hs);
        if th.hook_mask.get() & MASK_CALL == 0 {
            return Ok(());
        }
        let Some(f) = self.frames.get(fi).copied() else {
            return Ok(());
        };
        let Some(cl) = f.closure else {
            return Ok(());
        };
        let event = if f.status & status::TAIL != 0 {
            HookEvent::TailCall
        } else {
            HookEvent::Call
        };
        // Hooks see the pc already advanced (the current line is the next instruction's).
        self.frames[fi].pc = f.pc + 1;
        let r = self.call_hook(event, -1, fi, (1, cl.proto.num_params as u16));
        if let Some(fr) = self.frames.get_mut(fi) {
            fr.pc = f.pc;
        }
        r
    }

    /// A native in frame `fi` (just pushed) is called with `nargs` arguments.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_call_native(&mut self, fi: usize, nargs: usize) -> LuaResult<()> {
        self.call_hook(HookEvent::Call, -1, fi, (1, nargs as u16))
    }

    /// The return half of `rethook`: frame `fi` (still in place) returns the `n` values
    /// at `first`.
    #[inline(never)]
    pub(crate) fn hook_return(&mut self, fi: usize, first: usize, n: usize) -> LuaResult<()> {
        if self.current.hook_mask.get() & MASK_RET == 0 {
            return Ok(());
        }
        let Some(f) = self.frames.get(fi).copied() else {
            return Ok(());
        };
        // Results are numbered from the function's slot (for a vararg Lua function, the
        // copy just below its registers).
        let func = if f.closure.is_some() {
            f.base - 1
        } else {
            f.func
        };
        let save_top = self.top;
        self.top = self.top.max(first + n);
        let ftransfer = first.wrapping_sub(func) as u16;
        let r = self.call_hook(HookEvent::Return, -1, fi, (ftransfer, n as u16));
        self.top = save_top;
        r
    }

    /// The other half of `rethook`, after a frame was popped: line tracing in the caller,
    /// if it is a Lua function, continues from its call instruction.
    #[inline(never)]
    pub(crate) fn hook_returned(&mut self) {
        if let Some(f) = self.frames.last() {
            if f.closure.is_some() {
                let th = self.current;
                let mut hs = th.hook.get();
                hs.old_pc = f.pc.saturating_sub(1) as u32;
                th.hook.set(hs);
            }
        }
    }
}
