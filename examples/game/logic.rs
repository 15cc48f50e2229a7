//! The game's Rust side that does not need a window: the components and the resource the
//! scripts use, the system that gives script-spawned entities their behaviour, the error
//! list shown by the overlay, and the headless runner with scripted input.
//!
//! Shared by the example (`examples/game/main.rs`) and the smoke test
//! (`tests/game_smoke.rs`, through `#[path]`), so both build against one Bevy.
//!
//! Everything an entity *does* lives in `assets/scripts/game/*.lua`; this file only
//! declares data.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bevy::app::{AppExit, ScheduleRunnerPlugin};
use bevy::asset::{AssetEvent, LoadedFolder};
use bevy::input::InputPlugin;
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy_selenite::mods::{ModSettings, ModStatus, ModsPlugin};
use bevy_selenite::prelude::*;
use bevy_selenite::{ScriptErrorKind, SeleniteSettings};

/// Half the playfield (world units = window pixels at 1280x720). Scripts use the same
/// numbers (`scripts/game/common.lua` is not shared code: each script declares its bounds).
pub const HALF_W: f32 = 640.0;
pub const HALF_H: f32 = 360.0;

/// The script on the game entity (rules, collisions, score) and the wave director.
pub const GAME_SCRIPTS: [&str; 2] = ["scripts/game/game.lua", "scripts/game/waves.lua"];
/// Folders preloaded at start-up so entities spawned by scripts start at once.
pub const SCRIPT_FOLDERS: [&str; 1] = ["scripts/game"];

// ---------------------------------------------------------------------------------------
// Data the scripts read and write (all through reflection).

/// The player's ship (`world.query("Player")`; the sample mod homes in on it too).
#[derive(Component, Reflect, Default, Clone, Debug)]
#[reflect(Component, Default)]
pub struct Player {
    pub radius: f32,
    pub velocity: Vec2,
    /// Seconds of invulnerability left after a respawn.
    pub shield: f32,
}

/// Anything that kills the ship and can be shot. Fields not given when a script (or a
/// mod) inserts it take the defaults below.
#[derive(Component, Reflect, Clone, Debug)]
#[reflect(Component, Default)]
pub struct Enemy {
    pub hp: i32,
    pub points: i32,
    pub radius: f32,
    /// Which enemy this is (`"Drone"`, the mod's `"Swarmer"`...): picks the default look,
    /// and counts in the summary.
    pub kind: String,
    /// Used by the mod's swarmers (units per second).
    pub speed: f32,
}

impl Default for Enemy {
    fn default() -> Self {
        Enemy {
            hp: 1,
            points: 50,
            radius: 10.0,
            kind: String::new(),
            speed: 100.0,
        }
    }
}

/// A bullet fired by the ship.
#[derive(Component, Reflect, Default, Clone, Debug)]
#[reflect(Component, Default)]
pub struct Bullet {
    pub velocity: Vec2,
    pub life: f32,
    pub radius: f32,
}

/// How an entity looks: the renderer (windowed only) turns it into a mesh and a colour.
/// `shape` is `"circle"`, `"triangle"`, `"rect"` or `"diamond"`.
#[derive(Component, Reflect, Clone, Debug)]
#[reflect(Component, Default)]
pub struct Look {
    pub shape: String,
    pub size: Vec2,
    pub color: Color,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            shape: "rect".into(),
            size: Vec2::splat(16.0),
            color: Color::WHITE,
        }
    }
}

/// The script an entity spawned by a script runs (`Behaviour = {script = "..."}`);
/// turned into the plugin's `Scripts` component by [`attach_behaviours`].
#[derive(Component, Reflect, Default, Clone, Debug)]
#[reflect(Component, Default)]
pub struct Behaviour {
    pub script: String,
}

/// The game's shared state, written by the scripts (`world.resource("GameState")`) and
/// read by the HUD and the headless summary.
#[derive(Resource, Reflect, Default, Clone, Debug)]
#[reflect(Resource, Default)]
pub struct GameState {
    pub score: i64,
    pub high_score: i64,
    pub lives: i64,
    pub wave: i64,
    pub over: bool,
    /// Games started (1 for the first, +1 for each restart).
    pub games: i64,
    /// Centre message ("WAVE 3", "GAME OVER"...), empty for none.
    pub banner: String,
    /// Bullets fired and enemies destroyed in total (for the summary).
    pub shots: i64,
    pub kills: i64,
}

/// Script errors to show: per script path, its latest error. An error stays until the
/// file is modified and compiles again.
#[derive(Resource, Default, Clone, Debug)]
pub struct ErrorList {
    pub errors: BTreeMap<String, String>,
}

/// Handles of the preloaded script folders.
#[derive(Resource, Default)]
pub struct Preloaded(pub Vec<Handle<LoadedFolder>>);

/// Marker of the game entity (runs `game.lua` and `waves.lua`).
#[derive(Component)]
pub struct GameRoot;

// ---------------------------------------------------------------------------------------

/// Registers the data above and the systems shared by both modes.
pub struct GameLogicPlugin;

impl Plugin for GameLogicPlugin {
    fn build(&self, app: &mut App) {
        app.register_type::<Player>()
            .register_type::<Enemy>()
            .register_type::<Bullet>()
            .register_type::<Look>()
            .register_type::<Behaviour>()
            .register_type::<GameState>()
            .init_resource::<GameState>()
            .init_resource::<ErrorList>()
            .init_resource::<Preloaded>()
            .init_resource::<Clock>()
            .add_systems(Startup, (preload, spawn_game_root))
            .add_systems(
                PreUpdate,
                (
                    attach_behaviours,
                    scripted_input
                        .after(bevy::input::InputSystems)
                        .run_if(resource_exists::<ScriptedInput>),
                ),
            )
            .add_systems(Update, (collect_errors, default_looks))
            .add_systems(Last, advance_clock);
    }
}

fn preload(assets: Res<AssetServer>, mut pre: ResMut<Preloaded>) {
    for f in SCRIPT_FOLDERS {
        pre.0.push(assets.load_folder(f));
    }
}

fn spawn_game_root(mut commands: Commands, assets: Res<AssetServer>) {
    commands.spawn((
        GameRoot,
        Name::new("game"),
        Transform::default(),
        Scripts::many(GAME_SCRIPTS.iter().map(|p| assets.load(*p))),
    ));
}

/// Entities spawned by scripts with a `Behaviour` get the plugin's `Scripts`.
pub fn attach_behaviours(
    mut commands: Commands,
    assets: Res<AssetServer>,
    q: Query<(Entity, &Behaviour), Changed<Behaviour>>,
) {
    for (e, b) in &q {
        if b.script.is_empty() {
            continue;
        }
        commands
            .entity(e)
            .insert(Scripts::new(assets.load(b.script.clone())));
    }
}

/// New enemies that have no [`Look`] yet.
type EnemiesWithoutLook<'w, 's> =
    Query<'w, 's, (Entity, &'static Enemy), (Added<Enemy>, Without<Look>)>;

/// Enemies spawned without a [`Look`] (the mod's swarmers) get one by kind.
pub fn default_looks(mut commands: Commands, q: EnemiesWithoutLook) {
    for (e, enemy) in &q {
        let look = match enemy.kind.as_str() {
            "Swarmer" => Look {
                shape: "triangle".into(),
                size: Vec2::new(16.0, 18.0),
                color: Color::srgb_u8(0x8d, 0xff, 0x6a),
            },
            _ => Look {
                shape: "circle".into(),
                size: Vec2::splat(enemy.radius.max(4.0) * 2.0),
                color: Color::srgb_u8(0xff, 0xa0, 0x40),
            },
        };
        commands.entity(e).insert(look);
    }
}

/// Keeps [`ErrorList`] up to date: compile errors straight from the script assets,
/// runtime errors from the plugin's [`ScriptError`] messages; a script's entry goes away
/// when its file is modified and compiles.
pub fn collect_errors(
    mut list: ResMut<ErrorList>,
    mut errors: MessageReader<ScriptError>,
    mut asset_events: MessageReader<AssetEvent<LuaScript>>,
    scripts: Res<Assets<LuaScript>>,
) {
    for ev in asset_events.read() {
        let id = match ev {
            AssetEvent::Modified { id } | AssetEvent::LoadedWithDependencies { id } => *id,
            _ => continue,
        };
        let Some(script) = scripts.get(id) else {
            continue;
        };
        match &script.compiled {
            Ok(_) => {
                list.errors.remove(&script.path);
            }
            Err(msg) => {
                list.errors.insert(script.path.clone(), msg.clone());
            }
        }
    }
    for e in errors.read() {
        let text = match e.kind {
            ScriptErrorKind::Compile => e.message.clone(),
            ScriptErrorKind::Runtime => e.message.clone(),
        };
        list.errors.insert(e.script.clone(), text);
    }
}

// ---------------------------------------------------------------------------------------
// Headless runner.

/// What a headless run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub frames: u32,
    pub entities: usize,
    pub enemies: usize,
    pub enemy_kinds: BTreeMap<String, usize>,
    pub bullets: usize,
    pub ships: usize,
    pub script_instances: usize,
    pub instructions_total: u64,
    pub instructions_max_frame: u64,
    pub suspensions_total: u64,
    pub errors: u64,
    pub error_messages: Vec<String>,
    pub state: GameState,
    /// Enemy kinds seen at any time during the run.
    pub kinds_seen: BTreeMap<String, usize>,
    seen: std::collections::BTreeSet<(String, Entity)>,
    /// Wall time spent in script callbacks.
    pub script_time: Duration,
    pub max_enemies: usize,
    pub wall_time: Duration,
    /// Mods loaded, and skipped with the reason.
    pub mods_loaded: Vec<String>,
    pub mods_skipped: Vec<String>,
}

impl Summary {
    pub fn instructions_per_frame(&self) -> f64 {
        if self.frames == 0 {
            0.0
        } else {
            self.instructions_total as f64 / self.frames as f64
        }
    }

    /// Human-readable report.
    pub fn report(&self) -> String {
        let mut s = String::new();
        s += &format!("frames:               {}\n", self.frames);
        s += &format!(
            "entities:             {} (ships {}, enemies {}, bullets {})\n",
            self.entities, self.ships, self.enemies, self.bullets
        );
        s += &format!("enemies spawned:      {:?}\n", self.kinds_seen);
        s += &format!("max enemies at once:  {}\n", self.max_enemies);
        s += &format!("script instances:     {}\n", self.script_instances);
        s += &format!("mods loaded:          {:?}\n", self.mods_loaded);
        for m in &self.mods_skipped {
            s += &format!("  skipped: {m}\n");
        }
        s += &format!(
            "instructions/frame:   {:.0} avg, {} max ({} total)\n",
            self.instructions_per_frame(),
            self.instructions_max_frame,
            self.instructions_total
        );
        s += &format!(
            "script time:          {:.3} ms/frame avg\n",
            self.script_time.as_secs_f64() * 1000.0 / self.frames.max(1) as f64
        );
        s += &format!("suspensions:          {}\n", self.suspensions_total);
        s += &format!("script errors:        {}\n", self.errors);
        for m in &self.error_messages {
            s += &format!("  {m}\n");
        }
        let g = &self.state;
        s += &format!(
            "game:                 score {} (best {}), lives {}, wave {}, games {}, shots {}, kills {}, over {}\n",
            g.score, g.high_score, g.lives, g.wave, g.games, g.shots, g.kills, g.over
        );
        s += &format!("wall time:            {:.2?}\n", self.wall_time);
        s
    }
}

/// Frames since the scripts loaded (both modes): the clock of `--frames`, the
/// screenshot and the scripted input.
#[derive(Resource, Default, Debug)]
pub struct Clock {
    /// The preloaded scripts are in (or failed): frames count from here.
    pub started: bool,
    /// Frames run since then.
    pub frame: u32,
    pub started_at: Option<Instant>,
    /// A preloaded folder failed to load (missing assets directory?).
    pub load_failed: bool,
}

/// The asset folder, absolute: `assets/` under `BEVY_ASSET_ROOT`, `CARGO_MANIFEST_DIR` or
/// the executable's directory (Bevy's own rule) when the game's scripts are there, else
/// the repository's `assets/` this example was built from (running
/// `target/debug/examples/game` directly).
pub fn asset_dir() -> std::path::PathBuf {
    let base = std::env::var_os("BEVY_ASSET_ROOT")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|p| p.parent().map(|d| d.to_path_buf()))
        });
    match base {
        Some(b) if b.join("assets").join(GAME_SCRIPTS[0]).is_file() => b.join("assets"),
        _ => std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets")),
    }
}

/// The mods plugin for mods in `<assets>/mods` (the sample mod: `assets/mods/swarmer/`).
pub fn mods_plugin(assets: &std::path::Path, watch: bool) -> ModsPlugin {
    let mut settings = ModSettings::new(assets.join("mods"));
    settings.watch = watch;
    ModsPlugin::new(settings)
}

/// Present when the keyboard is driven by [`scripted_keys`].
#[derive(Resource, Default)]
pub struct ScriptedInput;

/// Frames of the headless run and what it saw.
#[derive(Resource, Default)]
struct HeadlessRun {
    frames: u32,
    summary: Summary,
}

fn advance_clock(mut clock: ResMut<Clock>, assets: Res<AssetServer>, pre: Res<Preloaded>) {
    if clock.started {
        clock.frame += 1;
        return;
    }
    let loaded = !pre.0.is_empty()
        && pre
            .0
            .iter()
            .all(|h| assets.is_loaded_with_dependencies(h.id()));
    let failed = pre
        .0
        .iter()
        .any(|h| assets.get_load_state(h.id()).is_some_and(|s| s.is_failed()));
    if loaded || failed {
        clock.load_failed = failed;
        clock.started = true;
        clock.started_at = Some(Instant::now());
    }
}

/// The deterministic input of the headless run: which keys are held on `frame`.
/// A 240-frame loop of turning, thrusting and firing; `R` now and then (restarts after a
/// game over).
pub fn scripted_keys(frame: u32) -> Vec<KeyCode> {
    let mut keys = vec![KeyCode::Space];
    let t = frame % 240;
    match t {
        0..=39 => keys.push(KeyCode::ArrowLeft),
        40..=69 => keys.push(KeyCode::ArrowUp),
        70..=129 => keys.push(KeyCode::ArrowRight),
        130..=149 => keys.push(KeyCode::ArrowDown),
        150..=179 => {
            keys.push(KeyCode::KeyA);
            keys.push(KeyCode::KeyW);
        }
        _ => keys.push(KeyCode::KeyD),
    }
    if frame % 120 == 119 {
        keys.push(KeyCode::KeyR);
    }
    keys
}

/// Presses the keys of [`scripted_keys`] (after Bevy's own keyboard update).
pub fn scripted_input(clock: Res<Clock>, mut input: ResMut<ButtonInput<KeyCode>>) {
    if !clock.started {
        return;
    }
    let want = scripted_keys(clock.frame);
    let held: Vec<KeyCode> = input.get_pressed().copied().collect();
    for k in held {
        if !want.contains(&k) {
            input.release(k);
        }
    }
    for k in want {
        input.press(k);
    }
}

// A Bevy system: each parameter is a resource or query it reads.
#[allow(clippy::too_many_arguments)]
fn headless_step(
    mut run: ResMut<HeadlessRun>,
    clock: Res<Clock>,
    diag: Res<ScriptDiagnostics>,
    state: Res<GameState>,
    enemies: Query<(Entity, &Enemy)>,
    bullets: Query<(), With<Bullet>>,
    ships: Query<(), With<Player>>,
    all: Query<()>,
    errors: Res<ErrorList>,
    mods: Option<Res<ModStatus>>,
    mut exit: MessageWriter<AppExit>,
) {
    if !clock.started {
        return;
    }
    let run = &mut *run;
    // Statistics of the frame that just ran (the scripts ran in Update).
    let s = &mut run.summary;
    s.instructions_total += diag.instructions_frame;
    s.instructions_max_frame = s.instructions_max_frame.max(diag.instructions_frame);
    s.suspensions_total += diag.suspensions_frame;
    let n = enemies.iter().count();
    s.max_enemies = s.max_enemies.max(n);
    s.script_time += diag.time_frame;
    for (id, e) in &enemies {
        if s.seen.insert((e.kind.clone(), id)) {
            *s.kinds_seen.entry(e.kind.clone()).or_default() += 1;
        }
    }
    let frame = clock.frame + 1; // advance_clock counts this frame after us
    if frame >= run.frames {
        let s = &mut run.summary;
        s.frames = frame;
        s.entities = all.iter().count();
        s.enemies = n;
        s.enemy_kinds.clear();
        for (_, e) in &enemies {
            *s.enemy_kinds.entry(e.kind.clone()).or_default() += 1;
        }
        s.bullets = bullets.iter().count();
        s.ships = ships.iter().count();
        s.script_instances = diag.scripts.values().map(|st| st.instances).sum();
        s.errors = diag.errors_total;
        s.error_messages = errors
            .errors
            .values()
            .cloned()
            .chain(diag.scripts.values().filter_map(|st| st.last_error.clone()))
            .collect();
        if clock.load_failed {
            s.error_messages.push(format!(
                "could not load the script folders {SCRIPT_FOLDERS:?}"
            ));
        }
        if s.script_instances == 0 {
            s.error_messages
                .push("no script instance ran (are the assets there?)".to_string());
        }
        s.error_messages.sort();
        s.error_messages.dedup();
        if s.errors == 0 && !s.error_messages.is_empty() {
            s.errors = s.error_messages.len() as u64;
        }
        s.state = state.clone();
        if let Some(m) = &mods {
            s.mods_loaded = m.loaded.clone();
            s.mods_skipped = m.skipped.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        }
        s.wall_time = clock.started_at.map(|t| t.elapsed()).unwrap_or_default();
        exit.write(AppExit::Success);
    }
}

/// How to build the headless app.
#[derive(Clone, Debug)]
pub struct HeadlessConfig {
    /// Frames to run (counted once the scripts have loaded).
    pub frames: u32,
    /// Asset folder (default: [`asset_dir`]); mods are in its `mods/`.
    pub assets: Option<std::path::PathBuf>,
    /// Watch the scripts for changes (hot reload), off by default.
    pub watch: bool,
}

impl HeadlessConfig {
    pub fn frames(frames: u32) -> Self {
        HeadlessConfig {
            frames,
            assets: None,
            watch: false,
        }
    }
}

/// The headless app: no window, no rendering, the same scripts, a fixed 60 Hz clock and
/// [`scripted_keys`] as the keyboard.
pub fn headless_app(cfg: &HeadlessConfig) -> App {
    let mut app = App::new();
    // One global logger per process (tests build several apps).
    static LOG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !LOG.swap(true, std::sync::atomic::Ordering::SeqCst) {
        app.add_plugins(bevy::log::LogPlugin::default());
    }
    let assets = cfg.assets.clone().unwrap_or_else(asset_dir);
    app.add_plugins((
        MinimalPlugins.set(ScheduleRunnerPlugin::run_loop(Duration::ZERO)),
        AssetPlugin {
            file_path: assets.display().to_string(),
            watch_for_changes_override: Some(cfg.watch),
            ..default()
        },
        InputPlugin,
        SelenitePlugin::with_settings(SeleniteSettings::default()),
        mods_plugin(&assets, cfg.watch),
        GameLogicPlugin,
    ))
    .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs_f64(
        1.0 / 60.0,
    )))
    .insert_resource(HeadlessRun {
        frames: cfg.frames.max(1),
        ..default()
    })
    .init_resource::<ScriptedInput>()
    .add_systems(Last, headless_step.before(advance_clock));
    app
}

/// Runs the game headless for `frames` frames (counted once the scripts have loaded; gives
/// up after `timeout` of wall time) and returns the summary.
pub fn run_headless(frames: u32, timeout: Duration) -> Summary {
    let mut app = headless_app(&HeadlessConfig::frames(frames));
    app.finish();
    app.cleanup();
    let start = Instant::now();
    loop {
        app.update();
        let world = app.world();
        let started = world.get_resource::<Clock>().is_some_and(|c| c.started);
        if let Some(exit) = app.should_exit() {
            let _ = exit;
            if let Some(run) = app.world().get_resource::<HeadlessRun>() {
                return run.summary.clone();
            }
        }
        if !started {
            // Loading: leave the cores to the asset tasks.
            std::thread::sleep(Duration::from_millis(1));
        }
        if start.elapsed() > timeout {
            let mut s = app
                .world()
                .get_resource::<HeadlessRun>()
                .map(|r| r.summary.clone())
                .unwrap_or_default();
            s.error_messages.push(format!(
                "timed out after {timeout:?} (scripts loaded: {started})"
            ));
            s.errors += 1;
            return s;
        }
    }
}
