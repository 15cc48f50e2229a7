//! The `selenite` command-line interpreter: runs Lua 5.4 scripts like the `lua` command.
//!
//! ```text
//! selenite [options] [script [args]]
//!   -e stat          execute string 'stat'
//!   -                run standard input
//!   --dump           print the bytecode listing of the script instead of running it
//!   --budget N       run in slices of N instructions (execution control)
//!   --memory-limit B limit the heap to B bytes
//!   --max-instructions N  fail with "instruction limit exceeded" after N instructions
//!   --sandbox        run as an untrusted mod: `Lua::sandboxed()` and an environment of its own
//!   --stats          print run statistics to stderr
//! ```

use std::io::{BufRead, Write};
use std::process::ExitCode;

use selenite::api::{IntoLua, Lua};
use selenite::budget::SliceOutcome;
use selenite::stdlib::base::read_source;
use selenite::{Value, Vm};

struct Options {
    exec: Vec<String>,
    script: Option<String>,
    script_args: Vec<String>,
    /// Index in argv of the script name (for `arg`).
    script_index: usize,
    dump: bool,
    budget: Option<u64>,
    max_instructions: Option<u64>,
    memory_limit: Option<usize>,
    stats: bool,
    gc_stress: u32,
    sandbox: bool,
    interactive: bool,
    version: bool,
}

fn usage(progname: &str, msg: &str) -> ExitCode {
    eprintln!("{progname}: {msg}");
    eprintln!(
        "usage: {progname} [options] [script [args]]\n\
         Available options are:\n  \
         -e stat          execute string 'stat'\n  \
         -i               enter interactive mode after executing 'script'\n  \
         -v               show version information\n  \
         --dump           print the bytecode listing of 'script'\n  \
         --budget N       run in slices of N instructions\n  \
         --max-instructions N  fail after N instructions in total\n  \
         --memory-limit B limit memory to B bytes\n  \
         --stats          print statistics to stderr\n  \
         --gc-stress N    collect garbage at every N-th allocation safepoint\n  \
         --sandbox        run as an untrusted mod (safe libraries, frozen globals)\n  \
         --               stop handling options\n  \
         -                stop handling options and execute stdin"
    );
    ExitCode::FAILURE
}

fn parse_args(argv: &[String]) -> Result<Options, String> {
    let mut o = Options {
        exec: Vec::new(),
        script: None,
        script_args: Vec::new(),
        script_index: 0,
        dump: false,
        budget: None,
        max_instructions: None,
        memory_limit: None,
        stats: false,
        gc_stress: 0,
        sandbox: false,
        interactive: false,
        version: false,
    };
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        match a {
            "-e" => {
                i += 1;
                let s = argv.get(i).ok_or("'-e' needs argument")?;
                o.exec.push(s.clone());
            }
            "-i" => o.interactive = true,
            "-v" => o.version = true,
            "--dump" => o.dump = true,
            "--stats" => o.stats = true,
            "--sandbox" => o.sandbox = true,
            "--gc-stress" => {
                i += 1;
                let n = argv
                    .get(i)
                    .and_then(|s| s.parse().ok())
                    .filter(|&n: &u32| n > 0);
                o.gc_stress = n.ok_or("'--gc-stress' needs a positive interval")?;
            }
            "--budget" => {
                i += 1;
                let n = argv
                    .get(i)
                    .and_then(|s| s.parse().ok())
                    .filter(|&n: &u64| n > 0);
                o.budget = Some(n.ok_or("'--budget' needs a positive integer")?);
            }
            "--max-instructions" => {
                i += 1;
                let n = argv.get(i).and_then(|s| s.parse().ok());
                o.max_instructions = Some(n.ok_or("'--max-instructions' needs a count")?);
            }
            "--memory-limit" => {
                i += 1;
                let n = argv.get(i).and_then(|s| s.parse().ok());
                o.memory_limit = Some(n.ok_or("'--memory-limit' needs a byte count")?);
            }
            "--" => {
                i += 1;
                break;
            }
            "-" => break,
            _ if a.starts_with('-') => return Err(format!("unrecognized option '{a}'")),
            _ => break,
        }
        i += 1;
    }
    if i < argv.len() {
        o.script = Some(argv[i].clone());
        o.script_index = i;
        o.script_args = argv[i + 1..].to_vec();
    }
    Ok(o)
}

fn report(vm: &mut Vm, progname: &str, e: &selenite::LuaError) {
    // As lua.c's message handler: an error object with `__tostring` prints through it.
    let mut msg = e.message();
    if !matches!(e.value, Value::Str(_) | Value::Int(_) | Value::Float(_))
        && !vm.meta_field(e.value, "__tostring").is_nil()
    {
        if let Ok(Value::Str(s)) = vm.tostring(e.value) {
            msg = s.to_str_lossy().into_owned();
        }
    }
    let _ = std::io::stdout().flush();
    eprintln!("{progname}: {msg}");
    if let Some(tb) = &e.traceback {
        eprintln!("{tb}");
    }
}

/// Runs a chunk, in slices of `budget` instructions when one is given; returns the
/// number of slices used.
fn run_chunk(
    vm: &mut Vm,
    f: Value,
    args: &[Value],
    budget: Option<u64>,
) -> Result<u64, selenite::LuaError> {
    let Some(b) = budget else {
        return vm.call_function(f, args).map(|_| 1);
    };
    let mut slices = 1;
    let mut outcome = vm.call_sliced(f, args, b)?;
    while let SliceOutcome::OutOfBudget = outcome {
        slices += 1;
        outcome = vm.resume_slice(b)?;
    }
    Ok(slices)
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let progname = argv
        .first()
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .unwrap_or_else(|| "selenite".into());
    let opts = match parse_args(&argv) {
        Ok(o) => o,
        Err(msg) => return usage(&progname, &msg),
    };
    // A sandboxed run is exactly how a host runs a mod: the sandbox preset and an
    // environment of its own (`Lua::new_env`); otherwise every library, as `lua`.
    let mut lua = if opts.sandbox {
        Lua::sandboxed()
    } else {
        Lua::new()
    };
    let env_handle = if opts.sandbox {
        match lua.new_env() {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("{progname}: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    // The handle keeps the environment rooted for the whole run.
    let env = match env_handle.clone().map(|e| e.into_lua(&mut lua)) {
        Some(Ok(v)) => v,
        _ => Value::Table(lua.vm().globals),
    };
    let vm: &mut Vm = lua.vm_mut();
    vm.set_memory_limit(opts.memory_limit);
    vm.budget.instruction_limit = opts.max_instructions;
    vm.heap.stress = opts.gc_stress;

    if opts.version {
        println!("Selenite 0.1 (Lua 5.4)");
    }

    // `arg` table: script name at 0, its arguments from 1, interpreter options below 0.
    let argt = vm.new_table();
    let script_index = if opts.script.is_some() {
        opts.script_index
    } else {
        argv.len()
    };
    for (i, a) in argv.iter().enumerate() {
        let idx = i as i64 - script_index as i64;
        let v = vm.new_str(a.as_bytes());
        argt.set(&mut vm.heap, Value::Int(idx), v);
    }
    match env {
        Value::Table(e) if opts.sandbox => {
            let k = vm.new_str(b"arg");
            e.set(&mut vm.heap, k, Value::Table(argt));
        }
        _ => vm.set_global("arg", Value::Table(argt)),
    }

    for stat in &opts.exec {
        let r = vm
            .load_with_env(stat.as_bytes(), "=(command line)", env)
            .and_then(|f| run_chunk(vm, f, &[], opts.budget));
        if let Err(e) = r {
            report(vm, &progname, &e);
            return ExitCode::FAILURE;
        }
    }

    let run_stdin = opts.script.is_none() && argv.iter().any(|a| a == "-");
    if opts.script.is_some() || run_stdin {
        let (src, name) = match read_source(
            vm,
            opts.script
                .as_ref()
                .filter(|s| s.as_str() != "-")
                .map(|s| s.as_bytes().to_vec()),
        ) {
            Ok(x) => x,
            Err(msg) => {
                let _ = std::io::stdout().flush();
                eprintln!("{progname}: {msg}");
                return ExitCode::FAILURE;
            }
        };
        if opts.dump {
            return match selenite::parser::parse(&src, &name)
                .and_then(|ast| selenite::compiler::compile(&ast, &name))
            {
                Ok(p) => {
                    print!("{}", selenite::disasm::disassemble(&p));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{progname}: {}", e.message);
                    ExitCode::FAILURE
                }
            };
        }
        let args: Vec<Value> = opts
            .script_args
            .iter()
            .map(|a| vm.new_str(a.as_bytes()))
            .collect();
        let r = vm
            .load_with_env(&src, &name, env)
            .and_then(|f| run_chunk(vm, f, &args, opts.budget));
        vm.close_state();
        if opts.stats {
            let gc = vm.heap.stats;
            eprintln!("instructions: {}", vm.budget.used());
            eprintln!(
                "gc: {} cycles, {} steps, longest step {:.3} ms, total {:.3} ms",
                gc.cycles,
                gc.steps,
                gc.longest_step.as_secs_f64() * 1e3,
                gc.total.as_secs_f64() * 1e3
            );
            if let Ok(slices) = &r {
                if opts.budget.is_some() {
                    eprintln!("slices: {slices}");
                }
            }
        }
        if let Err(e) = r {
            report(vm, &progname, &e);
            return ExitCode::FAILURE;
        }
        if !opts.interactive {
            return ExitCode::SUCCESS;
        }
    } else if !opts.exec.is_empty() && !opts.interactive {
        return ExitCode::SUCCESS;
    }
    repl(vm, &progname, env);
    ExitCode::SUCCESS
}

/// The interactive prompt: each line is run as a statement, or as `return line` first so
/// that expressions print their values.
fn repl(vm: &mut Vm, progname: &str, env: Value) {
    println!("Selenite 0.1 (Lua 5.4)  -- type Ctrl-D to exit");
    let stdin = std::io::stdin();
    let mut pending = String::new();
    loop {
        print!("{}", if pending.is_empty() { "> " } else { ">> " });
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => {
                println!();
                return;
            }
            Ok(_) => {}
        }
        pending.push_str(&line);
        let as_expr = format!("return {pending}");
        let f = match vm.load_with_env(as_expr.as_bytes(), "=stdin", env) {
            Ok(f) => f,
            Err(_) => match vm.load_with_env(pending.as_bytes(), "=stdin", env) {
                Ok(f) => f,
                Err(e) => {
                    if e.message().ends_with("<eof>") {
                        continue; // incomplete statement: read more lines
                    }
                    eprintln!("{progname}: {}", e.message());
                    pending.clear();
                    continue;
                }
            },
        };
        pending.clear();
        match vm.call_function(f, &[]) {
            Ok(vals) if !vals.is_empty() => {
                let print = vm.get_global("print");
                if let Err(e) = vm.call_function(print, &vals) {
                    eprintln!("{progname}: {}", e.message());
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("{progname}: {}", e.message()),
        }
    }
}
