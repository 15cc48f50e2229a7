//! Hot reload through the file system: state kept, functions replaced, bad edits
//! reported, atomic saves, `require`d modules, latency.

use std::path::Path;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy_selenite::prelude::*;
use bevy_selenite::{ScriptErrorKind, ScriptRuntime};

#[derive(Resource, Default)]
struct Errors(Vec<ScriptError>);

struct T {
    app: App,
    dir: tempfile::TempDir,
}

fn app_with(files: &[(&str, &str)], bevy_watcher: bool) -> T {
    let dir = tempfile::tempdir().expect("temp dir");
    for (p, src) in files {
        write(dir.path(), p, src);
    }
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin {
            file_path: dir.path().display().to_string(),
            watch_for_changes_override: Some(bevy_watcher),
            ..default()
        },
        SelenitePlugin::default(),
    ));
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
        16,
    )));
    app.init_resource::<Errors>();
    app.add_systems(
        Last,
        |mut r: MessageReader<ScriptError>, mut e: ResMut<Errors>| {
            e.0.extend(r.read().cloned());
        },
    );
    T { app, dir }
}

fn write(dir: &Path, p: &str, src: &str) {
    let path = dir.join(p);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, src).expect("write");
}

impl T {
    fn spawn(&mut self, script: &str) -> Entity {
        let h: Handle<LuaScript> = self
            .app
            .world()
            .resource::<AssetServer>()
            .load(script.to_string());
        for _ in 0..500 {
            if self
                .app
                .world()
                .resource::<Assets<LuaScript>>()
                .get(&h)
                .is_some()
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
            self.app.update();
        }
        let e = self
            .app
            .world_mut()
            .spawn((Transform::default(), Scripts::new(h)))
            .id();
        self.app.update();
        self.app.update();
        e
    }

    fn x(&self, e: Entity) -> f32 {
        self.app
            .world()
            .get::<Transform>(e)
            .expect("transform")
            .translation
            .x
    }

    fn get<V: bevy_selenite::selenite::api::FromLua>(&mut self, e: Entity, k: &str) -> Option<V> {
        self.app
            .world_mut()
            .non_send_mut::<ScriptRuntime>()
            .self_value(e, 0, k)
    }

    /// Updates until `cond` holds (at most 5 s); returns the time it took.
    fn until(&mut self, mut cond: impl FnMut(&mut T) -> bool) -> Duration {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            self.app.update();
            if cond(self) {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        panic!("condition not reached in 5 s");
    }

    fn errors(&self) -> Vec<ScriptError> {
        self.app.world().resource::<Errors>().0.clone()
    }
}

const V1: &str = r#"
count = count or 0
history = history or {}
function on_update(self, dt)
    count = count + 1
    self.n = (self.n or 0) + 1
    self.count = count
    self.entity.Transform.translation.x = 1
end
"#;

const V2: &str = r#"
count = count or 0
history = history or {}
function on_update(self, dt)
    count = count + 1
    self.n = (self.n or 0) + 1
    self.count = count
    self.entity.Transform.translation.x = 2
end
function on_reload(self)
    self.reloaded = (self.reloaded or 0) + 1
    self.n_at_reload = self.n
end
"#;

#[test]
fn saving_a_script_swaps_functions_and_keeps_state() {
    let mut t = app_with(&[("scripts/a.lua", V1)], false);
    let e = t.spawn("scripts/a.lua");
    for _ in 0..5 {
        t.app.update();
    }
    assert_eq!(t.x(e), 1.0);
    let n_before: i64 = t.get(e, "n").expect("n");
    assert!(n_before >= 5);

    write(t.dir.path(), "scripts/a.lua", V2);
    t.until(|t| t.x(e) == 2.0);
    let n_at_reload: i64 = t.get(e, "n_at_reload").expect("on_reload ran");
    assert!(
        n_at_reload >= n_before,
        "self kept: {n_at_reload} < {n_before}"
    );
    // The global `count` kept counting across the swap.
    let count: i64 = t.get(e, "count").expect("count");
    let n: i64 = t.get(e, "n").expect("n");
    assert_eq!(count, n);
    assert_eq!(t.get::<i64>(e, "reloaded"), Some(1));
    assert!(t.errors().is_empty(), "{:?}", t.errors());
}

#[test]
fn broken_save_keeps_the_old_version_and_reports_path_and_line() {
    let mut t = app_with(&[("scripts/a.lua", V1)], false);
    let e = t.spawn("scripts/a.lua");
    write(
        t.dir.path(),
        "scripts/a.lua",
        "function on_update(self, dt)\n  self.entity.Transform.translation.x = (\nend\n",
    );
    t.until(|t| !t.errors().is_empty());
    let errs = t.errors();
    assert_eq!(errs[0].kind, ScriptErrorKind::Compile);
    assert!(
        errs[0].message.starts_with("scripts/a.lua:3:"),
        "{}",
        errs[0].message
    );
    // Old behaviour continues.
    t.app
        .world_mut()
        .get_mut::<Transform>(e)
        .expect("t")
        .translation
        .x = 0.0;
    t.app.update();
    assert_eq!(t.x(e), 1.0);

    // A runtime error in the new main chunk: reported with its line, old code kept.
    write(
        t.dir.path(),
        "scripts/a.lua",
        "local x = nil\nx.field = 1\n",
    );
    t.until(|t| {
        t.errors()
            .iter()
            .any(|e| e.message.starts_with("scripts/a.lua:2:"))
    });
    t.app
        .world_mut()
        .get_mut::<Transform>(e)
        .expect("t")
        .translation
        .x = 0.0;
    t.app.update();
    assert_eq!(t.x(e), 1.0);

    // Fixing the file resumes reloading.
    write(t.dir.path(), "scripts/a.lua", V2);
    t.until(|t| t.x(e) == 2.0);
}

#[test]
fn atomic_saves_and_bursts_end_on_the_last_version() {
    let mut t = app_with(&[("scripts/a.lua", V1)], false);
    let e = t.spawn("scripts/a.lua");
    // Burst of saves: the last one wins.
    for i in 3..8 {
        write(
            t.dir.path(),
            "scripts/a.lua",
            &V1.replace("translation.x = 1", &format!("translation.x = {i}")),
        );
    }
    t.until(|t| t.x(e) == 7.0);
    for _ in 0..20 {
        t.app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(t.x(e), 7.0);
    // Atomic save: write a temporary file, rename it over the script.
    write(t.dir.path(), "scripts/.a.lua.tmp", V2);
    std::fs::rename(
        t.dir.path().join("scripts/.a.lua.tmp"),
        t.dir.path().join("scripts/a.lua"),
    )
    .expect("rename");
    t.until(|t| t.x(e) == 2.0);
}

#[test]
fn required_modules_reload_in_place() {
    let module = "local M = {}\nfunction M.value() return 3 end\nreturn M\n";
    let script = r#"
local speed = require("lib.speed")
function on_update(self, dt)
    self.entity.Transform.translation.x = speed.value()
    self.same = require("lib.speed") == speed
end
"#;
    let mut t = app_with(
        &[("lib/speed.lua", module), ("scripts/a.lua", script)],
        false,
    );
    let e = t.spawn("scripts/a.lua");
    t.app.update();
    assert_eq!(t.x(e), 3.0, "{:?}", t.errors());
    write(
        t.dir.path(),
        "lib/speed.lua",
        "local M = {}\nfunction M.value() return 7 end\nreturn M\n",
    );
    t.until(|t| t.x(e) == 7.0);
    assert_eq!(t.get::<bool>(e, "same"), Some(true));

    // Names cannot leave the asset folder.
    write(
        t.dir.path(),
        "scripts/b.lua",
        "function on_start(self) self.ok, self.err = pcall(require, '../secret') end",
    );
    let b = t.spawn("scripts/b.lua");
    let err: String = t.get(b, "err").expect("err");
    assert!(err.contains("invalid module name"), "{err}");
}

#[test]
fn bevy_watcher_alone_reloads_too() {
    let mut t = app_with(&[("scripts/a.lua", V1)], true);
    t.app
        .world_mut()
        .resource_mut::<bevy_selenite::reload::HotReloadSettings>()
        .watch = false;
    let e = t.spawn("scripts/a.lua");
    write(t.dir.path(), "scripts/a.lua", V2);
    t.until(|t| t.x(e) == 2.0);
    assert_eq!(t.get::<i64>(e, "reloaded"), Some(1));
}

/// `cargo test -p bevy_selenite --test reload_scripts -- --ignored --nocapture`
#[test]
#[ignore]
fn reload_latency() {
    for (name, bevy_watcher) in [("selenite watcher", false), ("bevy watcher", true)] {
        let mut t = app_with(&[("scripts/a.lua", V1)], bevy_watcher);
        t.app
            .world_mut()
            .resource_mut::<bevy_selenite::reload::HotReloadSettings>()
            .watch = !bevy_watcher;
        let e = t.spawn("scripts/a.lua");
        let mut samples = Vec::new();
        for i in 0..10 {
            let x = (i + 10) as f32;
            let src = V1.replace("translation.x = 1", &format!("translation.x = {x}"));
            // Saves a human makes are far apart (longer than the debounce).
            for _ in 0..10 {
                t.app.update();
                std::thread::sleep(Duration::from_millis(10));
            }
            let start = Instant::now();
            write(t.dir.path(), "scripts/a.lua", &src);
            loop {
                t.app.update();
                if t.x(e) == x {
                    break;
                }
                assert!(start.elapsed() < Duration::from_secs(5), "no reload");
                std::thread::sleep(Duration::from_millis(1));
            }
            samples.push(start.elapsed());
        }
        samples.sort();
        println!(
            "{name}: write -> new behaviour: min {:?}, median {:?}, max {:?}",
            samples[0],
            samples[samples.len() / 2],
            samples[samples.len() - 1]
        );
    }
}
