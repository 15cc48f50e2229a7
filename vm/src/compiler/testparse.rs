//! A minimal Lua parser used only by the compiler's unit tests (until the real parser is
//! merged). It produces the AST with PUC's line conventions for the constructs it supports.

use crate::ast::*;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Kw(&'static str),
    Int(i64),
    Flt(f64),
    Str(Vec<u8>),
    Op(&'static str),
    Eof,
}

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

const OPS: &[&str] = &[
    "...", "..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::", "+", "-", "*", "/", "%", "^", "#",
    "&", "~", "|", "<", ">", "=", "(", ")", "{", "}", "[", "]", ";", ":", ",", ".",
];

fn lex(src: &str) -> Vec<(Tok, u32)> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut line = 1;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'-' && b.get(i + 1) == Some(&b'-') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let w = &src[s..i];
            match KEYWORDS.iter().find(|k| **k == w) {
                Some(k) => out.push((Tok::Kw(k), line)),
                None => out.push((Tok::Name(w.to_string()), line)),
            }
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let s = i;
            if c == b'0' && matches!(b.get(i + 1), Some(b'x') | Some(b'X')) {
                i += 2;
                let s2 = i;
                while i < b.len() && b[i].is_ascii_hexdigit() {
                    i += 1;
                }
                let v = u64::from_str_radix(&src[s2..i], 16).unwrap_or(0);
                out.push((Tok::Int(v as i64), line));
                continue;
            }
            let mut float = false;
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || b[i] == b'.'
                    || b[i] == b'e'
                    || b[i] == b'E'
                    || ((b[i] == b'-' || b[i] == b'+') && matches!(b[i - 1], b'e' | b'E')))
            {
                if !b[i].is_ascii_digit() {
                    float = true;
                }
                i += 1;
            }
            let t = &src[s..i];
            if !float {
                match t.parse::<i64>() {
                    Ok(v) => out.push((Tok::Int(v), line)),
                    Err(_) => out.push((Tok::Flt(t.parse().unwrap_or(0.0)), line)),
                }
            } else {
                out.push((Tok::Flt(t.parse().unwrap_or(0.0)), line));
            }
            continue;
        }
        if c == b'"' || c == b'\'' {
            i += 1;
            let mut s = Vec::new();
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' {
                    i += 1;
                    match b[i] {
                        b'n' => s.push(b'\n'),
                        b't' => s.push(b'\t'),
                        d if d.is_ascii_digit() => {
                            let st = i;
                            while i < b.len() && i < st + 3 && b[i].is_ascii_digit() {
                                i += 1;
                            }
                            s.push(src[st..i].parse::<u32>().unwrap_or(0) as u8);
                            continue;
                        }
                        o => s.push(o),
                    }
                    i += 1;
                } else {
                    s.push(b[i]);
                    i += 1;
                }
            }
            i += 1;
            out.push((Tok::Str(s), line));
            continue;
        }
        if c == b'[' && b.get(i + 1) == Some(&b'[') {
            let s = i + 2;
            let e = src[s..].find("]]").map_or(b.len(), |p| p + s);
            let text = &src[s..e];
            out.push((Tok::Str(text.as_bytes().to_vec()), line));
            line += text.matches('\n').count() as u32;
            i = e + 2;
            continue;
        }
        let op = OPS
            .iter()
            .find(|o| src[i..].starts_with(**o))
            .unwrap_or_else(|| panic!("bad char {}", c as char));
        out.push((Tok::Op(op), line));
        i += op.len();
    }
    out.push((Tok::Eof, line));
    out
}

struct P {
    toks: Vec<(Tok, u32)>,
    pos: usize,
}

fn binop(t: &Tok) -> Option<(BinOp, u8, u8)> {
    Some(match t {
        Tok::Op("+") => (BinOp::Add, 10, 10),
        Tok::Op("-") => (BinOp::Sub, 10, 10),
        Tok::Op("*") => (BinOp::Mul, 11, 11),
        Tok::Op("%") => (BinOp::Mod, 11, 11),
        Tok::Op("^") => (BinOp::Pow, 14, 13),
        Tok::Op("/") => (BinOp::Div, 11, 11),
        Tok::Op("//") => (BinOp::IDiv, 11, 11),
        Tok::Op("&") => (BinOp::BAnd, 6, 6),
        Tok::Op("|") => (BinOp::BOr, 4, 4),
        Tok::Op("~") => (BinOp::BXor, 5, 5),
        Tok::Op("<<") => (BinOp::Shl, 7, 7),
        Tok::Op(">>") => (BinOp::Shr, 7, 7),
        Tok::Op("..") => (BinOp::Concat, 9, 8),
        Tok::Op("==") => (BinOp::Eq, 3, 3),
        Tok::Op("~=") => (BinOp::Ne, 3, 3),
        Tok::Op("<") => (BinOp::Lt, 3, 3),
        Tok::Op("<=") => (BinOp::Le, 3, 3),
        Tok::Op(">") => (BinOp::Gt, 3, 3),
        Tok::Op(">=") => (BinOp::Ge, 3, 3),
        Tok::Kw("and") => (BinOp::And, 2, 2),
        Tok::Kw("or") => (BinOp::Or, 1, 1),
        _ => return None,
    })
}

impl P {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn line(&self) -> u32 {
        self.toks[self.pos].1
    }
    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn test(&mut self, t: Tok) -> bool {
        if *self.peek() == t {
            self.next();
            true
        } else {
            false
        }
    }
    fn check(&mut self, t: Tok) {
        assert_eq!(self.next(), t, "at line {}", self.line());
    }
    fn name(&mut self) -> String {
        match self.next() {
            Tok::Name(n) => n,
            t => panic!("name expected, got {t:?}"),
        }
    }

    fn block_follow(&self) -> bool {
        matches!(
            self.peek(),
            Tok::Eof | Tok::Kw("end") | Tok::Kw("else") | Tok::Kw("elseif") | Tok::Kw("until")
        )
    }

    fn block(&mut self) -> Block {
        let mut b = Block::default();
        while !self.block_follow() {
            if *self.peek() == Tok::Kw("return") {
                let line = self.line();
                self.next();
                let exprs = if self.block_follow() || *self.peek() == Tok::Op(";") {
                    vec![]
                } else {
                    self.explist()
                };
                self.test(Tok::Op(";"));
                b.ret = Some(Return { exprs, line });
                break;
            }
            if let Some(s) = self.statement() {
                b.stats.push(s);
            }
        }
        b
    }

    fn funcbody(&mut self, line: u32, method: bool) -> FuncBody {
        self.check(Tok::Op("("));
        let mut params = vec![];
        if method {
            params.push("self".to_string());
        }
        let mut is_vararg = false;
        while *self.peek() != Tok::Op(")") {
            if self.test(Tok::Op("...")) {
                is_vararg = true;
                break;
            }
            params.push(self.name());
            if !self.test(Tok::Op(",")) {
                break;
            }
        }
        self.check(Tok::Op(")"));
        let body = self.block();
        let end_line = self.line();
        self.check(Tok::Kw("end"));
        FuncBody {
            params,
            is_vararg,
            body,
            line,
            end_line,
        }
    }

    fn statement(&mut self) -> Option<Stat> {
        let line = self.line();
        match self.peek().clone() {
            Tok::Op(";") => {
                self.next();
                None
            }
            Tok::Kw("if") => {
                self.next();
                let mut conds = vec![];
                let c = self.expr();
                self.check(Tok::Kw("then"));
                conds.push((c, self.block()));
                let mut else_block = None;
                loop {
                    if self.test(Tok::Kw("elseif")) {
                        let c = self.expr();
                        self.check(Tok::Kw("then"));
                        conds.push((c, self.block()));
                    } else if self.test(Tok::Kw("else")) {
                        else_block = Some(self.block());
                    } else {
                        break;
                    }
                }
                self.check(Tok::Kw("end"));
                Some(Stat::If {
                    conds,
                    else_block,
                    line,
                })
            }
            Tok::Kw("while") => {
                self.next();
                let cond = self.expr();
                self.check(Tok::Kw("do"));
                let body = self.block();
                self.check(Tok::Kw("end"));
                Some(Stat::While { cond, body, line })
            }
            Tok::Kw("do") => {
                self.next();
                let b = self.block();
                self.check(Tok::Kw("end"));
                Some(Stat::Do(b))
            }
            Tok::Kw("for") => {
                self.next();
                let n1 = self.name();
                if self.test(Tok::Op("=")) {
                    let start = self.expr();
                    self.check(Tok::Op(","));
                    let limit = self.expr();
                    let step = if self.test(Tok::Op(",")) {
                        Some(self.expr())
                    } else {
                        None
                    };
                    self.check(Tok::Kw("do"));
                    let body = self.block();
                    self.check(Tok::Kw("end"));
                    Some(Stat::NumericFor {
                        var: n1,
                        start,
                        limit,
                        step,
                        body,
                        line,
                    })
                } else {
                    let mut names = vec![n1];
                    while self.test(Tok::Op(",")) {
                        names.push(self.name());
                    }
                    self.check(Tok::Kw("in"));
                    let exprs = self.explist();
                    self.check(Tok::Kw("do"));
                    let body = self.block();
                    self.check(Tok::Kw("end"));
                    Some(Stat::GenericFor {
                        names,
                        exprs,
                        body,
                        line,
                    })
                }
            }
            Tok::Kw("repeat") => {
                self.next();
                let body = self.block();
                self.check(Tok::Kw("until"));
                let cond = self.expr();
                Some(Stat::Repeat { body, cond, line })
            }
            Tok::Kw("function") => {
                self.next();
                let mut path = vec![self.name()];
                let mut method = None;
                while self.test(Tok::Op(".")) {
                    path.push(self.name());
                }
                if self.test(Tok::Op(":")) {
                    method = Some(self.name());
                }
                let func = Box::new(self.funcbody(line, method.is_some()));
                Some(Stat::Function {
                    path,
                    method,
                    func,
                    line,
                })
            }
            Tok::Kw("local") => {
                self.next();
                if self.test(Tok::Kw("function")) {
                    let name = self.name();
                    let fl = self.line();
                    let func = Box::new(self.funcbody(fl, false));
                    return Some(Stat::LocalFunction { name, func, line });
                }
                let mut names = vec![];
                loop {
                    let n = self.name();
                    let mut a = Attrib::None;
                    if self.test(Tok::Op("<")) {
                        a = match self.name().as_str() {
                            "const" => Attrib::Const,
                            "close" => Attrib::Close,
                            o => panic!("attrib {o}"),
                        };
                        self.check(Tok::Op(">"));
                    }
                    names.push((n, a));
                    if !self.test(Tok::Op(",")) {
                        break;
                    }
                }
                let exprs = if self.test(Tok::Op("=")) {
                    self.explist()
                } else {
                    vec![]
                };
                Some(Stat::Local { names, exprs, line })
            }
            Tok::Op("::") => {
                self.next();
                let name = self.name();
                self.check(Tok::Op("::"));
                Some(Stat::Label { name, line })
            }
            Tok::Kw("break") => {
                self.next();
                Some(Stat::Break { line })
            }
            Tok::Kw("goto") => {
                self.next();
                let label = self.name();
                Some(Stat::Goto { label, line })
            }
            _ => {
                let e = self.suffixedexp();
                if matches!(self.peek(), Tok::Op("=") | Tok::Op(",")) {
                    let mut targets = vec![e];
                    while self.test(Tok::Op(",")) {
                        targets.push(self.suffixedexp());
                    }
                    let line = self.line();
                    self.check(Tok::Op("="));
                    let exprs = self.explist();
                    Some(Stat::Assign {
                        targets,
                        exprs,
                        line,
                    })
                } else {
                    Some(Stat::Call(e))
                }
            }
        }
    }

    fn explist(&mut self) -> Vec<Expr> {
        let mut v = vec![self.expr()];
        while self.test(Tok::Op(",")) {
            v.push(self.expr());
        }
        v
    }

    fn expr(&mut self) -> Expr {
        self.subexpr(0)
    }

    fn subexpr(&mut self, limit: u8) -> Expr {
        let line = self.line();
        let uop = match self.peek() {
            Tok::Kw("not") => Some(UnOp::Not),
            Tok::Op("-") => Some(UnOp::Neg),
            Tok::Op("#") => Some(UnOp::Len),
            Tok::Op("~") => Some(UnOp::BNot),
            _ => None,
        };
        let mut e = if let Some(op) = uop {
            self.next();
            let sub = self.subexpr(12);
            Expr::new(ExprKind::Un(op, Box::new(sub)), line)
        } else {
            self.simpleexp()
        };
        while let Some((op, l, r)) = binop(self.peek()) {
            if l <= limit {
                break;
            }
            let line = self.line();
            self.next();
            let e2 = self.subexpr(r);
            e = Expr::new(ExprKind::Bin(op, Box::new(e), Box::new(e2)), line);
        }
        e
    }

    fn simpleexp(&mut self) -> Expr {
        let line = self.line();
        let k = match self.peek().clone() {
            Tok::Int(i) => ExprKind::Int(i),
            Tok::Flt(f) => ExprKind::Float(f),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Kw("nil") => ExprKind::Nil,
            Tok::Kw("true") => ExprKind::True,
            Tok::Kw("false") => ExprKind::False,
            Tok::Op("...") => ExprKind::Vararg,
            Tok::Op("{") => return self.table(),
            Tok::Kw("function") => {
                self.next();
                let fl = self.line();
                return Expr::new(ExprKind::Function(Box::new(self.funcbody(fl, false))), line);
            }
            _ => return self.suffixedexp(),
        };
        self.next();
        Expr::new(k, line)
    }

    fn table(&mut self) -> Expr {
        let line = self.line();
        self.check(Tok::Op("{"));
        let mut fields = vec![];
        while *self.peek() != Tok::Op("}") {
            if self.test(Tok::Op("[")) {
                let k = self.expr();
                self.check(Tok::Op("]"));
                self.check(Tok::Op("="));
                fields.push(Field::Keyed(k, self.expr()));
            } else if matches!(self.peek(), Tok::Name(_))
                && self.toks[self.pos + 1].0 == Tok::Op("=")
            {
                let n = self.name();
                self.next();
                fields.push(Field::Named(n, self.expr()));
            } else {
                fields.push(Field::Positional(self.expr()));
            }
            if !self.test(Tok::Op(",")) && !self.test(Tok::Op(";")) {
                break;
            }
        }
        self.check(Tok::Op("}"));
        Expr::new(ExprKind::Table(fields), line)
    }

    fn args(&mut self) -> Vec<Expr> {
        match self.peek().clone() {
            Tok::Str(s) => {
                let l = self.line();
                self.next();
                vec![Expr::new(ExprKind::Str(s), l)]
            }
            Tok::Op("{") => vec![self.table()],
            _ => {
                self.check(Tok::Op("("));
                let a = if *self.peek() == Tok::Op(")") {
                    vec![]
                } else {
                    self.explist()
                };
                self.check(Tok::Op(")"));
                a
            }
        }
    }

    fn suffixedexp(&mut self) -> Expr {
        let line = self.line();
        let mut e = match self.next() {
            Tok::Name(n) => Expr::new(ExprKind::Name(n), line),
            Tok::Op("(") => {
                let inner = self.expr();
                self.check(Tok::Op(")"));
                Expr::new(ExprKind::Paren(Box::new(inner)), line)
            }
            t => panic!("unexpected {t:?} at line {line}"),
        };
        loop {
            match self.peek().clone() {
                Tok::Op(".") => {
                    self.next();
                    let l = self.line();
                    let n = self.name();
                    let k = Expr::new(ExprKind::Str(n.into_bytes()), l);
                    e = Expr::new(ExprKind::Index(Box::new(e), Box::new(k)), line);
                }
                Tok::Op("[") => {
                    self.next();
                    let k = self.expr();
                    self.check(Tok::Op("]"));
                    e = Expr::new(ExprKind::Index(Box::new(e), Box::new(k)), line);
                }
                Tok::Op(":") => {
                    self.next();
                    let n = self.name();
                    let a = self.args();
                    e = Expr::new(ExprKind::MethodCall(Box::new(e), n, a), line);
                }
                Tok::Op("(") | Tok::Op("{") | Tok::Str(_) => {
                    let a = self.args();
                    e = Expr::new(ExprKind::Call(Box::new(e), a), line);
                }
                _ => return e,
            }
        }
    }
}

/// Parses `src` (panics on syntax errors).
pub fn parse(src: &str) -> Chunk {
    let mut p = P {
        toks: lex(src),
        pos: 0,
    };
    let body = p.block();
    assert_eq!(*p.peek(), Tok::Eof, "trailing tokens at line {}", p.line());
    Chunk {
        body,
        end_line: p.line(),
    }
}
