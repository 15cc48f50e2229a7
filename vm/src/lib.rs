//! Selenite: a pure-Rust Lua 5.4 virtual machine.
//!
//! Source text goes through [`lexer`] and [`parser`] to an [`ast`], which [`compiler`]
//! turns into [`bytecode`] prototypes; [`vm`] runs them on the heap of [`gc`] objects
//! ([`string`], [`table`], [`function`], [`thread`], [`userdata`]) owned by a [`state::Vm`].
//! [`stdlib`] holds the standard library.

// Script input must never reach a panic: failures are `LuaError`s. Tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod args;
pub mod ast;
pub mod budget;
pub mod bytecode;
pub mod compiler;
pub mod debug;
pub mod disasm;
pub mod dump;
pub mod error;
pub mod function;
pub mod gc;
pub mod hook;
pub mod lexer;
pub mod number;
pub mod parser;
pub mod state;
pub mod stdlib;
pub mod string;
pub mod table;
pub mod thread;
pub mod userdata;
pub mod value;
pub mod vm;

pub use api::{
    AnyUserData, Error as ApiError, FromLua, FromLuaMulti, Function, IntoLua, IntoLuaMulti, LibSet,
    Lua, LuaString, LuaValue, MetaMethod, RegistryKey, Table, UserData, UserDataFields,
    UserDataMethods, Variadic,
};
pub use error::{LuaError, LuaResult, SyntaxError};
pub use state::Vm;
pub use value::Value;
