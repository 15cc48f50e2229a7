//! Debug information for messages: variable names from bytecode (`ldebug.c`'s
//! `getobjname`), function names at call sites, PUC-style error messages and tracebacks.

use crate::bytecode::*;
use crate::error::LuaError;
use crate::function::Proto;
use crate::gc::Gc;
use crate::state::Vm;
use crate::value::Value;
use crate::vm::Src;

/// Does the opcode set register A (`testAMode`)?
fn sets_a(op: OpCode) -> bool {
    use OpCode::*;
    !matches!(
        op,
        SetUpval
            | SetTabUp
            | SetTable
            | SetI
            | SetField
            | MmBin
            | MmBinI
            | MmBinK
            | Close
            | Tbc
            | Jmp
            | Eq
            | Lt
            | Le
            | EqK
            | EqI
            | LtI
            | LeI
            | GtI
            | GeI
            | Test
            | Return
            | Return0
            | Return1
            | TForPrep
            | TForCall
            | SetList
            | ExtraArg
    )
}

fn is_mm(op: OpCode) -> bool {
    matches!(op, OpCode::MmBin | OpCode::MmBinI | OpCode::MmBinK)
}

/// Name of the `n`-th (1-based) active local at `pc` (`luaF_getlocalname`).
fn get_local_name(p: &Proto, n: usize, pc: usize) -> Option<String> {
    // Locals count from 1 (`debug.getlocal(level, 0)` names nothing).
    if n == 0 {
        return None;
    }
    let mut n = n;
    for lv in p.loc_vars.iter() {
        if lv.start_pc as usize > pc {
            break;
        }
        if pc < lv.end_pc as usize {
            n -= 1;
            if n == 0 {
                return Some(lv.name.clone());
            }
        }
    }
    None
}

/// Name of the local in register `reg` at `pc`, if any.
pub fn local_name(p: &Proto, _base: usize, reg: usize, pc: usize) -> Option<String> {
    get_local_name(p, reg.checked_add(1)?, pc)
}

/// The last instruction before `lastpc` that set register `reg` (`findsetreg`).
fn find_set_reg(p: &Proto, lastpc: usize, reg: u32) -> Option<usize> {
    let mut lastpc = lastpc;
    if let Some(&i) = p.code.get(lastpc) {
        if is_mm(get_op(i)) {
            lastpc = lastpc.saturating_sub(1);
        }
    }
    let mut setreg = None;
    let mut jmptarget = 0usize;
    for pc in 0..lastpc.min(p.code.len()) {
        let i = p.code[pc];
        let op = get_op(i);
        let a = get_a(i);
        let change = match op {
            OpCode::LoadNil => a <= reg && reg <= a + get_b(i),
            OpCode::TForCall => reg >= a + 2,
            OpCode::Call | OpCode::TailCall => reg >= a,
            OpCode::Jmp => {
                let dest = pc as i64 + 1 + get_sj(i) as i64;
                if dest <= lastpc as i64 && dest > jmptarget as i64 {
                    jmptarget = dest as usize;
                }
                false
            }
            _ => sets_a(op) && reg == a,
        };
        if change {
            setreg = if pc < jmptarget { None } else { Some(pc) };
        }
    }
    setreg
}

fn const_str(p: &Proto, idx: usize) -> Option<String> {
    match p.constants.get(idx) {
        Some(Value::Str(s)) => Some(s.to_str_lossy().into_owned()),
        _ => None,
    }
}

fn upval_name(p: &Proto, idx: usize) -> String {
    p.upvalues
        .get(idx)
        .map(|u| u.name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "?".into())
}

/// Name of a key register or constant for "field"/"method" names (`rname`/`rkname`).
fn rkname(p: &Proto, pc: usize, i: Instruction) -> String {
    let c = get_c(i) as usize;
    if get_k(i) {
        const_str(p, c).unwrap_or_else(|| "?".into())
    } else {
        match get_obj_name(p, pc, c as u32) {
            Some(("constant", n)) => n,
            _ => "?".into(),
        }
    }
}

/// Is the table of an indexing instruction the `_ENV` variable? ("global" vs "field")
fn is_env(p: &Proto, pc: usize, i: Instruction, is_up: bool) -> &'static str {
    let t = get_b(i);
    let name = if is_up {
        Some(upval_name(p, t as usize))
    } else {
        get_obj_name(p, pc, t).map(|(_, n)| n)
    };
    if name.as_deref() == Some("_ENV") {
        "global"
    } else {
        "field"
    }
}

/// `getobjname`: what register `reg` holds at `lastpc`: (kind, name).
pub fn get_obj_name(p: &Proto, lastpc: usize, reg: u32) -> Option<(&'static str, String)> {
    if let Some(name) = get_local_name(p, reg as usize + 1, lastpc) {
        return Some(("local", name));
    }
    let pc = find_set_reg(p, lastpc, reg)?;
    let i = p.code[pc];
    match get_op(i) {
        OpCode::Move => {
            let b = get_b(i);
            if b < get_a(i) {
                return get_obj_name(p, pc, b);
            }
            None
        }
        OpCode::GetTabUp => {
            let k = const_str(p, get_c(i) as usize).unwrap_or_else(|| "?".into());
            Some((is_env(p, pc, i, true), k))
        }
        OpCode::GetTable => {
            let k = match get_obj_name(p, pc, get_c(i)) {
                Some(("constant", n)) => n,
                _ => "?".into(),
            };
            Some((is_env(p, pc, i, false), k))
        }
        OpCode::GetI => Some(("field", "integer index".into())),
        OpCode::GetField => {
            let k = const_str(p, get_c(i) as usize).unwrap_or_else(|| "?".into());
            Some((is_env(p, pc, i, false), k))
        }
        OpCode::GetUpval => Some(("upvalue", upval_name(p, get_b(i) as usize))),
        OpCode::LoadK => const_str(p, get_bx(i) as usize).map(|s| ("constant", s)),
        OpCode::LoadKX => p
            .code
            .get(pc + 1)
            .and_then(|&x| const_str(p, get_ax(x) as usize))
            .map(|s| ("constant", s)),
        OpCode::SelfOp => Some(("method", rkname(p, pc, i))),
        _ => None,
    }
}

/// Kind and name of the function called by the instruction at `pc` (`funcnamefromcode`).
pub fn func_name_from_code(p: &Proto, pc: usize) -> Option<(&'static str, String)> {
    let i = *p.code.get(pc)?;
    let tm = match get_op(i) {
        OpCode::Call | OpCode::TailCall => return get_obj_name(p, pc, get_a(i)),
        OpCode::TForCall => return Some(("for iterator", "for iterator".into())),
        OpCode::SelfOp | OpCode::GetTabUp | OpCode::GetTable | OpCode::GetI | OpCode::GetField => {
            TagMethod::Index
        }
        OpCode::SetTabUp | OpCode::SetTable | OpCode::SetI | OpCode::SetField => {
            TagMethod::NewIndex
        }
        OpCode::MmBin | OpCode::MmBinI | OpCode::MmBinK => {
            TagMethod::from_u32(get_c(i)).unwrap_or(TagMethod::Add)
        }
        OpCode::Unm => TagMethod::Unm,
        OpCode::BNot => TagMethod::BNot,
        OpCode::Len => TagMethod::Len,
        OpCode::Concat => TagMethod::Concat,
        OpCode::Eq => TagMethod::Eq,
        OpCode::Lt | OpCode::LtI | OpCode::GtI => TagMethod::Lt,
        OpCode::Le | OpCode::LeI | OpCode::GeI => TagMethod::Le,
        OpCode::Close | OpCode::Return => TagMethod::Close,
        _ => return None,
    };
    Some(("metamethod", tm.name()[2..].to_string()))
}

impl Vm {
    /// The Lua frame on top, with its current pc, if the top frame is a Lua function.
    fn top_lua_frame(&self) -> Option<(Gc<Proto>, usize)> {
        let f = self.frames.last()?;
        let cl = f.closure?;
        Some((cl.proto, f.pc.saturating_sub(1)))
    }

    /// " (kind 'name')" for an operand, or "" (`varinfo`).
    pub fn varinfo(&self, src: Src) -> String {
        let Some((p, pc)) = self.top_lua_frame() else {
            return String::new();
        };
        let info = match src {
            Src::Upval(u) => Some(("upvalue", upval_name(&p, u as usize))),
            Src::Reg(r) => get_obj_name(&p, pc, r),
            Src::None => None,
        };
        match info {
            Some((kind, name)) => format!(" ({kind} '{name}')"),
            None => String::new(),
        }
    }

    /// "attempt to OP a TYPE value (kind 'name')".
    pub fn type_error(&mut self, v: Value, src: Src, op: &str) -> LuaError {
        let t = self.type_name_of(v);
        let info = self.varinfo(src);
        self.vm_error(format!("attempt to {op} a {t} value{info}"))
    }

    pub fn index_error(&mut self, t: Value, _key: Value, src: Src) -> LuaError {
        self.type_error(t, src, "index")
    }

    /// Error for calling the non-callable `stack[func]` (`luaG_callerror`).
    pub fn call_error(&mut self, func: usize) -> LuaError {
        let v = self.stack[func];
        let info = match self.top_lua_frame() {
            Some((p, pc)) => match func_name_from_code(&p, pc) {
                Some((kind, name)) => format!(" ({kind} '{name}')"),
                None => String::new(),
            },
            None => String::new(),
        };
        let t = self.type_name_of(v);
        self.vm_error(format!("attempt to call a {t} value{info}"))
    }

    /// "attempt to compare ..." (`luaG_ordererror`).
    pub fn order_error(&mut self, x: Value, y: Value) -> LuaError {
        let t1 = self.type_name_of(x);
        let t2 = self.type_name_of(y);
        if t1 == t2 {
            self.vm_error(format!("attempt to compare two {t1} values"))
        } else {
            self.vm_error(format!("attempt to compare {t1} with {t2}"))
        }
    }

    /// Name of the running native as its caller called it (`getfuncname`), for messages.
    pub fn current_func_name(&mut self) -> (Option<&'static str>, String) {
        let n = self.frames.len();
        if self.direct_field_depth == n + 1 {
            // A field handler called without a frame: named by the instruction running.
            if let Some(f) = self.frames.last() {
                if let Some(cl) = f.closure {
                    if let Some((kind, name)) =
                        func_name_from_code(&cl.proto, f.pc.saturating_sub(1))
                    {
                        return (Some(kind), name);
                    }
                }
            }
        }
        let direct = self.frames.last().is_some_and(|f| {
            f.status & (crate::thread::status::PCALL | crate::thread::status::HOST) == 0
        });
        if n >= 2 && direct {
            let caller = self.frames[n - 2];
            if let Some(cl) = caller.closure {
                if let Some((kind, name)) =
                    func_name_from_code(&cl.proto, caller.pc.saturating_sub(1))
                {
                    return (Some(kind), name);
                }
            }
        }
        // Not called from Lua: look the function up among the loaded libraries.
        let f = self.frames.last().map(|f| self.stack[f.func]);
        match f.and_then(|f| self.global_func_name(f)) {
            Some(name) => (None, name),
            None => (None, "?".into()),
        }
    }

    /// "string.rep" style name of a library function (`pushglobalfuncname`).
    fn global_func_name(&mut self, f: Value) -> Option<String> {
        let g = self.globals;
        let mut key = Value::Nil;
        let mut libs = Vec::new();
        while let crate::table::Next::Pair(k, v) = g.next(key) {
            if let Value::Str(name) = k {
                if v.raw_eq(&f) {
                    return Some(name.to_str_lossy().into_owned());
                }
                if let Value::Table(t) = v {
                    if t != g {
                        libs.push((name, t));
                    }
                }
            }
            key = k;
        }
        for (lname, t) in libs {
            let mut key = Value::Nil;
            while let crate::table::Next::Pair(k, v) = t.next(key) {
                if let Value::Str(fname) = k {
                    if v.raw_eq(&f) {
                        return Some(format!("{}.{}", lname.to_str_lossy(), fname.to_str_lossy()));
                    }
                }
                key = k;
            }
        }
        None
    }

    /// "bad argument #N to 'name' (msg)" for the running native (`luaL_argerror`).
    /// `arg` is 1-based.
    pub fn arg_error(&mut self, arg: usize, msg: &str) -> LuaError {
        let (kind, name) = self.current_func_name();
        let mut arg = arg;
        if kind == Some("method") {
            arg -= 1;
            if arg == 0 {
                return self.rt_error(format!("calling '{name}' on bad self ({msg})"));
            }
        }
        self.rt_error(format!("bad argument #{arg} to '{name}' ({msg})"))
    }

    /// As [`Vm::arg_error`] with a fixed function name (for intrinsics without a frame).
    pub fn arg_error_named(&mut self, arg: usize, msg: &str, name: &str) -> LuaError {
        self.rt_error(format!("bad argument #{arg} to '{name}' ({msg})"))
    }

    /// "X expected, got Y" argument error (`luaL_typeerror`).
    pub fn type_arg_error(
        &mut self,
        arg: usize,
        expected: &str,
        got: Value,
        present: bool,
    ) -> LuaError {
        let got_name = if !present {
            "no value".to_string()
        } else {
            self.type_name_of(got)
        };
        self.arg_error(arg, &format!("{expected} expected, got {got_name}"))
    }

    /// A traceback of the current frames, as `luaL_traceback` formats it.
    pub fn traceback(&self, msg: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(m) = msg {
            out.push_str(m);
            out.push('\n');
        }
        out.push_str("stack traceback:");
        for (idx, f) in self.frames.iter().enumerate().rev() {
            out.push_str("\n\t");
            match f.closure {
                Some(cl) => {
                    let p = cl.proto;
                    // No line info (a stripped binary chunk): no line, as `luaL_traceback`.
                    match p.line_info.get(f.pc.saturating_sub(1)) {
                        Some(line) => {
                            out.push_str(&format!("{}:{}: in ", chunk_id(&p.source), line))
                        }
                        None => out.push_str(&format!("{}: in ", chunk_id(&p.source))),
                    }
                    if p.line_defined == 0 {
                        out.push_str("main chunk");
                    } else {
                        let name = idx
                            .checked_sub(1)
                            .and_then(|c| self.frames.get(c))
                            .and_then(|c| c.closure.map(|cc| (cc, c.pc)))
                            .and_then(|(cc, pc)| {
                                func_name_from_code(&cc.proto, pc.saturating_sub(1))
                            });
                        match name {
                            Some((kind, n)) if kind != "for iterator" => {
                                out.push_str(&format!("{kind} '{n}'"))
                            }
                            _ => out.push_str(&format!(
                                "function <{}:{}>",
                                chunk_id(&p.source),
                                p.line_defined
                            )),
                        }
                    }
                }
                None => out.push_str("[C]: in ?"),
            }
            if f.status & crate::thread::status::TAIL != 0 {
                out.push_str("\n\t(...tail calls...)");
            }
        }
        out
    }
}
