#!/usr/bin/env bash
# Collector cost on binary-trees, selenite against lua5.4, side by side.
#
#   scripts/bench-gc.sh [DEPTH=14] [RUNS=5]
#
# Each interpreter runs vm/benches/lua/binary_trees.lua at DEPTH, RUNS times interleaved,
# with the collector running and with it stopped (`collectgarbage("stop")` first). Printed
# per interpreter: median wall seconds both ways, their difference (the collector's net
# cost: negative when collecting pays for itself, a small heap staying in cache), and the
# peak RSS; then the ratios selenite / lua5.4, and selenite's own `--stats` account of its
# collector (total time and longest step; lua5.4 has no such counter, so its collector
# time is only visible through the difference). Installs lua5.4 if missing.
set -euo pipefail
depth="${1:-14}"
runs="${2:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v lua5.4 >/dev/null || { apt-get update -qq && apt-get install -y -qq lua5.4; }
cargo build --release -p selenite >/dev/null 2>&1 || { echo "bench-gc: build failed" >&2; exit 1; }
sel="$root/target/release/selenite"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bench="$root/vm/benches/lua/binary_trees.lua"
printf 'arg = {%s}\ndofile("%s")\n' "$depth" "$bench" > "$tmp/on.lua"
printf 'collectgarbage("stop")\narg = {%s}\ndofile("%s")\n' "$depth" "$bench" > "$tmp/off.lua"

# One timed run: prints "seconds max_rss_kb".
timed() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }

for ((i = 0; i < runs; i++)); do
  for mode in on off; do
    timed lua5.4 "$tmp/$mode.lua" >> "$tmp/lua.$mode"
    timed "$sel" "$tmp/$mode.lua" >> "$tmp/sel.$mode"
  done
  "$sel" --stats "$tmp/on.lua" 2>&1 >/dev/null | grep '^gc:' >> "$tmp/sel.stats"
done

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
col() { awk -v c="$2" '{print $c}' "$1" | median; }

printf 'binary-trees depth %s, %s runs each, medians\n\n' "$depth" "$runs"
printf '%-10s %10s %12s %12s %12s\n' interpreter "gc on (s)" "gc off (s)" "on - off (s)" "peak RSS MB"
for who in lua sel; do
  on="$(col "$tmp/$who.on" 1)"
  off="$(col "$tmp/$who.off" 1)"
  rss="$(col "$tmp/$who.on" 2)"
  name=$([ "$who" = lua ] && echo lua5.4 || echo selenite)
  awk -v n="$name" -v on="$on" -v off="$off" -v rss="$rss" \
    'BEGIN {printf "%-10s %10.2f %12.2f %12.2f %12.1f\n", n, on, off, on - off, rss / 1024}'
  eval "${who}_on=$on ${who}_rss=$rss"
done
awk -v a="$sel_on" -v b="$lua_on" -v c="$sel_rss" -v d="$lua_rss" \
  'BEGIN {printf "\nratio selenite / lua5.4: wall time with the collector %.2f, peak RSS %.2f\n", a / b, c / d}'
total="$(sed -E 's/.*total ([0-9.]+) ms.*/\1/' "$tmp/sel.stats" | median)"
longest="$(sed -E 's/.*longest step ([0-9.]+) ms.*/\1/' "$tmp/sel.stats" | median)"
printf 'selenite --stats (median): collector total %s ms, longest step %s ms\n' "$total" "$longest"
