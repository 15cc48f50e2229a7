//! Host package of the Selenite workspace: it owns the workspace-level `examples/` and
//! `tests/`. The product lives in `vm/` (crate `selenite`) and `engine_plugin/`
//! (crate `bevy_selenite`).
pub use selenite;
