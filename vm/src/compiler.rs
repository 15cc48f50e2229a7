//! Compiler: [`crate::ast::Chunk`] to [`crate::bytecode::Proto`] (stub, being written).

use crate::ast::Chunk;
use crate::bytecode::Proto;
use crate::error::SyntaxError;

/// Compiles a parsed chunk into the prototype of its main function (vararg, one upvalue `_ENV`).
pub fn compile(_chunk: &Chunk, chunk_name: &str) -> Result<Proto, SyntaxError> {
    Err(SyntaxError::new(format!(
        "{chunk_name}: compiler not implemented"
    )))
}
