//! The string library (`lstrlib.c`) and the string metatable.
//!
//! Strings share one metatable whose `__index` is the `string` table (so `s:upper()` works)
//! and whose arithmetic metamethods convert numeric strings, as Lua 5.4 does: the VM itself
//! never coerces strings in arithmetic.

use crate::args::Args;
use crate::bytecode::TagMethod;
use crate::error::LuaResult;
use crate::function::NativeFn;
use crate::state::Vm;
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
fn open_engines(vm: &mut Vm, t: crate::gc::Gc<crate::table::Table>) {
    let _ = (vm, t);
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
    // Selenite has no binary chunk format: no function can be dumped.
    Err(vm.rt_error("unable to dump given function"))
}

// ---- Arithmetic metamethods of strings (`stringmetamethods`) --------------------------

/// A number, or a string convertible to one (`tonum`).
fn tonum(v: Value) -> Option<Value> {
    match v {
        Value::Int(_) | Value::Float(_) => Some(v),
        Value::Str(s) => match crate::number::str_to_number(s.as_bytes())? {
            crate::number::Number::Int(i) => Some(Value::Int(i)),
            crate::number::Number::Float(f) => Some(Value::Float(f)),
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
