//! `Lua` basics and value conversions.

use std::collections::{BTreeMap, HashMap};

use selenite::api::{Error, LibSet, Lua, LuaValue, Table, Variadic};

#[test]
fn load_names_and_errors() {
    let mut lua = Lua::new();
    let err = lua.load("local x = = 1", "@scripts/enemy.lua").unwrap_err();
    assert!(matches!(err, Error::Syntax { .. }));
    assert!(err.to_string().starts_with("scripts/enemy.lua:1:"), "{err}");

    let f = lua
        .load("local a = 1\n\nerror('bad thing')", "@scripts/enemy.lua")
        .unwrap();
    let err = f.call::<_, ()>(&mut lua, ()).unwrap_err();
    assert_eq!(err.to_string(), "scripts/enemy.lua:3: bad thing");
    let tb = err.traceback().unwrap();
    assert!(tb.contains("scripts/enemy.lua:3: in main chunk"), "{tb}");

    // A function name per frame.
    let err = lua
        .exec::<()>(
            "local function inner() error('deep') end\nfunction outer() inner() end\nouter()",
            "@t.lua",
        )
        .unwrap_err();
    let tb = err.traceback().unwrap();
    assert!(tb.contains("t.lua:1: in "), "{tb}");
    assert!(tb.contains("'inner'"), "{tb}");
    assert!(tb.contains("t.lua:2: in "), "{tb}");

    // Non-string error values are kept.
    let err = lua.exec::<()>("error({code = 7})", "=e").unwrap_err();
    let Error::Runtime {
        value: Some(key), ..
    } = &err
    else {
        panic!("{err:?}")
    };
    let t: Table = lua.registry_value(key).unwrap();
    assert_eq!(t.get::<_, i64>(&mut lua, "code").unwrap(), 7);
}

#[test]
fn globals() {
    let mut lua = Lua::new();
    lua.set_global("n", 5).unwrap();
    lua.set_global("name", "orc").unwrap();
    assert_eq!(lua.exec::<i64>("return n * 2", "=g").unwrap(), 10);
    assert_eq!(lua.get_global::<String>("name").unwrap(), "orc");
    let g = lua.globals();
    assert_eq!(g.get::<_, i64>(&mut lua, "n").unwrap(), 5);
    assert!(lua.get_global::<Option<i64>>("missing").unwrap().is_none());
    lua.collect_garbage();
    assert_eq!(lua.get_global::<String>("name").unwrap(), "orc");
}

#[test]
fn lib_sets() {
    let mut lua = Lua::with_libs(LibSet::BASE | LibSet::MATH);
    assert!(lua.get_global::<Option<Table>>("math").unwrap().is_some());
    assert!(lua.get_global::<Option<Table>>("string").unwrap().is_none());
    assert!(lua
        .get_global::<Option<Table>>("coroutine")
        .unwrap()
        .is_none());
    assert!(lua.get_global::<LuaValue>("dofile").unwrap().is_nil());
    let mut lua = Lua::new();
    assert!(!lua.get_global::<LuaValue>("dofile").unwrap().is_nil());
}

#[test]
fn integers() {
    let mut lua = Lua::new();
    assert_eq!(lua.exec::<i32>("return 3.0", "=i").unwrap(), 3);
    assert_eq!(lua.exec::<u8>("return '0x10'", "=i").unwrap(), 16);
    assert_eq!(lua.exec::<i64>("return ' 12 '", "=i").unwrap(), 12);
    assert_eq!(lua.exec::<usize>("return 7", "=i").unwrap(), 7);
    let e = lua.exec::<u8>("return 300", "=i").unwrap_err();
    assert_eq!(e.to_string(), "number 300 out of range for u8");
    let e = lua.exec::<u32>("return -1", "=i").unwrap_err();
    assert_eq!(e.to_string(), "number -1 out of range for u32");
    let e = lua.exec::<i64>("return 1.5", "=i").unwrap_err();
    assert_eq!(e.to_string(), "number has no integer representation");
    let e = lua.exec::<i64>("return 'abc'", "=i").unwrap_err();
    assert_eq!(e.to_string(), "expected integer, got string");
    let e = lua.exec::<i16>("return {}", "=i").unwrap_err();
    assert_eq!(e.to_string(), "expected integer, got table");
    // Big u64 values go over as floats.
    lua.set_global("big", u64::MAX).unwrap();
    assert_eq!(
        lua.exec::<String>("return math.type(big)", "=i").unwrap(),
        "float"
    );
    lua.set_global("small", 5u64).unwrap();
    assert_eq!(
        lua.exec::<String>("return math.type(small)", "=i").unwrap(),
        "integer"
    );
}

#[test]
fn floats_bools_strings() {
    let mut lua = Lua::new();
    assert_eq!(lua.exec::<f64>("return 2", "=f").unwrap(), 2.0);
    assert_eq!(lua.exec::<f32>("return '1.5'", "=f").unwrap(), 1.5);
    assert_eq!(
        lua.exec::<f64>("return true", "=f")
            .unwrap_err()
            .to_string(),
        "expected number, got boolean"
    );
    assert!(lua.exec::<bool>("return 0", "=b").unwrap());
    assert!(!lua.exec::<bool>("return nil", "=b").unwrap());
    assert_eq!(lua.exec::<String>("return 12", "=s").unwrap(), "12");
    assert_eq!(lua.exec::<String>("return 1.5", "=s").unwrap(), "1.5");
    assert_eq!(
        lua.exec::<Vec<u8>>("return 'a\\0\\255'", "=s").unwrap(),
        b"a\0\xff"
    );
    assert!(lua.exec::<String>("return '\\255'", "=s").is_err());
    lua.set_global("bytes", vec![104u8, 105]).unwrap();
    assert_eq!(lua.exec::<String>("return bytes", "=s").unwrap(), "hi");
    let s = lua.create_string(b"x\0y").unwrap();
    lua.set_global("s", &s).unwrap();
    assert_eq!(lua.exec::<i64>("return #s", "=s").unwrap(), 3);
    assert_eq!(s.as_bytes(&lua).unwrap(), b"x\0y");
}

#[test]
fn collections_and_options() {
    let mut lua = Lua::new();
    lua.set_global("v", vec![1, 2, 3]).unwrap();
    assert_eq!(lua.exec::<i64>("return #v + v[3]", "=c").unwrap(), 6);
    let v: Vec<String> = lua.exec("return {'a', 'b'}", "=c").unwrap();
    assert_eq!(v, ["a", "b"]);
    let e = lua.exec::<Vec<i64>>("return {1, 'x'}", "=c").unwrap_err();
    assert_eq!(e.to_string(), "[2]: expected integer, got string");
    let mut m = HashMap::new();
    m.insert("hp".to_string(), 10);
    lua.set_global("m", m).unwrap();
    assert_eq!(lua.exec::<i64>("return m.hp", "=c").unwrap(), 10);
    let b: BTreeMap<i64, bool> = lua.exec("return {[3] = true, [1] = false}", "=c").unwrap();
    assert_eq!(b.into_iter().collect::<Vec<_>>(), [(1, false), (3, true)]);
    let o: Option<Vec<i64>> = lua.exec("return nil", "=c").unwrap();
    assert!(o.is_none());
    lua.set_global("none", None::<i64>).unwrap();
    assert!(lua.exec::<bool>("return none == nil", "=c").unwrap());
}

#[test]
fn multi_values() {
    let mut lua = Lua::new();
    let f = lua
        .load(
            "return function(...) return select('#', ...), ... end",
            "=m",
        )
        .unwrap()
        .call::<_, selenite::api::Function>(&mut lua, ())
        .unwrap();
    let (n, a, b): (i64, i64, String) = f.call(&mut lua, (1, "x")).unwrap();
    assert_eq!((n, a, b.as_str()), (2, 1, "x"));
    let Variadic(all) = f
        .call::<_, Variadic<LuaValue>>(&mut lua, (1, 2, 3, 4, 5, 6, 7, 8))
        .unwrap();
    assert_eq!(all.len(), 9);
    let n: i64 = f.call(&mut lua, ()).unwrap();
    assert_eq!(n, 0);
    let (n, rest): (i64, Variadic<i64>) = f.call(&mut lua, Variadic(vec![4, 5])).unwrap();
    assert_eq!((n, rest.0), (2, vec![4, 5]));
    // Missing results convert as nil.
    let (a, b): (i64, Option<i64>) = lua.exec("return 1", "=m").unwrap();
    assert_eq!((a, b), (1, None));
}

#[test]
fn lua_value_round_trip() {
    let mut lua = Lua::new();
    let vals: Variadic<LuaValue> = lua
        .exec(
            "return nil, true, 1, 2.5, 's', {}, print, coroutine.create(print)",
            "=v",
        )
        .unwrap();
    let names: Vec<_> = vals.0.iter().map(|v| v.type_name()).collect();
    assert_eq!(
        names,
        ["nil", "boolean", "number", "number", "string", "table", "function", "thread"]
    );
    lua.collect_garbage();
    let f = lua
        .load("return select('#', ...), type(select(6, ...))", "=v")
        .unwrap();
    let (n, t): (i64, String) = f.call(&mut lua, vals).unwrap();
    assert_eq!((n, t.as_str()), (8, "table"));
}

#[test]
fn budgeted_run() {
    use selenite::api::RunOutcome;
    let mut lua = Lua::new();
    let f = lua
        .load(
            "local s = 0 for i = 1, 200000 do s = s + i end return s",
            "=b",
        )
        .unwrap();
    let mut outcome = f.call_budget::<_, i64>(&mut lua, (), 5000).unwrap();
    let mut slices = 1;
    while let RunOutcome::OutOfBudget = outcome {
        slices += 1;
        outcome = lua.resume_budget(5000).unwrap();
    }
    assert!(matches!(outcome, RunOutcome::Finished(20000100000)));
    assert!(slices > 10);
}

#[test]
fn handles_of_another_lua_are_errors() {
    let mut a = Lua::new();
    let mut b = Lua::new();
    let t = a.create_table().unwrap();
    assert!(matches!(t.set(&mut b, 1, 1), Err(Error::MismatchedLua)));
    assert!(matches!(b.set_global("t", &t), Err(Error::MismatchedLua)));
    let key = a.create_registry_value(5).unwrap();
    assert!(matches!(
        b.registry_value::<i64>(&key),
        Err(Error::MismatchedLua)
    ));
    assert_eq!(a.registry_value::<i64>(&key).unwrap(), 5);
    // Dropping the owning Lua first is fine: the handle is never dereferenced again.
    drop(a);
    assert!(matches!(t.len(&b), Err(Error::MismatchedLua)));
}
