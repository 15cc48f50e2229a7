//! Arbitrary bytes interpreted as a small stack program that builds a Lua value (numbers,
//! strings, booleans, tables, nesting, cycles, metatables), then `from_value` into nested
//! structs: conversion must fail cleanly, never panic, overflow the Rust stack or hang.
#![no_main]
use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use selenite::api::{Lua, LuaValue, Table};
use serde::Deserialize;

#[allow(dead_code)]
#[derive(Deserialize, Debug)]
enum Kind {
    A,
    B(i32),
    C { x: f64, y: Option<String> },
    D(u8, bool),
}

#[allow(dead_code)]
#[derive(Deserialize, Debug)]
struct Inner {
    name: String,
    tags: Vec<String>,
    kind: Kind,
    score: Option<u16>,
}

#[allow(dead_code)]
#[derive(Deserialize, Debug)]
struct Outer {
    id: i64,
    ratio: f32,
    flag: bool,
    items: Vec<Inner>,
    map: HashMap<String, Vec<i8>>,
    nested: Option<Box<Outer>>,
    bytes: Vec<u8>,
    unit: (),
    tuple: (u32, String),
}

fn build(lua: &mut Lua, data: &[u8]) -> Option<LuaValue> {
    let mut stack: Vec<LuaValue> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut i = 0;
    let keys = ["id", "ratio", "flag", "items", "map", "nested", "bytes", "unit", "tuple", "name", "tags", "kind", "score", "x", "y", "A", "B", "C", "D"];
    while i < data.len() && stack.len() < 256 {
        let op = data[i];
        i += 1;
        let arg = data.get(i).copied().unwrap_or(0);
        match op % 12 {
            0 => stack.push(LuaValue::Integer(arg as i8 as i64)),
            1 => stack.push(LuaValue::Number(f64::from(arg) / 7.0 - 10.0)),
            2 => {
                let start = (i + 1).min(data.len());
                let n = (arg as usize % 8).min(data.len() - start);
                let s = lua.create_string(&data[start..start + n]).ok()?;
                i += n;
                stack.push(LuaValue::String(s));
            }
            3 => {
                let s = lua.create_string(keys[arg as usize % keys.len()]).ok()?;
                stack.push(LuaValue::String(s));
            }
            4 => stack.push(LuaValue::Boolean(arg & 1 == 1)),
            5 => stack.push(LuaValue::Nil),
            6 => {
                let t = lua.create_table().ok()?;
                tables.push(t.clone());
                stack.push(LuaValue::Table(t));
            }
            7 => {
                // t[k] = v with t, k, v popped from the top
                let v = stack.pop()?;
                let k = stack.pop()?;
                if let Some(LuaValue::Table(t)) = stack.last() {
                    let _ = t.raw_set(lua, k, v);
                }
            }
            8 => {
                // append v to the table below it
                let v = stack.pop()?;
                if let Some(LuaValue::Table(t)) = stack.last() {
                    let n = t.len(lua).unwrap_or(0);
                    let _ = t.raw_set(lua, n + 1, v);
                }
            }
            9 => {
                // reference an earlier table (cycles)
                if !tables.is_empty() {
                    let t = tables[arg as usize % tables.len()].clone();
                    stack.push(LuaValue::Table(t));
                }
            }
            10 => stack.push(LuaValue::Integer(i64::from_le_bytes([arg, arg, 0, 0, 0, 0, 0, if arg > 128 { 0x80 } else { 0 }]))),
            _ => {
                stack.pop();
            }
        }
        i += 1;
    }
    stack.into_iter().next()
}

fuzz_target!(|data: &[u8]| {
    let mut lua = Lua::new();
    lua.vm_mut().set_memory_limit(Some(16 << 20));
    if let Some(v) = build(&mut lua, data) {
        let _ = lua.from_value::<Outer>(v.clone());
        let _ = lua.from_value::<Vec<Kind>>(v.clone());
        let _ = lua.from_value::<HashMap<String, Inner>>(v.clone());
        let _ = lua.from_value::<(i64, Option<Kind>, Vec<Vec<u8>>)>(v);
    }
});
