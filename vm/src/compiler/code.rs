//! Code generator: a port of PUC Lua 5.4's `lcode.c`.

use super::*;
use crate::ast::{BinOp, UnOp};
use crate::bytecode::{
    encode_abc, encode_abx, encode_ax, encode_sj, get_a, get_b, get_k, get_op, get_sj, set_a,
    set_b, set_c, set_k, set_sj, Constant, Instruction, OpCode, TagMethod, MAXARG_A, MAXARG_AX,
    MAXARG_B, MAXARG_BX, MAXARG_C, MAXARG_SJ, MAX_REGS, OFFSET_SBX, OFFSET_SC, OFFSET_SJ,
};

/// Replaces the opcode of an instruction.
pub(super) fn set_op(i: Instruction, op: OpCode) -> Instruction {
    (i & !0x7f) | op as u32
}

/// Opcodes whose next instruction is a jump (`testTMode`).
fn is_test_op(op: OpCode) -> bool {
    matches!(
        op,
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
            | OpCode::TestSet
    )
}

/// `luaV_flttointeger(f, F2Ieq)`: the integer with exactly the value of `f`.
pub(super) fn flt_to_int(f: f64) -> Option<i64> {
    if f.floor() == f && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

fn fits_c(i: i64) -> bool {
    (i as u64).wrapping_add(OFFSET_SC as u64) <= MAXARG_C as u64
}

fn fits_bx(i: i64) -> bool {
    -(OFFSET_SBX as i64) <= i && i <= MAXARG_BX as i64 - OFFSET_SBX as i64
}

fn int2sc(i: i64) -> u32 {
    (i + OFFSET_SC as i64) as u32
}

/// The table key PUC uses for a float: integral floats become integer keys.
fn float_key<'a>(x: f64) -> KKey<'a> {
    match flt_to_int(x) {
        Some(i) => KKey::Int(i),
        None => KKey::Flt(x.to_bits()),
    }
}

/// A numeric operand of constant folding.
#[derive(Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
}

impl Num {
    fn to_f(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        }
    }
    fn to_i(self) -> Option<i64> {
        match self {
            Num::I(i) => Some(i),
            Num::F(f) => flt_to_int(f),
        }
    }
}

/// Arithmetic/bitwise operators that can be folded and have opcodes (`OPR_ADD`..`OPR_SHR`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Arith {
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
    Unm,
    BNot,
}

impl Arith {
    fn from_binop(op: BinOp) -> Option<Arith> {
        Some(match op {
            BinOp::Add => Arith::Add,
            BinOp::Sub => Arith::Sub,
            BinOp::Mul => Arith::Mul,
            BinOp::Mod => Arith::Mod,
            BinOp::Pow => Arith::Pow,
            BinOp::Div => Arith::Div,
            BinOp::IDiv => Arith::IDiv,
            BinOp::BAnd => Arith::BAnd,
            BinOp::BOr => Arith::BOr,
            BinOp::BXor => Arith::BXor,
            BinOp::Shl => Arith::Shl,
            BinOp::Shr => Arith::Shr,
            _ => return None,
        })
    }
    fn reg_op(self) -> OpCode {
        match self {
            Arith::Add => OpCode::Add,
            Arith::Sub => OpCode::Sub,
            Arith::Mul => OpCode::Mul,
            Arith::Mod => OpCode::Mod,
            Arith::Pow => OpCode::Pow,
            Arith::Div => OpCode::Div,
            Arith::IDiv => OpCode::IDiv,
            Arith::BAnd => OpCode::BAnd,
            Arith::BOr => OpCode::BOr,
            Arith::BXor => OpCode::BXor,
            Arith::Shl => OpCode::Shl,
            Arith::Shr => OpCode::Shr,
            Arith::Unm => OpCode::Unm,
            Arith::BNot => OpCode::BNot,
        }
    }
    fn k_op(self) -> OpCode {
        match self {
            Arith::Add => OpCode::AddK,
            Arith::Sub => OpCode::SubK,
            Arith::Mul => OpCode::MulK,
            Arith::Mod => OpCode::ModK,
            Arith::Pow => OpCode::PowK,
            Arith::Div => OpCode::DivK,
            Arith::IDiv => OpCode::IDivK,
            Arith::BAnd => OpCode::BAndK,
            Arith::BOr => OpCode::BOrK,
            _ => OpCode::BXorK,
        }
    }
    fn tm(self) -> TagMethod {
        match self {
            Arith::Add => TagMethod::Add,
            Arith::Sub => TagMethod::Sub,
            Arith::Mul => TagMethod::Mul,
            Arith::Mod => TagMethod::Mod,
            Arith::Pow => TagMethod::Pow,
            Arith::Div => TagMethod::Div,
            Arith::IDiv => TagMethod::IDiv,
            Arith::BAnd => TagMethod::BAnd,
            Arith::BOr => TagMethod::BOr,
            Arith::BXor => TagMethod::BXor,
            Arith::Shl => TagMethod::Shl,
            Arith::Shr => TagMethod::Shr,
            Arith::Unm => TagMethod::Unm,
            Arith::BNot => TagMethod::BNot,
        }
    }
    fn is_bitwise(self) -> bool {
        matches!(
            self,
            Arith::BAnd | Arith::BOr | Arith::BXor | Arith::Shl | Arith::Shr | Arith::BNot
        )
    }
}

fn shift_left(x: i64, y: i64) -> i64 {
    if y < 0 {
        if y <= -64 {
            0
        } else {
            ((x as u64) >> (-y) as u32) as i64
        }
    } else if y >= 64 {
        0
    } else {
        ((x as u64) << y as u32) as i64
    }
}

fn int_arith(op: Arith, a: i64, b: i64) -> Option<i64> {
    Some(match op {
        Arith::Add => a.wrapping_add(b),
        Arith::Sub => a.wrapping_sub(b),
        Arith::Mul => a.wrapping_mul(b),
        Arith::Mod => {
            if b == 0 {
                return None;
            }
            if b == -1 {
                0
            } else {
                let r = a % b;
                if r != 0 && (r ^ b) < 0 {
                    r + b
                } else {
                    r
                }
            }
        }
        Arith::IDiv => {
            if b == 0 {
                return None;
            }
            if b == -1 {
                0i64.wrapping_sub(a)
            } else {
                let q = a / b;
                if (a ^ b) < 0 && a % b != 0 {
                    q - 1
                } else {
                    q
                }
            }
        }
        Arith::BAnd => a & b,
        Arith::BOr => a | b,
        Arith::BXor => a ^ b,
        Arith::Shl => shift_left(a, b),
        Arith::Shr => shift_left(a, 0i64.wrapping_sub(b)),
        Arith::Unm => 0i64.wrapping_sub(a),
        Arith::BNot => !a,
        Arith::Pow | Arith::Div => return None,
    })
}

fn flt_arith(op: Arith, a: f64, b: f64) -> f64 {
    match op {
        Arith::Add => a + b,
        Arith::Sub => a - b,
        Arith::Mul => a * b,
        Arith::Div => a / b,
        Arith::Pow => {
            if b == 2.0 {
                a * a
            } else {
                a.powf(b)
            }
        }
        Arith::IDiv => (a / b).floor(),
        Arith::Unm => -a,
        Arith::Mod => {
            let m = a % b;
            if m * b < 0.0 {
                m + b
            } else {
                m
            }
        }
        _ => f64::NAN,
    }
}

/// `luaO_rawarith` over numbers, after `validop` accepted the operands.
fn raw_arith(op: Arith, a: Num, b: Num) -> Option<Num> {
    if op.is_bitwise() {
        return Some(Num::I(int_arith(op, a.to_i()?, b.to_i()?)?));
    }
    match (op, a, b) {
        (Arith::Div | Arith::Pow, _, _) => Some(Num::F(flt_arith(op, a.to_f(), b.to_f()))),
        (_, Num::I(x), Num::I(y)) => Some(Num::I(int_arith(op, x, y)?)),
        _ => Some(Num::F(flt_arith(op, a.to_f(), b.to_f()))),
    }
}

/// `tonumeral`: the numeric value of a numeral expression without jumps.
fn tonumeral(e: &ExpDesc) -> Option<Num> {
    if e.has_jumps() {
        return None;
    }
    match e.k {
        EK::KInt(i) => Some(Num::I(i)),
        EK::KFlt(f) => Some(Num::F(f)),
        _ => None,
    }
}

fn is_numeral(e: &ExpDesc) -> bool {
    tonumeral(e).is_some()
}

fn is_cint(e: &ExpDesc) -> bool {
    match e.k {
        EK::KInt(i) => !e.has_jumps() && (i as u64) <= MAXARG_C as u64,
        _ => false,
    }
}

fn is_scint(e: &ExpDesc) -> bool {
    match e.k {
        EK::KInt(i) => !e.has_jumps() && fits_c(i),
        _ => false,
    }
}

/// `isSCnumber`: an integer or integral float fitting in sB/sC; returns (immediate, isfloat).
fn is_scnumber(e: &ExpDesc) -> Option<(u32, bool)> {
    let (i, isfloat) = match e.k {
        EK::KInt(i) => (i, false),
        EK::KFlt(f) => (flt_to_int(f)?, true),
        _ => return None,
    };
    if !e.has_jumps() && fits_c(i) {
        Some((int2sc(i), isfloat))
    } else {
        None
    }
}

/// Comparison operators in PUC's `OPR_*` terms.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Lt,
    Le,
}

impl<'a> Compiler<'a> {
    // ---- instruction emission ------------------------------------------------------

    pub(super) fn pc(&self) -> usize {
        self.fs.pc()
    }

    fn code(&mut self, i: Instruction) -> usize {
        self.fs.f.code.push(i);
        self.fs.f.line_info.push(self.line);
        self.fs.pc() - 1
    }

    pub(super) fn code_abck(&mut self, op: OpCode, a: u32, b: u32, c: u32, k: bool) -> usize {
        if a > MAXARG_A || b > MAXARG_B || c > MAXARG_C {
            self.overflow = true;
        }
        self.code(encode_abc(op, a & MAXARG_A, b & MAXARG_B, c & MAXARG_C, k))
    }

    pub(super) fn code_abc(&mut self, op: OpCode, a: u32, b: u32, c: u32) -> usize {
        self.code_abck(op, a, b, c, false)
    }

    pub(super) fn code_abx(&mut self, op: OpCode, a: u32, bx: u32) -> usize {
        if a > MAXARG_A || bx > MAXARG_BX {
            self.overflow = true;
        }
        self.code(encode_abx(op, a & MAXARG_A, bx & MAXARG_BX))
    }

    fn code_asbx(&mut self, op: OpCode, a: u32, sbx: i64) -> usize {
        self.code_abx(op, a, (sbx + OFFSET_SBX as i64) as u32)
    }

    fn code_extraarg(&mut self, a: u32) -> usize {
        if a > MAXARG_AX {
            self.overflow = true;
        }
        self.code(encode_ax(OpCode::ExtraArg, a & MAXARG_AX))
    }

    /// `luaK_codek`: load constant `k` into `reg`.
    fn code_k(&mut self, reg: u32, k: u32) -> usize {
        if k <= MAXARG_BX {
            self.code_abx(OpCode::LoadK, reg, k)
        } else {
            let p = self.code_abx(OpCode::LoadKX, reg, 0);
            self.code_extraarg(k);
            p
        }
    }

    /// `luaK_fixline`: set the line of the last instruction.
    pub(super) fn fixline(&mut self, line: u32) {
        if let Some(l) = self.fs.f.line_info.last_mut() {
            *l = line;
        }
    }

    fn remove_last_instruction(&mut self) {
        self.fs.f.code.pop();
        self.fs.f.line_info.pop();
    }

    fn instr(&self, pc: usize) -> Instruction {
        self.fs.f.code.get(pc).copied().unwrap_or(u32::MAX)
    }

    fn set_instr(&mut self, pc: usize, i: Instruction) {
        if let Some(slot) = self.fs.f.code.get_mut(pc) {
            *slot = i;
        }
    }

    /// Previous instruction, or `None` if there may be a jump target in between.
    fn previous_instruction(&self) -> Option<usize> {
        let pc = self.pc();
        if pc > self.fs.lasttarget && pc > 0 {
            Some(pc - 1)
        } else {
            None
        }
    }

    /// `luaK_nil`: set registers `from..from+n` to nil, merging with a previous `LOADNIL`.
    pub(super) fn code_nil(&mut self, mut from: u32, n: u32) {
        let mut l = from + n - 1;
        if let Some(ppc) = self.previous_instruction() {
            let prev = self.instr(ppc);
            if get_op(prev) == OpCode::LoadNil {
                let pfrom = get_a(prev);
                let pl = pfrom + get_b(prev);
                if (pfrom <= from && from <= pl + 1) || (from <= pfrom && pfrom <= l + 1) {
                    from = from.min(pfrom);
                    l = l.max(pl);
                    let i = set_b(set_a(prev, from), l - from);
                    self.set_instr(ppc, i);
                    return;
                }
            }
        }
        self.code_abc(OpCode::LoadNil, from, n - 1, 0);
    }

    // ---- jumps ---------------------------------------------------------------------

    fn getjump(&self, pc: i32) -> i32 {
        let offset = get_sj(self.instr(pc as usize));
        if offset == NO_JUMP {
            NO_JUMP
        } else {
            pc + 1 + offset
        }
    }

    pub(super) fn fixjump(&mut self, pc: i32, dest: i32) -> R<()> {
        let offset = dest - (pc + 1);
        if !(-OFFSET_SJ <= offset && offset <= MAXARG_SJ as i32 - OFFSET_SJ) {
            return Err(self.error("control structure too long"));
        }
        let i = self.instr(pc as usize);
        self.set_instr(pc as usize, set_sj(i, offset));
        Ok(())
    }

    /// `luaK_concat`: append list `l2` to list `l1`.
    pub(super) fn concat_jumps(&mut self, l1: &mut i32, l2: i32) -> R<()> {
        if l2 == NO_JUMP {
            return Ok(());
        }
        if *l1 == NO_JUMP {
            *l1 = l2;
            return Ok(());
        }
        let mut list = *l1;
        let mut guard = 0usize;
        loop {
            let next = self.getjump(list);
            if next == NO_JUMP {
                break;
            }
            list = next;
            guard += 1;
            if guard > self.fs.f.code.len() {
                return Err(self.error("corrupt jump list"));
            }
        }
        self.fixjump(list, l2)
    }

    pub(super) fn jump(&mut self) -> i32 {
        self.code(encode_sj(OpCode::Jmp, NO_JUMP)) as i32
    }

    /// `luaK_ret`.
    pub(super) fn ret(&mut self, first: u32, nret: i32) {
        let op = match nret {
            0 => OpCode::Return0,
            1 => OpCode::Return1,
            _ => OpCode::Return,
        };
        self.code_abc(op, first, (nret + 1) as u32, 0);
    }

    fn condjump(&mut self, op: OpCode, a: u32, b: u32, c: u32, k: bool) -> i32 {
        self.code_abck(op, a, b, c, k);
        self.jump()
    }

    /// `luaK_getlabel`: current pc, marked as a jump target.
    pub(super) fn getlabel(&mut self) -> i32 {
        self.fs.lasttarget = self.pc();
        self.pc() as i32
    }

    fn getjumpcontrol(&self, pc: i32) -> usize {
        let pc = pc as usize;
        if pc >= 1 && is_test_op(get_op(self.instr(pc - 1))) {
            pc - 1
        } else {
            pc
        }
    }

    fn patchtestreg(&mut self, node: i32, reg: u32) -> bool {
        let ipc = self.getjumpcontrol(node);
        let i = self.instr(ipc);
        if get_op(i) != OpCode::TestSet {
            return false;
        }
        if reg != NO_REG && reg != get_b(i) {
            self.set_instr(ipc, set_a(i, reg));
        } else {
            self.set_instr(ipc, encode_abc(OpCode::Test, get_b(i), 0, 0, get_k(i)));
        }
        true
    }

    fn removevalues(&mut self, mut list: i32) {
        while list != NO_JUMP {
            self.patchtestreg(list, NO_REG);
            list = self.getjump(list);
        }
    }

    fn patchlistaux(&mut self, mut list: i32, vtarget: i32, reg: u32, dtarget: i32) -> R<()> {
        while list != NO_JUMP {
            let next = self.getjump(list);
            if self.patchtestreg(list, reg) {
                self.fixjump(list, vtarget)?;
            } else {
                self.fixjump(list, dtarget)?;
            }
            list = next;
        }
        Ok(())
    }

    pub(super) fn patchlist(&mut self, list: i32, target: i32) -> R<()> {
        self.patchlistaux(list, target, NO_REG, target)
    }

    pub(super) fn patchtohere(&mut self, list: i32) -> R<()> {
        let hr = self.getlabel();
        self.patchlist(list, hr)
    }

    // ---- registers -----------------------------------------------------------------

    /// `luaK_checkstack`.
    pub(super) fn checkstack(&mut self, n: u32) -> R<()> {
        let newstack = self.fs.freereg + n;
        if newstack > self.fs.maxstack {
            if newstack >= MAX_REGS {
                return Err(self.error("function or expression needs too many registers"));
            }
            self.fs.maxstack = newstack;
        }
        Ok(())
    }

    pub(super) fn reserveregs(&mut self, n: u32) -> R<()> {
        self.checkstack(n)?;
        self.fs.freereg += n;
        Ok(())
    }

    fn freereg(&mut self, reg: u32) {
        if reg >= self.nvarstack() {
            self.fs.freereg = self.fs.freereg.saturating_sub(1);
        }
    }

    fn freeregs(&mut self, r1: Option<u32>, r2: Option<u32>) {
        match (r1, r2) {
            (Some(a), Some(b)) => {
                if a > b {
                    self.freereg(a);
                    self.freereg(b);
                } else {
                    self.freereg(b);
                    self.freereg(a);
                }
            }
            (Some(a), None) | (None, Some(a)) => self.freereg(a),
            (None, None) => {}
        }
    }

    pub(super) fn freeexp(&mut self, e: &ExpDesc) {
        if let EK::NonReloc(r) = e.k {
            self.freereg(r);
        }
    }

    fn freeexps(&mut self, e1: &ExpDesc, e2: &ExpDesc) {
        let r1 = match e1.k {
            EK::NonReloc(r) => Some(r),
            _ => None,
        };
        let r2 = match e2.k {
            EK::NonReloc(r) => Some(r),
            _ => None,
        };
        self.freeregs(r1, r2);
    }

    // ---- constants -----------------------------------------------------------------

    fn addk(&mut self, key: KKey<'a>, v: KKey<'a>) -> R<u32> {
        let ks = &self.fs.f.constants;
        if let Some(&k) = self.kcache.get(&key) {
            if let Some(c) = ks.get(k) {
                let same = match (c, v) {
                    (Constant::Nil, KKey::Nil) => true,
                    (Constant::Bool(a), KKey::Bool(b)) => *a == b,
                    (Constant::Int(a), KKey::Int(b)) => *a == b,
                    (Constant::Float(a), KKey::Flt(b)) => *a == f64::from_bits(b),
                    (Constant::Str(a), KKey::Str(b)) => a.as_slice() == b,
                    _ => false,
                };
                if same {
                    return Ok(k as u32);
                }
            }
        }
        let k = ks.len();
        if k > MAXARG_AX as usize {
            return Err(self.error_limit(MAXARG_AX as usize, "constants"));
        }
        self.kcache.insert(key, k);
        self.fs.f.constants.push(match v {
            KKey::Nil => Constant::Nil,
            KKey::Bool(b) => Constant::Bool(b),
            KKey::Int(i) => Constant::Int(i),
            KKey::Flt(f) => Constant::Float(f64::from_bits(f)),
            KKey::Str(s) => Constant::Str(s.to_vec()),
        });
        Ok(k as u32)
    }

    pub(super) fn string_k(&mut self, s: &'a [u8]) -> R<u32> {
        self.addk(KKey::Str(s), KKey::Str(s))
    }

    fn int_k(&mut self, n: i64) -> R<u32> {
        self.addk(KKey::Int(n), KKey::Int(n))
    }

    fn number_k(&mut self, r: f64) -> R<u32> {
        let v = KKey::Flt(r.to_bits());
        match flt_to_int(r) {
            None => self.addk(float_key(r), v),
            Some(ik) => {
                let q = 2f64.powi(-52);
                let k = if ik == 0 { q } else { r + r * q };
                self.addk(float_key(k), v)
            }
        }
    }

    fn bool_k(&mut self, b: bool) -> R<u32> {
        self.addk(KKey::Bool(b), KKey::Bool(b))
    }

    fn nil_k(&mut self) -> R<u32> {
        self.addk(KKey::Nil, KKey::Nil)
    }

    /// `luaK_int`: load an integer into a register.
    pub(super) fn code_int(&mut self, reg: u32, i: i64) -> R<()> {
        if fits_bx(i) {
            self.code_asbx(OpCode::LoadI, reg, i);
        } else {
            let k = self.int_k(i)?;
            self.code_k(reg, k);
        }
        Ok(())
    }

    fn code_float(&mut self, reg: u32, f: f64) -> R<()> {
        match flt_to_int(f) {
            Some(fi) if fits_bx(fi) => {
                self.code_asbx(OpCode::LoadF, reg, fi);
            }
            _ => {
                let k = self.number_k(f)?;
                self.code_k(reg, k);
            }
        }
        Ok(())
    }

    // ---- expression discharge ------------------------------------------------------

    /// `luaK_setreturns`.
    pub(super) fn setreturns(&mut self, e: &mut ExpDesc<'a>, nresults: i32) -> R<()> {
        match e.k {
            EK::Call(pc) => {
                let i = self.instr(pc as usize);
                self.set_instr(pc as usize, set_c(i, (nresults + 1) as u32));
            }
            EK::Vararg(pc) => {
                let i = self.instr(pc as usize);
                let i = set_a(set_c(i, (nresults + 1) as u32), self.fs.freereg);
                self.set_instr(pc as usize, i);
                self.reserveregs(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn setmultret(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        self.setreturns(e, MULTRET)
    }

    /// `luaK_setoneret`.
    pub(super) fn setoneret(&mut self, e: &mut ExpDesc<'a>) {
        match e.k {
            EK::Call(pc) => {
                e.k = EK::NonReloc(get_a(self.instr(pc as usize)));
            }
            EK::Vararg(pc) => {
                let i = self.instr(pc as usize);
                self.set_instr(pc as usize, set_c(i, 2));
                e.k = EK::Reloc(pc);
            }
            _ => {}
        }
    }

    /// `luaK_dischargevars`: make sure `e` is not a variable.
    pub(super) fn dischargevars(&mut self, e: &mut ExpDesc<'a>) {
        match e.k {
            EK::Const(idx) => {
                e.k = self.actvar.get(idx).map(|v| v.k).unwrap_or(EK::Nil);
            }
            EK::Local { ridx, .. } => e.k = EK::NonReloc(ridx),
            EK::Upval(u) => {
                e.k = EK::Reloc(self.code_abc(OpCode::GetUpval, 0, u, 0) as u32);
            }
            EK::IndexUp { t, idx } => {
                e.k = EK::Reloc(self.code_abc(OpCode::GetTabUp, 0, t, idx) as u32);
            }
            EK::IndexI { t, idx } => {
                self.freereg(t);
                e.k = EK::Reloc(self.code_abc(OpCode::GetI, 0, t, idx) as u32);
            }
            EK::IndexStr { t, idx } => {
                self.freereg(t);
                e.k = EK::Reloc(self.code_abc(OpCode::GetField, 0, t, idx) as u32);
            }
            EK::Indexed { t, idx } => {
                self.freeregs(Some(t), Some(idx));
                e.k = EK::Reloc(self.code_abc(OpCode::GetTable, 0, t, idx) as u32);
            }
            EK::Vararg(_) | EK::Call(_) => self.setoneret(e),
            _ => {}
        }
    }

    fn discharge2reg(&mut self, e: &mut ExpDesc<'a>, reg: u32) -> R<()> {
        self.dischargevars(e);
        match e.k {
            EK::Nil => self.code_nil(reg, 1),
            EK::False => {
                self.code_abc(OpCode::LoadFalse, reg, 0, 0);
            }
            EK::True => {
                self.code_abc(OpCode::LoadTrue, reg, 0, 0);
            }
            EK::KStr(s) => {
                let k = self.string_k(s)?;
                self.code_k(reg, k);
            }
            EK::K(k) => {
                self.code_k(reg, k);
            }
            EK::KFlt(f) => self.code_float(reg, f)?,
            EK::KInt(i) => self.code_int(reg, i)?,
            EK::Reloc(pc) => {
                let i = self.instr(pc as usize);
                self.set_instr(pc as usize, set_a(i, reg));
            }
            EK::NonReloc(r) => {
                if r != reg {
                    self.code_abc(OpCode::Move, reg, r, 0);
                }
            }
            _ => return Ok(()), // VJMP (or VVOID): nothing to do
        }
        e.k = EK::NonReloc(reg);
        Ok(())
    }

    fn discharge2anyreg(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        if !matches!(e.k, EK::NonReloc(_)) {
            self.reserveregs(1)?;
            let r = self.fs.freereg - 1;
            self.discharge2reg(e, r)?;
        }
        Ok(())
    }

    fn code_loadbool(&mut self, a: u32, op: OpCode) -> i32 {
        self.getlabel();
        self.code_abc(op, a, 0, 0) as i32
    }

    fn need_value(&self, mut list: i32) -> bool {
        while list != NO_JUMP {
            let i = self.instr(self.getjumpcontrol(list));
            if get_op(i) != OpCode::TestSet {
                return true;
            }
            list = self.getjump(list);
        }
        false
    }

    /// `exp2reg`: put the final value of `e` (including its jump lists) in `reg`.
    pub(super) fn exp2reg(&mut self, e: &mut ExpDesc<'a>, reg: u32) -> R<()> {
        self.discharge2reg(e, reg)?;
        if let EK::Jmp(pc) = e.k {
            let mut t = e.t;
            self.concat_jumps(&mut t, pc as i32)?;
            e.t = t;
        }
        if e.has_jumps() {
            let mut p_f = NO_JUMP;
            let mut p_t = NO_JUMP;
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if matches!(e.k, EK::Jmp(_)) {
                    NO_JUMP
                } else {
                    self.jump()
                };
                p_f = self.code_loadbool(reg, OpCode::LFalseSkip);
                p_t = self.code_loadbool(reg, OpCode::LoadTrue);
                self.patchtohere(fj)?;
            }
            let fin = self.getlabel();
            self.patchlistaux(e.f, fin, reg, p_f)?;
            self.patchlistaux(e.t, fin, reg, p_t)?;
        }
        e.f = NO_JUMP;
        e.t = NO_JUMP;
        e.k = EK::NonReloc(reg);
        Ok(())
    }

    /// `luaK_exp2nextreg`.
    pub(super) fn exp2nextreg(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        self.dischargevars(e);
        self.freeexp(e);
        self.reserveregs(1)?;
        let r = self.fs.freereg - 1;
        self.exp2reg(e, r)
    }

    /// `luaK_exp2anyreg`: returns the register.
    pub(super) fn exp2anyreg(&mut self, e: &mut ExpDesc<'a>) -> R<u32> {
        self.dischargevars(e);
        if let EK::NonReloc(r) = e.k {
            if !e.has_jumps() {
                return Ok(r);
            }
            if r >= self.nvarstack() {
                self.exp2reg(e, r)?;
                return Ok(r);
            }
        }
        self.exp2nextreg(e)?;
        match e.k {
            EK::NonReloc(r) => Ok(r),
            _ => Err(self.error("internal error: expression not in a register")),
        }
    }

    pub(super) fn exp2anyregup(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        if !matches!(e.k, EK::Upval(_)) || e.has_jumps() {
            self.exp2anyreg(e)?;
        }
        Ok(())
    }

    pub(super) fn exp2val(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        if e.has_jumps() {
            self.exp2anyreg(e)?;
        } else {
            self.dischargevars(e);
        }
        Ok(())
    }

    /// `luaK_exp2K`: try to make `e` a K expression fitting an R/K operand.
    fn exp2k(&mut self, e: &mut ExpDesc<'a>) -> R<bool> {
        if !e.has_jumps() {
            let info = match e.k {
                EK::True => self.bool_k(true)?,
                EK::False => self.bool_k(false)?,
                EK::Nil => self.nil_k()?,
                EK::KInt(i) => self.int_k(i)?,
                EK::KFlt(f) => self.number_k(f)?,
                EK::KStr(s) => self.string_k(s)?,
                EK::K(k) => k,
                _ => return Ok(false),
            };
            if info <= MAXINDEXRK {
                e.k = EK::K(info);
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `luaK_exp2RK`: returns true if `e` became a constant; its index/register is `info`.
    fn exp2rk(&mut self, e: &mut ExpDesc<'a>) -> R<bool> {
        if self.exp2k(e)? {
            Ok(true)
        } else {
            self.exp2anyreg(e)?;
            Ok(false)
        }
    }

    fn code_abrk(&mut self, op: OpCode, a: u32, b: u32, ec: &mut ExpDesc<'a>) -> R<()> {
        let k = self.exp2rk(ec)?;
        let c = info(ec);
        self.code_abck(op, a, b, c, k);
        Ok(())
    }

    /// `luaK_storevar`.
    pub(super) fn storevar(&mut self, var: &ExpDesc<'a>, ex: &mut ExpDesc<'a>) -> R<()> {
        match var.k {
            EK::Local { ridx, .. } => {
                self.freeexp(ex);
                return self.exp2reg(ex, ridx);
            }
            EK::Upval(u) => {
                let e = self.exp2anyreg(ex)?;
                self.code_abc(OpCode::SetUpval, e, u, 0);
            }
            EK::IndexUp { t, idx } => self.code_abrk(OpCode::SetTabUp, t, idx, ex)?,
            EK::IndexI { t, idx } => self.code_abrk(OpCode::SetI, t, idx, ex)?,
            EK::IndexStr { t, idx } => self.code_abrk(OpCode::SetField, t, idx, ex)?,
            EK::Indexed { t, idx } => self.code_abrk(OpCode::SetTable, t, idx, ex)?,
            _ => return Err(self.error("syntax error")),
        }
        self.freeexp(ex);
        Ok(())
    }

    /// `luaK_self`: `e:key(` -> `SELF`.
    pub(super) fn code_self(&mut self, e: &mut ExpDesc<'a>, key: &mut ExpDesc<'a>) -> R<()> {
        let ereg = self.exp2anyreg(e)?;
        self.freeexp(e);
        let base = self.fs.freereg;
        e.k = EK::NonReloc(base);
        self.reserveregs(2)?;
        self.code_abrk(OpCode::SelfOp, base, ereg, key)?;
        self.freeexp(key);
        Ok(())
    }

    fn negatecondition(&mut self, pc: u32) {
        let ipc = self.getjumpcontrol(pc as i32);
        let i = self.instr(ipc);
        self.set_instr(ipc, set_k(i, !get_k(i)));
    }

    fn jumponcond(&mut self, e: &mut ExpDesc<'a>, cond: bool) -> R<i32> {
        if let EK::Reloc(pc) = e.k {
            let ie = self.instr(pc as usize);
            if get_op(ie) == OpCode::Not && pc as usize + 1 == self.pc() {
                self.remove_last_instruction();
                return Ok(self.condjump(OpCode::Test, get_b(ie), 0, 0, !cond));
            }
        }
        self.discharge2anyreg(e)?;
        self.freeexp(e);
        Ok(self.condjump(OpCode::TestSet, NO_REG, info(e), 0, cond))
    }

    /// `luaK_goiftrue`: go through if `e` is true, jump otherwise.
    pub(super) fn goiftrue(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        self.dischargevars(e);
        let pc = match e.k {
            EK::Jmp(pc) => {
                self.negatecondition(pc);
                pc as i32
            }
            EK::K(_) | EK::KFlt(_) | EK::KInt(_) | EK::KStr(_) | EK::True => NO_JUMP,
            _ => self.jumponcond(e, false)?,
        };
        let mut f = e.f;
        self.concat_jumps(&mut f, pc)?;
        e.f = f;
        self.patchtohere(e.t)?;
        e.t = NO_JUMP;
        Ok(())
    }

    /// `luaK_goiffalse`: go through if `e` is false, jump otherwise.
    pub(super) fn goiffalse(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        self.dischargevars(e);
        let pc = match e.k {
            EK::Jmp(pc) => pc as i32,
            EK::Nil | EK::False => NO_JUMP,
            _ => self.jumponcond(e, true)?,
        };
        let mut t = e.t;
        self.concat_jumps(&mut t, pc)?;
        e.t = t;
        self.patchtohere(e.f)?;
        e.f = NO_JUMP;
        Ok(())
    }

    fn codenot(&mut self, e: &mut ExpDesc<'a>) -> R<()> {
        match e.k {
            EK::Nil | EK::False => e.k = EK::True,
            EK::K(_) | EK::KFlt(_) | EK::KInt(_) | EK::KStr(_) | EK::True => e.k = EK::False,
            EK::Jmp(pc) => self.negatecondition(pc),
            EK::Reloc(_) | EK::NonReloc(_) => {
                self.discharge2anyreg(e)?;
                self.freeexp(e);
                let r = info(e);
                e.k = EK::Reloc(self.code_abc(OpCode::Not, 0, r, 0) as u32);
            }
            _ => return Err(self.error("internal error: bad 'not' operand")),
        }
        std::mem::swap(&mut e.f, &mut e.t);
        self.removevalues(e.f);
        self.removevalues(e.t);
        Ok(())
    }

    fn is_kstr(&self, e: &ExpDesc) -> bool {
        match e.k {
            EK::K(k) if !e.has_jumps() && k <= MAXARG_B => matches!(
                self.fs.f.constants.get(k as usize),
                Some(Constant::Str(s)) if s.len() <= LUAI_MAXSHORTLEN
            ),
            _ => false,
        }
    }

    /// `luaK_indexed`: make `t` the expression `t[k]`.
    pub(super) fn indexed(&mut self, t: &mut ExpDesc<'a>, k: &mut ExpDesc<'a>) -> R<()> {
        if let EK::KStr(s) = k.k {
            k.k = EK::K(self.string_k(s)?);
        }
        if matches!(t.k, EK::Upval(_)) && !self.is_kstr(k) {
            self.exp2anyreg(t)?;
        }
        if let EK::Upval(u) = t.k {
            t.k = EK::IndexUp { t: u, idx: info(k) };
        } else {
            let treg = match t.k {
                EK::Local { ridx, .. } => ridx,
                EK::NonReloc(r) => r,
                _ => self.exp2anyreg(t)?,
            };
            if self.is_kstr(k) {
                t.k = EK::IndexStr {
                    t: treg,
                    idx: info(k),
                };
            } else if is_cint(k) {
                let idx = match k.k {
                    EK::KInt(i) => i as u32,
                    _ => 0,
                };
                t.k = EK::IndexI { t: treg, idx };
            } else {
                let idx = self.exp2anyreg(k)?;
                t.k = EK::Indexed { t: treg, idx };
            }
        }
        Ok(())
    }

    /// `constfolding`: fold `e1 op e2` into `e1` if safe.
    fn constfolding(&mut self, op: Arith, e1: &mut ExpDesc<'a>, e2: &ExpDesc<'a>) -> bool {
        let (Some(v1), Some(v2)) = (tonumeral(e1), tonumeral(e2)) else {
            return false;
        };
        // validop
        let valid = if op.is_bitwise() {
            v1.to_i().is_some() && v2.to_i().is_some()
        } else if matches!(op, Arith::Div | Arith::IDiv | Arith::Mod) {
            v2.to_f() != 0.0
        } else {
            true
        };
        if !valid {
            return false;
        }
        match raw_arith(op, v1, v2) {
            Some(Num::I(i)) => {
                e1.k = EK::KInt(i);
                true
            }
            Some(Num::F(n)) => {
                if n.is_nan() || n == 0.0 {
                    return false;
                }
                e1.k = EK::KFlt(n);
                true
            }
            None => false,
        }
    }

    fn codeunexpval(&mut self, op: OpCode, e: &mut ExpDesc<'a>, line: u32) -> R<()> {
        let r = self.exp2anyreg(e)?;
        self.freeexp(e);
        e.k = EK::Reloc(self.code_abc(op, 0, r, 0) as u32);
        self.fixline(line);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn finishbinexpval(
        &mut self,
        e1: &mut ExpDesc<'a>,
        e2: &ExpDesc<'a>,
        op: OpCode,
        v2: u32,
        flip: bool,
        line: u32,
        mmop: OpCode,
        event: TagMethod,
    ) -> R<()> {
        let v1 = self.exp2anyreg(e1)?;
        let pc = self.code_abck(op, 0, v1, v2, false);
        self.freeexps(e1, e2);
        e1.k = EK::Reloc(pc as u32);
        self.fixline(line);
        self.code_abck(mmop, v1, v2, event as u32, flip);
        self.fixline(line);
        Ok(())
    }

    fn codebinexpval(
        &mut self,
        opr: Arith,
        e1: &mut ExpDesc<'a>,
        e2: &mut ExpDesc<'a>,
        line: u32,
    ) -> R<()> {
        let v2 = self.exp2anyreg(e2)?;
        self.finishbinexpval(
            e1,
            e2,
            opr.reg_op(),
            v2,
            false,
            line,
            OpCode::MmBin,
            opr.tm(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn codebini(
        &mut self,
        op: OpCode,
        e1: &mut ExpDesc<'a>,
        e2: &ExpDesc<'a>,
        flip: bool,
        line: u32,
        event: TagMethod,
    ) -> R<()> {
        let v2 = match e2.k {
            EK::KInt(i) => int2sc(i),
            _ => 0,
        };
        self.finishbinexpval(e1, e2, op, v2, flip, line, OpCode::MmBinI, event)
    }

    fn codebink(
        &mut self,
        opr: Arith,
        e1: &mut ExpDesc<'a>,
        e2: &ExpDesc<'a>,
        flip: bool,
        line: u32,
    ) -> R<()> {
        let v2 = info(e2);
        self.finishbinexpval(e1, e2, opr.k_op(), v2, flip, line, OpCode::MmBinK, opr.tm())
    }

    fn finishbinexpneg(
        &mut self,
        e1: &mut ExpDesc<'a>,
        e2: &ExpDesc<'a>,
        op: OpCode,
        line: u32,
        event: TagMethod,
    ) -> R<bool> {
        let EK::KInt(i2) = e2.k else {
            return Ok(false);
        };
        if e2.has_jumps() || !(fits_c(i2) && fits_c(i2.wrapping_neg())) {
            return Ok(false);
        }
        self.finishbinexpval(e1, e2, op, int2sc(-i2), false, line, OpCode::MmBinI, event)?;
        let last = self.pc() - 1;
        let i = self.instr(last);
        self.set_instr(last, set_b(i, int2sc(i2)));
        Ok(true)
    }

    fn codebinnok(
        &mut self,
        opr: Arith,
        e1: &mut ExpDesc<'a>,
        e2: &mut ExpDesc<'a>,
        flip: bool,
        line: u32,
    ) -> R<()> {
        if flip {
            std::mem::swap(e1, e2);
        }
        self.codebinexpval(opr, e1, e2, line)
    }

    fn codearith(
        &mut self,
        opr: Arith,
        e1: &mut ExpDesc<'a>,
        e2: &mut ExpDesc<'a>,
        flip: bool,
        line: u32,
    ) -> R<()> {
        if is_numeral(e2) && self.exp2k(e2)? {
            self.codebink(opr, e1, e2, flip, line)
        } else {
            self.codebinnok(opr, e1, e2, flip, line)
        }
    }

    fn codecommutative(
        &mut self,
        opr: Arith,
        e1: &mut ExpDesc<'a>,
        e2: &mut ExpDesc<'a>,
        line: u32,
    ) -> R<()> {
        let mut flip = false;
        if is_numeral(e1) {
            std::mem::swap(e1, e2);
            flip = true;
        }
        if opr == Arith::Add && is_scint(e2) {
            self.codebini(OpCode::AddI, e1, e2, flip, line, TagMethod::Add)
        } else {
            self.codearith(opr, e1, e2, flip, line)
        }
    }

    fn codebitwise(
        &mut self,
        opr: Arith,
        e1: &mut ExpDesc<'a>,
        e2: &mut ExpDesc<'a>,
        line: u32,
    ) -> R<()> {
        let mut flip = false;
        if matches!(e1.k, EK::KInt(_)) {
            std::mem::swap(e1, e2);
            flip = true;
        }
        if matches!(e2.k, EK::KInt(_)) && self.exp2k(e2)? {
            self.codebink(opr, e1, e2, flip, line)
        } else {
            self.codebinnok(opr, e1, e2, flip, line)
        }
    }

    fn codeorder(&mut self, opr: Cmp, e1: &mut ExpDesc<'a>, e2: &mut ExpDesc<'a>) -> R<()> {
        let (r1, r2, op, isfloat);
        if let Some((im, fl)) = is_scnumber(e2) {
            r1 = self.exp2anyreg(e1)?;
            r2 = im;
            isfloat = fl;
            op = if opr == Cmp::Lt {
                OpCode::LtI
            } else {
                OpCode::LeI
            };
        } else if let Some((im, fl)) = is_scnumber(e1) {
            r1 = self.exp2anyreg(e2)?;
            r2 = im;
            isfloat = fl;
            op = if opr == Cmp::Lt {
                OpCode::GtI
            } else {
                OpCode::GeI
            };
        } else {
            r1 = self.exp2anyreg(e1)?;
            r2 = self.exp2anyreg(e2)?;
            isfloat = false;
            op = if opr == Cmp::Lt {
                OpCode::Lt
            } else {
                OpCode::Le
            };
        }
        self.freeexps(e1, e2);
        e1.k = EK::Jmp(self.condjump(op, r1, r2, isfloat as u32, true) as u32);
        e1.t = NO_JUMP;
        e1.f = NO_JUMP;
        Ok(())
    }

    fn codeeq(&mut self, eq: bool, e1: &mut ExpDesc<'a>, e2: &mut ExpDesc<'a>) -> R<()> {
        if !matches!(e1.k, EK::NonReloc(_)) {
            std::mem::swap(e1, e2);
        }
        let r1 = self.exp2anyreg(e1)?;
        let (op, r2, isfloat);
        if let Some((im, fl)) = is_scnumber(e2) {
            op = OpCode::EqI;
            r2 = im;
            isfloat = fl;
        } else if self.exp2rk(e2)? {
            op = OpCode::EqK;
            r2 = info(e2);
            isfloat = false;
        } else {
            op = OpCode::Eq;
            r2 = self.exp2anyreg(e2)?;
            isfloat = false;
        }
        self.freeexps(e1, e2);
        e1.k = EK::Jmp(self.condjump(op, r1, r2, isfloat as u32, eq) as u32);
        e1.t = NO_JUMP;
        e1.f = NO_JUMP;
        Ok(())
    }

    /// `luaK_prefix`.
    pub(super) fn prefix(&mut self, op: UnOp, e: &mut ExpDesc<'a>, line: u32) -> R<()> {
        self.dischargevars(e);
        let zero = ExpDesc::new(EK::KInt(0));
        match op {
            UnOp::Neg => {
                if !self.constfolding(Arith::Unm, e, &zero) {
                    self.codeunexpval(OpCode::Unm, e, line)?;
                }
            }
            UnOp::BNot => {
                if !self.constfolding(Arith::BNot, e, &zero) {
                    self.codeunexpval(OpCode::BNot, e, line)?;
                }
            }
            UnOp::Len => self.codeunexpval(OpCode::Len, e, line)?,
            UnOp::Not => self.codenot(e)?,
        }
        Ok(())
    }

    /// `luaK_infix`: process the first operand before reading the second.
    pub(super) fn infix(&mut self, op: BinOp, v: &mut ExpDesc<'a>) -> R<()> {
        self.dischargevars(v);
        match op {
            BinOp::And => self.goiftrue(v)?,
            BinOp::Or => self.goiffalse(v)?,
            BinOp::Concat => self.exp2nextreg(v)?,
            BinOp::Eq | BinOp::Ne => {
                if !is_numeral(v) {
                    self.exp2rk(v)?;
                }
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if is_scnumber(v).is_none() {
                    self.exp2anyreg(v)?;
                }
            }
            _ => {
                if !is_numeral(v) {
                    self.exp2anyreg(v)?;
                }
            }
        }
        Ok(())
    }

    fn codeconcat(&mut self, e1: &mut ExpDesc<'a>, e2: &ExpDesc<'a>, line: u32) {
        if let Some(ppc) = self.previous_instruction() {
            let ie2 = self.instr(ppc);
            if get_op(ie2) == OpCode::Concat {
                let n = get_b(ie2);
                self.freeexp(e2);
                let i = set_b(set_a(ie2, info(e1)), n + 1);
                self.set_instr(ppc, i);
                return;
            }
        }
        self.code_abc(OpCode::Concat, info(e1), 2, 0);
        self.freeexp(e2);
        self.fixline(line);
    }

    /// `luaK_posfix`: finish a binary operation after reading the second operand.
    pub(super) fn posfix(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc<'a>,
        e2: &mut ExpDesc<'a>,
        line: u32,
    ) -> R<()> {
        self.dischargevars(e2);
        if let Some(a) = Arith::from_binop(op) {
            if self.constfolding(a, e1, e2) {
                return Ok(());
            }
        }
        match op {
            BinOp::And => {
                let mut f = e2.f;
                self.concat_jumps(&mut f, e1.f)?;
                e2.f = f;
                *e1 = *e2;
            }
            BinOp::Or => {
                let mut t = e2.t;
                self.concat_jumps(&mut t, e1.t)?;
                e2.t = t;
                *e1 = *e2;
            }
            BinOp::Concat => {
                self.exp2nextreg(e2)?;
                self.codeconcat(e1, e2, line);
            }
            BinOp::Add => self.codecommutative(Arith::Add, e1, e2, line)?,
            BinOp::Mul => self.codecommutative(Arith::Mul, e1, e2, line)?,
            BinOp::Sub => {
                if !self.finishbinexpneg(e1, e2, OpCode::AddI, line, TagMethod::Sub)? {
                    self.codearith(Arith::Sub, e1, e2, false, line)?;
                }
            }
            BinOp::Div => self.codearith(Arith::Div, e1, e2, false, line)?,
            BinOp::IDiv => self.codearith(Arith::IDiv, e1, e2, false, line)?,
            BinOp::Mod => self.codearith(Arith::Mod, e1, e2, false, line)?,
            BinOp::Pow => self.codearith(Arith::Pow, e1, e2, false, line)?,
            BinOp::BAnd => self.codebitwise(Arith::BAnd, e1, e2, line)?,
            BinOp::BOr => self.codebitwise(Arith::BOr, e1, e2, line)?,
            BinOp::BXor => self.codebitwise(Arith::BXor, e1, e2, line)?,
            BinOp::Shl => {
                if is_scint(e1) {
                    std::mem::swap(e1, e2);
                    self.codebini(OpCode::ShlI, e1, e2, true, line, TagMethod::Shl)?;
                } else if self.finishbinexpneg(e1, e2, OpCode::ShrI, line, TagMethod::Shl)? {
                    // coded as (r1 >> -I)
                } else {
                    self.codebinexpval(Arith::Shl, e1, e2, line)?;
                }
            }
            BinOp::Shr => {
                if is_scint(e2) {
                    self.codebini(OpCode::ShrI, e1, e2, false, line, TagMethod::Shr)?;
                } else {
                    self.codebinexpval(Arith::Shr, e1, e2, line)?;
                }
            }
            BinOp::Eq => self.codeeq(true, e1, e2)?,
            BinOp::Ne => self.codeeq(false, e1, e2)?,
            BinOp::Gt => {
                std::mem::swap(e1, e2);
                self.codeorder(Cmp::Lt, e1, e2)?;
            }
            BinOp::Ge => {
                std::mem::swap(e1, e2);
                self.codeorder(Cmp::Le, e1, e2)?;
            }
            BinOp::Lt => self.codeorder(Cmp::Lt, e1, e2)?,
            BinOp::Le => self.codeorder(Cmp::Le, e1, e2)?,
        }
        Ok(())
    }

    /// `luaK_settablesize`: fill in the `NEWTABLE` at `pc` and its `EXTRAARG`.
    pub(super) fn settablesize(&mut self, pc: usize, ra: u32, asize: usize, hsize: usize) {
        let rb = if hsize != 0 { ceil_log2(hsize) + 1 } else { 0 };
        let extra = asize / (MAXARG_C as usize + 1);
        let rc = (asize % (MAXARG_C as usize + 1)) as u32;
        if extra > MAXARG_AX as usize || ra > MAXARG_A {
            self.overflow = true;
        }
        self.set_instr(
            pc,
            encode_abc(OpCode::NewTable, ra & MAXARG_A, rb, rc, extra > 0),
        );
        self.set_instr(
            pc + 1,
            encode_ax(OpCode::ExtraArg, extra as u32 & MAXARG_AX),
        );
    }

    /// `luaK_setlist`.
    pub(super) fn setlist(&mut self, base: u32, nelems: usize, tostore: i32) {
        let tostore = if tostore == MULTRET {
            0
        } else {
            tostore as u32
        };
        if nelems <= MAXARG_C as usize {
            self.code_abc(OpCode::SetList, base, tostore, nelems as u32);
        } else {
            let extra = nelems / (MAXARG_C as usize + 1);
            let n = (nelems % (MAXARG_C as usize + 1)) as u32;
            self.code_abck(OpCode::SetList, base, tostore, n, true);
            if extra > MAXARG_AX as usize {
                self.overflow = true;
            }
            self.code_extraarg(extra as u32 & MAXARG_AX);
        }
        self.fs.freereg = base + 1;
    }

    fn finaltarget(&self, mut i: usize) -> usize {
        for _ in 0..100 {
            let pc = self.instr(i);
            if get_op(pc) != OpCode::Jmp {
                break;
            }
            let next = i as i64 + get_sj(pc) as i64 + 1;
            if next < 0 || next as usize >= self.pc() {
                break;
            }
            i = next as usize;
        }
        i
    }

    /// `luaK_finish`: final peephole pass.
    pub(super) fn finish(&mut self) -> R<()> {
        let needclose = self.fs.needclose;
        let is_vararg = self.fs.f.is_vararg;
        let nparams = self.fs.f.num_params as u32;
        for i in 0..self.pc() {
            let mut ins = self.instr(i);
            match get_op(ins) {
                OpCode::Return0 | OpCode::Return1 | OpCode::Return | OpCode::TailCall => {
                    let op = get_op(ins);
                    if matches!(op, OpCode::Return0 | OpCode::Return1) {
                        if !(needclose || is_vararg) {
                            continue;
                        }
                        ins = set_op(ins, OpCode::Return);
                    }
                    if needclose {
                        ins = set_k(ins, true);
                    }
                    if is_vararg {
                        ins = set_c(ins, nparams + 1);
                    }
                    self.set_instr(i, ins);
                }
                OpCode::Jmp => {
                    let target = self.finaltarget(i);
                    self.fixjump(i as i32, target as i32)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Register or constant index carried by a discharged expression (`e->u.info`).
pub(super) fn info(e: &ExpDesc) -> u32 {
    match e.k {
        EK::K(i) | EK::NonReloc(i) | EK::Upval(i) | EK::Jmp(i) | EK::Reloc(i) | EK::Call(i) => i,
        EK::Vararg(i) => i,
        EK::Local { ridx, .. } => ridx,
        _ => 0,
    }
}

/// `luaO_ceillog2`.
fn ceil_log2(x: usize) -> u32 {
    if x <= 1 {
        0
    } else {
        usize::BITS - (x - 1).leading_zeros()
    }
}
