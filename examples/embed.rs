//! Embedding Selenite through `selenite::api`: a host game loop.
//!
//! Loads a sandboxed mod script that defines `on_update(dt)`, gives it a host function
//! (`spawn`) and a `Vec3` userdata type, calls `on_update` for 60 frames with an
//! instruction budget per frame, and prints a summary. Ends with a quick measurement of
//! the cost of a Rust→Lua call and of a Lua→Rust host-function call.
//!
//! Run: `cargo run --release --example embed`

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use selenite::api::{
    Error, Function, Lua, MetaMethod, RunOutcome, UserData, UserDataFields, UserDataMethods,
};

#[derive(Clone, Copy, Debug, PartialEq)]
struct Vec3 {
    x: f64,
    y: f64,
    z: f64,
}

impl UserData for Vec3 {
    fn add_fields(fields: &mut impl UserDataFields<Self>) {
        fields.add_field_method_get("x", |_, v| Ok(v.x));
        fields.add_field_method_get("y", |_, v| Ok(v.y));
        fields.add_field_method_get("z", |_, v| Ok(v.z));
    }

    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_method("length", |_, v, ()| {
            Ok((v.x * v.x + v.y * v.y + v.z * v.z).sqrt())
        });
        methods.add_meta_method(MetaMethod::Add, |_, a, b: Vec3| {
            Ok(Vec3 {
                x: a.x + b.x,
                y: a.y + b.y,
                z: a.z + b.z,
            })
        });
        methods.add_meta_function(MetaMethod::Mul, |_, (k, v): (f64, Vec3)| {
            Ok(Vec3 {
                x: k * v.x,
                y: k * v.y,
                z: k * v.z,
            })
        });
        methods.add_meta_method(MetaMethod::ToString, |_, v, ()| {
            Ok(format!("({:.2}, {:.2}, {:.2})", v.x, v.y, v.z))
        });
    }
}

const MOD_SCRIPT: &str = r#"
local ships = {}
local time = 0

function on_update(dt)
    time = time + dt
    if #ships < 3 and time > #ships * 0.25 then
        ships[#ships + 1] = { id = spawn("ship"), pos = vec3(0, 0, 0), vel = vec3(#ships + 1, 0.5, 0) }
    end
    for _, s in ipairs(ships) do
        s.pos = s.pos + dt * s.vel
    end
end

function report()
    local out = {}
    for _, s in ipairs(ships) do
        out[#out + 1] = string.format("ship %d at %s (%.2f from origin)", s.id, tostring(s.pos), s.pos:length())
    end
    return table.concat(out, "\n")
end
"#;

fn main() -> Result<(), Error> {
    let mut lua = Lua::sandboxed();

    // Host state shared with a host function.
    let spawned = Rc::new(RefCell::new(Vec::<String>::new()));
    let log = spawned.clone();
    let spawn = lua.create_function(move |_, kind: String| {
        let mut l = log.borrow_mut();
        l.push(kind);
        Ok(l.len() as u32)
    })?;
    let vec3 = lua.create_function(|_, (x, y, z): (f64, f64, f64)| Ok(Vec3 { x, y, z }))?;
    // Host functions go into the mod's environment (the shared globals are frozen).
    let env = lua.new_env()?;
    env.raw_set(&mut lua, "spawn", spawn)?;
    env.raw_set(&mut lua, "vec3", vec3)?;

    lua.load_in(MOD_SCRIPT, "@mods/ships.lua", &env)?
        .call::<_, ()>(&mut lua, ())?;
    let on_update: Function = env.get(&mut lua, "on_update")?;

    let dt = 1.0 / 60.0;
    let mut slices = 0;
    for _frame in 0..60 {
        // Each frame gets a budget of instructions; a runaway mod is suspended instead of
        // freezing the game (a real host would resume it next frame or drop it).
        let mut outcome = on_update.call_budget::<_, ()>(&mut lua, dt, 100_000)?;
        slices += 1;
        while let RunOutcome::OutOfBudget = outcome {
            outcome = lua.resume_budget(100_000)?;
            slices += 1;
        }
    }
    let report: Function = env.get(&mut lua, "report")?;
    let summary: String = report.call(&mut lua, ())?;
    println!("{summary}");
    println!(
        "60 frames in {slices} slices; host spawned {:?}; heap {} KiB",
        spawned.borrow(),
        lua.used_memory() / 1024
    );

    measure(&mut lua)
}

/// Cost of one Rust→Lua call and one Lua→Rust host-function call.
fn measure(lua: &mut Lua) -> Result<(), Error> {
    const N: u32 = 1_000_000;
    let f: Function = lua.exec("return function(x) return x + 1 end", "=bench")?;
    let start = Instant::now();
    let mut acc = 0i64;
    for i in 0..N {
        acc += f.call::<_, i64>(lua, i as i64)?;
    }
    let rust_to_lua = start.elapsed().as_nanos() as f64 / N as f64;

    let host = lua.create_function(|_, x: i64| Ok(x + 1))?;
    let env = lua.new_env()?;
    env.raw_set(lua, "host", host)?;
    let empty_loop = lua.load_in(
        "local n = ... local s = 0 for i = 1, n do s = s + i end return s",
        "=bench",
        &env,
    )?;
    let host_loop = lua.load_in(
        "local n = ... local s = 0 for i = 1, n do s = s + host(i) end return s",
        "=bench",
        &env,
    )?;
    let start = Instant::now();
    acc += empty_loop.call::<_, i64>(lua, N)?;
    let base = start.elapsed();
    let start = Instant::now();
    acc += host_loop.call::<_, i64>(lua, N)?;
    let with_host = start.elapsed();
    let lua_to_rust = (with_host.as_nanos() as f64 - base.as_nanos() as f64) / N as f64;
    println!(
        "Rust->Lua call: {rust_to_lua:.1} ns; Lua->Rust host call: {lua_to_rust:.1} ns (checksum {acc})"
    );
    Ok(())
}
