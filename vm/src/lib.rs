//! Selenite: a pure-Rust Lua 5.4 virtual machine.

pub mod ast;
pub mod bytecode;
pub mod compiler;
pub mod disasm;
pub mod error;
pub mod lexer;
pub mod number;
pub mod parser;
pub mod stdlib;
