//! Shared test harness: a headless app with scripts in a temporary asset folder.
#![allow(dead_code)]

use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy_selenite::prelude::*;
use bevy_selenite::ScriptRuntime;

#[derive(Resource, Default)]
pub struct Collected {
    pub errors: Vec<ScriptError>,
    pub messages: Vec<ScriptMessage>,
}

pub struct TestApp {
    pub app: App,
    pub dir: tempfile::TempDir,
}

/// Frame step of the tests' virtual clock.
pub const STEP: Duration = Duration::from_millis(100);

impl TestApp {
    pub fn new(scripts: &[(&str, &str)]) -> TestApp {
        TestApp::with_settings(scripts, SeleniteSettings::default())
    }

    pub fn with_settings(scripts: &[(&str, &str)], settings: SeleniteSettings) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, src) in scripts {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, src).expect("write script");
        }
        let mut app = App::new();
        app.add_plugins((
            MinimalPlugins,
            AssetPlugin {
                file_path: dir.path().display().to_string(),
                ..default()
            },
            SelenitePlugin::with_settings(settings),
        ));
        app.insert_resource(TimeUpdateStrategy::ManualDuration(STEP));
        app.init_resource::<Collected>();
        app.add_systems(
            Last,
            |mut r: MessageReader<ScriptError>,
             mut m: MessageReader<ScriptMessage>,
             mut c: ResMut<Collected>| {
                c.errors.extend(r.read().cloned());
                c.messages.extend(m.read().cloned());
            },
        );
        TestApp { app, dir }
    }

    pub fn load(&mut self, path: &str) -> Handle<LuaScript> {
        self.app
            .world()
            .resource::<AssetServer>()
            .load(path.to_string())
    }

    /// Updates until every given script is loaded (bounded).
    pub fn wait_loaded(&mut self, handles: &[Handle<LuaScript>]) {
        for _ in 0..500 {
            let assets = self.app.world().resource::<Assets<LuaScript>>();
            if handles.iter().all(|h| assets.get(h).is_some()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
            self.app.update();
        }
        panic!("scripts did not load");
    }

    /// Spawns an entity with a Transform and the scripts, loaded.
    pub fn spawn_scripted(&mut self, paths: &[&str], transform: Transform) -> Entity {
        let handles: Vec<_> = paths.iter().map(|p| self.load(p)).collect();
        self.wait_loaded(&handles);
        self.app
            .world_mut()
            .spawn((transform, Scripts::many(handles)))
            .id()
    }

    pub fn update(&mut self, n: usize) {
        for _ in 0..n {
            self.app.update();
        }
    }

    pub fn transform(&self, e: Entity) -> Transform {
        *self.app.world().get::<Transform>(e).expect("transform")
    }

    pub fn self_value<T: selenite::api::FromLua>(&mut self, e: Entity, key: &str) -> Option<T> {
        self.app
            .world_mut()
            .non_send_mut::<ScriptRuntime>()
            .self_value(e, 0, key)
    }

    /// Every `ScriptError` written so far.
    pub fn errors(&self) -> Vec<ScriptError> {
        self.app.world().resource::<Collected>().errors.clone()
    }

    /// Every `ScriptMessage` (from `emit`) written so far.
    pub fn messages(&self) -> Vec<ScriptMessage> {
        self.app.world().resource::<Collected>().messages.clone()
    }
}

use bevy_selenite::selenite;
