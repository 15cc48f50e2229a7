//! Registry keys and handles: rooting, release on drop, drain.

use selenite::api::{Function, Lua, RegistryKey, Table};
use selenite::Value;

fn registry_entry(lua: &Lua, key: i64) -> Value {
    lua.vm().registry.get_int(key)
}

#[test]
fn key_keeps_value_alive_and_drop_releases_it() {
    let mut lua = Lua::new();
    let t: Table = lua.exec("return { name = 'boss' }", "=r").unwrap();
    let key = lua.create_registry_value(&t).unwrap();
    let id = key.id();
    drop(t);
    lua.exec::<()>("local junk = {} for i = 1, 1000 do junk[i] = {i} end", "=r")
        .unwrap();
    lua.collect_garbage();
    let t: Table = lua.registry_value(&key).unwrap();
    assert_eq!(t.get::<_, String>(&mut lua, "name").unwrap(), "boss");
    drop(t);
    assert!(matches!(registry_entry(&lua, id), Value::Table(_)));

    // Dropping the key (from any thread) only queues it...
    std::thread::spawn(move || drop(key)).join().unwrap();
    assert!(matches!(registry_entry(&lua, id), Value::Table(_)));
    // ...the next API call drains the queue.
    lua.expire_registry_values();
    assert!(registry_entry(&lua, id).is_nil());
}

#[test]
fn handles_release_on_drop() {
    let mut lua = Lua::new();
    let f: Function = lua.exec("return function() return 1 end", "=h").unwrap();
    let id = f.to_registry_key(&mut lua).unwrap();
    let g = f.clone();
    drop(f);
    assert_eq!(g.call::<_, i64>(&mut lua, ()).unwrap(), 1);
    drop(g);
    drop(id);
    lua.collect_garbage();
    // Everything the handles rooted is gone from the registry.
    let mut n = 0;
    let mut k = Value::Nil;
    while let selenite::table::Next::Pair(key, _) = lua.vm().registry.next(k) {
        if let Value::Int(i) = key {
            if i >= 1024 {
                n += 1;
            }
        }
        k = key;
    }
    assert_eq!(n, 0, "registry entries left");
}

#[test]
fn handle_survives_collection() {
    let mut lua = Lua::new();
    let t = lua.create_table().unwrap();
    t.set(&mut lua, "x", 1).unwrap();
    for _ in 0..3 {
        lua.exec::<()>(
            "local t = {} for i = 1, 10000 do t[i] = tostring(i) end",
            "=g",
        )
        .unwrap();
        lua.collect_garbage();
    }
    assert_eq!(t.get::<_, i64>(&mut lua, "x").unwrap(), 1);
}

#[test]
fn key_in_a_send_sync_component() {
    #[derive(Debug)]
    struct ScriptComponent {
        on_hit: RegistryKey,
    }
    fn assert_component<T: Send + Sync + 'static>() {}
    assert_component::<ScriptComponent>();

    let mut lua = Lua::new();
    let f: Function = lua
        .exec("return function(dmg) return 100 - dmg end", "=c")
        .unwrap();
    let comp = ScriptComponent {
        on_hit: lua.create_registry_value(f).unwrap(),
    };
    lua.collect_garbage();
    let f: Function = lua.registry_value(&comp.on_hit).unwrap();
    assert_eq!(f.call::<_, i64>(&mut lua, 30).unwrap(), 70);
    lua.replace_registry_value(&comp.on_hit, 5).unwrap();
    assert_eq!(lua.registry_value::<i64>(&comp.on_hit).unwrap(), 5);
}

#[test]
fn released_keys_are_reused_so_the_registry_stays_small() {
    let mut lua = Lua::new();
    let mut highest = 0;
    for i in 0..10_000 {
        let t: Table = lua.create_table().unwrap();
        t.raw_set(&mut lua, "i", i).unwrap();
        let key = lua.create_registry_value(&t).unwrap();
        highest = highest.max(key.id());
        let back: Table = lua.registry_value(&key).unwrap();
        assert_eq!(back.raw_get::<_, i64>(&mut lua, "i").unwrap(), i);
    }
    // Each round releases what the previous one rooted: a handful of keys in all.
    assert!(highest < 1024 + 16, "keys went up to {highest}");
}
