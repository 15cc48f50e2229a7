//! Functions: runtime prototypes, Lua closures, upvalues and native functions.

use std::cell::Cell;
use std::rc::Rc;

use crate::bytecode::{Instruction, LocVar, UpvalDesc};
use crate::error::LuaError;
use crate::gc::{Gc, GcAny, Trace, Tracer};
use crate::state::Vm;
use crate::thread::Thread;
use crate::value::Value;

/// A built-in function: arguments are `vm.stack[base..base + nargs]`; it pushes its results
/// with [`Vm::push`] and returns how many it pushed.
pub type NativeFn = fn(vm: &mut Vm, base: usize, nargs: usize) -> Result<usize, LuaError>;

/// A host closure with captured Rust state (used by the embedding API).
pub type HostFn = dyn Fn(&mut Vm, usize, usize) -> Result<usize, LuaError>;

/// A function prototype loaded into the heap: bytecode with its constants as values.
pub struct Proto {
    pub code: Box<[Instruction]>,
    pub constants: Box<[Value]>,
    pub protos: Box<[Gc<Proto>]>,
    pub upvalues: Box<[UpvalDesc]>,
    pub line_info: Box<[u32]>,
    pub loc_vars: Box<[LocVar]>,
    /// Chunk name as given to `load` (`"@file.lua"`...), shared by a chunk's prototypes.
    pub source: Rc<str>,
    pub line_defined: u32,
    pub last_line_defined: u32,
    pub num_params: u8,
    pub is_vararg: bool,
    pub max_stack_size: u8,
}

impl Proto {
    pub fn heap_size(&self) -> usize {
        self.code.len() * 8 + self.constants.len() * 16 + self.protos.len() * 8
    }
}

impl Trace for Proto {
    fn trace(&self, tracer: &mut Tracer) {
        for &k in self.constants.iter() {
            tracer.mark_value(k);
        }
        for &p in self.protos.iter() {
            tracer.mark(GcAny::Proto(p));
        }
    }
}

/// A Lua function value: a prototype plus its upvalues.
pub struct LuaClosure {
    pub proto: Gc<Proto>,
    pub upvals: Box<[Gc<UpVal>]>,
}

impl Trace for LuaClosure {
    fn trace(&self, tracer: &mut Tracer) {
        tracer.mark(GcAny::Proto(self.proto));
        for &u in self.upvals.iter() {
            tracer.mark(GcAny::UpVal(u));
        }
    }
}

/// Where an upvalue's value lives.
#[derive(Clone, Copy, Debug)]
pub enum UpState {
    /// Still a register: `stack[index]` of `thread`.
    Open { thread: Gc<Thread>, index: usize },
    /// The variable's scope ended; the upvalue owns the value.
    Closed(Value),
}

/// A captured variable, shared by every closure that captured it.
pub struct UpVal {
    pub state: Cell<UpState>,
}

impl Trace for UpVal {
    fn trace(&self, tracer: &mut Tracer) {
        match self.state.get() {
            UpState::Closed(v) => tracer.mark_value(v),
            UpState::Open { thread, .. } => tracer.mark(GcAny::Thread(thread)),
        }
    }
}

/// A host function with state and optional Lua upvalues.
pub struct NativeClosure {
    pub func: Box<HostFn>,
    pub name: &'static str,
    pub upvals: Vec<Value>,
}

impl Trace for NativeClosure {
    fn trace(&self, tracer: &mut Tracer) {
        for &v in &self.upvals {
            tracer.mark_value(v);
        }
    }
}
