//! Lua type definitions for the Lua language server (LuaLS), so editors complete the
//! script API and the app's components.
//!
//! [`definitions`] returns one `---@meta` file: the plugin's script API (callbacks,
//! `world`, entity methods, `time`, `input`, `log`, `emit`, `wait`, math types with their
//! constructors, constants, operators and methods; `storage` and `mod` for mods), then a
//! `---@class` per reflected component and resource of the app's [`AppTypeRegistry`], with
//! a `---@field` per field, so `self.entity.Transform.translation.x` completes.
//!
//! Rust types map to Lua types as scripts see them: floats → `number`, integers →
//! `integer`, `bool` → `boolean`, `String`/`char` → `string`, `Entity` → `Entity`, Bevy's
//! `Vec2`/`Vec3`/`Vec4`/`Quat`/`Color` → the math classes, `Option<T>` → `T|nil`,
//! `Vec<T>`/arrays → `T[]`, maps → `table<K, V>`, tuples → `[A, B]`, nested structs → their
//! own class, enums with only unit variants → an alias of the variant names (scripts read
//! and write them as strings), other enums → an alias of the unit names and one class per
//! data variant (reads give the current variant's fields; writes take
//! `{Variant = {...}}`). Types without reflected fields are `any`.
//!
//! Set [`SeleniteSettings::lua_definitions`](crate::SeleniteSettings::lua_definitions) to
//! have the plugin write the file at start-up, once every plugin has registered its types:
//!
//! ```no_run
//! use bevy::prelude::*;
//! use bevy_selenite::prelude::*;
//!
//! App::new()
//!     .add_plugins((
//!         MinimalPlugins,
//!         AssetPlugin::default(),
//!         SelenitePlugin::with_settings(SeleniteSettings {
//!             lua_definitions: Some("assets/scripts/types/selenite.d.lua".into()),
//!             ..default()
//!         }),
//!     ))
//!     .run();
//! ```
//!
//! and point LuaLS at it with a `.luarc.json` at the root of the project:
//!
//! ```json
//! {
//!     "runtime.version": "Lua 5.4",
//!     "workspace.library": ["assets/scripts/types"]
//! }
//! ```

use std::any::TypeId;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use bevy::color::Color;
use bevy::ecs::reflect::{AppTypeRegistry, ReflectComponent, ReflectResource};
use bevy::input::keyboard::KeyCode;
use bevy::math::{Quat, Vec2, Vec3, Vec4};
use bevy::prelude::{Entity, World};
use bevy::reflect::enums::VariantInfo;
use bevy::reflect::{TypeInfo, TypeRegistry, Typed};

/// The hand-written part: the script API of the plugin (see `luals_api.lua`).
const API: &str = include_str!("luals_api.lua");

/// Names the API part defines; a registered type with one of these short names gets its
/// full path as class name instead.
const RESERVED: &[&str] = &[
    "Entity",
    "Time",
    "ScriptSelf",
    "Vec2",
    "Vec3",
    "Vec4",
    "Quat",
    "Color",
    "KeyName",
    "MouseButtonName",
    "ComponentName",
    "ResourceName",
];

/// The definitions file for the app in `world`: the script API and the components and
/// resources of its [`AppTypeRegistry`] (only the API when there is no registry).
///
/// ```
/// use bevy::prelude::*;
/// use bevy_selenite::prelude::*;
///
/// #[derive(Component, Reflect, Default)]
/// #[reflect(Component, Default)]
/// struct Health {
///     hp: i32,
/// }
///
/// let mut app = App::new();
/// app.add_plugins((MinimalPlugins, AssetPlugin::default(), SelenitePlugin::default()))
///     .register_type::<Health>();
/// let text = bevy_selenite::luals::definitions(app.world());
/// assert!(text.contains("---@class Health\n---@field hp integer\n"));
/// assert!(text.contains("---@field Health Health"));
/// ```
pub fn definitions(world: &World) -> String {
    match world.get_resource::<AppTypeRegistry>() {
        Some(registry) => definitions_for_registry(&registry.read()),
        None => definitions_for_registry(&TypeRegistry::empty()),
    }
}

/// [`definitions`] from a type registry.
///
/// ```
/// use bevy::reflect::TypeRegistry;
///
/// let text = bevy_selenite::luals::definitions_for_registry(&TypeRegistry::empty());
/// assert!(text.starts_with("---@meta"));
/// assert!(text.contains("function world.spawn(components) end"));
/// ```
pub fn definitions_for_registry(registry: &TypeRegistry) -> String {
    let mut out = String::with_capacity(API.len() + 16 * 1024);
    out.push_str(API);
    out.push_str(&key_names());
    let mut g = Gen::new(registry);
    g.registered(&mut out);
    out
}

/// Writes [`definitions`] to `path` (creating its folder), unless the file already has
/// exactly that text (so editors and watchers do not see a change at every start).
///
/// ```no_run
/// # let app = bevy::app::App::new();
/// bevy_selenite::luals::write_definitions(app.world(), "assets/scripts/types/selenite.d.lua")
///     .unwrap();
/// ```
pub fn write_definitions(world: &World, path: impl AsRef<Path>) -> std::io::Result<()> {
    let path = path.as_ref();
    let text = definitions(world);
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// The start-up system writing the file named by the settings.
pub(crate) fn write_at_startup(world: &mut World) {
    let Some(path) = world
        .get_resource::<crate::SeleniteSettings>()
        .and_then(|s| s.lua_definitions.clone())
    else {
        return;
    };
    match write_definitions(world, &path) {
        Ok(()) => bevy::log::info!("Lua definitions written to {}", path.display()),
        Err(e) => bevy::log::error!("cannot write Lua definitions to {}: {e}", path.display()),
    }
}

/// `KeyName`: the key names `input.pressed` understands (`KeyCode`'s unit variants).
fn key_names() -> String {
    let mut out = String::from(
        "\n---------------------------------------------------------------------------------------\n\
         -- Key names (Bevy's KeyCode)\n\
         ---------------------------------------------------------------------------------------\n\n\
         ---@alias KeyName\n",
    );
    if let TypeInfo::Enum(e) = KeyCode::type_info() {
        for v in e.iter() {
            if let VariantInfo::Unit(u) = v {
                let _ = writeln!(out, "---| \"{}\"", u.name());
            }
        }
    }
    out
}

/// Is `s` usable as a Lua name (a `---@field` without brackets)?
fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            s,
            "and"
                | "break"
                | "do"
                | "else"
                | "elseif"
                | "end"
                | "false"
                | "for"
                | "function"
                | "goto"
                | "if"
                | "in"
                | "local"
                | "nil"
                | "not"
                | "or"
                | "repeat"
                | "return"
                | "then"
                | "true"
                | "until"
                | "while"
        )
}

/// A class name from a type path: letters, digits, `_` and `.` only.
fn sanitize(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    let mut last_us = false;
    for c in path.replace("::", ".").chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            s.push(c);
            last_us = false;
        } else if !last_us {
            s.push('_');
            last_us = true;
        }
    }
    s.trim_matches('_').to_string()
}

/// Wraps a union in parentheses before a suffix (`(A|nil)[]`).
fn atom(t: &str) -> String {
    if t.contains('|') {
        format!("({t})")
    } else {
        t.to_string()
    }
}

/// `T|nil`, without doubling `nil`.
fn optional(t: String) -> String {
    if t == "any" || t.ends_with("|nil") {
        t
    } else {
        format!("{t}|nil")
    }
}

struct Gen<'a> {
    reg: &'a TypeRegistry,
    /// Class (or alias) names given to types, and which type owns each name.
    names: HashMap<TypeId, String>,
    taken: HashMap<String, TypeId>,
    /// Types named but not written yet.
    pending: Vec<&'static TypeInfo>,
    /// Written definitions, by name (sorted output).
    defs: BTreeMap<String, String>,
}

impl<'a> Gen<'a> {
    fn new(reg: &'a TypeRegistry) -> Self {
        let mut taken = HashMap::new();
        for r in RESERVED {
            taken.insert((*r).to_string(), TypeId::of::<()>());
        }
        Gen {
            reg,
            names: HashMap::new(),
            taken,
            pending: Vec::new(),
            defs: BTreeMap::new(),
        }
    }

    /// The components and resources, then every type they use.
    fn registered(&mut self, out: &mut String) {
        let mut components = BTreeMap::new();
        let mut resources = BTreeMap::new();
        for r in self.reg.iter() {
            let info = r.type_info();
            let short = info.type_path_table().short_path();
            // Resources are components too (they live on entities): test them first.
            if r.data::<ReflectResource>().is_some() {
                resources.insert(short.to_string(), info);
            } else if r.data::<ReflectComponent>().is_some() {
                components.insert(short.to_string(), info);
            }
        }
        // Named first in sorted order so that name clashes resolve the same way each run.
        let components: Vec<(String, String)> = components
            .into_iter()
            .map(|(short, info)| (short, self.class_of(info)))
            .collect();
        let resources: Vec<(String, String)> = resources
            .into_iter()
            .map(|(short, info)| (short, self.class_of(info)))
            .collect();
        while let Some(info) = self.pending.pop() {
            self.define(info);
        }

        out.push_str(
            "\n---------------------------------------------------------------------------------------\n\
             -- Components and resources registered in the app\n\
             ---------------------------------------------------------------------------------------\n",
        );
        for def in self.defs.values() {
            out.push('\n');
            out.push_str(def);
        }

        out.push_str("\n---Names of the reflected components (`#[reflect(Component)]`).\n---@alias ComponentName\n");
        for (short, _) in &components {
            let _ = writeln!(out, "---| {short:?}");
        }
        if components.is_empty() {
            out.push_str("---| string\n");
        }
        out.push_str("\n---Names of the reflected resources (`#[reflect(Resource)]`).\n---@alias ResourceName\n");
        for (short, _) in &resources {
            let _ = writeln!(out, "---| {short:?}");
        }
        if resources.is_empty() {
            out.push_str("---| string\n");
        }

        out.push_str(
            "\n---Components by name: `entity.Transform` is nil when the entity has none.\n---@class Entity\n",
        );
        for (short, class) in &components {
            if is_ident(short) {
                let _ = writeln!(out, "---@field {short} {class}");
            }
        }
        out.push_str(
            "\n---The components of `world.spawn{...}`: tables of fields (missing fields from\n---`Default`) or values of the component's type.\n---@class selenite.Components\n",
        );
        for (short, class) in &components {
            if is_ident(short) {
                let _ = writeln!(out, "---@field {short}? {class}|table");
            }
        }
    }

    /// The class or alias name of a struct, tuple struct, enum or opaque type (queued for
    /// definition the first time).
    fn class_of(&mut self, info: &'static TypeInfo) -> String {
        let id = info.type_id();
        if let Some(n) = self.names.get(&id) {
            return n.clone();
        }
        let table = info.type_path_table();
        let mut name = sanitize(table.short_path());
        if name.is_empty() || self.taken.get(&name).is_some_and(|t| *t != id) {
            name = sanitize(table.path());
        }
        // Still taken (two types with one path): number it.
        let base = name.clone();
        let mut n = 2;
        while self.taken.get(&name).is_some_and(|t| *t != id) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone(), id);
        self.names.insert(id, name.clone());
        self.pending.push(info);
        name
    }

    fn info_of(&self, id: TypeId, info: Option<&'static TypeInfo>) -> Option<&'static TypeInfo> {
        info.or_else(|| self.reg.get_type_info(id))
    }

    /// The Lua type of a value of type `id` as scripts see it.
    fn lua_type(&mut self, id: TypeId, info: Option<&'static TypeInfo>) -> String {
        macro_rules! is {
            ($($t:ty),*) => { false $(|| id == TypeId::of::<$t>())* };
        }
        if is!(f32, f64) {
            return "number".into();
        }
        if is!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize) {
            return "integer".into();
        }
        if is!(bool) {
            return "boolean".into();
        }
        if is!(String, char, &'static str) {
            return "string".into();
        }
        if is!(Entity) {
            return "Entity".into();
        }
        for (t, name) in [
            (TypeId::of::<Vec2>(), "Vec2"),
            (TypeId::of::<Vec3>(), "Vec3"),
            (TypeId::of::<Vec4>(), "Vec4"),
            (TypeId::of::<Quat>(), "Quat"),
            (TypeId::of::<Color>(), "Color"),
        ] {
            if id == t {
                return name.into();
            }
        }
        let Some(info) = self.info_of(id, info) else {
            return "any".into();
        };
        match info {
            TypeInfo::Enum(e) if info.type_path().starts_with("core::option::Option<") => {
                let inner = e.iter().find_map(|v| match v {
                    VariantInfo::Tuple(t) if v.name() == "Some" => t.field_at(0),
                    _ => None,
                });
                match inner {
                    Some(f) => {
                        let t = self.lua_type(f.ty().id(), f.type_info());
                        optional(t)
                    }
                    None => "any".into(),
                }
            }
            TypeInfo::List(l) => {
                let t = self.lua_type(l.item_ty().id(), l.item_info());
                format!("{}[]", atom(&t))
            }
            TypeInfo::Array(a) => {
                let t = self.lua_type(a.item_ty().id(), a.item_info());
                format!("{}[]", atom(&t))
            }
            TypeInfo::Map(m) => {
                let k = self.lua_type(m.key_ty().id(), m.key_info());
                let v = self.lua_type(m.value_ty().id(), m.value_info());
                format!("table<{k}, {v}>")
            }
            TypeInfo::Tuple(t) => {
                if t.field_len() == 0 {
                    return "nil".into();
                }
                let items: Vec<String> = t
                    .iter()
                    .map(|f| self.lua_type(f.ty().id(), f.type_info()))
                    .collect();
                format!("[{}]", items.join(", "))
            }
            // Sets cannot be indexed by scripts.
            TypeInfo::Set(_) => "table".into(),
            TypeInfo::Opaque(_) => "any".into(),
            TypeInfo::Struct(_) | TypeInfo::TupleStruct(_) | TypeInfo::Enum(_) => {
                self.class_of(info)
            }
        }
    }

    /// Writes the definition of a named type.
    fn define(&mut self, info: &'static TypeInfo) {
        let Some(name) = self.names.get(&info.type_id()).cloned() else {
            return;
        };
        let mut d = String::new();
        let _ = writeln!(d, "---`{}`", info.type_path());
        match info {
            TypeInfo::Struct(s) => {
                let _ = writeln!(d, "---@class {name}");
                for f in s.iter() {
                    let t = self.lua_type(f.ty().id(), f.type_info());
                    d.push_str(&field_line(f.name(), &t));
                }
            }
            TypeInfo::TupleStruct(s) => {
                let _ = writeln!(d, "---@class {name}");
                for f in s.iter() {
                    let t = self.lua_type(f.ty().id(), f.type_info());
                    let _ = writeln!(d, "---@field [{}] {t}", f.index() + 1);
                }
            }
            TypeInfo::Enum(e) => {
                let mut alts = Vec::new();
                let mut classes = String::new();
                for v in e.iter() {
                    match v {
                        VariantInfo::Unit(u) => alts.push(format!("{:?}", u.name())),
                        VariantInfo::Struct(s) => {
                            let vname = format!("{name}.{}", sanitize(s.name()));
                            let _ = writeln!(classes, "---Variant `{}` (its fields).", s.name());
                            let _ = writeln!(classes, "---@class {vname}");
                            for f in s.iter() {
                                let t = self.lua_type(f.ty().id(), f.type_info());
                                classes.push_str(&field_line(f.name(), &t));
                            }
                            alts.push(vname.clone());
                            alts.push(format!("{{ {}: {vname}|table }}", lua_key(s.name())));
                        }
                        VariantInfo::Tuple(t) => {
                            let vname = format!("{name}.{}", sanitize(t.name()));
                            let _ = writeln!(classes, "---Variant `{}` (its fields).", t.name());
                            let _ = writeln!(classes, "---@class {vname}");
                            let mut items = Vec::new();
                            for f in t.iter() {
                                let ft = self.lua_type(f.ty().id(), f.type_info());
                                let _ = writeln!(classes, "---@field [{}] {ft}", f.index() + 1);
                                items.push(ft);
                            }
                            alts.push(vname.clone());
                            let write = if items.len() == 1 {
                                items.remove(0)
                            } else {
                                "table".to_string()
                            };
                            alts.push(format!("{{ {}: {write} }}", lua_key(t.name())));
                        }
                    }
                }
                d.push_str(&classes);
                let _ = writeln!(d, "---@alias {name}");
                for a in alts {
                    let _ = writeln!(d, "---| {a}");
                }
                if e.iter().next().is_none() {
                    d.push_str("---| nil\n");
                }
            }
            _ => {
                let _ = writeln!(d, "---@class {name}");
            }
        }
        self.defs.insert(name, d);
    }
}

/// `---@field name type`, or with a bracketed string key when `name` is not a Lua name.
fn field_line(name: &str, t: &str) -> String {
    if is_ident(name) {
        format!("---@field {name} {t}\n")
    } else {
        format!("---@field [{name:?}] {t}\n")
    }
}

/// A key of a table type literal.
fn lua_key(name: &str) -> String {
    if is_ident(name) {
        name.to_string()
    } else {
        format!("[{name:?}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(sanitize("Foo<u32>"), "Foo_u32");
        assert_eq!(sanitize("a::b::C"), "a.b.C");
        assert!(is_ident("hp") && !is_ident("end") && !is_ident("1x"));
        assert_eq!(optional("A|nil".into()), "A|nil");
        assert_eq!(atom("A|nil"), "(A|nil)");
    }
}
