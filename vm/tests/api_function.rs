//! Host functions: argument errors, results, panics, errors crossing Rust and Lua.

use selenite::api::{Error, Function, Lua, Table, Variadic};

fn lua_with_spawn() -> Lua {
    let mut lua = Lua::new();
    let spawn = lua
        .create_function(|_, (count, kind): (u8, String)| Ok(format!("{count}:{kind}")))
        .unwrap();
    lua.set_global("spawn", spawn).unwrap();
    lua
}

#[test]
fn typed_arguments_and_results() {
    let mut lua = lua_with_spawn();
    assert_eq!(
        lua.exec::<String>("return spawn(2, 'orc')", "=t").unwrap(),
        "2:orc"
    );
    assert_eq!(
        lua.exec::<String>("return spawn('3', 4)", "=t").unwrap(),
        "3:4"
    );
    let pair = lua
        .create_function(|_, (a, b): (i64, i64)| Ok((a + b, a * b)))
        .unwrap();
    lua.set_global("pair", pair).unwrap();
    assert_eq!(
        lua.exec::<(i64, i64)>("return pair(3, 4)", "=t").unwrap(),
        (7, 12)
    );
    let none = lua.create_function(|_, ()| Ok(())).unwrap();
    lua.set_global("none", none).unwrap();
    assert_eq!(
        lua.exec::<i64>("return select('#', none())", "=t").unwrap(),
        0
    );
}

#[test]
fn argument_errors_are_puc_style() {
    let mut lua = lua_with_spawn();
    let cases = [
        (
            "spawn(1)",
            "m.lua:1: bad argument #2 to 'spawn' (string expected, got no value)",
        ),
        (
            "spawn(1, nil)",
            "m.lua:1: bad argument #2 to 'spawn' (string expected, got nil)",
        ),
        (
            "spawn({}, 'x')",
            "m.lua:1: bad argument #1 to 'spawn' (number expected, got table)",
        ),
        (
            "spawn(300, 'x')",
            "m.lua:1: bad argument #1 to 'spawn' (number 300 out of range for u8)",
        ),
        (
            "local t = {f = spawn}\nt.f(1.5, 'x')",
            "m.lua:2: bad argument #1 to 'f' (number has no integer representation)",
        ),
        (
            "local s = spawn; s(1, {})",
            "m.lua:1: bad argument #2 to 's' (string expected, got table)",
        ),
    ];
    for (src, want) in cases {
        let err = lua.exec::<()>(src, "@m.lua").unwrap_err();
        assert_eq!(err.to_string(), want, "{src}");
    }
    // Caught by pcall like any error.
    let (ok, msg): (bool, String) = lua.exec("return pcall(spawn, 1)", "=p").unwrap();
    assert!(!ok);
    assert!(msg.contains("bad argument #2 to"), "{msg}");
}

#[test]
fn panics_become_lua_errors() {
    let mut lua = Lua::new();
    let boom = lua
        .create_function(|_, n: i64| -> Result<i64, Error> {
            if n > 1 {
                panic!("boom {n}");
            }
            Ok(n)
        })
        .unwrap();
    lua.set_global("boom", boom).unwrap();
    let err = lua.exec::<()>("boom(5)", "@p.lua").unwrap_err();
    assert_eq!(err.to_string(), "p.lua:1: host function panicked: boom 5");
    // pcall catches it, and the VM keeps working.
    let (ok, msg): (bool, String) = lua
        .exec("return pcall(function() return boom(7) end)", "@p.lua")
        .unwrap();
    assert!(!ok);
    assert!(msg.ends_with("host function panicked: boom 7"), "{msg}");
    assert_eq!(lua.exec::<i64>("return boom(1) + 1", "=p").unwrap(), 2);
    // A panic deep inside nested Lua -> Rust -> Lua calls.
    let nest = lua
        .create_function(|lua, f: Function| f.call::<_, i64>(lua, 9))
        .unwrap();
    lua.set_global("nest", nest).unwrap();
    let (ok, msg): (bool, String) = lua
        .exec(
            "return pcall(nest, function(x) return boom(x) end)",
            "@p.lua",
        )
        .unwrap();
    assert!(!ok);
    assert!(msg.contains("host function panicked: boom 9"), "{msg}");
    assert_eq!(
        lua.exec::<i64>("return nest(function(x) return x end)", "=p")
            .unwrap(),
        9
    );
}

#[test]
fn errors_cross_both_ways() {
    let mut lua = Lua::new();
    // Host error with position of the calling line.
    let check = lua
        .create_function(|_, hp: i64| {
            if hp < 0 {
                return Err(Error::runtime("hp must not be negative"));
            }
            Ok(hp)
        })
        .unwrap();
    lua.set_global("check", check).unwrap();
    let err = lua.exec::<()>("\ncheck(-1)", "@c.lua").unwrap_err();
    assert_eq!(err.to_string(), "c.lua:2: hp must not be negative");
    // A Lua error through a host function keeps its value (here a table).
    let call = lua
        .create_function(|lua, f: Function| f.call::<_, ()>(lua, ()))
        .unwrap();
    lua.set_global("call", call).unwrap();
    let code: i64 = lua
        .exec(
            "local ok, e = pcall(call, function() error({code = 42}) end) return e.code",
            "=c",
        )
        .unwrap();
    assert_eq!(code, 42);
    let err = lua
        .exec::<()>("call(function() error('inner') end)", "@c.lua")
        .unwrap_err();
    assert_eq!(err.to_string(), "c.lua:1: inner");
}

#[test]
fn fn_mut_and_reentrancy() {
    let mut lua = Lua::new();
    let mut calls = 0u32;
    let counter = lua
        .create_function_mut(move |lua, f: Option<Function>| {
            calls += 1;
            if let Some(f) = f {
                f.call::<_, ()>(lua, ())?;
            }
            Ok(calls)
        })
        .unwrap();
    lua.set_global("counter", counter).unwrap();
    assert_eq!(
        lua.exec::<u32>("counter() return counter()", "=f").unwrap(),
        2
    );
    let err = lua
        .exec::<()>("counter(function() counter() end)", "@f.lua")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("mutable host function called recursively"),
        "{err}"
    );
}

#[test]
fn host_functions_use_the_api_inside() {
    let mut lua = Lua::new();
    let make = lua
        .create_function(|lua, Variadic(names): Variadic<String>| {
            let t = lua.create_table()?;
            for (i, n) in names.iter().enumerate() {
                t.set(lua, n.as_str(), i as i64 + 1)?;
            }
            lua.collect_garbage();
            Ok(t)
        })
        .unwrap();
    lua.set_global("make", make).unwrap();
    let t: Table = lua
        .exec("local t = make('a', 'b') collectgarbage() return t", "=h")
        .unwrap();
    assert_eq!(t.get::<_, i64>(&mut lua, "b").unwrap(), 2);
}

#[test]
fn reset_coroutines_start_afresh_and_keep_closed_upvalues() {
    use selenite::api::{RunOutcome, Thread};
    let mut lua = Lua::new();
    // A body that leaves a closure over one of its locals, then fails: the upvalue is
    // still open on the dead coroutine's stack when it is reset.
    let failing: Function = lua
        .load(
            "local hp = 41 keep = function() hp = hp + 1 return hp end error('boom')",
            "=failing",
        )
        .unwrap();
    let co: Thread = lua.create_thread(&failing).unwrap();
    assert!(co.resume::<_, ()>(&mut lua, ()).is_err());
    let second: Function = lua
        .load("local a, b = ... return a * b", "=second")
        .unwrap();
    assert!(co.reset(&mut lua, &second).unwrap());
    // The new body overwrites the old stack slots; the closure kept its own value.
    assert!(matches!(
        co.resume::<_, i64>(&mut lua, (6, 7)).unwrap(),
        RunOutcome::Finished(42)
    ));
    assert_eq!(lua.exec::<i64>("return keep()", "=t").unwrap(), 42);
    assert_eq!(lua.exec::<i64>("return keep()", "=t").unwrap(), 43);
    // Reused many times, with a collection in between: no growth, nothing stale.
    for i in 0..1000 {
        assert!(co.reset(&mut lua, &second).unwrap());
        let RunOutcome::Finished(v) = co.resume::<_, i64>(&mut lua, (i, 2)).unwrap() else {
            panic!("second did not finish");
        };
        assert_eq!(v, i * 2);
    }
    lua.collect_garbage();
    // A coroutine suspended mid-body is not reset.
    let pausing: Function = lua.load("coroutine.yield(1) return 2", "=pausing").unwrap();
    let paused: Thread = lua.create_thread(&pausing).unwrap();
    assert!(matches!(
        paused.resume::<_, ()>(&mut lua, ()).unwrap(),
        RunOutcome::Yielded(_)
    ));
    assert!(!paused.reset(&mut lua, &second).unwrap());
}

/// `reset` leaves the old slots in place; the collector clears a not-started coroutine's
/// stack instead of marking it, so what the last run left there is not kept alive (and
/// valgrind runs of this test see no slot pointing at freed memory).
#[test]
fn a_reset_coroutine_does_not_keep_its_last_runs_objects() {
    use selenite::api::{RunOutcome, Thread};
    let mut lua = Lua::new();
    let leaving: Function = lua
        .load(
            "local big = {} for i = 1, 100 do big[i] = {} end \
             weak = setmetatable({big, big[1]}, {__mode = 'v'}) \
             local a, b, c = big, big[2], 'x' .. 'y' return 0",
            "=leaving",
        )
        .unwrap();
    let co: Thread = lua.create_thread(&leaving).unwrap();
    assert!(matches!(
        co.resume::<_, i64>(&mut lua, ()).unwrap(),
        RunOutcome::Finished(0)
    ));
    let noop: Function = lua.load("return 1", "=noop").unwrap();
    assert!(co.reset(&mut lua, &noop).unwrap());
    lua.collect_garbage();
    assert_eq!(lua.exec::<i64>("return #weak", "=t").unwrap(), 0);
    // The reset coroutine still runs its new body, again and again, across collections.
    for i in 0..200 {
        assert!(co.reset(&mut lua, &noop).unwrap());
        if i % 50 == 0 {
            lua.collect_garbage();
        }
        assert!(matches!(
            co.resume::<_, i64>(&mut lua, ()).unwrap(),
            RunOutcome::Finished(1)
        ));
    }
}
