//! Micro-measure: cost of a userdata `__index` metamethod call through `selenite::api`.
use std::time::Instant;

use selenite::api::{Lua, MetaMethod, UserData, UserDataMethods};

struct P;
impl UserData for P {
    fn add_methods(m: &mut impl UserDataMethods<Self>) {
        m.add_meta_method(MetaMethod::Index, |_, _, _k: String| Ok(1.0));
        m.add_method("get", |_, _, ()| Ok(1.0));
    }
}

fn main() {
    let mut lua = Lua::new();
    lua.set_global("p", P).unwrap_or_default();
    let n = 1_000_000;
    for (name, src) in [
        (
            "loop",
            "local s = 0 for i = 1, ... do s = s + i end return s",
        ),
        (
            "__index",
            "local s = 0 for i = 1, ... do s = s + p.x end return s",
        ),
        (
            "method",
            "local s = 0 for i = 1, ... do s = s + p:get() end return s",
        ),
    ] {
        let Ok(f) = lua.load(src, "=m") else { return };
        let t = Instant::now();
        let _ = f.call::<_, f64>(&mut lua, n);
        println!(
            "{name}: {:.1} ns/iter",
            t.elapsed().as_nanos() as f64 / n as f64
        );
    }
}
