//! The example "game" for now: a host loop that loads `assets/scripts/demo.lua` and calls its
//! `on_update(dt)` for 60 frames, then prints the ships' positions. The windowed Bevy game
//! replaces it when the plugin lands; the command stays the same.

use selenite::{Value, Vm};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/scripts/demo.lua");
    let source = std::fs::read(path)?;
    let mut vm = Vm::new();
    selenite::stdlib::open_safe(&mut vm);
    let chunk = vm.load(&source, "@assets/scripts/demo.lua")?;
    vm.call_function(chunk, &[])?;
    let update = vm.get_global("on_update");
    for _frame in 0..60 {
        vm.call_function(update, &[Value::Float(1.0 / 60.0)])?;
    }
    let report = vm.get_global("report");
    vm.call_function(report, &[])?;
    Ok(())
}
