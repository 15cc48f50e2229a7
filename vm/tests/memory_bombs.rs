//! Memory bombs: each script in `tests/bombs/` must end in "not enough memory" (or its
//! documented error) under a 64 MiB limit, in bounded time, and the same VM must then run
//! another script. Runs through the CLI (`--memory-limit`), one process per bomb.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const LIMIT: &str = "67108864";

fn run_bomb(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("bombs");
    // Afterwards the same VM runs more code: prove it is still usable and under the limit.
    let after = "local t = {} for i = 1, 1000 do t[i] = tostring(i) end \
                 print('after', #t, collectgarbage('count') < 65536)";
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_selenite"))
        .current_dir(&dir)
        .args([
            "--memory-limit",
            LIMIT,
            "-e",
            &format!("dofile('{name}') {after}"),
        ])
        .output()
        .expect("run selenite");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{name} took {:?}",
        start.elapsed()
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{name} failed: {stderr}\n{stdout}");
    assert!(
        stdout.trim_end().ends_with("after\t1000\ttrue"),
        "{name}: the VM did not run the follow-up code:\n{stdout}"
    );
    stdout
}

#[test]
fn every_bomb_ends_in_not_enough_memory() {
    for (name, expected) in [
        ("rep_huge.lua", "false\tnot enough memory"),
        ("string_doubling.lua", "false\tnot enough memory"),
        ("table_forever.lua", "false\tnot enough memory"),
        ("closures_forever.lua", "false\tnot enough memory"),
        ("coroutines_forever.lua", "false\tnot enough memory"),
        ("concat_huge.lua", "false\tnot enough memory"),
        ("coroutine_recursion.lua", "false\tstack overflow"),
    ] {
        let out = run_bomb(name);
        assert!(
            out.contains(expected),
            "{name}: expected {expected:?} in:\n{out}"
        );
    }
}
