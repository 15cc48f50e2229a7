//! Mods: manifests, dependencies, sandboxing, permissions, watching, storage.

use std::path::Path;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy_selenite::mods::{ModHost, ModManifest, ModSettings, ModStatus, ModsPlugin, StoredValue};
use bevy_selenite::prelude::*;

#[derive(Resource, Default)]
struct Errors(Vec<ScriptError>);

fn write(dir: &Path, p: &str, src: &str) {
    let path = dir.join(p);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, src).expect("write");
}

fn manifest(id: &str, extra: &str) -> String {
    format!("(id: \"{id}\", name: \"{id}\", version: \"1.0.0\", entry: [\"main.lua\"], {extra})")
}

fn add_mod(dir: &Path, id: &str, extra: &str, main: &str) {
    write(dir, &format!("{id}/mod.ron"), &manifest(id, extra));
    write(dir, &format!("{id}/main.lua"), main);
}

fn app(mods: &Path, watch: bool) -> App {
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
    settings.watch = watch;
    settings.debounce = Duration::from_millis(50);
    app.add_plugins(ModsPlugin::new(settings));
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
    app
}

fn status(app: &App) -> ModStatus {
    app.world().resource::<ModStatus>().clone()
}

fn storage(app: &mut App, id: &str) -> Option<StoredValue> {
    app.world_mut()
        .non_send_mut::<ModHost>()
        .storage_of(id)
        .expect("storage")
}

fn field(v: &Option<StoredValue>, key: &str) -> Option<StoredValue> {
    match v {
        Some(StoredValue::Map(m)) => m
            .get(&bevy_selenite::mods::storage::StoredKey::Str(key.into()))
            .cloned(),
        _ => None,
    }
}

#[test]
fn manifest_errors_have_file_line_and_column() {
    let err = ModManifest::parse("(\n  id: \"a\",\n  name: 3,\n)", "mods/a/mod.ron").unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("mods/a/mod.ron:3:"), "{text}");
    assert!(text.contains("string"), "{text}");
    let err = ModManifest::parse(&manifest("a", "version: \"1.x\""), "m.ron").unwrap_err();
    assert!(err.to_string().starts_with("m.ron:1:"), "{err}");
    let err = ModManifest::parse(&manifest("a", "permisions: ()"), "m.ron").unwrap_err();
    assert!(err.to_string().contains("permisions"), "{err}");
    let err = ModManifest::parse(
        "(id: \"a\", name: \"a\", version: \"1.0.0\", entry: [\"../x.lua\"])",
        "m.ron",
    )
    .unwrap_err();
    assert!(err.to_string().contains("inside the mod folder"), "{err}");
}

#[test]
fn bad_mods_are_skipped_and_the_others_load_in_dependency_order() {
    let dir = tempfile::tempdir().expect("mods");
    let d = dir.path();
    let main = "storage.loaded = true";
    write(d, "broken/mod.ron", "(id: \"broken\", name: 1)");
    add_mod(
        d,
        "needs_ghost",
        "dependencies: [(id: \"ghost\", version: \"^1\")]",
        main,
    );
    add_mod(d, "cyc_a", "dependencies: [(id: \"cyc_b\")]", main);
    add_mod(d, "cyc_b", "dependencies: [(id: \"cyc_a\")]", main);
    add_mod(d, "after_cycle", "dependencies: [(id: \"cyc_a\")]", main);
    add_mod(
        d,
        "too_new",
        "dependencies: [(id: \"base\", version: \">=2\")]",
        main,
    );
    add_mod(d, "base", "", main);
    add_mod(
        d,
        "user",
        "dependencies: [(id: \"base\", version: \"^1.0\"), (id: \"maybe\", optional: true)]",
        main,
    );
    add_mod(d, "early", "load_before: [\"base\"]", main);
    let mut app = app(d, false);
    app.update();
    let st = status(&app);
    assert_eq!(st.loaded, vec!["early", "base", "user"], "{st:?}");
    let reason = |id: &str| st.skipped.get(id).cloned().unwrap_or_default();
    assert!(
        reason("broken").contains("mod.ron:1:"),
        "{}",
        reason("broken")
    );
    assert!(
        reason("needs_ghost").contains("missing dependency 'ghost'"),
        "{st:?}"
    );
    assert!(
        reason("cyc_a").contains("dependency cycle: cyc_a -> cyc_b -> cyc_a"),
        "{st:?}"
    );
    assert!(reason("cyc_b").contains("dependency cycle"), "{st:?}");
    assert!(
        reason("after_cycle").contains("'cyc_a' is not loaded"),
        "{st:?}"
    );
    assert!(reason("too_new").contains("does not match"), "{st:?}");
    assert_eq!(
        field(&storage(&mut app, "user"), "loaded"),
        Some(StoredValue::Bool(true))
    );
}

#[test]
fn mods_cannot_see_each_other_and_permissions_are_enforced() {
    let dir = tempfile::tempdir().expect("mods");
    let d = dir.path();
    add_mod(d, "a", "", "secret = 42\nstorage.mine = secret");
    add_mod(
        d,
        "b",
        "load_after: [\"a\"]",
        "storage.seen = tostring(secret) .. ' ' .. tostring(rawget(_G, 'secret'))\n\
         storage.has_io = io ~= nil\n\
         storage.load_ok = pcall(load, 'return secret')",
    );
    add_mod(
        d,
        "cheats",
        "permissions: (read: [\"Transform\"])",
        "function on_update(self, dt)\n\
             for e in world.query('Transform') do\n\
                 storage.x = e.Transform.translation.x\n\
                 e.Transform.translation.x = 99\n\
             end\n\
         end",
    );
    add_mod(
        d,
        "spawner",
        "permissions: (write: [\"Transform\"], spawn: true)",
        "function on_start(self) world.spawn{ Transform = { translation = Vec3.new(5, 0, 0) } } end",
    );
    let mut app = app(d, false);
    let e = app
        .world_mut()
        .spawn(Transform::from_xyz(1.0, 0.0, 0.0))
        .id();
    app.update();
    app.update();
    assert_eq!(
        field(&storage(&mut app, "a"), "mine"),
        Some(StoredValue::Int(42))
    );
    assert_eq!(
        field(&storage(&mut app, "b"), "seen"),
        Some(StoredValue::Str("nil nil".into()))
    );
    assert_eq!(
        field(&storage(&mut app, "b"), "has_io"),
        Some(StoredValue::Bool(false))
    );
    // Reading was allowed, writing refused with the permission's name.
    assert!(matches!(
        field(&storage(&mut app, "cheats"), "x"),
        Some(StoredValue::Float(_))
    ));
    assert_eq!(
        app.world().get::<Transform>(e).expect("t").translation.x,
        1.0
    );
    let errs = app.world().resource::<Errors>().0.clone();
    assert!(
        errs.iter().any(|e| e
            .message
            .contains("mod 'cheats' lacks permission 'write:Transform'")),
        "{errs:?}"
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    // The spawner mod may spawn.
    let mut q = app.world_mut().query::<&Transform>();
    assert!(q.iter(app.world()).any(|t| t.translation.x == 5.0));
}

#[test]
fn a_mod_folder_added_while_running_loads_and_its_edits_hot_reload() {
    let dir = tempfile::tempdir().expect("mods");
    let d = dir.path().to_path_buf();
    let mut app = app(&d, true);
    app.update();
    assert!(status(&app).loaded.is_empty());
    add_mod(
        &d,
        "late",
        "permissions: (spawn: true, write: [\"Transform\"])",
        "world.spawn{ Transform = {} }\n\
         function on_update(self, dt) storage.n = (storage.n or 0) + 1; storage.v = 1 end",
    );
    let start = Instant::now();
    while !status(&app).loaded.contains(&"late".to_string()) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            status(&app)
        );
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    for _ in 0..3 {
        app.update();
    }
    write(
        &d,
        "late/main.lua",
        "function on_update(self, dt) storage.n = (storage.n or 0) + 1; storage.v = 2 end",
    );
    let start = Instant::now();
    while field(&storage(&mut app, "late"), "v") != Some(StoredValue::Int(2)) {
        assert!(start.elapsed() < Duration::from_secs(5));
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    let Some(StoredValue::Int(n)) = field(&storage(&mut app, "late"), "n") else {
        panic!("n");
    };
    assert!(n >= 4, "state kept across the reload: {n}");
    let mut spawned = app
        .world_mut()
        .query::<&bevy_selenite::mods::SpawnedByMod>();
    let count = |app: &mut App, q: &mut QueryState<&bevy_selenite::mods::SpawnedByMod>| {
        q.iter(app.world()).filter(|by| by.0 == "late").count()
    };
    assert_eq!(count(&mut app, &mut spawned), 1, "the mod's entity");
    // Removing the folder unloads the mod, and its entity goes with it.
    std::fs::remove_dir_all(d.join("late")).expect("rm");
    let start = Instant::now();
    while !status(&app).loaded.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(5));
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(count(&mut app, &mut spawned), 0, "despawned with its mod");
}

#[test]
fn storage_is_saved_to_ron_and_restored_in_a_fresh_app() {
    let dir = tempfile::tempdir().expect("mods");
    let d = dir.path();
    add_mod(
        d,
        "saver",
        "",
        "function on_start(self)\n\
             storage.runs = (storage.runs or 0) + 1\n\
             storage.name = 'hero'\n\
             storage.items = { 'sword', 'shield' }\n\
             storage.stats = { hp = 3.5, [7] = true }\n\
         end",
    );
    let mut first = app(d, false);
    first.update();
    let ron = first
        .world_mut()
        .non_send_mut::<ModHost>()
        .save_storage()
        .expect("save");
    assert!(ron.contains("\"sword\""), "{ron}");

    let mut second = app(d, false);
    second
        .world_mut()
        .non_send_mut::<ModHost>()
        .restore_storage(&ron)
        .expect("restore");
    second.update();
    let s = storage(&mut second, "saver");
    assert_eq!(field(&s, "runs"), Some(StoredValue::Int(2)));
    assert_eq!(field(&s, "name"), Some(StoredValue::Str("hero".into())));
    assert_eq!(
        field(&s, "items"),
        Some(StoredValue::List(vec![
            StoredValue::Str("sword".into()),
            StoredValue::Str("shield".into())
        ]))
    );

    // Values that cannot be saved are refused with their path.
    add_mod(d, "bad", "", "storage.cb = { on_use = function() end }");
    let mut third = app(d, false);
    third.update();
    let err = third
        .world_mut()
        .non_send_mut::<ModHost>()
        .save_storage()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("mod 'bad'") && err.contains("cb.on_use"),
        "{err}"
    );
}
