//! Writes the LuaLS definitions for the example game's components to
//! `assets/scripts/types/selenite.d.lua` (or the path given), headless: the game's data
//! types come from `examples/game/logic.rs`, without building the windowed game.
//!
//!     cargo run -p bevy_selenite --example luals_types [-- PATH]

// The game module already allows dead code; these lints are the game's own business.
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
#[path = "../../examples/game/logic.rs"]
mod logic;

use bevy::prelude::*;
use bevy_selenite::prelude::*;

/// The app the game's scripts see (its types registered as `GameLogicPlugin` does).
fn game_types_app() -> App {
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin::default(),
        SelenitePlugin::default(),
    ))
    .register_type::<logic::Player>()
    .register_type::<logic::Enemy>()
    .register_type::<logic::Bullet>()
    .register_type::<logic::Look>()
    .register_type::<logic::Behaviour>()
    .register_type::<logic::GameState>();
    app
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../assets/scripts/types/selenite.d.lua"
        )
        .to_string()
    });
    let app = game_types_app();
    match bevy_selenite::luals::write_definitions(app.world(), &path) {
        Ok(()) => println!("wrote {path}"),
        Err(e) => {
            eprintln!("cannot write {path}: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    /// The committed file matches the game's types (run by `cargo test -p bevy_selenite`;
    /// regenerate with `cargo run -p bevy_selenite --example luals_types`).
    #[test]
    fn committed_definitions_are_up_to_date() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../assets/scripts/types/selenite.d.lua"
        );
        let committed = std::fs::read_to_string(path).expect("committed definitions");
        let now = bevy_selenite::luals::definitions(super::game_types_app().world());
        assert!(
            committed == now,
            "{path} is stale: run `cargo run -p bevy_selenite --example luals_types`"
        );
        assert!(now.contains("---@class Enemy\n---@field hp integer\n"));
        assert!(now.contains("---@class GameState\n"));
    }
}
