//! Selenite's example game: a small asteroids-like shooter whose entities are all driven by
//! Lua scripts (`assets/scripts/game/*.lua`) run by `bevy_selenite`.
//!
//! ```text
//! cargo run --example game                                  # windowed (needs a display)
//! cargo run --example game -- --headless --frames 300       # no window: summary, exit
//! cargo run --example game -- --screenshot shot.png         # windowed, saves a frame, exits
//! ```
//!
//! Options: `--headless`, `--frames N` (stop after N frames counted once the scripts have
//! loaded), `--screenshot PATH` (save the frame at `--frames`, default 90, then exit),
//! `--check-screenshot` (with `--screenshot`: exit 2 if the frame is blank),
//! `--screenshot-every N` (also save `PATH-<frame>.png` every N frames),
//! `--scripted-input` (windowed: play the headless run's deterministic key sequence, on its
//! fixed 60 Hz clock).
//!
//! Rust only sets up the app: the data types and the behaviour attachment
//! ([`logic`]), the shapes, the HUD and the script error overlay ([`view`]).

mod logic;
mod view;

use std::process::ExitCode;
use std::time::Duration;

struct Options {
    headless: bool,
    frames: Option<u32>,
    screenshot: Option<String>,
    screenshot_every: Option<u32>,
    check_screenshot: bool,
    scripted_input: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        headless: false,
        frames: None,
        screenshot: None,
        screenshot_every: None,
        check_screenshot: false,
        scripted_input: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--headless" => o.headless = true,
            "--frames" => {
                let v = args.next().ok_or("--frames needs a number")?;
                o.frames = Some(
                    v.parse()
                        .map_err(|_| format!("--frames: not a number: {v}"))?,
                );
            }
            "--screenshot" => {
                o.screenshot = Some(args.next().ok_or("--screenshot needs a file path")?);
            }
            "--screenshot-every" => {
                let v = args.next().ok_or("--screenshot-every needs a number")?;
                o.screenshot_every = Some(
                    v.parse()
                        .map_err(|_| format!("--screenshot-every: not a number: {v}"))?,
                );
            }
            "--check-screenshot" => o.check_screenshot = true,
            "--scripted-input" => o.scripted_input = true,
            "-h" | "--help" => {
                return Err("usage: game [--headless] [--frames N] [--screenshot PATH \
                            [--check-screenshot] [--screenshot-every N]] [--scripted-input]"
                    .into())
            }
            other => return Err(format!("unknown option {other} (try --help)")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(64);
        }
    };
    if opts.headless {
        let frames = opts.frames.unwrap_or(600);
        let summary = logic::run_headless(frames, Duration::from_secs(120));
        println!("selenite game, headless run\n{}", summary.report());
        if summary.errors > 0 {
            eprintln!("script errors: see above");
            return ExitCode::from(1);
        }
        return ExitCode::SUCCESS;
    }
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        eprintln!(
            "no display (DISPLAY / WAYLAND_DISPLAY unset): the game needs a window.\n\
             Run it headless instead:  cargo run --example game -- --headless --frames 300\n\
             or under Xvfb:            xvfb-run -a cargo run --example game"
        );
        return ExitCode::from(1);
    }
    view::run_windowed(view::WindowedOptions {
        frames: opts.frames,
        screenshot: opts.screenshot,
        screenshot_every: opts.screenshot_every,
        check_screenshot: opts.check_screenshot,
        scripted_input: opts.scripted_input,
    })
}
