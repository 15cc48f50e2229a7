//! The LuaLS definitions (`bevy_selenite::luals`): API classes, reflected components and
//! their Lua types, valid Lua syntax, every API entry present in the real runtime, and the
//! file written at start-up.
mod common;

use std::collections::HashMap;

use bevy::prelude::*;
use bevy_selenite::prelude::*;
use bevy_selenite::selenite;
use common::TestApp;

#[derive(Reflect, Default, Debug, Clone)]
enum Mode {
    #[default]
    Idle,
    Run,
}

#[derive(Reflect, Default, Debug, Clone)]
enum State {
    #[default]
    Idle,
    Walking {
        speed: f32,
    },
    Carrying(Entity),
}

#[derive(Reflect, Default, Debug, Clone)]
struct Item {
    name: String,
    weight: f32,
}

#[derive(Component, Reflect, Default, Debug, Clone)]
#[reflect(Component, Default)]
struct Health {
    hp: i32,
    max: f32,
    label: String,
    alive: bool,
    target: Option<Entity>,
    bonus: Option<f64>,
    pos: Vec3,
    tint: Color,
}

#[derive(Component, Reflect, Default, Debug, Clone)]
#[reflect(Component, Default)]
struct Inventory {
    items: Vec<Item>,
    counts: HashMap<String, u32>,
    slots: [u8; 3],
    best: Option<Item>,
    mode: Mode,
    state: State,
    pair: (i32, String),
    path: Vec<Vec2>,
}

#[derive(Component, Reflect, Default, Debug, Clone)]
#[reflect(Component, Default)]
struct Speed(f32);

#[derive(Resource, Reflect, Default, Debug)]
#[reflect(Resource, Default)]
struct Score {
    points: i64,
}

fn app() -> App {
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin::default(),
        SelenitePlugin::default(),
    ))
    .register_type::<Health>()
    .register_type::<Inventory>()
    .register_type::<Speed>()
    .register_type::<Score>();
    app
}

fn has(text: &str, needle: &str) {
    assert!(
        text.contains(needle),
        "definitions lack {needle:?}; they are:\n{text}"
    );
}

#[test]
fn api_classes_are_defined() {
    let text = bevy_selenite::luals::definitions(app().world());
    assert!(text.starts_with("---@meta"));
    for needle in [
        "---@class Entity\n",
        "function Entity:get(name) end",
        "function Entity:set(name, value) end",
        "function Entity:despawn() end",
        "function world.spawn(components) end",
        "function world.query(...) end",
        "function world.resource(name) end",
        "---@class Time\n",
        "function input.pressed(key) end",
        "function log.warn(...) end",
        "function emit(name, data) end",
        "function wait(seconds) end",
        "function wait_frames(n) end",
        "function wait_until(condition) end",
        "function on_update(self, dt) end",
        "function on_fixed_update(self, dt) end",
        "function on_event(self, name, data) end",
        "function on_reload(self) end",
        "---@class Vec3\n",
        "---@operator add(Vec3): Vec3",
        "---@operator mul(Vec3): Vec3",
        "---@operator mul(number): Vec3",
        "---@operator unm: Vec3",
        "---@operator mul(Vec3): Vec3\n---@operator mul(number): Quat",
        "function Quat.from_rotation_z(angle) end",
        "function Color.hex(hex) end",
        "---@field NEG_Z Vec3",
        "---| \"Space\"",
        "---| \"KeyA\"",
        "---| \"ArrowLeft\"",
    ] {
        has(&text, needle);
    }
}

#[test]
fn components_and_field_types() {
    let text = bevy_selenite::luals::definitions(app().world());
    has(
        &text,
        "---@class Health\n---@field hp integer\n---@field max number\n---@field label string\n\
         ---@field alive boolean\n---@field target Entity|nil\n---@field bonus number|nil\n\
         ---@field pos Vec3\n---@field tint Color\n",
    );
    // Nested struct, map, array, option of a struct, enums, tuple, list of math values.
    has(
        &text,
        "---@class Inventory\n---@field items Item[]\n---@field counts table<string, integer>\n\
         ---@field slots integer[]\n---@field best Item|nil\n---@field mode Mode\n\
         ---@field state State\n---@field pair [integer, string]\n---@field path Vec2[]\n",
    );
    has(
        &text,
        "---@class Item\n---@field name string\n---@field weight number\n",
    );
    has(&text, "---@alias Mode\n---| \"Idle\"\n---| \"Run\"\n");
    has(&text, "---@class State.Walking\n---@field speed number\n");
    has(&text, "---@class State.Carrying\n---@field [1] Entity\n");
    has(
        &text,
        "---@alias State\n---| \"Idle\"\n---| State.Walking\n---| { Walking: State.Walking|table }\n\
         ---| State.Carrying\n---| { Carrying: Entity }\n",
    );
    // Tuple struct, resource, Bevy's Transform.
    has(&text, "---@class Speed\n---@field [1] number\n");
    has(&text, "---@class Score\n---@field points integer\n");
    has(
        &text,
        "---@class Transform\n---@field translation Vec3\n---@field rotation Quat\n---@field scale Vec3\n",
    );
    // Access by name on entities, names for `get`/`query`, spawn tables.
    has(&text, "---@field Health Health\n");
    has(&text, "---@field Transform Transform\n");
    has(&text, "---| \"Inventory\"\n");
    has(&text, "---@alias ResourceName\n");
    has(&text, "---| \"Score\"\n");
    has(&text, "---@field Speed? Speed|table\n");
    // Not components: no entity field.
    assert!(!text.contains("---@field Item Item"));
    assert!(!text.contains("---@field Score Score"), "{text}");
}

#[test]
fn definitions_are_valid_lua() {
    let text = bevy_selenite::luals::definitions(app().world());
    let mut lua = selenite::api::Lua::new();
    let f = lua
        .load(&text, "@selenite.d.lua")
        .unwrap_or_else(|e| panic!("definitions do not compile: {e}"));
    // Running it only defines stubs.
    f.call::<_, ()>(&mut lua, ())
        .unwrap_or_else(|e| panic!("definitions do not run: {e}"));
}

/// A Lua table of what the definitions declare: `{kind, owner, name}`.
fn declared(text: &str) -> String {
    let mut out = String::from("return {\n");
    let mut lib: Option<String> = None;
    let mut time_class = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("function ") {
            let name = rest.split('(').next().unwrap_or("");
            let (owner, member, sep) = if let Some((o, m)) = name.split_once(':') {
                (o, m, ":")
            } else if let Some((o, m)) = name.split_once('.') {
                (o, m, ".")
            } else {
                ("_G", name, ".")
            };
            out.push_str(&format!("{{{sep:?}, {owner:?}, {member:?}}},\n"));
        }
        if let Some(class) = line.strip_prefix("---@class ") {
            lib = class
                .strip_prefix("selenite.")
                .and_then(|c| c.strip_suffix("Lib"))
                .map(str::to_string);
            time_class = class == "Time";
        } else if let Some(field) = line.strip_prefix("---@field ") {
            let mut parts = field.split_whitespace();
            let (name, ty) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            if let Some(l) = &lib {
                out.push_str(&format!("{{\"const\", {l:?}, {name:?}, {ty:?}}},\n"));
            } else if time_class {
                out.push_str(&format!("{{\"time\", \"time\", {name:?}}},\n"));
            }
        } else if !line.starts_with("---") {
            lib = None;
            time_class = false;
        }
    }
    out.push_str("}\n");
    out
}

const CHECK: &str = r#"
local checks = require("checks")
local values = {
    Vec2v = Vec2.new(1, 2), Vec3v = Vec3.new(1, 2, 3), Vec4v = Vec4.new(1, 2, 3, 4),
    Quatv = Quat.from_rotation_z(0.5), Colorv = Color.rgb(1, 0.5, 0),
}
local mods_only = { on_unload = true, storage = true, mod = true }
function on_start(self)
    local missing = {}
    local n = 0
    for _, c in ipairs(checks) do
        local kind, owner, name = c[1], c[2], c[3]
        local ok
        if kind == "const" then
            local v = _G[owner][name]
            ok = v ~= nil and tostring(v):sub(1, #c[4] + 1) == c[4] .. "("
        elseif kind == "time" then
            ok = type(time[name]) == "number"
        elseif owner == "_G" then
            -- Callbacks are defined by scripts, mod globals only exist in mods.
            ok = name:sub(1, 3) == "on_" or mods_only[name] or type(_G[name]) == "function"
        elseif owner == "Entity" then
            ok = type(self.entity[name]) == "function"
        elseif values[owner] then
            local v = values[owner]
            local arg = (name == "clamp_length" or name == "with_alpha") and 1 or v
            ok = pcall(v[name], v, arg, 0.5)
        elseif mods_only[owner] then
            ok = true
        else
            ok = type(_G[owner]) ~= "nil" and type(_G[owner][name]) == "function"
        end
        n = n + 1
        if not ok then missing[#missing + 1] = owner .. c[1] .. name end
    end
    emit("checked", { missing = table.concat(missing, " "), n = n })
end
"#;

#[test]
fn every_declared_entry_exists_and_the_file_is_written_at_startup() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("types/selenite.d.lua");
    let checks = declared(&bevy_selenite::luals::definitions(app().world()));
    let settings = SeleniteSettings {
        lua_definitions: Some(out.clone()),
        ..default()
    };
    let mut t = TestApp::with_settings(
        &[
            ("scripts/check.lua", CHECK),
            ("checks.lua", checks.as_str()),
        ],
        settings,
    );
    t.app.register_type::<Health>().register_type::<Score>();
    t.spawn_scripted(&["scripts/check.lua"], Transform::default());
    t.update(3);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let msgs = t.messages();
    let m = msgs.iter().find(|m| m.name == "checked").expect("checked");
    assert_eq!(m.data.get("missing").and_then(|v| v.as_str()), Some(""));
    assert!(m.data.get("n").and_then(|v| v.as_f64()).unwrap_or(0.0) > 100.0);

    let written = std::fs::read_to_string(&out).expect("definitions written at start-up");
    assert!(written.contains("---@class Health\n"));
    assert!(written.contains("---@class Score\n"));
    assert_eq!(written, bevy_selenite::luals::definitions(t.app.world()));
}
