//! The error type of the embedding API.

use std::sync::Arc;

use thiserror::Error;

use super::registry::RegistryKey;

/// Result of the embedding API.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error of the embedding API: a Lua error escaping a call, a compile error, a failed
/// conversion, a misused handle...
///
/// `Error` is `Send + Sync + Clone` so it can cross into `anyhow`, Bevy systems or logs.
///
/// ```
/// use selenite::api::{Error, Lua};
///
/// let mut lua = Lua::new();
/// let f = lua.load("local t = nil\nreturn t.x", "@scripts/enemy.lua").unwrap();
/// let err = f.call::<_, ()>(&mut lua, ()).unwrap_err();
/// assert!(matches!(err, Error::Runtime { .. }));
/// assert!(err.to_string().starts_with("scripts/enemy.lua:2: attempt to index a nil value"));
/// assert!(err.traceback().unwrap().contains("scripts/enemy.lua:2: in main chunk"));
/// ```
#[derive(Debug, Clone, Error)]
pub enum Error {
    /// The source could not be compiled (`chunk:line: message near 'token'`).
    #[error("{message}")]
    Syntax { message: String },

    /// A Lua error raised while running code.
    #[error("{message}")]
    Runtime {
        /// The error value converted to a message as the `lua` command prints it.
        message: String,
        /// The error value itself (any Lua value, e.g. an error table), kept alive in the
        /// registry of the `Lua` that raised it. Read it back with
        /// [`Lua::registry_value`](super::Lua::registry_value).
        value: Option<Arc<RegistryKey>>,
        /// `stack traceback:` of the frames the error went through, one line per frame with
        /// `chunk:line:` and the function name, when known.
        traceback: Option<String>,
    },

    /// A Lua value could not be converted to a Rust type: "expected integer, got string",
    /// or `message` when there is a more precise reason ("number 300 out of range for u8").
    #[error("{}", conversion_message(.from, .to, .message))]
    FromLua {
        /// Lua type of the value (its `__name` for userdata).
        from: String,
        /// What was expected ("integer", "string", "Vec3"...).
        to: String,
        message: Option<String>,
    },

    /// A Rust value could not be converted to a Lua value.
    #[error("cannot convert {from} to a Lua value: {message}")]
    ToLua { from: &'static str, message: String },

    /// Argument `pos` (1-based) of a host function failed to convert. Inside Lua this
    /// becomes `bad argument #pos to 'name' (...)`.
    #[error("bad argument #{pos}: {cause}")]
    BadArgument { pos: usize, cause: Box<Error> },

    /// A serde (de)serialization failed; `path` names the field (`stats.hp`, `items[2]`).
    #[error("{}", serde_message(.path, .message))]
    Serde { path: String, message: String },

    /// A handle or registry key was used with a `Lua` other than the one that made it.
    #[error("handle used with a Lua instance other than the one that created it")]
    MismatchedLua,

    /// A userdata was borrowed mutably while already borrowed (re-entrant method call).
    #[error("userdata '{0}' is already borrowed")]
    BorrowError(String),

    /// A userdata was not of the Rust type asked for.
    #[error("userdata is not a {expected} (it is a {got})")]
    UserDataType { expected: String, got: String },

    /// An error made by host code ([`Error::runtime`]); inside Lua it is raised with the
    /// position of the calling Lua code.
    #[error("{0}")]
    Message(String),

    /// Any other error from host code.
    #[error("{0}")]
    External(Arc<dyn std::error::Error + Send + Sync>),
}

fn conversion_message(from: &str, to: &str, message: &Option<String>) -> String {
    match message {
        Some(m) => m.clone(),
        None => format!("expected {to}, got {from}"),
    }
}

fn serde_message(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_string()
    } else {
        format!("field '{path}': {message}")
    }
}

impl Error {
    /// A plain error message from host code. Returned from a host function, it becomes a
    /// Lua error positioned at the calling script line (`scripts/a.lua:3: no such entity`).
    ///
    /// ```
    /// use selenite::api::{Error, Lua};
    ///
    /// let mut lua = Lua::new();
    /// let f = lua
    ///     .create_function(|_, id: i64| -> Result<(), Error> {
    ///         Err(Error::runtime(format!("no entity {id}")))
    ///     })
    ///     .unwrap();
    /// lua.set_global("despawn", f).unwrap();
    /// let err = lua.exec::<()>("despawn(7)", "@mod.lua").unwrap_err();
    /// assert_eq!(err.to_string(), "mod.lua:1: no entity 7");
    /// ```
    pub fn runtime(message: impl Into<String>) -> Error {
        Error::Message(message.into())
    }

    /// Wraps any error type.
    pub fn external(e: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::External(Arc::new(e))
    }

    /// The traceback of a runtime error, if there is one.
    pub fn traceback(&self) -> Option<&str> {
        match self {
            Error::Runtime { traceback, .. } => traceback.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn from_lua(from: impl Into<String>, to: impl Into<String>) -> Error {
        Error::FromLua {
            from: from.into(),
            to: to.into(),
            message: None,
        }
    }

    pub(crate) fn from_lua_msg(
        from: impl Into<String>,
        to: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error::FromLua {
            from: from.into(),
            to: to.into(),
            message: Some(message.into()),
        }
    }

    /// The text inside the parentheses of a `bad argument` message: PUC style
    /// (`number expected, got string`).
    pub(crate) fn arg_message(&self, present: bool) -> String {
        match self {
            Error::FromLua {
                from,
                to,
                message: None,
            } => {
                let to = match to.as_str() {
                    "integer" | "float" => "number",
                    t => t,
                };
                let from = if present { from.as_str() } else { "no value" };
                format!("{to} expected, got {from}")
            }
            e => e.to_string(),
        }
    }
}
