#!/usr/bin/env bash
# Benchmark suite: runs vm/benches/lua/*.lua with selenite and the reference
# interpreters and prints two plain-text tables (see vm/benches/README.md).
#
#   scripts/bench.sh                      # everything, 3 timed runs each
#   BENCH_RUNS=5 scripts/bench.sh         # 5 timed runs per program and interpreter
#   BENCH_FILTER='fib|nbody' scripts/bench.sh   # only programs whose name matches (grep -E)
#
# Other knobs:
#   BENCH_TIMEOUT=120     seconds before a single run is killed (reported as TIMEOUT)
#   BENCH_BUDGET=10000    slice size for the --budget table; BENCH_BUDGET=0 skips that table
#   BENCH_SKIP_BUILD=1    do not run cargo build (use the existing target/release/selenite)
#   BENCH_ARGS='...'      extra arguments passed to every program (e.g. a smaller size)
#   BENCH_KEEP=dir        keep raw results (results.tsv, outputs) in dir
#
# Table 1: median wall-clock seconds per interpreter, ratio selenite/lua5.4 and
#          the geometric mean of the ratios over programs that ran correctly.
# Table 2: selenite with --budget N vs without, overhead ratio and geometric mean.
# Exit status: non-zero only if the release build fails (or the setup is broken);
# failing benchmark programs are reported in the tables, not through the status.
set -u

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="$repo_root/vm/benches/lua"
RUNS="${BENCH_RUNS:-3}"
FILTER="${BENCH_FILTER:-}"
TIMEOUT="${BENCH_TIMEOUT:-120}"
BUDGET="${BENCH_BUDGET:-10000}"
read -r -a PROG_ARGS <<< "${BENCH_ARGS:-}"

case "$RUNS" in ''|*[!0-9]*|0) echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 2;; esac

# ---------------------------------------------------------------- build
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "== cargo build --release -p selenite"
  if ! (cd "$repo_root" && cargo build --release -p selenite); then
    echo "bench: release build FAILED" >&2
    exit 1
  fi
fi
SELENITE="$repo_root/target/release/selenite"
if [ ! -x "$SELENITE" ]; then
  echo "bench: $SELENITE not found" >&2
  exit 1
fi

# ---------------------------------------------------------------- reference interpreters
if ! command -v lua5.4 >/dev/null 2>&1; then
  echo "== lua5.4 not found, installing it with apt-get"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq lua5.4 >/dev/null
  if ! command -v lua5.4 >/dev/null 2>&1; then
    echo "bench: could not install lua5.4" >&2
    exit 1
  fi
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "bench: python3 is needed for the statistics (scripts/bench_table.py)" >&2
  exit 1
fi

# interpreter columns: name and command line
names=(selenite lua5.4)
cmds=("$SELENITE" "lua5.4")
if command -v luajit >/dev/null 2>&1; then
  names+=("luajit-joff")
  cmds+=("luajit -joff")
fi

# ---------------------------------------------------------------- programs
programs=()
for f in "$bench_dir"/*.lua; do
  p="$(basename "$f" .lua)"
  if [ -n "$FILTER" ] && ! grep -Eq -- "$FILTER" <<< "$p"; then continue; fi
  programs+=("$p")
done
if [ ${#programs[@]} -eq 0 ]; then
  echo "bench: no program matches BENCH_FILTER='$FILTER'" >&2
  exit 2
fi

if [ -n "${BENCH_KEEP:-}" ]; then
  work="$BENCH_KEEP"; mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/selenite-bench.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
results="$work/results.tsv"
: > "$results"

# run_one SECTION PROGRAM COLUMN RUN CMD...
# Runs one program once (from inside bench_dir so chunk names are short),
# records "section program column run microseconds status" in results.tsv.
# status: ok | error | timeout | mismatch (stdout differs from the reference).
declare -A failed    # "section/program/column" -> status, once it failed hard
declare -A reported  # messages already printed
run_one() {
  local section="$1" prog="$2" col="$3" run="$4"; shift 4
  local key="$section/$prog/$col"
  local out="$work/$section.$prog.$col.out" err="$work/$section.$prog.$col.err"
  if [ -n "${failed[$key]:-}" ]; then
    # deterministic failure: do not spend time re-running it
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$section" "$prog" "$col" "$run" "-" "${failed[$key]}" >> "$results"
    return
  fi
  local t0 t1 rc status usecs
  t0=${EPOCHREALTIME//[.,]/}
  (cd "$bench_dir" && timeout "$TIMEOUT" "$@" "$prog.lua" "${PROG_ARGS[@]}") > "$out" 2> "$err"
  rc=$?
  t1=${EPOCHREALTIME//[.,]/}
  usecs=$(( 10#$t1 - 10#$t0 ))
  status=ok
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    status=timeout
    echo "TIMEOUT  $prog [$col]: killed after ${TIMEOUT}s"
    failed[$key]=timeout
  elif [ $rc -ne 0 ]; then
    status=error
    echo "ERROR    $prog [$col]: exit $rc: $(grep -m1 . "$err" | cut -c1-160)"
    failed[$key]=error
  elif [ -f "$ref_out" ] && ! cmp -s "$out" "$ref_out"; then
    status=mismatch
    if [ -z "${reported[$key/mismatch]:-}" ]; then
      reported[$key/mismatch]=1
      echo "MISMATCH $prog [$col]: output differs from $ref_name"
      diff "$ref_out" "$out" | head -n 6 | sed 's/^/           /'
    fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$section" "$prog" "$col" "$run" "$usecs" "$status" >> "$results"
}

ncols=${#names[@]}
echo "== ${#programs[@]} programs, $RUNS runs each, interpreters: ${names[*]}"
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
load_start="$(loadavg)"

# ---------------------------------------------------------------- table 1: interpreters
for prog in "${programs[@]}"; do
  # reference output: one untimed lua5.4 run (also warms the file cache)
  ref_name=lua5.4
  ref_out="$work/ref.$prog.out"
  rm -f "$ref_out"
  if ! (cd "$bench_dir" && timeout "$TIMEOUT" lua5.4 "$prog.lua" "${PROG_ARGS[@]}") > "$ref_out.tmp" 2> "$work/ref.$prog.err"; then
    echo "ERROR    $prog [lua5.4 reference]: $(grep -m1 . "$work/ref.$prog.err" | cut -c1-160)"
    rm -f "$ref_out.tmp"
  else
    mv "$ref_out.tmp" "$ref_out"
  fi
  echo "-- $prog"
  for ((run = 1; run <= RUNS; run++)); do
    # rotate the interpreter order from run to run to spread drift evenly
    for ((k = 0; k < ncols; k++)); do
      i=$(( (k + run - 1) % ncols ))
      read -r -a cmd <<< "${cmds[$i]}"
      run_one interp "$prog" "${names[$i]}" "$run" "${cmd[@]}"
    done
  done
done

# ---------------------------------------------------------------- table 2: --budget overhead
if [ "$BUDGET" != 0 ]; then
  echo "== selenite --budget $BUDGET vs without"
  for prog in "${programs[@]}"; do
    ref_name=lua5.4
    ref_out="$work/ref.$prog.out"
    echo "-- $prog"
    for ((run = 1; run <= RUNS; run++)); do
      if (( run % 2 )); then
        run_one budget "$prog" plain "$run" "$SELENITE"
        run_one budget "$prog" budget "$run" "$SELENITE" --budget "$BUDGET"
      else
        run_one budget "$prog" budget "$run" "$SELENITE" --budget "$BUDGET"
        run_one budget "$prog" plain "$run" "$SELENITE"
      fi
    done
  done
fi

# ---------------------------------------------------------------- report
echo
echo "load average at start: $load_start, at end: $(loadavg) ($(nproc 2>/dev/null || echo ?) CPUs)"
echo
python3 "$repo_root/scripts/bench_table.py" "$results" --runs "$RUNS" --budget "$BUDGET" \
  --columns "${names[@]}" --programs "${programs[@]}"
rc=$?
if [ $rc -ne 0 ]; then
  echo "bench: could not produce the report (bench_table.py exit $rc)" >&2
  exit $rc
fi
exit 0
