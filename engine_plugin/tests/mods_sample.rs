//! The sample mod shipped in `assets/mods/swarmer` loads and spawns swarmers.

use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy_selenite::mods::{ModSettings, ModStatus, ModsPlugin};
use bevy_selenite::prelude::*;

#[derive(Component, Reflect, Default, Debug)]
#[reflect(Component, Default)]
struct Enemy {
    kind: String,
    hp: f32,
    speed: f32,
}

#[derive(Resource, Default)]
struct Errors(Vec<ScriptError>);

#[test]
fn swarmer_mod_spawns_moving_swarmers() {
    let mods = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/mods");
    let assets = tempfile::tempdir().expect("assets");
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin {
            file_path: assets.path().display().to_string(),
            watch_for_changes_override: Some(false),
            ..default()
        },
        SelenitePlugin::default(),
    ));
    let mut settings = ModSettings::new(mods);
    settings.watch = false;
    app.add_plugins(ModsPlugin::new(settings));
    app.register_type::<Enemy>();
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
        100,
    )));
    app.init_resource::<Errors>();
    app.add_systems(
        Last,
        |mut r: MessageReader<ScriptError>, mut e: ResMut<Errors>| {
            e.0.extend(r.read().cloned());
        },
    );
    for _ in 0..14 {
        app.update();
    }
    let status = app.world().resource::<ModStatus>().clone();
    assert_eq!(status.loaded, vec!["swarmer"], "{status:?}");
    let errs = app.world().resource::<Errors>().0.clone();
    assert!(errs.is_empty(), "{errs:?}");
    let mut q = app.world_mut().query::<(&Enemy, &Transform)>();
    let swarmers: Vec<(String, Vec3)> = q
        .iter(app.world())
        .map(|(e, t)| (e.kind.clone(), t.translation))
        .collect();
    assert_eq!(swarmers.len(), 5, "{swarmers:?}");
    for (kind, pos) in &swarmers {
        assert_eq!(kind, "Swarmer");
        // They moved in from the 420 circle toward the origin.
        assert!(pos.length() < 419.0, "{pos}");
    }
}
