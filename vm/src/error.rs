//! Error types shared by the front end (lexer, parser, compiler).

use thiserror::Error;

/// A syntax or compile error, already formatted as PUC Lua formats it:
/// `chunkid:line: message near 'token'`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub message: String,
}

impl SyntaxError {
    pub fn new(message: impl Into<String>) -> Self {
        SyntaxError {
            message: message.into(),
        }
    }
}

use crate::value::Value;

/// A Lua error in flight: the error value (any Lua value) and, once known, a traceback.
#[derive(Debug, Clone)]
pub struct LuaError {
    pub value: Value,
    pub traceback: Option<String>,
    /// Not an error: a coroutine yield unwinding to its `resume` (values in
    /// `Vm::yield_values`).
    pub is_yield: bool,
    /// Not an error: the instruction budget of the running slice ran out; the frames stay
    /// in place and the run continues with the next slice.
    pub is_budget: bool,
}

impl LuaError {
    pub fn new(value: Value) -> Self {
        LuaError {
            value,
            traceback: None,
            is_yield: false,
            is_budget: false,
        }
    }

    /// The suspension raised when a budgeted slice runs out of instructions.
    pub fn out_of_budget() -> Self {
        LuaError {
            is_budget: true,
            ..LuaError::new(Value::Nil)
        }
    }

    /// A yield or an exhausted budget: control flow, not an error.
    pub fn is_suspension(&self) -> bool {
        self.is_yield || self.is_budget
    }

    /// The message as the `lua` command prints it: the string (or number) error value, or
    /// `(error object is a X value)`.
    pub fn message(&self) -> String {
        match self.value {
            Value::Str(s) => s.to_str_lossy().into_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => crate::number::fmt_float(f),
            v => format!("(error object is a {} value)", v.type_name()),
        }
    }
}

impl std::fmt::Display for LuaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for LuaError {}

/// Result of anything that can raise a Lua error.
pub type LuaResult<T> = Result<T, LuaError>;
