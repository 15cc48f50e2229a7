//! Lexer: turns Lua source bytes into tokens (stub, being written).
