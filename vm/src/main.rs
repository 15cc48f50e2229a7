//! The `selenite` command-line interpreter: runs Lua 5.4 scripts like the `lua` command.
//!
//! ```text
//! selenite [options] [script [args]]
//!   -e stat          execute string 'stat'
//!   -i               enter interactive mode after executing 'script'
//!   -l name          require library 'name' into global 'name'
//!   -v               show version information
//!   -E               ignore environment variables (LUA_INIT, LUA_PATH, LUA_CPATH)
//!   -W               turn warnings on
//!   --               stop handling options
//!   -                run standard input
//!   --dump           print the bytecode listing of the script instead of running it
//!   --budget N       run in slices of N instructions (execution control)
//!   --memory-limit B limit the heap to B bytes
//!   --stats          print run statistics to stderr
//! ```

// Script input and command-line arguments must not panic the interpreter.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use selenite::budget::SliceOutcome;
use selenite::stdlib::base::read_source;
use selenite::{IntoLua, Lua, Value, Vm};

/// A `-e`, `-l` or `-W` option, run in command-line order after `LUA_INIT`.
enum Action {
    Exec(String),
    Lib(String),
    Warn,
}

struct Options {
    actions: Vec<Action>,
    script: Option<String>,
    script_args: Vec<String>,
    /// Index in argv of the script name (for `arg`); `argv.len()` when there is none.
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
    has_exec: bool,
    no_env: bool,
}

/// A bad command line: the message after "progname: ".
fn usage(progname: &str, msg: &str) -> ExitCode {
    eprintln!("{progname}: {msg}");
    eprintln!(
        "usage: {progname} [options] [script [args]]\n\
         Available options are:\n  \
         -e stat   execute string 'stat'\n  \
         -i        enter interactive mode after executing 'script'\n  \
         -l name   require library 'name' into global 'name'\n  \
         -v        show version information\n  \
         -E        ignore environment variables\n  \
         -W        turn warnings on\n  \
         --        stop handling options\n  \
         -         stop handling options and execute stdin\n  \
         --dump           print the bytecode listing of 'script'\n  \
         --budget N       run in slices of N instructions\n  \
         --max-instructions N  fail after N instructions in total\n  \
         --memory-limit B limit memory to B bytes\n  \
         --stats          print statistics to stderr\n  \
         --gc-stress N    collect garbage at every N-th allocation safepoint\n  \
         --sandbox        run as an untrusted mod (safe libraries, frozen globals)"
    );
    ExitCode::FAILURE
}

/// `collectargs` of lua.c, plus Selenite's long options.
fn parse_args(argv: &[String]) -> Result<Options, String> {
    let mut o = Options {
        actions: Vec::new(),
        script: None,
        script_args: Vec::new(),
        script_index: argv.len(),
        dump: false,
        budget: None,
        max_instructions: None,
        memory_limit: None,
        stats: false,
        gc_stress: 0,
        sandbox: false,
        interactive: false,
        version: false,
        has_exec: false,
        no_env: false,
    };
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if !a.starts_with('-') {
            break;
        }
        match a {
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
            "-E" => o.no_env = true,
            "-W" => o.actions.push(Action::Warn),
            "-i" => {
                o.interactive = true;
                o.version = true;
            }
            "-v" => o.version = true,
            _ if a.starts_with("-e") || a.starts_with("-l") => {
                let arg = if a.len() > 2 {
                    a[2..].to_string()
                } else {
                    i += 1;
                    match argv.get(i) {
                        Some(x) if !x.starts_with('-') => x.clone(),
                        _ => return Err(format!("'{a}' needs argument")),
                    }
                };
                if a.starts_with("-e") {
                    o.has_exec = true;
                    o.actions.push(Action::Exec(arg));
                } else {
                    o.actions.push(Action::Lib(arg));
                }
            }
            _ => return Err(format!("unrecognized option '{a}'")),
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

const VERSION: &str = "Selenite 0.1 (Lua 5.4)";

/// Runs a chunk of source text (`dostring`); reports an error and returns false.
fn do_string(vm: &mut Vm, progname: &str, src: &[u8], name: &str, budget: Option<u64>) -> bool {
    let r = vm
        .load(src, name)
        .and_then(|f| run_chunk(vm, f, &[], budget));
    match r {
        Ok(_) => true,
        Err(e) => {
            report(vm, progname, &e);
            false
        }
    }
}

/// `-l name`: `name = require("name")`.
fn do_library(vm: &mut Vm, progname: &str, name: &str) -> bool {
    let req = vm.get_global("require");
    let n = vm.new_str(name.as_bytes());
    match vm.call_function(req, &[n]) {
        Ok(r) => {
            let v = r.first().copied().unwrap_or(Value::Nil);
            vm.set_global(name, v);
            true
        }
        Err(e) => {
            report(vm, progname, &e);
            false
        }
    }
}

/// `LUA_INIT_5_4` or `LUA_INIT`: a chunk of code, or `@file` to run a file.
fn handle_luainit(vm: &mut Vm, progname: &str, budget: Option<u64>) -> bool {
    let (name, init) = match std::env::var_os("LUA_INIT_5_4") {
        Some(v) => ("=LUA_INIT_5_4", v),
        None => match std::env::var_os("LUA_INIT") {
            Some(v) => ("=LUA_INIT", v),
            None => return true,
        },
    };
    use std::os::unix::ffi::OsStrExt;
    let init = init.as_bytes().to_vec();
    if let Some(file) = init.strip_prefix(b"@") {
        let (src, chunk) = match read_source(vm, Some(file.to_vec())) {
            Ok(x) => x,
            Err(msg) => {
                let _ = std::io::stdout().flush();
                eprintln!("{progname}: {msg}");
                return false;
            }
        };
        return do_string(vm, progname, &src, &chunk, budget);
    }
    do_string(vm, progname, &init, name, budget)
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let progname = argv
        .first()
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "selenite".into());
    let opts = match parse_args(&argv) {
        Ok(o) => o,
        Err(msg) => return usage(&progname, &msg),
    };
    if opts.version {
        println!("{VERSION}");
    }
    // A sandboxed run is exactly how a host runs a mod: the sandbox preset (frozen
    // library) and an environment of its own, which becomes the globals of this run.
    let mut lua = if opts.sandbox {
        Lua::sandboxed()
    } else {
        let mut vm = Vm::new();
        if opts.no_env {
            let reg = vm.registry;
            vm.set_field(reg, selenite::stdlib::package::NOENV_KEY, Value::Bool(true));
        }
        selenite::stdlib::open_trusted(&mut vm);
        Lua::from_vm(vm)
    };
    if opts.sandbox {
        let env = match lua.new_env().and_then(|e| e.into_lua(&mut lua)) {
            Ok(Value::Table(t)) => t,
            Ok(_) => return usage(&progname, "cannot create the sandbox environment"),
            Err(e) => {
                eprintln!("{progname}: {e}");
                return ExitCode::FAILURE;
            }
        };
        lua.vm_mut().globals = env;
    }
    let vm: &mut Vm = lua.vm_mut();
    vm.set_memory_limit(opts.memory_limit);
    vm.budget.instruction_limit = opts.max_instructions;
    vm.heap.stress = opts.gc_stress;

    // `arg` table: script name at 0, its arguments from 1, interpreter and options below
    // 0; without a script, the program name is at 0 and the options follow it.
    let argt = vm.new_table();
    let script_index = if opts.script.is_some() {
        opts.script_index
    } else {
        0
    };
    for (i, a) in argv.iter().enumerate() {
        let idx = i as i64 - script_index as i64;
        let v = vm.new_str(a.as_bytes());
        argt.set(&mut vm.heap, Value::Int(idx), v);
    }
    vm.set_global("arg", Value::Table(argt));

    if !opts.no_env && !handle_luainit(vm, &progname, opts.budget) {
        return ExitCode::FAILURE;
    }
    for action in &opts.actions {
        let ok = match action {
            Action::Exec(stat) => do_string(
                vm,
                &progname,
                stat.as_bytes(),
                "=(command line)",
                opts.budget,
            ),
            Action::Lib(name) => do_library(vm, &progname, name),
            Action::Warn => {
                selenite::stdlib::warn::warning(vm, b"@on", false);
                true
            }
        };
        if !ok {
            return ExitCode::FAILURE;
        }
    }

    let no_args = opts.script.is_none() && !opts.has_exec && !opts.version;
    let run_stdin = no_args && !std::io::stdin().is_terminal();
    if opts.script.is_some() || run_stdin {
        // "-" is standard input unless it follows "--".
        let fname = opts.script.as_ref().filter(|s| {
            s.as_str() != "-" || (opts.script_index > 0 && argv[opts.script_index - 1] == "--")
        });
        let (src, name) = match read_source(vm, fname.map(|s| s.as_bytes().to_vec())) {
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
            .load(&src, &name)
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
    }
    if opts.interactive {
        repl(vm, &progname);
    } else if no_args && !run_stdin {
        println!("{VERSION}");
        repl(vm, &progname);
    }
    ExitCode::SUCCESS
}

/// The interactive prompt: each line is run as a statement, or as `return line` first so
/// that expressions print their values.
fn repl(vm: &mut Vm, progname: &str) {
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
        let f = match vm.load(as_expr.as_bytes(), "=stdin") {
            Ok(f) => f,
            Err(_) => match vm.load(pending.as_bytes(), "=stdin") {
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
