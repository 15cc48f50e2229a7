//! The debug library (`ldblib.c`), trusted mode only.
//!
//! Stack levels are numbered as in PUC Lua: level 0 is the running function (the debug
//! function itself), 1 its caller, and so on. A `pcall`/`xpcall`, which the interpreter
//! runs without a frame of its own, counts as a C level below the function it protects;
//! a suspended coroutine has its `yield` as level 0; and the main thread ends with the C
//! level that runs the main chunk, as under the `lua` command (`[C]: in ?`).
//!
//! Hooks (`sethook`/`gethook`) are per thread, as in PUC: the registry's weak-keyed
//! `_HOOKKEY` table maps a thread to its hook function, and the mask and count live in
//! the thread (a new coroutine inherits them, not the function). Events are delivered by
//! [`crate::hook`] and the hooked instantiation of the dispatch loop.
//!
//! Differences from lua5.4:
//! * `pcall` and `xpcall` run without a frame of their own, so they fire no call or
//!   return events themselves (the function they call does).
//! * Every full userdata has exactly one user value.

use std::io::{BufRead, Write};

use crate::args::Args;
use crate::bytecode::chunk_id;
use crate::debug::{func_name_from_code, local_name};
use crate::error::LuaResult;
use crate::function::NativeFn;
use crate::gc::Gc;
use crate::hook;
use crate::state::Vm;
use crate::table::{Next, Table};
use crate::thread::{status, Frame, HookState, Thread};
use crate::value::Value;

pub fn open(vm: &mut Vm) {
    let funcs: &[(&str, NativeFn)] = &[
        ("debug", db_debug),
        ("getuservalue", db_getuservalue),
        ("gethook", db_gethook),
        ("getinfo", db_getinfo),
        ("getlocal", db_getlocal),
        ("getregistry", db_getregistry),
        ("getmetatable", db_getmetatable),
        ("getupvalue", db_getupvalue),
        ("upvaluejoin", db_upvaluejoin),
        ("upvalueid", db_upvalueid),
        ("setuservalue", db_setuservalue),
        ("sethook", db_sethook),
        ("setlocal", db_setlocal),
        ("setmetatable", db_setmetatable),
        ("setupvalue", db_setupvalue),
        ("traceback", db_traceback),
        ("setcstacklimit", db_setcstacklimit),
    ];
    let t = vm.new_table();
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    vm.set_global("debug", Value::Table(t));
}

// ---- Stack levels ----------------------------------------------------------------------

/// One stack level.
#[derive(Clone, Copy, Debug)]
enum Level {
    /// `frames[i]` of the thread.
    Frame(usize),
    /// The `pcall`/`xpcall` protecting `frames[i]`.
    Pcall(usize),
    /// The `yield` of a suspended coroutine (its frame).
    Yield(Frame),
    /// The C function that runs the main chunk.
    Bottom,
}

/// A snapshot of a thread's call stack, top level first.
struct StackView {
    thread: Gc<Thread>,
    current: bool,
    frames: Vec<Frame>,
    top: usize,
    levels: Vec<Level>,
}

impl StackView {
    fn new(vm: &Vm, th: Gc<Thread>) -> StackView {
        let current = th == vm.current;
        let (frames, top, yc) = if current {
            (vm.frames.clone(), vm.top, None)
        } else {
            match th.saved.try_borrow() {
                Ok(s) => (s.frames.clone(), s.top, s.yield_call),
                Err(_) => (Vec::new(), 0, None),
            }
        };
        let mut levels = Vec::new();
        if let Some(y) = yc {
            if !frames.is_empty() {
                levels.push(Level::Yield(y));
            }
        }
        for (i, f) in frames.iter().enumerate().rev() {
            levels.push(Level::Frame(i));
            if f.status & status::PCALL != 0 {
                levels.push(Level::Pcall(i));
            }
        }
        if th == vm.main_thread && !frames.is_empty() {
            levels.push(Level::Bottom);
        }
        StackView {
            thread: th,
            current,
            frames,
            top,
            levels,
        }
    }

    fn get(&self, vm: &Vm, slot: usize) -> Value {
        if self.current {
            vm.stack.get(slot).copied().unwrap_or(Value::Nil)
        } else {
            self.thread
                .saved
                .try_borrow()
                .ok()
                .and_then(|s| s.stack.get(slot).copied())
                .unwrap_or(Value::Nil)
        }
    }

    fn set(&self, vm: &mut Vm, slot: usize, v: Value) {
        if self.current {
            if let Some(s) = vm.stack.get_mut(slot) {
                *s = v;
            }
        } else if let Ok(mut s) = self.thread.saved.try_borrow_mut() {
            if let Some(x) = s.stack.get_mut(slot) {
                *x = v;
            }
        }
    }

    /// Slot of the called value of level `k` (where its stack area starts).
    fn func_slot(&self, k: usize) -> usize {
        match self.levels[k] {
            Level::Frame(i) => self.frames[i].func,
            Level::Pcall(i) => pcall_slot(&self.frames[i]),
            Level::Yield(f) => f.func,
            Level::Bottom => 0,
        }
    }

    /// The function running at level `k`.
    fn function(&self, vm: &Vm, k: usize) -> Value {
        match self.levels[k] {
            Level::Frame(i) => match self.frames[i].closure {
                Some(cl) => Value::LuaFn(cl),
                None => self.get(vm, self.frames[i].func),
            },
            Level::Pcall(i) => self.get(vm, pcall_slot(&self.frames[i])),
            Level::Yield(f) => self.get(vm, f.func),
            Level::Bottom => Value::Native(c_main),
        }
    }

    fn lua_frame(&self, k: usize) -> Option<&Frame> {
        match self.levels[k] {
            Level::Frame(i) if self.frames[i].closure.is_some() => Some(&self.frames[i]),
            _ => None,
        }
    }

    fn current_line(&self, k: usize) -> i64 {
        match self.lua_frame(k) {
            Some(f) => current_line(f),
            None => -1,
        }
    }

    /// The frame index a running hook was called for, if level `k` is that frame.
    fn hooked(&self, k: usize) -> Option<(u16, u16)> {
        let (fi, ft, nt) = self.thread.hook.get().hooked?;
        match self.levels.get(k) {
            Some(&Level::Frame(i)) if i == fi as usize => Some((ft, nt)),
            _ => None,
        }
    }

    /// `ftransfer`/`ntransfer` of level `k` inside a call or return hook for it.
    fn transfer(&self, k: usize) -> Option<(u16, u16)> {
        self.hooked(k).filter(|&(_, nt)| nt != 0)
    }

    fn is_tail(&self, k: usize) -> bool {
        matches!(self.levels[k], Level::Frame(i) if self.frames[i].status & status::TAIL != 0)
    }

    /// `getfuncname`: how the caller (the next level) called level `k`.
    fn func_name(&self, k: usize) -> Option<(&'static str, String)> {
        if self.is_tail(k) {
            return None;
        }
        if k + 1 >= self.levels.len() {
            return None;
        }
        if self.hooked(k + 1).is_some() {
            // Called by the hook machinery on behalf of that level.
            return Some(("hook", "?".into()));
        }
        let caller = self.lua_frame(k + 1)?;
        if let Level::Frame(i) = self.levels[k] {
            // A protected frame is called by its pcall, a C level of its own.
            if self.frames[i].status & status::PCALL != 0 {
                return None;
            }
        }
        let cl = caller.closure?;
        func_name_from_code(&cl.proto, caller.pc.saturating_sub(1))
    }

    /// `luaG_findlocal`: name and slot of local `n` of level `k`.
    fn find_local(&self, k: usize, n: i64) -> Option<(String, usize)> {
        let Level::Frame(i) = self.levels[k] else {
            return None;
        };
        let f = &self.frames[i];
        let mut name = None;
        if let Some(cl) = f.closure {
            let p = cl.proto;
            if n < 0 {
                let nextra = f.nvarargs as i64;
                if p.is_vararg && -n <= nextra {
                    let slot = (f.base as i64 - 1 - nextra + (-n - 1)) as usize;
                    return Some(("(vararg)".into(), slot));
                }
                return None;
            }
            name = local_name(
                &p,
                f.base,
                (n as usize).wrapping_sub(1),
                f.pc.saturating_sub(1),
            );
        }
        let name = match name {
            Some(n) => n,
            None => {
                let limit = if k == 0 {
                    self.top
                } else {
                    self.func_slot(k - 1)
                };
                if n > 0 && limit >= f.base && (limit - f.base) as i64 >= n {
                    if f.closure.is_some() {
                        "(temporary)".into()
                    } else {
                        "(C temporary)".into()
                    }
                } else {
                    return None;
                }
            }
        };
        Some((name, f.base + n as usize - 1))
    }
}

fn pcall_slot(f: &Frame) -> usize {
    if f.status & status::XPCALL != 0 {
        f.func.saturating_sub(2)
    } else {
        f.func.saturating_sub(1)
    }
}

fn current_line(f: &Frame) -> i64 {
    match f.closure {
        Some(cl) => cl
            .proto
            .line_info
            .get(f.pc.saturating_sub(1))
            .map_or(-1, |&l| l as i64),
        None => -1,
    }
}

/// Stands for the C function below the main chunk (lua.c's `pmain`).
fn c_main(_vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    Ok(0)
}

/// `getthread`: an optional leading thread argument; returns it and the offset of the
/// other arguments.
fn get_thread(vm: &Vm, args: &Args) -> (Gc<Thread>, usize) {
    match args.get(vm, 1) {
        Value::Thread(t) => (t, 1),
        _ => (vm.current, 0),
    }
}

// ---- Function information ----------------------------------------------------------------

/// What `lua_getinfo` collects.
struct Info {
    source: Vec<u8>,
    short_src: String,
    what: &'static str,
    line_defined: i64,
    last_line_defined: i64,
    current_line: i64,
    nups: i64,
    nparams: i64,
    is_vararg: bool,
    name: Option<(&'static str, String)>,
    is_tail: bool,
    func: Value,
    /// `ftransfer`, `ntransfer`: the values a call or return hook is about.
    transfer: (i64, i64),
}

fn func_info(f: Value) -> Info {
    let mut info = Info {
        source: b"=[C]".to_vec(),
        short_src: "[C]".into(),
        what: "C",
        line_defined: -1,
        last_line_defined: -1,
        current_line: -1,
        nups: 0,
        nparams: 0,
        is_vararg: true,
        name: None,
        is_tail: false,
        func: f,
        transfer: (0, 0),
    };
    match f {
        Value::LuaFn(cl) => {
            let p = cl.proto;
            info.source = p.source.as_bytes().to_vec();
            info.short_src = chunk_id(&p.source);
            info.line_defined = p.line_defined as i64;
            info.last_line_defined = p.last_line_defined as i64;
            info.what = if p.line_defined == 0 { "main" } else { "Lua" };
            info.nups = p.upvalues.len() as i64;
            info.nparams = p.num_params as i64;
            info.is_vararg = p.is_vararg;
        }
        Value::NativeClosure(nc) => info.nups = nc.upvals.len() as i64,
        _ => {}
    }
    info
}

fn level_info(vm: &Vm, view: &StackView, k: usize) -> Info {
    let f = view.function(vm, k);
    let mut info = func_info(f);
    info.current_line = view.current_line(k);
    info.name = view.func_name(k);
    info.is_tail = view.is_tail(k);
    if let Some((ft, nt)) = view.transfer(k) {
        info.transfer = (ft as i64, nt as i64);
    }
    info
}

/// `collectvalidlines`: the lines with code, or nil for a C function.
fn active_lines(vm: &mut Vm, f: Value) -> Value {
    let Value::LuaFn(cl) = f else {
        return Value::Nil;
    };
    let p = cl.proto;
    let t = vm.new_table();
    let start = if p.is_vararg { 1 } else { 0 };
    for &line in p.line_info.iter().skip(start) {
        t.set_int(&mut vm.heap, line as i64, Value::Bool(true));
    }
    Value::Table(t)
}

fn db_getinfo(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (th, arg) = get_thread(vm, &args);
    let options = match args.opt_str(vm, arg + 2)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"flnSrtu".to_vec(),
    };
    if options.first() == Some(&b'>') {
        return Err(vm.arg_error(arg + 2, "invalid option '>'"));
    }
    let target = args.get(vm, arg + 1);
    let info = if target.is_function() {
        func_info(target)
    } else {
        let level = args.check_integer(vm, arg + 1)?;
        let view = StackView::new(vm, th);
        if level < 0 || level as usize >= view.levels.len() {
            vm.push(Value::Nil);
            return Ok(1);
        }
        level_info(vm, &view, level as usize)
    };
    if options
        .iter()
        .any(|c| !matches!(c, b'S' | b'l' | b'u' | b'n' | b'r' | b't' | b'L' | b'f'))
    {
        return Err(vm.arg_error(arg + 2, "invalid option"));
    }
    let t = vm.new_table();
    let has = |c: u8| options.contains(&c);
    // Keep the table reachable while filling it.
    vm.push(Value::Table(t));
    if has(b'S') {
        let src = vm.new_str(&info.source);
        vm.set_field(t, "source", src);
        let ss = vm.new_str(info.short_src.as_bytes());
        vm.set_field(t, "short_src", ss);
        vm.set_field(t, "linedefined", Value::Int(info.line_defined));
        vm.set_field(t, "lastlinedefined", Value::Int(info.last_line_defined));
        let w = vm.new_str(info.what.as_bytes());
        vm.set_field(t, "what", w);
    }
    if has(b'l') {
        vm.set_field(t, "currentline", Value::Int(info.current_line));
    }
    if has(b'u') {
        vm.set_field(t, "nups", Value::Int(info.nups));
        vm.set_field(t, "nparams", Value::Int(info.nparams));
        vm.set_field(t, "isvararg", Value::Bool(info.is_vararg));
    }
    if has(b'n') {
        let (namewhat, name) = match &info.name {
            Some((w, n)) => (*w, Some(n.clone())),
            None => ("", None),
        };
        let name = match name {
            Some(n) => vm.new_str(n.as_bytes()),
            None => Value::Nil,
        };
        vm.set_field(t, "name", name);
        let nw = vm.new_str(namewhat.as_bytes());
        vm.set_field(t, "namewhat", nw);
    }
    if has(b'r') {
        vm.set_field(t, "ftransfer", Value::Int(info.transfer.0));
        vm.set_field(t, "ntransfer", Value::Int(info.transfer.1));
    }
    if has(b't') {
        vm.set_field(t, "istailcall", Value::Bool(info.is_tail));
    }
    if has(b'L') {
        let lines = active_lines(vm, info.func);
        vm.set_field(t, "activelines", lines);
    }
    if has(b'f') {
        vm.set_field(t, "func", info.func);
    }
    Ok(1)
}

// ---- Tracebacks --------------------------------------------------------------------------

/// `pushglobalfuncname`: "mod.name" of a function found in `package.loaded` (two levels
/// deep), with a leading "_G." removed.
fn global_func_name(vm: &mut Vm, f: Value) -> Option<String> {
    let k = vm.intern(b"_LOADED");
    let Value::Table(loaded) = vm.registry.get_str(k) else {
        return None;
    };
    let name = find_field(loaded, f, 2)?;
    Some(match name.strip_prefix("_G.") {
        Some(rest) => rest.to_string(),
        None => name,
    })
}

fn find_field(t: Gc<Table>, f: Value, level: u32) -> Option<String> {
    if level == 0 {
        return None;
    }
    let mut key = Value::Nil;
    while let Next::Pair(k, v) = t.next(key) {
        if let Value::Str(name) = k {
            if v.raw_eq(&f) {
                return Some(name.to_str_lossy().into_owned());
            }
            if let Value::Table(sub) = v {
                if let Some(n) = find_field(sub, f, level - 1) {
                    return Some(format!("{}.{}", name.to_str_lossy(), n));
                }
            }
        }
        key = k;
    }
    None
}

/// `luaL_traceback` of `th` from `level` on, after `msg`.
pub fn traceback(vm: &mut Vm, th: Gc<Thread>, msg: Option<&[u8]>, level: i64) -> Vec<u8> {
    const LEVELS1: i64 = 10;
    const LEVELS2: i64 = 11;
    let view = StackView::new(vm, th);
    let last = view.levels.len() as i64 - 1;
    let mut out = Vec::new();
    if let Some(m) = msg {
        out.extend_from_slice(m);
        out.push(b'\n');
    }
    out.extend_from_slice(b"stack traceback:");
    let mut level = level;
    let mut limit2show = if last - level > LEVELS1 + LEVELS2 {
        LEVELS1
    } else {
        -1
    };
    while level >= 0 && level <= last {
        let k = level as usize;
        level += 1;
        let show = limit2show != 0;
        limit2show -= 1;
        if !show {
            let n = last - level - LEVELS2 + 1;
            out.extend_from_slice(format!("\n\t...\t(skipping {n} levels)").as_bytes());
            level += n;
            continue;
        }
        let info = level_info(vm, &view, k);
        if info.current_line <= 0 {
            out.extend_from_slice(format!("\n\t{}: in ", info.short_src).as_bytes());
        } else {
            out.extend_from_slice(
                format!("\n\t{}:{}: in ", info.short_src, info.current_line).as_bytes(),
            );
        }
        let fname = if let Some(g) = global_func_name(vm, info.func) {
            format!("function '{g}'")
        } else if let Some((what, name)) = &info.name {
            format!("{what} '{name}'")
        } else if info.what == "main" {
            "main chunk".to_string()
        } else if info.what != "C" {
            format!("function <{}:{}>", info.short_src, info.line_defined)
        } else {
            "?".to_string()
        };
        out.extend_from_slice(fname.as_bytes());
        if info.is_tail {
            out.extend_from_slice(b"\n\t(...tail calls...)");
        }
    }
    out
}

fn db_traceback(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (th, arg) = get_thread(vm, &args);
    let m = args.get(vm, arg + 1);
    let msg = match m {
        Value::Str(s) => Some(s.as_bytes().to_vec()),
        Value::Int(_) | Value::Float(_) => vm.to_str_bytes(m),
        Value::Nil => None,
        _ => {
            vm.push(m);
            return Ok(1);
        }
    };
    let default = if th == vm.current { 1 } else { 0 };
    let level = args.opt_integer(vm, arg + 2, default)?;
    let tb = traceback(vm, th, msg.as_deref(), level);
    let v = vm.new_string_from_vec(tb);
    vm.push(v);
    Ok(1)
}

// ---- Locals ------------------------------------------------------------------------------

fn db_getlocal(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (th, arg) = get_thread(vm, &args);
    let n = args.check_integer(vm, arg + 2)?;
    let target = args.get(vm, arg + 1);
    if target.is_function() {
        // Parameter names of a function that is not running.
        let name = match target {
            Value::LuaFn(cl) if n > 0 => local_name(&cl.proto, 0, n as usize - 1, 0),
            _ => None,
        };
        let v = match name {
            Some(s) => vm.new_str(s.as_bytes()),
            None => Value::Nil,
        };
        vm.push(v);
        return Ok(1);
    }
    let level = args.check_integer(vm, arg + 1)?;
    let view = StackView::new(vm, th);
    if level < 0 || level as usize >= view.levels.len() {
        return Err(vm.arg_error(arg + 1, "level out of range"));
    }
    match view.find_local(level as usize, n) {
        Some((name, slot)) => {
            let v = view.get(vm, slot);
            let s = vm.new_str(name.as_bytes());
            vm.push(s);
            vm.push(v);
            Ok(2)
        }
        None => {
            vm.push(Value::Nil);
            Ok(1)
        }
    }
}

fn db_setlocal(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (th, arg) = get_thread(vm, &args);
    let level = args.check_integer(vm, arg + 1)?;
    let n = args.check_integer(vm, arg + 2)?;
    let view = StackView::new(vm, th);
    if level < 0 || level as usize >= view.levels.len() {
        return Err(vm.arg_error(arg + 1, "level out of range"));
    }
    let v = args.check_any(vm, arg + 3)?;
    match view.find_local(level as usize, n) {
        Some((name, slot)) => {
            view.set(vm, slot, v);
            let s = vm.new_str(name.as_bytes());
            vm.push(s);
        }
        None => vm.push(Value::Nil),
    }
    Ok(1)
}

// ---- Upvalues ----------------------------------------------------------------------------

fn check_function(vm: &mut Vm, args: &Args, i: usize) -> LuaResult<Value> {
    let f = args.get(vm, i);
    if !f.is_function() {
        return Err(vm.type_arg_error(i, "function", f, !args.is_none(i)));
    }
    Ok(f)
}

fn upvalue_name(f: Value, n: i64) -> Option<String> {
    match f {
        Value::LuaFn(cl) => {
            let p = cl.proto;
            if n >= 1 && (n as usize) <= p.upvalues.len() && (n as usize) <= cl.upvals.len() {
                let name = &p.upvalues[n as usize - 1].name;
                Some(if name.is_empty() {
                    "(no name)".to_string()
                } else {
                    name.clone()
                })
            } else {
                None
            }
        }
        Value::NativeClosure(nc) if n >= 1 && (n as usize) <= nc.upvals.len() => {
            Some(String::new())
        }
        _ => None,
    }
}

fn db_getupvalue(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let n = args.check_integer(vm, 2)?;
    let f = check_function(vm, &args, 1)?;
    let Some(name) = upvalue_name(f, n) else {
        return Ok(0);
    };
    let v = match f {
        Value::LuaFn(cl) => vm.upval_get(cl.upvals[n as usize - 1]),
        Value::NativeClosure(nc) => nc.upvals[n as usize - 1],
        _ => Value::Nil,
    };
    let s = vm.new_str(name.as_bytes());
    vm.push(s);
    vm.push(v);
    Ok(2)
}

fn db_setupvalue(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.check_any(vm, 3)?;
    let n = args.check_integer(vm, 2)?;
    let f = check_function(vm, &args, 1)?;
    let Some(name) = upvalue_name(f, n) else {
        return Ok(0);
    };
    match f {
        Value::LuaFn(cl) => vm.upval_set(cl.upvals[n as usize - 1], v),
        Value::NativeClosure(nc) => {
            // SAFETY: no reference into the closure is alive while this native runs (the
            // interpreter holds only the `Gc`), so the in-place write cannot alias one.
            unsafe {
                let ups = &mut (*nc.raw_ptr()).upvals;
                ups[n as usize - 1] = v;
            }
        }
        _ => {}
    }
    let s = vm.new_str(name.as_bytes());
    vm.push(s);
    Ok(1)
}

/// `lua_upvalueid`: an identity for upvalue `n` of `f`, if it exists.
fn upvalue_id(f: Value, n: i64) -> Option<usize> {
    match f {
        Value::LuaFn(cl) if n >= 1 && (n as usize) <= cl.upvals.len() => {
            Some(cl.upvals[n as usize - 1].addr())
        }
        Value::NativeClosure(nc) if n >= 1 && (n as usize) <= nc.upvals.len() => {
            Some(&nc.upvals[n as usize - 1] as *const Value as usize)
        }
        _ => None,
    }
}

fn db_upvalueid(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let n = args.check_integer(vm, 2)?;
    let f = check_function(vm, &args, 1)?;
    let v = match upvalue_id(f, n) {
        Some(id) => Value::LightUserData(id),
        None => Value::Nil,
    };
    vm.push(v);
    Ok(1)
}

fn db_upvaluejoin(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let n1 = args.check_integer(vm, 2)?;
    let f1 = check_function(vm, &args, 1)?;
    if upvalue_id(f1, n1).is_none() {
        return Err(vm.arg_error(2, "invalid upvalue index"));
    }
    let n2 = args.check_integer(vm, 4)?;
    let f2 = check_function(vm, &args, 3)?;
    if upvalue_id(f2, n2).is_none() {
        return Err(vm.arg_error(4, "invalid upvalue index"));
    }
    let (Value::LuaFn(c1), Value::LuaFn(c2)) = (f1, f2) else {
        let bad = if matches!(f1, Value::LuaFn(_)) { 3 } else { 1 };
        return Err(vm.arg_error(bad, "Lua function expected"));
    };
    let u = c2.upvals[n2 as usize - 1];
    // SAFETY: as in `db_setupvalue`: no reference into `c1` is alive during this call.
    unsafe {
        let ups = &mut (*c1.raw_ptr()).upvals;
        ups[n1 as usize - 1] = u;
    }
    Ok(0)
}

// ---- Hooks -------------------------------------------------------------------------------

const HOOKKEY: &str = "_HOOKKEY";

/// The registry table of hook functions, `[thread] = function` (weak keys, as PUC's).
fn hook_table(vm: &mut Vm) -> Gc<Table> {
    let k = vm.intern(HOOKKEY.as_bytes());
    if let Value::Table(t) = vm.registry.get_str(k) {
        return t;
    }
    let t = vm.new_table();
    let save = vm.top;
    vm.push(Value::Table(t));
    let mode = vm.new_str(b"k");
    vm.set_field(t, "__mode", mode);
    t.set_metatable(&mut vm.heap, Some(t));
    let reg = vm.registry;
    reg.set_str(&mut vm.heap, k, Value::Table(t));
    vm.top = save;
    t
}

/// The hook function set for `th` (nil if none), as `hookf` looks it up per event.
pub(crate) fn hook_function(vm: &mut Vm, th: Gc<Thread>) -> Value {
    let k = vm.intern(HOOKKEY.as_bytes());
    match vm.registry.get_str(k) {
        Value::Table(t) => t.get(Value::Thread(th)),
        _ => Value::Nil,
    }
}

fn db_sethook(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (th, arg) = get_thread(vm, &args);
    let (f, mask, count) = if args.is_none_or_nil(vm, arg + 1) {
        (Value::Nil, 0, 0)
    } else {
        let smask = args.check_str(vm, arg + 2)?.as_bytes().to_vec();
        let f = check_function(vm, &args, arg + 1)?;
        // `(int)luaL_optinteger(...)`: C truncation.
        let count = args.opt_integer(vm, arg + 3, 0)? as i32;
        let mut mask = 0;
        for (c, m) in [
            (b'c', hook::MASK_CALL),
            (b'r', hook::MASK_RET),
            (b'l', hook::MASK_LINE),
        ] {
            if smask.contains(&c) {
                mask |= m;
            }
        }
        if count > 0 {
            mask |= hook::MASK_COUNT;
        }
        (f, mask, count)
    };
    let hooks = hook_table(vm);
    vm.raw_set(hooks, Value::Thread(th), f)?;
    // `lua_sethook`: no function or an empty mask turns the hook off.
    let mask = if f.is_nil() { 0 } else { mask };
    th.hook_mask.set(mask);
    th.hook.set(HookState {
        base_count: count,
        count,
        ..th.hook.get()
    });
    Ok(0)
}

fn db_gethook(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (th, _) = get_thread(vm, &args);
    let mask = th.hook_mask.get();
    if mask == 0 {
        vm.push(Value::Nil);
        return Ok(1);
    }
    let f = hook_function(vm, th);
    vm.push(f);
    let mut s = Vec::new();
    for (c, m) in [
        (b'c', hook::MASK_CALL),
        (b'r', hook::MASK_RET),
        (b'l', hook::MASK_LINE),
    ] {
        if mask & m != 0 {
            s.push(c);
        }
    }
    let s = vm.new_str(&s);
    vm.push(s);
    vm.push(Value::Int(th.hook.get().base_count as i64));
    Ok(3)
}

// ---- Metatables, registry, user values ---------------------------------------------------

fn db_getmetatable(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.check_any(vm, 1)?;
    let r = match vm.get_metatable(v) {
        Some(mt) => Value::Table(mt),
        None => Value::Nil,
    };
    vm.push(r);
    Ok(1)
}

fn db_setmetatable(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let mt = match args.get(vm, 2) {
        Value::Nil if !args.is_none(2) => None,
        Value::Table(t) => Some(t),
        v => return Err(vm.type_arg_error(2, "nil or table", v, !args.is_none(2))),
    };
    let v = args.get(vm, 1);
    match v {
        Value::Table(t) => {
            if t.is_frozen() {
                return Err(vm.rt_error("attempt to modify a read-only table"));
            }
            t.set_metatable(&mut vm.heap, mt);
            if let Some(m) = mt {
                let gc_key = vm.tm_name(crate::bytecode::TagMethod::Gc);
                if !m.get_str(gc_key).is_nil() {
                    vm.heap.register_finalizer(crate::gc::GcAny::Table(t));
                }
            }
        }
        Value::UserData(u) => {
            if let Some(m) = mt {
                vm.heap
                    .barrier_forward(crate::gc::GcAny::UserData(u), Value::Table(m));
            }
            u.metatable.set(mt)
        }
        Value::Str(_) => vm.string_meta = mt,
        Value::Nil => vm.type_metas[0] = mt,
        Value::Bool(_) => vm.type_metas[1] = mt,
        Value::Int(_) | Value::Float(_) => vm.type_metas[2] = mt,
        Value::LuaFn(_) | Value::Native(_) | Value::NativeClosure(_) => vm.type_metas[3] = mt,
        Value::Thread(_) => vm.type_metas[4] = mt,
        Value::LightUserData(_) | Value::Host { .. } => {}
    }
    vm.push(v);
    Ok(1)
}

fn db_getregistry(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    let r = Value::Table(vm.registry);
    vm.push(r);
    Ok(1)
}

fn db_getuservalue(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let n = args.opt_integer(vm, 2, 1)?;
    match args.get(vm, 1) {
        Value::UserData(u) if n == 1 => {
            vm.push(u.user_value.get());
            vm.push(Value::Bool(true));
            Ok(2)
        }
        _ => {
            vm.push(Value::Nil);
            Ok(1)
        }
    }
}

fn db_setuservalue(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let n = args.opt_integer(vm, 3, 1)?;
    let u = match args.get(vm, 1) {
        Value::UserData(u) => u,
        v => return Err(vm.type_arg_error(1, "userdata", v, !args.is_none(1))),
    };
    let v = args.check_any(vm, 2)?;
    if n == 1 {
        u.user_value.set(v);
        vm.push(Value::UserData(u));
    } else {
        vm.push(Value::Nil);
    }
    Ok(1)
}

fn db_setcstacklimit(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    vm.push(Value::Int(0));
    Ok(1)
}

/// `debug.debug`: runs lines from standard input until "cont".
fn db_debug(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    let stdin = std::io::stdin();
    loop {
        eprint!("lua_debug> ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(0),
            Ok(_) => {}
        }
        if line == "cont\n" || line == "cont" {
            return Ok(0);
        }
        let r = vm
            .load(line.as_bytes(), "=(debug command)")
            .and_then(|f| vm.call_function(f, &[]).map(|_| ()));
        if let Err(e) = r {
            if e.is_suspension() {
                return Err(e);
            }
            eprintln!("{}", e.message());
        }
    }
}
