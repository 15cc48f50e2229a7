//! Hostile scripts (`tests/hostile/*.lua`), each run as an untrusted mod: in one shared
//! `Lua::sandboxed()` state, in an environment of its own, under an instruction limit and a
//! 64 MiB memory limit, with a watchdog that interrupts it after 30 s (which fails the
//! test: every script must be stopped by the VM's own limits).
//!
//! Each script starts with its expected outcome:
//!
//! ```text
//! -- expect: ok
//! -- expect: error "instruction limit exceeded"      (message, after any "chunk:line: ")
//! -- expect: error-contains "read-only table"
//! -- limit: 2000000000                               (optional: instruction limit)
//! ```
//!
//! After each script the test checks that memory is back under the limit and near the
//! baseline, that the same state runs a new script, and that a sentinel script's
//! environment, set up before all the others, is unaffected.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use selenite::api::{Error, Lua, Table};

const MEMORY_LIMIT: usize = 64 << 20;
const DEFAULT_INSTRUCTIONS: u64 = 20_000_000;
const WATCHDOG: Duration = Duration::from_secs(30);

#[derive(Debug)]
enum Expect {
    Ok,
    Error(String),
    ErrorContains(String),
}

fn quoted(s: &str) -> String {
    s.trim()
        .trim_start_matches('"')
        .trim_end_matches('"')
        .to_string()
}

fn header(src: &str) -> (Expect, Option<u64>) {
    let mut expect = None;
    let mut limit = None;
    for line in src.lines().take_while(|l| l.starts_with("--")) {
        let l = line.trim_start_matches('-').trim();
        if let Some(e) = l.strip_prefix("expect:") {
            let e = e.trim();
            expect = Some(if e == "ok" {
                Expect::Ok
            } else if let Some(m) = e.strip_prefix("error-contains") {
                Expect::ErrorContains(quoted(m))
            } else if let Some(m) = e.strip_prefix("error") {
                Expect::Error(quoted(m))
            } else {
                panic!("bad expect header: {line}")
            });
        } else if let Some(n) = l.strip_prefix("limit:") {
            limit = Some(n.trim().parse().expect("limit: N"));
        }
    }
    (expect.expect("missing '-- expect:' header"), limit)
}

fn message(e: &Error) -> String {
    match e {
        Error::Runtime { message, .. } => message.clone(),
        Error::Syntax { message } => message.clone(),
        other => other.to_string(),
    }
}

/// Strips a leading "chunk:line: " from a message.
fn strip_position(m: &str) -> &str {
    if let Some((pos, rest)) = m.split_once(": ") {
        if pos
            .rsplit(':')
            .next()
            .is_some_and(|l| l.parse::<u32>().is_ok())
        {
            return rest;
        }
    }
    m
}

/// Runs `f` under the watchdog; returns its result and whether the watchdog fired.
fn with_watchdog<R>(lua: &mut Lua, f: impl FnOnce(&mut Lua) -> R) -> (R, bool, Duration) {
    let flag = lua.vm().interrupt_handle();
    let fired = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<()>();
    let fired2 = fired.clone();
    let dog = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(WATCHDOG) {
            fired2.store(true, Ordering::SeqCst);
            flag.store(true, Ordering::SeqCst);
        }
    });
    let start = Instant::now();
    let r = f(lua);
    let took = start.elapsed();
    let _ = tx.send(());
    dog.join().expect("watchdog thread");
    (r, fired.load(Ordering::SeqCst), took)
}

fn run_in(lua: &mut Lua, src: &str, name: &str, env: &Table) -> Result<(), Error> {
    let f = lua.load_in(src, name, env)?;
    f.call::<_, ()>(lua, ())
}

fn set_limit(lua: &mut Lua, n: u64) {
    let used = lua.vm().budget.used();
    lua.vm_mut().budget.instruction_limit = Some(used.saturating_add(n));
}

#[test]
fn hostile_scripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/hostile")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lua"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 40, "only {} hostile scripts", paths.len());

    let mut lua = Lua::sandboxed();
    lua.vm_mut().set_memory_limit(Some(MEMORY_LIMIT));
    lua.set_print_hook(|_| {});

    // The sentinel: another mod's environment that no hostile script may touch.
    let sentinel = lua.new_env().expect("env");
    run_in(
        &mut lua,
        "marker = 42 function check() return marker end",
        "@sentinel.lua",
        &sentinel,
    )
    .expect("sentinel");
    lua.collect_garbage();
    let baseline = lua.used_memory();

    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let src = std::fs::read_to_string(path).expect("read script");
        let (expect, limit) = header(&src);
        set_limit(&mut lua, limit.unwrap_or(DEFAULT_INSTRUCTIONS));
        let env = lua.new_env().expect("env");
        let chunk = format!("@hostile/{name}");
        let (r, fired, took) = with_watchdog(&mut lua, |lua| run_in(lua, &src, &chunk, &env));
        let got = r.as_ref().map(|_| ()).map_err(message);
        drop(r);
        drop(env);
        let mut problems = Vec::new();
        if fired {
            problems.push(format!("watchdog fired after {took:?}"));
        }
        let ok = match (&expect, &got) {
            (Expect::Ok, Ok(())) => true,
            (Expect::Error(m), Err(e)) => strip_position(e) == m,
            (Expect::ErrorContains(m), Err(e)) => e.contains(m.as_str()),
            _ => false,
        };
        if !ok {
            let shown = match &got {
                Ok(()) => "ok".to_string(),
                Err(e) => format!("error {:?}", e.chars().take(200).collect::<String>()),
            };
            problems.push(format!("expected {expect:?}, got {shown}"));
        }
        let peak = lua.used_memory();
        if peak > MEMORY_LIMIT + (1 << 20) {
            problems.push(format!("memory {peak} over the limit"));
        }
        lua.collect_garbage();
        let after = lua.used_memory();
        if after > baseline + (8 << 20) {
            problems.push(format!(
                "memory not released: {after} bytes after, {baseline} before"
            ));
        }
        // The same state runs the next script, and the sentinel is intact.
        lua.vm_mut().budget.instruction_limit = None;
        let fresh = lua.new_env().expect("env");
        let two: Result<i64, Error> = lua
            .load_in("return 1 + 1", "@after.lua", &fresh)
            .and_then(|f| f.call(&mut lua, ()));
        if !matches!(two, Ok(2)) {
            problems.push(format!("state unusable afterwards: {two:?}"));
        }
        let intact: Result<bool, Error> = lua
            .load_in(
                "return marker == 42 and check() == 42 and string.rep('a', 3) == 'aaa' \
                 and getmetatable('').__index == string and type(print) == 'function' \
                 and rawget(_G, 'marker') == nil",
                "@sentinel_check.lua",
                &sentinel,
            )
            .and_then(|f| f.call(&mut lua, ()));
        if !matches!(intact, Ok(true)) {
            problems.push(format!("sentinel environment affected: {intact:?}"));
        }
        if problems.is_empty() {
            eprintln!("{name}: {took:?} ok");
        } else {
            eprintln!("{name}: {took:?} FAILED: {}", problems.join("; "));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile scripts failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

#[test]
fn an_interrupt_caught_by_pcall_is_raised_again() {
    let mut lua = Lua::sandboxed();
    let flag = lua.vm().interrupt_handle();
    let env = lua.new_env().expect("env");
    let dog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        flag.store(true, Ordering::SeqCst);
    });
    let src = "local caught = 0\n\
               while true do\n\
                 local ok, e = pcall(function() while true do end end)\n\
                 caught = caught + 1\n\
               end";
    let r = run_in(&mut lua, src, "@swallow.lua", &env);
    dog.join().expect("thread");
    let e = r.expect_err("the interrupt must end the run");
    assert_eq!(strip_position(&message(&e)), "interrupted");
    // The next run starts clean.
    let two: i64 = lua
        .load_in("return 1 + 1", "@after.lua", &env)
        .and_then(|f| f.call(&mut lua, ()))
        .expect("state usable");
    assert_eq!(two, 2);
}
