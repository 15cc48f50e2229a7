mod common;

use bevy::prelude::*;
use bevy_selenite::prelude::*;
use common::TestApp;

#[derive(Component, Reflect, Default, Debug, Clone, PartialEq)]
#[reflect(Component, Default)]
struct Bullet {
    speed: f32,
    ttl: i32,
}

const SPAWNER: &str = r#"
function on_start(self)
    self.spawned = {}
    for i = 1, 5 do
        local e = world.spawn {
            Transform = { translation = Vec3.new(i, 0, 0) },
            Bullet = { speed = i * 2, ttl = i },
        }
        self.spawned[i] = e
    end
    local n = 0
    for e in world.query("Bullet", "Transform") do
        n = n + 1
    end
    self.counted = n
    emit("spawned", { count = n, first = self.spawned[1] })
end

function on_update(self, dt)
    local alive = 0
    for _, e in ipairs(world.query_all("Bullet")) do
        local b = e.Bullet
        b.ttl = b.ttl - 1
        e.Transform.translation.y = e.Transform.translation.y + b.speed
        if b.ttl <= 0 then
            e:despawn()
        else
            alive = alive + 1
        end
    end
    self.alive = alive
    self.has = self.entity:has("Bullet")
end
"#;

#[test]
fn world_spawn_query_and_despawn() {
    let mut t = TestApp::new(&[("scripts/spawner.lua", SPAWNER)]);
    t.app.register_type::<Bullet>();
    let e = t.spawn_scripted(&["scripts/spawner.lua"], Transform::default());
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.self_value::<i64>(e, "counted"), Some(5));
    // on_update ran once in the same frame: ttl 1 died.
    assert_eq!(t.self_value::<i64>(e, "alive"), Some(4));
    assert_eq!(t.self_value::<bool>(e, "has"), Some(false));
    let mut q = t.app.world_mut().query::<(&Bullet, &Transform)>();
    let mut bullets: Vec<(Bullet, Transform)> = q
        .iter(t.app.world())
        .map(|(b, tr)| (b.clone(), *tr))
        .collect();
    bullets.sort_by_key(|b| b.0.ttl);
    assert_eq!(bullets.len(), 4);
    assert_eq!(bullets[0].0, Bullet { speed: 4.0, ttl: 1 });
    assert_eq!(bullets[0].1.translation, Vec3::new(2.0, 4.0, 0.0));
    t.update(4);
    assert_eq!(t.self_value::<i64>(e, "alive"), Some(0));
    let left = t
        .app
        .world_mut()
        .query::<&Bullet>()
        .iter(t.app.world())
        .count();
    assert_eq!(left, 0);
    let msgs = t.messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].name, "spawned");
    assert_eq!(msgs[0].entity, e);
    assert_eq!(msgs[0].script, "scripts/spawner.lua");
    assert_eq!(msgs[0].data.get("count"), Some(&ScriptValue::Int(5)));
    assert!(matches!(
        msgs[0].data.get("first"),
        Some(ScriptValue::Entity(_))
    ));
}

const USES_HOST: &str = r#"
function on_start(self)
    self.doubled = double(21)
    self.r1 = math.random(1, 1000000)
    self.r2 = math.random()
    self.pi = math.pi
end
"#;

#[test]
fn registered_functions_and_deterministic_random() {
    let run = || {
        let mut t = TestApp::new(&[("scripts/host.lua", USES_HOST)]);
        t.app
            .register_script_function("double", |_lua, x: i64| Ok(x * 2));
        let hs = [t.load("scripts/host.lua")];
        t.wait_loaded(&hs);
        let a = t.app.world_mut().spawn(Scripts::new(hs[0].clone())).id();
        let b = t.app.world_mut().spawn(Scripts::new(hs[0].clone())).id();
        t.update(1);
        assert!(t.errors().is_empty(), "{:?}", t.errors());
        assert_eq!(t.self_value::<i64>(a, "doubled"), Some(42));
        assert!(t.self_value::<f64>(a, "pi").is_some());
        let ra: (i64, f64) = (
            t.self_value(a, "r1").expect("r1"),
            t.self_value(a, "r2").expect("r2"),
        );
        let rb: (i64, f64) = (
            t.self_value(b, "r1").expect("r1"),
            t.self_value(b, "r2").expect("r2"),
        );
        (ra, rb)
    };
    let (a1, b1) = run();
    let (a2, b2) = run();
    assert_eq!(a1, a2, "same inputs, same results");
    assert_eq!(b1, b2);
    assert_ne!(a1, b1, "instances have their own generators");
}

const MATH: &str = r#"
function on_start(self)
    local a = Vec3.new(1, 2, 3)
    local b = Vec3.new(4, 5, 6)
    self.add = tostring(a + b)
    self.sub = tostring(b - a)
    self.mul = tostring(a * 2)
    self.rmul = tostring(2 * a)
    self.div = tostring(b / 2)
    self.neg = tostring(-a)
    self.dot = a:dot(b)
    self.cross = tostring(a:cross(b))
    self.len = Vec3.new(3, 4, 0):length()
    self.norm = tostring(Vec3.new(0, 0, 5):normalize())
    self.lerp = tostring(a:lerp(b, 0.5))
    self.eq = (a == Vec3.new(1, 2, 3))
    self.zero = tostring(Vec3.ZERO)
    local z = Vec3.ZERO
    z.x = 5
    self.zero_after = tostring(Vec3.ZERO)
    local q = Quat.from_rotation_z(math.pi / 2)
    local r = q * Vec3.X
    self.rot = string.format("%.3f %.3f", r.x, r.y)
    local c = Color.rgb(1, 0.5, 0)
    self.color = tostring(c)
    self.v2 = tostring(Vec2.new(1, 2) + Vec2.ONE)
    local ok, err = pcall(function() return a + Vec2.ONE end)
    self.err = err
    local t = self.entity.Transform
    t.translation = t.translation + Vec3.new(1, 1, 1) * 2
    t.rotation = Quat.from_rotation_y(1.0)
    t.scale = { x = 2, y = 2, z = 2 }
end
"#;

#[test]
fn math_types() {
    let mut t = TestApp::new(&[("scripts/math.lua", MATH)]);
    let e = t.spawn_scripted(&["scripts/math.lua"], Transform::default());
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let s = |t: &mut TestApp, k: &str| t.self_value::<String>(e, k).unwrap_or_default();
    assert_eq!(s(&mut t, "add"), "Vec3(5.0, 7.0, 9.0)");
    assert_eq!(s(&mut t, "sub"), "Vec3(3.0, 3.0, 3.0)");
    assert_eq!(s(&mut t, "mul"), "Vec3(2.0, 4.0, 6.0)");
    assert_eq!(s(&mut t, "rmul"), "Vec3(2.0, 4.0, 6.0)");
    assert_eq!(s(&mut t, "div"), "Vec3(2.0, 2.5, 3.0)");
    assert_eq!(s(&mut t, "neg"), "Vec3(-1.0, -2.0, -3.0)");
    assert_eq!(t.self_value::<f64>(e, "dot"), Some(32.0));
    assert_eq!(s(&mut t, "cross"), "Vec3(-3.0, 6.0, -3.0)");
    assert_eq!(t.self_value::<f64>(e, "len"), Some(5.0));
    assert_eq!(s(&mut t, "norm"), "Vec3(0.0, 0.0, 1.0)");
    assert_eq!(s(&mut t, "lerp"), "Vec3(2.5, 3.5, 4.5)");
    assert_eq!(t.self_value::<bool>(e, "eq"), Some(true));
    assert_eq!(s(&mut t, "zero_after"), "Vec3(0.0, 0.0, 0.0)");
    assert_eq!(s(&mut t, "rot"), "0.000 1.000");
    assert_eq!(s(&mut t, "color"), "Color(1.0, 0.5, 0.0, 1.0)");
    assert_eq!(s(&mut t, "v2"), "Vec2(2.0, 3.0)");
    assert!(
        s(&mut t, "err").contains("Vec3 and Vec2"),
        "{}",
        s(&mut t, "err")
    );
    let tr = t.transform(e);
    assert_eq!(tr.translation, Vec3::splat(2.0));
    assert_eq!(tr.scale, Vec3::splat(2.0));
    assert!((tr.rotation.y - Quat::from_rotation_y(1.0).y).abs() < 1e-6);
}

const DESTROY: &str = r#"
function on_start(self)
    self.name = "x"
end

function on_destroy(self)
    emit("destroyed", { alive = self.entity:exists() })
end

function on_update(self, dt)
    -- globals are per instance: another instance never sees this one's
    counter = (counter or 0) + 1
    self.counter = counter
end
"#;

#[test]
fn on_destroy_runs_on_despawn_and_on_script_removal() {
    let mut t = TestApp::new(&[("scripts/d.lua", DESTROY)]);
    let a = t.spawn_scripted(&["scripts/d.lua"], Transform::default());
    let b = t.spawn_scripted(&["scripts/d.lua"], Transform::default());
    t.update(3);
    assert_eq!(t.self_value::<i64>(a, "counter"), Some(3));
    assert_eq!(t.self_value::<i64>(b, "counter"), Some(3));
    t.app.world_mut().despawn(a);
    t.app.world_mut().entity_mut(b).remove::<Scripts>();
    t.update(1);
    let msgs = t.messages();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    let alive = |e: Entity| {
        msgs.iter()
            .find(|m| m.entity == e)
            .and_then(|m| m.data.get("alive").cloned())
    };
    assert_eq!(alive(a), Some(ScriptValue::Bool(false)));
    assert_eq!(alive(b), Some(ScriptValue::Bool(true)));
    let rt = t
        .app
        .world_mut()
        .non_send_mut::<bevy_selenite::ScriptRuntime>();
    assert_eq!(rt.instance_count(), 0);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
}

const INPUT: &str = r#"
function on_update(self, dt)
    self.space = input.pressed("Space")
    self.just = input.just_pressed("Space")
    self.a = input.pressed("KeyA")
    self.mouse = input.pressed("MouseLeft")
    self.cursor = input.cursor()
    self.dt = time.delta
    local ok, err = pcall(input.pressed, "NoSuchKey")
    self.bad = err
end
"#;

#[test]
fn input_and_time_resources() {
    use bevy::input::keyboard::KeyCode;
    use bevy::input::mouse::MouseButton;
    use bevy::input::ButtonInput;
    let mut t = TestApp::new(&[("scripts/input.lua", INPUT)]);
    let mut keys = ButtonInput::<KeyCode>::default();
    keys.press(KeyCode::Space);
    t.app.insert_resource(keys);
    let e = t.spawn_scripted(&["scripts/input.lua"], Transform::default());
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.self_value::<bool>(e, "space"), Some(true));
    assert_eq!(t.self_value::<bool>(e, "just"), Some(true));
    assert_eq!(t.self_value::<bool>(e, "a"), Some(false));
    // No mouse resource: not pressed.
    assert_eq!(t.self_value::<bool>(e, "mouse"), Some(false));
    assert_eq!(t.self_value::<Option<f64>>(e, "cursor"), Some(None));
    assert_eq!(t.self_value::<f64>(e, "dt"), Some(0.1));
    let bad: String = t.self_value(e, "bad").expect("bad");
    assert!(bad.contains("unknown key 'NoSuchKey'"), "{bad}");
    t.app.insert_resource(ButtonInput::<MouseButton>::default());
    t.app
        .world_mut()
        .resource_mut::<ButtonInput<MouseButton>>()
        .press(MouseButton::Left);
    t.app
        .insert_resource(ScriptCursor(Some(Vec2::new(3.0, 4.0))));
    t.update(1);
    assert_eq!(t.self_value::<bool>(e, "mouse"), Some(true));

    // Bevy diagnostics carry the script measurements.
    let store = t
        .app
        .world()
        .resource::<bevy::diagnostic::DiagnosticsStore>();
    let instr = store
        .get(&bevy_selenite::diagnostics::INSTRUCTIONS)
        .and_then(|d| d.value());
    assert!(instr.is_some_and(|v| v > 0.0), "{instr:?}");
}

const KILLER: &str = r#"
function on_update(self, dt)
    if self.done then return end
    self.done = true
    for e in world.query("Transform") do
        if e ~= self.entity then e:despawn() end
    end
end
"#;

const VICTIM: &str = r#"
function on_start(self)
    emit("victim_started", {})
end

function on_update(self, dt)
    emit("victim_updated", {})
end

function on_destroy(self)
    emit("victim_destroyed", {})
end
"#;

#[test]
fn an_entity_despawned_mid_frame_runs_no_more_callbacks() {
    let mut t = TestApp::new(&[
        ("scripts/killer.lua", KILLER),
        ("scripts/victim.lua", VICTIM),
    ]);
    // Instances run in entity order: the killer goes on the first entity, so that its
    // victim would still be due to run in the same frame.
    let killer_script = t.load("scripts/killer.lua");
    let victim_script = t.load("scripts/victim.lua");
    t.wait_loaded(&[killer_script.clone(), victim_script.clone()]);
    let a = t.app.world_mut().spawn(Transform::default()).id();
    let b = t.app.world_mut().spawn(Transform::default()).id();
    let (killer, victim) = (a.min(b), a.max(b));
    t.app
        .world_mut()
        .entity_mut(killer)
        .insert(Scripts::new(killer_script));
    t.app
        .world_mut()
        .entity_mut(victim)
        .insert(Scripts::new(victim_script));
    t.update(3);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert!(
        t.app.world().get_entity(victim).is_err(),
        "victim despawned"
    );
    // Despawned before its first turn: neither on_start nor on_update ran, so neither
    // does on_destroy (it pairs with on_start); the instance is gone.
    let names: Vec<String> = t.messages().into_iter().map(|m| m.name).collect();
    assert!(
        names.is_empty(),
        "callbacks after the despawn ran: {names:?}"
    );
    let rt = t
        .app
        .world_mut()
        .non_send_mut::<bevy_selenite::ScriptRuntime>();
    assert_eq!(rt.instance_count(), 1);
}

const HANDLES: &str = r#"
function on_start(self)
    local mine = self.entity
    local found
    for e in world.query("Transform") do
        if e == mine then found = e end
    end
    -- Entities are values: the same entity from two sources is equal, and a table key.
    self.same_entity = found ~= nil and rawequal(found, mine)
    local seen = {}
    seen[mine] = "me"
    self.keyed = seen[found] == "me"
    self.entity_type = type(mine)
    self.entity_text = tostring(mine):sub(1, 7)
    -- References to the same place are equal, and compare by value across entities.
    local t = mine.Transform
    self.same_ref = rawequal(t, mine.Transform) and rawequal(t.translation, t.translation)
    local other = world.spawn { Transform = { translation = Vec3.new(4, 5, 6) } }
    self.equal_values = other.Transform.translation == Vec3.new(4, 5, 6)
        and t.translation ~= other.Transform.translation
    t.translation = other.Transform.translation
    self.copied = t.translation == other.Transform.translation
    self.ref_text = tostring(t.scale)
    other:despawn()
    local ok, err = pcall(function() return other.Transform end)
    self.dead = not ok and err
end
"#;

#[test]
fn entities_and_transform_references_are_values() {
    let mut t = TestApp::new(&[("scripts/handles.lua", HANDLES)]);
    let e = t.spawn_scripted(&["scripts/handles.lua"], Transform::default());
    t.update(1);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    for key in ["same_entity", "keyed", "same_ref", "equal_values", "copied"] {
        assert_eq!(t.self_value::<bool>(e, key), Some(true), "{key}");
    }
    assert_eq!(
        t.self_value::<String>(e, "entity_type").as_deref(),
        Some("userdata")
    );
    assert_eq!(
        t.self_value::<String>(e, "entity_text").as_deref(),
        Some("Entity(")
    );
    assert_eq!(
        t.self_value::<String>(e, "ref_text").as_deref(),
        Some("Vec3(1.0, 1.0, 1.0)")
    );
    let dead = t.self_value::<String>(e, "dead").unwrap_or_default();
    assert!(dead.contains("does not exist"), "{dead}");
    let tr = t
        .app
        .world()
        .get::<Transform>(e)
        .copied()
        .unwrap_or_default();
    assert_eq!(tr.translation, Vec3::new(4.0, 5.0, 6.0));
}

const CROWD: &str = r#"
function on_start(self)
    for e in world.query("Transform") do
        if e.Transform.translation.x == 100 then self.board = e end
    end
end

function on_update(self, dt)
    self.updates = (self.updates or 0) + 1
    -- Counts on the board: crowd members in their second (y) and third (z) update.
    local board = self.board.Transform.translation
    if self.updates == 2 then board.y = board.y + 1 end
    if self.updates == 3 then board.z = board.z + 1 end
    -- The killer (x = 1) despawns the two at x = 0 in its third update.
    if self.updates == 3 and self.entity.Transform.translation.x == 1 then
        for e in world.query("Transform") do
            if e.Transform.translation.x == 0 then e:despawn() end
        end
    end
end
"#;

const SNIPER: &str = r#"
function on_update(self, dt)
    self.updates = (self.updates or 0) + 1
    -- In its second update, before the crowd's batch runs: the crowd member at x = 2.
    if self.updates == 2 then
        for e in world.query("Transform") do
            if e.Transform.translation.x == 2 then e:despawn() end
        end
    end
end
"#;

#[test]
fn a_batch_skips_entities_despawned_before_their_turn() {
    // Instances run in entity order, consecutive instances of one script as one batch.
    // The sniper (another script, first) despawns the crowd's first member before the
    // crowd's batch starts; the crowd's killer despawns the two members after it from
    // inside the batch. Neither kind of victim runs once it is gone.
    let mut t = TestApp::new(&[("scripts/crowd.lua", CROWD), ("scripts/sniper.lua", SNIPER)]);
    let crowd = t.load("scripts/crowd.lua");
    let sniper = t.load("scripts/sniper.lua");
    t.wait_loaded(&[crowd.clone(), sniper.clone()]);
    let board = t
        .app
        .world_mut()
        .spawn(Transform::from_xyz(100.0, 0.0, 0.0))
        .id();
    let mut all: Vec<Entity> = (0..5)
        .map(|_| t.app.world_mut().spawn(Transform::default()).id())
        .collect();
    // By entity order: the sniper, its victim (x = 2), the killer (x = 1), two more.
    all.sort();
    for (i, &e) in all.iter().enumerate() {
        let script = if i == 0 {
            sniper.clone()
        } else {
            crowd.clone()
        };
        let x = [0.0, 2.0, 1.0, 0.0, 0.0][i];
        t.app
            .world_mut()
            .entity_mut(e)
            .insert((Transform::from_xyz(x, 0.0, 0.0), Scripts::new(script)));
    }
    t.update(6);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let counts = t.transform(board).translation;
    assert_eq!(
        counts.y, 3.0,
        "second updates (the sniper's victim ran if 4)"
    );
    assert_eq!(
        counts.z, 1.0,
        "third updates (the killer's victims ran if 3)"
    );
    assert!(t.app.world().get_entity(all[1]).is_err());
    assert!(all[3..]
        .iter()
        .all(|&e| t.app.world().get_entity(e).is_err()));
}
