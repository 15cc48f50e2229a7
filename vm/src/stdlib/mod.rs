//! VM-independent engines for the string library (patterns, format, pack).

pub mod format;
pub mod pack;
pub mod pattern;
