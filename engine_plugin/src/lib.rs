//! `bevy_selenite`: game logic in Lua 5.4 scripts for Bevy, on the Selenite VM.
//!
//! Add [`SelenitePlugin`], put `.lua` files in your assets, and give entities a
//! [`Scripts`] component. Each script on each entity becomes an *instance* with its own
//! environment and a persistent `self` table; the plugin calls its callbacks, all
//! optional:
//!
//! ```lua
//! -- assets/scripts/spinner.lua
//! local speed = 2                     -- units per second (this instance's chunk local)
//!
//! function on_start(self)
//!     self.stuns = 0                  -- `self` keeps per-instance state across frames
//! end
//!
//! function on_update(self, dt)
//!     local t = self.entity.Transform
//!     t.translation.x = t.translation.x + speed * dt
//!     t.rotation = t.rotation * Quat.from_rotation_z(dt)
//! end
//!
//! function on_event(self, name, data)
//!     if name == "boost" then
//!         speed = speed * data.factor
//!     elseif name == "stun" then
//!         self.stuns = self.stuns + 1
//!         wait(data.seconds)          -- sequential logic: this instance sleeps here
//!         log.info("back after stun", self.stuns)  -- (and on_update waits too)
//!     end
//! end
//! ```
//!
//! A complete headless app:
//!
//! ```no_run
//! use bevy::prelude::*;
//! use bevy_selenite::prelude::*;
//!
//! fn main() {
//!     App::new()
//!         .add_plugins((MinimalPlugins, AssetPlugin::default(), SelenitePlugin::default()))
//!         .add_systems(Startup, |mut commands: Commands, assets: Res<AssetServer>| {
//!             commands.spawn((
//!                 Transform::default(),
//!                 Scripts::new(assets.load("scripts/spinner.lua")),
//!             ));
//!         })
//!         .run();
//! }
//! ```
//!
//! # What scripts can use
//!
//! * Callbacks `on_start(self)`, `on_update(self, dt)`, `on_fixed_update(self, dt)` (in
//!   `FixedUpdate`), `on_event(self, name, data)`, `on_destroy(self)`.
//!   `self.entity` is the entity, `self.script` the script's path.
//! * Components by name, read and written through reflection: `self.entity.Transform`,
//!   `entity:get("Health")`, `entity:set("Health", {hp = 3})`, `entity:has(..)`,
//!   `entity:insert(..)`, `entity:remove(..)`, `entity:despawn()`. Any type with
//!   `#[derive(Reflect)] #[reflect(Component)]` registered in the app works; nested fields,
//!   enums, `Option`, lists and maps included (see [`reflect`]).
//! * `world.spawn{ Transform = {...}, Enemy = {hp = 3} }`, `world.despawn(e)`,
//!   `for e in world.query("Enemy", "Transform") do ... end`, `world.query_all(...)`,
//!   `world.resource("Score")` (reflected resources), `world.entity(id)`.
//! * Math values `Vec2`, `Vec3`, `Vec4`, `Quat`, `Color` (see [`math`]).
//! * `time.delta`, `time.elapsed`, `time.frame`; `input.pressed("Space")`,
//!   `input.just_pressed("KeyA")`, `input.just_released(..)`, `input.pressed("MouseLeft")`,
//!   `input.cursor()` (from [`ScriptCursor`]).
//! * `emit(name, data)` sends a [`ScriptMessage`] to Rust; Rust sends [`ScriptEvent`]s to
//!   `on_event`.
//! * `print`, `log.info/warn/error/debug`: Bevy's log, prefixed with the script path.
//! * `wait(seconds)`, `wait_frames(n)`, `wait_until(function)` inside callbacks.
//! * `math.random` is seeded per instance from [`SeleniteSettings::random_seed`].
//!
//! # Budgets
//!
//! Every callback runs as a coroutine with an instruction budget per instance per frame
//! ([`SeleniteSettings::instance_budget`]) and in total ([`SeleniteSettings::frame_budget`]).
//! A callback that uses up its budget is suspended and continues next frame, before
//! anything new starts for that instance: an infinite loop in a script costs its budget
//! each frame and never freezes the game.
//!
//! # Errors
//!
//! Compile errors (`scripts/enemy.lua:12: '=' expected near 'x'`) and runtime errors (with
//! a traceback) are logged once, written as [`ScriptError`] messages and counted in
//! [`ScriptDiagnostics`]. Only the failing instance is affected; a script that fails to
//! compile on reload keeps running its previous version.

pub mod asset;
pub mod diagnostics;
pub mod events;
mod lend;
pub mod luals;
pub mod math;
pub mod mods;
pub mod reflect;
pub mod reload;
mod runtime;
pub mod settings;
pub mod world;

/// The Markdown documentation of the repository, so that its ```rust samples are
/// doctests that compile (and run, unless marked `no_run`) against the real API. Its
/// ```lua samples are checked by `tests/doc_samples.rs`.
#[cfg(doctest)]
pub mod doc_samples {
    #[doc = include_str!("../../README.md")]
    pub struct Readme;
    #[doc = include_str!("../../docs/scripting.md")]
    pub struct Scripting;
    #[doc = include_str!("../../docs/game.md")]
    pub struct Game;
    #[doc = include_str!("../../docs/mods.md")]
    pub struct Mods;
    #[doc = include_str!("../../docs/robustness.md")]
    pub struct Robustness;
}

use std::sync::Arc;

use bevy::app::{App, FixedUpdate, Last, Plugin, PostStartup};
use bevy::asset::{AssetApp, Handle};
use bevy::prelude::{
    Component, GlobalTransform, IntoScheduleConfigs, Name, Resource, Transform, World,
};
use selenite::api::{FromLuaMulti, IntoLuaMulti, Lua};

pub use asset::{LuaScript, LuaScriptLoader};
pub use diagnostics::{ScriptDiagnostics, ScriptStats};
pub use events::{ScriptError, ScriptErrorKind, ScriptEvent, ScriptMessage, ScriptValue};
pub use runtime::ScriptRuntime;
pub use selenite;
pub use settings::{SeleniteSettings, SettingsError};
pub use world::{with_world, ScriptCursor};

/// The usual imports.
pub mod prelude {
    pub use crate::{
        LuaScript, ScriptAppExt, ScriptCursor, ScriptDiagnostics, ScriptError, ScriptEvent,
        ScriptMessage, ScriptValue, Scripts, SelenitePlugin, SeleniteSettings,
    };
}

/// The scripts of an entity: one instance each, run in this order.
///
/// To change an entity's scripts, insert a new `Scripts` (or remove it): the plugin
/// notices inserts and removals, not in-place edits of the list.
#[derive(Component, Clone, Debug, Default)]
#[component(on_insert = scripts_changed, on_discard = scripts_changed)]
pub struct Scripts(pub Vec<Handle<LuaScript>>);

/// Entities whose `Scripts` were inserted, replaced or removed since the last run.
#[derive(Resource, Default)]
pub(crate) struct ScriptsChanged(pub(crate) Vec<bevy::prelude::Entity>);

fn scripts_changed(
    mut world: bevy::ecs::world::DeferredWorld,
    ctx: bevy::ecs::lifecycle::HookContext,
) {
    if let Some(mut changed) = world.get_resource_mut::<ScriptsChanged>() {
        changed.0.push(ctx.entity);
    }
}

impl Scripts {
    /// One script.
    pub fn new(script: Handle<LuaScript>) -> Self {
        Scripts(vec![script])
    }

    /// Several scripts.
    pub fn many(scripts: impl IntoIterator<Item = Handle<LuaScript>>) -> Self {
        Scripts(scripts.into_iter().collect())
    }
}

impl From<Handle<LuaScript>> for Scripts {
    fn from(h: Handle<LuaScript>) -> Self {
        Scripts::new(h)
    }
}

type Installer = Arc<dyn Fn(&mut Lua) -> selenite::api::Result<()> + Send + Sync>;

/// Host functions and values registered with [`ScriptAppExt`], installed in the VM
/// before the next script run.
#[derive(Resource, Default, Clone)]
pub struct ScriptFunctions {
    installers: Vec<(String, Installer)>,
}

/// Registering Rust functions and values for scripts.
pub trait ScriptAppExt {
    /// Makes `f` a global function of every script. Inside, [`with_world`] gives the
    /// world.
    ///
    /// ```
    /// use bevy::prelude::*;
    /// use bevy_selenite::prelude::*;
    ///
    /// let mut app = App::new();
    /// app.add_plugins((MinimalPlugins, AssetPlugin::default(), SelenitePlugin::default()))
    ///     .register_script_function("double", |_lua, x: f64| Ok(x * 2.0));
    /// ```
    fn register_script_function<A, R, F>(&mut self, name: &str, f: F) -> &mut Self
    where
        A: FromLuaMulti + 'static,
        R: IntoLuaMulti + 'static,
        F: Fn(&mut Lua, A) -> selenite::api::Result<R> + Send + Sync + Clone + 'static;

    /// Makes the value built by `make` a global of every script: a table of functions, a
    /// userdata constructor ([`selenite::api::UserData`] types)...
    fn register_script_global<F>(&mut self, name: &str, make: F) -> &mut Self
    where
        F: Fn(&mut Lua) -> selenite::api::Result<selenite::api::LuaValue> + Send + Sync + 'static;
}

impl ScriptAppExt for App {
    fn register_script_function<A, R, F>(&mut self, name: &str, f: F) -> &mut Self
    where
        A: FromLuaMulti + 'static,
        R: IntoLuaMulti + 'static,
        F: Fn(&mut Lua, A) -> selenite::api::Result<R> + Send + Sync + Clone + 'static,
    {
        let n = name.to_string();
        self.register_script_global(name, move |lua| {
            let func = lua.create_function(f.clone())?;
            let _ = &n;
            Ok(selenite::api::LuaValue::Function(func))
        })
    }

    fn register_script_global<F>(&mut self, name: &str, make: F) -> &mut Self
    where
        F: Fn(&mut Lua) -> selenite::api::Result<selenite::api::LuaValue> + Send + Sync + 'static,
    {
        let n = name.to_string();
        let inst: Installer = Arc::new(move |lua: &mut Lua| {
            let v = make(lua)?;
            lua.set_global(&n, v)
        });
        self.world_mut()
            .get_resource_or_init::<ScriptFunctions>()
            .installers
            .push((name.to_string(), inst));
        self
    }
}

/// The plugin: see the [crate docs](crate).
#[derive(Default, Clone)]
pub struct SelenitePlugin {
    pub settings: SeleniteSettings,
}

impl SelenitePlugin {
    pub fn with_settings(settings: SeleniteSettings) -> Self {
        SelenitePlugin { settings }
    }
}

/// System sets of the plugin (order your systems against these).
#[derive(bevy::prelude::SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SeleniteSystems {
    /// Runs the scripts' `on_update` (in the settings' schedule).
    Update,
    /// Runs the scripts' `on_fixed_update` (in `FixedUpdate`).
    FixedUpdate,
}

fn run_main(world: &mut World) {
    runtime::run_scripts(world, runtime::Phase::Main);
}

fn run_fixed(world: &mut World) {
    runtime::run_scripts(world, runtime::Phase::Fixed);
}

impl Plugin for SelenitePlugin {
    fn build(&self, app: &mut App) {
        // Assets: `.lua` files compile in the loader.
        app.init_asset::<LuaScript>()
            .init_asset_loader::<LuaScriptLoader>();

        // Messages both ways, and errors.
        app.add_message::<ScriptEvent>()
            .add_message::<ScriptMessage>()
            .add_message::<ScriptError>();

        // Resources: settings, diagnostics, registered functions, cursor.
        if !app.world().contains_resource::<SeleniteSettings>() {
            app.insert_resource(self.settings.clone());
        }
        app.init_resource::<ScriptDiagnostics>()
            .init_resource::<ScriptsChanged>()
            .init_resource::<ScriptFunctions>()
            .init_resource::<ScriptCursor>();
        diagnostics::register(app);

        // Types scripts commonly touch (auto-registration may be off).
        app.register_type::<Transform>()
            .register_type::<GlobalTransform>()
            .register_type::<Name>();

        // The VM: one for all scripts, non-send.
        match ScriptRuntime::new() {
            Ok(rt) => {
                app.insert_non_send(rt);
            }
            Err(e) => bevy::log::error!("cannot start the script VM: {e}"),
        }

        // Systems: scripts run exclusively (they touch any component).
        let schedule = app
            .world()
            .get_resource::<SeleniteSettings>()
            .map(|s| s.schedule)
            .unwrap_or(self.settings.schedule);
        app.add_systems(schedule, run_main.in_set(SeleniteSystems::Update))
            .add_systems(FixedUpdate, run_fixed.in_set(SeleniteSystems::FixedUpdate))
            .add_systems(Last, diagnostics::publish)
            // After every plugin's `build`: all types are registered by then.
            .add_systems(PostStartup, luals::write_at_startup);

        // Hot reload and `require` (see `reload`).
        reload::build(app);
    }
}
