//! The `selenite` command-line interpreter.
fn main() {}
