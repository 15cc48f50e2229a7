//! `bevy_selenite`: the Bevy plugin for Selenite scripts.
//!
//! Placeholder: the plugin is built by its own issue; for now it only re-exports the VM.
pub use selenite;
