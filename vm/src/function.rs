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

/// Checks the invariants the dispatch loop relies on to read instructions and constants
/// without bounds checks (`crate::vm`): every instruction's possible successors (fall-through,
/// skip, jump targets, the `EXTRAARG` or `JMP` it reads) lie inside `code`, the code ends
/// with a return, `MMBIN*` has a preceding instruction, and every constant and upvalue index
/// is in range. Registers need no check: an operand is at most 8 bits (plus a small offset)
/// and the loop keeps [`crate::vm::REG_WINDOW`] slots above every frame's base.
///
/// Prototypes come from our own compiler (binary chunks are rejected), so a failure is a
/// compiler bug: the error names the instruction.
pub fn verify(p: &Proto) -> Result<(), String> {
    use crate::bytecode::*;
    let code = &p.code;
    let len = code.len() as i64;
    let nk = p.constants.len() as u32;
    let nup = p.upvalues.len() as u32;
    let bad = |pc: usize, what: &str| Err(format!("invalid bytecode at pc {pc}: {what}"));
    match code.last().map(|&i| get_op(i)) {
        Some(OpCode::Return | OpCode::Return0 | OpCode::Return1) => {}
        _ => return bad(code.len(), "code does not end with a return"),
    }
    for (pc, &i) in code.iter().enumerate() {
        let j = pc as i64;
        let op = get_op(i);
        // Successor pcs (besides re-running the instruction itself).
        let mut succ: [i64; 2] = [j + 1, j + 1];
        let k_ok = |x: u32| x < nk;
        let next = code.get(pc + 1).copied();
        let mut konst: Option<u32> = None;
        let mut upval: Option<u32> = None;
        let rk_c = || if get_k(i) { Some(get_c(i)) } else { None };
        match op {
            OpCode::LoadK => konst = Some(get_bx(i)),
            OpCode::LoadKX => {
                let Some(n) = next else {
                    return bad(pc, "missing EXTRAARG");
                };
                konst = Some(get_ax(n));
                succ = [j + 2, j + 2];
            }
            OpCode::LFalseSkip => succ = [j + 2, j + 2],
            OpCode::GetUpval | OpCode::SetUpval => upval = Some(get_b(i)),
            OpCode::GetTabUp => {
                upval = Some(get_b(i));
                konst = Some(get_c(i));
            }
            OpCode::GetField => konst = Some(get_c(i)),
            OpCode::SetTabUp => {
                upval = Some(get_a(i));
                if !k_ok(get_b(i)) {
                    return bad(pc, "constant out of range");
                }
                konst = rk_c();
            }
            OpCode::SetField => {
                if !k_ok(get_b(i)) {
                    return bad(pc, "constant out of range");
                }
                konst = rk_c();
            }
            OpCode::SetTable | OpCode::SetI | OpCode::SelfOp => konst = rk_c(),
            OpCode::NewTable => {
                if next.is_none() {
                    return bad(pc, "missing EXTRAARG");
                }
                succ = [j + 2, j + 2];
            }
            OpCode::AddI
            | OpCode::ShrI
            | OpCode::ShlI
            | OpCode::Add
            | OpCode::Sub
            | OpCode::Mul
            | OpCode::Mod
            | OpCode::Pow
            | OpCode::Div
            | OpCode::IDiv
            | OpCode::BAnd
            | OpCode::BOr
            | OpCode::BXor
            | OpCode::Shl
            | OpCode::Shr => succ = [j + 1, j + 2],
            OpCode::AddK
            | OpCode::SubK
            | OpCode::MulK
            | OpCode::ModK
            | OpCode::PowK
            | OpCode::DivK
            | OpCode::IDivK
            | OpCode::BAndK
            | OpCode::BOrK
            | OpCode::BXorK => {
                konst = Some(get_c(i));
                succ = [j + 1, j + 2];
            }
            OpCode::MmBin | OpCode::MmBinI | OpCode::MmBinK => {
                if pc == 0 {
                    return bad(pc, "MMBIN without a preceding instruction");
                }
                if op == OpCode::MmBinK {
                    konst = Some(get_b(i));
                }
            }
            OpCode::Jmp => succ = [j + 1 + get_sj(i) as i64; 2],
            OpCode::Eq
            | OpCode::Lt
            | OpCode::Le
            | OpCode::EqK
            | OpCode::EqI
            | OpCode::LtI
            | OpCode::LeI
            | OpCode::GtI
            | OpCode::GeI
            | OpCode::Test
            | OpCode::TestSet => {
                let Some(n) = next else {
                    return bad(pc, "test without a following jump");
                };
                succ = [j + 2, j + 2 + get_sj(n) as i64];
                if op == OpCode::EqK {
                    konst = Some(get_b(i));
                }
            }
            OpCode::Return | OpCode::Return0 | OpCode::Return1 => succ = [j, j],
            OpCode::ForLoop | OpCode::TForLoop => succ = [j + 1, j + 1 - get_bx(i) as i64],
            OpCode::ForPrep => succ = [j + 1, j + 2 + get_bx(i) as i64],
            OpCode::TForPrep => succ = [j + 1 + get_bx(i) as i64; 2],
            OpCode::SetList if get_k(i) => {
                if next.is_none() {
                    return bad(pc, "missing EXTRAARG");
                }
                succ = [j + 2, j + 2];
            }
            _ => {}
        }
        if succ.iter().any(|&s| s < 0 || s >= len) {
            return bad(pc, "jump or fall-through out of the code");
        }
        if konst.is_some_and(|x| !k_ok(x)) {
            return bad(pc, "constant out of range");
        }
        if upval.is_some_and(|u| u >= nup) {
            return bad(pc, "upvalue out of range");
        }
    }
    Ok(())
}
