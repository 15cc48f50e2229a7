//! Expressions: the `lparser.c` expression rules, driven by the AST.

use super::*;
use crate::ast::{Expr, ExprKind, Field, FuncBody};
use crate::bytecode::{OpCode, MAXARG_BX};

/// Table constructor state (`ConsControl`).
struct ConsControl<'a> {
    /// Last list item read.
    v: ExpDesc<'a>,
    /// Register of the table.
    t: u32,
    /// Number of record elements.
    nh: usize,
    /// Number of array elements already stored.
    na: usize,
    /// Number of array elements pending to be stored.
    tostore: usize,
}

impl<'a> Compiler<'a> {
    /// `expr`/`subexpr`: compile `e` into the descriptor `v`.
    pub(super) fn expr(&mut self, e: &'a Expr, v: &mut ExpDesc<'a>) -> R<()> {
        self.enter_level()?;
        let r = match &e.kind {
            ExprKind::Bin(..) => self.binexpr(e, v),
            ExprKind::Un(op, sub) => self.unexpr(*op, sub, e.line, v),
            _ => self.simpleexp(e, v),
        };
        self.leave_level();
        r
    }

    #[inline(never)]
    fn unexpr(
        &mut self,
        op: crate::ast::UnOp,
        sub: &'a Expr,
        line: u32,
        v: &mut ExpDesc<'a>,
    ) -> R<()> {
        self.expr(sub, v)?;
        self.prefix(op, v, line)
    }

    /// Binary expressions; the left spine is walked iteratively (PUC's `subexpr` loop).
    #[inline(never)]
    fn binexpr(&mut self, e: &'a Expr, v: &mut ExpDesc<'a>) -> R<()> {
        let mut spine: Vec<&'a Expr> = Vec::new();
        let mut cur = e;
        while let ExprKind::Bin(_, l, _) = &cur.kind {
            spine.push(cur);
            cur = l;
        }
        self.expr(cur, v)?;
        for node in spine.iter().rev() {
            if let ExprKind::Bin(op, _, r) = &node.kind {
                self.line = node.line;
                self.infix(*op, v)?;
                let mut v2 = ExpDesc::void();
                self.expr(r, &mut v2)?;
                self.posfix(*op, v, &mut v2, node.line)?;
            }
        }
        Ok(())
    }

    /// `simpleexp`.
    fn simpleexp(&mut self, e: &'a Expr, v: &mut ExpDesc<'a>) -> R<()> {
        self.line = e.line;
        let k = match &e.kind {
            ExprKind::Nil => EK::Nil,
            ExprKind::True => EK::True,
            ExprKind::False => EK::False,
            ExprKind::Int(i) => EK::KInt(*i),
            ExprKind::Float(f) => EK::KFlt(*f),
            ExprKind::Str(s) => EK::KStr(s),
            ExprKind::Vararg => {
                if !self.fs.f.is_vararg {
                    return Err(self.error("cannot use '...' outside a vararg function near '...'"));
                }
                EK::Vararg(self.code_abc(OpCode::Vararg, 0, 0, 1) as u32)
            }
            ExprKind::Table(fields) => return self.constructor(fields, e.line, v),
            ExprKind::Function(body) => return self.body(body, v),
            _ => return self.suffixedexp(e, v),
        };
        *v = ExpDesc::new(k);
        Ok(())
    }

    /// `singlevaraux` over the function stack; `level` indexes `prev` (`prev.len()` is the
    /// current function).
    fn singlevaraux(&mut self, level: usize, name: &'a str, base: bool) -> R<EK<'a>> {
        if let Some(k) = self.searchvar(level, name) {
            if let (EK::Local { vidx, .. }, false) = (k, base) {
                self.markupval(level, vidx);
            }
            return Ok(k);
        }
        let idx = match self.searchupvalue(level, name) {
            Some(i) => i,
            None => {
                if level == 0 {
                    return Ok(EK::Void);
                }
                let v = self.singlevaraux(level - 1, name, false)?;
                match v {
                    EK::Local { .. } | EK::Upval(_) => self.newupvalue(level, name, v)?,
                    _ => return Ok(v),
                }
            }
        };
        Ok(EK::Upval(idx))
    }

    fn fs_at(&self, level: usize) -> &FuncState {
        self.prev.get(level).unwrap_or(&self.fs)
    }

    fn fs_at_mut(&mut self, level: usize) -> &mut FuncState {
        match self.prev.get_mut(level) {
            Some(f) => f,
            None => &mut self.fs,
        }
    }

    fn searchvar(&self, level: usize, name: &str) -> Option<EK<'a>> {
        let fs = self.fs_at(level);
        for i in (0..fs.nactvar as usize).rev() {
            let idx = fs.firstlocal + i;
            let vd = self.actvar.get(idx)?;
            if vd.name == name {
                return Some(if vd.kind == RDKCTC {
                    EK::Const(idx)
                } else {
                    EK::Local {
                        ridx: vd.ridx,
                        vidx: i as u32,
                    }
                });
            }
        }
        None
    }

    fn searchupvalue(&self, level: usize, name: &str) -> Option<u32> {
        self.fs_at(level)
            .f
            .upvalues
            .iter()
            .position(|u| u.name == name)
            .map(|i| i as u32)
    }

    fn markupval(&mut self, level: usize, vlevel: u32) {
        let fs = self.fs_at_mut(level);
        if let Some(bl) = fs.blocks.iter_mut().rev().find(|b| b.nactvar <= vlevel) {
            bl.upval = true;
        }
        fs.needclose = true;
    }

    fn newupvalue(&mut self, level: usize, name: &'a str, v: EK<'a>) -> R<u32> {
        let (in_stack, index, kind) = match v {
            EK::Local { ridx, vidx } => {
                let pfs = self.fs_at(level - 1);
                let kind = self
                    .actvar
                    .get(pfs.firstlocal + vidx as usize)
                    .map_or(VDKREG, |d| d.kind);
                (true, ridx, kind)
            }
            EK::Upval(u) => {
                let pfs = self.fs_at(level - 1);
                let kind = pfs.f.upvalues.get(u as usize).map_or(VDKREG, |d| d.kind);
                (false, u, kind)
            }
            _ => return Err(self.error("internal error: bad upvalue")),
        };
        let nups = self.fs_at(level).f.upvalues.len();
        if nups + 1 > MAXUPVAL {
            let line = self.fs_at(level).f.line_defined;
            let wher = if line == 0 {
                "main function".to_string()
            } else {
                format!("function at line {line}")
            };
            return Err(self.error(format!("too many upvalues (limit is {MAXUPVAL}) in {wher}")));
        }
        self.fs_at_mut(level).f.upvalues.push(UpvalDesc {
            name: name.to_string(),
            in_stack,
            index: index as u8,
            kind,
        });
        Ok(nups as u32)
    }

    /// `singlevar`: resolve a name (local, upvalue or global).
    pub(super) fn singlevar(&mut self, name: &'a str, v: &mut ExpDesc<'a>) -> R<()> {
        let level = self.prev.len();
        let k = self.singlevaraux(level, name, true)?;
        if k != EK::Void {
            *v = ExpDesc::new(k);
            return Ok(());
        }
        let env = self.singlevaraux(level, "_ENV", true)?;
        if env == EK::Void {
            return Err(self.error("internal error: no _ENV"));
        }
        *v = ExpDesc::new(env);
        self.exp2anyregup(v)?;
        let mut key = ExpDesc::new(EK::KStr(name.as_bytes()));
        self.indexed(v, &mut key)
    }

    /// `suffixedexp`: primary expression followed by indexing and calls, walked
    /// iteratively along the prefix chain.
    pub(super) fn suffixedexp(&mut self, e: &'a Expr, v: &mut ExpDesc<'a>) -> R<()> {
        let mut spine: Vec<&'a Expr> = Vec::new();
        let mut cur = e;
        while let ExprKind::Index(obj, _)
        | ExprKind::Call(obj, _)
        | ExprKind::MethodCall(obj, _, _) = &cur.kind
        {
            spine.push(cur);
            cur = obj;
        }
        self.primaryexp(cur, v)?;
        for node in spine.iter().rev() {
            match &node.kind {
                ExprKind::Index(_, key) => {
                    self.exp2anyregup(v)?;
                    let mut k = ExpDesc::void();
                    self.expr(key, &mut k)?;
                    self.exp2val(&mut k)?;
                    self.indexed(v, &mut k)?;
                }
                ExprKind::MethodCall(_, name, args) => {
                    let mut key = ExpDesc::new(EK::KStr(name.as_bytes()));
                    self.code_self(v, &mut key)?;
                    self.funcargs(v, args, node.line)?;
                }
                ExprKind::Call(_, args) => {
                    self.exp2nextreg(v)?;
                    self.funcargs(v, args, node.line)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `primaryexp`: a name or a parenthesized expression (anything else is compiled as a
    /// plain expression).
    fn primaryexp(&mut self, e: &'a Expr, v: &mut ExpDesc<'a>) -> R<()> {
        self.line = e.line;
        match &e.kind {
            ExprKind::Name(n) => self.singlevar(n, v),
            ExprKind::Paren(inner) => {
                self.expr(inner, v)?;
                self.dischargevars(v);
                Ok(())
            }
            ExprKind::Index(..) | ExprKind::Call(..) | ExprKind::MethodCall(..) => {
                Err(self.error("syntax error"))
            }
            _ => self.expr(e, v),
        }
    }

    /// `funcargs`: compile the arguments and the `CALL`.
    fn funcargs(&mut self, f: &mut ExpDesc<'a>, args: &'a [Expr], line: u32) -> R<()> {
        let mut a = ExpDesc::void();
        if !args.is_empty() {
            self.explist(args, &mut a)?;
            if a.is_multret() {
                self.setmultret(&mut a)?;
            }
        }
        let EK::NonReloc(base) = f.k else {
            return Err(self.error("internal error: call base"));
        };
        let nparams: i32 = if a.is_multret() {
            MULTRET
        } else {
            if a.k != EK::Void {
                self.exp2nextreg(&mut a)?;
            }
            self.fs.freereg as i32 - (base as i32 + 1)
        };
        let pc = self.code_abc(OpCode::Call, base, (nparams + 1) as u32, 2);
        *f = ExpDesc::new(EK::Call(pc as u32));
        self.fixline(line);
        self.fs.freereg = base + 1;
        Ok(())
    }

    /// `explist`: returns the number of expressions; the last one is left in `v`.
    pub(super) fn explist(&mut self, exprs: &'a [Expr], v: &mut ExpDesc<'a>) -> R<usize> {
        let mut n = 0;
        for (i, e) in exprs.iter().enumerate() {
            if i > 0 {
                self.exp2nextreg(v)?;
            }
            self.expr(e, v)?;
            n += 1;
        }
        Ok(n)
    }

    /// Table constructor.
    fn constructor(&mut self, fields: &'a [Field], line: u32, t: &mut ExpDesc<'a>) -> R<()> {
        self.line = line;
        let pc = self.code_abc(OpCode::NewTable, 0, 0, 0);
        self.code_extra_placeholder();
        let treg = self.fs.freereg;
        *t = ExpDesc::new(EK::NonReloc(treg));
        self.reserveregs(1)?;
        let mut cc = ConsControl {
            v: ExpDesc::void(),
            t: treg,
            nh: 0,
            na: 0,
            tostore: 0,
        };
        for field in fields {
            self.closelistfield(&mut cc)?;
            match field {
                Field::Positional(e) => {
                    self.expr(e, &mut cc.v)?;
                    cc.tostore += 1;
                }
                Field::Named(name, val) => {
                    let reg = self.fs.freereg;
                    let key = ExpDesc::new(EK::KStr(name.as_bytes()));
                    self.recfield(&mut cc, reg, key, val)?;
                }
                Field::Keyed(k, val) => {
                    let reg = self.fs.freereg;
                    let mut key = ExpDesc::void();
                    self.expr(k, &mut key)?;
                    self.exp2val(&mut key)?;
                    self.recfield(&mut cc, reg, key, val)?;
                }
            }
        }
        self.lastlistfield(&mut cc)?;
        self.settablesize(pc, treg, cc.na, cc.nh);
        Ok(())
    }

    fn code_extra_placeholder(&mut self) {
        self.code_abx(OpCode::ExtraArg, 0, 0);
        // the EXTRAARG is rewritten by settablesize; make it a proper iAx instruction
        let last = self.pc() - 1;
        if let Some(i) = self.fs.f.code.get_mut(last) {
            *i = crate::bytecode::encode_ax(OpCode::ExtraArg, 0);
        }
    }

    /// `recfield`; `reg` is the first free register before the key was evaluated.
    fn recfield(
        &mut self,
        cc: &mut ConsControl<'a>,
        reg: u32,
        mut key: ExpDesc<'a>,
        val: &'a Expr,
    ) -> R<()> {
        cc.nh += 1;
        let mut tab = ExpDesc::new(EK::NonReloc(cc.t));
        self.indexed(&mut tab, &mut key)?;
        let mut v = ExpDesc::void();
        self.expr(val, &mut v)?;
        self.storevar(&tab, &mut v)?;
        self.fs.freereg = reg;
        Ok(())
    }

    fn closelistfield(&mut self, cc: &mut ConsControl<'a>) -> R<()> {
        if cc.v.k == EK::Void {
            return Ok(());
        }
        self.exp2nextreg(&mut cc.v)?;
        cc.v.k = EK::Void;
        if cc.tostore == crate::bytecode::LFIELDS_PER_FLUSH as usize {
            self.setlist(cc.t, cc.na, cc.tostore as i32);
            cc.na += cc.tostore;
            cc.tostore = 0;
        }
        Ok(())
    }

    fn lastlistfield(&mut self, cc: &mut ConsControl<'a>) -> R<()> {
        if cc.tostore == 0 {
            return Ok(());
        }
        if cc.v.is_multret() {
            self.setmultret(&mut cc.v)?;
            self.setlist(cc.t, cc.na, MULTRET);
            cc.na = cc.na.wrapping_sub(1);
        } else {
            if cc.v.k != EK::Void {
                self.exp2nextreg(&mut cc.v)?;
            }
            self.setlist(cc.t, cc.na, cc.tostore as i32);
        }
        cc.na = cc.na.wrapping_add(cc.tostore);
        Ok(())
    }

    /// `body`: compile a function body and emit its `CLOSURE` in the current function.
    pub(super) fn body(&mut self, func: &'a FuncBody, v: &mut ExpDesc<'a>) -> R<()> {
        if self.fs.f.protos.len() >= MAXARG_BX as usize {
            return Err(self.error_limit(MAXARG_BX as usize, "functions"));
        }
        let child = FuncState::new(
            &self.source,
            func.line,
            self.actvar.len(),
            self.labels.len(),
        );
        let parent = std::mem::replace(&mut self.fs, child);
        self.prev.push(parent);
        self.line = func.line;
        let r = self.body_inner(func);
        let proto = r?;
        let Some(parent) = self.prev.pop() else {
            return Err(self.error("internal error: function stack"));
        };
        self.fs = parent;
        self.fs.f.protos.push(proto);
        // codeclosure
        self.line = func.end_line;
        let np = self.fs.f.protos.len() as u32 - 1;
        *v = ExpDesc::new(EK::Reloc(self.code_abx(OpCode::Closure, 0, np) as u32));
        self.exp2nextreg(v)
    }

    fn body_inner(&mut self, func: &'a FuncBody) -> R<crate::bytecode::Proto> {
        self.open_func();
        for p in &func.params {
            self.new_localvar(p)?;
        }
        self.adjustlocalvars(func.params.len() as u32);
        self.fs.f.num_params = self.fs.nactvar as u8;
        if func.is_vararg {
            let n = self.fs.nactvar;
            self.setvararg(n);
        }
        let n = self.fs.nactvar;
        self.reserveregs(n)?;
        self.statlist(&func.body.stats, func.body.ret.as_ref(), false)?;
        self.fs.f.last_line_defined = func.end_line;
        self.line = func.end_line;
        self.close_func()
    }

    pub(super) fn setvararg(&mut self, nparams: u32) {
        self.fs.f.is_vararg = true;
        self.code_abc(OpCode::VarargPrep, nparams, 0, 0);
    }

    /// `luaK_exp2const`: the constant value of `e`, if it is one.
    pub(super) fn exp2const(&self, e: &ExpDesc<'a>) -> Option<EK<'a>> {
        if e.has_jumps() {
            return None;
        }
        match e.k {
            EK::False | EK::True | EK::Nil | EK::KStr(_) | EK::KInt(_) | EK::KFlt(_) => Some(e.k),
            EK::Const(idx) => self.actvar.get(idx).map(|v| v.k),
            _ => None,
        }
    }
}
