//! The world as scripts see it: entities, `world.*`, `time`, `input`, `log`, `emit`.
//!
//! Host functions reach the [`World`] through [`with_world`], which works only while the
//! script runner is running scripts (it lends the runner's `&mut World` for that time).

use std::any::TypeId;
use std::cell::{Cell, RefCell};

use bevy::ecs::reflect::{AppTypeRegistry, ReflectComponent, ReflectResource};
use bevy::input::keyboard::KeyCode;
use bevy::input::mouse::MouseButton;
use bevy::input::ButtonInput;
use bevy::prelude::{Entity, Time, Transform, World};
use bevy::reflect::enums::{DynamicEnum, DynamicVariant};
use bevy::reflect::{FromReflect, TypeRegistry};
use selenite::api::{
    Error, FromLua, IntoLua, Lua, LuaValue, MetaMethod, Result, Table, UserData, UserDataMethods,
    Variadic,
};
use selenite::Value;

pub use crate::lend::with_world;

use crate::events::{ScriptMessage, ScriptValue};
use crate::reflect::{apply, bad_argument, build_component, CompRef, KeyStr, LuaData, Root};

thread_local! {
    /// The running instance's entity and script, kept apart so that a batch of one
    /// script's instances sets only the entity per callback.
    static CURRENT_ENTITY: Cell<Option<Entity>> = const { Cell::new(None) };
    static CURRENT_SCRIPT: RefCell<Option<std::sync::Arc<str>>> = const { RefCell::new(None) };
}

/// `entity.Transform` for scripts: a [`crate::reflect::TransformRef`] host value (nothing
/// allocated), or nil when the entity has no `Transform`.
fn transform_ref(lua: &mut Lua, e: Entity) -> Result<Value> {
    match crate::lend::read_transform(e, |_| ()) {
        Ok(()) => {}
        Err(crate::lend::Lack::World) => return Err(crate::lend::no_world()),
        Err(crate::lend::Lack::Transform) => return Ok(Value::Nil),
        Err(crate::lend::Lack::Entity) => return Err(crate::reflect::dead(e)),
    }
    crate::reflect::TransformRef::<0>(e).into_lua(lua)
}

/// The script instance currently running (for `print`, `log`, `emit`, errors).
#[derive(Clone, Debug)]
pub struct Current {
    pub entity: Entity,
    pub script: std::sync::Arc<str>,
}

/// Sets the running instance (for logging and `emit`).
pub(crate) fn set_current(c: Option<Current>) {
    match c {
        Some(c) => set_current_instance(c.entity, &c.script),
        None => {
            CURRENT_ENTITY.set(None);
            CURRENT_SCRIPT.with(|s| *s.borrow_mut() = None);
        }
    }
}

/// Sets the running instance; the script only if it is not the one set already.
pub(crate) fn set_current_instance(entity: Entity, script: &std::sync::Arc<str>) {
    CURRENT_ENTITY.set(Some(entity));
    CURRENT_SCRIPT.with(|s| {
        let mut s = s.borrow_mut();
        if !s
            .as_ref()
            .is_some_and(|now| std::sync::Arc::ptr_eq(now, script))
        {
            *s = Some(script.clone());
        }
    });
}

/// The running instance, if any.
pub fn current() -> Option<Current> {
    let entity = CURRENT_ENTITY.get()?;
    let script = CURRENT_SCRIPT.with(|s| s.borrow().clone())?;
    Some(Current { entity, script })
}

fn script_name() -> std::sync::Arc<str> {
    current()
        .map(|c| c.script)
        .unwrap_or_else(|| "script".into())
}

/// An entity as a script value: `entity.Transform`, `entity:get("Health")`...
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LuaEntity(pub Entity);

/// A component type found by name.
pub(crate) fn component_type(reg: &TypeRegistry, name: &str) -> Result<(TypeId, &'static str)> {
    let r = reg
        .get_with_short_type_path(name)
        .or_else(|| reg.get_with_type_path(name))
        .ok_or_else(|| {
            Error::runtime(format!(
                "unknown component '{name}' (derive Reflect with #[reflect(Component)] and register the type)"
            ))
        })?;
    if r.data::<ReflectComponent>().is_none() {
        return Err(Error::runtime(format!(
            "'{name}' is not a component (missing #[reflect(Component)])"
        )));
    }
    Ok((r.type_id(), r.type_info().type_path_table().short_path()))
}

fn registry(world: &World) -> Result<AppTypeRegistry> {
    world
        .get_resource::<AppTypeRegistry>()
        .cloned()
        .ok_or_else(|| Error::runtime("no AppTypeRegistry in the world"))
}

fn has_component(world: &World, entity: Entity, type_id: TypeId) -> Result<bool> {
    let e = world
        .get_entity(entity)
        .map_err(|_| crate::reflect::dead(entity))?;
    Ok(e.contains_type_id(type_id))
}

impl LuaEntity {
    /// `entity.Name` / `entity:get("Name")`: a reference to the component, `nil` when the
    /// entity lacks it (`Transform`'s is a host value, see [`crate::reflect::TransformRef`]).
    fn component(&self, lua: &mut Lua, name: &KeyStr) -> Result<Value> {
        // Compared as bytes: the hot path skips the UTF-8 check of `as_str`.
        if name.as_bytes() == b"Transform" {
            return transform_ref(lua, self.0);
        }
        match self.lookup(name.as_str())? {
            Some(r) => r.into_lua(lua),
            None => Ok(Value::Nil),
        }
    }

    fn lookup(&self, name: &str) -> Result<Option<CompRef>> {
        let e = self.0;
        if name == "Transform" {
            let has = with_world(|w| has_component(w, e, TypeId::of::<Transform>()))??;
            return Ok(has.then(|| CompRef::component(e, TypeId::of::<Transform>(), "Transform")));
        }
        with_world(|w| {
            let registry = registry(w)?;
            let reg = registry.read();
            let (tid, short) = component_type(&reg, name)?;
            Ok(has_component(w, e, tid)?.then(|| CompRef::component(e, tid, short)))
        })?
    }

    /// `entity:set(name, value)`: updates the component (given fields only, for a table)
    /// or inserts it (built from the value, missing fields from `Default`).
    fn set(&self, lua: &mut Lua, name: &str, value: LuaValue) -> Result<()> {
        let data = LuaData::from_lua_value(lua, value, 0)?;
        insert_or_apply(self.0, name, &data)
    }
}

pub(crate) fn insert_or_apply(entity: Entity, name: &str, data: &LuaData) -> Result<()> {
    crate::mods::check_write(name)?;
    let existing = with_world(|w| -> Result<Option<(TypeId, &'static str)>> {
        let registry = registry(w)?;
        let reg = registry.read();
        let (tid, short) = component_type(&reg, name)?;
        Ok(has_component(w, entity, tid)?.then_some((tid, short)))
    })??;
    if let Some((tid, short)) = existing {
        let r = CompRef::component(entity, tid, short);
        return r.write(|v, reg| apply(data, v, reg));
    }
    with_world(|w| {
        let registry = registry(w)?;
        let reg = registry.read();
        let (tid, _) = component_type(&reg, name)?;
        let value = build_component(data, tid, &reg)?;
        let rc = reg
            .get_type_data::<ReflectComponent>(tid)
            .ok_or_else(|| Error::runtime(format!("'{name}' is not a component")))?;
        let mut em = w
            .get_entity_mut(entity)
            .map_err(|_| crate::reflect::dead(entity))?;
        rc.insert(&mut em, value.as_partial_reflect(), &reg);
        Ok(())
    })?
}

impl UserData for LuaEntity {
    const HOST_VALUE: bool = true;

    fn type_name() -> &'static str {
        "Entity"
    }

    fn host_bits(&self) -> u64 {
        self.0.to_bits()
    }

    fn from_host_bits(bits: u64) -> Option<Self> {
        Entity::try_from_bits(bits).map(LuaEntity)
    }

    // `entity.Transform` before the metatable; other names go through `__index`.
    const HOST_FIELDS: bool = true;

    fn host_get(&self, lua: &mut Lua, key: Value) -> Result<Option<Value>> {
        if key.as_str() == Some(b"Transform") {
            return transform_ref(lua, self.0).map(Some);
        }
        Ok(None)
    }

    // `entity.Transform` straight from the instruction when the entity has one and no
    // mod permissions apply.
    const HOST_LEAF: bool = true;

    fn host_get_leaf(&self, lua: &Lua, key: Value) -> Option<Value> {
        if key.as_str() != Some(b"Transform") || crate::mods::any_active() {
            return None;
        }
        crate::lend::read_transform(self.0, |_| ()).ok()?;
        lua.known_host_value(&crate::reflect::TransformRef::<0>(self.0))
    }

    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_method("get", |lua, this, name: KeyStr| this.component(lua, &name));
        methods.add_method("has", |_, this, name: String| {
            Ok(this.lookup(&name)?.is_some())
        });
        methods.add_method("set", |lua, this, (name, value): (String, LuaValue)| {
            this.set(lua, &name, value)
        });
        methods.add_method("insert", |lua, this, (name, value): (String, LuaValue)| {
            this.set(lua, &name, value)
        });
        methods.add_method("remove", |_, this, name: String| {
            crate::mods::check_write(&name)?;
            let e = this.0;
            with_world(|w| {
                let registry = registry(w)?;
                let reg = registry.read();
                let (tid, _) = component_type(&reg, &name)?;
                let rc = reg
                    .get_type_data::<ReflectComponent>(tid)
                    .ok_or_else(|| Error::runtime("not a component"))?;
                let mut em = w.get_entity_mut(e).map_err(|_| crate::reflect::dead(e))?;
                let had = em.contains_type_id(tid);
                rc.remove(&mut em);
                Ok(had)
            })?
        });
        methods.add_method("despawn", |_, this, ()| {
            crate::mods::check_despawn()?;
            let e = this.0;
            with_world(|w| w.despawn(e))
        });
        methods.add_method("exists", |_, this, ()| {
            let e = this.0;
            with_world(|w| w.get_entity(e).is_ok())
        });
        methods.add_method("id", |_, this, ()| Ok(this.0.to_bits() as i64));
        methods.add_meta_index_raw(|lua, this, name| {
            let name = KeyStr::from_lua(name, lua).map_err(|e| bad_argument(2, e))?;
            this.component(lua, &name)
        });
        methods.add_meta_method(
            MetaMethod::NewIndex,
            |lua, this, (name, value): (String, LuaValue)| this.set(lua, &name, value),
        );
        methods.add_meta_function(MetaMethod::Eq, |_, (a, b): (LuaEntity, LuaEntity)| {
            Ok(a == b)
        });
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(format!("Entity({})", this.0))
        });
    }
}

/// `world.query(...)`: entities having all the named components, in entity order.
fn query(names: &[String]) -> Result<Vec<Entity>> {
    for n in names {
        crate::mods::check_read(n)?;
    }
    with_world(|w| {
        let registry = registry(w)?;
        let reg = registry.read();
        let mut ids = Vec::with_capacity(names.len());
        for n in names {
            let (tid, short) = component_type(&reg, n)?;
            match w.components().get_id(tid) {
                Some(id) => ids.push(id),
                // Never inserted anywhere: no entity can match.
                None => {
                    let _ = short;
                    return Ok(Vec::new());
                }
            }
        }
        drop(reg);
        let mut builder = bevy::ecs::query::QueryBuilder::<Entity>::new(w);
        for id in ids {
            builder.with_id(id);
        }
        let mut state = builder.build();
        let mut out: Vec<Entity> = state.iter(w).collect();
        out.sort();
        Ok(out)
    })?
}

fn key_code(reg: &TypeRegistry, name: &str) -> Result<KeyCode> {
    let _ = reg;
    let d = DynamicEnum::new(name, DynamicVariant::Unit);
    KeyCode::from_reflect(&d).ok_or_else(|| Error::runtime(format!("unknown key '{name}'")))
}

fn mouse_button(name: &str) -> Option<MouseButton> {
    Some(match name {
        "MouseLeft" | "Left" => MouseButton::Left,
        "MouseRight" | "Right" => MouseButton::Right,
        "MouseMiddle" | "Middle" => MouseButton::Middle,
        "MouseBack" | "Back" => MouseButton::Back,
        "MouseForward" | "Forward" => MouseButton::Forward,
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum Press {
    Pressed,
    Just,
    Released,
}

fn input_state(name: &str, which: Press) -> Result<bool> {
    with_world(|w| {
        if let Some(b) = name.strip_prefix("Mouse").and_then(|_| mouse_button(name)) {
            let Some(inp) = w.get_resource::<ButtonInput<MouseButton>>() else {
                return Ok(false);
            };
            return Ok(match which {
                Press::Pressed => inp.pressed(b),
                Press::Just => inp.just_pressed(b),
                Press::Released => inp.just_released(b),
            });
        }
        let registry = registry(w)?;
        let key = key_code(&registry.read(), name)?;
        let Some(inp) = w.get_resource::<ButtonInput<KeyCode>>() else {
            return Ok(false);
        };
        Ok(match which {
            Press::Pressed => inp.pressed(key),
            Press::Just => inp.just_pressed(key),
            Press::Released => inp.just_released(key),
        })
    })?
}

/// Where scripts read the mouse cursor (in window pixels): set it from a system of yours
/// (e.g. from `Window::cursor_position`) when you have a window; headless it stays `None`.
#[derive(bevy::prelude::Resource, Default, Clone, Copy, Debug)]
pub struct ScriptCursor(pub Option<bevy::math::Vec2>);

/// `time.delta` / `time.elapsed` / `time.frame`.
struct LuaTime;

impl UserData for LuaTime {
    fn type_name() -> &'static str {
        "Time"
    }
    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_meta_method(MetaMethod::Index, |_, _, key: String| {
            with_world(|w| {
                let t = w.get_resource::<Time>();
                Ok(match key.as_str() {
                    "delta" => t.map(|t| t.delta_secs_f64()).unwrap_or(0.0),
                    "elapsed" => t.map(|t| t.elapsed_secs_f64()).unwrap_or(0.0),
                    "frame" => w
                        .get_resource::<bevy::diagnostic::FrameCount>()
                        .map(|f| f.0 as f64)
                        .unwrap_or(0.0),
                    _ => return Err(Error::runtime(format!("time has no field '{key}'"))),
                })
            })?
        });
    }
}

fn log_args(lua: &mut Lua, args: Variadic<LuaValue>) -> Result<String> {
    let tostring: selenite::api::Function = lua.get_global("tostring")?;
    let mut parts = Vec::with_capacity(args.0.len());
    for a in args.0 {
        parts.push(tostring.call::<_, String>(lua, a)?);
    }
    Ok(parts.join("\t"))
}

/// Installs `world`, `time`, `input`, `log`, `emit` and the `print` hook.
pub(crate) fn install(lua: &mut Lua) -> Result<()> {
    // world
    let w = lua.create_table()?;
    let spawn = lua.create_function(|lua, comps: Option<Table>| {
        crate::mods::check_spawn()?;
        let pairs: Vec<(String, LuaValue)> = match comps {
            Some(t) => t.pairs(lua)?,
            None => Vec::new(),
        };
        let mut data = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            data.push((k, LuaData::from_lua_value(lua, v, 0)?));
        }
        // Deterministic insertion order whatever the table's layout.
        data.sort_by(|a, b| a.0.cmp(&b.0));
        let by_mod = crate::mods::active_mod();
        let e = with_world(|w| match by_mod {
            Some(id) => w.spawn(crate::mods::SpawnedByMod(id)).id(),
            None => w.spawn_empty().id(),
        })?;
        for (name, d) in &data {
            if let Err(err) = insert_or_apply(e, name, d) {
                let _ = with_world(|w| w.despawn(e));
                return Err(err);
            }
        }
        Ok(LuaEntity(e))
    })?;
    w.raw_set(lua, "spawn", spawn)?;
    let despawn = lua.create_function(|_, e: LuaEntity| {
        crate::mods::check_despawn()?;
        with_world(|w| w.despawn(e.0))
    })?;
    w.raw_set(lua, "despawn", despawn)?;
    let q = lua.create_function(|lua, Variadic(names): Variadic<String>| {
        let list = query(&names)?;
        let mut it = list.into_iter();
        lua.create_function_mut(move |_, ()| Ok(it.next().map(LuaEntity)))
    })?;
    w.raw_set(lua, "query", q)?;
    let all = lua.create_function(|_, Variadic(names): Variadic<String>| {
        Ok(query(&names)?
            .into_iter()
            .map(LuaEntity)
            .collect::<Vec<_>>())
    })?;
    w.raw_set(lua, "query_all", all)?;
    let res = lua.create_function(|_, name: String| {
        with_world(|w| {
            let registry = registry(w)?;
            let reg = registry.read();
            let r = reg
                .get_with_short_type_path(&name)
                .or_else(|| reg.get_with_type_path(&name))
                .filter(|r| r.data::<ReflectResource>().is_some())
                .ok_or_else(|| {
                    Error::runtime(format!(
                        "unknown resource '{name}' (derive Reflect with #[reflect(Resource)] and register the type)"
                    ))
                })?;
            let type_id = r.type_id();
            let short = r.type_info().type_path_table().short_path();
            let exists = w
                .components()
                .get_id(type_id)
                .and_then(|id| w.resource_entities().get(id))
                .is_some();
            Ok(exists.then(|| {
                CompRef::new(Root::Resource {
                    type_id,
                    name: short,
                })
            }))
        })?
    })?;
    w.raw_set(lua, "resource", res)?;
    let entity = lua.create_function(|_, bits: i64| {
        let e = Entity::try_from_bits(bits as u64)
            .ok_or_else(|| Error::runtime(format!("invalid entity id {bits}")))?;
        Ok(with_world(|w| w.get_entity(e).is_ok())?.then_some(LuaEntity(e)))
    })?;
    w.raw_set(lua, "entity", entity)?;
    lua.freeze(&w)?;
    lua.set_global("world", w)?;

    // time
    lua.set_global("time", LuaTime)?;

    // input
    let input = lua.create_table()?;
    let pressed = lua.create_function(|_, k: String| input_state(&k, Press::Pressed))?;
    input.raw_set(lua, "pressed", pressed)?;
    let just = lua.create_function(|_, k: String| input_state(&k, Press::Just))?;
    input.raw_set(lua, "just_pressed", just)?;
    let rel = lua.create_function(|_, k: String| input_state(&k, Press::Released))?;
    input.raw_set(lua, "just_released", rel)?;
    let cursor = lua.create_function(|_, ()| {
        let c = with_world(|w| w.get_resource::<ScriptCursor>().and_then(|c| c.0))?;
        Ok(c.map(crate::math::LuaVec2))
    })?;
    input.raw_set(lua, "cursor", cursor)?;
    lua.freeze(&input)?;
    lua.set_global("input", input)?;

    // log
    let log = lua.create_table()?;
    let info = lua.create_function(|lua, args: Variadic<LuaValue>| {
        let msg = log_args(lua, args)?;
        bevy::log::info!(target: "selenite::script", "{}: {msg}", script_name());
        Ok(())
    })?;
    log.raw_set(lua, "info", info)?;
    let warn = lua.create_function(|lua, args: Variadic<LuaValue>| {
        let msg = log_args(lua, args)?;
        bevy::log::warn!(target: "selenite::script", "{}: {msg}", script_name());
        Ok(())
    })?;
    log.raw_set(lua, "warn", warn)?;
    let error = lua.create_function(|lua, args: Variadic<LuaValue>| {
        let msg = log_args(lua, args)?;
        bevy::log::error!(target: "selenite::script", "{}: {msg}", script_name());
        Ok(())
    })?;
    log.raw_set(lua, "error", error)?;
    let debug = lua.create_function(|lua, args: Variadic<LuaValue>| {
        let msg = log_args(lua, args)?;
        bevy::log::debug!(target: "selenite::script", "{}: {msg}", script_name());
        Ok(())
    })?;
    log.raw_set(lua, "debug", debug)?;
    lua.freeze(&log)?;
    lua.set_global("log", log)?;

    lua.set_print_hook(|bytes| {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        bevy::log::info!(target: "selenite::script", "{}: {text}", script_name());
    });

    // emit
    let emit = lua.create_function(|_, (name, data): (String, ScriptValue)| {
        let Some(cur) = current() else {
            return Err(Error::runtime("emit called outside of a script callback"));
        };
        with_world(|w| {
            w.write_message(ScriptMessage {
                entity: cur.entity,
                script: cur.script.to_string(),
                name,
                data,
            });
        })
    })?;
    lua.set_global("emit", emit)?;
    Ok(())
}
