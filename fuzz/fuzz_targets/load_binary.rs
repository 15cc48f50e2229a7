//! Arbitrary bytes loaded as a binary chunk (`string.dump` format, `selenite::dump`) in the
//! sandbox libraries with binary chunks allowed, then run under an instruction limit and a
//! memory limit: loading must fail cleanly or give a function that runs without a panic,
//! an abort or a hang. Seeds are dumps of the golden corpus (`scripts/fuzz.sh` makes them).
#![no_main]
use libfuzzer_sys::fuzz_target;
use selenite::api::Lua;

fuzz_target!(|data: &[u8]| {
    let mut lua = Lua::sandboxed();
    lua.vm_mut().allow_binary_chunks = true;
    lua.vm_mut().budget.instruction_limit = Some(200_000);
    lua.vm_mut().set_memory_limit(Some(16 << 20));
    lua.set_print_hook(|_| {});
    let Ok(env) = lua.new_env() else { return };
    // Always a binary chunk: a text chunk is `parse_compile`/`exec_sandbox`'s business.
    let mut chunk = Vec::with_capacity(data.len() + 1);
    if data.first() != Some(&0x1b) {
        chunk.push(0x1b);
    }
    chunk.extend_from_slice(data);
    if let Ok(f) = lua.load_in(&chunk, "=fuzz", &env) {
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
