//! [`SeleniteSettings`]: budgets, limits and determinism knobs of the plugin.

use std::path::{Path, PathBuf};

use bevy::app::Update;
use bevy::ecs::intern::Interned;
use bevy::ecs::schedule::ScheduleLabel;
use bevy::prelude::Resource;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Settings of [`crate::SelenitePlugin`], kept as a resource (changes take effect on the
/// next frame, except `schedule`, read once when the plugin is built).
///
/// Loadable from RON; every field is optional there:
///
/// ```
/// use bevy_selenite::SeleniteSettings;
///
/// let s = SeleniteSettings::from_ron_str("(instance_budget: 5000, random_seed: 7)").unwrap();
/// assert_eq!(s.instance_budget, 5000);
/// assert_eq!(s.frame_budget, SeleniteSettings::default().frame_budget);
/// ```
#[derive(Resource, Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SeleniteSettings {
    /// Instructions one script instance may run per frame (per scheduled run) before it is
    /// suspended and continued on the next frame.
    pub instance_budget: u64,
    /// Instructions all scripts together may run per frame. When used up, the remaining
    /// instances wait for the next frame (they start first then, so nobody starves).
    pub frame_budget: u64,
    /// Heap limit of the VM in bytes, shared by all scripts: an allocation past it makes
    /// the VM collect, then fail the allocating script with "not enough memory" (reported
    /// like any runtime error; other instances keep running). `0` = no limit.
    pub memory_limit: usize,
    /// Garbage collector pause in percent (next collection when the heap reaches
    /// `live * pause / 100`), as `collectgarbage("setpause")`.
    pub gc_pause: usize,
    /// Extra incremental collector work (objects traversed or swept) done at the end of
    /// every frame, on top of the allocation-paced steps (0 = none).
    pub gc_step_work: usize,
    /// Run a full collection every this many frames between script runs (0 = only the
    /// automatic collections).
    pub gc_full_every_frames: u32,
    /// Seed of `math.random`: each script instance gets a generator seeded from this, the
    /// script path and the instance's creation index, so runs are reproducible.
    pub random_seed: u64,
    /// Events queued for a busy instance (one suspended in `wait` or out of budget) beyond
    /// this are dropped with a warning.
    pub max_queued_events: usize,
    /// Where to write the Lua type definitions of the script API and the app's reflected
    /// components (for the Lua language server) at start-up; `None` (default) writes
    /// nothing. See [`crate::luals`].
    pub lua_definitions: Option<PathBuf>,
    /// The schedule running `on_update` (default `Update`). Not part of the RON file.
    #[serde(skip, default = "default_schedule")]
    pub schedule: Interned<dyn ScheduleLabel>,
}

fn default_schedule() -> Interned<dyn ScheduleLabel> {
    Update.intern()
}

impl Default for SeleniteSettings {
    fn default() -> Self {
        SeleniteSettings {
            instance_budget: 100_000,
            frame_budget: 5_000_000,
            memory_limit: 256 * 1024 * 1024,
            gc_pause: 200,
            gc_step_work: 0,
            gc_full_every_frames: 0,
            random_seed: 0x5e1e_0173,
            max_queued_events: 256,
            lua_definitions: None,
            schedule: default_schedule(),
        }
    }
}

/// Why settings could not be loaded.
#[derive(Debug, Error)]
pub enum SettingsError {
    #[error("cannot read settings file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid settings: {0}")]
    Ron(#[from] ron::error::SpannedError),
}

impl SeleniteSettings {
    /// Parses settings from RON text (missing fields keep their defaults).
    pub fn from_ron_str(text: &str) -> Result<Self, SettingsError> {
        Ok(ron::from_str(text)?)
    }

    /// Reads settings from a RON file.
    pub fn from_ron_file(path: impl AsRef<Path>) -> Result<Self, SettingsError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_ron_str(&text)
    }

    /// The same settings, running scripts in another schedule.
    pub fn in_schedule(mut self, schedule: impl ScheduleLabel) -> Self {
        self.schedule = schedule.intern();
        self
    }
}
