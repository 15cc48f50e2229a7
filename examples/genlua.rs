//! Prints the generated Lua program for a seed (see `vm/tests/common/gen.rs`), for
//! `scripts/difftest.sh`: `cargo run --example genlua -- SEED`.

#[path = "../vm/tests/common/gen.rs"]
mod gen;

fn main() {
    let seed = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    print!("{}", gen::program(seed));
}
