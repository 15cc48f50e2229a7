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
