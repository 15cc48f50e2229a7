//! Arbitrary bytes through the lexer, parser and compiler: must never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ast) = selenite::parser::parse(data, "=fuzz") {
        let _ = selenite::compiler::compile(&ast, "=fuzz");
    }
});
