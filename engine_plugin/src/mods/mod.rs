//! Mods (in progress).
