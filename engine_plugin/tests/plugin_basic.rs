mod common;

use bevy::prelude::*;
use common::TestApp;

const MOVER: &str = r#"
function on_start(self)
    self.started = true
    self.frames = 0
end

function on_update(self, dt)
    self.frames = self.frames + 1
    local t = self.entity.Transform
    t.translation.x = t.translation.x + 1
    t.translation.y = t.translation.y + dt
end
"#;

#[test]
fn scripts_move_entities() {
    let mut t = TestApp::new(&[("scripts/mover.lua", MOVER)]);
    let a = t.spawn_scripted(&["scripts/mover.lua"], Transform::from_xyz(0.0, 0.0, 0.0));
    let b = t.spawn_scripted(&["scripts/mover.lua"], Transform::from_xyz(10.0, 0.0, 0.0));
    t.update(10);
    let ta = t.transform(a);
    let tb = t.transform(b);
    let frames: i64 = t.self_value(a, "frames").expect("frames");
    assert!(frames >= 9, "frames {frames}");
    assert_eq!(ta.translation.x, frames as f32);
    assert_eq!(tb.translation.x, 10.0 + frames as f32);
    assert!(
        (ta.translation.y - 0.1 * frames as f32).abs() < 1e-4,
        "{ta:?}"
    );
    assert_eq!(t.self_value::<bool>(a, "started"), Some(true));
    assert!(t.errors().is_empty(), "{:?}", t.errors());
}

#[test]
fn entity_spawned_before_its_script_loads_starts_when_loaded() {
    let mut t = TestApp::new(&[("scripts/mover.lua", MOVER)]);
    let h = t.load("scripts/mover.lua");
    // Spawned right away: the instance waits for the asset.
    let e = t
        .app
        .world_mut()
        .spawn((Transform::default(), bevy_selenite::Scripts::new(h.clone())))
        .id();
    t.wait_loaded(std::slice::from_ref(&h));
    t.update(3);
    assert!(t.transform(e).translation.x >= 3.0);
    assert_eq!(t.self_value::<bool>(e, "started"), Some(true));
    // Replacing the component: slots whose script is unchanged keep their instance, new
    // slots get a new one.
    let before: i64 = t.self_value(e, "frames").expect("frames");
    t.app
        .world_mut()
        .entity_mut(e)
        .insert(bevy_selenite::Scripts::many([h.clone(), h.clone()]));
    t.update(1);
    assert_eq!(t.self_value::<i64>(e, "frames"), Some(before + 1));
    let mut rt = t
        .app
        .world_mut()
        .non_send_mut::<bevy_selenite::ScriptRuntime>();
    assert_eq!(rt.instance_count(), 2);
    assert_eq!(rt.self_value::<i64>(e, 1, "frames"), Some(1));
}
