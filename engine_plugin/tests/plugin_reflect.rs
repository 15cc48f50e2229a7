mod common;

use std::collections::HashMap;

use bevy::prelude::*;
use bevy_selenite::prelude::*;
use common::TestApp;

#[derive(Reflect, Default, Debug, Clone, PartialEq)]
enum Mood {
    #[default]
    Calm,
    Angry,
    Fleeing {
        speed: f32,
    },
}

#[derive(Component, Reflect, Default, Debug, Clone, PartialEq)]
#[reflect(Component, Default)]
struct Enemy {
    hp: i32,
    name: String,
    mood: Mood,
    target: Option<Entity>,
    bonus: Option<f32>,
    waypoints: Vec<Vec3>,
    loot: HashMap<String, u32>,
    home: Vec3,
}

#[derive(Resource, Reflect, Default, Debug)]
#[reflect(Resource, Default)]
struct Score {
    points: i64,
}

const SCRIPT: &str = r#"
function on_start(self)
    local e = self.entity.Enemy
    self.read_hp = e.hp
    self.read_name = e.name
    self.read_mood = e.mood
    self.read_target = e.target
    self.read_bonus = e.bonus
    self.read_wp2x = e.waypoints[2].x
    self.read_nwp = #e.waypoints
    self.read_gold = e.loot.gold
    self.read_home_len = e.home:length()

    e.hp = e.hp - 3
    e.name = e.name .. "!"
    e.mood = "Angry"
    e.bonus = 1.5
    e.waypoints[1].y = 7
    e.waypoints = { Vec3.new(1, 2, 3), e.waypoints[2], {x = 9} }
    e.loot.gold = e.loot.gold + 10
    e.loot.gems = 2
    e.home = e.home + Vec3.new(1, 1, 1)
    e.target = self.entity
    self.entity:set("Enemy", { name = "Bob" })

    local ok, err = pcall(function() e.hpp = 3 end)
    self.err1 = err
    local ok2, err2 = pcall(function() return self.entity.Transform.tranlation end)
    self.err2 = err2
    local ok3, err3 = pcall(function() e.mood = "Sleepy" end)
    self.err3 = err3

    local s = world.resource("Score")
    s.points = s.points + 5
    self.tostr = tostring(self.entity.Transform.translation)
    self.eq = self.entity.Transform.scale == Vec3.ONE
end

function on_event(self, name, data)
    if name == "flee" then
        self.entity.Enemy.mood = { Fleeing = { speed = data.speed } }
        self.fled_speed = self.entity.Enemy.mood.speed
    end
end
"#;

#[test]
fn user_component_read_and_written_by_reflection() {
    let mut t = TestApp::new(&[("scripts/enemy.lua", SCRIPT)]);
    t.app.register_type::<Enemy>().register_type::<Score>();
    t.app.init_resource::<Score>();
    let h = t.load("scripts/enemy.lua");
    t.wait_loaded(std::slice::from_ref(&h));
    let e = t
        .app
        .world_mut()
        .spawn((
            Transform::from_xyz(1.0, 2.0, 3.0),
            Enemy {
                hp: 10,
                name: "Orc".into(),
                mood: Mood::Calm,
                target: None,
                bonus: None,
                waypoints: vec![Vec3::ZERO, Vec3::new(5.0, 0.0, 0.0)],
                loot: HashMap::from([("gold".to_string(), 3)]),
                home: Vec3::new(3.0, 4.0, 0.0),
            },
            Scripts::new(h),
        ))
        .id();
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.self_value::<i64>(e, "read_hp"), Some(10));
    assert_eq!(
        t.self_value::<String>(e, "read_name").as_deref(),
        Some("Orc")
    );
    assert_eq!(
        t.self_value::<String>(e, "read_mood").as_deref(),
        Some("Calm")
    );
    assert_eq!(t.self_value::<Option<i64>>(e, "read_target"), Some(None));
    assert_eq!(t.self_value::<f64>(e, "read_wp2x"), Some(5.0));
    assert_eq!(t.self_value::<i64>(e, "read_nwp"), Some(2));
    assert_eq!(t.self_value::<i64>(e, "read_gold"), Some(3));
    assert_eq!(t.self_value::<f64>(e, "read_home_len"), Some(5.0));
    let err1: String = t.self_value(e, "err1").expect("err1");
    assert!(err1.ends_with("Enemy has no field 'hpp'"), "{err1}");
    let err2: String = t.self_value(e, "err2").expect("err2");
    assert!(
        err2.ends_with("Transform has no field 'tranlation'"),
        "{err2}"
    );
    let err3: String = t.self_value(e, "err3").expect("err3");
    assert!(err3.contains("no variant 'Sleepy'"), "{err3}");
    assert_eq!(
        t.self_value::<String>(e, "tostr").as_deref(),
        Some("Vec3(1.0, 2.0, 3.0)")
    );
    assert_eq!(t.self_value::<bool>(e, "eq"), Some(true));

    let enemy = t.app.world().get::<Enemy>(e).expect("enemy").clone();
    assert_eq!(enemy.hp, 7);
    assert_eq!(enemy.name, "Bob");
    assert_eq!(enemy.mood, Mood::Angry);
    assert_eq!(enemy.bonus, Some(1.5));
    assert_eq!(enemy.target, Some(e));
    assert_eq!(
        enemy.waypoints,
        vec![
            Vec3::new(1.0, 2.0, 3.0),
            Vec3::new(5.0, 0.0, 0.0),
            Vec3::new(9.0, 0.0, 0.0)
        ]
    );
    assert_eq!(enemy.loot.get("gold"), Some(&13));
    assert_eq!(enemy.loot.get("gems"), Some(&2));
    assert_eq!(enemy.home, Vec3::new(4.0, 5.0, 1.0));
    assert_eq!(t.app.world().resource::<Score>().points, 5);

    t.app.world_mut().write_message(ScriptEvent::to(
        e,
        "flee",
        ScriptValue::Map(vec![("speed".into(), 2.5.into())]),
    ));
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(
        t.app.world().get::<Enemy>(e).map(|x| x.mood.clone()),
        Some(Mood::Fleeing { speed: 2.5 })
    );
    assert_eq!(t.self_value::<f64>(e, "fled_speed"), Some(2.5));
}

const TRANSFORM_SCRIPT: &str = r#"
function on_start(self)
    local t = self.entity.Transform
    -- Lanes of all three fields, read and written through the typed path.
    t.translation.x = t.translation.x + 10
    t.translation.z = 2 * t.translation.z
    t.scale.y = 4
    t.rotation.w = 0.5
    t.rotation.x = t.rotation.w
    self.read = table.concat({ t.translation.x, t.translation.y, t.translation.z,
                               t.scale.y, t.rotation.x, t.rotation.w }, " ")
    -- The same child reference each time; values and methods as on a Vec3.
    self.same_child = rawequal(t.translation, t.translation)
    self.len = t.scale:length()
    self.sum = tostring(t.translation + Vec3.new(1, 1, 1))
    -- Errors match the reflection path's.
    self.err_lane = select(2, pcall(function() return t.translation.w end))
    self.err_set = select(2, pcall(function() t.scale.x = "wide" end))
    self.err_field = select(2, pcall(function() t.rotashun = 1 end))
    -- Whole-field writes still go through reflection.
    t.scale = Vec3.new(2, 2, 2)
end

function on_event(self, name, data)
    -- The reference outlives its entity: a clear error, no panic.
    if name == "keep" then
        self.kept = world.entity(data).Transform.translation
    elseif name == "read" then
        self.err_dead = select(2, pcall(function() return self.kept.x end))
        self.err_dead_set = select(2, pcall(function() self.kept.x = 1 end))
    end
end
"#;

#[test]
fn transform_fast_path_reads_writes_and_errors_like_reflection() {
    let mut t = TestApp::new(&[("scripts/tf.lua", TRANSFORM_SCRIPT)]);
    let e = t.spawn_scripted(&["scripts/tf.lua"], Transform::from_xyz(1.0, 2.0, 3.0));
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let tf = t.transform(e);
    assert_eq!(tf.translation, Vec3::new(11.0, 2.0, 6.0));
    assert_eq!(tf.scale, Vec3::new(2.0, 2.0, 2.0));
    assert_eq!(tf.rotation.to_array(), [0.5, 0.0, 0.0, 0.5]);
    assert_eq!(
        t.self_value::<String>(e, "read").as_deref(),
        Some("11.0 2.0 6.0 4.0 0.5 0.5")
    );
    assert_eq!(t.self_value::<bool>(e, "same_child"), Some(true));
    let len = t.self_value::<f64>(e, "len").expect("len");
    assert!((len - 18f64.sqrt()).abs() < 1e-6, "{len}");
    assert_eq!(
        t.self_value::<String>(e, "sum").as_deref(),
        Some("Vec3(12.0, 3.0, 7.0)")
    );
    let err: String = t.self_value(e, "err_lane").expect("err_lane");
    assert!(err.ends_with("Vec3 has no field 'w'"), "{err}");
    let err: String = t.self_value(e, "err_set").expect("err_set");
    assert!(err.contains("cannot assign a string"), "{err}");
    let err: String = t.self_value(e, "err_field").expect("err_field");
    assert!(err.ends_with("Transform has no field 'rotashun'"), "{err}");

    // A reference to a despawned entity's transform fails cleanly.
    let other = t.app.world_mut().spawn(Transform::default()).id();
    let bits = ScriptValue::Int(other.to_bits() as i64);
    t.app
        .world_mut()
        .write_message(ScriptEvent::to(e, "keep", bits));
    t.update(1);
    t.app.world_mut().despawn(other);
    t.app
        .world_mut()
        .write_message(ScriptEvent::to(e, "read", ScriptValue::Nil));
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let err: String = t.self_value(e, "err_dead").expect("err_dead");
    assert!(err.contains("Transform"), "{err}");
    let err: String = t.self_value(e, "err_dead_set").expect("err_dead_set");
    assert!(
        err.contains("does not exist") || err.contains("Transform"),
        "{err}"
    );
}

const REUSE_SCRIPT: &str = r#"
function on_update(self, dt)
    local t = self.entity.Transform
    if t == nil then
        self.missing_frames = (self.missing_frames or 0) + 1
        return
    end
    self.same_as_last = rawequal(t, self.last)
    self.last = t
    t.translation.x = t.translation.x + 1
end
"#;

#[test]
fn transform_references_are_reused_and_follow_the_component() {
    let mut t = TestApp::new(&[("scripts/reuse.lua", REUSE_SCRIPT)]);
    let e = t.spawn_scripted(&["scripts/reuse.lua"], Transform::default());
    t.update(3);
    assert_eq!(t.self_value::<bool>(e, "same_as_last"), Some(true));
    assert_eq!(t.transform(e).translation.x, 3.0);
    // Without the component the script sees nil; inserted again, the reference works.
    t.app.world_mut().entity_mut(e).remove::<Transform>();
    t.update(2);
    assert_eq!(t.self_value::<i64>(e, "missing_frames"), Some(2));
    t.app
        .world_mut()
        .entity_mut(e)
        .insert(Transform::from_xyz(10.0, 0.0, 0.0));
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.transform(e).translation.x, 11.0);
}

const MOVED_SCRIPT: &str = r#"
function on_update(self, dt)
    self.frame = (self.frame or 0) + 1
    local t = self.entity.Transform
    local x = t.translation.x
    if self.frame == 2 then
        t.translation.z = 1
        -- A component inserted moves the entity's Transform to another table, and
        -- spawning grows (moves) storage: the typed path must find it again, not use
        -- where it was.
        self.entity:insert("Enemy", { hp = 1 })
        for i = 1, 2000 do world.spawn { Transform = { translation = Vec3.new(i, i, i) } } end
        t.translation.y = t.translation.x + 7
        self.after_spawn = t.translation.y
    end
    if self.frame == 3 then
        -- Read, then written: the write still marks the component changed.
        t.translation.x = x + 1
    end
    if self.frame == 4 then
        self.entity:remove("Transform")
        self.removed_read = select(2, pcall(function() return t.translation.x end))
        self.removed_write = select(2, pcall(function() t.translation.x = 1 end))
    end
end
"#;

#[derive(Resource, Default)]
struct ChangedFrames(Vec<u32>);

#[test]
fn typed_transform_path_follows_moves_changes_and_removal() {
    let mut t = TestApp::new(&[("scripts/moved.lua", MOVED_SCRIPT)]);
    t.app.register_type::<Enemy>();
    let e = t.spawn_scripted(&["scripts/moved.lua"], Transform::from_xyz(5.0, 0.0, 0.0));
    t.app.init_resource::<ChangedFrames>();
    t.app.add_systems(
        Last,
        move |q: Query<Entity, Changed<Transform>>,
              mut frames: ResMut<ChangedFrames>,
              mut n: Local<u32>| {
            *n += 1;
            if q.iter().any(|x| x == e) {
                frames.0.push(*n);
            }
        },
    );
    t.update(2);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.self_value::<f64>(e, "after_spawn"), Some(12.0));
    assert_eq!(t.transform(e).translation, Vec3::new(5.0, 12.0, 1.0));
    t.update(1);
    assert_eq!(t.transform(e).translation.x, 6.0);
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    // Frame 1 is the spawn; the script writes in frames 2 and 3 only.
    let frames = &t.app.world().resource::<ChangedFrames>().0;
    assert_eq!(frames, &[1, 2, 3], "frames in which the Transform changed");
    let err: String = t.self_value(e, "removed_read").expect("removed_read");
    assert!(err.contains("Transform"), "{err}");
    let err: String = t.self_value(e, "removed_write").expect("removed_write");
    assert!(err.contains("Transform"), "{err}");
}
