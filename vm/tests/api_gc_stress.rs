//! The API under GC stress (a collection at every allocation check): handles, arguments
//! and results must all be rooted.

use selenite::api::{Function, Lua, LuaValue, Table, UserData, UserDataMethods, Variadic};

#[derive(Clone)]
struct Blob(Vec<u8>);
impl UserData for Blob {
    fn add_methods(m: &mut impl UserDataMethods<Self>) {
        m.add_method("len", |_, b, ()| Ok(b.0.len()));
    }
}

#[test]
fn api_under_gc_stress() {
    let mut lua = Lua::new();
    lua.vm_mut().heap.stress = 1;
    let mk = lua
        .create_function(|lua, (n, s): (i64, String)| {
            let t = lua.create_table()?;
            for i in 1..=n {
                t.set(lua, i, format!("{s}{i}"))?;
                lua.exec::<()>("local x = {} for i = 1, 10 do x[i] = {} end", "=junk")?;
            }
            Ok((t, Blob(vec![0; n as usize])))
        })
        .unwrap();
    lua.set_global("mk", mk).unwrap();
    let f: Function = lua
        .exec(
            "return function(n) local t, b = mk(n, 'k') local s = {} for i = 1, #t do s[#s+1] = t[i] .. '!' end return s, b, b:len() end",
            "=s",
        )
        .unwrap();
    for _ in 0..20 {
        let (t, _b, n): (Table, LuaValue, usize) = f.call(&mut lua, 20).unwrap();
        assert_eq!(n, 20);
        let v: Vec<String> = t.sequence_values(&mut lua).unwrap();
        assert_eq!(v[19], "k20!");
        let Variadic(all): Variadic<LuaValue> = lua
            .exec(
                "local r = {} for i = 1, 50 do r[i] = {i} end return table.unpack(r)",
                "=u",
            )
            .unwrap();
        lua.collect_garbage();
        assert_eq!(all.len(), 50);
        let s: Vec<i64> = all
            .iter()
            .map(|v| match v {
                LuaValue::Table(t) => t.get::<_, i64>(&mut lua, 1).unwrap(),
                _ => 0,
            })
            .collect();
        assert_eq!(s[49], 50);
    }
}
