//! The windowed game: camera, shapes for [`Look`], the HUD, the script error overlay and
//! the `--frames` / `--screenshot` exits. No game rules here: they are in the scripts.

use std::collections::HashMap;
use std::process::ExitCode;

use bevy::camera::ScalingMode;
use bevy::prelude::*;
use bevy::render::view::screenshot::{save_to_disk, Screenshot, ScreenshotCaptured};
use bevy::window::WindowResolution;
use bevy_selenite::prelude::*;

use crate::logic::{
    Clock, ErrorList, GameLogicPlugin, GameState, Look, ScriptedInput, HALF_H, HALF_W,
};

pub struct WindowedOptions {
    /// Save a screenshot every this many frames (`<screenshot>-<frame>.png`).
    pub screenshot_every: Option<u32>,
    pub frames: Option<u32>,
    pub screenshot: Option<String>,
    pub check_screenshot: bool,
    pub scripted_input: bool,
}

/// What to do at the end (`--frames`, `--screenshot`).
#[derive(Resource)]
struct Finish {
    every: Option<u32>,
    frames: Option<u32>,
    screenshot: Option<String>,
    check: bool,
    requested: bool,
}

const BACKGROUND: Color = Color::srgb(0.02, 0.02, 0.06);

pub fn run_windowed(opts: WindowedOptions) -> ExitCode {
    let frames = match (&opts.screenshot, opts.frames) {
        (Some(_), None) => Some(90),
        (_, f) => f,
    };
    let assets = crate::logic::asset_dir();
    let mut app = App::new();
    app.add_plugins((
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "Selenite: asteroids in Lua".into(),
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: assets.display().to_string(),
                // Hot reload: edited scripts are reloaded while the game runs.
                watch_for_changes_override: Some(true),
                ..default()
            }),
        SelenitePlugin::default(),
        crate::logic::mods_plugin(&assets, true),
        GameLogicPlugin,
    ))
    .insert_resource(ClearColor(BACKGROUND))
    .insert_resource(Finish {
        every: opts.screenshot_every,
        frames,
        screenshot: opts.screenshot,
        check: opts.check_screenshot,
        requested: false,
    })
    .init_resource::<MeshCache>()
    .add_systems(Startup, setup)
    .add_systems(
        Update,
        (
            show_looks,
            update_hud,
            update_banner,
            update_stats,
            update_error_overlay,
        )
            .after(bevy_selenite::SeleniteSystems::Update),
    )
    .add_systems(Last, finish);
    if opts.scripted_input {
        // The headless run's input and clock: frame N shows the same game moment on any
        // machine (software rendering runs at a few frames per second).
        app.init_resource::<ScriptedInput>().insert_resource(
            bevy::time::TimeUpdateStrategy::ManualDuration(std::time::Duration::from_secs_f64(
                1.0 / 60.0,
            )),
        );
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

#[derive(Component)]
struct HudText;
#[derive(Component)]
struct BannerText;
#[derive(Component)]
struct StatsText;
#[derive(Component)]
struct ErrorOverlay;
#[derive(Component)]
struct ErrorText;

fn setup(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
) {
    commands.spawn((
        Camera2d,
        Projection::Orthographic(OrthographicProjection {
            scaling_mode: ScalingMode::AutoMin {
                min_width: HALF_W * 2.0,
                min_height: HALF_H * 2.0,
            },
            ..OrthographicProjection::default_2d()
        }),
    ));

    // Backdrop: a faint playfield frame and some stars (decoration only).
    let frame = materials.add(Color::srgb(0.08, 0.09, 0.16));
    let w = HALF_W * 2.0;
    let h = HALF_H * 2.0;
    for (size, pos) in [
        (Vec2::new(w, 2.0), Vec2::new(0.0, HALF_H - 1.0)),
        (Vec2::new(w, 2.0), Vec2::new(0.0, -HALF_H + 1.0)),
        (Vec2::new(2.0, h), Vec2::new(HALF_W - 1.0, 0.0)),
        (Vec2::new(2.0, h), Vec2::new(-HALF_W + 1.0, 0.0)),
    ] {
        commands.spawn((
            Mesh2d(meshes.add(Rectangle::new(size.x, size.y))),
            MeshMaterial2d(frame.clone()),
            Transform::from_translation(pos.extend(-5.0)),
        ));
    }
    let star = meshes.add(Circle::new(1.2));
    let star_colors = [
        materials.add(Color::srgb(0.35, 0.38, 0.5)),
        materials.add(Color::srgb(0.55, 0.55, 0.65)),
        materials.add(Color::srgb(0.25, 0.27, 0.4)),
    ];
    let mut seed: u32 = 0x9e37_79b9;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed as f32) / (u32::MAX as f32)
    };
    for i in 0..90 {
        let x = (next() * 2.0 - 1.0) * HALF_W;
        let y = (next() * 2.0 - 1.0) * HALF_H;
        commands.spawn((
            Mesh2d(star.clone()),
            MeshMaterial2d(star_colors[i % star_colors.len()].clone()),
            Transform::from_xyz(x, y, -10.0),
        ));
    }

    // HUD: score line (top left), script stats (top right), banner (centre), controls
    // (bottom right), error overlay (bottom, hidden while there are no errors).
    commands.spawn((
        HudText,
        Text::new("SCORE 0"),
        TextFont {
            font_size: FontSize::Px(26.0),
            ..default()
        },
        TextColor(Color::srgb(0.9, 0.95, 1.0)),
        Node {
            position_type: PositionType::Absolute,
            top: px(10),
            left: px(14),
            ..default()
        },
    ));
    commands.spawn((
        StatsText,
        Text::new(""),
        TextFont {
            font_size: FontSize::Px(14.0),
            ..default()
        },
        TextColor(Color::srgb(0.55, 0.65, 0.8)),
        Node {
            position_type: PositionType::Absolute,
            top: px(44),
            left: px(16),
            ..default()
        },
    ));
    commands
        .spawn(Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            top: percent(40),
            justify_content: JustifyContent::Center,
            ..default()
        })
        .with_child((
            BannerText,
            Text::new(""),
            TextFont {
                font_size: FontSize::Px(40.0),
                ..default()
            },
            TextColor(Color::srgb(1.0, 0.85, 0.4)),
        ));
    commands.spawn((
        Text::new(
            "arrows/WASD: fly   Space: fire   R: restart   edit assets/scripts/game/*.lua live",
        ),
        TextFont {
            font_size: FontSize::Px(13.0),
            ..default()
        },
        TextColor(Color::srgb(0.45, 0.5, 0.6)),
        Node {
            position_type: PositionType::Absolute,
            bottom: px(8),
            right: px(14),
            ..default()
        },
    ));
    commands
        .spawn((
            ErrorOverlay,
            Node {
                position_type: PositionType::Absolute,
                left: px(10),
                right: px(10),
                bottom: px(30),
                padding: UiRect::all(px(10)),
                display: Display::None,
                ..default()
            },
            BackgroundColor(Color::srgba(0.35, 0.02, 0.04, 0.88)),
        ))
        .with_child((
            ErrorText,
            Text::new(""),
            TextFont {
                font_size: FontSize::Px(16.0),
                ..default()
            },
            TextColor(Color::srgb(1.0, 0.85, 0.85)),
        ));
}

/// Meshes by shape and size, shared by all entities that look alike.
#[derive(Resource, Default)]
struct MeshCache(HashMap<(String, u32, u32), Handle<Mesh>>);

/// What the entity's mesh was made from (to rebuild it when the script changes it).
#[derive(Component, PartialEq)]
struct Shown(String, u32, u32);

fn mesh_for(shape: &str, size: Vec2) -> Mesh {
    let (w, h) = (size.x.max(0.5), size.y.max(0.5));
    match shape {
        "circle" => Circle::new(w / 2.0).into(),
        "triangle" => Triangle2d::new(
            Vec2::new(0.0, h / 2.0),
            Vec2::new(-w / 2.0, -h / 2.0),
            Vec2::new(w / 2.0, -h / 2.0),
        )
        .into(),
        "diamond" => Rhombus::new(w, h).into(),
        _ => Rectangle::new(w, h).into(),
    }
}

/// Gives script-spawned entities with a [`Look`] their mesh and colour, and follows the
/// scripts' changes to it.
/// Entities whose [`Look`] changed, with what is shown for them so far.
type ChangedLooks<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Look,
        Option<&'static Shown>,
        Option<&'static MeshMaterial2d<ColorMaterial>>,
    ),
    Changed<Look>,
>;

fn show_looks(
    mut commands: Commands,
    mut cache: ResMut<MeshCache>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    q: ChangedLooks,
) {
    for (e, look, shown, material) in &q {
        let key = Shown(
            look.shape.clone(),
            look.size.x.to_bits(),
            look.size.y.to_bits(),
        );
        if shown != Some(&key) {
            let mesh = cache
                .0
                .entry((key.0.clone(), key.1, key.2))
                .or_insert_with(|| meshes.add(mesh_for(&look.shape, look.size)))
                .clone();
            commands.entity(e).insert((Mesh2d(mesh), key));
        }
        if let Some(mut m) = material.and_then(|m| materials.get_mut(&m.0)) {
            m.color = look.color;
            continue;
        }
        let handle = materials.add(look.color);
        commands.entity(e).insert(MeshMaterial2d(handle));
    }
}

fn update_hud(state: Res<GameState>, mut q: Query<&mut Text, With<HudText>>) {
    if !state.is_changed() {
        return;
    }
    for mut t in &mut q {
        t.0 = format!(
            "SCORE {:>6}    LIVES {}    WAVE {}    BEST {}",
            state.score,
            state.lives.max(0),
            state.wave,
            state.high_score.max(state.score)
        );
    }
}

fn update_banner(state: Res<GameState>, mut q: Query<&mut Text, With<BannerText>>) {
    if !state.is_changed() {
        return;
    }
    for mut t in &mut q {
        if t.0 != state.banner {
            t.0 = state.banner.clone();
        }
    }
}

fn update_stats(
    diag: Res<ScriptDiagnostics>,
    clock: Res<Clock>,
    mut q: Query<&mut Text, With<StatsText>>,
) {
    if !clock.frame.is_multiple_of(10) {
        return;
    }
    let instances: usize = diag.scripts.values().map(|s| s.instances).sum();
    for mut t in &mut q {
        t.0 = format!(
            "Lua: {} instances  {} instr/frame  {} suspended  {:.2} ms  {} KiB  {} errors",
            instances,
            diag.instructions_frame,
            diag.suspended_instances,
            diag.time_frame.as_secs_f64() * 1000.0,
            diag.memory / 1024,
            diag.errors_total
        );
    }
}

fn update_error_overlay(
    list: Res<ErrorList>,
    mut overlay: Query<&mut Node, With<ErrorOverlay>>,
    mut text: Query<&mut Text, With<ErrorText>>,
) {
    if !list.is_changed() {
        return;
    }
    let shown = !list.errors.is_empty();
    for mut n in &mut overlay {
        n.display = if shown { Display::Flex } else { Display::None };
    }
    for mut t in &mut text {
        let mut s =
            String::from("Script error (fix and save the file: this goes away when it loads):\n");
        for msg in list.errors.values() {
            // First lines only: the full traceback is in the log.
            for line in msg.lines().take(3) {
                s.push_str(line);
                s.push('\n');
            }
        }
        t.0 = s.trim_end().to_string();
    }
}

/// `--frames`: exit after that many frames; with `--screenshot`, save that frame first
/// (the exit follows when the capture arrives).
fn finish(
    mut commands: Commands,
    clock: Res<Clock>,
    mut fin: ResMut<Finish>,
    mut exit: MessageWriter<AppExit>,
) {
    if let (Some(every), Some(path)) = (fin.every, &fin.screenshot) {
        let last = fin.frames == Some(clock.frame) && fin.screenshot.is_some();
        if clock.started
            && every > 0
            && clock.frame > 0
            && clock.frame.is_multiple_of(every)
            && !last
        {
            let p = std::path::Path::new(path);
            let stem = p.with_extension("");
            let out = format!("{}-{:05}.png", stem.display(), clock.frame);
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(out));
        }
    }
    let Some(frames) = fin.frames else {
        return;
    };
    if !clock.started || clock.frame < frames || fin.requested {
        return;
    }
    fin.requested = true;
    let Some(path) = fin.screenshot.clone() else {
        exit.write(AppExit::Success);
        return;
    };
    let check = fin.check;
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path))
        .observe(
            move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                let verdict = inspect(&captured.image);
                println!("screenshot: {}", verdict.0);
                if check && !verdict.1 {
                    eprintln!("screenshot check failed: the frame looks blank");
                    exit.write(AppExit::from_code(2));
                } else {
                    exit.write(AppExit::Success);
                }
            },
        );
}

/// Statistics of a captured frame, and whether it looks like a game (not blank): several
/// distinct colours, some pixels away from the most common (background) colour, and some
/// in the colours of the scripted entities.
fn inspect(image: &Image) -> (String, bool) {
    let rgb = match image.clone().try_into_dynamic() {
        Ok(d) => d.to_rgb8(),
        Err(e) => return (format!("cannot read the frame: {e}"), false),
    };
    let (w, h) = (rgb.width(), rgb.height());
    let raw = rgb.as_raw();
    let mut counts: HashMap<[u8; 3], u32> = HashMap::new();
    for p in raw.chunks_exact(3) {
        *counts.entry([p[0], p[1], p[2]]).or_default() += 1;
    }
    let Some((bg, _)) = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(c, n)| (*c, *n))
    else {
        return ("empty frame".into(), false);
    };
    let far = |p: &[u8]| {
        (0..3)
            .map(|i| (p[i] as i32 - bg[i] as i32).abs())
            .sum::<i32>()
            > 40
    };
    let non_bg = raw.chunks_exact(3).filter(|p| far(p)).count();
    let total = (w as usize * h as usize).max(1);
    let distinct = counts.len();
    // Pixels of the scripts' entities: ship, drone, swarmer, bullet colours (the HUD and
    // the stars alone do not count).
    const ENTITY_COLOURS: [[u8; 3]; 4] = [
        [0x7f, 0xd4, 0xff],
        [0xff, 0x5a, 0x5a],
        [0x8d, 0xff, 0x6a],
        [0xff, 0xf3, 0xa0],
    ];
    let entity_px = raw
        .chunks_exact(3)
        .filter(|p| {
            ENTITY_COLOURS.iter().any(|c| {
                (0..3)
                    .map(|i| (p[i] as i32 - c[i] as i32).abs())
                    .sum::<i32>()
                    < 30
            })
        })
        .count();
    let ok = distinct >= 16 && non_bg * 1000 >= total && entity_px >= 30;
    (
        format!(
            "{w}x{h}, {distinct} distinct colours, background {bg:?}, {non_bg} pixels ({:.2}%) away from it, {entity_px} pixels of game entities",
            non_bg as f64 * 100.0 / total as f64
        ),
        ok,
    )
}
