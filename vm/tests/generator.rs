//! Random-program differential test: deterministic generated Lua programs (see
//! `tests/common/gen.rs`) run plainly, in budget slices of 7 instructions and under GC
//! stress (a collection every 3rd allocation safepoint); the printed output and the
//! outcome must be identical and nothing may panic.
//!
//! `SELENITE_GEN_COUNT` overrides the number of programs, `SELENITE_GEN_SEED` the first
//! seed. `examples/genlua.rs` prints a program for `scripts/difftest.sh`.

use std::cell::RefCell;
use std::rc::Rc;

use selenite::api::{Lua, RunOutcome};

#[path = "common/gen.rs"]
mod gen;

#[derive(Clone, Copy, Debug)]
enum Mode {
    Plain,
    Budget7,
    GcStress3,
}

fn run(src: &str, mode: Mode) -> (String, Result<(), String>) {
    let mut lua = Lua::new();
    let out = Rc::new(RefCell::new(Vec::new()));
    let o2 = out.clone();
    lua.set_print_hook(move |b| o2.borrow_mut().extend_from_slice(b));
    lua.vm_mut().budget.instruction_limit = Some(50_000_000);
    if let Mode::GcStress3 = mode {
        lua.vm_mut().heap.stress = 3;
    }
    let r = match lua.load(src, "=gen") {
        Err(e) => Err(e.to_string()),
        Ok(f) => match mode {
            Mode::Budget7 => {
                let mut r = f.call_budget::<_, ()>(&mut lua, (), 7);
                loop {
                    match r {
                        Ok(RunOutcome::OutOfBudget) => r = lua.resume_budget::<()>(7),
                        Ok(_) => break Ok(()),
                        Err(e) => break Err(e.to_string()),
                    }
                }
            }
            _ => f.call::<_, ()>(&mut lua, ()).map_err(|e| e.to_string()),
        },
    };
    let s = String::from_utf8_lossy(&out.borrow()).into_owned();
    (s, r)
}

#[test]

fn generated_programs_agree_across_modes() {
    let default = if cfg!(debug_assertions) { 300 } else { 3000 };
    let count: u64 = std::env::var("SELENITE_GEN_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    let first: u64 = std::env::var("SELENITE_GEN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut failures = Vec::new();
    for seed in first..first + count {
        let src = gen::program(seed);
        let (out, r) = run(&src, Mode::Plain);
        if let Err(e) = &r {
            failures.push(format!("seed {seed}: generated program failed: {e}\n{src}"));
            continue;
        }
        for mode in [Mode::Budget7, Mode::GcStress3] {
            let (o2, r2) = run(&src, mode);
            if o2 != out || r2 != r {
                failures.push(format!(
                    "seed {seed}: {mode:?} differs\n--- plain\n{out}{r:?}\n--- {mode:?}\n{o2}{r2:?}\n{src}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} programs failed:\n{}",
        failures.len(),
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
