//! The string library (`lstrlib.c`) and the string metatable.
//!
//! Strings share one metatable whose `__index` is the `string` table (so `s:upper()` works)
//! and whose arithmetic metamethods convert numeric strings, as Lua 5.4 does: the VM itself
//! never coerces strings in arithmetic.

use crate::args::Args;
use crate::bytecode::TagMethod;
use crate::error::LuaError;
use crate::error::LuaResult;
use crate::function::{NativeClosure, NativeFn};
use crate::gc::Gc;
use crate::number::{self, Number};
use crate::state::Vm;
use crate::stdlib::format::{self as fmt_engine, FormatArgs, FormatError, Literal};
use crate::stdlib::pack::{self as pack_engine, PackArgs, PackError, PackValue};
use crate::stdlib::pattern::{self, Capture, Gmatch, Gsub, Match, PatternError};
use crate::string::LuaStr;
use crate::table::Table;
use crate::value::Value;

/// Largest string `rep` (and other builders sized from arguments) may create: lstrlib's
/// `MAXSIZE`, which Lua 5.4 limits to `INT_MAX`.
pub const MAXSIZE: usize = i32::MAX as usize;

/// Registers the `string` library and the string metatable.
pub fn open(vm: &mut Vm) {
    let funcs: &[(&str, NativeFn)] = &[
        ("byte", byte),
        ("char", char_),
        ("dump", dump),
        ("len", len),
        ("lower", lower),
        ("rep", rep),
        ("reverse", reverse),
        ("sub", sub),
        ("upper", upper),
    ];
    let t = vm.new_table();
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    open_engines(vm, t);
    vm.set_global("string", Value::Table(t));

    let meta: &[(&str, NativeFn)] = &[
        ("__add", arith_add),
        ("__sub", arith_sub),
        ("__mul", arith_mul),
        ("__mod", arith_mod),
        ("__pow", arith_pow),
        ("__div", arith_div),
        ("__idiv", arith_idiv),
        ("__unm", arith_unm),
    ];
    let mt = vm.new_table();
    for &(name, f) in meta {
        vm.set_field(mt, name, Value::Native(f));
    }
    vm.set_field(mt, "__index", Value::Table(t));
    vm.string_meta = Some(mt);
}

/// Registers the functions built on the pattern, format and pack engines.
fn open_engines(vm: &mut Vm, t: Gc<Table>) {
    let funcs: &[(&str, NativeFn)] = &[
        ("find", find),
        ("format", format),
        ("gmatch", gmatch),
        ("gsub", gsub),
        ("match", match_),
        ("pack", pack),
        ("packsize", packsize),
        ("unpack", unpack),
    ];
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
}

fn ret1(vm: &mut Vm, v: Value) -> LuaResult<usize> {
    vm.push(v);
    Ok(1)
}

/// A relative initial position made absolute in `[1, inf)` (`posrelatI`).
pub(crate) fn posrelat_i(pos: i64, len: usize) -> usize {
    if pos > 0 {
        pos as usize
    } else if pos == 0 || pos < -(len as i64) {
        1
    } else {
        (len as i64 + pos + 1) as usize
    }
}

/// A relative end position clipped to `[0, len]` (`getendpos`).
pub(crate) fn end_pos(pos: i64, len: usize) -> usize {
    if pos > len as i64 {
        len
    } else if pos >= 0 {
        pos as usize
    } else if pos < -(len as i64) {
        0
    } else {
        (len as i64 + pos + 1) as usize
    }
}

fn len(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let s = Args::new(base, nargs).check_str(vm, 1)?;
    ret1(vm, Value::Int(s.len() as i64))
}

fn sub(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let l = s.len();
    let start = posrelat_i(args.check_integer(vm, 2)?, l);
    let end = end_pos(args.opt_integer(vm, 3, -1)?, l);
    let r = if start > end {
        vm.new_str(b"")
    } else if start == 1 && end == l {
        Value::Str(s)
    } else {
        vm.charge((end - start) as u64 / 64);
        let bytes = s
            .as_bytes()
            .get(start - 1..end)
            .unwrap_or_default()
            .to_vec();
        vm.new_string_from_vec(bytes)
    };
    ret1(vm, r)
}

fn reverse(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let s = Args::new(base, nargs).check_str(vm, 1)?;
    vm.charge(s.len() as u64 / 64);
    let mut b = s.as_bytes().to_vec();
    b.reverse();
    let r = vm.new_string_from_vec(b);
    ret1(vm, r)
}

fn lower(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let s = Args::new(base, nargs).check_str(vm, 1)?;
    vm.charge(s.len() as u64 / 64);
    let b = s.as_bytes().to_ascii_lowercase();
    let r = vm.new_string_from_vec(b);
    ret1(vm, r)
}

fn upper(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let s = Args::new(base, nargs).check_str(vm, 1)?;
    vm.charge(s.len() as u64 / 64);
    let b = s.as_bytes().to_ascii_uppercase();
    let r = vm.new_string_from_vec(b);
    ret1(vm, r)
}

fn rep(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let n = args.check_integer(vm, 2)?;
    let sep = args.opt_str(vm, 3)?;
    let l = s.len();
    let lsep = sep.map_or(0, |x| x.len());
    if n <= 0 {
        let r = vm.new_str(b"");
        return ret1(vm, r);
    }
    let n = n as u64;
    let unit = (l + lsep) as u64;
    if unit > (MAXSIZE as u64) / n {
        return Err(vm.rt_error("resulting string too large"));
    }
    let total = (n * l as u64 + (n - 1) * lsep as u64) as usize;
    if total == 0 {
        // Also avoids looping `n` times over empty pieces.
        let r = vm.new_str(b"");
        return ret1(vm, r);
    }
    vm.check_alloc(total)?;
    vm.charge(total as u64 / 64);
    let mut buf = Vec::with_capacity(total);
    let sb = s.as_bytes();
    let sepb: &[u8] = match &sep {
        Some(x) => x.as_bytes(),
        None => b"",
    };
    for i in 0..n {
        buf.extend_from_slice(sb);
        if i + 1 < n {
            buf.extend_from_slice(sepb);
        }
    }
    let r = vm.new_string_from_vec(buf);
    ret1(vm, r)
}

fn byte(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let l = s.len();
    let pi = args.opt_integer(vm, 2, 1)?;
    let pose = end_pos(args.opt_integer(vm, 3, pi)?, l);
    let posi = posrelat_i(pi, l);
    if posi > pose {
        return Ok(0);
    }
    if pose - posi >= i32::MAX as usize {
        return Err(vm.rt_error("string slice too long"));
    }
    let n = pose - posi + 1;
    if vm.ensure_stack(vm.top + n).is_err() {
        return Err(vm.rt_error("stack overflow (string slice too long)"));
    }
    vm.charge(n as u64);
    for i in 0..n {
        let c = s.as_bytes().get(posi - 1 + i).copied().unwrap_or(0);
        vm.push(Value::Int(c as i64));
    }
    Ok(n)
}

fn char_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let mut b = Vec::with_capacity(nargs);
    for i in 1..=nargs {
        let c = args.check_integer(vm, i)?;
        if c as u64 > u8::MAX as u64 {
            return Err(vm.arg_error(i, "value out of range"));
        }
        b.push(c as u8);
    }
    vm.charge(nargs as u64 / 16);
    let r = vm.new_string_from_vec(b);
    ret1(vm, r)
}

fn dump(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let f = args.get(vm, 1);
    if !f.is_function() {
        return Err(vm.type_arg_error(1, "function", f, !args.is_none(1)));
    }
    // Natives have no bytecode; without the host's permission for binary chunks (the
    // sandbox) nothing is dumped, since nothing could load it.
    match f {
        Value::LuaFn(cl) if vm.allow_binary_chunks => {
            let strip = args.get(vm, 2).truthy();
            let bytes = crate::dump::dump(&cl.proto, strip);
            vm.check_alloc(bytes.len())?;
            let s = vm.new_string_from_vec(bytes);
            ret1(vm, s)
        }
        _ => Err(vm.rt_error("unable to dump given function")),
    }
}

// ---- Arithmetic metamethods of strings (`stringmetamethods`) --------------------------

/// A number, or a string convertible to one (`tonum`).
fn tonum(v: Value) -> Option<Value> {
    match v {
        Value::Int(_) | Value::Float(_) => Some(v),
        Value::Str(s) => match number::str_to_number(s.as_bytes())? {
            Number::Int(i) => Some(Value::Int(i)),
            Number::Float(f) => Some(Value::Float(f)),
        },
        _ => None,
    }
}

fn arith(vm: &mut Vm, base: usize, nargs: usize, tm: TagMethod) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let a = args.get(vm, 1);
    let b = args.get(vm, 2);
    if let (Some(x), Some(y)) = (tonum(a), tonum(b)) {
        let r = vm.arith(tm, x, y)?;
        return ret1(vm, r);
    }
    // `trymt`: the second operand's metamethod, unless it is a string.
    let mtname = vm.tm_name(tm);
    let h = if let Value::Str(_) = b {
        Value::Nil
    } else {
        match vm.get_metatable(b) {
            Some(mt) => mt.get_str(mtname),
            None => Value::Nil,
        }
    };
    if h.is_nil() {
        let op = mtname.to_str_lossy();
        let op = op.trim_start_matches("__").to_string();
        let msg = format!(
            "attempt to {} a '{}' with a '{}'",
            op,
            a.type_name(),
            b.type_name()
        );
        return Err(vm.rt_error(msg));
    }
    let r = vm.call_function(h, &[a, b])?;
    ret1(vm, r.first().copied().unwrap_or(Value::Nil))
}

fn arith_add(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::Add)
}

fn arith_sub(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::Sub)
}

fn arith_mul(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::Mul)
}

fn arith_mod(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::Mod)
}

fn arith_pow(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::Pow)
}

fn arith_div(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::Div)
}

fn arith_idiv(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::IDiv)
}

fn arith_unm(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    arith(vm, base, nargs, TagMethod::Unm)
}

// ---- Pattern matching: find, match, gmatch, gsub ---------------------------------------

/// Most steps one matcher call may take ("pattern too complex" past it): backtracking
/// patterns such as `string.rep('a*', 40) .. 'b'` are exponential, so a call must not be
/// allowed to run until the heat death of the universe. With an instruction limit, a call
/// also gets no more than the instructions left; the steps used are charged to the budget.
const PATTERN_FUEL: u64 = 100_000_000;

/// Runs a matcher call with fuel and reports the work done.
fn with_fuel<T>(vm: &mut Vm, f: impl FnOnce(&mut u64) -> Result<T, PatternError>) -> LuaResult<T> {
    let left = vm
        .budget
        .instruction_limit
        .map(|l| l.saturating_sub(vm.budget.used()).saturating_add(1));
    let given = left.map_or(PATTERN_FUEL, |l| l.min(PATTERN_FUEL));
    let mut fuel = given;
    let r = f(&mut fuel);
    vm.charge(given - fuel);
    match r {
        Ok(v) => Ok(v),
        Err(PatternError::OutOfFuel) if given < PATTERN_FUEL => {
            Err(vm.rt_error("instruction limit exceeded"))
        }
        Err(e) => Err(pattern_error(vm, e)),
    }
}

fn pattern_error(vm: &mut Vm, e: PatternError) -> LuaError {
    match e {
        PatternError::Malformed(m) => vm.rt_error(m),
        PatternError::OutOfFuel => vm.rt_error("pattern too complex"),
    }
}

/// The Lua value of a capture of `src`.
fn capture_value(vm: &mut Vm, src: &[u8], c: Capture) -> Value {
    match c {
        Capture::Slice(a, b) => vm.new_str(src.get(a..b).unwrap_or_default()),
        Capture::Position(p) => Value::Int(p as i64),
    }
}

/// Pushes the captures; returns their count.
fn push_captures(vm: &mut Vm, src: &[u8], caps: &[Capture]) -> LuaResult<usize> {
    if vm.ensure_stack(vm.top + caps.len()).is_err() {
        return Err(vm.rt_error("stack overflow (too many captures)"));
    }
    for &c in caps {
        let v = capture_value(vm, src, c);
        vm.push(v);
    }
    Ok(caps.len())
}

fn find_aux(vm: &mut Vm, base: usize, nargs: usize, find: bool) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let p = args.check_str(vm, 2)?;
    let init = args.opt_integer(vm, 3, 1)?;
    let src = s.as_bytes();
    let pat = p.as_bytes();
    let r = if find {
        let plain = args.get(vm, 4).truthy();
        with_fuel(vm, |fuel| pattern::str_find(src, pat, init, plain, fuel))?
    } else {
        with_fuel(vm, |fuel| pattern::str_match(src, pat, init, fuel))?
    };
    let Some(m) = r else {
        vm.push(Value::Nil);
        return Ok(1);
    };
    if find {
        let caps = m.captures().map_err(|e| pattern_error(vm, e))?;
        vm.push(Value::Int(m.start as i64 + 1));
        vm.push(Value::Int(m.end as i64));
        Ok(2 + push_captures(vm, src, &caps)?)
    } else {
        let caps = m.match_values().map_err(|e| pattern_error(vm, e))?;
        push_captures(vm, src, &caps)
    }
}

fn find(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    find_aux(vm, base, nargs, true)
}

fn match_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    find_aux(vm, base, nargs, false)
}

fn gmatch(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let p = args.check_str(vm, 2)?;
    let init = args.opt_integer(vm, 3, 1)?;
    let state = std::cell::RefCell::new(Gmatch::new(s.len(), init));
    // The subject and pattern are upvalues of the iterator, so they live as long as it.
    let iter = vm.heap.alloc(NativeClosure {
        func: Box::new(move |vm: &mut Vm, _base, _nargs| gmatch_aux(vm, s, p, &state)),
        name: "gmatch iterator",
        upvals: vec![Value::Str(s), Value::Str(p)],
        direct: None,
    });
    vm.push(Value::NativeClosure(iter));
    Ok(1)
}

fn gmatch_aux(
    vm: &mut Vm,
    s: Gc<LuaStr>,
    p: Gc<LuaStr>,
    state: &std::cell::RefCell<Gmatch>,
) -> LuaResult<usize> {
    let src = s.as_bytes();
    let pat = p.as_bytes();
    let Ok(mut g) = state.try_borrow_mut() else {
        return Err(vm.rt_error("gmatch iterator called recursively"));
    };
    let r = with_fuel(vm, |fuel| g.next_match(src, pat, fuel))?;
    drop(g);
    match r {
        Some(m) => {
            let caps = m.match_values().map_err(|e| pattern_error(vm, e))?;
            push_captures(vm, src, &caps)
        }
        None => Ok(0),
    }
}

/// Appends the replacement of match `m` (`add_value`).
fn add_value(vm: &mut Vm, repl: Value, src: &[u8], m: &Match, out: &mut Vec<u8>) -> LuaResult<()> {
    let v = match repl {
        Value::Str(r) => {
            pattern::expand_replacement(r.as_bytes(), m, src, out)
                .map_err(|e| pattern_error(vm, e))?;
            return Ok(());
        }
        Value::Table(_) => {
            let c = m.capture(0).map_err(|e| pattern_error(vm, e))?;
            let k = capture_value(vm, src, c);
            // Keep the key rooted while __index runs.
            vm.push(k);
            let r = vm.index_value(repl, k);
            vm.top -= 1;
            r?
        }
        _ => {
            let caps = m.match_values().map_err(|e| pattern_error(vm, e))?;
            let mut vals = Vec::with_capacity(caps.len());
            for c in caps {
                vals.push(capture_value(vm, src, c));
            }
            let r = vm.call_function(repl, &vals)?;
            r.first().copied().unwrap_or(Value::Nil)
        }
    };
    match v {
        Value::Nil | Value::Bool(false) => {
            out.extend_from_slice(src.get(m.start..m.end).unwrap_or_default());
        }
        Value::Str(r) => out.extend_from_slice(r.as_bytes()),
        Value::Int(_) | Value::Float(_) => {
            out.extend_from_slice(&vm.to_str_bytes(v).unwrap_or_default());
        }
        _ => {
            let msg = format!("invalid replacement value (a {})", v.type_name());
            return Err(vm.rt_error(msg));
        }
    }
    Ok(())
}

fn gsub(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let p = args.check_str(vm, 2)?;
    let mut repl = args.get(vm, 3);
    let max_s = args.opt_integer(vm, 4, s.len() as i64 + 1)?;
    match repl {
        Value::Int(_) | Value::Float(_) => {
            // A number replacement is used as its string form.
            repl = Value::Str(args.check_str(vm, 3)?);
        }
        Value::Str(_) | Value::Table(_) => {}
        v if v.is_function() => {}
        v => {
            return Err(vm.type_arg_error(3, "string/function/table", v, !args.is_none(3)));
        }
    }
    if repl.is_function() {
        // Function replacements run as calls from the dispatch loop (`call_then`), so the
        // callback may yield or be suspended by the budget like any Lua code.
        vm.top = base + nargs.min(GSUB_STATE);
        while vm.top < base + GSUB_STATE {
            vm.push(Value::Nil);
        }
        vm.stack[base + 2] = repl;
        let state = GsubState {
            g: Gsub::new(p.as_bytes(), max_s),
            out: Vec::new(),
            current: None,
        };
        let ud = vm.heap.alloc(crate::userdata::UserData {
            data: std::cell::RefCell::new(Box::new(state)),
            metatable: std::cell::Cell::new(None),
            user_value: std::cell::Cell::new(Value::Nil),
        });
        vm.push(Value::UserData(ud));
        return gsub_next(vm, base);
    }
    let src = s.as_bytes();
    let pat = p.as_bytes();
    let mut g = Gsub::new(pat, max_s);
    let mut out = Vec::new();
    loop {
        let r = with_fuel(vm, |fuel| g.step(src, pat, &mut out, fuel))?;
        vm.check_alloc(out.len())?;
        match r {
            Some(m) => add_value(vm, repl, src, &m, &mut out)?,
            None => break,
        }
    }
    vm.charge(out.len() as u64 / 64);
    let r = vm.new_string_from_vec(out);
    vm.push(r);
    vm.push(Value::Int(g.count()));
    Ok(2)
}

/// Stack layout of a `gsub` with a function replacement: `s, p, repl, n` then the state
/// userdata at `GSUB_STATE`; the callback's call starts right above it.
const GSUB_STATE: usize = 4;

/// Rust state of a `gsub` whose callbacks run through `call_then`.
struct GsubState {
    g: Gsub,
    out: Vec<u8>,
    /// Span of the match whose callback is running (kept for a false/nil result).
    current: Option<(usize, usize)>,
}

fn gsub_state(vm: &Vm, base: usize) -> Option<crate::gc::Gc<crate::userdata::UserData>> {
    match vm.stack.get(base + GSUB_STATE) {
        Some(Value::UserData(u)) => Some(*u),
        _ => None,
    }
}

/// Finds the next match and calls the replacement function on it, or finishes.
fn gsub_next(vm: &mut Vm, base: usize) -> LuaResult<usize> {
    let (Value::Str(s), Value::Str(p), Some(ud)) =
        (vm.stack[base], vm.stack[base + 1], gsub_state(vm, base))
    else {
        return Err(vm.rt_error("gsub state lost"));
    };
    let repl = vm.stack[base + 2];
    let step = {
        let mut data = ud.data.borrow_mut();
        let Some(st) = data.downcast_mut::<GsubState>() else {
            drop(data);
            return Err(vm.rt_error("gsub state lost"));
        };
        let mut fuel = PATTERN_FUEL;
        let r =
            st.g.step(s.as_bytes(), p.as_bytes(), &mut st.out, &mut fuel);
        (r, PATTERN_FUEL - fuel, st.out.len())
    };
    vm.charge(step.1);
    vm.check_alloc(step.2)?;
    let m = step.0.map_err(|e| pattern_error(vm, e))?;
    let Some(m) = m else {
        let (out, count) = {
            let mut data = ud.data.borrow_mut();
            match data.downcast_mut::<GsubState>() {
                Some(st) => (std::mem::take(&mut st.out), st.g.count()),
                None => (Vec::new(), 0),
            }
        };
        vm.charge(out.len() as u64 / 64);
        let r = vm.new_string_from_vec(out);
        vm.push(r);
        vm.push(Value::Int(count));
        return Ok(2);
    };
    let caps = m.match_values().map_err(|e| pattern_error(vm, e))?;
    if let Some(st) = ud.data.borrow_mut().downcast_mut::<GsubState>() {
        st.current = Some((m.start, m.end));
    }
    let slot = base + GSUB_STATE + 1;
    vm.top = slot;
    vm.push(repl);
    push_captures(vm, s.as_bytes(), &caps)?;
    vm.call_then(slot, 1, gsub_cont)
}

/// Takes the replacement function's result and goes on with the next match.
fn gsub_cont(vm: &mut Vm, base: usize, _nargs: usize) -> LuaResult<usize> {
    let slot = base + GSUB_STATE + 1;
    let v = vm.stack.get(slot).copied().unwrap_or(Value::Nil);
    vm.top = slot;
    let (Value::Str(s), Some(ud)) = (vm.stack[base], gsub_state(vm, base)) else {
        return Err(vm.rt_error("gsub state lost"));
    };
    let piece: Vec<u8> = match v {
        Value::Nil | Value::Bool(false) => {
            let span = ud
                .data
                .borrow()
                .downcast_ref::<GsubState>()
                .and_then(|st| st.current);
            match span {
                Some((a, b)) => s.as_bytes().get(a..b).unwrap_or_default().to_vec(),
                None => Vec::new(),
            }
        }
        Value::Str(r) => r.as_bytes().to_vec(),
        Value::Int(_) | Value::Float(_) => vm.to_str_bytes(v).unwrap_or_default(),
        _ => {
            let msg = format!("invalid replacement value (a {})", v.type_name());
            return Err(vm.rt_error(msg));
        }
    };
    if let Some(st) = ud.data.borrow_mut().downcast_mut::<GsubState>() {
        st.out.extend_from_slice(&piece);
    }
    gsub_next(vm, base)
}

// ---- string.format ---------------------------------------------------------------------

/// The arguments of `string.format` on the VM stack. A Lua error raised while converting
/// (by `__tostring`) is kept in `error` and reported once the engine returns.
struct VmFormatArgs<'a> {
    vm: &'a mut Vm,
    args: Args,
    error: Option<LuaError>,
}

/// "X expected, got Y" as `luaL_typeerror` words it.
fn type_msg(vm: &mut Vm, args: &Args, argn: usize, expected: &str) -> String {
    let got = if args.is_none(argn) {
        "no value".to_string()
    } else {
        let v = args.get(vm, argn);
        vm.type_name_of(v)
    };
    format!("{expected} expected, got {got}")
}

/// `luaL_checkinteger` with the message as a string.
fn integer_arg(vm: &mut Vm, args: &Args, argn: usize) -> Result<i64, String> {
    let v = args.get(vm, argn);
    match vm.to_number(v) {
        Some(Number::Int(i)) => Ok(i),
        Some(Number::Float(f)) => number::float_to_int_exact(f)
            .ok_or_else(|| "number has no integer representation".to_string()),
        None => Err(type_msg(vm, args, argn, "number")),
    }
}

/// `luaL_checknumber` with the message as a string.
fn number_arg(vm: &mut Vm, args: &Args, argn: usize) -> Result<f64, String> {
    let v = args.get(vm, argn);
    match vm.to_number(v) {
        Some(Number::Int(i)) => Ok(i as f64),
        Some(Number::Float(f)) => Ok(f),
        None => Err(type_msg(vm, args, argn, "number")),
    }
}

/// `luaL_checklstring` with the message as a string.
fn string_arg(vm: &mut Vm, args: &Args, argn: usize) -> Result<Vec<u8>, String> {
    let v = args.get(vm, argn);
    match vm.to_str_bytes(v) {
        Some(b) => Ok(b),
        None => Err(type_msg(vm, args, argn, "string")),
    }
}

impl FormatArgs for VmFormatArgs<'_> {
    fn top(&self) -> usize {
        self.args.n
    }
    fn max_len(&self) -> usize {
        self.vm.alloc_headroom()
    }

    fn integer(&mut self, argn: usize) -> Result<i64, FormatError> {
        integer_arg(self.vm, &self.args, argn).map_err(|msg| FormatError::Arg { argn, msg })
    }

    fn number(&mut self, argn: usize) -> Result<f64, FormatError> {
        number_arg(self.vm, &self.args, argn).map_err(|msg| FormatError::Arg { argn, msg })
    }

    fn string(&mut self, argn: usize) -> Result<Vec<u8>, FormatError> {
        if self.args.is_none(argn) {
            return Err(FormatError::Arg {
                argn,
                msg: "value expected".to_string(),
            });
        }
        let v = self.args.get(self.vm, argn);
        if let Value::Str(s) = v {
            return Ok(s.as_bytes().to_vec());
        }
        match self.vm.tostring(v) {
            Ok(r) => Ok(r.as_str().map(|b| b.to_vec()).unwrap_or_default()),
            Err(e) => {
                self.error = Some(e);
                Err(FormatError::Msg(String::new()))
            }
        }
    }

    fn literal(&mut self, argn: usize) -> Result<Literal, FormatError> {
        Ok(match self.args.get(self.vm, argn) {
            Value::Str(s) => Literal::Str(s.as_bytes().to_vec()),
            Value::Int(i) => Literal::Int(i),
            Value::Float(f) => Literal::Float(f),
            Value::Nil => Literal::Nil,
            Value::Bool(b) => Literal::Bool(b),
            _ => Literal::Other,
        })
    }

    fn pointer(&mut self, argn: usize) -> Result<Option<usize>, FormatError> {
        let v = self.args.get(self.vm, argn);
        Ok(match v {
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => None,
            _ => Some(self.vm.shown_addr(v)).filter(|&a| a != 0),
        })
    }
}

fn format(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let f = args.check_str(vm, 1)?;
    let mut fa = VmFormatArgs {
        vm,
        args,
        error: None,
    };
    let r = fmt_engine::format(f.as_bytes(), &mut fa);
    let err = fa.error.take();
    match r {
        Ok(out) => {
            vm.check_alloc(out.len())?;
            vm.charge(out.len() as u64 / 64);
            let s = vm.new_string_from_vec(out);
            vm.push(s);
            Ok(1)
        }
        Err(e) => Err(match err {
            Some(e) => e,
            None => match e {
                FormatError::Arg { argn, msg } => vm.arg_error(argn, &msg),
                FormatError::Msg(m) => vm.rt_error(m),
            },
        }),
    }
}

// ---- string.pack / unpack / packsize ---------------------------------------------------

struct VmPackArgs<'a> {
    vm: &'a mut Vm,
    args: Args,
}

impl PackArgs for VmPackArgs<'_> {
    fn integer(&mut self, argn: usize) -> Result<i64, PackError> {
        integer_arg(self.vm, &self.args, argn).map_err(|msg| PackError::Arg { argn, msg })
    }

    fn number(&mut self, argn: usize) -> Result<f64, PackError> {
        number_arg(self.vm, &self.args, argn).map_err(|msg| PackError::Arg { argn, msg })
    }

    fn string(&mut self, argn: usize) -> Result<Vec<u8>, PackError> {
        string_arg(self.vm, &self.args, argn).map_err(|msg| PackError::Arg { argn, msg })
    }
}

fn pack_error(vm: &mut Vm, e: PackError) -> LuaError {
    match e {
        PackError::Arg { argn, msg } => vm.arg_error(argn, &msg),
        PackError::Msg(m) => vm.rt_error(m),
        PackError::TooLarge => vm.rt_error("not enough memory"),
    }
}

fn pack(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    // Like lstrlib's str_pack, a nil marks the end of the arguments, so a missing value
    // reads as "got nil" in messages.
    let f = Args::new(base, nargs).check_str(vm, 1)?;
    vm.top = base + nargs;
    vm.push(Value::Nil);
    let args = Args::new(base, nargs + 1);
    let mut pa = VmPackArgs { vm, args };
    let max_len = pa.vm.alloc_headroom();
    let r = pack_engine::pack(f.as_bytes(), &mut pa, max_len);
    match r {
        Ok(out) => {
            vm.check_alloc(out.len())?;
            vm.charge(out.len() as u64 / 64 + nargs as u64);
            let s = vm.new_string_from_vec(out);
            vm.push(s);
            Ok(1)
        }
        Err(e) => Err(pack_error(vm, e)),
    }
}

fn packsize(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let f = args.check_str(vm, 1)?;
    match pack_engine::packsize(f.as_bytes()) {
        Ok(n) => {
            vm.push(Value::Int(n));
            Ok(1)
        }
        Err(e) => Err(pack_error(vm, e)),
    }
}

fn unpack(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let f = args.check_str(vm, 1)?;
    let data = args.check_str(vm, 2)?;
    let init = args.opt_integer(vm, 3, 1)?;
    let (vals, next) = match pack_engine::unpack(f.as_bytes(), data.as_bytes(), init) {
        Ok(r) => r,
        Err(e) => return Err(pack_error(vm, e)),
    };
    if vm.ensure_stack(vm.top + vals.len() + 1).is_err() {
        return Err(vm.rt_error("stack overflow (too many results)"));
    }
    vm.charge(vals.len() as u64 + data.len() as u64 / 64);
    let n = vals.len();
    for v in vals {
        let lv = match v {
            PackValue::Int(i) => Value::Int(i),
            PackValue::Float(x) => Value::Float(x),
            PackValue::Str(b) => vm.new_string_from_vec(b),
        };
        vm.push(lv);
    }
    vm.push(Value::Int(next));
    Ok(n + 1)
}
