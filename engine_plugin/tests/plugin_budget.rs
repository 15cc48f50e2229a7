mod common;

use bevy::prelude::*;
use bevy_selenite::prelude::*;
use common::TestApp;

const LOOPER: &str = r#"
function on_update(self, dt)
    self.entered = (self.entered or 0) + 1
    while true do end
end
"#;

const MOVER: &str = r#"
function on_update(self, dt)
    local t = self.entity.Transform
    t.translation.x = t.translation.x + 1
end
"#;

#[test]
fn infinite_loop_is_sliced_and_others_keep_running() {
    let settings = SeleniteSettings {
        instance_budget: 20_000,
        ..default()
    };
    let mut t = TestApp::with_settings(
        &[("scripts/loop.lua", LOOPER), ("scripts/mover.lua", MOVER)],
        settings,
    );
    let handles = [t.load("scripts/loop.lua"), t.load("scripts/mover.lua")];
    t.wait_loaded(&handles);
    let looper = t
        .app
        .world_mut()
        .spawn((Transform::default(), Scripts::new(handles[0].clone())))
        .id();
    let mover = t
        .app
        .world_mut()
        .spawn((Transform::default(), Scripts::new(handles[1].clone())))
        .id();
    let start = std::time::Instant::now();
    t.update(20);
    // 20 frames of a 20k-instruction slice each: far below a second even in debug builds.
    assert!(start.elapsed().as_secs_f64() < 10.0);
    assert_eq!(t.transform(mover).translation.x, 20.0);
    // The loop entered once and stays suspended: never restarted.
    assert_eq!(t.self_value::<i64>(looper, "entered"), Some(1));
    let diag = t.app.world().resource::<ScriptDiagnostics>().clone();
    let st = &diag.scripts["scripts/loop.lua"];
    assert_eq!(st.suspensions_total, 20, "{st:?}");
    // Per frame the loop used about its budget, not more.
    assert!(
        st.instructions_frame >= 20_000 && st.instructions_frame < 21_000,
        "{st:?}"
    );
    assert!(diag.scripts["scripts/mover.lua"].instructions_frame > 0);
    assert_eq!(diag.suspended_instances, 1);
}

const LONG: &str = r#"
function on_start(self)
    local acc = 0
    for i = 1, 200000 do
        acc = (acc * 31 + i) % 1000003
    end
    self.result = acc
    self.done_at = time.frame
    local t = self.entity.Transform
    t.translation.z = acc
end

function on_update(self, dt)
    self.updates = (self.updates or 0) + 1
end
"#;

fn run_long(budget: u64) -> (i64, f32, i64, u64) {
    let settings = SeleniteSettings {
        instance_budget: budget,
        frame_budget: budget.max(5_000_000),
        ..default()
    };
    let mut t = TestApp::with_settings(&[("scripts/long.lua", LONG)], settings);
    let e = t.spawn_scripted(&["scripts/long.lua"], Transform::default());
    let mut frames = 0;
    while t.self_value::<i64>(e, "result").is_none() {
        t.update(1);
        frames += 1;
        assert!(frames < 10_000, "never finished");
    }
    t.update(3);
    let result: i64 = t.self_value(e, "result").expect("result");
    let updates: i64 = t.self_value(e, "updates").unwrap_or(0);
    (result, t.transform(e).translation.z, updates, frames)
}

#[test]
fn long_computation_sliced_matches_unlimited() {
    let (r1, z1, u1, f1) = run_long(u64::MAX / 4);
    let (r2, z2, u2, f2) = run_long(25_000);
    assert_eq!(r1, r2);
    assert_eq!(z1, z2);
    assert_eq!(z1, r1 as f32);
    assert_eq!(f1, 1, "unlimited budget finishes in the first frame");
    assert!(f2 > 20, "sliced over many frames ({f2})");
    // on_update only starts once on_start is done (in the same frame), then runs every
    // frame.
    assert_eq!(u1, 4);
    assert_eq!(u2, 4);
}

#[test]
fn frame_budget_limits_total_and_rotates() {
    let settings = SeleniteSettings {
        instance_budget: 10_000,
        frame_budget: 25_000,
        ..default()
    };
    let mut t = TestApp::with_settings(&[("scripts/loop.lua", LOOPER)], settings);
    let es: Vec<Entity> = (0..5)
        .map(|_| t.spawn_scripted(&["scripts/loop.lua"], Transform::default()))
        .collect();
    t.update(6);
    let diag = t.app.world().resource::<ScriptDiagnostics>().clone();
    assert!(diag.instructions_frame <= 27_000, "{diag:?}");
    // Everyone got started at some point thanks to the rotation.
    for &e in &es {
        let entered = t.self_value::<i64>(e, "entered");
        eprintln!("{e}: {entered:?}");
    }
    for &e in &es {
        assert_eq!(t.self_value::<i64>(e, "entered"), Some(1));
    }
}

const HOSTILE_CLOSE: &str = r#"
function on_start(self)
    -- Fails with a pending <close> whose handler never returns.
    local r <close> = setmetatable({}, {__close = function() while true do end end})
    error("fail")
end

function on_update(self, dt)
    self.updates = (self.updates or 0) + 1
    -- Waits forever inside a <close> scope whose handler never returns.
    local r <close> = setmetatable({}, {__close = function() while true do end end})
    wait(1000)
end
"#;

#[test]
fn close_handlers_that_never_return_cannot_hold_the_frame() {
    let settings = SeleniteSettings {
        instance_budget: 20_000,
        ..default()
    };
    let mut t = TestApp::with_settings(
        &[
            ("scripts/hostile.lua", HOSTILE_CLOSE),
            ("scripts/mover.lua", MOVER),
        ],
        settings,
    );
    let e = t.spawn_scripted(&["scripts/hostile.lua"], Transform::default());
    let mover = t.spawn_scripted(&["scripts/mover.lua"], Transform::default());
    t.update(3);
    assert_eq!(t.self_value::<i64>(e, "updates"), Some(1));
    // The failed on_start, then its runaway __close, both reported.
    let errors: Vec<String> = t.errors().iter().map(|e| e.message.clone()).collect();
    assert!(errors.iter().any(|m| m.contains("fail")), "{errors:?}");
    assert!(
        errors.iter().any(|m| m.contains("cannot be suspended")),
        "{errors:?}"
    );
    // Despawning the waiting entity closes its callback, again bounded.
    t.app.world_mut().despawn(e);
    t.update(2);
    let errors = t.errors().len();
    assert!(errors >= 3, "{:?}", t.errors());
    assert!(t.transform(mover).translation.x >= 4.0);
}

/// Instances of one script run their `on_update` in one batch (one coroutine); some stop
/// in the middle of it: one waits, one fails, one runs out of budget. Each must behave
/// as if it ran alone, and the others must go on in the same frame.
const MIXED: &str = r#"
function on_update(self, dt)
    local role = self.entity.Transform.translation.x
    self.n = (self.n or 0) + 1
    if role == 1 and self.n == 2 then
        wait_frames(2)
    elseif role == 2 and self.n == 3 then
        error("boom " .. self.n)
    elseif role == 3 and self.n == 2 then
        local acc = 0
        for i = 1, 15000 do acc = acc + i end
        self.acc = acc
    end
    self.done = (self.done or 0) + 1
end
"#;

#[test]
fn a_batch_of_callbacks_survives_waits_errors_and_suspensions() {
    let settings = SeleniteSettings {
        instance_budget: 20_000,
        ..default()
    };
    let mut t = TestApp::with_settings(&[("scripts/mixed.lua", MIXED)], settings);
    let es: Vec<(Entity, u32)> = (0..12u32)
        .map(|i| {
            let role = i % 4;
            let e = t.spawn_scripted(
                &["scripts/mixed.lua"],
                Transform::from_xyz(role as f32, 0.0, 0.0),
            );
            (e, role)
        })
        .collect();
    t.update(6);
    for &(e, role) in &es {
        let n = t.self_value::<i64>(e, "n");
        let done = t.self_value::<i64>(e, "done");
        match role {
            // Every frame.
            0 => assert_eq!((n, done), (Some(6), Some(6))),
            // Frame 2 waits two frames: resumed in frame 4 (which starts no new call),
            // then calls in frames 5 and 6.
            1 => assert_eq!((n, done), (Some(4), Some(4))),
            // Frame 3 fails: its `done` is missing.
            2 => assert_eq!((n, done), (Some(6), Some(5))),
            // Frame 2 runs out of budget (the loop needs a few slices of 20,000), the
            // call finishes in a later frame, and calls go on after it.
            _ => {
                assert_eq!(n, done, "role 3");
                assert!(n.is_some_and(|n| (3..6).contains(&n)), "role 3: {n:?}");
            }
        }
    }
    for &(e, role) in &es {
        if role == 3 {
            assert_eq!(t.self_value::<i64>(e, "acc"), Some(112_507_500));
        }
    }
    let errors = t.errors();
    assert_eq!(errors.len(), 3, "{errors:?}");
    for err in &errors {
        assert_eq!(err.message, "scripts/mixed.lua:8: boom 3");
    }
    let diag = t.app.world().resource::<ScriptDiagnostics>().clone();
    let st = &diag.scripts["scripts/mixed.lua"];
    assert!(st.suspensions_total >= 3, "{st:?}");
}
