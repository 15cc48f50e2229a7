//! Arbitrary source run in the sandbox preset under an instruction limit and a memory
//! limit: any outcome but a panic, an abort or a hang is fine.
#![no_main]
use libfuzzer_sys::fuzz_target;
use selenite::api::Lua;

fuzz_target!(|data: &[u8]| {
    let mut lua = Lua::sandboxed();
    lua.vm_mut().budget.instruction_limit = Some(200_000);
    lua.vm_mut().set_memory_limit(Some(16 << 20));
    lua.set_print_hook(|_| {});
    let Ok(env) = lua.new_env() else { return };
    if let Ok(f) = lua.load_in(data, "=fuzz", &env) {
        let _ = f.call::<_, selenite::api::LuaValue>(&mut lua, ());
    }
    // The state must stay usable.
    lua.vm_mut().budget.instruction_limit = None;
    let env2 = lua.new_env().expect("env");
    let v: i64 = lua
        .load_in("return 1 + 1", "=after", &env2)
        .expect("load after")
        .call(&mut lua, ())
        .expect("run after");
    assert_eq!(v, 2);
});
