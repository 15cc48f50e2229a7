//! Hot reload of scripts and modules, and the host `require`.
//!
//! # What a reload keeps
//!
//! When a `.lua` asset changes, every instance running it re-runs the **new main chunk
//! in its existing environment table**: globals of the script (`count = count or 0`,
//! `state = state or {}`) and the instance's `self` table survive, every function the
//! chunk defines (`on_update`, helpers) is replaced by the new version. Module-level
//! `local` variables are re-initialised by the new chunk (they belong to the chunk, not
//! to the environment): keep state that must survive in globals or in `self`. After the
//! swap the optional callback `on_reload(self)` runs (one slice, no waiting), so a script
//! can migrate its state:
//!
//! ```lua
//! function on_reload(self)
//!     self.speed = self.speed or 5      -- field added by this version
//! end
//! ```
//!
//! A callback suspended in `wait` (or out of budget) when the file changes **finishes on
//! the old code**: its coroutine holds the old closures. Every call started after the swap
//! (the next `on_update`, events) uses the new functions.
//!
//! A file that does not compile, or whose new main chunk raises an error, is reported
//! ([`crate::ScriptError`], `path:line: message`, and the log) and the old functions keep
//! running; saving a fixed version reloads normally. Reloads of an unchanged program
//! (editors saving twice, several watchers) are skipped.
//!
//! # Watching files
//!
//! Bevy's own watcher (the `file_watcher` feature of `bevy_asset`, on in this crate)
//! debounces for 300 ms and ignores files replaced by a rename. With the crate feature
//! `hot-reload` (default), [`HotReloadSettings::watch`] adds a `notify` watcher on the
//! asset folder that asks the [`AssetServer`] to reload a `.lua` file as soon as it is
//! closed after writing or renamed into place (atomic saves), coalescing bursts of saves
//! ([`HotReloadSettings::debounce`]); the last version written wins because every reload
//! reads the file when it runs. With both watchers on, the duplicate reload is skipped.
//!
//! # `require`
//!
//! The sandbox has no `package` library; scripts get a host `require(name)` instead:
//! `require("lib.vec")` loads `lib/vec.lua` (or `lib/vec/init.lua`) from the asset folder,
//! runs it once per VM in its own environment and caches its result. When the module file
//! changes, the module is re-run in the same environment and, when it returns a table,
//! the new fields are copied into the table scripts already hold, so
//! `local vec = require("lib.vec")` at the top of a script sees the new functions without
//! the script being reloaded. Names are dotted identifiers only: no `..`, no absolute
//! paths.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use bevy::app::App;
use bevy::asset::{AssetEvent, AssetId, AssetServer, Assets, Handle};
use bevy::ecs::message::{MessageCursor, Messages};
use bevy::log::{error, info};
use bevy::prelude::{Entity, Resource, World};
use selenite::api::{
    Error, FromLua, Function, IntoLua, Lua, LuaValue, RunOutcome, Table, Variadic,
};
use selenite::bytecode::Proto;

use crate::asset::LuaScript;
use crate::events::{ScriptError, ScriptErrorKind};
use crate::world::with_world;

/// Settings of script hot reload (a resource; insert your own before the plugin to
/// change them).
#[derive(Resource, Clone, Debug)]
pub struct HotReloadSettings {
    /// Run Selenite's `notify` watcher on the asset folder (needs the `hot-reload` crate
    /// feature). Independent of Bevy's watcher (`AssetPlugin::watch_for_changes_override`).
    pub watch: bool,
    /// Saves of one file closer together than this are coalesced into one reload (the
    /// first reload happens at once when the file is closed after writing).
    pub debounce: Duration,
    /// Instructions the new main chunk (and `on_reload`) may run during a swap.
    pub swap_budget: u64,
}

impl Default for HotReloadSettings {
    fn default() -> Self {
        HotReloadSettings {
            watch: true,
            debounce: Duration::from_millis(30),
            swap_budget: 1_000_000,
        }
    }
}

/// Per-VM state of hot reload: which program each instance runs (to skip reloads that
/// change nothing) and the module cache of `require`.
pub struct HotReloadState {
    running: HashMap<(Entity, u32), Arc<Proto>>,
    /// The modules of the shared script VM.
    pub modules: Rc<RefCell<ModuleCache>>,
    cursor: MessageCursor<AssetEvent<LuaScript>>,
}

/// Whether the instance `key` should swap to `proto` (false when it already runs an
/// identical program, e.g. the same save seen by two watchers). Records the new program.
pub(crate) fn is_new_version(key: (Entity, u32), proto: &Arc<Proto>) -> bool {
    with_world(|w| match w.get_non_send_mut::<HotReloadState>() {
        Some(mut st) => {
            if st.running.get(&key).is_some_and(|p| **p == **proto) {
                return false;
            }
            st.running.insert(key, proto.clone());
            true
        }
        None => true,
    })
    .unwrap_or(true)
}

/// Records the program an instance starts with (creation).
pub(crate) fn record_version(key: (Entity, u32), proto: &Arc<Proto>) {
    let _ = with_world(|w| {
        if let Some(mut st) = w.get_non_send_mut::<HotReloadState>() {
            st.running.insert(key, proto.clone());
        }
    });
}

/// Runs `f` to completion within `budget` instructions (no waiting): used for swaps and
/// module loads driven from Rust.
pub(crate) fn run_once(
    lua: &mut Lua,
    f: &Function,
    args: Vec<LuaValue>,
    budget: u64,
    what: &str,
) -> Result<Vec<LuaValue>, Error> {
    let th = lua.create_thread(f)?;
    match th.resume_budget::<_, Variadic<LuaValue>>(lua, Variadic(args), budget)? {
        RunOutcome::Finished(Variadic(v)) => Ok(v),
        RunOutcome::OutOfBudget => Err(Error::runtime(format!(
            "{what} did not finish within {budget} instructions"
        ))),
        RunOutcome::Yielded(_) => Err(Error::runtime(format!("{what} cannot wait"))),
    }
}

/// The swap of a reload: runs the new main chunk `main` (already bound to the instance's
/// environment `env`), then `on_reload(self)` if the script defines it.
pub(crate) fn swap(
    lua: &mut Lua,
    main: &Function,
    env: &Table,
    this: &Table,
    budget: u64,
) -> Result<(), Error> {
    run_once(lua, main, Vec::new(), budget, "main chunk")?;
    let on_reload: Option<Function> = env.raw_get(lua, "on_reload")?;
    if let Some(f) = on_reload {
        run_once(
            lua,
            &f,
            vec![LuaValue::Table(this.clone())],
            budget,
            "on_reload",
        )?;
    }
    Ok(())
}

pub(crate) fn report_error(
    world: &mut World,
    kind: ScriptErrorKind,
    script: &str,
    message: &str,
    traceback: Option<&str>,
) {
    match traceback {
        Some(tb) => error!(target: "selenite::script", "{message}\n{tb}"),
        None => error!(target: "selenite::script", "{message}"),
    }
    world.write_message(ScriptError {
        kind,
        script: script.to_string(),
        entity: None,
        message: message.to_string(),
        traceback: traceback.map(str::to_string),
    });
}

// ---- require -------------------------------------------------------------------------

/// A folder `require` searches.
#[derive(Clone, Debug)]
pub struct ModuleRoot {
    /// The folder on disk.
    pub dir: PathBuf,
    /// Prefix of module paths in messages and chunk names (`""` for the asset folder,
    /// `"mods/cheats/"` for a mod).
    pub label: String,
    /// Files under this root are assets: watch them through the [`AssetServer`].
    pub assets: bool,
}

struct ModuleEntry {
    file: PathBuf,
    env: Table,
    value: Option<LuaValue>,
    handle: Option<Handle<LuaScript>>,
    proto: Option<Arc<Proto>>,
}

/// The modules `require` has loaded in one VM.
#[derive(Default)]
pub struct ModuleCache {
    roots: Vec<ModuleRoot>,
    /// Module name → chunk label.
    by_name: HashMap<String, String>,
    /// Chunk label → module.
    modules: HashMap<String, ModuleEntry>,
}

impl ModuleCache {
    /// A cache searching `roots` in order.
    pub fn new(roots: Vec<ModuleRoot>) -> ModuleCache {
        ModuleCache {
            roots,
            ..Default::default()
        }
    }

    /// Replaces the search folders (loaded modules stay).
    pub fn set_roots(&mut self, roots: Vec<ModuleRoot>) {
        self.roots = roots;
        self.by_name.clear();
    }

    /// Number of loaded modules.
    pub fn len(&self) -> usize {
        self.modules.values().filter(|m| m.value.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The label of the module stored in `file`, if loaded.
    pub fn label_of_file(&self, file: &Path) -> Option<String> {
        self.modules
            .iter()
            .find(|(_, m)| m.file == file)
            .map(|(k, _)| k.clone())
    }

    fn resolve(&self, name: &str) -> Result<(String, PathBuf, String, bool), Error> {
        let valid = !name.is_empty()
            && name.split('.').all(|seg| {
                !seg.is_empty()
                    && seg
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        if !valid {
            return Err(Error::runtime(format!(
                "invalid module name '{name}' (dotted names like 'lib.util' only)"
            )));
        }
        let rel = name.replace('.', "/");
        let mut tried = Vec::new();
        for root in &self.roots {
            for cand in [format!("{rel}.lua"), format!("{rel}/init.lua")] {
                let file = root.dir.join(&cand);
                if file.is_file() {
                    return Ok((format!("{}{cand}", root.label), file, cand, root.assets));
                }
                tried.push(format!("\n\tno file '{}{cand}'", root.label));
            }
        }
        Err(Error::runtime(format!(
            "module '{name}' not found:{}",
            tried.concat()
        )))
    }
}

fn compile_file(file: &Path, label: &str) -> Result<Arc<Proto>, Error> {
    let bytes = std::fs::read(file)
        .map_err(|e| Error::runtime(format!("cannot read module {label}: {e}")))?;
    LuaScript::compile(label, &bytes)
        .compiled
        .map_err(Error::runtime)
}

fn bind(lua: &mut Lua, proto: &Proto, label: &str, env: &Table) -> Result<Function, Error> {
    let env_raw = env.clone().into_lua(lua)?;
    let f = lua
        .vm_mut()
        .load_compiled(proto, &format!("@{label}"), env_raw);
    Function::from_lua(f, lua)
}

const REQUIRE: &str = r#"
local find, store = ...
local loading = {}
return function(name)
    if type(name) ~= "string" then
        error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
    end
    local kind, a, b = find(name)
    if kind == "cached" then return a end
    if loading[b] then
        error("module '" .. name .. "' is required while it loads (circular require)", 2)
    end
    loading[b] = true
    local ok, r = pcall(a, name, b)
    loading[b] = nil
    if not ok then error(r, 0) end
    if r == nil then r = true end
    return store(b, r)
end
"#;

/// Installs `require` in `lua`'s globals, resolving through `cache`.
pub fn install_require(lua: &mut Lua, cache: Rc<RefCell<ModuleCache>>) -> Result<(), Error> {
    let c = cache.clone();
    let find = lua.create_function(move |lua, name: String| {
        let known = c.borrow().by_name.get(&name).cloned();
        if let Some(label) = &known {
            let cached = c.borrow().modules.get(label).and_then(|m| m.value.clone());
            if let Some(v) = cached {
                return Ok((
                    LuaValue::String(lua.create_string("cached")?),
                    v,
                    LuaValue::Nil,
                ));
            }
        }
        let (label, file, rel, is_asset) = c.borrow().resolve(&name)?;
        c.borrow_mut().by_name.insert(name.clone(), label.clone());
        if let Some(v) = c.borrow().modules.get(&label).and_then(|m| m.value.clone()) {
            return Ok((
                LuaValue::String(lua.create_string("cached")?),
                v,
                LuaValue::Nil,
            ));
        }
        let proto = compile_file(&file, &label)?;
        let env = c.borrow().modules.get(&label).map(|m| m.env.clone());
        let env = match env {
            Some(e) => e,
            None => lua.new_env()?,
        };
        let f = bind(lua, &proto, &label, &env)?;
        // Asset modules are watched through the asset server (hot reload).
        let handle = if is_asset {
            with_world(|w| {
                w.get_resource::<AssetServer>()
                    .map(|s| s.load::<LuaScript>(rel.clone()))
            })
            .ok()
            .flatten()
        } else {
            None
        };
        let mut cm = c.borrow_mut();
        let entry = cm.modules.entry(label.clone()).or_insert(ModuleEntry {
            file,
            env,
            value: None,
            handle: None,
            proto: None,
        });
        if handle.is_some() {
            entry.handle = handle;
        }
        entry.proto = Some(proto);
        drop(cm);
        Ok((
            LuaValue::String(lua.create_string("load")?),
            LuaValue::Function(f),
            LuaValue::String(lua.create_string(&label)?),
        ))
    })?;
    let c = cache;
    let store = lua.create_function(move |_, (label, value): (String, LuaValue)| {
        if let Some(m) = c.borrow_mut().modules.get_mut(&label) {
            m.value = Some(value.clone());
        }
        Ok(value)
    })?;
    let maker = lua.load(REQUIRE, "=require")?;
    let require: Function = maker.call(lua, (find, store))?;
    lua.set_global("require", require)
}

/// Re-runs a loaded module from `proto` in its environment and patches the table scripts
/// hold. Returns `Ok(false)` when the module is not loaded or the program is unchanged.
pub fn reload_module(
    lua: &mut Lua,
    cache: &Rc<RefCell<ModuleCache>>,
    label: &str,
    proto: Option<Arc<Proto>>,
    budget: u64,
) -> Result<bool, Error> {
    let (file, env, old, old_proto) = {
        let c = cache.borrow();
        let Some(m) = c.modules.get(label) else {
            return Ok(false);
        };
        if m.value.is_none() {
            return Ok(false);
        }
        (
            m.file.clone(),
            m.env.clone(),
            m.value.clone(),
            m.proto.clone(),
        )
    };
    let proto = match proto {
        Some(p) => p,
        None => compile_file(&file, label)?,
    };
    if old_proto.is_some_and(|p| *p == *proto) {
        return Ok(false);
    }
    let f = bind(lua, &proto, label, &env)?;
    let name = LuaValue::String(lua.create_string(label)?);
    let out = run_once(lua, &f, vec![name.clone(), name], budget, "module")?;
    let new = out.into_iter().next().unwrap_or(LuaValue::Nil);
    let value = match (old, new) {
        (Some(LuaValue::Table(old)), LuaValue::Table(new)) => {
            if !old.ptr_eq(&new) {
                let pairs: Vec<(LuaValue, LuaValue)> = new.pairs(lua)?;
                for (k, v) in pairs {
                    old.raw_set(lua, k, v)?;
                }
            }
            LuaValue::Table(old)
        }
        (_, LuaValue::Nil) => LuaValue::Boolean(true),
        (_, v) => v,
    };
    let mut c = cache.borrow_mut();
    if let Some(m) = c.modules.get_mut(label) {
        m.value = Some(value);
        m.proto = Some(proto);
    }
    Ok(true)
}

/// The modules of the shared script VM (a non-send resource).
pub struct ScriptModules(pub Rc<RefCell<ModuleCache>>);

/// Reloads asset modules whose files changed (runs before the scripts).
fn reload_asset_modules(world: &mut World) {
    let Some(mut state) = world.remove_non_send::<HotReloadState>() else {
        return;
    };
    let mut modified = Vec::new();
    if let Some(events) = world.get_resource::<Messages<AssetEvent<LuaScript>>>() {
        for ev in state.cursor.read(events) {
            if let AssetEvent::Modified { id } = ev {
                modified.push(*id);
            }
        }
    }
    // Forget instances whose entity is gone.
    if world.entities().len() as usize + 16 < state.running.len() {
        state
            .running
            .retain(|(e, _), _| world.get_entity(*e).is_ok());
    }
    if !modified.is_empty() {
        reload_modules_for(world, &state, &modified);
    }
    world.insert_non_send(state);
}

fn reload_modules_for(world: &mut World, state: &HotReloadState, modified: &[AssetId<LuaScript>]) {
    let targets: Vec<(String, AssetId<LuaScript>)> = state
        .modules
        .borrow()
        .modules
        .iter()
        .filter_map(|(label, m)| {
            let id = m.handle.as_ref()?.id();
            modified.contains(&id).then(|| (label.clone(), id))
        })
        .collect();
    if targets.is_empty() {
        return;
    }
    let budget = world
        .get_resource::<HotReloadSettings>()
        .map(|s| s.swap_budget)
        .unwrap_or(1_000_000);
    let Some(mut rt) = world.remove_non_send::<crate::ScriptRuntime>() else {
        return;
    };
    for (label, id) in targets {
        let script = world
            .get_resource::<Assets<LuaScript>>()
            .and_then(|a| a.get(id))
            .cloned();
        let Some(script) = script else { continue };
        let proto = match script.compiled {
            Ok(p) => p,
            Err(msg) => {
                report_error(world, ScriptErrorKind::Compile, &label, &msg, None);
                continue;
            }
        };
        let modules = state.modules.clone();
        let r = crate::lend::world_scope(world, || {
            reload_module(rt.lua(), &modules, &label, Some(proto), budget)
        });
        match r {
            Ok(true) => info!("reloaded module {label}"),
            Ok(false) => {}
            Err(e) => report_error(
                world,
                ScriptErrorKind::Runtime,
                &label,
                &e.to_string(),
                e.traceback(),
            ),
        }
    }
    world.insert_non_send(rt);
}

/// The folder of the default asset source, as Bevy's file reader resolves it.
pub fn asset_root(app: &App) -> PathBuf {
    let rel = app
        .get_added_plugins::<bevy::asset::AssetPlugin>()
        .first()
        .map(|p| p.file_path.clone())
        .unwrap_or_else(|| "assets".to_string());
    bevy::asset::io::file::FileAssetReader::get_base_path().join(rel)
}

/// Registration, called by [`crate::SelenitePlugin`].
pub(crate) fn build(app: &mut App) {
    use bevy::prelude::IntoScheduleConfigs;
    if !app.world().contains_resource::<HotReloadSettings>() {
        app.init_resource::<HotReloadSettings>();
    }
    let root = asset_root(app);
    let cache = Rc::new(RefCell::new(ModuleCache::new(vec![ModuleRoot {
        dir: root.clone(),
        label: String::new(),
        assets: true,
    }])));
    if let Some(mut rt) = app.world_mut().get_non_send_mut::<crate::ScriptRuntime>() {
        if let Err(e) = install_require(rt.lua(), cache.clone()) {
            error!("cannot install require: {e}");
        }
    }
    app.insert_non_send(HotReloadState {
        running: HashMap::new(),
        modules: cache.clone(),
        cursor: MessageCursor::default(),
    });
    app.insert_non_send(ScriptModules(cache));
    let schedule = app
        .world()
        .get_resource::<crate::SeleniteSettings>()
        .map(|s| s.schedule)
        .unwrap_or_else(|| crate::SeleniteSettings::default().schedule);
    app.add_systems(
        schedule,
        reload_asset_modules.before(crate::SeleniteSystems::Update),
    );
    #[cfg(feature = "hot-reload")]
    watch::build(app, root);
}

#[cfg(feature = "hot-reload")]
mod watch {
    //! The `notify` watcher on the asset folder.

    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::mpsc::{channel, Receiver};
    use std::sync::Mutex;
    use std::time::Instant;

    use bevy::app::{App, PreUpdate};
    use bevy::asset::AssetServer;
    use bevy::log::warn;
    use bevy::prelude::{Res, ResMut, Resource};
    use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
    use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

    use super::HotReloadSettings;

    #[derive(Resource)]
    pub(super) struct ScriptWatcher {
        _watcher: RecommendedWatcher,
        rx: Mutex<Receiver<notify::Result<Event>>>,
        /// The watched folder, as given and canonical (event paths use either).
        roots: Vec<PathBuf>,
        /// File → when to reload it.
        pending: HashMap<PathBuf, Instant>,
        last_fired: HashMap<PathBuf, Instant>,
    }

    pub(super) fn build(app: &mut App, root: PathBuf) {
        let enabled = app
            .world()
            .get_resource::<HotReloadSettings>()
            .is_some_and(|s| s.watch);
        if !enabled || !root.is_dir() {
            return;
        }
        let (tx, rx) = channel();
        let watcher = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })
        .and_then(|mut w| w.watch(&root, RecursiveMode::Recursive).map(|_| w));
        match watcher {
            Ok(w) => {
                let mut roots = vec![root.clone()];
                if let Ok(c) = root.canonicalize() {
                    roots.push(c);
                }
                app.insert_resource(ScriptWatcher {
                    _watcher: w,
                    rx: Mutex::new(rx),
                    roots,
                    pending: HashMap::new(),
                    last_fired: HashMap::new(),
                });
                app.add_systems(PreUpdate, poll);
            }
            Err(e) => warn!("script hot reload: cannot watch {}: {e}", root.display()),
        }
    }

    fn is_lua(p: &Path) -> bool {
        p.extension().is_some_and(|e| e == "lua")
    }

    fn poll(
        mut w: ResMut<ScriptWatcher>,
        server: Res<AssetServer>,
        settings: Res<HotReloadSettings>,
    ) {
        let now = Instant::now();
        let mut events = Vec::new();
        if let Ok(rx) = w.rx.lock() {
            while let Ok(ev) = rx.try_recv() {
                if let Ok(ev) = ev {
                    events.push(ev);
                }
            }
        }
        if !settings.watch {
            w.pending.clear();
            return;
        }
        for ev in events {
            // Closing after a write and renaming into place are complete saves: reload at
            // once. Other changes (the write itself) wait for the debounce.
            let (paths, immediate): (Vec<PathBuf>, bool) = match ev.kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => (ev.paths, true),
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
                    (ev.paths.into_iter().skip(1).collect(), true)
                }
                EventKind::Modify(ModifyKind::Name(RenameMode::To)) => (ev.paths, true),
                EventKind::Modify(ModifyKind::Data(_))
                | EventKind::Modify(ModifyKind::Any)
                | EventKind::Create(CreateKind::File)
                | EventKind::Create(CreateKind::Any) => (ev.paths, false),
                _ => continue,
            };
            for p in paths.into_iter().filter(|p| is_lua(p)) {
                let mut due = if immediate {
                    now
                } else {
                    now + settings.debounce
                };
                // Coalesce bursts: at most one reload per debounce period per file; the
                // last one reads the last version.
                if let Some(last) = w.last_fired.get(&p) {
                    due = due.max(*last + settings.debounce);
                }
                w.pending.insert(p, due);
            }
        }
        let ready: Vec<PathBuf> = w
            .pending
            .iter()
            .filter(|(_, due)| **due <= now)
            .map(|(p, _)| p.clone())
            .collect();
        for p in ready {
            w.pending.remove(&p);
            w.last_fired.insert(p.clone(), now);
            let Some(rel) = w.roots.iter().find_map(|r| p.strip_prefix(r).ok()) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            // Only files the game uses (scripts and required modules).
            if server.get_path_id(rel.clone()).is_some() && p.is_file() {
                server.reload(rel);
            }
        }
    }
}
