//! Compiler: [`crate::ast::Chunk`] to [`crate::bytecode::Proto`].
//!
//! The code generator is a close port of PUC Lua 5.4's `lcode.c` (in [`code`]) driven by a
//! walk over the AST that mirrors the grammar functions of `lparser.c` (in [`stat`] and
//! [`expr`]). Expression descriptors, register allocation, jump lists, constant folding,
//! scoping of locals, upvalues, labels and gotos follow PUC's algorithms so that the emitted
//! instruction sequences match `luac5.4 -l` for ordinary code, and so that the interpreter
//! can derive variable names from bytecode exactly like `ldebug.c`.

mod code;
mod expr;
mod stat;
#[cfg(test)]
mod testparse;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::ast::Chunk;
use crate::bytecode::{chunk_id, Proto, UpvalDesc};
use crate::error::SyntaxError;

type R<T> = Result<T, SyntaxError>;

/// Marks the end of a jump list.
const NO_JUMP: i32 = -1;
/// "No register" in the A field of a `TESTSET`.
const NO_REG: u32 = 255;
/// Maximum number of local variables per function.
const MAXVARS: usize = 200;
/// Maximum number of upvalues per function.
const MAXUPVAL: usize = 255;
/// Maximum index of a constant in an R/K operand.
const MAXINDEXRK: u32 = 255;
/// Strings up to this length are "short" (only those may be `Kstr` operands).
const LUAI_MAXSHORTLEN: usize = 40;
/// `LUA_MULTRET`.
const MULTRET: i32 = -1;
/// Maximum recursion depth of the tree walk. PUC's parser stops at about 200 levels
/// (`LUAI_MAXCCALLS`); this is a generous safety net: at most ~1 KB of stack per level in debug
/// builds keeps the walk within a 2 MiB thread stack.
const MAX_DEPTH: u32 = 1000;

/// Variable kinds (`vd.kind`), as PUC.
const VDKREG: u8 = 0;
const RDKCONST: u8 = 1;
const RDKTOCLOSE: u8 = 2;
const RDKCTC: u8 = 3;

/// Expression descriptor kind (`expkind` in `lparser.h`), with its payload.
#[derive(Debug, Clone, Copy, PartialEq)]
enum EK<'a> {
    /// Empty expression list (or the "global" flag of `singlevaraux`).
    Void,
    Nil,
    True,
    False,
    /// Constant in `k`: index.
    K(u32),
    KFlt(f64),
    KInt(i64),
    KStr(&'a [u8]),
    /// Value in a fixed register.
    NonReloc(u32),
    /// Local variable: register and compiler index (relative to the function's first local).
    Local {
        ridx: u32,
        vidx: u32,
    },
    /// Upvalue index.
    Upval(u32),
    /// Compile-time constant: absolute index in the active-variable list.
    Const(usize),
    /// `R[t][R[idx]]`
    Indexed {
        t: u32,
        idx: u32,
    },
    /// `U[t][K[idx]]`
    IndexUp {
        t: u32,
        idx: u32,
    },
    /// `R[t][idx]` (integer immediate)
    IndexI {
        t: u32,
        idx: u32,
    },
    /// `R[t][K[idx]]`
    IndexStr {
        t: u32,
        idx: u32,
    },
    /// Test/comparison: pc of its jump.
    Jmp(u32),
    /// Instruction (at pc) whose destination register is still free.
    Reloc(u32),
    /// Open function call (pc of the `CALL`).
    Call(u32),
    /// Open vararg (pc of the `VARARG`).
    Vararg(u32),
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct ExpDesc<'a> {
    k: EK<'a>,
    /// Patch list of "exit when true".
    t: i32,
    /// Patch list of "exit when false".
    f: i32,
}

impl<'a> ExpDesc<'a> {
    fn new(k: EK<'a>) -> Self {
        ExpDesc {
            k,
            t: NO_JUMP,
            f: NO_JUMP,
        }
    }
    fn void() -> Self {
        Self::new(EK::Void)
    }
    fn has_jumps(&self) -> bool {
        self.t != self.f
    }
    fn is_multret(&self) -> bool {
        matches!(self.k, EK::Call(_) | EK::Vararg(_))
    }
    fn is_indexed(&self) -> bool {
        matches!(
            self.k,
            EK::Indexed { .. } | EK::IndexUp { .. } | EK::IndexI { .. } | EK::IndexStr { .. }
        )
    }
    fn is_var(&self) -> bool {
        matches!(self.k, EK::Local { .. } | EK::Upval(_) | EK::Const(_)) || self.is_indexed()
    }
}

/// Description of an active local variable (`Vardesc`).
#[derive(Debug, Clone)]
struct VarDesc<'a> {
    name: &'a str,
    kind: u8,
    /// Register holding the variable.
    ridx: u32,
    /// Index of the variable in the prototype's `loc_vars`.
    pidx: usize,
    /// Value of a compile-time constant (`RDKCTC`).
    k: EK<'a>,
}

/// A label or pending goto (`Labeldesc`).
#[derive(Debug, Clone)]
struct LabelDesc<'a> {
    name: &'a str,
    /// Position in code.
    pc: i32,
    line: u32,
    /// Number of active variables in that position.
    nactvar: u32,
    /// Goto that escapes upvalues.
    close: bool,
}

/// Block bookkeeping (`BlockCnt`).
#[derive(Debug, Clone, Copy)]
struct BlockCnt {
    firstlabel: usize,
    firstgoto: usize,
    nactvar: u32,
    upval: bool,
    isloop: bool,
    insidetbc: bool,
}

/// State of the function being compiled (`FuncState`).
#[derive(Debug)]
struct FuncState {
    f: Proto,
    maxstack: u32,
    lasttarget: usize,
    freereg: u32,
    nactvar: u32,
    firstlocal: usize,
    firstlabel: usize,
    needclose: bool,
    blocks: Vec<BlockCnt>,
}

impl FuncState {
    fn new(source: &str, line_defined: u32, firstlocal: usize, firstlabel: usize) -> Self {
        FuncState {
            f: Proto {
                source: source.to_string(),
                line_defined,
                ..Proto::default()
            },
            maxstack: 2,
            lasttarget: 0,
            freereg: 0,
            nactvar: 0,
            firstlocal,
            firstlabel,
            needclose: false,
            blocks: Vec::new(),
        }
    }
    fn pc(&self) -> usize {
        self.f.code.len()
    }
}

/// Key of the constant cache shared by all functions of a chunk (PUC's scanner table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum KKey<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Flt(u64),
    Str(&'a [u8]),
}

struct Compiler<'a> {
    chunkid: String,
    source: String,
    /// Function being compiled.
    fs: FuncState,
    /// Enclosing functions, outermost first.
    prev: Vec<FuncState>,
    /// Active local variables of all functions being compiled (`dyd->actvar`).
    actvar: Vec<VarDesc<'a>>,
    /// Pending gotos (`dyd->gt`).
    gt: Vec<LabelDesc<'a>>,
    /// Active labels (`dyd->label`).
    labels: Vec<LabelDesc<'a>>,
    kcache: HashMap<KKey<'a>, usize>,
    /// Line given to new instructions (PUC's `ls->lastline`).
    line: u32,
    depth: u32,
    /// Set if some instruction field would overflow; reported as an error at the end.
    overflow: bool,
}

/// Compiles a parsed chunk into the prototype of its main function (vararg, one upvalue `_ENV`).
pub fn compile(chunk: &Chunk, chunk_name: &str) -> Result<Proto, SyntaxError> {
    let mut c = Compiler {
        chunkid: chunk_id(chunk_name),
        source: chunk_name.to_string(),
        fs: FuncState::new(chunk_name, 0, 0, 0),
        prev: Vec::new(),
        actvar: Vec::new(),
        gt: Vec::new(),
        labels: Vec::new(),
        kcache: HashMap::new(),
        line: 1,
        depth: 0,
        overflow: false,
    };
    c.main_func(chunk)
}

impl<'a> Compiler<'a> {
    /// An error at the current line: `chunkid:line: msg`.
    fn error(&self, msg: impl AsRef<str>) -> SyntaxError {
        self.error_at(self.line, msg)
    }

    fn error_at(&self, line: u32, msg: impl AsRef<str>) -> SyntaxError {
        SyntaxError::new(format!("{}:{}: {}", self.chunkid, line, msg.as_ref()))
    }

    /// `errorlimit` of lparser.c.
    fn error_limit(&self, limit: usize, what: &str) -> SyntaxError {
        let line = self.fs.f.line_defined;
        let wher = if line == 0 {
            "main function".to_string()
        } else {
            format!("function at line {line}")
        };
        self.error(format!("too many {what} (limit is {limit}) in {wher}"))
    }

    fn enter_level(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("C stack overflow"));
        }
        Ok(())
    }

    fn leave_level(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn main_func(&mut self, chunk: &'a Chunk) -> R<Proto> {
        self.open_func();
        self.setvararg(0);
        self.fs.f.upvalues.push(UpvalDesc {
            name: "_ENV".to_string(),
            in_stack: true,
            index: 0,
            kind: VDKREG,
        });
        self.statlist(&chunk.body.stats, chunk.body.ret.as_ref(), false)?;
        self.line = chunk.end_line;
        self.fs.f.last_line_defined = 0;
        self.close_func()
    }
}
