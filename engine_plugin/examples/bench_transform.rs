//! Benchmark: 10,000 entities whose script reads and writes `Transform.translation` every
//! frame, against the same work done by a native Rust system.
//!
//! Run: `cargo run --release -p bevy_selenite --example bench_transform [entities] [frames]`
//! (for a quicker build: `CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16`).

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy_selenite::prelude::*;

const EMPTY: &str = r#"
function on_update(self, dt)
end
"#;

const GET: &str = r#"
function on_update(self, dt)
    local t = self.entity.Transform
end
"#;

const SCRIPT: &str = r#"
function on_update(self, dt)
    local t = self.entity.Transform
    t.translation.x = t.translation.x + dt
    t.translation.y = t.translation.y + 0.5 * dt
end
"#;

#[derive(Resource, Default)]
struct NativeTime(Duration);

fn native_move(mut q: Query<&mut Transform>, time: Res<Time>, mut spent: ResMut<NativeTime>) {
    let start = Instant::now();
    let dt = time.delta_secs();
    for mut t in &mut q {
        t.translation.x += dt;
        t.translation.y += 0.5 * dt;
    }
    spent.0 += start.elapsed();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let frames: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    // Optional third argument: `empty` or `get` to measure the fixed costs alone.
    let script = match args.get(3).map(String::as_str) {
        Some("empty") => EMPTY,
        Some("get") => GET,
        _ => SCRIPT,
    };
    let dir = std::env::temp_dir().join(format!("selenite_bench_{}", std::process::id()));
    let _ = std::fs::create_dir_all(dir.join("scripts"));
    if let Err(e) = std::fs::write(dir.join("scripts/move.lua"), script) {
        eprintln!("cannot write the script: {e}");
        return;
    }

    // Scripts.
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin {
            file_path: dir.display().to_string(),
            ..default()
        },
        SelenitePlugin::with_settings(SeleniteSettings {
            frame_budget: u64::MAX / 4,
            ..default()
        }),
    ))
    .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
        16,
    )));
    let h: Handle<LuaScript> = app
        .world()
        .resource::<AssetServer>()
        .load("scripts/move.lua");
    for _ in 0..1000 {
        if app
            .world()
            .resource::<Assets<LuaScript>>()
            .get(&h)
            .is_some()
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
        app.update();
    }
    for i in 0..n {
        app.world_mut().spawn((
            Transform::from_xyz(i as f32, 0.0, 0.0),
            Scripts::new(h.clone()),
        ));
    }
    app.update(); // creates the instances and runs the first frame
    let mut script_time = Duration::ZERO;
    let mut instructions = 0;
    let wall = Instant::now();
    for _ in 0..frames {
        app.update();
        let d = app.world().resource::<ScriptDiagnostics>();
        script_time += d.time_frame;
        instructions += d.instructions_frame;
    }
    let script_wall = wall.elapsed();
    let errors = app.world().resource::<ScriptDiagnostics>().errors_total;
    let memory = app.world().resource::<ScriptDiagnostics>().memory;

    // Native.
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
            16,
        )))
        .init_resource::<NativeTime>()
        .add_systems(Update, native_move);
    for i in 0..n {
        app.world_mut()
            .spawn(Transform::from_xyz(i as f32, 0.0, 0.0));
    }
    app.update();
    app.world_mut().resource_mut::<NativeTime>().0 = Duration::ZERO;
    for _ in 0..frames {
        app.update();
    }
    let native_time = app.world().resource::<NativeTime>().0;

    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / frames as f64;
    println!(
        "{n} entities, {frames} frames (errors: {errors}, VM heap {} KiB)",
        memory / 1024
    );
    println!(
        "scripts: {:.3} ms/frame in scripts ({:.3} ms/frame whole app), {} instructions/frame",
        ms(script_time),
        ms(script_wall),
        instructions / frames as u64
    );
    println!("native:  {:.3} ms/frame", ms(native_time));
    println!(
        "ratio scripts/native: {:.0}x",
        script_time.as_secs_f64() / native_time.as_secs_f64().max(1e-12)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
