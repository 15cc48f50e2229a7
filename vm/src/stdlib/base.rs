//! The base library (`lbaselib.c`): `print`, `type`, `pairs`, `pcall`, `load`, ...

use std::io::Write;

use crate::args::Args;
use crate::error::{LuaError, LuaResult};
use crate::function::NativeFn;
use crate::number::{self, Number};
use crate::state::Vm;
use crate::table::Next;
use crate::value::Value;
use crate::vm::IndexStep;

/// Registers the base library in the globals. `trusted` adds `dofile` and `loadfile`.
pub fn open(vm: &mut Vm, trusted: bool) {
    let funcs: &[(&str, NativeFn)] = &[
        ("assert", assert),
        ("collectgarbage", collectgarbage),
        ("error", error),
        ("getmetatable", getmetatable),
        ("ipairs", ipairs),
        ("load", load),
        ("next", next),
        ("pairs", pairs),
        ("pcall", pcall),
        ("print", print),
        ("rawequal", rawequal),
        ("rawget", rawget),
        ("rawlen", rawlen),
        ("rawset", rawset),
        ("select", select),
        ("setmetatable", setmetatable),
        ("tonumber", tonumber),
        ("tostring", tostring),
        ("type", type_),
        ("xpcall", xpcall),
    ];
    for &(name, f) in funcs {
        vm.set_global(name, Value::Native(f));
    }
    if trusted {
        vm.set_global("dofile", Value::Native(dofile));
        vm.set_global("loadfile", Value::Native(loadfile));
    }
    let g = Value::Table(vm.globals);
    vm.set_global("_G", g);
    let v = vm.new_str(b"Lua 5.4");
    vm.set_global("_VERSION", v);
}

/// Pushes results and returns their count.
fn ret(vm: &mut Vm, vals: &[Value]) -> LuaResult<usize> {
    for &v in vals {
        vm.push(v);
    }
    Ok(vals.len())
}

fn print(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let mut line = Vec::new();
    for i in 0..nargs {
        let v = vm.stack[base + i];
        let s = match v {
            Value::Str(s) => s.as_bytes().to_vec(),
            _ => {
                let sv = vm.tostring(v)?;
                sv.as_str().map(|b| b.to_vec()).unwrap_or_default()
            }
        };
        if i > 0 {
            line.push(b'\t');
        }
        line.extend_from_slice(&s);
    }
    line.push(b'\n');
    vm.write_stdout(&line);
    Ok(0)
}

impl Vm {
    /// Writes to standard output (the host may redirect `print` through `print_hook`).
    pub fn write_stdout(&mut self, bytes: &[u8]) {
        if let Some(hook) = self.print_hook.as_mut() {
            hook(bytes);
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }
}

fn type_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.check_any(vm, 1)?;
    let s = vm.new_str(v.type_name().as_bytes());
    ret(vm, &[s])
}

fn tostring(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.check_any(vm, 1)?;
    let h = vm.meta_field(v, "__tostring");
    if h.is_function() {
        // `__tostring` runs from the dispatch loop: it may yield or be sliced.
        let slot = base + 1;
        vm.top = slot;
        vm.push(h);
        vm.push(v);
        return vm.call_then(slot, 1, tostring_cont);
    }
    let s = vm.tostring(v)?;
    ret(vm, &[s])
}

fn tostring_cont(vm: &mut Vm, base: usize, _nargs: usize) -> LuaResult<usize> {
    let r = vm.stack[base + 1];
    vm.top = base + 1;
    match r {
        Value::Str(_) => ret(vm, &[r]),
        Value::Int(_) | Value::Float(_) => {
            let b = vm.to_str_bytes(r).unwrap_or_default();
            let s = vm.new_str(&b);
            ret(vm, &[s])
        }
        _ => Err(vm.rt_error("'__tostring' must return a string")),
    }
}

fn tonumber(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if args.is_none_or_nil(vm, 2) {
        let v = args.check_any(vm, 1)?;
        let r = match v {
            Value::Int(_) | Value::Float(_) => v,
            Value::Str(s) => match number::str_to_number(s.as_bytes()) {
                Some(Number::Int(i)) => Value::Int(i),
                Some(Number::Float(f)) => Value::Float(f),
                None => Value::Nil,
            },
            _ => Value::Nil,
        };
        return ret(vm, &[r]);
    }
    let b = args.check_integer(vm, 2)?;
    let v = args.get(vm, 1);
    let Value::Str(s) = v else {
        return Err(vm.type_arg_error(1, "string", v, !args.is_none(1)));
    };
    if !(2..=36).contains(&b) {
        return Err(vm.arg_error(2, "base out of range"));
    }
    let r = match str_to_int_base(s.as_bytes(), b as u32) {
        Some(n) => Value::Int(n),
        None => Value::Nil,
    };
    ret(vm, &[r])
}

/// `tonumber(s, base)` conversion (`luaL_str2int` in lbaselib).
fn str_to_int_base(s: &[u8], base: u32) -> Option<i64> {
    let is_space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let mut i = 0;
    while i < s.len() && is_space(&s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && s[i] == b'-' {
        neg = true;
        i += 1;
    } else if i < s.len() && s[i] == b'+' {
        i += 1;
    }
    let start = i;
    let mut n: u64 = 0;
    while i < s.len() && s[i].is_ascii_alphanumeric() {
        let d = (s[i] as char).to_digit(36)?;
        if d >= base {
            return None;
        }
        n = n.wrapping_mul(base as u64).wrapping_add(d as u64);
        i += 1;
    }
    if i == start {
        return None;
    }
    while i < s.len() && is_space(&s[i]) {
        i += 1;
    }
    if i != s.len() {
        return None;
    }
    let n = n as i64;
    Some(if neg { n.wrapping_neg() } else { n })
}

fn ipairs(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.check_any(vm, 1)?;
    ret(vm, &[Value::Native(ipairs_aux), t, Value::Int(0)])
}

fn ipairs_aux(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.get(vm, 1);
    let i = args.check_integer(vm, 2)?.wrapping_add(1);
    let v = match t {
        Value::Table(tb) if tb.metatable().is_none() => tb.get_int(i),
        _ => match vm.index_step(t, Value::Int(i))? {
            IndexStep::Value(v) => v,
            IndexStep::Call(h, obj) => {
                // A function `__index` runs from the dispatch loop (it may yield).
                let slot = base + 2;
                vm.top = slot;
                vm.push(h);
                vm.push(obj);
                vm.push(Value::Int(i));
                return vm.call_then(slot, 1, ipairs_cont);
            }
        },
    };
    if v.is_nil() {
        ret(vm, &[Value::Nil])
    } else {
        ret(vm, &[Value::Int(i), v])
    }
}

fn ipairs_cont(vm: &mut Vm, base: usize, _nargs: usize) -> LuaResult<usize> {
    let v = vm.stack[base + 2];
    vm.top = base + 2;
    let i = match vm.stack[base + 1] {
        Value::Int(i) => i.wrapping_add(1),
        _ => 0,
    };
    if v.is_nil() {
        ret(vm, &[Value::Nil])
    } else {
        ret(vm, &[Value::Int(i), v])
    }
}

fn next(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.check_table(vm, 1)?;
    let k = args.get(vm, 2);
    match t.next(k) {
        Next::Pair(k, v) => ret(vm, &[k, v]),
        Next::End => ret(vm, &[Value::Nil]),
        Next::InvalidKey => Err(vm.rt_error("invalid key to 'next'")),
    }
}

fn pairs(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.check_any(vm, 1)?;
    let h = vm.meta_field(t, "__pairs");
    if h.is_nil() {
        return ret(vm, &[Value::Native(next), t, Value::Nil]);
    }
    let slot = base + 1;
    vm.top = slot;
    vm.push(h);
    vm.push(t);
    vm.call_then(slot, 3, pairs_cont)
}

fn pairs_cont(_vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    // The three results of `__pairs` are the last values of the region.
    Ok(3)
}

/// Marker for the VM: `pcall` runs as a protected frame, never as a plain native.
pub fn pcall(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    Err(vm.plain_error("pcall called outside the interpreter"))
}

/// Marker for the VM, as [`pcall`].
pub fn xpcall(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    Err(vm.plain_error("xpcall called outside the interpreter"))
}

fn error(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.get(vm, 1);
    let level = args.opt_integer(vm, 2, 1)?;
    let mut value = v;
    if let Value::Str(s) = v {
        if level > 0 {
            let pos = vm.where_(level as usize);
            if !pos.is_empty() {
                let mut b = pos.into_bytes();
                b.extend_from_slice(s.as_bytes());
                value = vm.new_string_from_vec(b);
            }
        }
    }
    Err(LuaError::new(value))
}

fn assert(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if args.get(vm, 1).truthy() {
        vm.top = base + nargs;
        return Ok(nargs);
    }
    args.check_any(vm, 1)?;
    let msg = if nargs >= 2 {
        vm.stack[base + 1]
    } else {
        vm.new_str(b"assertion failed!")
    };
    let mut value = msg;
    if let Value::Str(s) = msg {
        let pos = vm.where_(1);
        if !pos.is_empty() {
            let mut b = pos.into_bytes();
            b.extend_from_slice(s.as_bytes());
            value = vm.new_string_from_vec(b);
        }
    }
    Err(LuaError::new(value))
}

fn getmetatable(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.check_any(vm, 1)?;
    let Some(mt) = vm.get_metatable(v) else {
        return ret(vm, &[Value::Nil]);
    };
    let k = vm.intern(b"__metatable");
    let protected = mt.get_str(k);
    if !protected.is_nil() {
        return ret(vm, &[protected]);
    }
    ret(vm, &[Value::Table(mt)])
}

fn setmetatable(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.check_table(vm, 1)?;
    let mt = match args.get(vm, 2) {
        Value::Nil if !args.is_none(2) => None,
        Value::Table(m) => Some(m),
        v => return Err(vm.type_arg_error(2, "nil or table", v, !args.is_none(2))),
    };
    if let Some(old) = t.metatable() {
        let k = vm.intern(b"__metatable");
        if !old.get_str(k).is_nil() {
            return Err(vm.rt_error("cannot change a protected metatable"));
        }
    }
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
    ret(vm, &[Value::Table(t)])
}

fn rawequal(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let a = args.check_any(vm, 1)?;
    let b = args.check_any(vm, 2)?;
    ret(vm, &[Value::Bool(a.raw_eq(&b))])
}

fn rawlen(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let n = match args.get(vm, 1) {
        Value::Table(t) => t.len(),
        Value::Str(s) => s.len() as i64,
        v => return Err(vm.type_arg_error(1, "table or string", v, !args.is_none(1))),
    };
    ret(vm, &[Value::Int(n)])
}

fn rawget(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.check_table(vm, 1)?;
    let k = args.check_any(vm, 2)?;
    ret(vm, &[t.get(k)])
}

fn rawset(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.check_table(vm, 1)?;
    let k = args.check_any(vm, 2)?;
    let v = args.check_any(vm, 3)?;
    if t.is_frozen() {
        return Err(vm.rt_error("attempt to modify a read-only table"));
    }
    vm.raw_set(t, k, v)?;
    ret(vm, &[Value::Table(t)])
}

fn select(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let n = nargs as i64;
    if let Value::Str(s) = args.get(vm, 1) {
        if s.as_bytes().first() == Some(&b'#') {
            return ret(vm, &[Value::Int(n - 1)]);
        }
    }
    let i = args.check_integer(vm, 1)?;
    let i = if i < 0 {
        n + i
    } else if i > n {
        n
    } else {
        i
    };
    if i < 1 {
        return Err(vm.arg_error(1, "index out of range"));
    }
    let first = base + i as usize;
    let count = (base + nargs).saturating_sub(first);
    // The selected arguments are already on the stack just below `top`.
    vm.top = base + nargs;
    Ok(count)
}

fn collectgarbage(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let opts = [
        "stop",
        "restart",
        "collect",
        "count",
        "step",
        "setpause",
        "setstepmul",
        "isrunning",
        "generational",
        "incremental",
    ];
    let o = args.check_option(vm, 1, Some("collect"), &opts)?;
    match opts[o] {
        "stop" => {
            vm.heap.running = false;
            ret(vm, &[Value::Int(0)])
        }
        "restart" => {
            vm.heap.running = true;
            ret(vm, &[Value::Int(0)])
        }
        "collect" => {
            // A full collection is work proportional to the heap: charge it, so that
            // `while true do collectgarbage() end` meets the instruction limit.
            vm.charge(vm.heap.bytes() as u64 / 64);
            vm.collect_garbage();
            ret(vm, &[Value::Int(0)])
        }
        "count" => {
            let kb = vm.heap.bytes() as f64 / 1024.0;
            ret(vm, &[Value::Float(kb)])
        }
        "step" => {
            // A step of at least one basic unit; `n` asks for about n KB worth of work.
            let n = args.opt_integer(vm, 2, 0)?.clamp(0, 1 << 40) as usize;
            let work = 4000usize.max(n.saturating_mul(64));
            let done = vm.gc_step(work);
            if done {
                vm.run_finalizers();
            }
            ret(vm, &[Value::Bool(done)])
        }
        "setpause" => {
            let p = args.opt_integer(vm, 2, 0)?;
            let old = vm.heap.pause as i64;
            vm.heap.pause = p.clamp(0, 100_000) as usize;
            ret(vm, &[Value::Int(old)])
        }
        "setstepmul" => {
            let p = args.opt_integer(vm, 2, 0)?;
            let old = vm.heap.step_mul as i64;
            vm.heap.step_mul = p.clamp(0, 100_000) as usize;
            ret(vm, &[Value::Int(old)])
        }
        "isrunning" => ret(vm, &[Value::Bool(vm.heap.running)]),
        _ => {
            // Only the incremental mode exists; both report it as the previous mode.
            let s = vm.new_str(b"incremental");
            ret(vm, &[s])
        }
    }
}

/// Stack slot (from `load`'s base) of the reader state; the arguments are padded to it.
const LOAD_STATE: usize = 4;

/// What a `load` with a reader function has read so far.
struct LoadReader {
    buf: Vec<u8>,
    /// `load`'s argument count (absent and nil arguments differ for `env`).
    nargs: usize,
}

fn load(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    match args.get(vm, 1) {
        Value::Str(s) => {
            let src = s.as_bytes().to_vec();
            finish_load(vm, base, nargs, src, None)
        }
        v if v.is_function() => {
            args.opt_str(vm, 2)?;
            args.opt_str(vm, 3)?;
            // The reader runs from the dispatch loop (`call_then`), so it may yield; it is
            // called through `pcall` because its errors are `load`'s results, as in PUC.
            vm.top = base + nargs.min(LOAD_STATE);
            while vm.top < base + LOAD_STATE {
                vm.push(Value::Nil);
            }
            let state = LoadReader {
                buf: Vec::new(),
                nargs,
            };
            let ud = vm.heap.alloc(crate::userdata::UserData {
                data: std::cell::RefCell::new(Box::new(state)),
                metatable: std::cell::Cell::new(None),
                user_value: std::cell::Cell::new(Value::Nil),
            });
            vm.push(Value::UserData(ud));
            call_reader(vm, base)
        }
        v => Err(vm.type_arg_error(1, "function", v, !args.is_none(1))),
    }
}

fn call_reader(vm: &mut Vm, base: usize) -> LuaResult<usize> {
    let slot = base + LOAD_STATE + 1;
    vm.top = slot;
    let reader = vm.stack[base];
    vm.push(Value::Native(pcall));
    vm.push(reader);
    vm.call_then(slot, 2, load_reader_cont)
}

fn load_reader_cont(vm: &mut Vm, base: usize, _nargs: usize) -> LuaResult<usize> {
    let slot = base + LOAD_STATE + 1;
    let (ok, piece) = (vm.stack[slot], vm.stack[slot + 1]);
    vm.top = slot;
    let Value::UserData(ud) = vm.stack[base + LOAD_STATE] else {
        return Err(vm.rt_error("load state lost"));
    };
    if ok.is_falsy() {
        return ret(vm, &[Value::Nil, piece]);
    }
    let bytes: Option<Vec<u8>> = match piece {
        Value::Nil => None,
        Value::Str(s) if s.is_empty() => None,
        Value::Str(s) => Some(s.as_bytes().to_vec()),
        v @ (Value::Int(_) | Value::Float(_)) => Some(vm.to_str_bytes(v).unwrap_or_default()),
        _ => {
            let m = vm.new_str(b"reader function must return a string");
            return ret(vm, &[Value::Nil, m]);
        }
    };
    let mut data = ud.data.borrow_mut();
    let Some(st) = data.downcast_mut::<LoadReader>() else {
        drop(data);
        return Err(vm.rt_error("load state lost"));
    };
    match bytes {
        Some(b) => {
            st.buf.extend_from_slice(&b);
            let len = st.buf.len();
            drop(data);
            vm.check_alloc(len)?;
            call_reader(vm, base)
        }
        None => {
            let (src, nargs) = (std::mem::take(&mut st.buf), st.nargs);
            drop(data);
            vm.top = base + LOAD_STATE;
            finish_load(vm, base, nargs, src, Some(b"=(load)"))
        }
    }
}

/// Compiles a chunk for `load`: name, mode and env from the arguments at `base`.
fn finish_load(
    vm: &mut Vm,
    base: usize,
    nargs: usize,
    source: Vec<u8>,
    default_name: Option<&[u8]>,
) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let mode = match args.opt_str(vm, 3)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"bt".to_vec(),
    };
    let name = match args.opt_str(vm, 2)? {
        Some(n) => n.as_bytes().to_vec(),
        None => default_name
            .map(|d| d.to_vec())
            .unwrap_or_else(|| source.clone()),
    };
    let name = String::from_utf8_lossy(&name).into_owned();
    if let Some(msg) = mode_error(&source, &mode) {
        let m = vm.new_str(msg.as_bytes());
        return ret(vm, &[Value::Nil, m]);
    }
    let env = if args.is_none(4) {
        Value::Table(vm.globals)
    } else {
        args.get(vm, 4)
    };
    match vm.load_with_env(&source, &name, env) {
        Ok(f) => ret(vm, &[f]),
        Err(e) => ret(vm, &[Value::Nil, e.value]),
    }
}

/// `checkmode`: the message if `mode` ("b", "t", "bt") does not allow `source`'s kind.
fn mode_error(source: &[u8], mode: &[u8]) -> Option<String> {
    let is_binary = source.first() == Some(&0x1b);
    let (flag, what) = if is_binary {
        (b'b', "binary")
    } else {
        (b't', "text")
    };
    (!mode.contains(&flag)).then(|| {
        format!(
            "attempt to load a {what} chunk (mode is '{}')",
            String::from_utf8_lossy(mode)
        )
    })
}

fn loadfile(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let fname = args.opt_str(vm, 1)?;
    let mode = match args.opt_str(vm, 2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"bt".to_vec(),
    };
    let (src, name) = match read_source(vm, fname.map(|s| s.as_bytes().to_vec())) {
        Ok(x) => x,
        Err(msg) => {
            let m = vm.new_str(msg.as_bytes());
            return ret(vm, &[Value::Nil, m]);
        }
    };
    if let Some(msg) = mode_error(&src, &mode) {
        let m = vm.new_str(msg.as_bytes());
        return ret(vm, &[Value::Nil, m]);
    }
    let env = if args.is_none(3) {
        Value::Table(vm.globals)
    } else {
        args.get(vm, 3)
    };
    match vm.load_with_env(&src, &name, env) {
        Ok(f) => ret(vm, &[f]),
        Err(e) => ret(vm, &[Value::Nil, e.value]),
    }
}

/// Reads a script file (or stdin for `None`), skipping a `#` first line.
pub fn read_source(_vm: &mut Vm, fname: Option<Vec<u8>>) -> Result<(Vec<u8>, String), String> {
    let (mut data, name) = match fname {
        Some(f) => {
            let path = String::from_utf8_lossy(&f).into_owned();
            match std::fs::read(&path) {
                Ok(d) => (d, format!("@{path}")),
                Err(e) => {
                    let reason = match e.kind() {
                        std::io::ErrorKind::NotFound => "No such file or directory".to_string(),
                        std::io::ErrorKind::PermissionDenied => "Permission denied".to_string(),
                        _ => e.to_string(),
                    };
                    return Err(format!("cannot open {path}: {reason}"));
                }
            }
        }
        None => {
            let mut d = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut d);
            (d, "=stdin".to_string())
        }
    };
    if data.first() == Some(&b'#') {
        // Keep the newline so line numbers stay right.
        let end = data.iter().position(|&c| c == b'\n').unwrap_or(data.len());
        data.drain(..end);
    }
    Ok((data, name))
}

fn dofile(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let fname = args.opt_str(vm, 1)?;
    let (src, name) = match read_source(vm, fname.map(|s| s.as_bytes().to_vec())) {
        Ok(x) => x,
        Err(msg) => return Err(vm.plain_error(msg)),
    };
    let f = vm.load(&src, &name)?;
    let func = vm.top;
    vm.push(f);
    vm.call_at(func, -1)?;
    Ok(vm.top - func)
}
