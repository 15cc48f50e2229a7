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
