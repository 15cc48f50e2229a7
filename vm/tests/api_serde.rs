//! serde: round trips and error paths.

use std::collections::HashMap;

use selenite::api::{Lua, LuaValue, Serde};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
enum Behaviour {
    Idle,
    Patrol { radius: f64 },
    Chase(String),
    Path(i32, i32),
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Stats {
    hp: i64,
    speed: f64,
    resist: HashMap<String, f32>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Enemy {
    name: String,
    level: u8,
    stats: Stats,
    loot: Vec<String>,
    boss: Option<Box<Enemy>>,
    nickname: Option<String>,
    behaviours: Vec<Behaviour>,
    tags: Vec<(String, bool)>,
}

fn orc() -> Enemy {
    let mut resist = HashMap::new();
    resist.insert("fire".to_string(), 0.5);
    resist.insert("ice".to_string(), 1.25);
    Enemy {
        name: "orc".into(),
        level: 3,
        stats: Stats {
            hp: 30,
            speed: 1.0,
            resist,
        },
        loot: vec!["axe".into(), "gold".into()],
        boss: Some(Box::new(Enemy {
            name: "warlord".into(),
            level: 9,
            stats: Stats {
                hp: 300,
                speed: 0.5,
                resist: HashMap::new(),
            },
            loot: vec![],
            boss: None,
            nickname: Some("Grim".into()),
            behaviours: vec![Behaviour::Idle],
            tags: vec![],
        })),
        nickname: None,
        behaviours: vec![
            Behaviour::Idle,
            Behaviour::Patrol { radius: 4.5 },
            Behaviour::Chase("player".into()),
            Behaviour::Path(1, -2),
        ],
        tags: vec![("green".into(), true)],
    }
}

#[test]
fn round_trip_nested_struct() {
    let mut lua = Lua::new();
    let v = lua.to_value(&orc()).unwrap();
    lua.set_global("orc", v).unwrap();
    lua.collect_garbage();
    // The Lua shape.
    let checks = [
        "return orc.stats.hp == 30 and math.type(orc.stats.hp) == 'integer'",
        "return math.type(orc.stats.speed) == 'float'",
        "return orc.loot[2] == 'gold' and #orc.loot == 2",
        "return orc.boss.nickname == 'Grim' and orc.nickname == nil",
        "return orc.behaviours[1] == 'Idle'",
        "return orc.behaviours[2].Patrol.radius == 4.5",
        "return orc.behaviours[3].Chase == 'player'",
        "return orc.behaviours[4].Path[2] == -2",
        "return orc.stats.resist.ice == 1.25",
        "return orc.tags[1][1] == 'green' and orc.tags[1][2] == true",
    ];
    for src in checks {
        assert!(lua.exec::<bool>(src, "=c").unwrap(), "{src}");
    }
    let back: Enemy = {
        let v: LuaValue = lua.get_global("orc").unwrap();
        lua.from_value(v).unwrap()
    };
    assert_eq!(back, orc());
    // Values written by a script deserialize too.
    let v: LuaValue = lua
        .exec(
            "return { name = 'imp', level = 1.0, stats = { hp = 5, speed = 2, resist = {} },
                      loot = {}, behaviours = { 'Idle', { Chase = 'cat' } }, tags = {} }",
            "=s",
        )
        .unwrap();
    let imp: Enemy = lua.from_value(v).unwrap();
    assert_eq!(imp.level, 1);
    assert_eq!(imp.stats.speed, 2.0);
    assert_eq!(imp.behaviours[1], Behaviour::Chase("cat".into()));
    assert!(imp.boss.is_none());
}

#[test]
fn error_paths() {
    let mut lua = Lua::new();
    let cases = [
        (
            "return { name = 'x', level = 1, stats = { hp = 'lots', speed = 1, resist = {} }, loot = {}, behaviours = {}, tags = {} }",
            "field 'stats.hp': expected integer, got string",
        ),
        (
            "return { name = 'x', level = 300, stats = { hp = 1, speed = 1, resist = {} }, loot = {}, behaviours = {}, tags = {} }",
            "field 'level': number 300 out of range for u8",
        ),
        (
            "return { name = 'x', level = 1, stats = { hp = 1, speed = 1, resist = {} }, loot = { 'a', 5 }, behaviours = {}, tags = {} }",
            "field 'loot[2]': expected string, got number",
        ),
        (
            "return { name = 'x', level = 1, stats = { hp = 1, speed = 1, resist = { fire = true } }, loot = {}, behaviours = {}, tags = {} }",
            "field 'stats.resist.fire': expected number, got boolean",
        ),
        (
            "return { name = 'x', level = 1, stats = { hp = 1, speed = 1, resist = {} }, loot = {}, behaviours = { { Patrol = { radius = 'far' } } }, tags = {} }",
            "field 'behaviours[1].Patrol.radius': expected number, got string",
        ),
        (
            "return { name = 'x', level = 1, stats = { hp = 1, speed = 1, resist = {} }, loot = {}, behaviours = { 'Fly' }, tags = {} }",
            "field 'behaviours[1]': unknown variant `Fly`, expected one of `Idle`, `Patrol`, `Chase`, `Path`",
        ),
        (
            "return { level = 1 }",
            "missing field `name`",
        ),
    ];
    for (src, want) in cases {
        let v: LuaValue = lua.exec(src, "=e").unwrap();
        let err = lua.from_value::<Enemy>(v).unwrap_err();
        assert_eq!(err.to_string(), want, "{src}");
    }
}

#[test]
fn serde_wrapper_in_host_functions() {
    #[derive(Deserialize, Serialize)]
    struct Spawn {
        kind: String,
        at: (f64, f64),
    }
    let mut lua = Lua::new();
    let f = lua
        .create_function(|_, Serde(s): Serde<Spawn>| {
            Ok(Serde(Spawn {
                kind: s.kind.to_uppercase(),
                at: (s.at.0 + 1.0, s.at.1),
            }))
        })
        .unwrap();
    lua.set_global("spawn", f).unwrap();
    let r: String = lua
        .exec(
            "local s = spawn { kind = 'orc', at = {1, 2} } return s.kind .. s.at[1]",
            "=s",
        )
        .unwrap();
    assert_eq!(r, "ORC2.0");
    let err = lua
        .exec::<()>("spawn { kind = 1, at = {} }", "@s.lua")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "s.lua:1: bad argument #1 to 'spawn' (field 'kind': expected string, got number)"
    );
}

#[test]
fn cycles_are_errors() {
    let mut lua = Lua::new();
    let v: LuaValue = lua.exec("local t = {} t.t = t return t", "=c").unwrap();
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Node {
        t: Option<Box<Node>>,
    }
    let err = lua.from_value::<Node>(v).unwrap_err();
    assert!(err.to_string().contains("nested too deeply"), "{err}");
}
