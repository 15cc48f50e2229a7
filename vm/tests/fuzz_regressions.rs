//! Replays every input saved in `tests/fuzz_regressions/` (crashes, hangs and leaks the
//! fuzzers once found) through the same path as the `exec_sandbox` fuzz target: the
//! sandbox preset, an instruction limit and a memory limit. Each must finish without a
//! panic, within a wall-clock bound, and leave the state usable. Files named
//! `parse_compile-*` also go through the bare parser and compiler.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use selenite::api::{Lua, LuaValue};

/// Generous for a debug build: the instruction limit stops every input far sooner.
const WATCHDOG: Duration = Duration::from_secs(60);

/// The body of `fuzz/fuzz_targets/exec_sandbox.rs`.
fn exec_sandbox(data: &[u8]) {
    let mut lua = Lua::sandboxed();
    lua.vm_mut().budget.instruction_limit = Some(200_000);
    lua.vm_mut().set_memory_limit(Some(16 << 20));
    lua.set_print_hook(|_| {});
    let Ok(env) = lua.new_env() else { return };
    if let Ok(f) = lua.load_in(data, "=fuzz", &env) {
        let _ = f.call::<_, LuaValue>(&mut lua, ());
    }
    lua.vm_mut().budget.instruction_limit = None;
    let env2 = lua.new_env().expect("env after the input");
    let v: i64 = lua
        .load_in("return 1 + 1", "=after", &env2)
        .expect("load after the input")
        .call(&mut lua, ())
        .expect("run after the input");
    assert_eq!(v, 2, "state unusable after the input");
}

/// The body of `fuzz/fuzz_targets/parse_compile.rs`.
fn parse_compile(data: &[u8]) {
    if let Ok(ast) = selenite::parser::parse(data, "=fuzz") {
        let _ = selenite::compiler::compile(&ast, "=fuzz");
    }
}

#[test]
fn fuzz_regressions_replay_without_panic_or_hang() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz_regressions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let data = std::fs::read(path).expect("read input");
        let (tx, rx) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name(name.clone())
            .stack_size(64 << 20)
            .spawn(move || {
                let r = std::panic::catch_unwind(|| {
                    parse_compile(&data);
                    exec_sandbox(&data);
                });
                let _ = tx.send(r.is_ok());
            })
            .expect("spawn");
        match rx.recv_timeout(WATCHDOG) {
            Ok(true) => {
                let _ = worker.join();
            }
            Ok(false) => failures.push(format!("{name}: panicked")),
            // A hung worker is left behind; the test fails anyway.
            Err(_) => failures.push(format!("{name}: still running after {WATCHDOG:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
