//! Robustness of the binary chunk loader and the bytecode verifier (`selenite::dump`,
//! `selenite::function::verify`): dumps of small functions with every byte changed and
//! truncated at every length, dumps of the golden corpus with random mutations (fixed
//! seed), and the saved fuzz inputs `tests/fuzz_regressions/load_binary-*.bin`. Loading
//! must never panic, and whatever loads must run (in the sandbox libraries, under an
//! instruction and a memory limit) without panicking.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use selenite::api::{Lua, LuaValue};
use selenite::bytecode::{Constant, Proto};
use selenite::value::Value;

const INSTRUCTIONS: u64 = 20_000;

/// A sandboxed state that accepts binary chunks (the libraries stay the safe set, so
/// mutated code cannot touch files).
fn state() -> Lua {
    let mut lua = Lua::sandboxed();
    lua.vm_mut().allow_binary_chunks = true;
    lua.vm_mut().set_memory_limit(Some(32 << 20));
    lua.set_print_hook(|_| {});
    lua
}

/// Dump of a chunk compiled from `src` (`None` if it does not compile).
fn dump_of(lua: &mut Lua, src: &[u8], name: &str, strip: bool) -> Option<Vec<u8>> {
    let vm = lua.vm_mut();
    match vm.load(src, name) {
        Ok(Value::LuaFn(cl)) => Some(selenite::dump::dump(&cl.proto, strip)),
        _ => None,
    }
}

/// Loads `data` and, if it loads, runs it; panics (with `what`) only if the VM panicked.
fn try_chunk(lua: &mut Lua, data: &[u8], what: &str) -> bool {
    let r = catch_unwind(AssertUnwindSafe(|| {
        let Ok(env) = lua.new_env() else {
            return false;
        };
        let Ok(f) = lua.load_in(data, "=mutant", &env) else {
            return false;
        };
        let used = lua.vm_mut().budget.used();
        lua.vm_mut().budget.instruction_limit = Some(used + INSTRUCTIONS);
        let _ = f.call::<_, LuaValue>(lua, ());
        lua.vm_mut().budget.instruction_limit = None;
        true
    }));
    match r {
        Ok(loaded) => loaded,
        Err(_) => {
            let path = std::env::temp_dir().join("selenite-dump-mutant.bin");
            let _ = std::fs::write(&path, data);
            panic!("panic on {what} (input saved to {})", path.display());
        }
    }
}

/// xorshift64*: a fixed-seed generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, data: &mut Vec<u8>) {
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        if data.is_empty() {
            return;
        }
        let at = rng.below(data.len());
        match rng.below(6) {
            0 => data[at] ^= 1 << rng.below(8),
            1 => data[at] = rng.next() as u8,
            2 => data[at] = [0, 1, 0x7f, 0x80, 0xff][rng.below(5)],
            3 => data.truncate(at),
            4 => {
                let n = rng.below(8).min(data.len() - at);
                data.drain(at..at + n);
            }
            _ => {
                // Overwrite a little-endian word: hits whole instruction fields.
                let w = (rng.next() as u32).to_le_bytes();
                for (k, b) in w.iter().enumerate() {
                    if let Some(slot) = data.get_mut(at + k) {
                        *slot = *b;
                    }
                }
            }
        }
    }
}

const SMALL: &[&str] = &[
    "local a, b = ... return a + b * 2, a .. 'x', {a, b, n = 3}",
    "local t = {} for i = 1, 10 do t[i] = i end local s = 0 \
     for _, v in ipairs(t) do s = s + v end return s",
    "local up = 1 local function f(...) up = up + select('#', ...) return up, ... end \
     return f(1, 2, 3)",
    "local s = 'k' for k, v in pairs({x = 1}) do s = s .. k .. v end \
     while #s < 10 do s = s .. '.' end return s:upper(), 2^0.5, 7 // 2, 1e300 * 10",
];

#[test]
fn every_byte_and_truncation_of_small_dumps() {
    let mut lua = state();
    for (n, src) in SMALL.iter().enumerate() {
        for strip in [false, true] {
            let dump = dump_of(&mut lua, src.as_bytes(), "=small", strip).expect("compiles");
            assert!(try_chunk(&mut lua, &dump, "the unmodified dump"));
            for len in 1..dump.len() {
                let what = format!("small {n} (strip {strip}) truncated to {len}");
                assert!(!try_chunk(&mut lua, &dump[..len], &what), "{what} loaded");
            }
            for at in 0..dump.len() {
                for v in [dump[at] ^ 0x01, dump[at] ^ 0x80, dump[at] ^ 0xff, 0, 0x7f] {
                    let mut m = dump.clone();
                    m[at] = v;
                    let what = format!("small {n} (strip {strip}) byte {at} = {v:#x}");
                    try_chunk(&mut lua, &m, &what);
                }
            }
        }
    }
}

/// The golden corpus's scripts, sorted (the mutation tests' seeds).
fn corpus_scripts() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    files.sort();
    files
}

#[test]
fn random_mutations_of_corpus_dumps() {
    let files = corpus_scripts();
    let mut rng = Rng(0x005E_1E41_7ED0_u64);
    let (mut tried, mut loaded) = (0, 0);
    let mut lua = state();
    for (idx, path) in files.iter().enumerate() {
        // A fresh state now and then keeps garbage from mutants bounded.
        if idx % 50 == 0 {
            lua = state();
        }
        let Ok(src) = std::fs::read(path) else {
            continue;
        };
        let Some(dump) = dump_of(&mut lua, &src, "=corpus", idx % 2 == 0) else {
            continue;
        };
        for round in 0..6 {
            let mut m = dump.clone();
            mutate(&mut rng, &mut m);
            let what = format!("{} mutation {round}", path.display());
            tried += 1;
            loaded += try_chunk(&mut lua, &m, &what) as u32;
        }
    }
    println!("{tried} mutants, {loaded} loaded and ran");
    assert!(tried > 1000, "corpus too small: {tried}");
}

#[test]
fn saved_fuzz_inputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut lua = state();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("load_binary-") {
            let data = std::fs::read(e.path()).expect("read");
            try_chunk(&mut lua, &data, &name);
        }
    }
}

#[test]
fn dumps_round_trip_and_sandbox_refuses_them() {
    let mut lua = state();
    let dump = dump_of(&mut lua, b"return 40 + 2", "=t", false).expect("compiles");
    let f = lua.load(&dump, "=t").expect("loads");
    assert_eq!(f.call::<_, i64>(&mut lua, ()).expect("runs"), 42);
    // The sandbox preset refuses binary chunks and string.dump.
    let mut sb = Lua::sandboxed();
    let err = match sb.load(&dump, "=t") {
        Ok(_) => panic!("the sandbox loaded a binary chunk"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("binary chunks are not supported"), "{err}");
    let r: (bool, String) = sb
        .load("return pcall(string.dump, function() end)", "=t")
        .expect("loads")
        .call(&mut sb, ())
        .expect("runs");
    assert_eq!(r, (false, "unable to dump given function".to_string()));
    // A trusted state accepts them.
    let mut trusted = Lua::new();
    let f = trusted.load(&dump, "=t").expect("trusted loads");
    assert_eq!(f.call::<_, i64>(&mut trusted, ()).expect("runs"), 42);
}

fn count_protos(p: &Proto) -> usize {
    1 + p.protos.iter().map(count_protos).sum::<usize>()
}

/// Runs `f` on the `n`-th prototype of a tree (depth first); false if there is none.
fn with_nth(p: &mut Proto, n: &mut usize, f: &mut dyn FnMut(&mut Proto)) -> bool {
    if *n == 0 {
        f(p);
        return true;
    }
    *n -= 1;
    p.protos.iter_mut().any(|c| with_nth(c, n, f))
}

/// One structural change to a prototype: an instruction field, a size, a flag, a
/// constant, an upvalue descriptor, the code or line info length.
fn mutate_proto(rng: &mut Rng, p: &mut Proto) {
    let ncode = p.code.len();
    match rng.below(10) {
        0..=4 if ncode > 0 => {
            let at = rng.below(ncode);
            let i = p.code[at];
            // Replace one field: opcode (7 bits), A (8), k (1), B (8), C (8), or the whole
            // Bx/sJ range, with an arbitrary or a boundary value.
            let (pos, width) =
                [(0, 7), (7, 8), (15, 1), (16, 8), (24, 8), (15, 17), (7, 25)][rng.below(7)];
            let mask = ((1u64 << width) - 1) as u32;
            let v = match rng.below(4) {
                0 => 0,
                1 => mask,
                2 => (rng.next() as u32) & mask,
                _ => ((i >> pos) & mask).wrapping_add(1) & mask,
            };
            p.code[at] = (i & !(mask << pos)) | (v << pos);
        }
        5 => p.max_stack_size = [0, 1, 2, p.max_stack_size.saturating_sub(1), 255][rng.below(5)],
        6 => {
            p.num_params = rng.next() as u8;
            p.is_vararg = !p.is_vararg;
        }
        7 if !p.constants.is_empty() => {
            let at = rng.below(p.constants.len());
            p.constants[at] = match rng.below(4) {
                0 => Constant::Nil,
                1 => Constant::Int(rng.next() as i64),
                2 => Constant::Float(f64::NAN),
                _ => Constant::Str(b"k".to_vec()),
            };
        }
        8 if !p.upvalues.is_empty() => {
            let at = rng.below(p.upvalues.len());
            let u = &mut p.upvalues[at];
            u.in_stack = !u.in_stack;
            u.index = u.index.wrapping_add(rng.below(3) as u8);
        }
        _ => match rng.below(3) {
            0 => {
                p.code.pop();
            }
            1 => {
                p.line_info.pop();
            }
            _ => p.protos.truncate(p.protos.len().saturating_sub(1)),
        },
    }
}

#[test]
fn structured_mutations_of_corpus_protos() {
    let files = corpus_scripts();
    let mut rng = Rng(0x0BAD_C0DE_1234_5678);
    let (mut tried, mut loaded) = (0u32, 0u32);
    let mut lua = state();
    for (idx, path) in files.iter().enumerate() {
        if idx % 50 == 0 {
            lua = state();
        }
        let Ok(src) = std::fs::read(path) else {
            continue;
        };
        let Ok(proto) = selenite::parser::parse(&src, "=corpus")
            .and_then(|ast| selenite::compiler::compile(&ast, "=corpus"))
        else {
            continue;
        };
        let n = count_protos(&proto);
        for round in 0..20 {
            let mut m = proto.clone();
            let mut which = rng.below(n);
            for _ in 0..1 + rng.below(2) {
                with_nth(&mut m, &mut which, &mut |q| mutate_proto(&mut rng, q));
                which = rng.below(n);
            }
            tried += 1;
            let what = format!("{} structured mutation {round}", path.display());
            let r = catch_unwind(AssertUnwindSafe(|| {
                let env = Value::Table(lua.vm_mut().globals);
                let Ok(f) = lua.vm_mut().load_unverified(&m, env) else {
                    return false;
                };
                lua.vm_mut().set_global("__mutant", f);
                let Ok(call) = lua.load("return __mutant()", "=call") else {
                    return false;
                };
                let used = lua.vm_mut().budget.used();
                lua.vm_mut().budget.instruction_limit = Some(used + INSTRUCTIONS);
                let _ = call.call::<_, LuaValue>(&mut lua, ());
                lua.vm_mut().budget.instruction_limit = None;
                true
            }));
            match r {
                Ok(ok) => loaded += ok as u32,
                Err(_) => panic!("panic on {what}: {m:?}"),
            }
        }
    }
    println!("{tried} structured mutants, {loaded} verified and ran");
    assert!(tried > 1000, "corpus too small: {tried}");
}
