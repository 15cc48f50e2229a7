//! `mod.ron`: the manifest of a mod.
//!
//! ```ron
//! (
//!     id: "swarmer",
//!     name: "Swarmer",
//!     version: "1.0.0",
//!     authors: ["Selenite"],
//!     description: "Adds a fast enemy that comes in groups.",
//!     entry: ["main.lua"],
//!     dependencies: [
//!         (id: "core_enemies", version: "^1.2"),
//!         (id: "particles", version: ">=0.3", optional: true),
//!     ],
//!     incompatible: [(id: "old_swarm", version: "*")],
//!     load_after: ["core_enemies"],
//!     load_before: [],
//!     permissions: (
//!         read: ["Transform", "Enemy"],
//!         write: ["Transform", "Enemy"],
//!         spawn: true,
//!         despawn: false,
//!     ),
//!     limits: (memory: 8388608, instructions_per_frame: 200000),
//! )
//! ```
//!
//! `id`, `name`, `version` and `entry` are required; everything else has a default (no
//! dependencies, no permissions, default limits). Unknown fields are errors (a typo must
//! not silently drop a permission). Versions and requirements are semver
//! (`"1.2.3"`, `"^1.2"`, `">=0.3, <2"`, `"*"`).
//!
//! This module depends on serde, ron, semver and thiserror only, never on Bevy or the rest
//! of the crate: the `manifest` fuzz target (`fuzz/fuzz_targets/manifest.rs`) compiles
//! this file on its own to keep Bevy out of the fuzz build.

use std::path::Path;

use semver::{Version, VersionReq};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The parsed `mod.ron`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModManifest {
    /// Unique id: ASCII letters, digits, `_` and `-`.
    pub id: String,
    pub name: String,
    pub version: Version,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// Scripts run when the mod loads, relative to the mod folder, in order.
    pub entry: Vec<String>,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// Mods that must not be loaded together with this one (matching the requirement).
    #[serde(default)]
    pub incompatible: Vec<Incompatibility>,
    /// Load order hints: load this mod before / after these (when present).
    #[serde(default)]
    pub load_before: Vec<String>,
    #[serde(default)]
    pub load_after: Vec<String>,
    #[serde(default)]
    pub permissions: Permissions,
    #[serde(default)]
    pub limits: Limits,
}

/// A dependency on another mod.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    pub id: String,
    /// Semver requirement (`"^1.2"`); `"*"` when omitted.
    #[serde(default = "any_version")]
    pub version: VersionReq,
    /// An optional dependency is loaded first when present; its absence is fine, an
    /// incompatible version is not.
    #[serde(default)]
    pub optional: bool,
}

/// A mod this one cannot run with.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Incompatibility {
    pub id: String,
    #[serde(default = "any_version")]
    pub version: VersionReq,
}

fn any_version() -> VersionReq {
    VersionReq::STAR
}

/// What a mod's scripts may touch. Component and resource names are the short type names
/// scripts use (`"Transform"`); `"*"` allows every name. Writing implies reading.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Permissions {
    pub read: Vec<String>,
    pub write: Vec<String>,
    pub spawn: bool,
    pub despawn: bool,
}

impl Permissions {
    fn lists(list: &[String], name: &str) -> bool {
        list.iter().any(|n| n == "*" || n == name)
    }

    /// May read the component or resource `name`.
    pub fn can_read(&self, name: &str) -> bool {
        Self::lists(&self.read, name) || Self::lists(&self.write, name)
    }

    /// May write (set, insert, remove) the component or resource `name`.
    pub fn can_write(&self, name: &str) -> bool {
        Self::lists(&self.write, name)
    }
}

/// Resource limits of a mod.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Heap of the mod's VM in bytes.
    pub memory: usize,
    /// Instructions the mod's scripts may run per frame, all together.
    pub instructions_per_frame: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory: 16 * 1024 * 1024,
            instructions_per_frame: 100_000,
        }
    }
}

/// A manifest that cannot be used.
#[derive(Debug, Error)]
pub enum ManifestError {
    #[error("{file}: cannot read manifest: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    /// Syntax or type error, with the position ron reports.
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl ModManifest {
    /// Parses manifest text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<ModManifest, ManifestError> {
        let m: ModManifest = ron::from_str(text).map_err(|e| ManifestError::Parse {
            file: file.to_string(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })?;
        m.validate(file)?;
        Ok(m)
    }

    /// Reads and parses `dir/mod.ron`.
    pub fn read(dir: &Path) -> Result<ModManifest, ManifestError> {
        let path = dir.join("mod.ron");
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| ManifestError::Io {
            file: file.clone(),
            source,
        })?;
        ModManifest::parse(&text, &file)
    }

    fn validate(&self, file: &str) -> Result<(), ManifestError> {
        let invalid = |message: String| ManifestError::Invalid {
            file: file.to_string(),
            message,
        };
        if !valid_id(&self.id) {
            return Err(invalid(format!(
                "invalid id '{}': expected ASCII letters, digits, '_' or '-'",
                self.id
            )));
        }
        if self.entry.is_empty() {
            return Err(invalid("'entry' lists no script".into()));
        }
        for e in &self.entry {
            if !safe_relative(e) || !e.ends_with(".lua") {
                return Err(invalid(format!(
                    "entry script '{e}' must be a relative .lua path inside the mod folder"
                )));
            }
        }
        for d in &self.dependencies {
            if d.id == self.id {
                return Err(invalid("a mod cannot depend on itself".into()));
            }
        }
        if self.limits.instructions_per_frame == 0 {
            return Err(invalid(
                "limits.instructions_per_frame must be positive".into(),
            ));
        }
        Ok(())
    }
}

pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A relative path without `..`, root or drive components.
pub(crate) fn safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}
