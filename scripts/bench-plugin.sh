#!/usr/bin/env bash
# The plugin benchmark side by side with PUC Lua 5.4 running the same per-entity script
# through a conventional C binding (scripts/bench_plugin_baseline.c, transforms in a C
# array: a lower bound for any Lua-scripted ECS).
#
#   scripts/bench-plugin.sh [ENTITIES=10000] [FRAMES=100] [RUNS=7]
#
# Runs both RUNS times interleaved and prints the median (min-max) ms per frame spent in
# scripts, the native Rust system's time, and the ratios. Installs liblua5.4-dev if
# missing (for the baseline only).
set -euo pipefail
n="${1:-10000}"
frames="${2:-100}"
runs="${3:-7}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ -f /usr/include/lua5.4/lua.h ] || { apt-get update -qq && apt-get install -y -qq liblua5.4-dev; }
cargo build --release -p bevy_selenite --example bench_transform >/dev/null 2>&1 ||
  { echo "bench-plugin: build failed" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/baseline" scripts/bench_plugin_baseline.c -I/usr/include/lua5.4 -llua5.4
for ((i = 0; i < runs; i++)); do
  c=$("$tmp/baseline" "$n" "$frames" | sed -n 's/.*: \([0-9.]*\) ms.*/\1/p')
  out=$(target/release/examples/bench_transform "$n" "$frames")
  s=$(echo "$out" | sed -n 's/^scripts: \([0-9.]*\) ms.*/\1/p')
  r=$(echo "$out" | sed -n 's/^native: *\([0-9.]*\) ms.*/\1/p')
  echo "$c $s $r"
done > "$tmp/times"
python3 - "$tmp/times" "$n" "$frames" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
c, s, r = (sorted(col) for col in zip(*rows))
m = statistics.median
fmt = lambda v: f"{m(v):.2f} ({v[0]:.2f}-{v[-1]:.2f})"
print(f"{sys.argv[2]} entities, {sys.argv[3]} frames, {len(rows)} interleaved runs; ms per frame in scripts:")
print(f"  selenite plugin (Bevy ECS): {fmt(s)}")
print(f"  lua5.4, C binding, C array: {fmt(c)}")
print(f"  native Rust system:         {fmt(r)}")
print(f"ratios of medians: selenite/lua5.4 {m(s)/m(c):.2f}, selenite/native {m(s)/m(r):.0f}, lua5.4/native {m(c)/m(r):.0f}")
PY
