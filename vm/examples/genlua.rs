//! Prints the generated Lua program for a seed (see `vm/tests/common/gen.rs`), for
//! `scripts/difftest.sh`: `cargo run -p selenite --example genlua -- SEED`.
//! With `SEED COUNT DIR` it writes `DIR/<seed>.lua` for COUNT seeds instead (one process
//! for the whole run).

#[path = "../tests/common/gen.rs"]
mod gen;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let count: Option<u64> = args.get(2).and_then(|s| s.parse().ok());
    match (count, args.get(3)) {
        (Some(n), Some(dir)) => {
            for s in seed..seed + n {
                let path = std::path::Path::new(dir).join(format!("{s}.lua"));
                if let Err(e) = std::fs::write(&path, gen::program(s)) {
                    eprintln!("genlua: {}: {e}", path.display());
                    std::process::exit(1);
                }
            }
        }
        _ => print!("{}", gen::program(seed)),
    }
}
