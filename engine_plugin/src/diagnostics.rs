//! Per-script statistics ([`ScriptDiagnostics`]) and their Bevy diagnostics.

use std::collections::BTreeMap;
use std::time::Duration;

use bevy::diagnostic::{Diagnostic, DiagnosticPath, Diagnostics, RegisterDiagnostic};
use bevy::prelude::{App, Res, Resource};

/// Statistics of one script (all its instances together).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScriptStats {
    /// Live instances of the script.
    pub instances: usize,
    /// VM instructions run by the script in the last frame (`Budget::used` deltas).
    pub instructions_frame: u64,
    pub instructions_total: u64,
    /// Callbacks suspended because the instance ran out of budget, last frame / in total.
    pub suspensions_frame: u64,
    pub suspensions_total: u64,
    /// Errors raised (every occurrence, even those not logged again).
    pub errors_total: u64,
    /// Wall time spent running the script's callbacks in the last frame (each instance
    /// is charged the time since the previous instance finished, so the runner's own
    /// per-instance work is included: one clock read per instance).
    pub time_frame: Duration,
    pub last_error: Option<String>,
}

/// Script statistics, updated by every script run.
#[derive(Resource, Clone, Debug, Default)]
pub struct ScriptDiagnostics {
    /// Per script asset path.
    pub scripts: BTreeMap<String, ScriptStats>,
    /// Sum over scripts for the last frame.
    pub instructions_frame: u64,
    pub suspensions_frame: u64,
    pub time_frame: Duration,
    pub errors_total: u64,
    /// Heap in use by the VM after the last run, in bytes.
    pub memory: usize,
    /// Instances still suspended (out of budget or waiting) at the end of the last run.
    pub suspended_instances: usize,
}

impl ScriptDiagnostics {
    pub(crate) fn begin_frame(&mut self) {
        for s in self.scripts.values_mut() {
            s.instructions_frame = 0;
            s.suspensions_frame = 0;
            s.time_frame = Duration::ZERO;
        }
        self.instructions_frame = 0;
        self.suspensions_frame = 0;
        self.time_frame = Duration::ZERO;
    }
}

/// Instructions run by scripts per frame.
pub const INSTRUCTIONS: DiagnosticPath = DiagnosticPath::const_new("selenite/instructions");
/// Out-of-budget suspensions per frame.
pub const SUSPENSIONS: DiagnosticPath = DiagnosticPath::const_new("selenite/suspensions");
/// Script errors so far.
pub const ERRORS: DiagnosticPath = DiagnosticPath::const_new("selenite/errors");
/// Milliseconds spent in scripts per frame.
pub const SCRIPT_TIME: DiagnosticPath = DiagnosticPath::const_new("selenite/script_ms");
/// VM heap in KiB.
pub const MEMORY: DiagnosticPath = DiagnosticPath::const_new("selenite/memory_kib");

pub(crate) fn register(app: &mut App) {
    app.register_diagnostic(Diagnostic::new(INSTRUCTIONS))
        .register_diagnostic(Diagnostic::new(SUSPENSIONS))
        .register_diagnostic(Diagnostic::new(ERRORS))
        .register_diagnostic(Diagnostic::new(SCRIPT_TIME).with_suffix("ms"))
        .register_diagnostic(Diagnostic::new(MEMORY).with_suffix("KiB"));
}

pub(crate) fn publish(stats: Res<ScriptDiagnostics>, mut diagnostics: Diagnostics) {
    diagnostics.add_measurement(&INSTRUCTIONS, || stats.instructions_frame as f64);
    diagnostics.add_measurement(&SUSPENSIONS, || stats.suspensions_frame as f64);
    diagnostics.add_measurement(&ERRORS, || stats.errors_total as f64);
    diagnostics.add_measurement(&SCRIPT_TIME, || stats.time_frame.as_secs_f64() * 1000.0);
    diagnostics.add_measurement(&MEMORY, || stats.memory as f64 / 1024.0);
}
