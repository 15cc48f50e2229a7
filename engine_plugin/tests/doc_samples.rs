//! Every ```lua sample of README.md and docs/*.md compiles with the Selenite VM and runs as
//! an entity script in a headless app without error; the README's entity script really
//! moves its entity. (The ```rust samples are doctests: see `bevy_selenite::doc_samples`.)
//!
//! A sample whose first line is `-- assets/<path>` is also saved at that path in the asset
//! folder of every run, so samples can `require` each other.
mod common;

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_selenite::prelude::*;
use bevy_selenite::selenite;
use common::TestApp;

// The components and resource docs/scripting.md declares in its Rust sample.
#[derive(Component, Reflect, Default)]
#[reflect(Component, Default)]
struct Health {
    hp: i32,
    max: i32,
}

#[derive(Reflect, Default)]
enum Mood {
    #[default]
    Calm,
    Fleeing {
        speed: f32,
    },
}

#[derive(Component, Reflect, Default)]
#[reflect(Component, Default)]
struct Enemy {
    mood: Mood,
    target: Option<Entity>,
    waypoints: Vec<Vec3>,
}

#[derive(Resource, Reflect, Default)]
#[reflect(Resource, Default)]
struct Score {
    points: i64,
}

struct Sample {
    /// `file:line` of the fence.
    origin: String,
    code: String,
    /// The asset path of its `-- assets/<path>` header, if any.
    asset: Option<String>,
}

fn markdown_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The ```lua blocks of a markdown file.
fn lua_blocks(path: &Path) -> Vec<Sample> {
    let text = std::fs::read_to_string(path).expect("read markdown");
    let name = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut current {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let lang = info.split([',', ' ']).next().unwrap_or("");
                    if lang == "lua" {
                        current = Some((i + 1, String::new()));
                    } else if !info.is_empty() {
                        // Skip other fenced blocks whole (they may contain ```lua text).
                        current = Some((0, String::new()));
                    }
                }
            }
            Some((start, code)) => {
                if trimmed.starts_with("```") {
                    if *start > 0 {
                        let asset = code
                            .lines()
                            .next()
                            .and_then(|l| l.strip_prefix("-- assets/"))
                            .map(|p| p.trim().to_string());
                        out.push(Sample {
                            origin: format!("{name}:{start}"),
                            code: std::mem::take(code),
                            asset,
                        });
                    }
                    current = None;
                } else {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
    }
    out
}

fn samples() -> Vec<Sample> {
    markdown_files()
        .iter()
        .flat_map(|p| lua_blocks(p))
        .collect()
}

fn app(samples: &[Sample], extra: &[(&str, &str)]) -> TestApp {
    let mut files: Vec<(&str, &str)> = samples
        .iter()
        .filter_map(|s| s.asset.as_deref().map(|a| (a, s.code.as_str())))
        .collect();
    files.extend_from_slice(extra);
    let mut t = TestApp::new(&files);
    t.app
        .register_type::<Health>()
        .register_type::<Enemy>()
        .register_type::<Score>()
        .init_resource::<Score>();
    t
}

/// `{key = x}`.
fn map(key: &str, x: f64) -> ScriptValue {
    ScriptValue::Map(vec![(ScriptValue::from(key), ScriptValue::from(x))])
}

#[test]
fn there_are_samples() {
    let all = samples();
    assert!(all.len() >= 8, "only {} lua samples found", all.len());
    assert!(all.iter().any(|s| s.origin.starts_with("README.md")));
}

#[test]
fn every_lua_sample_compiles() {
    for s in samples() {
        let mut lua = selenite::api::Lua::sandboxed();
        if let Err(e) = lua.load(&s.code, &format!("@{}", s.origin)) {
            panic!("{}: does not compile: {e}\n{}", s.origin, s.code);
        }
    }
}

#[test]
fn every_lua_sample_runs_as_an_entity_script() {
    let all = samples();
    for s in &all {
        let path = s
            .asset
            .clone()
            .unwrap_or_else(|| "scripts/sample.lua".into());
        let mut t = app(&all, &[("scripts/sample.lua", s.code.as_str())]);
        let e = t.spawn_scripted(&[path.as_str()], Transform::default());
        t.update(12);
        t.app
            .world_mut()
            .write_message(ScriptEvent::to(e, "reset", map("to", 5.0)));
        t.update(2);
        let errors = t.errors();
        assert!(
            errors.is_empty(),
            "{}: {:?}\n{}",
            s.origin,
            errors.iter().map(|e| &e.message).collect::<Vec<_>>(),
            s.code
        );
    }
}

#[test]
fn readme_entity_script_moves_its_entity() {
    let all = samples();
    let spinner = all
        .iter()
        .find(|s| s.origin.starts_with("README.md") && s.asset.is_some())
        .expect("the README's entity script");
    let path = spinner.asset.clone().expect("asset path");
    let mut t = app(&all, &[]);
    let e = t.spawn_scripted(&[path.as_str()], Transform::default());
    t.update(3);
    let a = t.transform(e);
    t.update(5);
    let b = t.transform(e);
    // speed 2 units/s, 0.1 s frames: 0.2 per frame; it turns too.
    let per_frame = (b.translation.x - a.translation.x) / 5.0;
    assert!(
        (per_frame - 0.2).abs() < 1e-4,
        "moved {per_frame} per frame"
    );
    assert!(b.rotation.angle_between(a.rotation) > 0.1);
    // "boost" doubles the speed.
    t.app
        .world_mut()
        .write_message(ScriptEvent::to(e, "boost", map("factor", 2.0)));
    t.update(2);
    let c = t.transform(e);
    t.update(5);
    let d = t.transform(e);
    let boosted = (d.translation.x - c.translation.x) / 5.0;
    assert!((boosted - 0.4).abs() < 1e-4, "boosted {boosted} per frame");
    // "stun" makes the instance sleep 1 s in `wait`: no movement, then on again.
    t.app
        .world_mut()
        .write_message(ScriptEvent::to(e, "stun", map("seconds", 1.0)));
    t.update(2);
    let f = t.transform(e);
    t.update(5);
    let g = t.transform(e);
    assert_eq!(f.translation.x, g.translation.x, "moved while stunned");
    t.update(6);
    let h = t.transform(e);
    t.update(5);
    let k = t.transform(e);
    let after = (k.translation.x - h.translation.x) / 5.0;
    assert!(
        (after - 0.4).abs() < 1e-4,
        "after the stun {after} per frame"
    );
    assert_eq!(t.self_value::<i64>(e, "stuns"), Some(1));
    assert!(t.errors().is_empty(), "{:?}", t.errors());
}
