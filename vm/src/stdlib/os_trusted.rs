//! The trusted part of the os library (`loslib.c`): `execute`, `exit`, `getenv`, `remove`,
//! `rename`, `setlocale`, `tmpname`, added to the `os` table that [`super::os`] creates.
//!
//! Differences from lua5.4:
//! * `setlocale` knows only the "C" locale (also spelt "POSIX") and "C.UTF-8"; the empty
//!   name picks the locale from `LC_ALL`/`LC_xxx`/`LANG` among those, as glibc does; any
//!   other locale is unavailable (nil). Nothing in Selenite depends on the locale.
//! * `execute` flushes standard output before running the command, so the command's
//!   output comes after what the script already wrote.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::args::Args;
use crate::error::LuaResult;
use crate::function::NativeFn;
use crate::state::Vm;
use crate::value::Value;

/// Adds the trusted functions to the global `os` table (creating it if needed).
pub fn open(vm: &mut Vm) {
    let t = match vm.get_global("os") {
        Value::Table(t) => t,
        _ => {
            let t = vm.new_table();
            vm.set_global("os", Value::Table(t));
            t
        }
    };
    let funcs: &[(&str, NativeFn)] = &[
        ("execute", execute),
        ("exit", exit),
        ("getenv", getenv),
        ("remove", remove),
        ("rename", rename),
        ("setlocale", setlocale),
        ("tmpname", tmpname),
    ];
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
}

fn push_fail_named(vm: &mut Vm, e: &std::io::Error, fname: &[u8]) -> usize {
    let (msg, code) = super::io::os_error(e);
    let mut m = fname.to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(msg.as_bytes());
    let m = vm.new_string_from_vec(m);
    vm.push(Value::Nil);
    vm.push(m);
    vm.push(Value::Int(code));
    3
}

fn getenv(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = args.check_str(vm, 1)?.as_bytes().to_vec();
    let v = if name.contains(&b'=') || name.contains(&0) || name.is_empty() {
        None
    } else {
        std::env::var_os(OsStr::from_bytes(&name))
    };
    let r = match v {
        Some(s) => vm.new_str(s.as_bytes()),
        None => Value::Nil,
    };
    vm.push(r);
    Ok(1)
}

fn remove(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = args.check_str(vm, 1)?.as_bytes().to_vec();
    let path = OsStr::from_bytes(&name);
    // C's `remove`: unlink, or rmdir for a directory.
    let r = match std::fs::remove_file(path) {
        Err(e) if e.raw_os_error() == Some(21) => std::fs::remove_dir(path),
        r => r,
    };
    match r {
        Ok(()) => {
            vm.push(Value::Bool(true));
            Ok(1)
        }
        Err(e) => Ok(push_fail_named(vm, &e, &name)),
    }
}

fn rename(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let from = args.check_str(vm, 1)?.as_bytes().to_vec();
    let to = args.check_str(vm, 2)?.as_bytes().to_vec();
    match std::fs::rename(OsStr::from_bytes(&from), OsStr::from_bytes(&to)) {
        Ok(()) => {
            vm.push(Value::Bool(true));
            Ok(1)
        }
        // lua5.4's `os.rename` reports no file name.
        Err(e) => {
            let (msg, code) = super::io::os_error(&e);
            let m = vm.new_str(msg.as_bytes());
            vm.push(Value::Nil);
            vm.push(m);
            vm.push(Value::Int(code));
            Ok(3)
        }
    }
}

/// A fresh file name in the temporary directory; the file is created empty (`mkstemp`).
fn tmpname(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    for _ in 0..100 {
        let name = format!("/tmp/lua_{}", super::io::unique_suffix());
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&name)
        {
            Ok(_) => {
                let v = vm.new_str(name.as_bytes());
                vm.push(v);
                return Ok(1);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => break,
        }
    }
    Err(vm.rt_error("unable to generate a unique filename"))
}

fn execute(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    use std::os::unix::process::ExitStatusExt;
    let args = Args::new(base, nargs);
    let Some(cmd) = args.opt_str(vm, 1)? else {
        // Is a shell available?
        let ok = std::path::Path::new("/bin/sh").exists();
        vm.push(Value::Bool(ok));
        return Ok(1);
    };
    let cmd = cmd.as_bytes().to_vec();
    super::io::flush_all();
    let status = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(OsStr::from_bytes(&cmd))
        .status();
    match status {
        Err(e) => {
            let (msg, code) = super::io::os_error(&e);
            let m = vm.new_str(msg.as_bytes());
            vm.push(Value::Nil);
            vm.push(m);
            vm.push(Value::Int(code));
            Ok(3)
        }
        Ok(st) => {
            let (what, code) = match (st.code(), st.signal()) {
                (Some(c), _) => ("exit", c as i64),
                (None, Some(s)) => ("signal", s as i64),
                (None, None) => ("exit", -1),
            };
            let first = if what == "exit" && code == 0 {
                Value::Bool(true)
            } else {
                Value::Nil
            };
            let w = vm.new_str(what.as_bytes());
            vm.push(first);
            vm.push(w);
            vm.push(Value::Int(code));
            Ok(3)
        }
    }
}

fn exit(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let code = match args.get(vm, 1) {
        Value::Bool(b) => {
            if b {
                0
            } else {
                1
            }
        }
        _ => args.opt_integer(vm, 1, 0)? as i32,
    };
    if args.get(vm, 2).truthy() {
        // `lua_close`: run the pending to-be-closed variables first.
        let _ = vm.close_pending(0, Value::Nil);
    }
    super::io::flush_all();
    std::process::exit(code)
}

const CATEGORIES: [&str; 6] = ["all", "collate", "ctype", "monetary", "numeric", "time"];

fn setlocale(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let name = args.opt_str(vm, 1)?.map(|s| s.as_bytes().to_vec());
    let cat = args.check_option(vm, 2, Some("all"), &CATEGORIES)?;
    let resolved: Option<&str> = match name.as_deref() {
        None => Some("C"),
        Some(b"") => {
            let env_name = match CATEGORIES[cat] {
                "all" => None,
                c => Some(format!("LC_{}", c.to_ascii_uppercase())),
            };
            let pick = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
            let v = pick("LC_ALL")
                .or_else(|| env_name.as_deref().and_then(pick))
                .or_else(|| pick("LANG"))
                .unwrap_or_else(|| "C".into());
            known_locale(v.as_bytes())
        }
        Some(n) => known_locale(n),
    };
    let r = match resolved {
        Some(s) => vm.new_str(s.as_bytes()),
        None => Value::Nil,
    };
    vm.push(r);
    Ok(1)
}

fn known_locale(name: &[u8]) -> Option<&'static str> {
    match name {
        b"C" | b"POSIX" => Some("C"),
        b"C.UTF-8" | b"C.utf8" => Some("C.UTF-8"),
        _ => None,
    }
}
