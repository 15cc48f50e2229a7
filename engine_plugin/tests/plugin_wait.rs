mod common;

use bevy::prelude::*;
use common::TestApp;

const WAITER: &str = r#"
function on_start(self)
    self.t0 = time.elapsed
    self.f0 = time.frame
    wait(0.5)
    self.f1 = time.frame
    self.t1 = time.elapsed
    wait_frames(3)
    self.f2 = time.frame
    wait_until(function() return time.frame >= self.f2 + 4 end)
    self.f3 = time.frame
end

function on_update(self, dt)
    -- runs only once on_start has finished (same frame)
    self.first_update = self.first_update or time.frame
end
"#;

#[test]
fn wait_resumes_after_the_right_number_of_frames() {
    let mut t = TestApp::new(&[("scripts/wait.lua", WAITER)]);
    let e = t.spawn_scripted(&["scripts/wait.lua"], Transform::default());
    t.update(30);
    let f0: i64 = t.self_value(e, "f0").expect("f0");
    let f1: i64 = t.self_value(e, "f1").expect("f1");
    let f2: i64 = t.self_value(e, "f2").expect("f2");
    let f3: i64 = t.self_value(e, "f3").expect("f3");
    let t0: f64 = t.self_value(e, "t0").expect("t0");
    let t1: f64 = t.self_value(e, "t1").expect("t1");
    // 0.5 s at 100 ms per frame.
    assert_eq!(f1 - f0, 5, "f0 {f0} f1 {f1}");
    assert!((t1 - t0 - 0.5).abs() < 1e-9, "{t0} {t1}");
    assert_eq!(f2 - f1, 3);
    assert_eq!(f3 - f2, 4);
    let first_update: i64 = t.self_value(e, "first_update").expect("update ran");
    // on_update starts in the frame on_start finishes.
    assert_eq!(first_update, f3);
}

/// Shared with the test through a resource-free channel: `emit`ted messages.
const CLOSER: &str = r#"
local function closer(name)
    return setmetatable({}, {__close = function(_, err)
        emit("closed", { name = name, err = err and tostring(err) or "none" })
    end})
end

function on_start(self)
    local r <close> = closer("start")
    error("start failed")
end

function on_update(self, dt)
    local r <close> = closer("update")
    wait(100)
end
"#;

#[test]
fn close_variables_close_on_error_and_on_despawn_while_waiting() {
    let mut t = TestApp::new(&[("scripts/closer.lua", CLOSER)]);
    let e = t.spawn_scripted(&["scripts/closer.lua"], Transform::default());
    t.update(3);
    let closed = |t: &TestApp| -> Vec<String> {
        t.messages()
            .iter()
            .filter(|m| m.name == "closed")
            .map(|m| format!("{:?}", m.data))
            .collect()
    };
    // The failed on_start closed its variable with the error, once.
    let seen = closed(&t);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].contains("start") && seen[0].contains("start failed"),
        "{seen:?}"
    );
    assert_eq!(t.errors().len(), 1, "{:?}", t.errors());
    // on_update waits inside its <close> scope; despawning the entity closes it.
    t.app.world_mut().despawn(e);
    t.update(2);
    let seen = closed(&t);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[1].contains("update") && seen[1].contains("none"),
        "{seen:?}"
    );
}

const KEEPER: &str = r#"
function on_update(self, dt)
    if not self.co then
        self.co = coroutine.running()
    else
        local ok, err = coroutine.resume(self.co, "forged")
        self.resumed = ok
        self.err = tostring(err)
    end
end
"#;

const SLEEPER: &str = r#"
function on_update(self, dt)
    self.started = (self.started or 0) + 1
    local got = wait(1000)
    self.woke_with = tostring(got)
end
"#;

#[test]
fn a_kept_coroutine_never_runs_another_scripts_callback() {
    let mut t = TestApp::new(&[
        ("scripts/keeper.lua", KEEPER),
        ("scripts/sleeper.lua", SLEEPER),
    ]);
    // The keeper runs first: with one pool for all scripts, the coroutine it keeps would
    // next run the sleeper's callback, and the keeper could wake it.
    let keeper = t.spawn_scripted(&["scripts/keeper.lua"], Transform::default());
    let sleeper = t.spawn_scripted(&["scripts/sleeper.lua"], Transform::default());
    t.update(6);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.self_value::<i64>(sleeper, "started"), Some(1));
    assert_eq!(t.self_value::<String>(sleeper, "woke_with"), None);
    assert_eq!(t.self_value::<bool>(keeper, "resumed"), Some(false));
    let err: String = t.self_value(keeper, "err").expect("err");
    assert!(err.contains("cannot resume"), "{err}");
}
