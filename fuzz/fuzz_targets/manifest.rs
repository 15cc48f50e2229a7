//! Arbitrary text through the `mod.ron` manifest parser and validator of `bevy_selenite`
//! (the module is compiled here on its own, without Bevy). Must never panic or hang; an
//! accepted manifest must survive a ron round trip unchanged and stay valid.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../engine_plugin/src/mods/manifest.rs"]
mod manifest;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(m) = manifest::ModManifest::parse(text, "mod.ron") else {
        return;
    };
    let _ = m.permissions.can_read("Transform");
    let again = ron::to_string(&m).expect("serialize an accepted manifest");
    let back = manifest::ModManifest::parse(&again, "mod.ron").expect("reparse");
    assert_eq!(back, m);
});
