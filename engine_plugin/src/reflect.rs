//! Components and resources as script values, through `bevy_reflect`.
//!
//! [`CompRef`] is a userdata naming a place in the world: a component of an entity (or a
//! resource) plus a path of fields inside it. Reading a field gives a Lua value for plain
//! data (numbers, booleans, strings, unit enum variants, `Option::None` as `nil`,
//! entities) and another `CompRef` for anything with fields (structs, lists, maps, math
//! types), so `t.translation.x = t.translation.x + 1` writes into the world. Lists and
//! tuples are indexed from 1, like Lua sequences; maps by their string or integer keys.
//!
//! Writes convert the Lua value to the field's type: numbers, strings, booleans, math
//! values, entities, other `CompRef`s, and tables for structs (`{x = 1}`, partial updates
//! keep other fields), lists (`{1, 2, 3}`), maps and enums (`"Idle"` for a unit
//! variant, `{Walking = {speed = 2}}` / `{Some = 3}` otherwise; `nil` is `None`).
//!
//! `Transform` takes a typed path (no registry lookup, no reflection for its fields): a
//! `Transform` and its `translation`, `rotation` and `scale` are [`TransformRef`] host
//! values (an entity id with a class, never allocated), whose lanes are read and written
//! by the VM's host-field hook without a metamethod call.

use std::any::TypeId;
use std::borrow::Cow;

use bevy::ecs::reflect::{AppTypeRegistry, ReflectComponent};
use bevy::prelude::ReflectDefault;
use bevy::prelude::{Entity, Transform, World};
use bevy::reflect::enums::{DynamicEnum, DynamicVariant, VariantInfo};
use bevy::reflect::list::DynamicList;
use bevy::reflect::map::{DynamicMap, Map};
use bevy::reflect::structs::DynamicStruct;
use bevy::reflect::tuple::DynamicTuple;
use bevy::reflect::tuple_struct::DynamicTupleStruct;
use bevy::reflect::{
    PartialReflect, Reflect, ReflectFromReflect, ReflectMut, ReflectRef, TypeInfo, TypeRegistry,
};
use selenite::api::{
    Error, FromLua, IntoLua, Lua, LuaValue, MetaMethod, Result, UserData, UserDataMethods,
};
use selenite::Value;

use crate::lend::Lack;
use crate::math::{self, MathValue};
use crate::world::{with_world, LuaEntity};

/// The root of a [`CompRef`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    Component {
        entity: Entity,
        type_id: TypeId,
        name: &'static str,
    },
    Resource {
        type_id: TypeId,
        name: &'static str,
    },
}

/// One step into a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    /// A struct or struct-variant field; the name is the type's own `&'static str` when
    /// the type is known (no allocation per access).
    Field(Cow<'static, str>),
    /// 0-based position in a list, array, tuple or tuple variant.
    Index(usize),
    MapStr(String),
    MapInt(i64),
}

/// A place in the world: see the [module docs](self).
#[derive(Clone, Debug)]
pub struct CompRef {
    pub root: Root,
    pub path: Vec<Seg>,
    /// [`CompRef::transform_place`], worked out once when the reference is made.
    place: Option<(Entity, Option<TransformPart>)>,
}

/// Plain data read from a reflected value.
#[derive(Clone, Debug)]
pub enum Leaf {
    Nil,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Entity(Entity),
}

impl IntoLua for Leaf {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        match self {
            Leaf::Nil => Ok(Value::Nil),
            Leaf::Bool(b) => b.into_lua(lua),
            Leaf::Int(i) => i.into_lua(lua),
            Leaf::Num(x) => x.into_lua(lua),
            Leaf::Str(s) => s.into_lua(lua),
            Leaf::Entity(e) => LuaEntity(e).into_lua(lua),
        }
    }
}

/// Lua data converted to Rust before it is written into the world.
#[derive(Debug)]
pub enum LuaData {
    Nil,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Math(MathValue),
    Entity(Entity),
    /// A table: its pairs in traversal order, and whether it is a sequence `1..n`.
    Table(Vec<(LuaData, LuaData)>, bool),
    /// A copy of a value read through a `CompRef`.
    Reflect(Box<dyn PartialReflect>),
}

impl LuaData {
    /// Converts a script value (tables deeply, `CompRef`s by reading them).
    pub fn from_lua_value(lua: &mut Lua, v: LuaValue, depth: u32) -> Result<LuaData> {
        if depth > 32 {
            return Err(Error::runtime("value nested too deeply (or cyclic)"));
        }
        Ok(match v {
            LuaValue::Nil => LuaData::Nil,
            LuaValue::Boolean(b) => LuaData::Bool(b),
            LuaValue::Integer(i) => LuaData::Int(i),
            LuaValue::Number(x) => LuaData::Num(x),
            LuaValue::String(s) => LuaData::Str(s.to_str(lua)?.to_string()),
            LuaValue::Table(t) => {
                let pairs: Vec<(LuaValue, LuaValue)> = t.pairs(lua)?;
                let n = t.len(lua)?;
                let is_seq = n as usize == pairs.len();
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    out.push((
                        LuaData::from_lua_value(lua, k, depth + 1)?,
                        LuaData::from_lua_value(lua, v, depth + 1)?,
                    ));
                }
                if is_seq {
                    // Traversal order of the array part is 1..n already; sort to be sure.
                    out.sort_by_key(|(k, _)| match k {
                        LuaData::Int(i) => *i,
                        _ => 0,
                    });
                }
                LuaData::Table(out, is_seq)
            }
            v @ (LuaValue::UserData(_) | LuaValue::Host { .. }) => {
                let raw = v.into_lua(lua)?;
                if let Ok(e) = LuaEntity::from_lua(raw, lua) {
                    return Ok(LuaData::Entity(e.0));
                }
                if let Some(r) = comp_ref_of(lua, raw) {
                    return Ok(LuaData::Reflect(r.read_dynamic()?));
                }
                match MathValue::from_raw(lua, raw)? {
                    Some(m) => LuaData::Math(m),
                    None => {
                        return Err(Error::runtime("cannot store this userdata in a component"))
                    }
                }
            }
            other => {
                return Err(Error::runtime(format!(
                    "cannot store a {} in a component",
                    other.type_name()
                )))
            }
        })
    }

    fn kind(&self) -> &'static str {
        match self {
            LuaData::Nil => "nil",
            LuaData::Bool(_) => "boolean",
            LuaData::Int(_) | LuaData::Num(_) => "number",
            LuaData::Str(_) => "string",
            LuaData::Math(m) => m.type_name(),
            LuaData::Entity(_) => "Entity",
            LuaData::Table(..) => "table",
            LuaData::Reflect(_) => "component value",
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            LuaData::Int(i) => Some(i as f64),
            LuaData::Num(x) => Some(x),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            LuaData::Int(i) => Some(i),
            LuaData::Num(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Some(x as i64),
            _ => None,
        }
    }
}

/// Short name of a reflected value's type.
pub fn type_name_of(v: &dyn PartialReflect) -> &'static str {
    match v.get_represented_type_info() {
        Some(info) => info.type_path_table().short_path(),
        None => "value",
    }
}

/// Plain data of a value, or `None` when it has fields (then scripts get a `CompRef`).
pub fn leaf_of(v: &dyn PartialReflect) -> Option<Leaf> {
    macro_rules! prim {
        ($($t:ty => $mk:expr),* $(,)?) => {
            $( if let Some(x) = v.try_downcast_ref::<$t>() { return Some($mk(*x)); } )*
        };
    }
    prim!(
        f32 => |x: f32| Leaf::Num(x as f64),
        f64 => Leaf::Num,
        i32 => |x: i32| Leaf::Int(x as i64),
        u32 => |x: u32| Leaf::Int(x as i64),
        i64 => Leaf::Int,
        u64 => |x: u64| Leaf::Int(x as i64),
        usize => |x: usize| Leaf::Int(x as i64),
        isize => |x: isize| Leaf::Int(x as i64),
        i8 => |x: i8| Leaf::Int(x as i64),
        i16 => |x: i16| Leaf::Int(x as i64),
        u8 => |x: u8| Leaf::Int(x as i64),
        u16 => |x: u16| Leaf::Int(x as i64),
        bool => Leaf::Bool,
        Entity => Leaf::Entity,
        char => |c: char| Leaf::Str(c.to_string()),
    );
    if let Some(s) = v.try_downcast_ref::<String>() {
        return Some(Leaf::Str(s.clone()));
    }
    if let Some(s) = v.try_downcast_ref::<&'static str>() {
        return Some(Leaf::Str(s.to_string()));
    }
    if is_math(v) {
        return None;
    }
    if let ReflectRef::Enum(e) = v.reflect_ref() {
        if e.field_len() == 0 {
            if is_option(v) {
                return Some(Leaf::Nil);
            }
            return Some(Leaf::Str(e.variant_name().to_string()));
        }
        if is_option(v) {
            if let Some(inner) = e.field_at(0) {
                return leaf_of(inner);
            }
        }
    }
    None
}

fn is_option(v: &dyn PartialReflect) -> bool {
    v.get_represented_type_info().is_some_and(|i| {
        i.type_path_table()
            .path()
            .starts_with("core::option::Option")
    })
}

fn is_math(v: &dyn PartialReflect) -> bool {
    read_math_of(v).is_some()
}

/// The math value of a reflected value of a math type.
pub fn read_math_of(v: &dyn PartialReflect) -> Option<MathValue> {
    use bevy::color::Color;
    use bevy::math::{Quat, Vec2, Vec3, Vec4};
    if let Some(x) = v.try_downcast_ref::<Vec3>() {
        Some(MathValue::Vec3(*x))
    } else if let Some(x) = v.try_downcast_ref::<Vec2>() {
        Some(MathValue::Vec2(*x))
    } else if let Some(x) = v.try_downcast_ref::<Quat>() {
        Some(MathValue::Quat(*x))
    } else if let Some(x) = v.try_downcast_ref::<Vec4>() {
        Some(MathValue::Vec4(*x))
    } else {
        v.try_downcast_ref::<Color>().map(|x| MathValue::Color(*x))
    }
}

/// Writes a math value into a reflected value of the same math type.
fn write_math(target: &mut dyn PartialReflect, m: MathValue) -> Result<()> {
    use bevy::color::Color;
    use bevy::math::{Quat, Vec2, Vec3, Vec4};
    let tname = type_name_of(target);
    let ok = match m {
        MathValue::Vec3(x) => target.try_downcast_mut::<Vec3>().map(|t| *t = x).is_some(),
        MathValue::Vec2(x) => target.try_downcast_mut::<Vec2>().map(|t| *t = x).is_some(),
        MathValue::Vec4(x) => target.try_downcast_mut::<Vec4>().map(|t| *t = x).is_some(),
        MathValue::Quat(x) => target.try_downcast_mut::<Quat>().map(|t| *t = x).is_some(),
        MathValue::Color(x) => target.try_downcast_mut::<Color>().map(|t| *t = x).is_some(),
        MathValue::Num(_) => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::runtime(format!(
            "cannot assign a {} to a {tname}",
            m.type_name()
        )))
    }
}

/// The segment a script key selects in `v`.
fn seg_for(v: &dyn PartialReflect, key: &KeyArg) -> Option<Seg> {
    match (v.reflect_ref(), key) {
        (ReflectRef::Map(_), KeyArg::Str(s)) => Some(Seg::MapStr(s.as_str().to_string())),
        (ReflectRef::Map(_), KeyArg::Int(i)) => Some(Seg::MapInt(*i)),
        (ReflectRef::Struct(st), KeyArg::Str(s)) => Some(Seg::Field(
            match st
                .get_represented_struct_info()
                .and_then(|i| i.field(s.as_str()))
            {
                Some(f) => Cow::Borrowed(f.name()),
                None => Cow::Owned(s.as_str().to_string()),
            },
        )),
        (_, KeyArg::Str(s)) => Some(Seg::Field(Cow::Owned(s.as_str().to_string()))),
        (_, KeyArg::Int(i)) if *i >= 1 => Some(Seg::Index(*i as usize - 1)),
        _ => None,
    }
}

fn map_key(v: &dyn Map, seg: &Seg) -> Option<Box<dyn PartialReflect>> {
    let key_info = v.get_represented_map_info().and_then(|m| m.key_info());
    let key_id = key_info.map(|k| k.type_id());
    let s = match seg {
        Seg::MapStr(s) => s,
        Seg::MapInt(i) => {
            let i = *i;
            return Some(match key_id {
                Some(t) if t == TypeId::of::<i32>() => Box::new(i as i32),
                Some(t) if t == TypeId::of::<u32>() => Box::new(i as u32),
                Some(t) if t == TypeId::of::<u64>() => Box::new(i as u64),
                Some(t) if t == TypeId::of::<usize>() => Box::new(i as usize),
                Some(t) if t == TypeId::of::<u8>() => Box::new(i as u8),
                Some(t) if t == TypeId::of::<u16>() => Box::new(i as u16),
                Some(t) if t == TypeId::of::<i8>() => Box::new(i as i8),
                Some(t) if t == TypeId::of::<i16>() => Box::new(i as i16),
                _ => Box::new(i),
            });
        }
        _ => return None,
    };
    Some(Box::new(s.clone()))
}

fn nav<'a>(v: &'a dyn PartialReflect, seg: &Seg) -> Option<&'a dyn PartialReflect> {
    match (v.reflect_ref(), seg) {
        (ReflectRef::Struct(s), Seg::Field(f)) => s.field(f),
        (ReflectRef::Enum(e), Seg::Field(f)) => e.field(f),
        (ReflectRef::Enum(e), Seg::Index(i)) => e.field_at(*i),
        (ReflectRef::TupleStruct(s), Seg::Index(i)) => s.field(*i),
        (ReflectRef::Tuple(s), Seg::Index(i)) => s.field(*i),
        (ReflectRef::List(l), Seg::Index(i)) => l.get(*i),
        (ReflectRef::Array(l), Seg::Index(i)) => l.get(*i),
        (ReflectRef::Map(m), seg) => {
            let k = map_key(m, seg)?;
            m.get(&*k)
        }
        _ => None,
    }
}

fn nav_mut<'a>(v: &'a mut dyn PartialReflect, seg: &Seg) -> Option<&'a mut dyn PartialReflect> {
    match (v.reflect_mut(), seg) {
        (ReflectMut::Struct(s), Seg::Field(f)) => s.field_mut(f),
        (ReflectMut::Enum(e), Seg::Field(f)) => e.field_mut(f),
        (ReflectMut::Enum(e), Seg::Index(i)) => e.field_at_mut(*i),
        (ReflectMut::TupleStruct(s), Seg::Index(i)) => s.field_mut(*i),
        (ReflectMut::Tuple(s), Seg::Index(i)) => s.field_mut(*i),
        (ReflectMut::List(l), Seg::Index(i)) => l.get_mut(*i),
        (ReflectMut::Array(l), Seg::Index(i)) => l.get_mut(*i),
        (ReflectMut::Map(m), seg) => {
            let k = map_key(m, seg)?;
            m.get_mut(&*k)
        }
        _ => None,
    }
}

fn seg_text(seg: &Seg) -> String {
    match seg {
        Seg::Field(f) => f.to_string(),
        Seg::Index(i) => format!("{}", i + 1),
        Seg::MapStr(s) => s.clone(),
        Seg::MapInt(i) => i.to_string(),
    }
}

fn no_field(v: &dyn PartialReflect, seg: &Seg) -> Error {
    let what = match seg {
        Seg::Index(_) => "no index",
        Seg::MapStr(_) | Seg::MapInt(_) => "no key",
        Seg::Field(_) => "no field",
    };
    Error::runtime(format!(
        "{} has {what} '{}'",
        type_name_of(v),
        seg_text(seg)
    ))
}

fn walk<'a>(mut v: &'a dyn PartialReflect, path: &[Seg]) -> Result<&'a dyn PartialReflect> {
    for seg in path {
        v = match nav(v, seg) {
            Some(x) => x,
            None => return Err(no_field(v, seg)),
        };
    }
    Ok(v)
}

fn walk_mut<'a>(
    mut v: &'a mut dyn PartialReflect,
    path: &[Seg],
) -> Result<&'a mut dyn PartialReflect> {
    for seg in path {
        // Check first to report errors with the parent's type name.
        if nav(v, seg).is_none() {
            return Err(no_field(v, seg));
        }
        v = match nav_mut(v, seg) {
            Some(x) => x,
            None => return Err(Error::runtime("field vanished")),
        };
    }
    Ok(v)
}

fn registry_of(world: &World) -> Result<AppTypeRegistry> {
    world
        .get_resource::<AppTypeRegistry>()
        .cloned()
        .ok_or_else(|| Error::runtime("no AppTypeRegistry in the world"))
}

fn missing(root: &Root) -> Error {
    match root {
        Root::Component { entity, name, .. } => {
            Error::runtime(format!("entity {entity} has no component {name}"))
        }
        Root::Resource { name, .. } => Error::runtime(format!("no resource {name}")),
    }
}

impl CompRef {
    /// A reference to a whole component.
    pub fn component(entity: Entity, type_id: TypeId, name: &'static str) -> CompRef {
        CompRef::new(Root::Component {
            entity,
            type_id,
            name,
        })
    }

    /// A reference to the whole of `root`.
    pub fn new(root: Root) -> CompRef {
        CompRef::at(root, Vec::new())
    }

    fn at(root: Root, path: Vec<Seg>) -> CompRef {
        let mut r = CompRef {
            root,
            path,
            place: None,
        };
        r.place = r.transform_place();
        r
    }

    /// The entity and component type holding the value (resources live on entities).
    fn resolve(&self, world: &World) -> Result<(Entity, TypeId)> {
        match self.root {
            Root::Component {
                entity, type_id, ..
            } => Ok((entity, type_id)),
            Root::Resource { type_id, .. } => {
                let cid = world
                    .components()
                    .get_id(type_id)
                    .ok_or_else(|| missing(&self.root))?;
                let e = world
                    .resource_entities()
                    .get(cid)
                    .ok_or_else(|| missing(&self.root))?;
                Ok((e, type_id))
            }
        }
    }

    /// Runs `f` on the referenced value.
    pub fn read<R>(&self, f: impl FnOnce(&dyn PartialReflect) -> Result<R>) -> Result<R> {
        crate::mods::check_read(self.root_name())?;
        with_world(|world| {
            let (entity, type_id) = self.resolve(world)?;
            if type_id == TypeId::of::<Transform>() {
                let t =
                    crate::lend::get_transform(world, entity).ok_or_else(|| missing(&self.root))?;
                return f(walk(t, &self.path)?);
            }
            let registry = registry_of(world)?;
            let reg = registry.read();
            let rc = reg
                .get_type_data::<ReflectComponent>(type_id)
                .ok_or_else(|| missing(&self.root))?;
            let e = world.get_entity(entity).map_err(|_| dead(entity))?;
            let v = rc.reflect(e).ok_or_else(|| missing(&self.root))?;
            f(walk(v.as_partial_reflect(), &self.path)?)
        })?
    }

    /// Runs `f` on the referenced value, mutably (marks the component changed).
    pub fn write<R>(
        &self,
        f: impl FnOnce(&mut dyn PartialReflect, &TypeRegistry) -> Result<R>,
    ) -> Result<R> {
        crate::mods::check_write(self.root_name())?;
        with_world(|world| {
            let (entity, type_id) = self.resolve(world)?;
            let registry = registry_of(world)?;
            let reg = registry.read();
            if type_id == TypeId::of::<Transform>() {
                let mut t = crate::lend::get_transform_mut(world, entity)
                    .map_err(|()| dead(entity))?
                    .ok_or_else(|| missing(&self.root))?;
                return f(walk_mut(&mut *t, &self.path)?, &reg);
            }
            let rc = reg
                .get_type_data::<ReflectComponent>(type_id)
                .ok_or_else(|| missing(&self.root))?;
            check_mutable(world, type_id, &self.root)?;
            let em = world.get_entity_mut(entity).map_err(|_| dead(entity))?;
            let mut v = rc.reflect_mut(em).ok_or_else(|| missing(&self.root))?;
            f(walk_mut(v.as_partial_reflect_mut(), &self.path)?, &reg)
        })?
    }

    /// The math value this refers to, if it is of a math type.
    pub fn read_math(&self) -> Result<Option<MathValue>> {
        self.read(|v| Ok(read_math_of(v)))
    }

    /// A copy of the referenced value.
    pub fn read_dynamic(&self) -> Result<Box<dyn PartialReflect>> {
        self.read(|v| {
            Ok(match v.reflect_clone() {
                Ok(b) => b.into_partial_reflect(),
                Err(_) => v.to_dynamic(),
            })
        })
    }

    fn child(&self, seg: Seg) -> CompRef {
        let mut path = self.path.clone();
        path.push(seg);
        CompRef::at(self.root, path)
    }

    /// The entity, and the field if any, when this refers to a `Transform` or to its
    /// `translation`, `rotation` or `scale`: the places with a typed fast path.
    fn transform_place(&self) -> Option<(Entity, Option<TransformPart>)> {
        let Root::Component {
            entity, type_id, ..
        } = self.root
        else {
            return None;
        };
        if type_id != TypeId::of::<Transform>() {
            return None;
        }
        match self.path.as_slice() {
            [] => Some((entity, None)),
            [Seg::Field(f)] => TransformPart::named(f.as_bytes()).map(|p| (entity, Some(p))),
            _ => None,
        }
    }

    /// The typed part of [`CompRef::index`]: `None` when the generic path must answer.
    fn index_transform(&self, lua: &mut Lua, k: &[u8]) -> Result<Option<Value>> {
        match self.place {
            Some((entity, part)) => transform_index(lua, entity, part, k),
            None => Ok(None),
        }
    }

    /// The typed part of [`CompRef::set_index`]: false when the generic path must do it.
    fn set_index_transform(&self, k: &[u8], value: Value) -> Result<bool> {
        match self.place {
            Some((entity, part)) => transform_set_index(entity, part, k, value),
            None => Ok(false),
        }
    }

    /// The script value for this reference: a [`TransformRef`] host value for the places
    /// with one, a `ComponentRef` userdata otherwise.
    pub fn into_value(self, lua: &mut Lua) -> Result<Value> {
        match self.place {
            Some((entity, part)) => transform_ref_value(lua, entity, part),
            None => self.into_lua(lua),
        }
    }

    /// `tostring(ref)`.
    fn to_text(&self) -> Result<String> {
        self.read(|v| {
            Ok(match read_math_of(v) {
                Some(m) => math::to_string(&m),
                None => format!("{v:?}"),
            })
        })
    }

    /// `#ref`: the number of elements or fields.
    fn length(&self) -> Result<i64> {
        self.read(|v| {
            Ok(match v.reflect_ref() {
                ReflectRef::List(l) => l.len(),
                ReflectRef::Array(l) => l.len(),
                ReflectRef::Map(m) => m.len(),
                ReflectRef::Struct(s) => s.field_len(),
                ReflectRef::TupleStruct(s) => s.field_len(),
                ReflectRef::Tuple(s) => s.field_len(),
                ReflectRef::Enum(e) => e.field_len(),
                _ => 0,
            } as i64)
        })
    }

    /// `ref[key]` for scripts, given the raw key: `Transform` fields on their typed path,
    /// anything else through reflection.
    fn index_raw(&self, lua: &mut Lua, key: Value) -> Result<Value> {
        if let Some(k) = key.as_str() {
            if let Some(v) = self.index_transform(lua, k)? {
                return Ok(v);
            }
        }
        let key = KeyArg::from_lua(key, lua).map_err(|e| bad_argument(2, e))?;
        self.index(lua, key)
    }

    /// `ref[key] = value` for scripts, given the raw operands.
    fn set_index_raw(&self, lua: &mut Lua, key: Value, value: Value) -> Result<()> {
        if let Some(k) = key.as_str() {
            if self.set_index_transform(k, value)? {
                return Ok(());
            }
        }
        let key = KeyArg::from_lua(key, lua).map_err(|e| bad_argument(2, e))?;
        let value = LuaValue::from_lua(value, lua).map_err(|e| bad_argument(3, e))?;
        self.set_index(lua, key, value)
    }

    /// `ref[key]` for scripts (after the typed path).
    fn index(&self, lua: &mut Lua, key: KeyArg) -> Result<Value> {
        enum Got {
            Leaf(Leaf),
            Child(Seg),
            ChildUnwrap(Seg),
            Math(MathValue),
        }
        let got = self.read(|v| {
            if let Some(m) = read_math_of(v) {
                return Ok(Got::Math(m));
            }
            let seg = match seg_for(v, &key) {
                Some(s) => s,
                None => {
                    return Err(Error::runtime(format!(
                        "{} has no field '{}'",
                        type_name_of(v),
                        key.text()
                    )))
                }
            };
            let child = match nav(v, &seg) {
                Some(c) => c,
                None => {
                    if matches!(seg, Seg::MapStr(_) | Seg::MapInt(_)) {
                        return Ok(Got::Leaf(Leaf::Nil));
                    }
                    return Err(no_field(v, &seg));
                }
            };
            if let Some(l) = leaf_of(child) {
                return Ok(Got::Leaf(l));
            }
            if is_option(child) {
                return Ok(Got::ChildUnwrap(seg));
            }
            Ok(Got::Child(seg))
        })?;
        match got {
            Got::Leaf(l) => l.into_lua(lua),
            Got::Child(seg) => self.child(seg).into_value(lua),
            Got::ChildUnwrap(seg) => self.child(seg).child(Seg::Index(0)).into_value(lua),
            Got::Math(m) => {
                let name = key.text();
                if let Some(x) = m.index(&name) {
                    return x.into_lua(lua);
                }
                // A method of the math type (`t.translation:length()`).
                let lib: Option<selenite::api::Table> = lua.get_global(m.type_name())?;
                if let Some(lib) = lib {
                    let f: LuaValue = lib.raw_get(lua, name.as_str())?;
                    if !f.is_nil() && math::METHODS.contains(&name.as_str()) {
                        return f.into_lua(lua);
                    }
                }
                Err(Error::runtime(format!(
                    "{} has no field '{name}'",
                    m.type_name()
                )))
            }
        }
    }

    /// `ref[key] = value` for scripts (after the typed path).
    fn set_index(&self, lua: &mut Lua, key: KeyArg, value: LuaValue) -> Result<()> {
        // Fast path: a number into a field of a math value (`t.translation.x = 1`).
        if let (KeyArg::Str(k), LuaValue::Integer(_) | LuaValue::Number(_)) = (&key, &value) {
            let k = k.as_str();
            let x = match value {
                LuaValue::Integer(i) => i as f64,
                LuaValue::Number(x) => x,
                _ => 0.0,
            };
            let done = self.write(|v, _| {
                if let Some(mut m) = read_math_of(v) {
                    m.set_index(k, x)?;
                    write_math(v, m)?;
                    return Ok(true);
                }
                Ok(false)
            })?;
            if done {
                return Ok(());
            }
        }
        let data = LuaData::from_lua_value(lua, value, 0)?;
        self.write(|v, reg| {
            if let Some(mut m) = read_math_of(v) {
                let x = data.as_f64().ok_or_else(|| {
                    Error::runtime(format!(
                        "cannot assign a {} to {}.{}",
                        data.kind(),
                        m.type_name(),
                        key.text()
                    ))
                })?;
                m.set_index(&key.text(), x)?;
                return write_math(v, m);
            }
            let seg = seg_for(v, &key).ok_or_else(|| {
                Error::runtime(format!("{} has no field '{}'", type_name_of(v), key.text()))
            })?;
            if let ReflectMut::Map(m) = v.reflect_mut() {
                // Map writes insert (or remove with nil).
                let k = map_key(m, &seg).ok_or_else(|| Error::runtime("bad map key"))?;
                let key_id = m
                    .get_represented_map_info()
                    .and_then(|i| i.key_info())
                    .map(|i| i.type_id());
                if matches!(data, LuaData::Nil) {
                    m.remove(&*k);
                    return Ok(());
                }
                let vinfo = m.get_represented_map_info().and_then(|i| i.value_info());
                let val = build_concrete(&data, vinfo, reg)?;
                let k = match key_id {
                    Some(id) => concrete(k, id, reg)?,
                    None => k,
                };
                m.insert_boxed(k, val.into_partial_reflect());
                return Ok(());
            }
            let target = walk_mut(v, std::slice::from_ref(&seg))?;
            apply(&data, target, reg)
        })
    }
}

/// A `Transform`, or its `translation`, `rotation` or `scale` (`PART` 0 to 3), as
/// scripts hold it: a host value (an entity id with the class of its part), so that
/// `entity.Transform.translation.x = 1` allocates nothing and chases no pointers. It
/// behaves as the [`CompRef`] it stands for (`comp_ref`), which answers whatever the
/// typed path does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransformRef<const PART: u8>(pub Entity);

impl<const PART: u8> TransformRef<PART> {
    fn part() -> Option<TransformPart> {
        match PART {
            1 => Some(TransformPart::Translation),
            2 => Some(TransformPart::Rotation),
            3 => Some(TransformPart::Scale),
            _ => None,
        }
    }

    /// The general reference to the same place.
    pub fn comp_ref(self) -> CompRef {
        let whole = CompRef::component(self.0, TypeId::of::<Transform>(), "Transform");
        match Self::part() {
            Some(p) => whole.child(Seg::Field(Cow::Borrowed(p.name()))),
            None => whole,
        }
    }
}

impl<const PART: u8> UserData for TransformRef<PART> {
    const HOST_VALUE: bool = true;

    fn type_name() -> &'static str {
        "ComponentRef"
    }

    fn host_bits(&self) -> u64 {
        self.0.to_bits()
    }

    fn from_host_bits(bits: u64) -> Option<Self> {
        Entity::try_from_bits(bits).map(TransformRef)
    }

    // The typed fields are answered before the metatable (the `__index`/`__newindex`
    // below answer the same when a debug hook makes the VM call them).
    const HOST_FIELDS: bool = true;

    fn host_get(&self, lua: &mut Lua, key: Value) -> Result<Option<Value>> {
        match key.as_str() {
            Some(k) => transform_index(lua, self.0, Self::part(), k),
            None => Ok(None),
        }
    }

    fn host_set(&self, _: &mut Lua, key: Value, value: Value) -> Result<bool> {
        match key.as_str() {
            Some(k) => transform_set_index(self.0, Self::part(), k, value),
            None => Ok(false),
        }
    }

    // The same typed fields straight from the instruction when nothing can go wrong:
    // no mod permissions to check, the entity and its `Transform` there.
    const HOST_LEAF: bool = true;

    fn host_get_leaf(&self, lua: &Lua, key: Value) -> Option<Value> {
        if crate::mods::any_active() {
            return None;
        }
        let k = key.as_str()?;
        match Self::part() {
            None => match TransformPart::named(k)? {
                TransformPart::Translation => lua.known_host_value(&TransformRef::<1>(self.0)),
                TransformPart::Rotation => lua.known_host_value(&TransformRef::<2>(self.0)),
                TransformPart::Scale => lua.known_host_value(&TransformRef::<3>(self.0)),
            },
            Some(p) => {
                let i = p.lane(k)?;
                let x = crate::lend::read_transform(self.0, |t| p.get(t, i)).ok()?;
                Some(Value::Float(f64::from(x)))
            }
        }
    }

    fn host_set_leaf(&self, _: &Lua, key: Value, value: Value) -> bool {
        let Some((p, i, x)) = key
            .as_str()
            .and_then(|k| typed_lane_write(Self::part(), k, value))
        else {
            return false;
        };
        !crate::mods::any_active()
            && crate::lend::write_transform(self.0, |t| p.set(t, i, x)).is_ok()
    }

    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_meta_index_raw(|lua, this, key| {
            if let Some(k) = key.as_str() {
                if let Some(v) = transform_index(lua, this.0, Self::part(), k)? {
                    return Ok(v);
                }
            }
            this.comp_ref().index_raw(lua, key)
        });
        methods.add_meta_newindex_raw(|lua, this, key, value| {
            if let Some(k) = key.as_str() {
                if transform_set_index(this.0, Self::part(), k, value)? {
                    return Ok(());
                }
            }
            this.comp_ref().set_index_raw(lua, key, value)
        });
        add_ref_operators(methods, |this: &TransformRef<PART>| {
            Cow::Owned(this.comp_ref())
        });
    }
}

/// Runs `f` on the `Transform` of `entity` (errors as [`CompRef::read`]).
fn read_transform<R>(entity: Entity, f: impl FnOnce(&Transform) -> R) -> Result<R> {
    crate::mods::check_read("Transform")?;
    crate::lend::read_transform(entity, f).map_err(|lack| match lack {
        Lack::World => crate::lend::no_world(),
        Lack::Entity | Lack::Transform => missing(&transform_root(entity)),
    })
}

fn transform_root(entity: Entity) -> Root {
    Root::Component {
        entity,
        type_id: TypeId::of::<Transform>(),
        name: "Transform",
    }
}

/// `place[k]` for the `Transform` of `entity` (`part` none) or one of its parts, on the
/// typed path: `None` when the general path must answer.
fn transform_index(
    lua: &mut Lua,
    entity: Entity,
    part: Option<TransformPart>,
    k: &[u8],
) -> Result<Option<Value>> {
    match part {
        // A part's reference is made without looking at the world: like the reference
        // it comes from, it reports a missing entity or component when it is used.
        None => match TransformPart::named(k) {
            Some(p) => Ok(Some(transform_ref_value(lua, entity, Some(p))?)),
            None => Ok(None),
        },
        Some(p) => match p.lane(k) {
            Some(i) => {
                let x = read_transform(entity, |t| p.get(t, i))?;
                Ok(Some(Value::Float(x as f64)))
            }
            None => Ok(None),
        },
    }
}

/// `place[k] = value` on the typed path (a number into a lane of a part): false when
/// the general path must do it.
fn transform_set_index(
    entity: Entity,
    part: Option<TransformPart>,
    k: &[u8],
    value: Value,
) -> Result<bool> {
    let Some((p, i, x)) = typed_lane_write(part, k, value) else {
        return Ok(false);
    };
    crate::mods::check_write("Transform")?;
    match crate::lend::write_transform(entity, |t| p.set(t, i, x)) {
        Ok(()) => Ok(true),
        Err(Lack::World) => Err(crate::lend::no_world()),
        Err(Lack::Entity) => Err(dead(entity)),
        Err(Lack::Transform) => Err(missing(&transform_root(entity))),
    }
}

/// The part, lane and number of `part[k] = value` when the typed path takes it: a number
/// into a lane of `translation`, `rotation` or `scale`.
fn typed_lane_write(
    part: Option<TransformPart>,
    k: &[u8],
    value: Value,
) -> Option<(TransformPart, usize, f32)> {
    let p = part?;
    let x = match value {
        Value::Float(x) => x,
        Value::Int(i) => i as f64,
        _ => return None,
    };
    Some((p, p.lane(k)?, x as f32))
}

/// The script value of the `Transform` of `entity` (`part` none) or of one of its parts.
fn transform_ref_value(
    lua: &mut Lua,
    entity: Entity,
    part: Option<TransformPart>,
) -> Result<Value> {
    match part {
        None => TransformRef::<0>(entity).into_lua(lua),
        Some(TransformPart::Translation) => TransformRef::<1>(entity).into_lua(lua),
        Some(TransformPart::Rotation) => TransformRef::<2>(entity).into_lua(lua),
        Some(TransformPart::Scale) => TransformRef::<3>(entity).into_lua(lua),
    }
}

/// The component reference `v` is, if it is one (a `ComponentRef` userdata or a
/// [`TransformRef`]).
pub fn comp_ref_of(lua: &mut Lua, v: Value) -> Option<CompRef> {
    match v {
        Value::UserData(u) => {
            let d = u.data.try_borrow().ok()?;
            d.downcast_ref::<CompRef>().cloned()
        }
        Value::Host { .. } => TransformRef::<0>::from_lua(v, lua)
            .map(TransformRef::comp_ref)
            .or_else(|_| TransformRef::<1>::from_lua(v, lua).map(TransformRef::comp_ref))
            .or_else(|_| TransformRef::<2>::from_lua(v, lua).map(TransformRef::comp_ref))
            .or_else(|_| TransformRef::<3>::from_lua(v, lua).map(TransformRef::comp_ref))
            .ok(),
        _ => None,
    }
}

/// A field of `Transform` with a typed fast path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TransformPart {
    Translation,
    Rotation,
    Scale,
}

impl TransformPart {
    fn named(name: &[u8]) -> Option<TransformPart> {
        match name {
            b"translation" => Some(TransformPart::Translation),
            b"rotation" => Some(TransformPart::Rotation),
            b"scale" => Some(TransformPart::Scale),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            TransformPart::Translation => "translation",
            TransformPart::Rotation => "rotation",
            TransformPart::Scale => "scale",
        }
    }

    /// The lane a key names: `x`, `y`, `z`, and `w` for the rotation.
    fn lane(self, key: &[u8]) -> Option<usize> {
        match (key, self) {
            (b"x", _) => Some(0),
            (b"y", _) => Some(1),
            (b"z", _) => Some(2),
            (b"w", TransformPart::Rotation) => Some(3),
            _ => None,
        }
    }

    fn get(self, t: &Transform, lane: usize) -> f32 {
        let lanes = match self {
            TransformPart::Translation => t.translation.extend(0.0).to_array(),
            TransformPart::Rotation => t.rotation.to_array(),
            TransformPart::Scale => t.scale.extend(0.0).to_array(),
        };
        lanes.get(lane).copied().unwrap_or(0.0)
    }

    fn set(self, t: &mut Transform, lane: usize, x: f32) {
        match self {
            TransformPart::Translation => set_lane(&mut t.translation, lane, x),
            TransformPart::Scale => set_lane(&mut t.scale, lane, x),
            TransformPart::Rotation => {
                let mut q = t.rotation.to_array();
                if let Some(l) = q.get_mut(lane) {
                    *l = x;
                }
                t.rotation = bevy::math::Quat::from_array(q);
            }
        }
    }
}

fn set_lane(v: &mut bevy::math::Vec3, lane: usize, x: f32) {
    match lane {
        0 => v.x = x,
        1 => v.y = x,
        _ => v.z = x,
    }
}

/// A conversion error of argument `pos` of a metamethod, as the argument conversion of a
/// host function reports it.
pub(crate) fn bad_argument(pos: usize, e: Error) -> Error {
    match e {
        e @ Error::FromLua { .. } => Error::BadArgument {
            pos,
            cause: Box::new(e),
        },
        e => e,
    }
}

/// The error of a reference to an entity that is gone.
pub(crate) fn dead(entity: Entity) -> Error {
    Error::runtime(format!("entity {entity} does not exist"))
}

fn check_mutable(world: &World, type_id: TypeId, root: &Root) -> Result<()> {
    if let Some(id) = world.components().get_id(type_id) {
        if let Some(info) = world.components().get_info(id) {
            if !info.mutable() {
                let name = match root {
                    Root::Component { name, .. } | Root::Resource { name, .. } => *name,
                };
                return Err(Error::runtime(format!("component {name} is immutable")));
            }
        }
    }
    Ok(())
}

/// A script key: string or integer.
#[derive(Clone, Debug)]
pub enum KeyArg {
    Str(KeyStr),
    Int(i64),
}

impl KeyArg {
    fn text(&self) -> String {
        match self {
            KeyArg::Str(s) => s.as_str().to_string(),
            KeyArg::Int(i) => i.to_string(),
        }
    }
}

/// The text of a string key, inline when short (field names are), so that reading or
/// writing a field allocates nothing for its name. Always valid UTF-8.
#[derive(Clone, Debug)]
pub enum KeyStr {
    Inline { len: u8, bytes: [u8; 22] },
    Long(Box<str>),
}

impl KeyStr {
    pub fn new(s: &str) -> KeyStr {
        KeyStr::inline(s.as_bytes()).unwrap_or_else(|| KeyStr::Long(s.into()))
    }

    /// `bytes` kept inline, if they fit (the caller vouches they are UTF-8).
    fn inline(b: &[u8]) -> Option<KeyStr> {
        let mut bytes = [0u8; 22];
        bytes.get_mut(..b.len())?.copy_from_slice(b);
        Some(KeyStr::Inline {
            len: b.len() as u8,
            bytes,
        })
    }

    /// The text (checked again: the typed fast paths compare bytes and never need it).
    pub fn as_str(&self) -> &str {
        match self {
            KeyStr::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            KeyStr::Long(s) => s,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            KeyStr::Inline { len, bytes } => bytes.get(..*len as usize).unwrap_or_default(),
            KeyStr::Long(s) => s.as_bytes(),
        }
    }
}

/// As `String`'s conversion (numbers become their text, other bytes must be UTF-8),
/// without allocating for short strings.
impl FromLua for KeyStr {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        if let Value::Str(s) = v {
            let b = s.as_bytes();
            // Field names are short ASCII: a word-wise check, not a full UTF-8 decode.
            if b.is_ascii() {
                if let Some(k) = KeyStr::inline(b) {
                    return Ok(k);
                }
            }
        }
        Ok(KeyStr::new(&String::from_lua(v, lua)?))
    }
}

impl FromLua for KeyArg {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        match v {
            Value::Int(i) => Ok(KeyArg::Int(i)),
            Value::Float(x) if x.fract() == 0.0 => Ok(KeyArg::Int(x as i64)),
            _ => Ok(KeyArg::Str(KeyStr::from_lua(v, lua)?)),
        }
    }
}

fn math_operand(a: &LuaValue, lua: &mut Lua) -> Result<MathValue> {
    let raw = a.clone().into_lua(lua)?;
    match MathValue::from_raw(lua, raw)? {
        Some(m) => Ok(m),
        None => Err(Error::runtime(format!(
            "attempt to perform arithmetic on a {} value",
            a.type_name()
        ))),
    }
}

impl UserData for CompRef {
    fn type_name() -> &'static str {
        "ComponentRef"
    }

    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_meta_index_raw(|lua, this, key| this.index_raw(lua, key));
        methods.add_meta_newindex_raw(|lua, this, key, value| this.set_index_raw(lua, key, value));
        add_ref_operators(methods, |this: &CompRef| Cow::Borrowed(this));
    }
}

/// The metamethods all component references share: `tostring`, `#`, `==` and the
/// arithmetic of math values.
fn add_ref_operators<T: UserData>(
    methods: &mut impl UserDataMethods<T>,
    comp_ref: fn(&T) -> Cow<'_, CompRef>,
) {
    {
        methods.add_meta_method(MetaMethod::ToString, move |_, this, ()| {
            comp_ref(this).to_text()
        });
        methods.add_meta_method(MetaMethod::Len, move |_, this, ()| comp_ref(this).length());
        methods.add_meta_function(MetaMethod::Eq, |lua, (a, b): (LuaValue, LuaValue)| {
            let da = LuaData::from_lua_value(lua, a, 0)?;
            let db = LuaData::from_lua_value(lua, b, 0)?;
            Ok(match (da, db) {
                (LuaData::Reflect(x), LuaData::Reflect(y)) => {
                    x.reflect_partial_eq(&*y).unwrap_or(false)
                }
                (LuaData::Reflect(x), LuaData::Math(m))
                | (LuaData::Math(m), LuaData::Reflect(x)) => read_math_of(&*x) == Some(m),
                _ => false,
            })
        });
        for op in [
            MetaMethod::Add,
            MetaMethod::Sub,
            MetaMethod::Mul,
            MetaMethod::Div,
        ] {
            methods.add_meta_function(op, move |lua, (a, b): (LuaValue, LuaValue)| {
                let a = math_operand(&a, lua)?;
                let b = math_operand(&b, lua)?;
                math::binop(op, a, b)
            });
        }
        methods.add_meta_function(MetaMethod::Unm, |lua, (a, _b): (LuaValue, LuaValue)| {
            let a = math_operand(&a, lua)?;
            math::binop(MetaMethod::Mul, a, MathValue::Num(-1.0))
        });
    }
}

// ---- Lua data → reflected values --------------------------------------------------------

fn mismatch(data: &LuaData, target: &str) -> Error {
    Error::runtime(format!("cannot assign a {} to a {target}", data.kind()))
}

/// Writes `data` into `target` (tables into structs update only the given fields).
pub fn apply(data: &LuaData, target: &mut dyn PartialReflect, reg: &TypeRegistry) -> Result<()> {
    if read_math_of(target).is_some() {
        let m = math_from_data(data, target)?;
        return write_math(target, m);
    }
    let tname = type_name_of(target);
    if let LuaData::Table(pairs, is_seq) = data {
        match target.reflect_mut() {
            ReflectMut::Struct(s) => {
                for (k, v) in pairs {
                    let LuaData::Str(name) = k else {
                        return Err(Error::runtime(format!(
                            "{tname} fields are named by strings, got a {}",
                            k.kind()
                        )));
                    };
                    let f = s
                        .field_mut(name)
                        .ok_or_else(|| Error::runtime(format!("{tname} has no field '{name}'")))?;
                    apply(v, f, reg)?;
                }
                return Ok(());
            }
            ReflectMut::TupleStruct(s) if *is_seq => {
                for (i, (_, v)) in pairs.iter().enumerate() {
                    let f = s.field_mut(i).ok_or_else(|| {
                        Error::runtime(format!("{tname} has no index '{}'", i + 1))
                    })?;
                    apply(v, f, reg)?;
                }
                return Ok(());
            }
            ReflectMut::Tuple(s) if *is_seq => {
                for (i, (_, v)) in pairs.iter().enumerate() {
                    let f = s.field_mut(i).ok_or_else(|| {
                        Error::runtime(format!("{tname} has no index '{}'", i + 1))
                    })?;
                    apply(v, f, reg)?;
                }
                return Ok(());
            }
            ReflectMut::List(l) => {
                let item = l.get_represented_list_info().and_then(|i| i.item_info());
                let mut items = Vec::with_capacity(pairs.len());
                for (_, v) in pairs {
                    items.push(build_concrete(v, item, reg)?);
                }
                l.drain();
                for it in items {
                    l.push(it.into_partial_reflect());
                }
                return Ok(());
            }
            ReflectMut::Map(m) => {
                let info = m.get_represented_map_info();
                let (ki, vi) = (
                    info.and_then(|i| i.key_info()),
                    info.and_then(|i| i.value_info()),
                );
                let mut entries = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    entries.push((build_concrete(k, ki, reg)?, build_concrete(v, vi, reg)?));
                }
                m.drain();
                for (k, v) in entries {
                    m.insert_boxed(k.into_partial_reflect(), v.into_partial_reflect());
                }
                return Ok(());
            }
            _ => {}
        }
    }
    let info = target
        .get_represented_type_info()
        .ok_or_else(|| Error::runtime(format!("{tname} has no type information")))?;
    let value = build(data, info, reg)?;
    target
        .try_apply(&*value)
        .map_err(|e| Error::runtime(format!("cannot assign to {tname}: {e}")))
}

fn math_from_data(data: &LuaData, target: &dyn PartialReflect) -> Result<MathValue> {
    let tname = type_name_of(target);
    match data {
        LuaData::Math(m) => Ok(*m),
        LuaData::Reflect(r) => read_math_of(&**r).ok_or_else(|| mismatch(data, tname)),
        LuaData::Table(pairs, _) => {
            let mut m = read_math_of(target).ok_or_else(|| mismatch(data, tname))?;
            let names: &[&str] = match m {
                MathValue::Color(_) => &["r", "g", "b", "a"],
                _ => &["x", "y", "z", "w"],
            };
            for (i, (k, v)) in pairs.iter().enumerate() {
                let name = match k {
                    LuaData::Str(s) => s.clone(),
                    LuaData::Int(_) => names.get(i).map(|s| s.to_string()).unwrap_or_default(),
                    _ => String::new(),
                };
                let x = v.as_f64().ok_or_else(|| mismatch(v, "number"))?;
                m.set_index(&name, x)?;
            }
            Ok(m)
        }
        _ => Err(mismatch(data, tname)),
    }
}

/// Converts a dynamic value into the concrete type `type_id` (needed by lists and maps of
/// concrete types, which refuse dynamic elements).
fn concrete(
    v: Box<dyn PartialReflect>,
    type_id: TypeId,
    reg: &TypeRegistry,
) -> Result<Box<dyn PartialReflect>> {
    if v.try_as_reflect().is_some_and(|r| r.type_id() == type_id) {
        return Ok(v);
    }
    let fr = reg
        .get_type_data::<ReflectFromReflect>(type_id)
        .ok_or_else(|| {
            Error::runtime(format!(
            "type {} cannot be built from script data (register it with #[reflect(FromReflect)])",
            type_name_of(&*v)
        ))
        })?;
    fr.from_reflect(&*v)
        .map(|b| b.into_partial_reflect())
        .ok_or_else(|| Error::runtime(format!("invalid value for {}", type_name_of(&*v))))
}

fn build_concrete(
    data: &LuaData,
    info: Option<&'static TypeInfo>,
    reg: &TypeRegistry,
) -> Result<Box<dyn Reflect>> {
    let info = info.ok_or_else(|| Error::runtime("element type has no type information"))?;
    let v = build(data, info, reg)?;
    let c = concrete(v, info.type_id(), reg)?;
    c.try_into_reflect().map_err(|_| {
        Error::runtime(format!(
            "cannot build a {}",
            info.type_path_table().short_path()
        ))
    })
}

/// Builds a value of type `info` from script data.
pub fn build(
    data: &LuaData,
    info: &'static TypeInfo,
    reg: &TypeRegistry,
) -> Result<Box<dyn PartialReflect>> {
    let tid = info.type_id();
    let tname = info.type_path_table().short_path();
    if let LuaData::Reflect(r) = data {
        return Ok(r.to_dynamic());
    }
    macro_rules! num {
        ($($t:ty),*) => {
            $( if tid == TypeId::of::<$t>() {
                let x = data.as_f64().ok_or_else(|| mismatch(data, tname))?;
                return Ok(Box::new(x as $t));
            } )*
        };
    }
    macro_rules! int {
        ($($t:ty),*) => {
            $( if tid == TypeId::of::<$t>() {
                let x = data.as_i64().ok_or_else(|| mismatch(data, tname))?;
                let v = <$t>::try_from(x).map_err(|_| {
                    Error::runtime(format!("number {x} out of range for {tname}"))
                })?;
                return Ok(Box::new(v));
            } )*
        };
    }
    num!(f32, f64);
    int!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);
    if tid == TypeId::of::<bool>() {
        return match data {
            LuaData::Bool(b) => Ok(Box::new(*b)),
            _ => Err(mismatch(data, tname)),
        };
    }
    if tid == TypeId::of::<String>() {
        return match data {
            LuaData::Str(s) => Ok(Box::new(s.clone())),
            _ => Err(mismatch(data, tname)),
        };
    }
    if tid == TypeId::of::<Entity>() {
        return match data {
            LuaData::Entity(e) => Ok(Box::new(*e)),
            _ => Err(mismatch(data, tname)),
        };
    }
    // Math types: start from a default value and apply.
    if let Some(d) = reg.get_type_data::<ReflectDefault>(tid) {
        let mut v = d.default();
        if read_math_of(v.as_partial_reflect()).is_some() {
            let m = math_from_data(data, v.as_partial_reflect())?;
            write_math(v.as_partial_reflect_mut(), m)?;
            return Ok(v.into_partial_reflect());
        }
    }
    match info {
        TypeInfo::Enum(e) => {
            let is_opt = info
                .type_path_table()
                .path()
                .starts_with("core::option::Option");
            if is_opt {
                if matches!(data, LuaData::Nil) {
                    let mut d = DynamicEnum::new("None", DynamicVariant::Unit);
                    d.set_represented_type(Some(info));
                    return Ok(Box::new(d));
                }
                let inner = match e.variant("Some") {
                    Some(VariantInfo::Tuple(t)) => t.field_at(0).and_then(|f| f.type_info()),
                    _ => None,
                }
                .ok_or_else(|| Error::runtime("Option without type information"))?;
                // `{Some = x}` is accepted too.
                let payload = match data {
                    LuaData::Table(p, false)
                        if p.len() == 1 && matches!(&p[0].0, LuaData::Str(s) if s == "Some") =>
                    {
                        &p[0].1
                    }
                    d => d,
                };
                let mut t = DynamicTuple::default();
                t.insert_boxed(build(payload, inner, reg)?);
                let mut d = DynamicEnum::new("Some", DynamicVariant::Tuple(t));
                d.set_represented_type(Some(info));
                return Ok(Box::new(d));
            }
            let (name, payload) = match data {
                LuaData::Str(s) => (s.clone(), None),
                LuaData::Table(p, false) if p.len() == 1 => match &p[0].0 {
                    LuaData::Str(s) => (s.clone(), Some(&p[0].1)),
                    _ => return Err(mismatch(data, tname)),
                },
                _ => return Err(mismatch(data, tname)),
            };
            let variant = e
                .variant(&name)
                .ok_or_else(|| Error::runtime(format!("{tname} has no variant '{name}'")))?;
            let dv = match (variant, payload) {
                (VariantInfo::Unit(_), _) => DynamicVariant::Unit,
                (VariantInfo::Tuple(t), Some(p)) => {
                    let mut dt = DynamicTuple::default();
                    let items: Vec<&LuaData> = match p {
                        LuaData::Table(pairs, true)
                            if t.field_len() != 1 || is_table_of_len(p, 1) =>
                        {
                            pairs.iter().map(|(_, v)| v).collect()
                        }
                        single => vec![single],
                    };
                    for (i, item) in items.into_iter().enumerate() {
                        let fi = t.field_at(i).and_then(|f| f.type_info()).ok_or_else(|| {
                            Error::runtime(format!("{tname}::{name} has no field {}", i + 1))
                        })?;
                        dt.insert_boxed(build(item, fi, reg)?);
                    }
                    DynamicVariant::Tuple(dt)
                }
                (VariantInfo::Struct(s), Some(LuaData::Table(pairs, _))) => {
                    let mut ds = DynamicStruct::default();
                    for (k, v) in pairs {
                        let LuaData::Str(fname) = k else {
                            return Err(mismatch(k, "field name"));
                        };
                        let fi = s.field(fname).and_then(|f| f.type_info()).ok_or_else(|| {
                            Error::runtime(format!("{tname}::{name} has no field '{fname}'"))
                        })?;
                        ds.insert_boxed(fname.clone(), build(v, fi, reg)?);
                    }
                    DynamicVariant::Struct(ds)
                }
                _ => {
                    return Err(Error::runtime(format!(
                        "variant {tname}::{name} needs data"
                    )))
                }
            };
            let mut d = DynamicEnum::new(name, dv);
            d.set_represented_type(Some(info));
            Ok(Box::new(d))
        }
        TypeInfo::Struct(s) => {
            if let Some(d) = reg.get_type_data::<ReflectDefault>(tid) {
                let mut v = d.default();
                apply(data, v.as_partial_reflect_mut(), reg)?;
                return Ok(v.into_partial_reflect());
            }
            let LuaData::Table(pairs, _) = data else {
                return Err(mismatch(data, tname));
            };
            let mut ds = DynamicStruct::default();
            for (k, v) in pairs {
                let LuaData::Str(fname) = k else {
                    return Err(mismatch(k, "field name"));
                };
                let fi = s
                    .field(fname)
                    .and_then(|f| f.type_info())
                    .ok_or_else(|| Error::runtime(format!("{tname} has no field '{fname}'")))?;
                ds.insert_boxed(fname.clone(), build(v, fi, reg)?);
            }
            ds.set_represented_type(Some(info));
            Ok(Box::new(ds))
        }
        TypeInfo::TupleStruct(s) => {
            if let Some(d) = reg.get_type_data::<ReflectDefault>(tid) {
                let mut v = d.default();
                let wrapped;
                let data = match data {
                    LuaData::Table(_, true) => data,
                    // `Health = 3` for a one-field tuple struct.
                    other => {
                        wrapped = LuaData::Table(vec![(LuaData::Int(1), clone_data(other))], true);
                        &wrapped
                    }
                };
                apply(data, v.as_partial_reflect_mut(), reg)?;
                return Ok(v.into_partial_reflect());
            }
            let items: Vec<&LuaData> = match data {
                LuaData::Table(pairs, true) => pairs.iter().map(|(_, v)| v).collect(),
                single => vec![single],
            };
            let mut ds = DynamicTupleStruct::default();
            for (i, item) in items.into_iter().enumerate() {
                let fi = s
                    .field_at(i)
                    .and_then(|f| f.type_info())
                    .ok_or_else(|| Error::runtime(format!("{tname} has no index {}", i + 1)))?;
                ds.insert_boxed(build(item, fi, reg)?);
            }
            ds.set_represented_type(Some(info));
            Ok(Box::new(ds))
        }
        TypeInfo::List(l) => {
            let LuaData::Table(pairs, _) = data else {
                return Err(mismatch(data, tname));
            };
            let mut dl = DynamicList::default();
            for (_, v) in pairs {
                let item = l
                    .item_info()
                    .ok_or_else(|| Error::runtime("list item type unknown"))?;
                dl.push_box(build(v, item, reg)?);
            }
            dl.set_represented_type(Some(info));
            Ok(Box::new(dl))
        }
        TypeInfo::Map(m) => {
            let LuaData::Table(pairs, _) = data else {
                return Err(mismatch(data, tname));
            };
            let mut dm = DynamicMap::default();
            let ki = m
                .key_info()
                .ok_or_else(|| Error::runtime("map key type unknown"))?;
            let vi = m
                .value_info()
                .ok_or_else(|| Error::runtime("map value type unknown"))?;
            for (k, v) in pairs {
                dm.insert_boxed(build(k, ki, reg)?, build(v, vi, reg)?);
            }
            dm.set_represented_type(Some(info));
            Ok(Box::new(dm))
        }
        _ => {
            if let Some(d) = reg.get_type_data::<ReflectDefault>(tid) {
                let mut v = d.default();
                apply(data, v.as_partial_reflect_mut(), reg)?;
                return Ok(v.into_partial_reflect());
            }
            Err(Error::runtime(format!(
                "cannot build a {tname} from a {}",
                data.kind()
            )))
        }
    }
}

fn is_table_of_len(d: &LuaData, n: usize) -> bool {
    matches!(d, LuaData::Table(p, true) if p.len() == n)
}

fn clone_data(d: &LuaData) -> LuaData {
    match d {
        LuaData::Nil => LuaData::Nil,
        LuaData::Bool(b) => LuaData::Bool(*b),
        LuaData::Int(i) => LuaData::Int(*i),
        LuaData::Num(x) => LuaData::Num(*x),
        LuaData::Str(s) => LuaData::Str(s.clone()),
        LuaData::Math(m) => LuaData::Math(*m),
        LuaData::Entity(e) => LuaData::Entity(*e),
        LuaData::Table(p, s) => LuaData::Table(
            p.iter()
                .map(|(k, v)| (clone_data(k), clone_data(v)))
                .collect(),
            *s,
        ),
        LuaData::Reflect(r) => LuaData::Reflect(r.to_dynamic()),
    }
}

/// Builds a whole component value of type `type_id` from script data, as a concrete value
/// ready for `ReflectComponent::insert`.
pub fn build_component(
    data: &LuaData,
    type_id: TypeId,
    reg: &TypeRegistry,
) -> Result<Box<dyn Reflect>> {
    let info = reg
        .get_type_info(type_id)
        .ok_or_else(|| Error::runtime("component type not registered"))?;
    build_concrete(data, Some(info), reg)
}
