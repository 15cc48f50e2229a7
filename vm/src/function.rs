//! Functions: runtime prototypes, Lua closures, upvalues and native functions.

use std::cell::Cell;
use std::rc::Rc;

use crate::bytecode::{Instruction, LocVar, UpvalDesc};
use crate::error::{LuaError, LuaResult};
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

/// A field access a host answers without a call frame: `(vm, object, key, value)`,
/// `value` being `Some` for a write. Returns the value read (anything after a write).
/// The VM calls it, in place of the `__index`/`__newindex` native it belongs to, when
/// a userdata's field is read or written (see [`NativeClosure::direct`]).
pub type DirectFieldFn = dyn Fn(&mut Vm, Value, Value, Option<Value>) -> LuaResult<Value>;

/// A host function with state and optional Lua upvalues.
pub struct NativeClosure {
    pub func: Box<HostFn>,
    pub name: &'static str,
    pub upvals: Vec<Value>,
    /// For a userdata's `__index` or `__newindex` handler: the same access as `func`,
    /// called directly with its operands (no frame, no argument slots), which makes a host
    /// field read or write several times cheaper. It must behave exactly as `func` does.
    pub direct: Option<Box<DirectFieldFn>>,
}

impl Trace for NativeClosure {
    fn trace(&self, tracer: &mut Tracer) {
        for &v in &self.upvals {
            tracer.mark_value(v);
        }
    }
}

/// Checks the invariants the dispatch loop relies on to run a prototype without bounds
/// checks (`crate::vm`, `mod raw`) and without panicking on its checked paths. Compiler
/// output always passes; binary chunks (`crate::dump`) are untrusted input, so this is
/// complete for anything a crafted prototype could contain:
///
/// * every opcode is known, the code ends with a return, and every instruction's possible
///   successors (fall-through, skip, jump targets, `FORPREP`/`FORLOOP`/`TFORPREP`/
///   `TFORLOOP` targets) lie inside `code`;
/// * instruction pairs are well formed: `LOADKX`, `NEWTABLE` and `SETLIST` with k are
///   followed by `EXTRAARG`, comparisons and tests by `JMP`, arithmetic by `MMBIN*` and
///   `MMBIN*` preceded by arithmetic (its result register comes from that instruction);
/// * every register an instruction reads or writes (including ranges: `LOADNIL`, `CALL`
///   arguments and results, `CONCAT`, `RETURN`, `SETLIST`, the loop control registers of
///   the `FOR*` instructions) is below `max_stack_size`, as are the parameters; the frame
///   is allocated with that size, and register operands stay within
///   [`crate::vm::REG_WINDOW`] anyway;
/// * an instruction that takes "all values up to the top" (`CALL`/`TAILCALL`/`RETURN`/
///   `SETLIST` with B = 0) directly follows one that sets the top above its first
///   register (`CALL` with C = 0, `TAILCALL`, `VARARG` with C = 0) and is not a jump
///   target, so the top is never stale;
/// * constant, upvalue and nested-prototype indices are in range, constants have the type
///   the opcode expects (string keys for `GETFIELD`/`GETTABUP`/`SETFIELD`/`SETTABUP`,
///   numbers for arithmetic), `MMBIN*` names an arithmetic event, `VARARG` appears only in
///   vararg functions, and nested prototypes capture registers below this function's
///   `max_stack_size` or upvalues it has;
/// * line info is empty (stripped) or one line per instruction.
///
/// The error names the instruction; the loader reports it as "bad binary format (...)".
pub fn verify(p: &Proto) -> Result<(), String> {
    use crate::bytecode::*;
    let code = &p.code;
    let len = code.len() as i64;
    let nk = p.constants.len() as u32;
    let nup = p.upvalues.len() as u32;
    let max = p.max_stack_size as u32;
    let bad = |pc: usize, what: &str| Err(format!("invalid bytecode at pc {pc}: {what}"));
    if !p.line_info.is_empty() && p.line_info.len() != code.len() {
        return bad(0, "line info does not match the code");
    }
    if p.num_params as u32 > max {
        return bad(0, "more parameters than registers");
    }
    match code.last().map(|&i| get_op(i)) {
        Some(OpCode::Return | OpCode::Return0 | OpCode::Return1) => {}
        _ => return bad(code.len(), "code does not end with a return"),
    }
    for (n, c) in p.protos.iter().enumerate() {
        for u in c.upvalues.iter() {
            let ok = if u.in_stack {
                (u.index as u32) < max
            } else {
                (u.index as u32) < nup
            };
            if !ok {
                return bad(0, &format!("upvalue of function {n} out of range"));
            }
        }
    }
    let is_arith = |op: OpCode| {
        matches!(
            op,
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
                | OpCode::Shr
                | OpCode::AddK
                | OpCode::SubK
                | OpCode::MulK
                | OpCode::ModK
                | OpCode::PowK
                | OpCode::DivK
                | OpCode::IDivK
                | OpCode::BAndK
                | OpCode::BOrK
                | OpCode::BXorK
        )
    };
    // Instructions reached other than by falling through (their top may be stale).
    let mut jump_target = vec![false; code.len()];
    // Open-top consumers to check once every jump target is known: (pc, first register).
    let mut consumers: Vec<(usize, u32)> = Vec::new();
    for (pc, &i) in code.iter().enumerate() {
        let j = pc as i64;
        let Some(op) = OpCode::from_u8((i & 0x7f) as u8) else {
            return bad(pc, "unknown opcode");
        };
        let (a, b, c) = (get_a(i), get_b(i), get_c(i));
        // Successor pcs (besides re-running the instruction itself).
        let mut succ: [i64; 2] = [j + 1, j + 1];
        let next = code.get(pc + 1).map(|&n| get_op(n));
        let prev = pc.checked_sub(1).and_then(|q| code.get(q)).copied();
        // Highest register used (exclusive bound), constants by expected type, upvalue.
        let mut regs: u32 = a + 1;
        let mut konst: Option<u32> = None;
        let mut str_konst: Option<u32> = None;
        let mut num_konst: Option<u32> = None;
        let mut upval: Option<u32> = None;
        let mut need_next: Option<&[OpCode]> = None;
        let rk_c = || if get_k(i) { Some(c) } else { None };
        const EXTRA: &[OpCode] = &[OpCode::ExtraArg];
        const JMP: &[OpCode] = &[OpCode::Jmp];
        const MMBIN: &[OpCode] = &[OpCode::MmBin, OpCode::MmBinI, OpCode::MmBinK];
        match op {
            OpCode::Move | OpCode::Unm | OpCode::BNot | OpCode::Not | OpCode::Len => {
                regs = regs.max(b + 1)
            }
            OpCode::LoadI
            | OpCode::LoadF
            | OpCode::LoadFalse
            | OpCode::LoadTrue
            | OpCode::Close
            | OpCode::Tbc => {}
            OpCode::LoadK => konst = Some(get_bx(i)),
            OpCode::LoadKX => {
                need_next = Some(EXTRA);
                konst = code.get(pc + 1).map(|&n| get_ax(n));
                succ = [j + 2, j + 2];
            }
            OpCode::LFalseSkip => succ = [j + 2, j + 2],
            OpCode::LoadNil => regs = a + b + 1,
            OpCode::GetUpval | OpCode::SetUpval => upval = Some(b),
            OpCode::GetTabUp => {
                upval = Some(b);
                str_konst = Some(c);
            }
            OpCode::GetTable => regs = regs.max(b + 1).max(c + 1),
            OpCode::GetI => regs = regs.max(b + 1),
            OpCode::GetField => {
                regs = regs.max(b + 1);
                str_konst = Some(c);
            }
            OpCode::SetTabUp => {
                regs = 0;
                upval = Some(a);
                str_konst = Some(b);
                match rk_c() {
                    Some(x) => konst = Some(x),
                    None => regs = c + 1,
                }
            }
            OpCode::SetTable | OpCode::SetI | OpCode::SetField => {
                if op == OpCode::SetTable {
                    regs = regs.max(b + 1);
                }
                if op == OpCode::SetField {
                    str_konst = Some(b);
                }
                match rk_c() {
                    Some(x) => konst = Some(x),
                    None => regs = regs.max(c + 1),
                }
            }
            OpCode::NewTable => {
                need_next = Some(EXTRA);
                succ = [j + 2, j + 2];
                // Size hints are preallocated: bound them by what the code can store (a
                // list item per instruction, `LOADNIL` many per `SETLIST` flush of 50; a
                // hash item per instruction, rounded up to a power of two).
                let extra = if get_k(i) {
                    code.get(pc + 1).map_or(0, |&n| get_ax(n) as usize)
                } else {
                    0
                };
                let asize = c as usize + extra * (MAXARG_C as usize + 1);
                let room = code.len().saturating_mul(LFIELDS_PER_FLUSH as usize);
                let hash_ok = b == 0 || (b <= 31 && (1usize << (b - 1)) <= 2 * code.len());
                if asize > room || !hash_ok {
                    return bad(pc, "table size hint larger than the code can fill");
                }
            }
            OpCode::SelfOp => {
                regs = (a + 2).max(b + 1);
                match rk_c() {
                    Some(x) => konst = Some(x),
                    None => regs = regs.max(c + 1),
                }
            }
            OpCode::AddI | OpCode::ShrI | OpCode::ShlI => {
                regs = regs.max(b + 1);
                need_next = Some(MMBIN);
                succ = [j + 1, j + 2];
            }
            OpCode::Add
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
            | OpCode::Shr => {
                regs = regs.max(b + 1).max(c + 1);
                need_next = Some(MMBIN);
                succ = [j + 1, j + 2];
            }
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
                regs = regs.max(b + 1);
                num_konst = Some(c);
                need_next = Some(MMBIN);
                succ = [j + 1, j + 2];
            }
            OpCode::MmBin | OpCode::MmBinI | OpCode::MmBinK => {
                if !prev.is_some_and(|q| is_arith(get_op(q))) {
                    return bad(pc, "MMBIN without a preceding arithmetic instruction");
                }
                if !TagMethod::from_u32(c).is_some_and(|tm| {
                    (TagMethod::Add as u32..=TagMethod::Shr as u32).contains(&(tm as u32))
                }) {
                    return bad(pc, "MMBIN with a bad event");
                }
                match op {
                    OpCode::MmBin => regs = regs.max(b + 1),
                    OpCode::MmBinK => konst = Some(b),
                    _ => {}
                }
            }
            OpCode::Concat => {
                if b < 2 {
                    return bad(pc, "CONCAT of fewer than two values");
                }
                regs = a + b;
            }
            OpCode::Jmp => {
                regs = 0;
                succ = [j + 1 + get_sj(i) as i64; 2];
            }
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
                need_next = Some(JMP);
                let sj = code.get(pc + 1).map_or(0, |&n| get_sj(n));
                succ = [j + 2, j + 2 + sj as i64];
                match op {
                    OpCode::Eq | OpCode::Lt | OpCode::Le | OpCode::TestSet => {
                        regs = regs.max(b + 1)
                    }
                    OpCode::EqK => konst = Some(b),
                    _ => {}
                }
            }
            OpCode::Call | OpCode::TailCall => {
                // Arguments R[A+1..A+B-1], results R[A..A+C-2].
                if b == 0 {
                    consumers.push((pc, a + 1));
                } else {
                    regs = regs.max(a + b);
                }
                if op == OpCode::Call && c > 0 {
                    regs = regs.max(a + c - 1);
                }
            }
            OpCode::Return => {
                // Values R[A..A+B-2]: A itself may be the first free register.
                if b == 0 {
                    regs = 0;
                    consumers.push((pc, a));
                } else {
                    regs = a + b - 1;
                }
                succ = [j, j];
            }
            OpCode::Return0 => {
                regs = 0;
                succ = [j, j];
            }
            OpCode::Return1 => succ = [j, j],
            OpCode::ForLoop => {
                regs = a + 4;
                succ = [j + 1, j + 1 - get_bx(i) as i64];
            }
            OpCode::ForPrep => {
                regs = a + 4;
                succ = [j + 1, j + 2 + get_bx(i) as i64];
            }
            OpCode::TForPrep => {
                regs = a + 4;
                succ = [j + 1 + get_bx(i) as i64; 2];
            }
            // Control registers R[A..A+3], the call's copy in R[A+4..A+6], results from
            // R[A+4].
            OpCode::TForCall => regs = (a + 7).max(a + 4 + c),
            OpCode::TForLoop => {
                regs = a + 5;
                succ = [j + 1, j + 1 - get_bx(i) as i64];
            }
            OpCode::SetList => {
                if b == 0 {
                    consumers.push((pc, a + 1));
                } else {
                    regs = a + b + 1;
                }
                if get_k(i) {
                    need_next = Some(EXTRA);
                    succ = [j + 2, j + 2];
                }
            }
            OpCode::Closure => {
                if get_bx(i) as usize >= p.protos.len() {
                    return bad(pc, "function index out of range");
                }
            }
            OpCode::Vararg => {
                if !p.is_vararg {
                    return bad(pc, "VARARG in a function without varargs");
                }
                if c > 0 {
                    regs = regs.max(a + c - 1);
                }
            }
            OpCode::VarargPrep => {
                regs = 0;
                if !p.is_vararg {
                    return bad(pc, "VARARGPREP in a function without varargs");
                }
            }
            OpCode::ExtraArg => regs = 0,
        }
        if let Some(ops) = need_next {
            if !next.is_some_and(|n| ops.contains(&n)) {
                return bad(pc, "missing companion instruction");
            }
        }
        if regs > max {
            return bad(pc, "register out of range");
        }
        for s in succ {
            if s < 0 || s >= len {
                return bad(pc, "jump or fall-through out of the code");
            }
            if s != j + 1 && s != j {
                if let Some(t) = jump_target.get_mut(s as usize) {
                    *t = true;
                }
            }
        }
        for x in [konst, str_konst, num_konst].into_iter().flatten() {
            if x >= nk {
                return bad(pc, "constant out of range");
            }
        }
        let k_at = |x: Option<u32>| x.and_then(|x| p.constants.get(x as usize)).copied();
        if k_at(str_konst).is_some_and(|k| !matches!(k, Value::Str(_))) {
            return bad(pc, "constant is not a string");
        }
        if k_at(num_konst).is_some_and(|k| !matches!(k, Value::Int(_) | Value::Float(_))) {
            return bad(pc, "constant is not a number");
        }
        if upval.is_some_and(|u| u >= nup) {
            return bad(pc, "upvalue out of range");
        }
    }
    for (pc, first) in consumers {
        let producer = pc.checked_sub(1).and_then(|q| code.get(q)).copied();
        let sets_top = producer.is_some_and(|q| {
            let open = match get_op(q) {
                OpCode::Call | OpCode::Vararg => get_c(q) == 0,
                OpCode::TailCall => true,
                _ => false,
            };
            open && get_a(q) >= first
        });
        if !sets_top || jump_target.get(pc).copied().unwrap_or(true) {
            return bad(pc, "open operand count without a preceding open result");
        }
    }
    Ok(())
}
