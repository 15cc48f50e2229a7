//! Abstract syntax tree produced by [`crate::parser`] and consumed by [`crate::compiler`].
//!
//! The tree keeps exactly what the compiler needs to emit PUC-compatible bytecode and
//! error positions: every expression and statement carries the source line that PUC Lua
//! would attribute to the instruction it generates.

/// An identifier (Lua identifiers are ASCII letters, digits and `_`).
pub type Name = String;

/// Source line number, starting at 1.
pub type Line = u32;

/// A whole chunk: the body of the implicit vararg main function.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub body: Block,
    /// Line of the end of input (used for the final `RETURN`).
    pub end_line: Line,
}

/// A sequence of statements, optionally ended by `return`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub stats: Vec<Stat>,
    pub ret: Option<Return>,
}

/// `return e1, e2, ...` ending a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub exprs: Vec<Expr>,
    pub line: Line,
}

/// Attribute of a local variable declaration (`<const>`, `<close>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attrib {
    None,
    Const,
    Close,
}

/// A statement. `line` is the line where the statement starts unless noted.
#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    /// `local n1 <attr>, n2 = e1, e2`
    Local {
        names: Vec<(Name, Attrib)>,
        exprs: Vec<Expr>,
        line: Line,
    },
    /// `t1, t2 = e1, e2`; every target is a `Name` or `Index` expression.
    Assign {
        targets: Vec<Expr>,
        exprs: Vec<Expr>,
        /// Line of the `=` sign.
        line: Line,
    },
    /// A function or method call used as a statement (`ExprKind::Call`/`MethodCall`).
    Call(Expr),
    Do(Block),
    While {
        cond: Expr,
        body: Block,
        line: Line,
    },
    Repeat {
        body: Block,
        cond: Expr,
        line: Line,
    },
    /// `if c1 then b1 elseif c2 then b2 else b3 end`
    If {
        conds: Vec<(Expr, Block)>,
        else_block: Option<Block>,
        line: Line,
    },
    /// `for var = start, limit [, step] do body end`
    NumericFor {
        var: Name,
        start: Expr,
        limit: Expr,
        step: Option<Expr>,
        body: Block,
        line: Line,
    },
    /// `for n1, n2 in e1, e2 do body end`
    GenericFor {
        names: Vec<Name>,
        exprs: Vec<Expr>,
        body: Block,
        line: Line,
    },
    /// `function a.b.c:m() end`: `path` is `["a", "b", "c"]`, `method` is `Some("m")`.
    /// For a method the parser has already inserted `self` as the first parameter.
    Function {
        path: Vec<Name>,
        method: Option<Name>,
        func: Box<FuncBody>,
        line: Line,
    },
    /// `local function name() end`
    LocalFunction {
        name: Name,
        func: Box<FuncBody>,
        line: Line,
    },
    Break {
        line: Line,
    },
    Goto {
        label: Name,
        line: Line,
    },
    Label {
        name: Name,
        line: Line,
    },
}

/// A function body: parameters and block.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncBody {
    pub params: Vec<Name>,
    pub is_vararg: bool,
    pub body: Block,
    /// Line of the `function` keyword.
    pub line: Line,
    /// Line of the closing `end`.
    pub end_line: Line,
}

/// One entry of a table constructor.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `e` (positional)
    Positional(Expr),
    /// `name = e`
    Named(Name, Expr),
    /// `[k] = e`
    Keyed(Expr, Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    IDiv,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-`
    Neg,
    /// `not`
    Not,
    /// `#`
    Len,
    /// `~`
    BNot,
}

/// An expression with the line PUC Lua attributes to the code it generates.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub line: Line,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Nil,
    True,
    False,
    /// `...`
    Vararg,
    Int(i64),
    Float(f64),
    /// A string literal, as raw bytes (escapes already decoded).
    Str(Vec<u8>),
    Function(Box<FuncBody>),
    Table(Vec<Field>),
    /// Binary operation; the expression's `line` is the operator's line.
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// Unary operation; the expression's `line` is the operator's line.
    Un(UnOp, Box<Expr>),
    /// A variable name (local, upvalue or global: resolved by the compiler).
    Name(Name),
    /// `obj[key]`, also `obj.name` (key is a `Str`).
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`; the expression's `line` is the line where the prefix expression began.
    Call(Box<Expr>, Vec<Expr>),
    /// `obj:name(args)`; line as for `Call`.
    MethodCall(Box<Expr>, Name, Vec<Expr>),
    /// `(e)`: truncates multiple results to one.
    Paren(Box<Expr>),
}

impl Expr {
    pub fn new(kind: ExprKind, line: Line) -> Self {
        Expr { kind, line }
    }

    /// True for expressions that can produce multiple values (calls and `...`).
    pub fn is_multi(&self) -> bool {
        matches!(
            self.kind,
            ExprKind::Call(..) | ExprKind::MethodCall(..) | ExprKind::Vararg
        )
    }
}
