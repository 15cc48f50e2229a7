//! Mods: folders of scripts with a `mod.ron` manifest, loaded from a mods directory
//! outside the assets, sandboxed and hot-reloaded.
//!
//! ```no_run
//! use bevy::prelude::*;
//! use bevy_selenite::prelude::*;
//! use bevy_selenite::mods::{ModSettings, ModsPlugin};
//!
//! App::new()
//!     .add_plugins((MinimalPlugins, AssetPlugin::default(), SelenitePlugin::default()))
//!     .add_plugins(ModsPlugin::new(ModSettings::next_to_executable()))
//!     .run();
//! ```
//!
//! # Layout
//!
//! `mods/<folder>/mod.ron` ([`manifest`]) plus the scripts it names in `entry`. Each entry
//! script is loaded once (its main chunk runs when the mod loads) and then gets the
//! callbacks `on_start(self)`, `on_update(self, dt)`, `on_reload(self)` (after a hot
//! reload) and `on_unload(self)` (when the mod is removed or changed). Callbacks run as
//! coroutines: `coroutine.yield()`, `wait(seconds)` and `wait_frames(n)` continue next
//! frame. Scripts use the plugin's API (`world`, `time`, `input`, `log`, `emit`, math
//! types) and two more globals: `storage` (the mod's saved state, see [`storage`]) and
//! `require` (modules of the mod's folder, then of the shared library folders).
//!
//! # Sandboxing
//!
//! **Every mod has its own VM** (a [`Lua`] of its own, sandboxed: no `io`, no files, no
//! `load` of bytecode, frozen shared libraries). This gives each mod what a shared VM
//! cannot: its own heap with its own memory limit (`limits.memory`, enforced by the VM:
//! allocations past it fail with "not enough memory", catchable by `pcall`), its own
//! instruction budget per frame (`limits.instructions_per_frame`, shared by the mod's
//! scripts; a mod that runs out is suspended and continues next frame), and no path at
//! all to another mod's globals, tables or functions. The cost is a few hundred KiB per
//! mod. Within a mod, each entry script has its own environment; `storage` and the
//! `require` cache are per mod.
//!
//! Component and resource access goes through the manifest's [`manifest::Permissions`]:
//! reading a component needs `read` (or `write`), `entity:set`, field assignment,
//! `insert` and `remove` need `write`, `world.spawn` needs `spawn` (and `write` for each
//! component given), `despawn` needs `despawn`. A refused access is a Lua error naming the
//! permission: `mod 'cheats' lacks permission 'write:Transform'`.
//!
//! # Loading, errors and watching
//!
//! A manifest error (with `file:line:column`), a missing or incompatible dependency, or a
//! cycle skips the affected mods only ([`resolve`]); [`ModStatus`] lists loaded and
//! skipped mods with reasons, and the reasons are logged. With [`ModSettings::watch`],
//! the folder is watched: a new mod folder loads, a removed one unloads (`on_unload`), an
//! edited `mod.ron` reloads that mod (its `storage` is kept), and an edited script is
//! hot-reloaded with the rules of [`crate::reload`] (environment and `self` kept,
//! functions replaced, errors keep the old version). Entities a mod spawned (marked
//! [`SpawnedByMod`]) are despawned when it unloads, after its `on_unload`.

pub mod manifest;
pub mod resolve;
pub mod storage;
pub mod watch;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use bevy::app::{App, Plugin};
use bevy::log::{error, info, warn};
use bevy::prelude::{Component, Entity, IntoScheduleConfigs, Resource, Time, World};
use selenite::api::{Error, Function, Lua, LuaValue, RunOutcome, Table, Thread, Variadic};
use selenite::bytecode::Proto;

use crate::asset::LuaScript;
use crate::events::ScriptErrorKind;
use crate::lend::world_scope;
use crate::reload::{install_require, reload_module, run_once, ModuleCache, ModuleRoot};
use crate::world::{set_current, Current};

pub use manifest::{Dependency, Limits, ManifestError, ModManifest, Permissions};
pub use resolve::{resolve, Resolution, Skipped};
pub use storage::{StorageError, StoredValue};

// ---- permissions --------------------------------------------------------------------

thread_local! {
    static ACTIVE: RefCell<Option<(String, Permissions)>> = const { RefCell::new(None) };
    /// Whether `ACTIVE` holds a mod: checked first, since every component access asks.
    static ANY_ACTIVE: Cell<bool> = const { Cell::new(false) };
}

fn with_mod<R>(id: &str, perms: &Permissions, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<(String, Permissions)>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0.take();
            ANY_ACTIVE.with(|f| f.set(prev.is_some()));
            ACTIVE.with(|a| *a.borrow_mut() = prev);
        }
    }
    let prev = ACTIVE.with(|a| a.borrow_mut().replace((id.to_string(), perms.clone())));
    ANY_ACTIVE.with(|f| f.set(true));
    let _reset = Reset(prev);
    f()
}

/// Whether mod code is running now (its permissions then apply to world accesses).
pub(crate) fn any_active() -> bool {
    ANY_ACTIVE.with(Cell::get)
}

fn check(
    allowed: impl FnOnce(&Permissions) -> bool,
    what: impl FnOnce() -> String,
) -> selenite::api::Result<()> {
    if !ANY_ACTIVE.with(Cell::get) {
        return Ok(());
    }
    ACTIVE.with(|a| match &*a.borrow() {
        Some((id, p)) if !allowed(p) => Err(Error::runtime(format!(
            "mod '{id}' lacks permission '{}'",
            what()
        ))),
        _ => Ok(()),
    })
}

/// Hook of the world API: may the running code (a mod, or anything else) read `name`?
pub(crate) fn check_read(name: &str) -> selenite::api::Result<()> {
    check(|p| p.can_read(name), || format!("read:{name}"))
}

/// Hook of the world API: may the running code write `name`?
pub(crate) fn check_write(name: &str) -> selenite::api::Result<()> {
    check(|p| p.can_write(name), || format!("write:{name}"))
}

/// Marks an entity spawned by a mod's script (`world.spawn`): the mod's content, despawned
/// when the mod unloads (its folder removed, its manifest changed, or the app dropping it).
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct SpawnedByMod(pub String);

/// The id of the mod whose code is running, if any.
pub(crate) fn active_mod() -> Option<String> {
    ACTIVE.with(|a| a.borrow().as_ref().map(|(id, _)| id.clone()))
}

/// Hook of the world API: may the running code spawn entities?
pub(crate) fn check_spawn() -> selenite::api::Result<()> {
    check(|p| p.spawn, || "spawn".into())
}

/// Hook of the world API: may the running code despawn entities?
pub(crate) fn check_despawn() -> selenite::api::Result<()> {
    check(|p| p.despawn, || "despawn".into())
}

// ---- settings, status ---------------------------------------------------------------

/// Where mods are and how they are watched.
#[derive(Resource, Clone, Debug)]
pub struct ModSettings {
    /// The mods directory (one folder per mod). Outside the assets.
    pub dir: PathBuf,
    /// Folders of Lua libraries every mod may `require` (after its own folder).
    pub shared_libs: Vec<PathBuf>,
    /// Watch `dir` and load, unload and reload mods while the game runs.
    pub watch: bool,
    /// Changes are applied once the folder has been quiet this long.
    pub debounce: Duration,
}

impl ModSettings {
    /// Mods in `dir`, watched.
    pub fn new(dir: impl Into<PathBuf>) -> ModSettings {
        ModSettings {
            dir: dir.into(),
            shared_libs: Vec::new(),
            watch: true,
            debounce: Duration::from_millis(100),
        }
    }

    /// `mods/` next to the executable.
    pub fn next_to_executable() -> ModSettings {
        let dir = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default()
            .join("mods");
        ModSettings::new(dir)
    }

    /// `<user data>/<game>/mods`: `$XDG_DATA_HOME` or `~/.local/share` on Unix,
    /// `%APPDATA%` on Windows (falls back to next to the executable).
    pub fn in_user_data(game: &str) -> ModSettings {
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
            .or_else(|| {
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share"))
            });
        match base {
            Some(b) => ModSettings::new(b.join(game).join("mods")),
            None => ModSettings::next_to_executable(),
        }
    }
}

/// Which mods run, which were skipped and why (updated on every (re)load).
#[derive(Resource, Clone, Debug, Default)]
pub struct ModStatus {
    /// Loaded mods, in load order.
    pub loaded: Vec<String>,
    /// Skipped mods: id (or folder, when the manifest is unreadable) → reason.
    pub skipped: BTreeMap<String, String>,
}

// ---- runtime ------------------------------------------------------------------------

const HELPERS: &str = r#"
local yield = coroutine.yield
local function wait_frames(n)
    for _ = 1, math.max(1, math.floor(tonumber(n) or 1)) do yield() end
end
local function wait(seconds)
    local t = time.elapsed + (tonumber(seconds) or 0)
    repeat yield() until time.elapsed >= t
end
local function wait_until(cond)
    while not cond() do yield() end
end
return wait, wait_frames, wait_until
"#;

struct EntryScript {
    label: String,
    file: PathBuf,
    env: Table,
    this: Table,
    proto: Arc<Proto>,
    task: Option<Thread>,
    started: bool,
    last_error: Option<String>,
}

struct LoadedMod {
    manifest: ModManifest,
    dir: PathBuf,
    lua: Lua,
    storage: Table,
    modules: Rc<RefCell<ModuleCache>>,
    scripts: Vec<EntryScript>,
}

/// Why a mod could not start.
#[derive(Debug, thiserror::Error)]
pub enum ModError {
    #[error("mod '{id}': {source}")]
    Lua {
        id: String,
        #[source]
        source: Error,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The loaded mods (a non-send resource: each mod owns a VM).
pub struct ModHost {
    mods: Vec<LoadedMod>,
    watcher: Option<watch::ModWatcher>,
    /// Restored storage of mods not loaded (yet).
    saved: BTreeMap<String, StoredValue>,
    scanned: bool,
}

impl Default for ModHost {
    fn default() -> Self {
        ModHost::new()
    }
}

impl ModHost {
    pub fn new() -> ModHost {
        ModHost {
            mods: Vec::new(),
            watcher: None,
            saved: BTreeMap::new(),
            scanned: false,
        }
    }

    /// Ids of the loaded mods, in load order.
    pub fn loaded(&self) -> Vec<String> {
        self.mods.iter().map(|m| m.manifest.id.clone()).collect()
    }

    /// The `storage` table of a loaded mod, as saved data.
    pub fn storage_of(&mut self, id: &str) -> Result<Option<StoredValue>, StorageError> {
        let Some(m) = self.mods.iter_mut().find(|m| m.manifest.id == id) else {
            return Ok(None);
        };
        let v = LuaValue::Table(m.storage.clone());
        storage::from_lua(&mut m.lua, v, &format!("mod '{id}'")).map(Some)
    }

    /// Every mod's `storage` as RON (mods restored but not loaded keep their data).
    pub fn save_storage(&mut self) -> Result<String, StorageError> {
        let mut all = self.saved.clone();
        for m in &mut self.mods {
            let id = m.manifest.id.clone();
            let v = LuaValue::Table(m.storage.clone());
            let s = storage::from_lua(&mut m.lua, v, &format!("mod '{id}'"))?;
            all.insert(id, s);
        }
        storage::write_ron(&all)
    }

    /// Restores `storage` tables from RON written by [`ModHost::save_storage`]: loaded mods
    /// get their table's contents replaced, the others get theirs when they load.
    pub fn restore_storage(&mut self, text: &str) -> Result<(), StorageError> {
        let all: BTreeMap<String, StoredValue> = storage::read_ron(text)?;
        for m in &mut self.mods {
            if let Some(v) = all.get(&m.manifest.id) {
                fill_storage(&mut m.lua, &m.storage, v, &m.manifest.id)?;
            }
        }
        self.saved = all;
        Ok(())
    }
}

fn fill_storage(
    lua: &mut Lua,
    table: &Table,
    v: &StoredValue,
    id: &str,
) -> Result<(), StorageError> {
    let owner = format!("mod '{id}'");
    let restore_err = |e: Error| StorageError::Restore {
        owner: owner.clone(),
        message: e.to_string(),
    };
    let old: Vec<(LuaValue, LuaValue)> = table.pairs(lua).map_err(restore_err)?;
    for (k, _) in old {
        table.raw_set(lua, k, LuaValue::Nil).map_err(restore_err)?;
    }
    if let StoredValue::Map(_) | StoredValue::List(_) = v {
        if let LuaValue::Table(src) = storage::to_lua(lua, v, &owner)? {
            let pairs: Vec<(LuaValue, LuaValue)> = src.pairs(lua).map_err(restore_err)?;
            for (k, x) in pairs {
                table.raw_set(lua, k, x).map_err(restore_err)?;
            }
        }
    }
    Ok(())
}

/// Adds mods to the app: see the [module docs](self).
#[derive(Clone)]
pub struct ModsPlugin {
    pub settings: ModSettings,
}

impl ModsPlugin {
    pub fn new(settings: ModSettings) -> ModsPlugin {
        ModsPlugin { settings }
    }
}

impl Plugin for ModsPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(self.settings.clone())
            .init_resource::<ModStatus>()
            .insert_non_send(ModHost::new());
        let schedule = app
            .world()
            .get_resource::<crate::SeleniteSettings>()
            .map(|s| s.schedule)
            .unwrap_or_else(|| crate::SeleniteSettings::default().schedule);
        app.add_systems(schedule, run_mods.after(crate::SeleniteSystems::Update));
    }
}

fn report(world: &mut World, kind: ScriptErrorKind, script: &str, e: &Error) {
    let message = e.to_string();
    crate::reload::report_error(world, kind, script, &message, e.traceback());
}

/// The exclusive system: applies folder changes, then runs every mod's scripts.
fn run_mods(world: &mut World) {
    let Some(mut host) = world.remove_non_send::<ModHost>() else {
        return;
    };
    let Some(settings) = world.get_resource::<ModSettings>().cloned() else {
        world.insert_non_send(host);
        return;
    };
    if !host.scanned {
        host.scanned = true;
        if settings.watch {
            if !settings.dir.is_dir() {
                let _ = std::fs::create_dir_all(&settings.dir);
            }
            match watch::ModWatcher::new(&settings.dir, settings.debounce) {
                Ok(w) => host.watcher = Some(w),
                Err(e) => warn!("cannot watch mods in {}: {e}", settings.dir.display()),
            }
        }
        sync(world, &mut host, &settings, &HashSet::new());
    } else if let Some(w) = host.watcher.as_mut() {
        let changed = w.poll();
        if !changed.is_empty() {
            apply_changes(world, &mut host, &settings, changed);
        }
    }
    let dt = world
        .get_resource::<Time>()
        .map(|t| t.delta_secs_f64())
        .unwrap_or(0.0);
    for m in &mut host.mods {
        run_mod(world, m, dt);
    }
    world.insert_non_send(host);
}

/// Sorts changed paths into script edits and structural changes.
fn apply_changes(
    world: &mut World,
    host: &mut ModHost,
    settings: &ModSettings,
    paths: Vec<PathBuf>,
) {
    let root = settings.dir.canonicalize().unwrap_or(settings.dir.clone());
    let mut structural = HashSet::new();
    let mut scripts: Vec<PathBuf> = Vec::new();
    for p in paths {
        let rel = p
            .strip_prefix(&settings.dir)
            .or_else(|_| p.strip_prefix(&root))
            .map(Path::to_path_buf);
        let Ok(rel) = rel else { continue };
        let mut comps = rel.components();
        let Some(folder) = comps.next() else { continue };
        let folder = settings.dir.join(folder.as_os_str());
        let rest: PathBuf = comps.collect();
        if rest.as_os_str().is_empty() || rest == Path::new("mod.ron") {
            structural.insert(folder);
        } else if p.extension().is_some_and(|e| e == "lua") {
            scripts.push(p);
        }
    }
    if !structural.is_empty() {
        sync(world, host, settings, &structural);
    }
    for p in scripts {
        hot_reload_file(world, host, &p);
    }
}

/// Scans the folder, resolves, unloads mods that are gone or changed (or whose folder is
/// in `changed`), loads the new ones.
fn sync(world: &mut World, host: &mut ModHost, settings: &ModSettings, changed: &HashSet<PathBuf>) {
    let mut found: Vec<(PathBuf, ModManifest)> = Vec::new();
    let mut status = ModStatus::default();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&settings.dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        match ModManifest::read(&dir) {
            Ok(m) => found.push((dir, m)),
            Err(e) => {
                error!("mod skipped: {e}");
                let key = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                status.skipped.insert(key, e.to_string());
            }
        }
    }
    let res = resolve(&found);
    for w in &res.warnings {
        warn!("{w}");
    }
    for s in &res.skipped {
        error!("mod '{}' skipped: {}", s.id, s.reason);
        status.skipped.insert(s.id.clone(), s.reason.clone());
    }
    let wanted: Vec<&(PathBuf, ModManifest)> = res.order.iter().map(|&i| &found[i]).collect();

    // Unload what is gone, changed, or touched.
    let mut old: Vec<LoadedMod> = std::mem::take(&mut host.mods);
    let mut keep: BTreeMap<String, LoadedMod> = BTreeMap::new();
    for m in old.drain(..) {
        let still = wanted
            .iter()
            .any(|(d, man)| *d == m.dir && *man == m.manifest)
            && !changed.contains(&m.dir);
        if still {
            keep.insert(m.manifest.id.clone(), m);
        } else {
            unload(world, host, m);
        }
    }
    for (dir, manifest) in wanted {
        if let Some(m) = keep.remove(&manifest.id) {
            host.mods.push(m);
            continue;
        }
        match load(world, host, settings, dir, manifest) {
            Ok(m) => {
                info!("mod '{}' {} loaded", manifest.id, manifest.version);
                host.mods.push(m);
            }
            Err(e) => {
                error!("mod '{}' skipped: {e}", manifest.id);
                status.skipped.insert(manifest.id.clone(), e.to_string());
            }
        }
    }
    status.loaded = host.loaded();
    world.insert_resource(status);
}

fn unload(world: &mut World, host: &mut ModHost, mut m: LoadedMod) {
    let id = m.manifest.id.clone();
    let perms = m.manifest.permissions.clone();
    let budget = m.manifest.limits.instructions_per_frame;
    for s in &m.scripts {
        let f: Option<Function> = s.env.raw_get(&mut m.lua, "on_unload").ok().flatten();
        if let Some(f) = f {
            let this = LuaValue::Table(s.this.clone());
            let label = s.label.clone();
            let r = in_mod(world, &id, &perms, &label, || {
                run_once(&mut m.lua, &f, vec![this], budget, "on_unload")
            });
            if let Err(e) = r {
                report(world, ScriptErrorKind::Runtime, &label, &e);
            }
        }
    }
    // Keep its storage for a reload.
    let v = LuaValue::Table(m.storage.clone());
    match storage::from_lua(&mut m.lua, v, &format!("mod '{id}'")) {
        Ok(s) => {
            host.saved.insert(id.clone(), s);
        }
        Err(e) => warn!("{e} (the storage is lost on unload)"),
    }
    // Its content goes with it.
    let mut spawned = world.query::<(Entity, &SpawnedByMod)>();
    let doomed: Vec<Entity> = spawned
        .iter(world)
        .filter(|(_, by)| by.0 == id)
        .map(|(e, _)| e)
        .collect();
    for e in &doomed {
        world.despawn(*e);
    }
    info!(
        "mod '{id}' unloaded ({} entities it spawned despawned)",
        doomed.len()
    );
}

/// Runs `f` as mod code: world lent, permissions of the mod, current script set.
fn in_mod<R>(
    world: &mut World,
    id: &str,
    perms: &Permissions,
    label: &str,
    f: impl FnOnce() -> R,
) -> R {
    set_current(Some(Current {
        entity: Entity::PLACEHOLDER,
        script: label.into(),
    }));
    let r = world_scope(world, || with_mod(id, perms, f));
    set_current(None);
    r
}

fn load(
    world: &mut World,
    host: &mut ModHost,
    settings: &ModSettings,
    dir: &Path,
    manifest: &ModManifest,
) -> Result<LoadedMod, ModError> {
    let id = manifest.id.clone();
    let lua_err = |source: Error| ModError::Lua {
        id: id.clone(),
        source,
    };
    let mut lua = Lua::sandboxed();
    crate::math::install(&mut lua).map_err(lua_err)?;
    crate::world::install(&mut lua).map_err(lua_err)?;
    let helpers = lua.load(HELPERS, "=selenite").map_err(lua_err)?;
    let (wait, wait_frames, wait_until): (Function, Function, Function) =
        helpers.call(&mut lua, ()).map_err(lua_err)?;
    lua.set_global("wait", wait).map_err(lua_err)?;
    lua.set_global("wait_frames", wait_frames)
        .map_err(lua_err)?;
    lua.set_global("wait_until", wait_until).map_err(lua_err)?;
    let mut roots = vec![ModuleRoot {
        dir: dir.to_path_buf(),
        label: format!("mods/{id}/"),
        assets: false,
    }];
    for lib in &settings.shared_libs {
        roots.push(ModuleRoot {
            dir: lib.clone(),
            label: "lib/".into(),
            assets: false,
        });
    }
    let modules = Rc::new(RefCell::new(ModuleCache::new(roots)));
    install_require(&mut lua, modules.clone()).map_err(lua_err)?;
    let storage = lua.create_table().map_err(lua_err)?;
    if let Some(saved) = host.saved.get(&id) {
        fill_storage(&mut lua, &storage, saved, &id)?;
    }
    lua.set_global("storage", storage.clone())
        .map_err(lua_err)?;
    let info = lua.create_table().map_err(lua_err)?;
    info.raw_set(&mut lua, "id", id.as_str()).map_err(lua_err)?;
    info.raw_set(&mut lua, "version", manifest.version.to_string())
        .map_err(lua_err)?;
    lua.freeze(&info).map_err(lua_err)?;
    lua.set_global("mod", info).map_err(lua_err)?;
    lua.collect_garbage();
    // The limit covers the whole heap of the mod's VM, libraries included.
    let base = lua.used_memory();
    let limit = manifest.limits.memory.max(base + 64 * 1024);
    if limit != manifest.limits.memory {
        warn!(
            "mod '{id}': memory limit {} raised to {limit} bytes (the libraries alone use {base})",
            manifest.limits.memory
        );
    }
    lua.vm_mut().set_memory_limit(Some(limit));

    let mut m = LoadedMod {
        manifest: manifest.clone(),
        dir: dir.to_path_buf(),
        lua,
        storage,
        modules,
        scripts: Vec::new(),
    };
    for entry in &manifest.entry {
        let file = dir.join(entry);
        let label = format!("mods/{id}/{entry}");
        let proto = match compile(&file, &label) {
            Ok(p) => p,
            Err(e) => {
                report(world, ScriptErrorKind::Compile, &label, &e);
                continue;
            }
        };
        let r = (|| -> Result<EntryScript, Error> {
            let env = m.lua.new_env()?;
            let this = m.lua.create_table()?;
            this.raw_set(&mut m.lua, "mod", id.as_str())?;
            this.raw_set(&mut m.lua, "script", label.as_str())?;
            let f = bind(&mut m.lua, &proto, &label, &env)?;
            let budget = manifest.limits.instructions_per_frame;
            in_mod(world, &id, &manifest.permissions, &label, || {
                run_once(&mut m.lua, &f, Vec::new(), budget, "main chunk")
            })?;
            Ok(EntryScript {
                label: label.clone(),
                file: file.clone(),
                env,
                this,
                proto: proto.clone(),
                task: None,
                started: false,
                last_error: None,
            })
        })();
        match r {
            Ok(s) => m.scripts.push(s),
            Err(e) => report(world, ScriptErrorKind::Runtime, &label, &e),
        }
    }
    Ok(m)
}

fn compile(file: &Path, label: &str) -> Result<Arc<Proto>, Error> {
    let bytes =
        std::fs::read(file).map_err(|e| Error::runtime(format!("cannot read {label}: {e}")))?;
    LuaScript::compile(label, &bytes)
        .compiled
        .map_err(Error::runtime)
}

fn bind(lua: &mut Lua, proto: &Proto, label: &str, env: &Table) -> Result<Function, Error> {
    use selenite::api::{FromLua, IntoLua};
    let env_raw = env.clone().into_lua(lua)?;
    let f = lua
        .vm_mut()
        .load_compiled(proto, &format!("@{label}"), env_raw);
    Function::from_lua(f, lua)
}

/// A `.lua` file of a loaded mod changed: swap an entry script or reload a module.
fn hot_reload_file(world: &mut World, host: &mut ModHost, path: &Path) {
    let canon = path.canonicalize().unwrap_or(path.to_path_buf());
    for m in &mut host.mods {
        let id = m.manifest.id.clone();
        let perms = m.manifest.permissions.clone();
        let budget = m.manifest.limits.instructions_per_frame;
        let mod_dir = m.dir.canonicalize().unwrap_or(m.dir.clone());
        if !canon.starts_with(&mod_dir) && !path.starts_with(&m.dir) {
            continue;
        }
        for s in &mut m.scripts {
            let same = s.file == path || s.file.canonicalize().is_ok_and(|f| f == canon);
            if !same {
                continue;
            }
            let label = s.label.clone();
            let proto = match compile(&s.file, &label) {
                Ok(p) => p,
                Err(e) => {
                    report(world, ScriptErrorKind::Compile, &label, &e);
                    return;
                }
            };
            if *proto == *s.proto {
                return;
            }
            let (env, this) = (s.env.clone(), s.this.clone());
            let lua = &mut m.lua;
            let r = in_mod(world, &id, &perms, &label, || -> Result<(), Error> {
                let f = bind(lua, &proto, &label, &env)?;
                crate::reload::swap(lua, &f, &env, &this, budget)
            });
            match r {
                Ok(()) => {
                    s.proto = proto;
                    s.last_error = None;
                    info!("reloaded {label}");
                }
                Err(e) => report(world, ScriptErrorKind::Runtime, &label, &e),
            }
            return;
        }
        // A module of this mod.
        let label = m
            .modules
            .borrow()
            .label_of_file(path)
            .or_else(|| m.modules.borrow().label_of_file(&canon));
        if let Some(label) = label {
            let modules = m.modules.clone();
            let lua = &mut m.lua;
            let r = in_mod(world, &id, &perms, &label, || {
                reload_module(lua, &modules, &label, None, budget)
            });
            match r {
                Ok(true) => info!("reloaded module {label}"),
                Ok(false) => {}
                Err(e) => {
                    let kind = if e.traceback().is_some() {
                        ScriptErrorKind::Runtime
                    } else {
                        ScriptErrorKind::Compile
                    };
                    report(world, kind, &label, &e);
                }
            }
        }
        return;
    }
}

/// Runs one frame of a mod within its instruction budget.
fn run_mod(world: &mut World, m: &mut LoadedMod, dt: f64) {
    let id = m.manifest.id.clone();
    let perms = m.manifest.permissions.clone();
    let mut left = m.manifest.limits.instructions_per_frame;
    for s in &mut m.scripts {
        if left == 0 {
            break;
        }
        let label = s.label.clone();
        let lua = &mut m.lua;
        let (used, err) = in_mod(world, &id, &perms, &label, || step(lua, s, left, dt));
        left = left.saturating_sub(used);
        if let Some(e) = err {
            let msg = e.to_string();
            if s.last_error.as_deref() != Some(msg.as_str()) {
                s.last_error = Some(msg.clone());
                crate::reload::report_error(
                    world,
                    ScriptErrorKind::Runtime,
                    &label,
                    &msg,
                    e.traceback(),
                );
            }
        }
    }
}

/// Continues the script's suspended callback, or starts its next one; returns the
/// instructions used and the error raised, if any.
fn step(lua: &mut Lua, s: &mut EntryScript, budget: u64, dt: f64) -> (u64, Option<Error>) {
    let before = lua.vm().budget.used();
    let used = |lua: &Lua| lua.vm().budget.used().saturating_sub(before).max(1);
    let thread = match s.task.take() {
        Some(t) => (t, Vec::new()),
        None => {
            let this = LuaValue::Table(s.this.clone());
            let (name, args) = if s.started {
                ("on_update", vec![this, LuaValue::Number(dt)])
            } else {
                s.started = true;
                ("on_start", vec![this])
            };
            let f: Option<Function> = match s.env.raw_get(lua, name) {
                Ok(f) => f,
                Err(e) => return (used(lua), Some(e)),
            };
            let Some(f) = f else {
                return (0, None);
            };
            match lua.create_thread(&f) {
                Ok(t) => (t, args),
                Err(e) => return (used(lua), Some(e)),
            }
        }
    };
    let (th, args) = thread;
    match th.resume_budget::<_, ()>(lua, Variadic(args), budget) {
        Ok(RunOutcome::Finished(())) => (used(lua), None),
        Ok(RunOutcome::OutOfBudget) | Ok(RunOutcome::Yielded(_)) => {
            s.task = Some(th);
            (used(lua), None)
        }
        Err(e) => (used(lua), Some(e)),
    }
}

impl crate::reflect::CompRef {
    /// The component or resource name a reference starts from (for permission checks).
    pub(crate) fn root_name(&self) -> &'static str {
        match self.root {
            crate::reflect::Root::Component { name, .. } => name,
            crate::reflect::Root::Resource { name, .. } => name,
        }
    }
}
