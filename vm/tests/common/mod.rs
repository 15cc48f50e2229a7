//! Shared helpers of the integration tests: run a Lua snippet in a fresh VM with the
//! safe libraries and capture what it prints.

#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

pub fn run(src: &str) -> Vec<u8> {
    let mut vm = selenite::Vm::new();
    selenite::stdlib::open_safe(&mut vm);
    let out = Rc::new(RefCell::new(Vec::new()));
    let sink = out.clone();
    vm.print_hook = Some(Box::new(move |b: &[u8]| {
        sink.borrow_mut().extend_from_slice(b)
    }));
    let f = match vm.load(src.as_bytes(), "=test") {
        Ok(f) => f,
        Err(e) => panic!("load error: {}", e.message()),
    };
    if let Err(e) = vm.call_function(f, &[]) {
        let msg = format!("ERROR: {}\n", e.message());
        out.borrow_mut().extend_from_slice(msg.as_bytes());
    }
    let r = out.borrow().clone();
    r
}

pub fn check(src: &str, expected: &[u8]) {
    let got = run(src);
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(expected),
        "output differs from lua5.4"
    );
    assert_eq!(got, expected, "output bytes differ from lua5.4");
}
