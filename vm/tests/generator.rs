//! Random-program differential test: deterministic generated Lua programs (see
//! `tests/common/gen.rs`) run plainly, in budget slices of 7 instructions, under GC
//! stress (a collection every 3rd allocation safepoint) and, for every 8th program, in
//! slices of 1 instruction with a collection at every safepoint; the printed output and
//! the outcome must be identical and nothing may panic.
//!
//! `SELENITE_GEN_COUNT` overrides the number of programs, `SELENITE_GEN_SEED` the first
//! seed. `vm/examples/genlua.rs` prints a program for `scripts/difftest.sh`.

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
    /// Slices of 1 instruction with a collection at every safepoint (every 8th program:
    /// it is the slowest mode).
    Budget1GcStress1,
}

fn run(src: &str, mode: Mode) -> (String, Result<(), String>) {
    let mut lua = Lua::new();
    let out = Rc::new(RefCell::new(Vec::new()));
    let o2 = out.clone();
    lua.set_print_hook(move |b| o2.borrow_mut().extend_from_slice(b));
    lua.vm_mut().budget.instruction_limit = Some(50_000_000);
    match mode {
        Mode::GcStress3 => lua.vm_mut().heap.stress = 3,
        Mode::Budget1GcStress1 => lua.vm_mut().heap.stress = 1,
        _ => {}
    }
    let slice = match mode {
        Mode::Budget7 => Some(7),
        Mode::Budget1GcStress1 => Some(1),
        _ => None,
    };
    let r = match lua.load(src, "=gen") {
        Err(e) => Err(e.to_string()),
        Ok(f) => match slice {
            Some(n) => {
                let mut r = f.call_budget::<_, ()>(&mut lua, (), n);
                loop {
                    match r {
                        Ok(RunOutcome::OutOfBudget) => r = lua.resume_budget::<()>(n),
                        Ok(_) => break Ok(()),
                        Err(e) => break Err(e.to_string()),
                    }
                }
            }
            None => f.call::<_, ()>(&mut lua, ()).map_err(|e| e.to_string()),
        },
    };
    let s = String::from_utf8_lossy(&out.borrow()).into_owned();
    (s, r)
}

#[test]
fn generated_programs_agree_across_modes() {
    // About 20 s in a debug build on one core.
    let default = if cfg!(debug_assertions) { 3000 } else { 20000 };
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
        let mut modes = vec![Mode::Budget7, Mode::GcStress3];
        if seed % 8 == 0 {
            modes.push(Mode::Budget1GcStress1);
        }
        for mode in modes {
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
