//! Parser: Lua source to [`crate::ast::Chunk`] (stub, being written).

use crate::ast::Chunk;
use crate::error::SyntaxError;

/// Parses a whole chunk. `chunk_name` is the name given to `load` (`"@file.lua"`, `"=stdin"`,
/// or source text); messages use its [`crate::bytecode::chunk_id`].
pub fn parse(_source: &[u8], chunk_name: &str) -> Result<Chunk, SyntaxError> {
    Err(SyntaxError::new(format!(
        "{chunk_name}: parser not implemented"
    )))
}
