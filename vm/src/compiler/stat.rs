//! Statements, blocks, local variables, labels and gotos: the `lparser.c` statement rules,
//! driven by the AST.

use super::code::{info, set_op};
use super::*;
use crate::ast::{Attrib, Expr, ExprKind, FuncBody, Return, Stat};
use crate::bytecode::{get_a, set_bx, set_c, LocVar, OpCode, Proto, MAXARG_BX};

impl<'a> Compiler<'a> {
    // ---- variables -------------------------------------------------------------------

    /// `reglevel`: register level of the first `nvar` variables of the current function.
    pub(super) fn reglevel(&self, nvar: u32) -> u32 {
        let base = self.fs.firstlocal;
        for i in (0..nvar as usize).rev() {
            if let Some(vd) = self.actvar.get(base + i) {
                if vd.kind != RDKCTC {
                    return vd.ridx + 1;
                }
            }
        }
        0
    }

    /// `luaY_nvarstack`: number of registers used by active variables.
    pub(super) fn nvarstack(&self) -> u32 {
        self.reglevel(self.fs.nactvar)
    }

    /// `new_localvar`: returns the variable's compiler index.
    pub(super) fn new_localvar(&mut self, name: &'a str) -> R<u32> {
        let n = self.actvar.len() + 1 - self.fs.firstlocal;
        if n > MAXVARS {
            return Err(self.error_limit(MAXVARS, "local variables"));
        }
        self.actvar.push(VarDesc {
            name,
            kind: VDKREG,
            ridx: 0,
            pidx: 0,
            k: EK::Nil,
        });
        Ok((self.actvar.len() - 1 - self.fs.firstlocal) as u32)
    }

    fn vardesc_mut(&mut self, vidx: u32) -> Option<&mut VarDesc<'a>> {
        self.actvar.get_mut(self.fs.firstlocal + vidx as usize)
    }

    /// `adjustlocalvars`: activate the last `nvars` declared variables.
    pub(super) fn adjustlocalvars(&mut self, nvars: u32) {
        let first = self.nvarstack();
        for reglevel in first..first + nvars {
            let vidx = self.fs.nactvar;
            self.fs.nactvar += 1;
            let pc = self.pc() as u32;
            let pidx = self.fs.f.loc_vars.len();
            if let Some(var) = self.actvar.get_mut(self.fs.firstlocal + vidx as usize) {
                var.ridx = reglevel;
                var.pidx = pidx;
                let name = var.name.to_string();
                self.fs.f.loc_vars.push(LocVar {
                    name,
                    start_pc: pc,
                    end_pc: 0,
                });
            }
        }
    }

    /// `removevars`.
    fn removevars(&mut self, tolevel: u32) {
        let pc = self.pc() as u32;
        while self.fs.nactvar > tolevel {
            self.fs.nactvar -= 1;
            let idx = self.fs.firstlocal + self.fs.nactvar as usize;
            if let Some(vd) = self.actvar.get(idx) {
                if vd.kind != RDKCTC {
                    if let Some(lv) = self.fs.f.loc_vars.get_mut(vd.pidx) {
                        lv.end_pc = pc;
                    }
                }
            }
        }
        self.actvar.truncate(self.fs.firstlocal + tolevel as usize);
    }

    /// `check_readonly`.
    fn check_readonly(&self, e: &ExpDesc<'a>) -> R<()> {
        let name: Option<String> = match e.k {
            EK::Const(idx) => self.actvar.get(idx).map(|v| v.name.to_string()),
            EK::Local { vidx, .. } => self
                .actvar
                .get(self.fs.firstlocal + vidx as usize)
                .filter(|v| v.kind != VDKREG)
                .map(|v| v.name.to_string()),
            EK::Upval(u) => self
                .fs
                .f
                .upvalues
                .get(u as usize)
                .filter(|v| v.kind != VDKREG)
                .map(|v| v.name.clone()),
            _ => None,
        };
        match name {
            Some(n) => Err(self.error(format!("attempt to assign to const variable '{n}'"))),
            None => Ok(()),
        }
    }

    // ---- blocks ----------------------------------------------------------------------

    pub(super) fn enterblock(&mut self, isloop: bool) {
        let insidetbc = self.fs.blocks.last().is_some_and(|b| b.insidetbc);
        self.fs.blocks.push(BlockCnt {
            firstlabel: self.labels.len(),
            firstgoto: self.gt.len(),
            nactvar: self.fs.nactvar,
            upval: false,
            isloop,
            insidetbc,
        });
    }

    /// `leaveblock`; returns the block left.
    pub(super) fn leaveblock(&mut self) -> R<BlockCnt> {
        let Some(bl) = self.fs.blocks.last().copied() else {
            return Err(self.error("internal error: no block"));
        };
        let stklevel = self.reglevel(bl.nactvar);
        // Lua 5.4.4 order: the break label and the CLOSE come before the block's locals are
        // removed (so their debug ranges include the CLOSE).
        let mut hasclose = false;
        if bl.isloop {
            hasclose = self.createlabel("break", 0, false)?;
        }
        let has_previous = self.fs.blocks.len() > 1;
        if !hasclose && has_previous && bl.upval {
            self.code_abc(OpCode::Close, stklevel, 0, 0);
        }
        self.fs.freereg = stklevel;
        if has_previous {
            self.movegotosout(&bl);
        }
        self.removevars(bl.nactvar);
        self.labels.truncate(bl.firstlabel);
        self.fs.blocks.pop();
        if !has_previous {
            if let Some(gt) = self.gt.get(bl.firstgoto) {
                return Err(self.undefgoto(gt));
            }
        }
        Ok(bl)
    }

    fn undefgoto(&self, gt: &LabelDesc) -> SyntaxError {
        if gt.name == "break" {
            self.error(format!("break outside loop at line {}", gt.line))
        } else {
            self.error(format!(
                "no visible label '{}' for <goto> at line {}",
                gt.name, gt.line
            ))
        }
    }

    fn movegotosout(&mut self, bl: &BlockCnt) {
        let outer = self.reglevel(bl.nactvar);
        for i in bl.firstgoto..self.gt.len() {
            let gl = self.gt[i].nactvar;
            if self.reglevel(gl) > outer {
                self.gt[i].close |= bl.upval;
            }
            self.gt[i].nactvar = bl.nactvar;
        }
    }

    /// `open_func` (the `FuncState` itself is already installed).
    pub(super) fn open_func(&mut self) {
        self.fs.maxstack = 2;
        self.enterblock(false);
    }

    /// `close_func`: final return, checks, `luaK_finish`; returns the finished prototype.
    pub(super) fn close_func(&mut self) -> R<Proto> {
        let first = self.nvarstack();
        self.ret(first, 0);
        self.leaveblock()?;
        self.finish()?;
        if self.overflow {
            return Err(self.error("function or expression too complex"));
        }
        let mut f = std::mem::take(&mut self.fs.f);
        f.max_stack_size = self.fs.maxstack.min(255) as u8;
        Ok(f)
    }

    // ---- labels and gotos ------------------------------------------------------------

    fn newgotoentry(&mut self, name: &'a str, line: u32, pc: i32) -> R<()> {
        self.check_label_limit()?;
        self.gt.push(LabelDesc {
            name,
            pc,
            line,
            nactvar: self.fs.nactvar,
            close: false,
        });
        Ok(())
    }

    /// PUC's bound on pending labels and gotos (`SHRT_MAX` in `Dyndata`); it also keeps
    /// their resolution, linear per label, from growing quadratic without bound.
    fn check_label_limit(&self) -> R<()> {
        const MAX_LABELS: usize = 32767;
        if self.gt.len() >= MAX_LABELS || self.labels.len() >= MAX_LABELS {
            return Err(SyntaxError::new(format!(
                "too many labels/gotos (limit is {MAX_LABELS})"
            )));
        }
        Ok(())
    }

    fn findlabel(&self, name: &str) -> Option<&LabelDesc<'a>> {
        self.labels
            .get(self.fs.firstlabel..)?
            .iter()
            .find(|l| l.name == name)
    }

    /// `solvegotos`: resolve pending gotos of the current block to `lb`.
    fn solvegotos(&mut self, lb: &LabelDesc<'a>) -> R<bool> {
        let mut i = self.fs.blocks.last().map_or(self.gt.len(), |b| b.firstgoto);
        let mut needsclose = false;
        while i < self.gt.len() {
            if self.gt[i].name == lb.name {
                let gt = self.gt.remove(i);
                needsclose |= gt.close;
                if gt.nactvar < lb.nactvar {
                    let varname = self
                        .actvar
                        .get(self.fs.firstlocal + gt.nactvar as usize)
                        .map_or("?", |v| v.name);
                    return Err(self.error(format!(
                        "<goto {}> at line {} jumps into the scope of local '{}'",
                        gt.name, gt.line, varname
                    )));
                }
                self.patchlist(gt.pc, lb.pc)?;
            } else {
                i += 1;
            }
        }
        Ok(needsclose)
    }

    /// `createlabel`; returns true if it added a `CLOSE`.
    fn createlabel(&mut self, name: &'a str, line: u32, last: bool) -> R<bool> {
        let pc = self.getlabel();
        let nactvar = if last {
            self.fs.blocks.last().map_or(self.fs.nactvar, |b| b.nactvar)
        } else {
            self.fs.nactvar
        };
        let lb = LabelDesc {
            name,
            pc,
            line,
            nactvar,
            close: false,
        };
        self.check_label_limit()?;
        self.labels.push(lb.clone());
        if self.solvegotos(&lb)? {
            let level = self.nvarstack();
            self.code_abc(OpCode::Close, level, 0, 0);
            return Ok(true);
        }
        Ok(false)
    }

    fn gotostat(&mut self, name: &'a str, line: u32) -> R<()> {
        match self.findlabel(name).map(|l| (l.nactvar, l.pc)) {
            None => {
                let j = self.jump();
                self.newgotoentry(name, line, j)?;
            }
            Some((nact, lpc)) => {
                let lblevel = self.reglevel(nact);
                if self.nvarstack() > lblevel {
                    self.code_abc(OpCode::Close, lblevel, 0, 0);
                }
                let j = self.jump();
                self.patchlist(j, lpc)?;
            }
        }
        Ok(())
    }

    fn labelstat(&mut self, name: &'a str, line: u32, last: bool) -> R<()> {
        if let Some(lb) = self.findlabel(name) {
            let l = lb.line;
            return Err(self.error(format!("label '{name}' already defined on line {l}")));
        }
        self.createlabel(name, line, last)?;
        Ok(())
    }

    // ---- statements ------------------------------------------------------------------

    /// `statlist`. `in_repeat`: the block is the body of a `repeat` (followed by `until`).
    pub(super) fn statlist(
        &mut self,
        stats: &'a [Stat],
        ret: Option<&'a Return>,
        in_repeat: bool,
    ) -> R<()> {
        let mut i = 0;
        while i < stats.len() {
            if let Stat::Label { .. } = &stats[i] {
                // PUC's labelstat first compiles the following no-op statements (labels), so a
                // run of labels is created innermost (last) first.
                let mut j = i;
                while j < stats.len() && matches!(stats[j], Stat::Label { .. }) {
                    j += 1;
                }
                let last = j == stats.len() && ret.is_none() && !in_repeat;
                for s in stats[i..j].iter().rev() {
                    if let Stat::Label { name, line } = s {
                        self.line = *line;
                        self.labelstat(name, *line, last)?;
                    }
                }
                self.fs.freereg = self.nvarstack();
                i = j;
                continue;
            }
            self.statement(&stats[i])?;
            i += 1;
        }
        if let Some(r) = ret {
            self.enter_level()?;
            self.retstat(r)?;
            self.fs.freereg = self.nvarstack();
            self.leave_level();
        }
        Ok(())
    }

    /// `block`.
    pub(super) fn block(&mut self, b: &'a crate::ast::Block) -> R<()> {
        self.enterblock(false);
        self.statlist(&b.stats, b.ret.as_ref(), false)?;
        self.leaveblock()?;
        Ok(())
    }

    fn statement(&mut self, s: &'a Stat) -> R<()> {
        self.enter_level()?;
        let r = self.statement_inner(s);
        self.fs.freereg = self.nvarstack();
        self.leave_level();
        r
    }

    fn statement_inner(&mut self, s: &'a Stat) -> R<()> {
        match s {
            Stat::Local { names, exprs, line } => {
                self.line = *line;
                self.localstat(names, exprs)
            }
            Stat::Assign {
                targets,
                exprs,
                line,
            } => self.assignment(targets, exprs, *line),
            Stat::Call(e) => self.callstat(e),
            Stat::Do(b) => self.block(b),
            Stat::While { cond, body, line } => self.whilestat(cond, body, *line),
            Stat::Repeat { body, cond, line } => self.repeatstat(body, cond, *line),
            Stat::If {
                conds,
                else_block,
                line,
            } => self.ifstat(conds, else_block.as_ref(), *line),
            Stat::NumericFor {
                var,
                start,
                limit,
                step,
                body,
                line,
            } => self.fornum(var, start, limit, step.as_ref(), body, *line),
            Stat::GenericFor {
                names,
                exprs,
                body,
                line,
            } => self.forlist(names, exprs, body, *line),
            Stat::Function {
                path,
                method,
                func,
                line,
            } => self.funcstat(path, method.as_deref(), func, *line),
            Stat::LocalFunction { name, func, line } => self.localfunc(name, func, *line),
            Stat::Break { line } => {
                self.line = *line;
                let j = self.jump();
                self.newgotoentry("break", *line, j)?;
                Ok(())
            }
            Stat::Goto { label, line } => {
                self.line = *line;
                self.gotostat(label, *line)
            }
            Stat::Label { name, line } => {
                self.line = *line;
                self.labelstat(name, *line, false)
            }
        }
    }

    #[inline(never)]
    fn callstat(&mut self, e: &'a Expr) -> R<()> {
        self.line = e.line;
        let mut v = ExpDesc::void();
        self.suffixedexp(e, &mut v)?;
        match v.k {
            EK::Call(pc) => {
                let i = self.fs.f.code.get(pc as usize).copied().unwrap_or(0);
                if let Some(slot) = self.fs.f.code.get_mut(pc as usize) {
                    *slot = set_c(i, 1);
                }
                Ok(())
            }
            _ => Err(self.error("syntax error")),
        }
    }

    /// `restassign`/`exprstat` for assignments, with PUC's evaluation order.
    #[inline(never)]
    fn assignment(&mut self, targets: &'a [Expr], exprs: &'a [Expr], line: u32) -> R<()> {
        let mut vars: Vec<ExpDesc<'a>> = Vec::with_capacity(targets.len());
        for t in targets {
            self.line = t.line;
            let mut v = ExpDesc::void();
            match &t.kind {
                ExprKind::Name(_)
                | ExprKind::Index(..)
                | ExprKind::Call(..)
                | ExprKind::MethodCall(..)
                | ExprKind::Paren(_) => self.suffixedexp(t, &mut v)?,
                _ => return Err(self.error("syntax error")),
            }
            if !vars.is_empty() && !v.is_indexed() {
                self.check_conflict(&mut vars, &v)?;
            }
            if !v.is_var() {
                return Err(self.error("syntax error"));
            }
            self.line = line.max(self.line);
            self.check_readonly(&v)?;
            vars.push(v);
        }
        let nvars = vars.len();
        if nvars == 0 {
            return Err(self.error("syntax error"));
        }
        self.line = line;
        let mut e = ExpDesc::void();
        let nexps = self.explist(exprs, &mut e)?;
        let last = vars[nvars - 1];
        if nexps != nvars {
            self.adjust_assign(nvars as i32, nexps as i32, &mut e)?;
            let mut d = ExpDesc::new(EK::NonReloc(self.fs.freereg.wrapping_sub(1)));
            self.storevar(&last, &mut d)?;
        } else {
            self.setoneret(&mut e);
            self.storevar(&last, &mut e)?;
        }
        for var in vars[..nvars - 1].iter().rev() {
            let mut d = ExpDesc::new(EK::NonReloc(self.fs.freereg.wrapping_sub(1)));
            self.storevar(var, &mut d)?;
        }
        Ok(())
    }

    /// `check_conflict`.
    fn check_conflict(&mut self, lhs: &mut [ExpDesc<'a>], v: &ExpDesc<'a>) -> R<()> {
        let extra = self.fs.freereg;
        let mut conflict = false;
        for lh in lhs.iter_mut().rev() {
            match (&mut lh.k, v.k) {
                (EK::IndexUp { t, idx }, EK::Upval(u)) if *t == u => {
                    conflict = true;
                    lh.k = EK::IndexStr {
                        t: extra,
                        idx: *idx,
                    };
                }
                (EK::Indexed { t, idx }, EK::Local { ridx, .. }) => {
                    if *t == ridx {
                        conflict = true;
                        *t = extra;
                    }
                    if *idx == ridx {
                        conflict = true;
                        *idx = extra;
                    }
                }
                (EK::IndexI { t, .. } | EK::IndexStr { t, .. }, EK::Local { ridx, .. })
                    if *t == ridx =>
                {
                    conflict = true;
                    *t = extra;
                }
                _ => {}
            }
        }
        if conflict {
            match v.k {
                EK::Local { ridx, .. } => {
                    self.code_abc(OpCode::Move, extra, ridx, 0);
                }
                _ => {
                    self.code_abc(OpCode::GetUpval, extra, info(v), 0);
                }
            }
            self.reserveregs(1)?;
        }
        Ok(())
    }

    /// `adjust_assign`.
    fn adjust_assign(&mut self, nvars: i32, nexps: i32, e: &mut ExpDesc<'a>) -> R<()> {
        let needed = nvars - nexps;
        if e.is_multret() {
            let extra = (needed + 1).max(0);
            self.setreturns(e, extra)?;
        } else {
            if e.k != EK::Void {
                self.exp2nextreg(e)?;
            }
            if needed > 0 {
                let r = self.fs.freereg;
                self.code_nil(r, needed as u32);
            }
        }
        if needed > 0 {
            self.reserveregs(needed as u32)?;
        } else {
            self.fs.freereg = (self.fs.freereg as i32 + needed).max(0) as u32;
        }
        Ok(())
    }

    /// `cond`: returns the false-exit list.
    fn cond(&mut self, e: &'a Expr) -> R<i32> {
        let mut v = ExpDesc::void();
        self.expr(e, &mut v)?;
        if v.k == EK::Nil {
            v.k = EK::False;
        }
        self.goiftrue(&mut v)?;
        Ok(v.f)
    }

    #[inline(never)]
    fn whilestat(&mut self, cond: &'a Expr, body: &'a crate::ast::Block, line: u32) -> R<()> {
        self.line = line;
        let whileinit = self.getlabel();
        let condexit = self.cond(cond)?;
        self.enterblock(true);
        self.block(body)?;
        let j = self.jump();
        self.patchlist(j, whileinit)?;
        self.leaveblock()?;
        self.patchtohere(condexit)
    }

    #[inline(never)]
    fn repeatstat(&mut self, body: &'a crate::ast::Block, cond: &'a Expr, line: u32) -> R<()> {
        self.line = line;
        let repeat_init = self.getlabel();
        self.enterblock(true);
        self.enterblock(false);
        self.statlist(&body.stats, body.ret.as_ref(), true)?;
        let mut condexit = self.cond(cond)?;
        let bl2 = self.leaveblock()?;
        if bl2.upval {
            let exit = self.jump();
            self.patchtohere(condexit)?;
            let level = self.reglevel(bl2.nactvar);
            self.code_abc(OpCode::Close, level, 0, 0);
            condexit = self.jump();
            self.patchtohere(exit)?;
        }
        self.patchlist(condexit, repeat_init)?;
        self.leaveblock()?;
        Ok(())
    }

    fn exp1(&mut self, e: &'a Expr) -> R<()> {
        let mut v = ExpDesc::void();
        self.expr(e, &mut v)?;
        self.exp2nextreg(&mut v)
    }

    fn fixforjump(&mut self, pc: usize, dest: usize, back: bool) -> R<()> {
        let offset = if back {
            pc as i64 + 1 - dest as i64
        } else {
            dest as i64 - (pc as i64 + 1)
        };
        if !(0..=MAXARG_BX as i64).contains(&offset) {
            return Err(self.error("control structure too long"));
        }
        if let Some(i) = self.fs.f.code.get_mut(pc) {
            *i = set_bx(*i, offset as u32);
        }
        Ok(())
    }

    fn forbody(
        &mut self,
        base: u32,
        line: u32,
        nvars: u32,
        isgen: bool,
        body: &'a crate::ast::Block,
    ) -> R<()> {
        let prep = self.code_abx(
            if isgen {
                OpCode::TForPrep
            } else {
                OpCode::ForPrep
            },
            base,
            0,
        );
        self.enterblock(false);
        self.adjustlocalvars(nvars);
        self.reserveregs(nvars)?;
        self.block(body)?;
        self.leaveblock()?;
        let here = self.getlabel() as usize;
        self.fixforjump(prep, here, false)?;
        if isgen {
            self.code_abc(OpCode::TForCall, base, 0, nvars);
            self.fixline(line);
        }
        let endfor = self.code_abx(
            if isgen {
                OpCode::TForLoop
            } else {
                OpCode::ForLoop
            },
            base,
            0,
        );
        self.fixforjump(endfor, prep + 1, true)?;
        self.fixline(line);
        Ok(())
    }

    #[inline(never)]
    fn fornum(
        &mut self,
        var: &'a str,
        start: &'a Expr,
        limit: &'a Expr,
        step: Option<&'a Expr>,
        body: &'a crate::ast::Block,
        line: u32,
    ) -> R<()> {
        self.line = line;
        self.enterblock(true);
        let base = self.fs.freereg;
        self.new_localvar("(for state)")?;
        self.new_localvar("(for state)")?;
        self.new_localvar("(for state)")?;
        self.new_localvar(var)?;
        self.exp1(start)?;
        self.exp1(limit)?;
        match step {
            Some(s) => self.exp1(s)?,
            None => {
                let r = self.fs.freereg;
                self.code_int(r, 1)?;
                self.reserveregs(1)?;
            }
        }
        self.adjustlocalvars(3);
        self.forbody(base, line, 1, false, body)?;
        self.leaveblock()?;
        Ok(())
    }

    #[inline(never)]
    fn forlist(
        &mut self,
        names: &'a [String],
        exprs: &'a [Expr],
        body: &'a crate::ast::Block,
        line: u32,
    ) -> R<()> {
        self.line = line;
        self.enterblock(true);
        let base = self.fs.freereg;
        for _ in 0..4 {
            self.new_localvar("(for state)")?;
        }
        for n in names {
            self.new_localvar(n)?;
        }
        let nvars = 4 + names.len() as u32;
        let eline = exprs.first().map_or(line, |e| e.line);
        let mut e = ExpDesc::void();
        let nexps = self.explist(exprs, &mut e)?;
        self.adjust_assign(4, nexps as i32, &mut e)?;
        self.adjustlocalvars(4);
        self.marktobeclosed();
        self.checkstack(3)?;
        self.forbody(base, eline, nvars - 4, true, body)?;
        self.leaveblock()?;
        Ok(())
    }

    fn marktobeclosed(&mut self) {
        if let Some(bl) = self.fs.blocks.last_mut() {
            bl.upval = true;
            bl.insidetbc = true;
        }
        self.fs.needclose = true;
    }

    #[inline(never)]
    fn ifstat(
        &mut self,
        conds: &'a [(Expr, crate::ast::Block)],
        else_block: Option<&'a crate::ast::Block>,
        line: u32,
    ) -> R<()> {
        self.line = line;
        let mut escapelist = NO_JUMP;
        for (i, (c, b)) in conds.iter().enumerate() {
            let followed = i + 1 < conds.len() || else_block.is_some();
            self.test_then_block(c, b, followed, &mut escapelist)?;
        }
        if let Some(b) = else_block {
            self.block(b)?;
        }
        self.patchtohere(escapelist)
    }

    fn test_then_block(
        &mut self,
        cond: &'a Expr,
        blk: &'a crate::ast::Block,
        followed: bool,
        escapelist: &mut i32,
    ) -> R<()> {
        let mut v = ExpDesc::void();
        self.expr(cond, &mut v)?;
        let jf;
        if let Some(Stat::Break { line: bline }) = blk.stats.first() {
            self.line = *bline;
            self.goiffalse(&mut v)?;
            self.enterblock(false);
            self.newgotoentry("break", *bline, v.t)?;
            if blk.stats.len() == 1 && blk.ret.is_none() {
                self.leaveblock()?;
                return Ok(());
            }
            jf = self.jump();
            self.statlist(&blk.stats[1..], blk.ret.as_ref(), false)?;
        } else {
            self.goiftrue(&mut v)?;
            self.enterblock(false);
            jf = v.f;
            self.statlist(&blk.stats, blk.ret.as_ref(), false)?;
        }
        self.leaveblock()?;
        if followed {
            // Prepend the fresh jump to the exit list (order does not matter for the
            // patch): appending walks the list, quadratic in a long `elseif` chain.
            let j = self.jump();
            if *escapelist != NO_JUMP {
                self.fixjump(j, *escapelist)?;
            }
            *escapelist = j;
        }
        self.patchtohere(jf)
    }

    #[inline(never)]
    fn localfunc(&mut self, name: &'a str, func: &'a FuncBody, line: u32) -> R<()> {
        self.line = line;
        let fvar = self.fs.nactvar;
        self.new_localvar(name)?;
        self.adjustlocalvars(1);
        let mut b = ExpDesc::void();
        self.body(func, &mut b)?;
        let pc = self.pc() as u32;
        let pidx = self
            .actvar
            .get(self.fs.firstlocal + fvar as usize)
            .map(|v| v.pidx);
        if let Some(lv) = pidx.and_then(|p| self.fs.f.loc_vars.get_mut(p)) {
            lv.start_pc = pc;
        }
        Ok(())
    }

    #[inline(never)]
    fn localstat(&mut self, names: &'a [(String, Attrib)], exprs: &'a [Expr]) -> R<()> {
        if names.is_empty() {
            return Err(self.error("<name> expected"));
        }
        let mut toclose: Option<u32> = None;
        let mut vidx = 0;
        for (nvars, (name, attr)) in names.iter().enumerate() {
            vidx = self.new_localvar(name)?;
            let kind = match attr {
                Attrib::None => VDKREG,
                Attrib::Const => RDKCONST,
                Attrib::Close => RDKTOCLOSE,
            };
            if let Some(v) = self.vardesc_mut(vidx) {
                v.kind = kind;
            }
            if kind == RDKTOCLOSE {
                if toclose.is_some() {
                    return Err(self.error("multiple to-be-closed variables in local list"));
                }
                toclose = Some(self.fs.nactvar + nvars as u32);
            }
        }
        let nvars = names.len();
        let mut e = ExpDesc::void();
        let nexps = if exprs.is_empty() {
            0
        } else {
            self.explist(exprs, &mut e)?
        };
        let last_kind = self.vardesc_mut(vidx).map_or(VDKREG, |v| v.kind);
        let kval = if nvars == nexps && last_kind == RDKCONST {
            self.exp2const(&e)
        } else {
            None
        };
        if let Some(k) = kval {
            if let Some(v) = self.vardesc_mut(vidx) {
                v.kind = RDKCTC;
                v.k = k;
            }
            self.adjustlocalvars(nvars as u32 - 1);
            self.fs.nactvar += 1;
        } else {
            self.adjust_assign(nvars as i32, nexps as i32, &mut e)?;
            self.adjustlocalvars(nvars as u32);
        }
        if let Some(level) = toclose {
            self.marktobeclosed();
            let r = self.reglevel(level);
            self.code_abc(OpCode::Tbc, r, 0, 0);
        }
        Ok(())
    }

    #[inline(never)]
    fn funcstat(
        &mut self,
        path: &'a [String],
        method: Option<&'a str>,
        func: &'a FuncBody,
        line: u32,
    ) -> R<()> {
        self.line = line;
        let Some((first, rest)) = path.split_first() else {
            return Err(self.error("<name> expected"));
        };
        let mut v = ExpDesc::void();
        self.singlevar(first, &mut v)?;
        for n in rest.iter().map(|s| s.as_str()).chain(method) {
            self.exp2anyregup(&mut v)?;
            let mut key = ExpDesc::new(EK::KStr(n.as_bytes()));
            self.indexed(&mut v, &mut key)?;
        }
        let mut b = ExpDesc::void();
        self.body(func, &mut b)?;
        self.check_readonly(&v)?;
        self.storevar(&v, &mut b)?;
        self.fixline(line);
        Ok(())
    }

    fn retstat(&mut self, r: &'a Return) -> R<()> {
        self.line = r.line;
        let mut first = self.nvarstack();
        let nret: i32;
        if r.exprs.is_empty() {
            nret = 0;
        } else {
            let mut e = ExpDesc::void();
            let n = self.explist(&r.exprs, &mut e)? as i32;
            if e.is_multret() {
                self.setmultret(&mut e)?;
                let insidetbc = self.fs.blocks.last().is_some_and(|b| b.insidetbc);
                if let (EK::Call(pc), 1, false) = (e.k, n, insidetbc) {
                    let pc = pc as usize;
                    if let Some(i) = self.fs.f.code.get_mut(pc) {
                        *i = set_op(*i, OpCode::TailCall);
                        debug_assert_eq!(get_a(*i), first);
                    }
                }
                nret = MULTRET;
            } else if n == 1 {
                first = self.exp2anyreg(&mut e)?;
                nret = 1;
            } else {
                self.exp2nextreg(&mut e)?;
                nret = n;
            }
        }
        self.ret(first, nret);
        Ok(())
    }
}
