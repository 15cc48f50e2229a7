mod common;

use bevy::prelude::*;
use bevy_selenite::prelude::*;
use bevy_selenite::ScriptErrorKind;
use common::TestApp;

const BAD: &str = "local a = 1\nlocal x\nx y = 2\n";

const FAILS: &str = r#"
function on_update(self, dt)
    self.n = (self.n or 0) + 1
    local t = nil
    t.x = 1
end
"#;

const OK: &str = r#"
function on_update(self, dt)
    local t = self.entity.Transform
    t.translation.x = t.translation.x + 1
end
"#;

#[test]
fn compile_error_is_reported_with_path_and_line() {
    let mut t = TestApp::new(&[("scripts/bad.lua", BAD)]);
    let e = t.spawn_scripted(&["scripts/bad.lua"], Transform::default());
    t.update(3);
    let errs = t.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].kind, ScriptErrorKind::Compile);
    assert_eq!(errs[0].script, "scripts/bad.lua");
    assert_eq!(errs[0].entity, Some(e));
    assert!(
        errs[0].message.starts_with("scripts/bad.lua:3:"),
        "{}",
        errs[0].message
    );
}

#[test]
fn runtime_error_is_reported_once_and_isolated() {
    let mut t = TestApp::new(&[("scripts/fails.lua", FAILS), ("scripts/ok.lua", OK)]);
    let hs = [t.load("scripts/fails.lua"), t.load("scripts/ok.lua")];
    t.wait_loaded(&hs);
    let bad = t.spawn_scripted(&["scripts/fails.lua"], Transform::default());
    let good = t.spawn_scripted(&["scripts/ok.lua"], Transform::default());
    t.update(5);
    let errs = t.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    let err = &errs[0];
    assert_eq!(err.kind, ScriptErrorKind::Runtime);
    assert_eq!(err.entity, Some(bad));
    assert!(
        err.message
            .starts_with("scripts/fails.lua:5: attempt to index a nil value"),
        "{}",
        err.message
    );
    let tb = err.traceback.as_deref().unwrap_or("");
    assert!(tb.contains("scripts/fails.lua:5:"), "{tb}");
    // The failing instance keeps being called (and failing) each frame...
    assert_eq!(t.self_value::<i64>(bad, "n"), Some(5));
    let diag = t.app.world().resource::<ScriptDiagnostics>();
    assert_eq!(diag.scripts["scripts/fails.lua"].errors_total, 5);
    // ...and the other entity is unaffected.
    assert_eq!(t.transform(good).translation.x, 5.0);
}

#[test]
fn bad_reload_keeps_the_previous_script() {
    let mut t = TestApp::new(&[("scripts/ok.lua", OK)]);
    let h = t.load("scripts/ok.lua");
    t.wait_loaded(std::slice::from_ref(&h));
    let e = t
        .app
        .world_mut()
        .spawn((Transform::default(), Scripts::new(h.clone())))
        .id();
    t.update(2);
    assert_eq!(t.transform(e).translation.x, 2.0);

    // A broken edit: reported, the old code keeps running.
    let broken = LuaScript::compile(
        "scripts/ok.lua",
        b"function on_update(self, dt)\n  oops(\nend\n",
    );
    t.app
        .world_mut()
        .resource_mut::<Assets<LuaScript>>()
        .insert(h.id(), broken)
        .expect("insert");
    t.update(2);
    assert_eq!(t.transform(e).translation.x, 4.0);
    let errs = t.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].kind, ScriptErrorKind::Compile);
    assert!(
        errs[0].message.starts_with("scripts/ok.lua:3:"),
        "{}",
        errs[0].message
    );

    // A good edit replaces the behaviour and keeps `self`.
    let fixed = LuaScript::compile(
        "scripts/ok.lua",
        b"function on_update(self, dt)\n  local t = self.entity.Transform\n  t.translation.x = t.translation.x + 10\nend\n",
    );
    t.app
        .world_mut()
        .resource_mut::<Assets<LuaScript>>()
        .insert(h.id(), fixed)
        .expect("insert");
    // The asset event reaches the scripts one frame later.
    t.update(2);
    assert_eq!(t.transform(e).translation.x, 15.0);
}

const HOG: &str = r#"
function on_update(self, dt)
    self.frames = (self.frames or 0) + 1
    local t = {}
    for i = 1, 1e7 do t[i] = {i} end
end
"#;

#[test]
fn memory_limit_fails_only_the_hog() {
    let settings = SeleniteSettings {
        memory_limit: 32 * 1024 * 1024,
        instance_budget: u64::MAX / 4,
        frame_budget: u64::MAX / 4,
        ..default()
    };
    let mut t = TestApp::with_settings(
        &[("scripts/hog.lua", HOG), ("scripts/ok.lua", OK)],
        settings,
    );
    let hs = [t.load("scripts/hog.lua"), t.load("scripts/ok.lua")];
    t.wait_loaded(&hs);
    let hog = t
        .app
        .world_mut()
        .spawn((Transform::default(), Scripts::new(hs[0].clone())))
        .id();
    let good = t
        .app
        .world_mut()
        .spawn((Transform::default(), Scripts::new(hs[1].clone())))
        .id();
    t.update(2);
    let errs = t.errors();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].entity, Some(hog));
    assert!(
        errs[0].message.contains("not enough memory"),
        "{}",
        errs[0].message
    );
    assert_eq!(t.transform(good).translation.x, 2.0);
    assert_eq!(t.self_value::<i64>(hog, "frames"), Some(2));
}
