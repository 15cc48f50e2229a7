//! Sandboxed environments: frozen shared tables, one environment per script.

use selenite::api::{Lua, Table};

fn run(lua: &mut Lua, env: &Table, src: &str, name: &str) -> Result<(), String> {
    let f = lua.load_in(src, name, env).map_err(|e| e.to_string())?;
    f.call::<_, ()>(lua, ()).map_err(|e| e.to_string())
}

#[test]
fn shared_tables_are_read_only() {
    let mut lua = Lua::sandboxed();
    let a = lua.new_env().unwrap();
    let cases = [
        (
            "string.rep = nil",
            "mods/a.lua:1: attempt to modify a read-only table",
        ),
        (
            "getmetatable('').__index = {}",
            "mods/a.lua:1: attempt to modify a read-only table",
        ),
        (
            "getmetatable('').x = 1",
            "mods/a.lua:1: attempt to modify a read-only table",
        ),
        (
            "rawset(_G.string, 'x', 1)",
            "mods/a.lua:1: attempt to modify a read-only table",
        ),
        (
            "setmetatable(_G, {})",
            "mods/a.lua:1: attempt to modify a read-only table",
        ),
        (
            "_G.print = nil",
            "mods/a.lua:1: attempt to modify a read-only table",
        ),
        (
            "local t = coroutine\n\nt.wrap = print",
            "mods/a.lua:3: attempt to modify a read-only table",
        ),
    ];
    for (src, want) in cases {
        let err = run(&mut lua, &a, src, "@mods/a.lua").unwrap_err();
        assert_eq!(err, want, "script: {src}");
    }
    // Nothing changed.
    let ok: bool = lua
        .load_in(
            "return rawget(_G, 'print') ~= nil and rawget(_G.string or {}, 'x') == nil",
            "@check.lua",
            &a,
        )
        .unwrap()
        .call(&mut lua, ())
        .unwrap();
    assert!(ok);
}

#[test]
fn environments_are_separate() {
    let mut lua = Lua::sandboxed();
    let a = lua.new_env().unwrap();
    let b = lua.new_env().unwrap();
    run(&mut lua, &a, "x = 1; function f() return x end", "@a.lua").unwrap();
    let seen: (Option<i64>, bool) = lua
        .load_in("return x, f == nil", "@b.lua", &b)
        .unwrap()
        .call(&mut lua, ())
        .unwrap();
    assert_eq!(seen, (None, true));
    // A's failures do not stop B.
    assert!(run(&mut lua, &a, "_G.print = nil", "@a.lua").is_err());
    assert!(run(&mut lua, &a, "error('boom')", "@a.lua").is_err());
    run(&mut lua, &b, "y = 2", "@b.lua").unwrap();
    assert_eq!(b.get::<_, i64>(&mut lua, "y").unwrap(), 2);
    assert_eq!(a.get::<_, i64>(&mut lua, "x").unwrap(), 1);
    // Globals were not touched.
    assert_eq!(lua.get_global::<Option<i64>>("x").unwrap(), None);
}

#[test]
fn load_defaults_to_callers_environment() {
    let mut lua = Lua::sandboxed();
    let a = lua.new_env().unwrap();
    run(
        &mut lua,
        &a,
        "local f = assert(load('z = 5; return z')); assert(f() == 5)",
        "@a.lua",
    )
    .unwrap();
    assert_eq!(a.get::<_, i64>(&mut lua, "z").unwrap(), 5);
    // Binary chunks are refused.
    let r: (Option<bool>, String) = lua
        .load_in("return load('\\27Lua')", "@a.lua", &a)
        .unwrap()
        .call(&mut lua, ())
        .unwrap();
    assert!(r.0.is_none());
    assert!(r.1.contains("binary"), "{}", r.1);
}

#[test]
fn unsafe_libraries_are_absent() {
    let mut lua = Lua::sandboxed();
    let a = lua.new_env().unwrap();
    let r: (bool, bool, bool, bool) = lua
        .load_in(
            "return io == nil, dofile == nil, loadfile == nil, os == nil or os.execute == nil",
            "@a.lua",
            &a,
        )
        .unwrap()
        .call(&mut lua, ())
        .unwrap();
    assert_eq!(r, (true, true, true, true));
    assert!(lua.is_sandboxed());
}

#[test]
fn freeze_is_general() {
    let mut lua = Lua::new();
    let t = lua.create_table_from([("a", 1)]).unwrap();
    lua.freeze(&t).unwrap();
    assert!(t.is_frozen(&lua).unwrap());
    lua.set_global("cfg", &t).unwrap();
    let err = lua.exec::<()>("cfg.a = 2", "@x.lua").unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.lua:1: attempt to modify a read-only table"
    );
    let err = lua.exec::<()>("rawset(cfg, 'b', 2)", "@x.lua").unwrap_err();
    assert!(err
        .to_string()
        .contains("attempt to modify a read-only table"));
    // The host may still write.
    t.raw_set(&mut lua, "a", 3).unwrap();
    assert_eq!(lua.exec::<i64>("return cfg.a", "=x").unwrap(), 3);
}
