//! Register bytecode: instruction encoding, opcodes and compiled function prototypes.
//!
//! The instruction set and its encoding are Lua 5.4's (`lopcodes.h`): 32-bit instructions,
//! 7-bit opcode, and the formats
//!
//! ```text
//!  iABC   C(8) | B(8) | k(1) | A(8) | Op(7)
//!  iABx        Bx(17)      | A(8) | Op(7)
//!  iAsBx      sBx(17)      | A(8) | Op(7)
//!  iAx              Ax(25)        | Op(7)
//!  isJ              sJ(25)        | Op(7)
//! ```
//!
//! Keeping PUC's instruction set means the compiler mirrors `lcode.c`, the interpreter mirrors
//! `lvm.c`, and error messages that inspect bytecode (variable names in "attempt to index a nil
//! value (global 'x')") come out exactly as PUC's. The semantics of each opcode are in the doc
//! comment of its [`OpCode`] variant (`R[x]` register, `K[x]` constant, `U[x]` upvalue,
//! `RK(x)` is `K[x]` if k else `R[x]`, `sB`/`sC` are signed immediates).

use std::fmt;

/// One encoded instruction.
pub type Instruction = u32;

pub const SIZE_OP: u32 = 7;
pub const SIZE_A: u32 = 8;
pub const SIZE_B: u32 = 8;
pub const SIZE_C: u32 = 8;
pub const SIZE_BX: u32 = SIZE_C + SIZE_B + 1;
pub const SIZE_AX: u32 = SIZE_BX + SIZE_A;
pub const SIZE_SJ: u32 = SIZE_BX + SIZE_A;

pub const POS_OP: u32 = 0;
pub const POS_A: u32 = POS_OP + SIZE_OP;
pub const POS_K: u32 = POS_A + SIZE_A;
pub const POS_B: u32 = POS_K + 1;
pub const POS_C: u32 = POS_B + SIZE_B;
pub const POS_BX: u32 = POS_K;
pub const POS_AX: u32 = POS_A;
pub const POS_SJ: u32 = POS_A;

pub const MAXARG_A: u32 = (1 << SIZE_A) - 1;
pub const MAXARG_B: u32 = (1 << SIZE_B) - 1;
pub const MAXARG_C: u32 = (1 << SIZE_C) - 1;
pub const MAXARG_BX: u32 = (1 << SIZE_BX) - 1;
pub const MAXARG_AX: u32 = (1 << SIZE_AX) - 1;
pub const MAXARG_SJ: u32 = (1 << SIZE_SJ) - 1;
/// Offset of signed `sBx`.
pub const OFFSET_SBX: i32 = (MAXARG_BX >> 1) as i32;
/// Offset of signed `sJ`.
pub const OFFSET_SJ: i32 = (MAXARG_SJ >> 1) as i32;
/// Offset of signed `sB`/`sC` immediates.
pub const OFFSET_SC: i32 = (MAXARG_C >> 1) as i32;
/// Number of list items to accumulate before a `SETLIST` (`LFIELDS_PER_FLUSH`).
pub const LFIELDS_PER_FLUSH: u32 = 50;
/// Maximum number of registers in a Lua function (must fit in 8 bits).
pub const MAX_REGS: u32 = 255;

macro_rules! opcodes {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// Lua 5.4 opcodes, in `lopcodes.h` order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum OpCode { $($(#[$doc])* $name,)* }

        impl OpCode {
            /// Every opcode, indexed by its numeric value.
            pub const ALL: &'static [OpCode] = &[$(OpCode::$name,)*];

            /// The variant's name (`"GetTabUp"`); `Display` prints PUC's spelling (`GETTABUP`).
            pub fn name(self) -> &'static str {
                match self { $(OpCode::$name => stringify!($name),)* }
            }
        }
    };
}

opcodes! {
    /// `A B`: R[A] := R[B]
    Move,
    /// `A sBx`: R[A] := sBx
    LoadI,
    /// `A sBx`: R[A] := (lua_Number)sBx
    LoadF,
    /// `A Bx`: R[A] := K[Bx]
    LoadK,
    /// `A`: R[A] := K[extra arg]
    LoadKX,
    /// `A`: R[A] := false
    LoadFalse,
    /// `A`: R[A] := false; pc++
    LFalseSkip,
    /// `A`: R[A] := true
    LoadTrue,
    /// `A B`: R[A], R[A+1], ..., R[A+B] := nil
    LoadNil,
    /// `A B`: R[A] := U[B]
    GetUpval,
    /// `A B`: U[B] := R[A]
    SetUpval,
    /// `A B C`: R[A] := U[B][K[C]:string]
    GetTabUp,
    /// `A B C`: R[A] := R[B][R[C]]
    GetTable,
    /// `A B C`: R[A] := R[B][C]
    GetI,
    /// `A B C`: R[A] := R[B][K[C]:string]
    GetField,
    /// `A B C`: U[A][K[B]:string] := RK(C)
    SetTabUp,
    /// `A B C`: R[A][R[B]] := RK(C)
    SetTable,
    /// `A B C`: R[A][B] := RK(C)
    SetI,
    /// `A B C`: R[A][K[B]:string] := RK(C)
    SetField,
    /// `A B C k`: R[A] := {} (B: log2 hash size + 1, C: array size; k: EXTRAARG has C's high bits)
    NewTable,
    /// `A B C`: R[A+1] := R[B]; R[A] := R[B][RK(C):string]
    SelfOp,
    /// `A B sC`: R[A] := R[B] + sC
    AddI,
    /// `A B C`: R[A] := R[B] + K[C]:number
    AddK,
    /// `A B C`: R[A] := R[B] - K[C]:number
    SubK,
    /// `A B C`: R[A] := R[B] * K[C]:number
    MulK,
    /// `A B C`: R[A] := R[B] % K[C]:number
    ModK,
    /// `A B C`: R[A] := R[B] ^ K[C]:number
    PowK,
    /// `A B C`: R[A] := R[B] / K[C]:number
    DivK,
    /// `A B C`: R[A] := R[B] // K[C]:number
    IDivK,
    /// `A B C`: R[A] := R[B] & K[C]:integer
    BAndK,
    /// `A B C`: R[A] := R[B] | K[C]:integer
    BOrK,
    /// `A B C`: R[A] := R[B] ~ K[C]:integer
    BXorK,
    /// `A B sC`: R[A] := R[B] >> sC
    ShrI,
    /// `A B sC`: R[A] := sC << R[B]
    ShlI,
    /// `A B C`: R[A] := R[B] + R[C]
    Add,
    /// `A B C`: R[A] := R[B] - R[C]
    Sub,
    /// `A B C`: R[A] := R[B] * R[C]
    Mul,
    /// `A B C`: R[A] := R[B] % R[C]
    Mod,
    /// `A B C`: R[A] := R[B] ^ R[C]
    Pow,
    /// `A B C`: R[A] := R[B] / R[C]
    Div,
    /// `A B C`: R[A] := R[B] // R[C]
    IDiv,
    /// `A B C`: R[A] := R[B] & R[C]
    BAnd,
    /// `A B C`: R[A] := R[B] | R[C]
    BOr,
    /// `A B C`: R[A] := R[B] ~ R[C]
    BXor,
    /// `A B C`: R[A] := R[B] << R[C]
    Shl,
    /// `A B C`: R[A] := R[B] >> R[C]
    Shr,
    /// `A B C`: call C metamethod over R[A] and R[B] (result to the previous instruction's A)
    MmBin,
    /// `A sB C k`: call C metamethod over R[A] and sB (k: operands swapped)
    MmBinI,
    /// `A B C k`: call C metamethod over R[A] and K[B] (k: operands swapped)
    MmBinK,
    /// `A B`: R[A] := -R[B]
    Unm,
    /// `A B`: R[A] := ~R[B]
    BNot,
    /// `A B`: R[A] := not R[B]
    Not,
    /// `A B`: R[A] := #R[B] (length operator)
    Len,
    /// `A B`: R[A] := R[A].. ... ..R[A + B - 1]
    Concat,
    /// `A`: close all upvalues >= R[A]
    Close,
    /// `A`: mark variable A "to be closed"
    Tbc,
    /// `sJ`: pc += sJ
    Jmp,
    /// `A B k`: if ((R[A] == R[B]) ~= k) then pc++
    Eq,
    /// `A B k`: if ((R[A] <  R[B]) ~= k) then pc++
    Lt,
    /// `A B k`: if ((R[A] <= R[B]) ~= k) then pc++
    Le,
    /// `A B k`: if ((R[A] == K[B]) ~= k) then pc++
    EqK,
    /// `A sB k`: if ((R[A] == sB) ~= k) then pc++ (C: 1 if sB was a float literal)
    EqI,
    /// `A sB k`: if ((R[A] < sB) ~= k) then pc++ (C: isfloat)
    LtI,
    /// `A sB k`: if ((R[A] <= sB) ~= k) then pc++ (C: isfloat)
    LeI,
    /// `A sB k`: if ((R[A] > sB) ~= k) then pc++ (C: isfloat)
    GtI,
    /// `A sB k`: if ((R[A] >= sB) ~= k) then pc++ (C: isfloat)
    GeI,
    /// `A k`: if (not R[A] == k) then pc++
    Test,
    /// `A B k`: if (not R[B] == k) then pc++ else R[A] := R[B]
    TestSet,
    /// `A B C`: R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1]) (B=0: up to top; C=0: multret)
    Call,
    /// `A B C k`: return R[A](R[A+1], ... ,R[A+B-1]) (k: close upvalues; C: nparams+1 if vararg)
    TailCall,
    /// `A B C k`: return R[A], ... ,R[A+B-2] (B=0: up to top; k: close; C: nparams+1 if vararg)
    Return,
    /// return (no values)
    Return0,
    /// `A`: return R[A]
    Return1,
    /// `A Bx`: update counters; if loop continues then pc-=Bx;
    ForLoop,
    /// `A Bx`: <check values and prepare counters>; if not to run then pc+=Bx+1;
    ForPrep,
    /// `A Bx`: create upvalue for R[A + 3]; pc+=Bx
    TForPrep,
    /// `A C`: R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2]);
    TForCall,
    /// `A Bx`: if R[A+2] ~= nil then { R[A]=R[A+2]; pc -= Bx }
    TForLoop,
    /// `A B C k`: R[A][C+i] := R[A+i], 1 <= i <= B (B=0: up to top; k: EXTRAARG has C's high bits)
    SetList,
    /// `A Bx`: R[A] := closure(KPROTO[Bx])
    Closure,
    /// `A C`: R[A], R[A+1], ..., R[A+C-2] = vararg (C=0: all)
    Vararg,
    /// `A`: (adjust vararg parameters; A = number of fixed parameters)
    VarargPrep,
    /// `Ax`: extra (larger) argument for the previous opcode
    ExtraArg,
}

impl OpCode {
    /// Decodes an opcode number; `None` for numbers outside the instruction set.
    #[inline]
    pub fn from_u8(n: u8) -> Option<OpCode> {
        OpCode::ALL.get(n as usize).copied()
    }
}

impl fmt::Display for OpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpCode::SelfOp => f.write_str("SELF"),
            op => f.write_str(&op.name().to_ascii_uppercase()),
        }
    }
}

// ---- Decoding -------------------------------------------------------------------------

/// The opcode of an instruction. The interpreter only runs verified code, so an
/// out-of-range number maps to `ExtraArg` (which is never executed directly).
#[inline(always)]
pub fn get_op(i: Instruction) -> OpCode {
    OpCode::from_u8((i & 0x7f) as u8).unwrap_or(OpCode::ExtraArg)
}
#[inline(always)]
pub fn get_a(i: Instruction) -> u32 {
    (i >> POS_A) & MAXARG_A
}
#[inline(always)]
pub fn get_b(i: Instruction) -> u32 {
    (i >> POS_B) & MAXARG_B
}
#[inline(always)]
pub fn get_c(i: Instruction) -> u32 {
    (i >> POS_C) & MAXARG_C
}
#[inline(always)]
pub fn get_sb(i: Instruction) -> i32 {
    get_b(i) as i32 - OFFSET_SC
}
#[inline(always)]
pub fn get_sc(i: Instruction) -> i32 {
    get_c(i) as i32 - OFFSET_SC
}
#[inline(always)]
pub fn get_k(i: Instruction) -> bool {
    (i >> POS_K) & 1 != 0
}
#[inline(always)]
pub fn get_bx(i: Instruction) -> u32 {
    i >> POS_BX
}
#[inline(always)]
pub fn get_sbx(i: Instruction) -> i32 {
    get_bx(i) as i32 - OFFSET_SBX
}
#[inline(always)]
pub fn get_ax(i: Instruction) -> u32 {
    i >> POS_AX
}
#[inline(always)]
pub fn get_sj(i: Instruction) -> i32 {
    (i >> POS_SJ) as i32 - OFFSET_SJ
}

// ---- Encoding -------------------------------------------------------------------------

pub fn encode_abc(op: OpCode, a: u32, b: u32, c: u32, k: bool) -> Instruction {
    (op as u32) | (a << POS_A) | ((k as u32) << POS_K) | (b << POS_B) | (c << POS_C)
}
pub fn encode_abx(op: OpCode, a: u32, bx: u32) -> Instruction {
    (op as u32) | (a << POS_A) | (bx << POS_BX)
}
pub fn encode_asbx(op: OpCode, a: u32, sbx: i32) -> Instruction {
    encode_abx(op, a, (sbx + OFFSET_SBX) as u32)
}
pub fn encode_ax(op: OpCode, ax: u32) -> Instruction {
    (op as u32) | (ax << POS_AX)
}
pub fn encode_sj(op: OpCode, sj: i32) -> Instruction {
    (op as u32) | (((sj + OFFSET_SJ) as u32) << POS_SJ)
}

/// Replaces the A field of an instruction.
pub fn set_a(i: Instruction, a: u32) -> Instruction {
    (i & !(MAXARG_A << POS_A)) | (a << POS_A)
}
pub fn set_b(i: Instruction, b: u32) -> Instruction {
    (i & !(MAXARG_B << POS_B)) | (b << POS_B)
}
pub fn set_c(i: Instruction, c: u32) -> Instruction {
    (i & !(MAXARG_C << POS_C)) | (c << POS_C)
}
pub fn set_k(i: Instruction, k: bool) -> Instruction {
    (i & !(1 << POS_K)) | ((k as u32) << POS_K)
}
pub fn set_bx(i: Instruction, bx: u32) -> Instruction {
    (i & !(MAXARG_BX << POS_BX)) | (bx << POS_BX)
}
pub fn set_sj(i: Instruction, sj: i32) -> Instruction {
    (i & !(MAXARG_SJ << POS_SJ)) | (((sj + OFFSET_SJ) as u32) << POS_SJ)
}

/// Metamethod events in `ltm.h` order; `MMBIN*` instructions carry one in C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TagMethod {
    Index,
    NewIndex,
    Gc,
    Mode,
    Len,
    Eq,
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
    Lt,
    Le,
    Concat,
    Call,
    Close,
}

impl TagMethod {
    pub const ALL: [TagMethod; 25] = [
        TagMethod::Index,
        TagMethod::NewIndex,
        TagMethod::Gc,
        TagMethod::Mode,
        TagMethod::Len,
        TagMethod::Eq,
        TagMethod::Add,
        TagMethod::Sub,
        TagMethod::Mul,
        TagMethod::Mod,
        TagMethod::Pow,
        TagMethod::Div,
        TagMethod::IDiv,
        TagMethod::BAnd,
        TagMethod::BOr,
        TagMethod::BXor,
        TagMethod::Shl,
        TagMethod::Shr,
        TagMethod::Unm,
        TagMethod::BNot,
        TagMethod::Lt,
        TagMethod::Le,
        TagMethod::Concat,
        TagMethod::Call,
        TagMethod::Close,
    ];

    pub fn from_u32(n: u32) -> Option<TagMethod> {
        TagMethod::ALL.get(n as usize).copied()
    }

    /// The metamethod's field name, e.g. `"__add"`.
    pub fn name(self) -> &'static str {
        match self {
            TagMethod::Index => "__index",
            TagMethod::NewIndex => "__newindex",
            TagMethod::Gc => "__gc",
            TagMethod::Mode => "__mode",
            TagMethod::Len => "__len",
            TagMethod::Eq => "__eq",
            TagMethod::Add => "__add",
            TagMethod::Sub => "__sub",
            TagMethod::Mul => "__mul",
            TagMethod::Mod => "__mod",
            TagMethod::Pow => "__pow",
            TagMethod::Div => "__div",
            TagMethod::IDiv => "__idiv",
            TagMethod::BAnd => "__band",
            TagMethod::BOr => "__bor",
            TagMethod::BXor => "__bxor",
            TagMethod::Shl => "__shl",
            TagMethod::Shr => "__shr",
            TagMethod::Unm => "__unm",
            TagMethod::BNot => "__bnot",
            TagMethod::Lt => "__lt",
            TagMethod::Le => "__le",
            TagMethod::Concat => "__concat",
            TagMethod::Call => "__call",
            TagMethod::Close => "__close",
        }
    }
}

// ---- Prototypes -----------------------------------------------------------------------

/// A constant of a function prototype, as the compiler produces it.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
}

/// Describes where a closure finds upvalue `i` when it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpvalDesc {
    pub name: String,
    /// True: the upvalue is register `index` of the enclosing function; false: it is the
    /// enclosing function's upvalue `index`.
    pub in_stack: bool,
    pub index: u8,
    /// Variable kind (`VDKREG` 0, `RDKCONST` 1, `RDKTOCLOSE` 2, `RDKCTC` 3), as PUC.
    pub kind: u8,
}

/// Debug information for a local variable: active for `start_pc <= pc < end_pc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocVar {
    pub name: String,
    pub start_pc: u32,
    pub end_pc: u32,
}

/// A compiled function: the compiler's output and the unit the interpreter loads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proto {
    /// Chunk name as given to `load` (`"@file.lua"`, `"=stdin"`, or the source text).
    pub source: String,
    pub line_defined: u32,
    pub last_line_defined: u32,
    pub num_params: u8,
    pub is_vararg: bool,
    /// Registers needed by the function.
    pub max_stack_size: u8,
    pub code: Vec<Instruction>,
    /// Source line of each instruction (same length as `code`).
    pub line_info: Vec<u32>,
    pub constants: Vec<Constant>,
    pub upvalues: Vec<UpvalDesc>,
    pub protos: Vec<Proto>,
    pub loc_vars: Vec<LocVar>,
}

/// The short source name used in messages (`luaO_chunkid`): `"@f.lua"` gives `f.lua`,
/// `"=stdin"` gives `stdin`, other text gives `[string "first line..."]`.
pub fn chunk_id(source: &str) -> String {
    const IDSIZE: usize = 60;
    if let Some(rest) = source.strip_prefix('=') {
        truncate_bytes(rest, IDSIZE - 1).to_string()
    } else if let Some(rest) = source.strip_prefix('@') {
        if rest.len() < IDSIZE {
            rest.to_string()
        } else {
            let keep = IDSIZE - 1 - 3;
            let mut start = rest.len() - keep;
            while !rest.is_char_boundary(start) {
                start += 1;
            }
            format!("...{}", &rest[start..])
        }
    } else {
        let avail = IDSIZE - "[string \"...\"]".len() - 1;
        let newline = source.find('\n');
        if source.len() < avail && newline.is_none() {
            format!("[string \"{source}\"]")
        } else {
            let mut len = newline.unwrap_or(source.len());
            len = len.min(avail);
            format!("[string \"{}...\"]", truncate_bytes(source, len))
        }
    }
}

fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        let i = encode_abc(OpCode::Add, 3, 200, 17, true);
        assert_eq!(get_op(i), OpCode::Add);
        assert_eq!((get_a(i), get_b(i), get_c(i), get_k(i)), (3, 200, 17, true));
        let j = encode_asbx(OpCode::LoadI, 5, -42);
        assert_eq!((get_a(j), get_sbx(j)), (5, -42));
        let s = encode_sj(OpCode::Jmp, -1000);
        assert_eq!(get_sj(s), -1000);
        assert_eq!(OpCode::ALL.len(), 83);
        assert_eq!(OpCode::ExtraArg as usize, 82);
    }

    #[test]
    fn chunk_ids() {
        assert_eq!(chunk_id("@a/b.lua"), "a/b.lua");
        assert_eq!(chunk_id("=stdin"), "stdin");
        assert_eq!(chunk_id("x = 1"), "[string \"x = 1\"]");
        assert_eq!(chunk_id("x = 1\ny = 2"), "[string \"x = 1...\"]");
    }
}
