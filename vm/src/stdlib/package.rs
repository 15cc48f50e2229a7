//! The package library (`loadlib.c`): `require`, `package.path`, `package.loaded`,
//! `package.preload`, `package.searchers`, `package.searchpath`, `package.config`, and
//! `package.cpath`/`package.loadlib`, which exist but refuse native libraries.
//!
//! `package.searchers` is an ordinary table of functions (preload, Lua files, then the two
//! C searchers), so a host can insert searchers of its own (script assets, mod folders)
//! exactly as Lua code would.
//!
//! Differences from lua5.4: native (C) modules cannot be loaded. The C searchers still
//! look `package.cpath` up, so "module not found" messages are as lua5.4's; a library they
//! do find raises "native modules are not supported", and `package.loadlib` returns
//! `nil, "native modules are not supported", "absent"`.

use crate::args::Args;
use crate::error::LuaResult;
use crate::function::{NativeClosure, NativeFn};
use crate::gc::Gc;
use crate::state::Vm;
use crate::table::Table;
use crate::value::Value;

/// `LUA_PATH_DEFAULT` of Debian's lua5.4.
pub const PATH_DEFAULT: &str =
    "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;\
/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;\
/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua";
/// `LUA_CPATH_DEFAULT` of Debian's lua5.4.
pub const CPATH_DEFAULT: &str =
    "/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;\
/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";
/// The message of every refused native library.
pub const NATIVE_REFUSED: &str = "native modules are not supported";

/// Registry key set (to true) by the host before opening the libraries to ignore the
/// `LUA_PATH`/`LUA_CPATH` environment variables (`lua -E`).
pub const NOENV_KEY: &str = "LUA_NOENV";

/// Opens `package` and `require`. Call after the other libraries: their tables are
/// recorded in `package.loaded` from the globals.
pub fn open(vm: &mut Vm) {
    let pkg = vm.new_table();
    // `package` is the upvalue of `require` and the searchers, as in loadlib.c.
    let searchers = vm.new_table();
    let list: [(NativeFn, &'static str); 4] = [
        (searcher_preload, "searcher_preload"),
        (searcher_lua, "searcher_Lua"),
        (searcher_c, "searcher_C"),
        (searcher_croot, "searcher_Croot"),
    ];
    for (i, (f, name)) in list.into_iter().enumerate() {
        let c = closure(vm, f, name, pkg);
        searchers.set_int(&mut vm.heap, i as i64 + 1, c);
    }
    vm.set_field(pkg, "searchers", Value::Table(searchers));
    let noenv = {
        let k = vm.intern(NOENV_KEY.as_bytes());
        vm.registry.get_str(k).truthy()
    };
    let path = env_path("LUA_PATH", PATH_DEFAULT, noenv);
    let path = vm.new_str(path.as_bytes());
    vm.set_field(pkg, "path", path);
    let cpath = env_path("LUA_CPATH", CPATH_DEFAULT, noenv);
    let cpath = vm.new_str(cpath.as_bytes());
    vm.set_field(pkg, "cpath", cpath);
    let config = vm.new_str(b"/\n;\n?\n!\n-\n");
    vm.set_field(pkg, "config", config);

    let reg = vm.registry;
    let loaded = match vm.get_field_str(reg, "_LOADED") {
        Value::Table(t) => t,
        _ => {
            let t = vm.new_table();
            vm.set_field(reg, "_LOADED", Value::Table(t));
            t
        }
    };
    vm.set_field(pkg, "loaded", Value::Table(loaded));
    let preload = match vm.get_field_str(reg, "_PRELOAD") {
        Value::Table(t) => t,
        _ => {
            let t = vm.new_table();
            vm.set_field(reg, "_PRELOAD", Value::Table(t));
            t
        }
    };
    vm.set_field(pkg, "preload", Value::Table(preload));
    vm.set_field(pkg, "searchpath", Value::Native(searchpath));
    vm.set_field(pkg, "loadlib", Value::Native(loadlib));

    let g = vm.globals;
    vm.set_field(loaded, "_G", Value::Table(g));
    for lib in [
        "coroutine",
        "table",
        "io",
        "os",
        "string",
        "math",
        "utf8",
        "debug",
    ] {
        if let v @ Value::Table(_) = vm.get_global(lib) {
            vm.set_field(loaded, lib, v);
        }
    }
    vm.set_field(loaded, "package", Value::Table(pkg));
    vm.set_global("package", Value::Table(pkg));
    let req = closure(vm, ll_require, "require", pkg);
    vm.set_global("require", req);
}

fn closure(vm: &mut Vm, f: NativeFn, name: &'static str, pkg: Gc<Table>) -> Value {
    let nc = vm.heap.alloc(NativeClosure {
        func: Box::new(f),
        name,
        upvals: vec![Value::Table(pkg)],
        direct: None,
    });
    Value::NativeClosure(nc)
}

/// `setpath`: `LUA_X_5_4` or `LUA_X`, with ";;" replaced by the default.
fn env_path(env: &str, default: &str, noenv: bool) -> String {
    let v = std::env::var(format!("{env}_5_4"))
        .ok()
        .or_else(|| std::env::var(env).ok());
    let Some(path) = v.filter(|_| !noenv) else {
        return default.to_string();
    };
    let Some(mark) = path.find(";;") else {
        return path;
    };
    let mut out = String::new();
    if mark > 0 {
        out.push_str(&path[..mark]);
        out.push(';');
    }
    out.push_str(default);
    if mark + 2 < path.len() {
        out.push(';');
        out.push_str(&path[mark + 2..]);
    }
    out
}

impl Vm {
    /// `t[name]` without metamethods.
    fn get_field_str(&mut self, t: Gc<Table>, name: &str) -> Value {
        let k = self.intern(name.as_bytes());
        t.get_str(k)
    }
}

/// The `package` table captured by the running closure.
fn package_upvalue(vm: &mut Vm, base: usize) -> LuaResult<Gc<Table>> {
    if let Value::NativeClosure(nc) = vm.stack[base - 1] {
        if let Some(Value::Table(t)) = nc.upvals.first() {
            return Ok(*t);
        }
    }
    Err(vm.rt_error("package library not available"))
}

fn readable(name: &[u8]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    std::fs::File::open(std::ffi::OsStr::from_bytes(name)).is_ok()
}

/// `searchpath`: the first readable file of `path` for `name`, or the
/// "no file 'x'\n\tno file 'y'" list.
pub fn search_path(
    name: &[u8],
    path: &[u8],
    sep: &[u8],
    dirsep: &[u8],
) -> Result<Vec<u8>, Vec<u8>> {
    let name = if !sep.is_empty() && name.windows(sep.len()).any(|w| w == sep) {
        gsub(name, sep, dirsep)
    } else {
        name.to_vec()
    };
    let full = gsub(path, b"?", &name);
    for file in full.split(|&c| c == b';') {
        if !file.is_empty() && readable(file) {
            return Ok(file.to_vec());
        }
    }
    let mut msg = b"no file '".to_vec();
    msg.extend_from_slice(&gsub(&full, b";", b"'\n\tno file '"));
    msg.push(b'\'');
    Err(msg)
}

/// Plain replacement of every `pat` (non-empty) in `s`.
fn gsub(s: &[u8], pat: &[u8], rep: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(pat) {
            out.extend_from_slice(rep);
            i += pat.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn searchpath(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    // Checked from the last argument, as lua5.4 (gcc evaluates C arguments right to left).
    let dirsep = match args.opt_str(vm, 4)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"/".to_vec(),
    };
    let sep = match args.opt_str(vm, 3)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b".".to_vec(),
    };
    let path = args.check_str(vm, 2)?.as_bytes().to_vec();
    let name = args.check_str(vm, 1)?.as_bytes().to_vec();
    match search_path(&name, &path, &sep, &dirsep) {
        Ok(f) => {
            let v = vm.new_string_from_vec(f);
            vm.push(v);
            Ok(1)
        }
        Err(msg) => {
            let v = vm.new_string_from_vec(msg);
            vm.push(Value::Nil);
            vm.push(v);
            Ok(2)
        }
    }
}

fn loadlib(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    args.check_str(vm, 1)?;
    args.check_str(vm, 2)?;
    let m = vm.new_str(NATIVE_REFUSED.as_bytes());
    let w = vm.new_str(b"absent");
    vm.push(Value::Nil);
    vm.push(m);
    vm.push(w);
    Ok(3)
}

/// `findfile`: looks `name` up in `package[pname]`.
fn find_file(
    vm: &mut Vm,
    base: usize,
    name: &[u8],
    pname: &str,
) -> LuaResult<Result<Vec<u8>, Vec<u8>>> {
    let pkg = package_upvalue(vm, base)?;
    let path = match vm.get_field_str(pkg, pname) {
        Value::Str(s) => s.as_bytes().to_vec(),
        v @ (Value::Int(_) | Value::Float(_)) => vm.to_str_bytes(v).unwrap_or_default(),
        _ => return Err(vm.rt_error(format!("'package.{pname}' must be a string"))),
    };
    Ok(search_path(name, &path, b".", b"/"))
}

fn push_str(vm: &mut Vm, b: Vec<u8>) {
    let v = vm.new_string_from_vec(b);
    vm.push(v);
}

fn searcher_preload(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = args.check_str(vm, 1)?;
    let reg = vm.registry;
    let preload = vm.get_field_str(reg, "_PRELOAD");
    let f = match preload {
        Value::Table(_) => vm.index_value(preload, Value::Str(name))?,
        _ => Value::Nil,
    };
    if f.is_nil() {
        let msg = format!("no field package.preload['{}']", name.to_str_lossy());
        push_str(vm, msg.into_bytes());
        return Ok(1);
    }
    vm.push(f);
    push_str(vm, b":preload:".to_vec());
    Ok(2)
}

/// `checkload` failure: "error loading module 'x' from file 'f':\n\tmsg".
fn load_error(vm: &mut Vm, name: &[u8], file: &[u8], msg: &str) -> crate::error::LuaError {
    vm.rt_error(format!(
        "error loading module '{}' from file '{}':\n\t{}",
        String::from_utf8_lossy(name),
        String::from_utf8_lossy(file),
        msg
    ))
}

fn searcher_lua(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = args.check_str(vm, 1)?.as_bytes().to_vec();
    let file = match find_file(vm, base, &name, "path")? {
        Ok(f) => f,
        Err(msg) => {
            push_str(vm, msg);
            return Ok(1);
        }
    };
    let loaded = super::base::read_source(vm, Some(file.clone()))
        .map_err(|m| m.to_string())
        .and_then(|(src, chunk)| vm.load(&src, &chunk).map_err(|e| e.message()));
    match loaded {
        Ok(f) => {
            vm.push(f);
            push_str(vm, file);
            Ok(2)
        }
        Err(msg) => Err(load_error(vm, &name, &file, &msg)),
    }
}

fn searcher_c(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = args.check_str(vm, 1)?.as_bytes().to_vec();
    match find_file(vm, base, &name, "cpath")? {
        Ok(file) => Err(load_error(vm, &name, &file, NATIVE_REFUSED)),
        Err(msg) => {
            push_str(vm, msg);
            Ok(1)
        }
    }
}

fn searcher_croot(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = args.check_str(vm, 1)?.as_bytes().to_vec();
    let Some(dot) = name.iter().position(|&c| c == b'.') else {
        return Ok(0);
    };
    match find_file(vm, base, &name[..dot], "cpath")? {
        Ok(file) => Err(load_error(vm, &name, &file, NATIVE_REFUSED)),
        Err(msg) => {
            push_str(vm, msg);
            Ok(1)
        }
    }
}

/// `findloader`: runs the searchers until one returns a loader; leaves the loader and its
/// data at `vm.top - 2..`.
fn find_loader(vm: &mut Vm, base: usize, name: Value) -> LuaResult<()> {
    let pkg = package_upvalue(vm, base)?;
    let key = Value::Str(vm.intern(b"searchers"));
    let searchers = match vm.index_value(Value::Table(pkg), key)? {
        Value::Table(t) => t,
        _ => return Err(vm.rt_error("'package.searchers' must be a table")),
    };
    // Keep the searchers table on the stack while Lua code runs.
    vm.push(Value::Table(searchers));
    let mut msg: Vec<u8> = Vec::new();
    let mut i = 1;
    loop {
        let s = searchers.get_int(i);
        if s.is_nil() {
            let Value::Str(n) = name else {
                unreachable!("require checks the name")
            };
            let text = format!(
                "module '{}' not found:{}",
                n.to_str_lossy(),
                String::from_utf8_lossy(&msg)
            );
            return Err(vm.rt_error(text));
        }
        let func = vm.top;
        vm.push(s);
        vm.push(name);
        vm.call_at(func, 2)?;
        let (loader, data) = (vm.stack[func], vm.stack[func + 1]);
        if loader.is_function() {
            // Leave `loader, data` at the top.
            vm.top = func + 2;
            return Ok(());
        }
        match loader {
            Value::Str(s) => {
                msg.extend_from_slice(b"\n\t");
                msg.extend_from_slice(s.as_bytes());
            }
            Value::Int(_) | Value::Float(_) => {
                msg.extend_from_slice(b"\n\t");
                msg.extend(vm.to_str_bytes(loader).unwrap_or_default());
            }
            _ => {}
        }
        let _ = data;
        vm.top = func;
        i += 1;
    }
}

fn ll_require(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = Value::Str(args.check_str(vm, 1)?);
    vm.top = base + 1;
    let reg = vm.registry;
    let loaded = vm.get_field_str(reg, "_LOADED");
    vm.push(loaded); // base + 1
    let m = vm.index_value(loaded, name)?;
    if m.truthy() {
        vm.push(m);
        return Ok(1);
    }
    find_loader(vm, base, name)?;
    let loader = vm.stack[vm.top - 2];
    let data = vm.stack[vm.top - 1];
    // stack: name, loaded, searchers, loader, data
    let func = vm.top;
    vm.push(loader);
    vm.push(name);
    vm.push(data);
    vm.call_at(func, 1)?;
    let r = vm.stack[func];
    vm.top = func;
    if !r.is_nil() {
        vm.set_index_value(loaded, name, r)?;
    }
    let mut result = vm.index_value(loaded, name)?;
    if result.is_nil() {
        result = Value::Bool(true);
        vm.set_index_value(loaded, name, result)?;
    }
    vm.push(result);
    vm.push(data);
    Ok(2)
}
