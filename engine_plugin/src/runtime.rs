//! The script runner: one VM ([`ScriptRuntime`], a non-send resource), one instance per
//! script per entity, callbacks run as budgeted coroutines, and the `wait` scheduler.
//!
//! Coroutines are pooled: a callback that returns within its slice gives its coroutine
//! back (reset, not freed) for the next callback, so 10,000 instances use one or two;
//! only a callback suspended by its budget or a `wait` keeps one. The per-frame callbacks
//! of consecutive idle instances of one script run as a batch in one coroutine (see
//! `run_batch`): one resume for all, each callback with its own budget.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Bound;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::asset::{AssetEvent, AssetId, Assets};
use bevy::ecs::message::{MessageCursor, Messages};
use bevy::log::{error, warn};
use bevy::prelude::{Entity, Time, Virtual, World};
use selenite::api::{Error, FromLua, Function, IntoLua, Lua, LuaValue, RunOutcome, Table, Thread};
use selenite::error::LuaResult;
use selenite::function::{LuaClosure, UpState, UpVal};
use selenite::state::Vm;
use selenite::stdlib::math::Xoshiro;
use selenite::Value;

use crate::asset::LuaScript;
use crate::diagnostics::ScriptDiagnostics;
use crate::events::{ScriptError, ScriptErrorKind, ScriptEvent, ScriptValue};
use crate::lend::world_scope;
use crate::settings::SeleniteSettings;
use crate::world::{set_current, with_world, Current, LuaEntity};
use crate::{ScriptFunctions, Scripts, ScriptsChanged};

/// Light userdata yielded first by `wait`/`wait_frames` (scripts cannot forge one).
const WAIT_MARK: usize = 0x5e1e_0001;
const WAIT_SECONDS: i64 = 1;
const WAIT_FRAMES: i64 = 2;

/// Finished coroutines kept for reuse, per script. A callback that returns within its
/// slice gives its coroutine back at once, so one or two are in use however many instances
/// run; only suspended callbacks hold one each. Pools are per script because a script can
/// keep its coroutine (`coroutine.running()`) and resume it later: it may only ever find
/// a callback of its own code there, never another script's (or mod's).
const IDLE_THREADS: usize = 4;

/// `wait`, `wait_frames` and `wait_until`: they yield the instance's callback coroutine
/// with a request the scheduler reads (`wake_of`).
const PRELUDE: &str = r#"
local yield = coroutine.yield
local wait_mark, seconds, frames = ...
local function wait(s)
    return yield(wait_mark, seconds, tonumber(s) or 0)
end
local function wait_frames(n)
    return yield(wait_mark, frames, math.max(1, math.floor(tonumber(n) or 1)))
end
local function wait_until(cond)
    while not cond() do
        yield(wait_mark, frames, 1)
    end
end
return wait, wait_frames, wait_until
"#;

/// Which callback a queued call runs.
#[derive(Debug)]
enum Call {
    /// The chunk's main function (definitions), run when the instance is created or
    /// reloaded.
    Init(Function),
    Start,
    Update(f64),
    Fixed(f64),
    Event(String, ScriptValue),
}

impl Call {
    fn name(&self) -> &'static str {
        match self {
            Call::Init(_) => "main chunk",
            Call::Start => "on_start",
            Call::Update(_) => "on_update",
            Call::Fixed(_) => "on_fixed_update",
            Call::Event(..) => "on_event",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Wake {
    /// Ran out of budget: continue at the next run.
    Now,
    /// `wait(seconds)`: continue once virtual time reaches this.
    At(Duration),
    /// `wait_frames(n)`: continue after this many more frames.
    Frames(u32),
}

/// A callback suspended mid-way (out of budget, or waiting), with the coroutine it runs in.
struct Task {
    wake: Wake,
    call: &'static str,
    thread: Thread,
}

/// The callbacks a script defines (looked up after its main chunk ran).
#[derive(Default)]
struct Callbacks {
    start: Option<Function>,
    update: Option<Function>,
    fixed: Option<Function>,
    event: Option<Function>,
    destroy: Option<Function>,
}

struct Instance {
    asset: AssetId<LuaScript>,
    /// Index of the script's coroutine pool in `ScriptRuntime::idle_threads`.
    pool: usize,
    path: Arc<str>,
    env: Table,
    this: Table,
    /// `this` as a raw value, passed to every callback without a handle check (valid
    /// while `this` roots it).
    this_raw: Value,
    task: Option<Task>,
    queue: VecDeque<Call>,
    /// This frame's `on_update` or `on_fixed_update` call, run after the queued ones.
    due: Option<Call>,
    started: bool,
    callbacks: Callbacks,
    /// Last error reported for this instance (the same error is logged once).
    last_error: Option<String>,
}

/// Phase of a script run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Main,
    Fixed,
}

/// The VM and the script instances. A non-send resource (the VM is single-threaded);
/// scripts run in an exclusive system.
pub struct ScriptRuntime {
    lua: Lua,
    /// Finished callback coroutines per script (indexed by `Instance::pool`), reset and
    /// reused for its next callbacks.
    idle_threads: Vec<Vec<Thread>>,
    /// The `idle_threads` index of each script (looked up once per instance created).
    pools: HashMap<AssetId<LuaScript>, usize>,
    /// Instances defining `on_fixed_update` (the fixed step is skipped when none does).
    fixed_instances: usize,
    /// Instances with a suspended callback (out of budget or waiting).
    suspended: usize,
    instances: BTreeMap<(Entity, u32), Instance>,
    created: u64,
    resume_from: Option<(Entity, u32)>,
    frames: u64,
    event_cursor: MessageCursor<ScriptEvent>,
    asset_cursor: MessageCursor<AssetEvent<LuaScript>>,
    /// Compile errors already reported, per asset.
    reported_compile: HashMap<AssetId<LuaScript>, String>,
    installed_functions: usize,
    memory_warned: bool,
    /// Entities whose scripts are not loaded (or do not compile) yet.
    pending: Vec<Entity>,
    /// Per chunk name: the compiled version loaded in the VM and its template closure.
    templates: HashMap<String, (Arc<selenite::bytecode::Proto>, Function)>,
    /// One shared `Arc` per script path: instances clone it every frame, and a shared
    /// count stays in cache where 10,000 separate ones would not.
    paths: HashMap<String, Arc<str>>,
    /// The body of batch coroutines (see `run_batch`).
    driver: Result<Function, Error>,
    /// Numbers the batch coroutines started (see `Batch::generation`).
    batch_generation: i64,
}

impl ScriptRuntime {
    /// A sandboxed VM with the script API installed.
    pub fn new() -> Result<ScriptRuntime, Error> {
        let mut lua = Lua::sandboxed();
        crate::math::install(&mut lua)?;
        crate::world::install(&mut lua)?;
        let prelude = lua.load(PRELUDE, "=selenite")?;
        let marks = (
            LuaValue::LightUserData(WAIT_MARK),
            WAIT_SECONDS,
            WAIT_FRAMES,
        );
        let (wait, wait_frames, wait_until): (Function, Function, Function) =
            prelude.call(&mut lua, marks)?;
        lua.set_global("wait", wait)?;
        lua.set_global("wait_frames", wait_frames)?;
        lua.set_global("wait_until", wait_until)?;
        let driver = Function::from_lua(Value::Native(driver_start), &mut lua);
        Ok(ScriptRuntime {
            lua,
            idle_threads: Vec::new(),
            pools: HashMap::new(),
            instances: BTreeMap::new(),
            created: 0,
            resume_from: None,
            frames: 0,
            event_cursor: MessageCursor::default(),
            asset_cursor: MessageCursor::default(),
            reported_compile: HashMap::new(),
            installed_functions: 0,
            memory_warned: false,
            fixed_instances: 0,
            suspended: 0,
            pending: Vec::new(),
            templates: HashMap::new(),
            paths: HashMap::new(),
            driver,
            batch_generation: 0,
        })
    }

    /// The VM (to register things by hand, or inspect it).
    pub fn lua(&mut self) -> &mut Lua {
        &mut self.lua
    }

    /// Number of live script instances.
    pub fn instance_count(&self) -> usize {
        self.instances.len()
    }

    /// The `self` table of the instance of script slot `slot` on `entity`.
    pub fn instance_self(&self, entity: Entity, slot: u32) -> Option<Table> {
        self.instances.get(&(entity, slot)).map(|i| i.this.clone())
    }

    /// Reads `self[key]` of an instance (tests and tools).
    pub fn self_value<T: FromLua>(&mut self, entity: Entity, slot: u32, key: &str) -> Option<T> {
        let this = self.instance_self(entity, slot)?;
        this.raw_get(&mut self.lua, key).ok()
    }
}

/// The exclusive system running the scripts (both phases).
pub(crate) fn run_scripts(world: &mut World, phase: Phase) {
    let Some(mut rt) = world.remove_non_send::<ScriptRuntime>() else {
        return;
    };
    let settings = world
        .get_resource::<SeleniteSettings>()
        .cloned()
        .unwrap_or_default();
    let mut diag = world
        .remove_resource::<ScriptDiagnostics>()
        .unwrap_or_default();
    if phase == Phase::Main {
        diag.begin_frame();
    }
    install_functions(world, &mut rt);
    world_scope(world, || rt.run(phase, &settings, &mut diag));
    if rt.frames.is_multiple_of(64) {
        rt.prune_idle_threads();
    }
    diag.memory = rt.lua.used_memory();
    diag.suspended_instances = rt.suspended;
    if settings.memory_limit > 0 && diag.memory > settings.memory_limit && !rt.memory_warned {
        rt.memory_warned = true;
        warn!(
            "scripts use {} KiB, over the memory limit of {} KiB",
            diag.memory / 1024,
            settings.memory_limit / 1024
        );
    }
    world.insert_resource(diag);
    world.insert_non_send(rt);
}

fn install_functions(world: &mut World, rt: &mut ScriptRuntime) {
    let Some(funcs) = world.get_resource::<ScriptFunctions>() else {
        return;
    };
    let pending: Vec<_> =
        funcs.installers[rt.installed_functions.min(funcs.installers.len())..].to_vec();
    for (name, inst) in pending {
        rt.installed_functions += 1;
        if let Err(e) = inst(&mut rt.lua) {
            error!("cannot register script function '{name}': {e}");
        }
    }
}

fn virtual_now() -> (Duration, f64) {
    with_world(|w| {
        if let Some(t) = w.get_resource::<Time<Virtual>>() {
            (t.elapsed(), t.delta_secs_f64())
        } else if let Some(t) = w.get_resource::<Time>() {
            (t.elapsed(), t.delta_secs_f64())
        } else {
            (Duration::ZERO, 0.0)
        }
    })
    .unwrap_or((Duration::ZERO, 0.0))
}

fn phase_dt() -> f64 {
    with_world(|w| w.get_resource::<Time>().map(|t| t.delta_secs_f64()))
        .ok()
        .flatten()
        .unwrap_or(0.0)
}

fn report(
    kind: ScriptErrorKind,
    script: &str,
    entity: Option<Entity>,
    message: &str,
    traceback: Option<&str>,
) {
    match traceback {
        Some(tb) => error!(target: "selenite::script", "{message}\n{tb}"),
        None => error!(target: "selenite::script", "{message}"),
    }
    let _ = with_world(|w| {
        w.write_message(ScriptError {
            kind,
            script: script.to_string(),
            entity,
            message: message.to_string(),
            traceback: traceback.map(str::to_string),
        });
    });
}

impl ScriptRuntime {
    fn run(&mut self, phase: Phase, settings: &SeleniteSettings, diag: &mut ScriptDiagnostics) {
        let vm = self.lua.vm_mut();
        vm.heap.pause = settings.gc_pause.max(100);
        // Past the limit the VM collects, then fails the allocating script with
        // "not enough memory" (that instance only).
        vm.heap.limit = (settings.memory_limit > 0).then_some(settings.memory_limit);
        let (now, _) = virtual_now();
        let dt = phase_dt();
        if phase == Phase::Main {
            self.frames += 1;
            self.sync_instances(settings, diag);
        }
        if phase == Phase::Fixed && self.fixed_instances == 0 {
            return;
        }
        self.deliver_events(settings);

        let mut total_left = settings.frame_budget;
        // Rotation: after a frame whose total budget ran out, start where it stopped.
        let from = match phase {
            Phase::Main => self.resume_from.take(),
            Phase::Fixed => None,
        };
        type Range = (Bound<(Entity, u32)>, Bound<(Entity, u32)>);
        let passes: [Option<Range>; 2] = match from {
            Some(k) => [
                Some((Bound::Included(k), Bound::Unbounded)),
                Some((Bound::Unbounded, Bound::Excluded(k))),
            ],
            None => [Some((Bound::Unbounded, Bound::Unbounded)), None],
        };
        // Scripts cannot reach the runtime while they run (it is out of the world), so the
        // instances are walked in place, without a lookup per instance.
        let mut instances = std::mem::take(&mut self.instances);
        let mut batch = StatsBatch::new();
        // Without the driver (it cannot fail to exist, but if it did) each instance runs
        // alone.
        let batching = self.driver.is_ok();
        // Runs the pending batch; stops the run where the frame's budget ran out.
        macro_rules! flush_pending {
            ($pending:ident, $passes:lifetime) => {{
                let stop = self.run_batch(
                    &mut $pending,
                    phase,
                    dt,
                    now,
                    settings,
                    &mut total_left,
                    &mut batch,
                    diag,
                );
                $pending.clear();
                if let Some(k) = stop {
                    self.resume_from = Some(k);
                    break $passes;
                }
            }};
        }
        'passes: for range in passes.into_iter().flatten() {
            // Consecutive instances of one script with nothing but this phase's callback
            // to run go in one batch (one coroutine resume for all).
            let mut pending: Vec<((Entity, u32), &mut Instance)> = Vec::new();
            for (key, inst) in instances.range_mut(range) {
                // The fixed step only starts `on_fixed_update` on idle instances; suspended
                // callbacks continue in the main run (one budget per instance per frame).
                if phase == Phase::Fixed && (inst.callbacks.fixed.is_none() || inst.task.is_some())
                {
                    continue;
                }
                let joins = batching && batchable(inst, phase);
                let same_script = pending.first().is_none_or(|(_, p)| p.pool == inst.pool);
                let keeps_pending = pending.is_empty() || (joins && same_script);
                if !keeps_pending {
                    flush_pending!(pending, 'passes);
                }
                if joins {
                    pending.push((*key, inst));
                    continue;
                }
                if total_left == 0 {
                    if phase == Phase::Main {
                        self.resume_from = Some(*key);
                    }
                    break 'passes;
                }
                let budget = settings.instance_budget.min(total_left);
                let was_suspended = inst.task.is_some();
                let used = self.run_instance(*key, inst, budget, dt, now, phase, &mut batch, diag);
                match (was_suspended, inst.task.is_some()) {
                    (false, true) => self.suspended += 1,
                    (true, false) => self.suspended -= 1,
                    _ => {}
                }
                total_left = total_left.saturating_sub(used);
            }
            if !pending.is_empty() {
                flush_pending!(pending, 'passes);
            }
        }
        self.instances = instances;
        batch.flush(diag);
        set_current(None);

        if phase == Phase::Main && settings.gc_step_work > 0 {
            // Extra collector work at the frame boundary (a safepoint: every live value
            // is in the registry, the globals or a suspended coroutine).
            self.lua.vm_mut().gc_step(settings.gc_step_work);
        }
        if phase == Phase::Main
            && settings.gc_full_every_frames > 0
            && self
                .frames
                .is_multiple_of(settings.gc_full_every_frames as u64)
        {
            self.lua.collect_garbage();
        }
    }

    /// Creates, reloads and removes instances to match the `Scripts` components.
    fn sync_instances(&mut self, settings: &SeleniteSettings, diag: &mut ScriptDiagnostics) {
        // Hot reload: instances of modified assets run their new chunk.
        let modified: Vec<AssetId<LuaScript>> = with_world(|w| {
            let mut out = Vec::new();
            if let Some(events) = w.get_resource::<Messages<AssetEvent<LuaScript>>>() {
                for ev in self.asset_cursor.read(events) {
                    if let AssetEvent::Modified { id } = ev {
                        out.push(*id);
                    }
                }
            }
            out
        })
        .unwrap_or_default();

        // Entities to look at: those whose `Scripts` changed, those still waiting for
        // their assets, and those running a modified asset.
        let mut check: Vec<Entity> = with_world(|w| {
            w.get_resource_mut::<ScriptsChanged>()
                .map(|mut c| std::mem::take(&mut c.0))
                .unwrap_or_default()
        })
        .unwrap_or_default();
        check.append(&mut self.pending);
        if !modified.is_empty() {
            check.extend(
                self.instances
                    .iter()
                    .filter(|(_, i)| modified.contains(&i.asset))
                    .map(|(k, _)| k.0),
            );
        }
        check.sort();
        check.dedup();

        for entity in check {
            let wanted: Vec<AssetId<LuaScript>> = with_world(|w| {
                w.get_entity(entity)
                    .ok()
                    .and_then(|e| e.get::<Scripts>())
                    .map(|s| s.0.iter().map(|h| h.id()).collect())
                    .unwrap_or_default()
            })
            .unwrap_or_default();
            let gone: Vec<(Entity, u32)> = self
                .instances
                .range((entity, wanted.len() as u32)..=(entity, u32::MAX))
                .map(|(k, _)| *k)
                .collect();
            for k in gone {
                self.destroy(k, settings.instance_budget, diag);
            }
            let mut waiting = false;
            for (i, asset) in wanted.into_iter().enumerate() {
                let key = (entity, i as u32);
                waiting |= self.sync_slot(key, asset, &modified, settings, diag);
            }
            if waiting {
                self.pending.push(entity);
            }
        }
    }

    /// Brings one script slot up to date; `true` while it waits for its asset (loading,
    /// or not compiling).
    fn sync_slot(
        &mut self,
        key: (Entity, u32),
        asset: AssetId<LuaScript>,
        modified: &[AssetId<LuaScript>],
        settings: &SeleniteSettings,
        diag: &mut ScriptDiagnostics,
    ) -> bool {
        let existing = self.instances.get(&key).map(|i| i.asset);
        let reload = existing == Some(asset) && modified.contains(&asset);
        if existing == Some(asset) && !reload {
            return false;
        }
        // New script (or changed handle, or reloaded file): needs the compiled asset.
        let script = with_world(|w| {
            w.get_resource::<Assets<LuaScript>>()
                .and_then(|a| a.get(asset))
                .cloned()
        })
        .ok()
        .flatten();
        let Some(script) = script else {
            return true; // still loading
        };
        let proto = match &script.compiled {
            Ok(p) => p.clone(),
            Err(msg) => {
                // Keep whatever runs now; report each distinct error once.
                if self.reported_compile.get(&asset) != Some(msg) {
                    self.reported_compile.insert(asset, msg.clone());
                    diag.errors_total += 1;
                    let st = diag.scripts.entry(script.path.clone()).or_default();
                    st.errors_total += 1;
                    st.last_error = Some(msg.clone());
                    report(
                        ScriptErrorKind::Compile,
                        &script.path,
                        Some(key.0),
                        msg,
                        None,
                    );
                }
                return existing.is_none() || existing != Some(asset);
            }
        };
        self.reported_compile.remove(&asset);
        if reload {
            // Hot reload (see `crate::reload`): skipped when the program is unchanged.
            if crate::reload::is_new_version(key, &proto) {
                if let Err(e) = self.reload(key, &script, &proto) {
                    report(
                        ScriptErrorKind::Runtime,
                        &script.path,
                        Some(key.0),
                        &e.to_string(),
                        e.traceback(),
                    );
                }
            }
            return false;
        }
        crate::reload::record_version(key, &proto);
        if existing.is_some() {
            self.destroy(key, settings.instance_budget, diag);
        }
        match self.create(key, asset, &script, &proto, settings) {
            Ok(()) => {
                diag.scripts
                    .entry(script.path.clone())
                    .or_default()
                    .instances += 1;
            }
            Err(e) => report(
                ScriptErrorKind::Runtime,
                &script.path,
                Some(key.0),
                &e.to_string(),
                None,
            ),
        }
        false
    }

    /// The main function of `script` with `_ENV` = `env`. The prototype is loaded into
    /// the VM once per compiled version of a script (a template closure); each instance
    /// gets a new closure over it, so 10,000 instances of a script share one copy of its
    /// code and constants.
    fn load_chunk(
        &mut self,
        script: &LuaScript,
        proto: &Arc<selenite::bytecode::Proto>,
        env: &Table,
    ) -> Result<Function, Error> {
        let chunk = script.chunk_name();
        let template = match self.templates.get(&chunk) {
            Some((p, f)) if Arc::ptr_eq(p, proto) => f.clone(),
            _ => {
                let f = self.lua.vm_mut().load_compiled(proto, &chunk, Value::Nil);
                // No collection can happen before the value is rooted by the handle.
                let f = Function::from_lua(f, &mut self.lua)?;
                self.templates.insert(chunk, (proto.clone(), f.clone()));
                f
            }
        };
        let env_raw = env.clone().into_lua(&mut self.lua)?;
        let Value::LuaFn(cl) = (&template).into_lua(&mut self.lua)? else {
            return Err(Error::runtime("script template is not a Lua function"));
        };
        let vm = self.lua.vm_mut();
        let uv = vm.heap.alloc(UpVal {
            state: std::cell::Cell::new(UpState::Closed(env_raw)),
        });
        let upvals: Box<[_]> = (0..cl.upvals.len().max(1)).map(|_| uv).collect();
        let f = vm.heap.alloc(LuaClosure {
            proto: cl.proto,
            upvals,
        });
        // Rooted right away, before anything can run a collection.
        Function::from_lua(Value::LuaFn(f), &mut self.lua)
    }

    fn create(
        &mut self,
        key: (Entity, u32),
        asset: AssetId<LuaScript>,
        script: &LuaScript,
        proto: &Arc<selenite::bytecode::Proto>,
        settings: &SeleniteSettings,
    ) -> Result<(), Error> {
        let lua = &mut self.lua;
        let env = lua.new_env()?;
        // Per-instance `math` with its own deterministic generator.
        let seed = instance_seed(settings.random_seed, &script.path, self.created);
        self.created += 1;
        install_random(lua, &env, seed)?;
        let this = lua.create_table()?;
        this.raw_set(lua, "entity", LuaEntity(key.0))?;
        this.raw_set(lua, "script", script.path.as_str())?;
        let this_raw = (&this).into_lua(lua)?;
        let main = self.load_chunk(script, proto, &env)?;
        let path = self
            .paths
            .entry(script.path.clone())
            .or_insert_with(|| Arc::from(script.path.as_str()))
            .clone();
        let next_pool = self.pools.len();
        let pool = *self.pools.entry(asset).or_insert(next_pool);
        if pool == self.idle_threads.len() {
            self.idle_threads.push(Vec::new());
        }
        let mut queue = VecDeque::new();
        queue.push_back(Call::Init(main));
        queue.push_back(Call::Start);
        self.instances.insert(
            key,
            Instance {
                asset,
                pool,
                path,
                env,
                this,
                this_raw,
                task: None,
                queue,
                due: None,
                started: false,
                callbacks: Callbacks::default(),
                last_error: None,
            },
        );
        Ok(())
    }

    /// Hot reload (see `crate::reload`): the new main chunk runs in the instance's own
    /// environment (globals and `self` kept, functions replaced), then `on_reload(self)`.
    /// A suspended callback finishes on the old code; new calls use the new functions.
    fn reload(
        &mut self,
        key: (Entity, u32),
        script: &LuaScript,
        proto: &Arc<selenite::bytecode::Proto>,
    ) -> Result<(), Error> {
        let Some(inst) = self.instances.get(&key) else {
            return Ok(());
        };
        let (env, this) = (inst.env.clone(), inst.this.clone());
        let budget = with_world(|w| {
            w.get_resource::<crate::reload::HotReloadSettings>()
                .map(|s| s.swap_budget)
        })
        .ok()
        .flatten()
        .unwrap_or(1_000_000);
        let main = self.load_chunk(script, proto, &env)?;
        set_current(Some(Current {
            entity: key.0,
            script: script.path.as_str().into(),
        }));
        let r = crate::reload::swap(&mut self.lua, &main, &env, &this, budget);
        set_current(None);
        r?;
        let callbacks = lookup_callbacks(&mut self.lua, &env);
        if let Some(inst) = self.instances.get_mut(&key) {
            match (inst.callbacks.fixed.is_some(), callbacks.fixed.is_some()) {
                (false, true) => self.fixed_instances += 1,
                (true, false) => self.fixed_instances -= 1,
                _ => {}
            }
            inst.callbacks = callbacks;
            inst.last_error = None;
            bevy::log::info!("reloaded {} on {}", script.path, key.0);
        }
        Ok(())
    }

    /// Runs `on_destroy` (one slice, no waiting) and drops the instance.
    fn destroy(&mut self, key: (Entity, u32), budget: u64, diag: &mut ScriptDiagnostics) {
        let Some(inst) = self.instances.remove(&key) else {
            return;
        };
        if let Some(st) = diag.scripts.get_mut(&*inst.path) {
            st.instances = st.instances.saturating_sub(1);
        }
        if inst.callbacks.fixed.is_some() {
            self.fixed_instances -= 1;
        }
        set_current(Some(Current {
            entity: key.0,
            script: inst.path.clone(),
        }));
        // A callback still waiting (or out of budget) ends here: its `<close>` variables
        // close, as `coroutine.close` would do.
        if let Some(task) = inst.task {
            self.suspended -= 1;
            if let Err(e) = task.thread.close_budget(&mut self.lua, budget) {
                report(
                    ScriptErrorKind::Runtime,
                    &inst.path,
                    Some(key.0),
                    &e.to_string(),
                    None,
                );
            }
        }
        let Some(f) = inst.callbacks.destroy.clone() else {
            set_current(None);
            return;
        };
        let r = self.thread_for(inst.pool, &f).and_then(|th| {
            let r = th.resume_budget::<_, ()>(&mut self.lua, &inst.this, budget);
            Ok((th, r?))
        });
        match r {
            Ok((th, RunOutcome::Finished(()))) => self.release_thread(inst.pool, th),
            Ok(_) => warn!(
                "{}: on_destroy did not finish in one slice (it cannot wait); dropped",
                inst.path
            ),
            Err(e) => report(
                ScriptErrorKind::Runtime,
                &inst.path,
                Some(key.0),
                &e.to_string(),
                e.traceback(),
            ),
        }
        set_current(None);
    }

    fn deliver_events(&mut self, settings: &SeleniteSettings) {
        let events: Vec<ScriptEvent> = with_world(|w| {
            w.get_resource::<Messages<ScriptEvent>>()
                .map(|m| self.event_cursor.read(m).cloned().collect())
                .unwrap_or_default()
        })
        .unwrap_or_default();
        for ev in events {
            for (key, inst) in self.instances.iter_mut() {
                if ev.target.is_some_and(|t| t != key.0) {
                    continue;
                }
                let queued = inst
                    .queue
                    .iter()
                    .filter(|c| matches!(c, Call::Event(..)))
                    .count();
                if queued >= settings.max_queued_events {
                    warn!("{}: event '{}' dropped (queue full)", inst.path, ev.name);
                    continue;
                }
                inst.queue
                    .push_back(Call::Event(ev.name.clone(), ev.data.clone()));
            }
        }
    }

    /// A coroutine that starts `f`: an idle one reset, or a new one.
    fn thread_for(&mut self, pool: usize, f: &Function) -> Result<Thread, Error> {
        while let Some(th) = self.idle_threads.get_mut(pool).and_then(Vec::pop) {
            if th.reset(&mut self.lua, f)? {
                return Ok(th);
            }
        }
        self.lua.create_thread(f)
    }

    /// Keeps a coroutine whose callback returned for the next callback (its stack is
    /// cleared when it is reset for that one).
    fn release_thread(&mut self, pool: usize, th: Thread) {
        let Some(idle) = self.idle_threads.get_mut(pool) else {
            return;
        };
        if idle.len() < IDLE_THREADS {
            idle.push(th);
        }
    }

    /// Drops the idle coroutines of scripts no instance runs any more.
    fn prune_idle_threads(&mut self) {
        let mut live = vec![false; self.idle_threads.len()];
        for inst in self.instances.values() {
            if let Some(l) = live.get_mut(inst.pool) {
                *l = true;
            }
        }
        for (idle, live) in self.idle_threads.iter_mut().zip(live) {
            if !live {
                idle.clear();
            }
        }
    }

    /// Runs an instance for at most `budget` instructions: its queued calls, then this
    /// phase's callback (`dt` seconds); returns how many instructions it used.
    #[allow(clippy::too_many_arguments)]
    fn run_instance(
        &mut self,
        key: (Entity, u32),
        inst: &mut Instance,
        budget: u64,
        dt: f64,
        now: Duration,
        phase: Phase,
        batch: &mut StatsBatch,
        diag: &mut ScriptDiagnostics,
    ) -> u64 {
        // An entity despawned earlier in this frame (by a script or a system) runs no more
        // callbacks; its `on_destroy` runs when the next sync sees it gone.
        if !with_world(|w| w.get_entity(key.0).is_ok()).unwrap_or(false) {
            return 0;
        }
        // Frame-counted waits advance once per frame.
        if phase == Phase::Main {
            if let Some(Task {
                wake: Wake::Frames(n),
                ..
            }) = &mut inst.task
            {
                *n = n.saturating_sub(1);
            }
        }
        // This phase's callback, unless the instance is busy (suspended, waiting, or last
        // frame's call has not run yet); no fixed update before `on_start` has run.
        if inst.task.is_none() && inst.due.is_none() && (inst.started || phase == Phase::Main) {
            inst.due = Some(match phase {
                Phase::Main => Call::Update(dt),
                Phase::Fixed => Call::Fixed(dt),
            });
        }
        set_current(Some(Current {
            entity: key.0,
            script: inst.path.clone(),
        }));
        let mut used_total = 0u64;
        let mut suspensions = 0u64;
        let mut errors: Vec<Error> = Vec::new();
        loop {
            let left = budget.saturating_sub(used_total);
            if left == 0 {
                break;
            }
            let (thread, args, call) = match inst.task.take() {
                Some(task) => {
                    let ready = match task.wake {
                        Wake::Now => true,
                        Wake::At(t) => now >= t,
                        Wake::Frames(n) => n == 0,
                    };
                    if !ready {
                        inst.task = Some(task);
                        break;
                    }
                    (task.thread, CallArgs::None, task.call)
                }
                None => {
                    let Some(call) = inst.queue.pop_front().or_else(|| inst.due.take()) else {
                        break;
                    };
                    let name = call.name();
                    if matches!(call, Call::Start) {
                        inst.started = true;
                    }
                    let (f, args) = match prepare(&mut self.lua, inst, call) {
                        Ok(Some(prepared)) => prepared,
                        Ok(None) => continue, // callback not defined
                        Err(e) => {
                            errors.push(e);
                            continue;
                        }
                    };
                    match self.thread_for(inst.pool, &f) {
                        Ok(th) => (th, args, name),
                        Err(e) => {
                            errors.push(e);
                            break;
                        }
                    }
                }
            };
            let before = self.lua.vm().budget.used();
            let lua = &mut self.lua;
            let r = match args {
                CallArgs::None => thread.resume_budget::<_, ()>(lua, (), left),
                CallArgs::This => thread.resume_budget(lua, inst.this_raw, left),
                CallArgs::ThisNumber(x) => thread.resume_budget(lua, (inst.this_raw, x), left),
                CallArgs::Event(name, data) => {
                    thread.resume_budget(lua, (inst.this_raw, name, data), left)
                }
            };
            // The VM's counter can jump when a memory alarm zeroes the fuel: never count
            // more than the slice was given.
            let used = self.lua.vm().budget.used().saturating_sub(before).min(left);
            used_total += used.max(1);
            match r {
                Ok(RunOutcome::Finished(())) => {
                    self.release_thread(inst.pool, thread);
                    if call == "main chunk" {
                        let had_fixed = inst.callbacks.fixed.is_some();
                        inst.callbacks = lookup_callbacks(&mut self.lua, &inst.env);
                        match (had_fixed, inst.callbacks.fixed.is_some()) {
                            (false, true) => self.fixed_instances += 1,
                            (true, false) => self.fixed_instances -= 1,
                            _ => {}
                        }
                    }
                }
                Ok(RunOutcome::Yielded(vals)) => {
                    let wake = wake_of(&vals, now);
                    inst.task = Some(Task { wake, call, thread });
                }
                Ok(RunOutcome::OutOfBudget) => {
                    suspensions += 1;
                    inst.task = Some(Task {
                        wake: Wake::Now,
                        call,
                        thread,
                    });
                    break;
                }
                Err(e) => {
                    // The callback's pending `<close>` variables close with the error
                    // (a coroutine keeps them until closed); then it can be reused.
                    let closed = thread.close_budget(&mut self.lua, budget);
                    let out_of_memory = e.to_string().contains("not enough memory");
                    errors.push(e);
                    match closed {
                        Ok(()) if !out_of_memory => self.release_thread(inst.pool, thread),
                        Ok(()) => drop(thread),
                        Err(close_error) => errors.push(close_error),
                    }
                    if out_of_memory {
                        // Free the failed callback's garbage now, between coroutines, so
                        // the next instances do not start over the limit.
                        self.lua.collect_garbage();
                    }
                }
            }
        }
        // Host functions allocate (component references, math values) without reaching
        // the VM's allocation safepoints: pace the incremental collector here, between
        // coroutines.
        self.lua.vm_mut().check_gc();
        for e in errors {
            report_instance_error(key, inst, &e, diag);
        }
        batch.add(&inst.path, used_total, suspensions, diag);
        used_total
    }

    /// Runs this phase's callback of `jobs` (idle, started instances of one script, in
    /// order) one after the other in one coroutine, each with its own budget: one resume
    /// for the lot instead of one per instance. A callback that runs out of budget,
    /// waits or fails keeps (or closes) the coroutine as it would have its own, and the
    /// rest continue in a new one. Returns the instance to start from next frame when
    /// the frame's total budget ran out.
    #[allow(clippy::too_many_arguments)]
    fn run_batch(
        &mut self,
        jobs: &mut [((Entity, u32), &mut Instance)],
        phase: Phase,
        dt: f64,
        now: Duration,
        settings: &SeleniteSettings,
        total_left: &mut u64,
        stats: &mut StatsBatch,
        diag: &mut ScriptDiagnostics,
    ) -> Option<(Entity, u32)> {
        let (Some(first), Ok(driver)) = (jobs.first(), self.driver.clone()) else {
            return None;
        };
        let pool = first.1.pool;
        let path = first.1.path.clone();
        let call = match phase {
            Phase::Main => "on_update",
            Phase::Fixed => "on_fixed_update",
        };
        let mut list = Vec::with_capacity(jobs.len());
        // Entities despawned earlier in the frame run no callback; those despawned by a
        // callback of this batch are found by `next_job`.
        let world_uses = crate::lend::world_uses();
        let alive: Vec<bool> = crate::lend::with_world_typed(|w| {
            jobs.iter()
                .map(|(key, _)| w.get_entity(key.0).is_ok())
                .collect()
        })
        .unwrap_or_default();
        for (i, (key, inst)) in jobs.iter().enumerate() {
            let f = match phase {
                Phase::Main => inst.callbacks.update.clone(),
                Phase::Fixed => inst.callbacks.fixed.clone(),
            };
            let f = f
                .and_then(|f| f.into_lua(&mut self.lua).ok())
                .unwrap_or_default();
            list.push(Job {
                alive_at_start: alive.get(i).copied().unwrap_or(false),
                entity: key.0,
                path: inst.path.clone(),
                f,
                this: inst.this_raw,
            });
        }
        let n = list.len();
        BATCH.with(|b| {
            *b.borrow_mut() = Some(Batch {
                generation: 0,
                jobs: list,
                next: 0,
                current: None,
                dt,
                instance_budget: settings.instance_budget,
                total_left: *total_left,
                started_at: 0,
                used: vec![0; n],
                exhausted: false,
                world_uses,
            })
        });
        let mut suspensions = 0u64;
        loop {
            self.batch_generation += 1;
            let generation = self.batch_generation;
            let (next, left) = BATCH.with(|b| {
                let mut b = b.borrow_mut();
                match b.as_mut() {
                    Some(b) => {
                        b.generation = generation;
                        (b.next, b.total_left)
                    }
                    None => (n, 0),
                }
            });
            if next >= n || left == 0 {
                break;
            }
            let thread = match self.thread_for(pool, &driver) {
                Ok(t) => t,
                Err(e) => {
                    if let Some((key, inst)) = jobs.get_mut(next) {
                        report_instance_error(*key, inst, &e, diag);
                    }
                    BATCH.with(|b| b.borrow_mut().as_mut().map(|b| b.next += 1));
                    continue;
                }
            };
            let first_budget = settings.instance_budget.min(left);
            let r = thread.resume_budget::<_, ()>(&mut self.lua, generation, first_budget);
            // The callback that stopped the coroutine, if one did: its instructions so far.
            let used_now = self.lua.vm().budget.used();
            let stopped = BATCH.with(|b| {
                let mut b = b.borrow_mut();
                let b = b.as_mut()?;
                let i = b.current.take()?;
                let used = used_now
                    .saturating_sub(b.started_at)
                    .clamp(1, b.instance_budget.min(b.total_left).max(1));
                if let Some(u) = b.used.get_mut(i) {
                    *u = used;
                }
                b.total_left = b.total_left.saturating_sub(used);
                Some(i)
            });
            let stopped = stopped.and_then(|i| jobs.get_mut(i).map(|j| (i, j)));
            match (r, stopped) {
                (Ok(RunOutcome::Finished(())), _) | (_, None) => {
                    self.release_thread(pool, thread);
                }
                (Ok(RunOutcome::Yielded(vals)), Some((_, (_, inst)))) => {
                    let wake = wake_of(&vals, now);
                    inst.task = Some(Task { wake, call, thread });
                    self.suspended += 1;
                }
                (Ok(RunOutcome::OutOfBudget), Some((_, (_, inst)))) => {
                    suspensions += 1;
                    inst.task = Some(Task {
                        wake: Wake::Now,
                        call,
                        thread,
                    });
                    self.suspended += 1;
                }
                (Err(e), Some((_, (key, inst)))) => {
                    let closed = thread.close_budget(&mut self.lua, settings.instance_budget);
                    let out_of_memory = e.to_string().contains("not enough memory");
                    report_instance_error(*key, inst, &e, diag);
                    match closed {
                        Ok(()) if !out_of_memory => self.release_thread(pool, thread),
                        Ok(()) => drop(thread),
                        Err(close_error) => report_instance_error(*key, inst, &close_error, diag),
                    }
                    if out_of_memory {
                        self.lua.collect_garbage();
                    }
                }
            }
        }
        let batch = BATCH.with(|b| b.borrow_mut().take());
        set_current(None);
        let batch = batch?;
        *total_left = batch.total_left;
        let instructions: u64 = batch.used.iter().sum();
        stats.add(&path, instructions, suspensions, diag);
        self.lua.vm_mut().check_gc();
        if batch.exhausted && phase == Phase::Main {
            return jobs.get(batch.next).map(|(key, _)| *key);
        }
        None
    }
}

/// Counts and reports (once per distinct message) a runtime error of an instance.
fn report_instance_error(
    key: (Entity, u32),
    inst: &mut Instance,
    e: &Error,
    diag: &mut ScriptDiagnostics,
) {
    let message = e.to_string();
    diag.errors_total += 1;
    let st = stats_of(diag, &inst.path);
    st.errors_total += 1;
    if inst.last_error.as_deref() != Some(message.as_str()) {
        inst.last_error = Some(message.clone());
        st.last_error = Some(message.clone());
        report(
            ScriptErrorKind::Runtime,
            &inst.path,
            Some(key.0),
            &message,
            e.traceback(),
        );
    }
}

/// Whether an instance's callback of this phase can run in a batch: nothing suspended
/// or queued for it (a new instance first runs its `on_start` alone).
fn batchable(inst: &Instance, phase: Phase) -> bool {
    inst.task.is_none()
        && inst.queue.is_empty()
        && inst.due.is_none()
        && inst.started
        && match phase {
            Phase::Main => inst.callbacks.update.is_some(),
            Phase::Fixed => inst.callbacks.fixed.is_some(),
        }
}

// ---- Batches ----------------------------------------------------------------------------

/// A callback of a batch.
struct Job {
    /// The entity existed when the batch started.
    alive_at_start: bool,
    entity: Entity,
    path: Arc<str>,
    f: Value,
    this: Value,
}

/// The batch being run, read by the driver between callbacks (its continuation is a
/// plain function, so the state is here, for the time of `run_batch`).
struct Batch {
    /// The driver coroutine that runs the batch now. One left suspended in a callback
    /// (handed to that instance) finds another number here and ends when the callback
    /// returns, instead of going on with the batch.
    generation: i64,
    jobs: Vec<Job>,
    /// The next job to start.
    next: usize,
    /// The job whose callback is running.
    current: Option<usize>,
    dt: f64,
    instance_budget: u64,
    /// The frame's total budget left.
    total_left: u64,
    /// `budget.used()` when the current job started.
    started_at: u64,
    /// Instructions used by each job.
    used: Vec<u64>,
    /// The frame's total budget ran out before `next`.
    exhausted: bool,
    /// [`crate::lend::world_uses`] when the batch started: while it is the same, the
    /// entities alive then still are.
    world_uses: u64,
}

thread_local! {
    static BATCH: RefCell<Option<Batch>> = const { RefCell::new(None) };
}

/// Body of a batch's coroutine (its argument: the batch generation): starts the first
/// callback; `driver_continue` starts each next one.
fn driver_start(vm: &mut Vm, base: usize, _nargs: usize) -> LuaResult<usize> {
    next_job(vm, base)
}

fn driver_continue(vm: &mut Vm, base: usize, _nresults: usize) -> LuaResult<usize> {
    next_job(vm, base)
}

/// Accounts the callback that returned and calls the next one (skipping entities
/// despawned meanwhile), with its own budget; returns (ending the coroutine) when the
/// batch is done, the frame's budget is spent, or this coroutine no longer runs it.
fn next_job(vm: &mut Vm, base: usize) -> LuaResult<usize> {
    let Some(&Value::Int(generation)) = vm.stack.get(base) else {
        return Ok(0);
    };
    let used_now = vm.budget.used();
    let job = BATCH.with(|b| {
        let mut b = b.borrow_mut();
        let b = b.as_mut().filter(|b| b.generation == generation)?;
        if let Some(i) = b.current.take() {
            let used = used_now
                .saturating_sub(b.started_at)
                .clamp(1, b.instance_budget.min(b.total_left).max(1));
            if let Some(u) = b.used.get_mut(i) {
                *u = used;
            }
            b.total_left = b.total_left.saturating_sub(used);
        }
        loop {
            let i = b.next;
            let job = b.jobs.get(i)?;
            if b.total_left == 0 {
                b.exhausted = true;
                return None;
            }
            b.next += 1;
            // Despawned earlier in this frame: no more callbacks (`on_destroy` comes).
            let alive = job.alive_at_start
                && (crate::lend::world_uses() == b.world_uses
                    || crate::lend::with_world_typed(|w| w.get_entity(job.entity).is_ok())
                        .unwrap_or(false));
            if !alive {
                continue;
            }
            b.current = Some(i);
            b.started_at = used_now;
            let budget = b.instance_budget.min(b.total_left);
            crate::world::set_current_instance(job.entity, &job.path);
            return Some((job.f, job.this, b.dt, budget));
        }
    });
    let Some((f, this, dt, budget)) = job else {
        return Ok(0);
    };
    vm.reload_slice(budget);
    let slot = vm.top;
    vm.ensure_stack(slot + 3)?;
    vm.push(f);
    vm.push(this);
    vm.push(Value::Float(dt));
    vm.call_then(slot, 0, driver_continue)
}

/// Statistics of consecutive instances of one script, added to [`ScriptDiagnostics`] when
/// the script changes: one map lookup per run of instances, and one clock read per
/// instance (its time is the time since the previous instance finished).
struct StatsBatch {
    path: Option<Arc<str>>,
    instructions: u64,
    suspensions: u64,
    time: Duration,
    clock: Instant,
}

impl StatsBatch {
    fn new() -> StatsBatch {
        StatsBatch {
            path: None,
            instructions: 0,
            suspensions: 0,
            time: Duration::ZERO,
            clock: Instant::now(),
        }
    }

    fn add(
        &mut self,
        path: &Arc<str>,
        instructions: u64,
        suspensions: u64,
        diag: &mut ScriptDiagnostics,
    ) {
        if !self.path.as_ref().is_some_and(|p| Arc::ptr_eq(p, path)) {
            self.flush(diag);
            self.path = Some(path.clone());
        }
        let end = Instant::now();
        self.time += end - self.clock;
        self.clock = end;
        self.instructions += instructions;
        self.suspensions += suspensions;
    }

    fn flush(&mut self, diag: &mut ScriptDiagnostics) {
        let Some(path) = self.path.take() else {
            return;
        };
        let st = stats_of(diag, &path);
        st.instructions_frame += self.instructions;
        st.instructions_total += self.instructions;
        st.suspensions_frame += self.suspensions;
        st.suspensions_total += self.suspensions;
        st.time_frame += self.time;
        diag.instructions_frame += self.instructions;
        diag.suspensions_frame += self.suspensions;
        diag.time_frame += self.time;
        self.instructions = 0;
        self.suspensions = 0;
        self.time = Duration::ZERO;
    }
}

/// The statistics of a script, without allocating when they exist.
fn stats_of<'a>(diag: &'a mut ScriptDiagnostics, path: &str) -> &'a mut crate::ScriptStats {
    if !diag.scripts.contains_key(path) {
        diag.scripts.insert(path.to_string(), Default::default());
    }
    match diag.scripts.get_mut(path) {
        Some(s) => s,
        None => unreachable!("inserted above"),
    }
}

/// The callbacks defined in an instance's environment.
fn lookup_callbacks(lua: &mut Lua, env: &Table) -> Callbacks {
    let mut get = |name: &str| -> Option<Function> { env.raw_get(lua, name).ok().flatten() };
    Callbacks {
        start: get("on_start"),
        update: get("on_update"),
        fixed: get("on_fixed_update"),
        event: get("on_event"),
        destroy: get("on_destroy"),
    }
}

/// The arguments of a callback after the function itself (`self` is the instance's table).
enum CallArgs {
    None,
    This,
    ThisNumber(f64),
    Event(LuaValue, LuaValue),
}

/// The function and arguments of a new call, or `None` when the script does not define
/// that callback.
fn prepare(
    lua: &mut Lua,
    inst: &Instance,
    call: Call,
) -> Result<Option<(Function, CallArgs)>, Error> {
    let cb = &inst.callbacks;
    let with = |f: &Option<Function>, args: CallArgs| f.clone().map(|f| (f, args));
    Ok(match call {
        Call::Init(main) => Some((main, CallArgs::None)),
        Call::Start => with(&cb.start, CallArgs::This),
        Call::Update(dt) => with(&cb.update, CallArgs::ThisNumber(dt)),
        Call::Fixed(dt) => with(&cb.fixed, CallArgs::ThisNumber(dt)),
        Call::Event(name, data) => match &cb.event {
            Some(f) => {
                let name = LuaValue::String(lua.create_string(name)?);
                let raw = data.into_lua(lua)?;
                let data = LuaValue::from_lua(raw, lua)?;
                Some((f.clone(), CallArgs::Event(name, data)))
            }
            None => None,
        },
    })
}

/// When a callback that yielded continues: `wait`/`wait_frames` say; a bare
/// `coroutine.yield()` continues next frame.
fn wake_of(vals: &[LuaValue], now: Duration) -> Wake {
    if !matches!(vals.first(), Some(LuaValue::LightUserData(WAIT_MARK))) {
        return Wake::Frames(1);
    }
    let amount = match vals.get(2) {
        Some(LuaValue::Integer(i)) => *i as f64,
        Some(LuaValue::Number(x)) => *x,
        _ => 0.0,
    };
    match vals.get(1) {
        Some(LuaValue::Integer(WAIT_SECONDS)) => {
            let d = Duration::try_from_secs_f64(amount.max(0.0)).unwrap_or(Duration::MAX);
            Wake::At(now.saturating_add(d))
        }
        _ => Wake::Frames(amount.clamp(1.0, u32::MAX as f64) as u32),
    }
}

fn instance_seed(base: u64, path: &str, index: u64) -> u64 {
    // FNV-1a over the path, mixed with the base seed and the creation index.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h ^ base.rotate_left(17) ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// `math` for one instance: the shared library plus its own `random`/`randomseed`.
fn install_random(lua: &mut Lua, env: &Table, seed: u64) -> Result<(), Error> {
    let state = Rc::new(Cell::new(Xoshiro::seeded(seed, 0)));
    let m = lua.create_table()?;
    let st = state.clone();
    let random = lua.create_function(move |_, (a, b): (Option<i64>, Option<i64>)| {
        let mut g = st.get();
        let rv = g.next_u64();
        let r = match (a, b) {
            (None, _) => {
                st.set(g);
                return Ok(LuaValue::Number((rv >> 11) as f64 * (0.5f64).powi(53)));
            }
            (Some(0), None) => {
                st.set(g);
                return Ok(LuaValue::Integer(rv as i64));
            }
            (Some(up), None) => (1, up),
            (Some(lo), Some(up)) => (lo, up),
        };
        let (low, up) = r;
        if low > up {
            return Err(Error::runtime(
                "bad argument #1 to 'random' (interval is empty)",
            ));
        }
        let p = project(rv, (up as u64).wrapping_sub(low as u64), &mut g);
        st.set(g);
        Ok(LuaValue::Integer(p.wrapping_add(low as u64) as i64))
    })?;
    m.raw_set(lua, "random", random)?;
    let st = state;
    let randomseed = lua.create_function(move |_, (n1, n2): (Option<i64>, Option<i64>)| {
        let n1 = n1.unwrap_or(0);
        let n2 = n2.unwrap_or(0);
        st.set(Xoshiro::seeded(n1 as u64, n2 as u64));
        Ok((n1, n2))
    })?;
    m.raw_set(lua, "randomseed", randomseed)?;
    let shared: Table = lua.get_global("math")?;
    let mt = lua.create_table()?;
    mt.raw_set(lua, "__index", shared)?;
    m.set_metatable(lua, Some(&mt))?;
    env.raw_set(lua, "math", m)?;
    Ok(())
}

/// `project` of lmathlib (5.4.4): a uniform integer in `[0, n]`.
fn project(mut ran: u64, n: u64, g: &mut Xoshiro) -> u64 {
    if n & n.wrapping_add(1) == 0 {
        return ran & n;
    }
    let mut lim = n;
    lim |= lim >> 1;
    lim |= lim >> 2;
    lim |= lim >> 4;
    lim |= lim >> 8;
    lim |= lim >> 16;
    lim |= lim >> 32;
    loop {
        ran &= lim;
        if ran <= n {
            return ran;
        }
        ran = g.next_u64();
    }
}
