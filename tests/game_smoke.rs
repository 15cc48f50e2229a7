//! Smoke test of the example game: the same code as `cargo run --example game --
//! --headless --frames 300` (the game's Rust side is included from the example, so this
//! test and the example share one build of Bevy), with the deterministic scripted input.

#[path = "../examples/game/logic.rs"]
mod logic;

use std::time::Duration;

#[test]
fn headless_game_runs_300_frames_without_script_errors() {
    let s = logic::run_headless(300, Duration::from_secs(120));
    println!("{}", s.report());
    assert_eq!(s.errors, 0, "script errors: {:?}", s.error_messages);
    assert_eq!(s.frames, 300);
    // The scripts did the work: a ship, enemies brought in by the wave director, shots
    // fired from the ship's script, instructions counted by the plugin.
    assert!(s.state.games >= 1, "game.lua did not start a game: {s:?}");
    assert!(s.state.wave >= 1, "waves.lua did not start a wave: {s:?}");
    assert!(s.state.shots > 10, "ship.lua did not fire: {s:?}");
    assert!(s.kinds_seen.contains_key("drone"), "no drone seen: {s:?}");
    assert!(s.instructions_total > 0);
    assert!(s.script_instances >= 3, "{s:?}");
}

/// Takes a real screenshot of the windowed game under Xvfb and checks that it is not
/// blank. Needs `xvfb-run` and a Vulkan driver (mesa's lavapipe): run with
/// `cargo test --test game_smoke -- --ignored`, or `scripts/screenshot-test.sh`.
#[test]
#[ignore = "needs Xvfb and a Vulkan driver: scripts/screenshot-test.sh"]
fn windowed_screenshot_is_not_blank() {
    let exe = example_binary();
    let out = std::env::temp_dir().join(format!("selenite-game-{}.png", std::process::id()));
    let status = std::process::Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(&exe)
        .args(["--scripted-input", "--frames", "120", "--check-screenshot", "--screenshot"])
        .arg(&out)
        .env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run xvfb-run (is it installed?)");
    assert!(status.success(), "game exited with {status}");
    let bytes = std::fs::read(&out).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    let _ = std::fs::remove_file(&out);
}

/// `target/<profile>/examples/game`, next to this test's `deps/` directory.
fn example_binary() -> std::path::PathBuf {
    let me = std::env::current_exe().expect("test exe path");
    let profile_dir = me
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>");
    let exe = profile_dir.join("examples").join("game");
    assert!(exe.exists(), "build the example first: cargo build --example game");
    exe
}
