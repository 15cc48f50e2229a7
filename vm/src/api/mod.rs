//! The embedding API: drive the VM from Rust safely.
//!
//! * [`Lua`] owns a VM: load and run chunks, globals, garbage collection
//!   ([`Lua::new`], [`Lua::sandboxed`], [`Lua::with_libs`]).
//! * [`IntoLua`]/[`FromLua`] (and the `Multi` forms for argument lists) convert values.
//! * [`Lua::create_function`] exposes Rust closures to scripts.
//! * [`UserData`] exposes Rust types, with methods, fields and metamethods.
//! * Handles ([`Table`], [`Function`], [`LuaString`], [`AnyUserData`], [`Thread`],
//!   [`LuaValue`]) keep values alive; [`RegistryKey`] does too and is `Send + Sync`.
//! * [`Lua::to_value`]/[`Lua::from_value`] convert any serde type.
//! * [`Lua::sandboxed`], [`Lua::new_env`], [`Lua::freeze`] build sandboxes for mods.
//! * [`Function::call_budget`]/[`Thread::resume_budget`] run scripts in instruction
//!   slices ([`RunOutcome`]).
//! * [`Error`] is the error type, with message, error value and traceback.
//!
//! ```
//! use selenite::api::{Lua, Table};
//!
//! let mut lua = Lua::new();
//! let greet = lua
//!     .create_function(|_, name: String| Ok(format!("hello, {name}")))
//!     .unwrap();
//! lua.set_global("greet", greet).unwrap();
//! let t: Table = lua.exec("return { msg = greet('world') }", "@main.lua").unwrap();
//! assert_eq!(t.get::<_, String>(&mut lua, "msg").unwrap(), "hello, world");
//! ```

mod budget;
mod convert;
mod error;
mod function;
mod lua;
mod registry;
mod sandbox;
mod serde;
mod userdata;

pub use budget::RunOutcome;
pub use convert::{FromLua, FromLuaMulti, IntoLua, IntoLuaMulti, Variadic};
pub use error::{Error, Result};
pub use lua::{LibSet, Lua};
pub use registry::{AnyUserData, Function, LuaString, LuaValue, RegistryKey, Table, Thread};
pub use serde::Serde;
pub use userdata::{MetaMethod, UserData, UserDataFields, UserDataMethods, UserDataRegistry};
