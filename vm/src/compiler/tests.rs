//! Compiler tests: parse + compile snippets and compare with listings from `luac5.4 -l`.

use super::testparse::parse;
use super::*;
use crate::disasm::disassemble;

fn listing(src: &str) -> String {
    let chunk = parse(src);
    let p = compile(&chunk, "=test").unwrap_or_else(|e| panic!("{}", e.message));
    disassemble(&p)
}

/// Development helper: `SNIPPET=file.lua cargo test dump_snippet -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_snippet() {
    let path = std::env::var("SNIPPET").expect("SNIPPET");
    let src = std::fs::read_to_string(&path).expect("read");
    let chunk = parse(&src);
    match compile(&chunk, &format!("@{path}")) {
        Ok(p) => print!("{}", disassemble(&p)),
        Err(e) => println!("ERROR: {}", e.message),
    }
}

#[test]
fn smoke() {
    let l = listing("local a = 1 print(a)");
    assert!(l.contains("GETTABUP"), "{l}");
}
