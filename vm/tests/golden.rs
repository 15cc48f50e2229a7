//! Golden corpus runner.
//!
//! Every `vm/tests/lua/X.lua` is run with the `selenite` binary as
//! `selenite [extra args] X.lua`, with `vm/tests/lua` as the current
//! directory (so chunk names read `X.lua:3:` exactly as with `lua5.4`), and:
//!
//! * its stdout must equal `X.out` byte for byte;
//! * its exit status must be zero iff there is no `X.err`;
//! * if `X.err` exists, the first line of stderr, with a leading
//!   `selenite: ` (or `lua5.4: ` / `lua: ` / `<binary path or name>: `) removed, must
//!   equal the (single line) content of `X.err`. Tracebacks are not compared.
//!
//! Each script is killed after 20 s. Scripts run on a few threads. A line is
//! printed per failing script (first differing line, expected vs got), then
//! the summary line `golden: N passed, M failed`; the test fails if M > 0.
//!
//! Environment variables:
//!
//! * `SELENITE_GOLDEN_FILTER=substr` runs only the scripts whose file name
//!   contains `substr`.
//! * `SELENITE_GOLDEN_BIN=/path/to/binary` runs another binary instead of
//!   `selenite`. With `SELENITE_GOLDEN_BIN=/usr/bin/lua5.4` every script must
//!   pass: that is how the corpus and this runner are checked against the
//!   reference interpreter:
//!
//!   ```text
//!   SELENITE_GOLDEN_BIN=/usr/bin/lua5.4 cargo test -p selenite --test golden
//!   ```
//! * `SELENITE_GOLDEN_THREADS=n` sets the number of worker threads.
//!
//! Expected outputs are (re)generated with `scripts/regen-golden.sh`.
//!
//! `run_corpus(dir, extra_args)` is the reusable entry point: other tests can
//! run a second corpus directory, or this one again under extra CLI flags
//! (e.g. `--budget N`, a GC-stress flag); see the `#[test]` functions below.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// Per-script wall-clock limit.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Outcome of running a whole corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusSummary {
    pub passed: usize,
    pub failed: usize,
    /// Failing scripts listed in `known_failures.txt` (not counted as failures).
    pub skipped: usize,
}

/// Scripts that are known not to pass yet, one name per line in
/// `vm/tests/known_failures.txt` (`#` comments allowed). Each entry is a documented gap;
/// a listed script that passes is reported so the entry can be removed.
fn known_failures() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("known_failures.txt");
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Directory of the main golden corpus.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("lua")
}

/// The interpreter under test: `$SELENITE_GOLDEN_BIN` or the `selenite` binary.
pub fn interpreter() -> PathBuf {
    match std::env::var_os("SELENITE_GOLDEN_BIN") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_selenite")),
    }
}

/// Runs every `*.lua` script of `dir` (sorted by name, filtered by
/// `$SELENITE_GOLDEN_FILTER`) as `<interpreter> <extra_args...> X.lua`,
/// prints one line per failure and the summary line, and returns the counts.
pub fn run_corpus(dir: &Path, extra_args: &[&str]) -> CorpusSummary {
    run_corpus_where(dir, extra_args, &|_| true)
}

/// As [`run_corpus`], for the scripts whose name satisfies `include`.
pub fn run_corpus_where(
    dir: &Path,
    extra_args: &[&str],
    include: &dyn Fn(&str) -> bool,
) -> CorpusSummary {
    let bin = interpreter();
    let filter = std::env::var("SELENITE_GOLDEN_FILTER").unwrap_or_default();
    let mut scripts = list_scripts(dir, &filter);
    scripts.retain(|s| include(s));

    let threads = std::env::var("SELENITE_GOLDEN_THREADS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(2, 4)
        })
        .min(scripts.len().max(1));

    let known = known_failures();
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<(), String>>>> =
        scripts.iter().map(|_| Mutex::new(None)).collect();
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= scripts.len() {
                    break;
                }
                if !extra_args.is_empty() && known.iter().any(|k| k == &scripts[i]) {
                    continue;
                }
                let r = check_script(&bin, dir, &scripts[i], extra_args);
                *results[i].lock().unwrap() = Some(r);
            });
        }
    });

    let mut report = String::from("\n");
    let mut summary = CorpusSummary {
        passed: 0,
        failed: 0,
        skipped: 0,
    };
    for (name, r) in scripts.iter().zip(&results) {
        let is_known = known.iter().any(|k| k == name);
        match r.lock().unwrap().take() {
            Some(Ok(())) => {
                summary.passed += 1;
                if is_known {
                    report.push_str(&format!(
                        "NOW PASSING {name}: remove it from known_failures.txt\n"
                    ));
                }
            }
            Some(Err(_)) if is_known => summary.skipped += 1,
            None if is_known => summary.skipped += 1,
            Some(Err(why)) => {
                summary.failed += 1;
                report.push_str(&format!("FAIL {name}: {why}\n"));
            }
            None => {
                summary.failed += 1;
                report.push_str(&format!("FAIL {name}: not run\n"));
            }
        }
    }
    let args_note = if extra_args.is_empty() {
        String::new()
    } else {
        format!(" [{}]", extra_args.join(" "))
    };
    report.push_str(&format!(
        "golden{args_note} corpus {}: {} scripts with {}\n",
        dir.display(),
        scripts.len(),
        bin.display()
    ));
    report.push_str(&format!(
        "golden: {} passed, {} failed, {} skipped\n",
        summary.passed, summary.failed, summary.skipped
    ));
    // Write to the real stdout (not the libtest-captured `print!`) so the
    // failure list and the summary line are visible even without --nocapture.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(report.as_bytes());
    let _ = out.flush();
    summary
}

/// Sorted `*.lua` file names in `dir` whose name contains `filter`.
fn list_scripts(dir: &Path, filter: &str) -> Vec<String> {
    let entries = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read corpus dir {}: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".lua") && n.contains(filter))
        .collect();
    names.sort();
    names
}

struct RunOutput {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs one script and compares it with its expectations.
fn check_script(bin: &Path, dir: &Path, name: &str, extra_args: &[&str]) -> Result<(), String> {
    let stem = name.strip_suffix(".lua").unwrap_or(name);
    let expected_out = fs::read(dir.join(format!("{stem}.out")))
        .map_err(|e| format!("missing {stem}.out ({e}); run scripts/regen-golden.sh"))?;
    let expected_err = match fs::read(dir.join(format!("{stem}.err"))) {
        Ok(bytes) => Some(first_line(&bytes).to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {stem}.err: {e}")),
    };

    let out = run_with_timeout(bin, dir, name, extra_args)?;

    if out.stdout != expected_out {
        return Err(format!(
            "stdout differs: {}",
            first_difference(&expected_out, &out.stdout)
        ));
    }
    match expected_err {
        None => {
            if !out.status.success() {
                return Err(format!(
                    "expected exit status 0, got {}; stderr: {}",
                    describe_status(&out.status),
                    show(first_line(&out.stderr))
                ));
            }
        }
        Some(want) => {
            if out.status.success() {
                return Err(format!(
                    "expected a non-zero exit status (error {}), got 0",
                    show(&want)
                ));
            }
            let got = strip_prefix(first_line(&out.stderr), bin);
            if got != want.as_slice() {
                return Err(format!(
                    "stderr first line differs:\n    expected: {}\n    got:      {}",
                    show(&want),
                    show(got)
                ));
            }
        }
    }
    Ok(())
}

/// Spawns `bin [extra_args] name` in `dir`, collects stdout/stderr, and kills
/// it after [`TIMEOUT`].
fn run_with_timeout(
    bin: &Path,
    dir: &Path,
    name: &str,
    extra_args: &[&str],
) -> Result<RunOutput, String> {
    let mut cmd = Command::new(bin);
    cmd.args(extra_args)
        .arg(name)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Own process group, so that a timeout kills grandchildren too (a wrapper
    // script's children would otherwise keep the pipes open).
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;

    let mut stdout_pipe = child.stdout.take().expect("piped stdout");
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut buf);
        buf
    });

    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {
                if start.elapsed() >= TIMEOUT {
                    kill_group(child.id());
                    let _ = child.kill();
                    let _ = child.wait();
                    // The reader threads are left detached: they end when the
                    // last holder of the pipes is gone.
                    drop(out_reader);
                    drop(err_reader);
                    return Err(format!("timed out after {} s (killed)", TIMEOUT.as_secs()));
                }
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(format!("wait failed: {e}")),
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(RunOutput {
        status,
        stdout,
        stderr,
    })
}

/// Kills the process group led by `pid` (best effort, Unix only).
fn kill_group(pid: u32) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
    }
}

/// First line of `bytes`, without its `\n` (and without a `\r` before it).
fn first_line(bytes: &[u8]) -> &[u8] {
    let line = match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => &bytes[..i],
        None => bytes,
    };
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Removes the interpreter's `progname: ` prefix from an error line.
fn strip_prefix<'a>(line: &'a [u8], bin: &Path) -> &'a [u8] {
    let mut prefixes: Vec<Vec<u8>> = vec![
        b"selenite: ".to_vec(),
        b"lua5.4: ".to_vec(),
        b"lua: ".to_vec(),
    ];
    // Interpreters like lua.c print argv[0], which is the full path here.
    if let Some(full) = bin.to_str() {
        prefixes.push(format!("{full}: ").into_bytes());
    }
    if let Some(stem) = bin.file_name().and_then(|s| s.to_str()) {
        prefixes.push(format!("{stem}: ").into_bytes());
    }
    for p in &prefixes {
        if let Some(rest) = line.strip_prefix(p.as_slice()) {
            return rest;
        }
    }
    line
}

/// A short description of the first differing line of two outputs.
fn first_difference(expected: &[u8], got: &[u8]) -> String {
    let exp_lines: Vec<&[u8]> = expected.split(|&b| b == b'\n').collect();
    let got_lines: Vec<&[u8]> = got.split(|&b| b == b'\n').collect();
    let n = exp_lines.len().max(got_lines.len());
    for i in 0..n {
        let e = exp_lines.get(i);
        let g = got_lines.get(i);
        if e != g {
            let fmt = |l: Option<&&[u8]>| match l {
                Some(l) => show(l),
                None => "<end of output>".to_string(),
            };
            return format!(
                "line {}:\n    expected: {}\n    got:      {}",
                i + 1,
                fmt(e),
                fmt(g)
            );
        }
    }
    // Only reachable if the split views are equal but bytes differ (cannot
    // happen); keep a fallback anyway.
    format!("{} bytes expected, {} bytes got", expected.len(), got.len())
}

/// Debug-quoted, truncated rendering of a line.
fn show(bytes: &[u8]) -> String {
    const MAX: usize = 160;
    let s = String::from_utf8_lossy(bytes);
    let mut q = format!("{s:?}");
    if q.len() > MAX {
        let mut cut = MAX;
        while !q.is_char_boundary(cut) {
            cut -= 1;
        }
        q.truncate(cut);
        q.push_str("...");
    }
    q
}

fn describe_status(status: &ExitStatus) -> String {
    match status.code() {
        Some(c) => format!("exit code {c}"),
        None => format!("{status}"),
    }
}

#[test]
fn golden_corpus() {
    let summary = run_corpus(&corpus_dir(), &[]);
    assert!(
        summary.failed == 0,
        "{} of {} golden scripts failed (see the FAIL lines above)",
        summary.failed,
        summary.passed + summary.failed
    );
}

/// The suspension torture test: every script again in slices of 1, 7, 100 and 10,000
/// instructions; the output must be byte-identical to the unsliced run. Debug builds run
/// the two cheaper budgets only (`SELENITE_ALL_BUDGETS=1` forces all four).
#[test]
fn golden_corpus_under_budgets() {
    let all = !cfg!(debug_assertions) || std::env::var_os("SELENITE_ALL_BUDGETS").is_some();
    let budgets: &[&str] = if all {
        &["1", "7", "100", "10000"]
    } else {
        &["7", "10000"]
    };
    for b in budgets {
        let summary = run_corpus(&corpus_dir(), &["--budget", b]);
        assert!(
            summary.failed == 0,
            "{} golden scripts failed under --budget {b}",
            summary.failed
        );
    }
}

/// The collector stress test: every script with a full collection at every 3rd allocation
/// safepoint, which finds values the collector cannot see (missing roots). Scripts that
/// recurse thousands of levels deep are left out: a full collection per call over a deep
/// stack is quadratic.
#[test]
fn golden_corpus_gc_stress() {
    let summary = run_corpus_where(&corpus_dir(), &["--gc-stress", "3"], &|name| {
        !name.starts_with("recur_")
    });
    assert!(
        summary.failed == 0,
        "{} golden scripts failed under --gc-stress",
        summary.failed
    );
}

/// Behaviour where Selenite deliberately goes beyond lua5.4 (e.g. yields inside `gsub`
/// callbacks and `table.sort` comparators, which lua5.4 refuses): scripts in
/// `tests/lua_selenite/` with expected outputs written by us, run plain and in slices.
#[test]
fn selenite_extension_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("lua_selenite");
    for args in [&[][..], &["--budget", "3"][..], &["--gc-stress", "2"][..]] {
        let summary = run_corpus(&dir, args);
        assert!(
            summary.failed == 0,
            "{} extension scripts failed with {args:?}",
            summary.failed
        );
    }
}
