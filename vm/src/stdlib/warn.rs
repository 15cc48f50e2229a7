//! `warn` (`luaB_warn` with lauxlib's warning function): messages go to standard error as
//! "Lua warning: msg"; "@on"/"@off" switch them on and off (off at start, as in the
//! library; the `lua` command's `-W` turns them on with [`set_warnings`]).

use crate::args::Args;
use crate::error::LuaResult;
use crate::state::Vm;
use crate::value::Value;

/// Registry key of the warning state: 0 off, 1 on, 2 in the middle of a message.
const WARN_KEY: &str = "_SELENITE_WARN";

pub fn open(vm: &mut Vm) {
    vm.set_global("warn", Value::Native(warn));
}

fn state(vm: &mut Vm) -> i64 {
    let k = vm.intern(WARN_KEY.as_bytes());
    match vm.registry.get_str(k) {
        Value::Int(i) => i,
        _ => 0,
    }
}

fn set_state(vm: &mut Vm, s: i64) {
    let reg = vm.registry;
    vm.set_field(reg, WARN_KEY, Value::Int(s));
}

/// Turns warnings on or off (`warn("@on")`/`warn("@off")`).
pub fn set_warnings(vm: &mut Vm, on: bool) {
    set_state(vm, on as i64);
}

/// `lua_warning`: one piece of a message; `tocont` when more pieces follow.
pub fn warning(vm: &mut Vm, msg: &[u8], tocont: bool) {
    use std::io::Write;
    let st = state(vm);
    if st != 2 && !tocont && msg.first() == Some(&b'@') {
        // A control message.
        match &msg[1..] {
            b"off" => set_state(vm, 0),
            b"on" => set_state(vm, 1),
            _ => {}
        }
        return;
    }
    if st == 0 {
        return;
    }
    let _ = std::io::stdout().flush();
    let mut err = std::io::stderr().lock();
    if st == 1 {
        let _ = err.write_all(b"Lua warning: ");
    }
    let _ = err.write_all(msg);
    if tocont {
        set_state(vm, 2);
    } else {
        let _ = err.write_all(b"\n");
        set_state(vm, 1);
    }
}

fn warn(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    args.check_str(vm, 1)?;
    for i in 2..=nargs {
        args.check_str(vm, i)?;
    }
    let pieces: Vec<Vec<u8>> = (1..=nargs)
        .map(|i| args.get(vm, i).as_str().unwrap_or_default().to_vec())
        .collect();
    for (i, p) in pieces.iter().enumerate() {
        warning(vm, p, i + 1 < pieces.len());
    }
    Ok(0)
}
