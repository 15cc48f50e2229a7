//! Debug hooks (`debug.sethook`) against the VM's limits: a hook cannot escape the
//! instruction limit or a budget slice, events are the same when the run is sliced, and
//! a thread's hook does not leak into the unhooked loop once removed.
//! (Event semantics are checked against lua5.4 by the golden `debug_hooks_*.lua` scripts.)

use selenite::api::{Lua, RunOutcome};

/// Counts line and count events of a small program; returns the hook's tally.
const COUNTER: &str = r#"
local lines, counts = 0, 0
debug.sethook(function(e)
  if e == "line" then lines = lines + 1 else counts = counts + 1 end
end, "l", 7)
local s = 0
for i = 1, 200 do
  if i % 3 == 0 then s = s + i end
end
local function f(n) if n < 2 then return n end return f(n - 1) + f(n - 2) end
s = s + f(10)
debug.sethook()
return lines * 1000000 + counts * 1000 + s % 1000
"#;

#[test]
fn hook_events_do_not_depend_on_slicing() {
    let mut lua = Lua::new();
    let plain: i64 = lua.exec(COUNTER, "=counter").unwrap();
    for budget in [1, 7, 100] {
        let mut lua = Lua::new();
        let f = lua.load(COUNTER, "=counter").unwrap();
        let mut r = f.call_budget::<_, i64>(&mut lua, (), budget).unwrap();
        let mut slices = 1;
        while let RunOutcome::OutOfBudget = r {
            slices += 1;
            r = lua.resume_budget::<i64>(budget).unwrap();
        }
        match r {
            RunOutcome::Finished(v) => assert_eq!(v, plain, "budget {budget}"),
            other => panic!("unexpected outcome {other:?}"),
        }
        assert!(slices > 1);
    }
}

#[test]
fn endless_hook_hits_the_instruction_limit() {
    let mut lua = Lua::new();
    lua.vm_mut().budget.instruction_limit = Some(2_000_000);
    let r = lua.exec::<()>(
        "debug.sethook(function() while true do end end, 'l')\nlocal x = 1 return x",
        "=endless",
    );
    let e = r.expect_err("the hook must be stopped");
    assert!(e.to_string().contains("instruction limit exceeded"), "{e}");
    // The hook stays set (as in PUC): with more instructions allowed, the next run is
    // stopped in the hook again.
    let used = lua.vm_mut().budget.used();
    lua.vm_mut().budget.instruction_limit = Some(used + 1_000_000);
    let e = lua
        .exec::<i64>("return 40 + 2", "=again")
        .expect_err("the hook must be stopped again");
    assert!(e.to_string().contains("instruction limit exceeded"), "{e}");
}

#[test]
fn endless_hook_cannot_hold_a_slice() {
    let mut lua = Lua::new();
    lua.vm_mut().budget.overshoot_limit = 200_000;
    let f = lua
        .load(
            "debug.sethook(function() while true do end end, 'c') local x = tostring(1)",
            "=slice",
        )
        .unwrap();
    let mut r = f.call_budget::<_, ()>(&mut lua, (), 1000);
    for _ in 0..1000 {
        match r {
            Ok(RunOutcome::OutOfBudget) => r = lua.resume_budget::<()>(1000),
            _ => break,
        }
    }
    let e = r.expect_err("the hook must be stopped");
    assert!(e.to_string().contains("cannot be suspended"), "{e}");
}

#[test]
fn removed_hook_stops_events() {
    let mut lua = Lua::new();
    let n: i64 = lua
        .exec(
            r#"
            local n = 0
            debug.sethook(function() n = n + 1 end, "crl", 1)
            debug.sethook()
            local before = n
            for i = 1, 100 do local t = {} end
            return n - before
            "#,
            "=removed",
        )
        .unwrap();
    assert_eq!(n, 0);
}
