use bevy::prelude::*;
use bevy_selenite::prelude::*;

#[test]
fn settings_from_ron_and_plugin_defaults() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("selenite.ron");
    std::fs::write(
        &p,
        "(instance_budget: 1234, frame_budget: 99999, memory_limit: 1048576, gc_pause: 150, gc_full_every_frames: 60, random_seed: 42)",
    )
    .expect("write");
    let s = SeleniteSettings::from_ron_file(&p).expect("settings");
    assert_eq!(s.instance_budget, 1234);
    assert_eq!(s.frame_budget, 99999);
    assert_eq!(s.memory_limit, 1 << 20);
    assert_eq!(s.gc_pause, 150);
    assert_eq!(s.gc_full_every_frames, 60);
    assert_eq!(s.random_seed, 42);
    assert!(SeleniteSettings::from_ron_str("(instance_budget: \"x\")").is_err());
    assert!(SeleniteSettings::from_ron_file(dir.path().join("missing.ron")).is_err());

    // The one-line headless setup works and runs frames without scripts.
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin::default(),
        SelenitePlugin::with_settings(s),
    ));
    app.update();
    app.update();
    assert_eq!(
        app.world().resource::<SeleniteSettings>().instance_budget,
        1234
    );
    assert!(app
        .world()
        .get_non_send::<bevy_selenite::ScriptRuntime>()
        .is_some());
}
