#!/usr/bin/env bash
# Differential test against the reference interpreter: generates N programs with the
# deterministic generator (vm/tests/common/gen.rs through vm/examples/genlua.rs, the same
# one `cargo test -p selenite --test generator` uses), runs each with lua5.4 and with
# selenite, and compares stdout and exit status. Every mismatch is saved as a golden
# script vm/tests/lua/gen_<seed>.lua with the expected output (.out, and .err when lua5.4
# fails) made by scripts/regen-golden.sh, and listed in vm/tests/known_failures.txt so
# that `cargo test --test golden` stays green until the VM bug is fixed (then remove the
# line).
#
#   scripts/difftest.sh [N=200] [SEED=1]
#
# SEL_ARGS="--budget 3 --gc-stress 2" runs selenite with extra flags (slices, GC stress).
set -euo pipefail
N="${1:-200}"
SEED="${2:-1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
LUA="${LUA:-lua5.4}"
command -v "$LUA" >/dev/null || { echo "difftest: $LUA not found (apt-get install lua5.4)" >&2; exit 2; }
cargo build --release -q -p selenite --bin selenite --example genlua
SEL="$root/target/release/selenite"
GEN="$root/target/release/examples/genlua"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$GEN" "$SEED" "$N" "$work"
mismatches=0
for ((s = SEED; s < SEED + N; s++)); do
  # Same file name for both so that error positions read alike ("p.lua:3:").
  cp "$work/$s.lua" "$work/p.lua"
  (cd "$work" && timeout 20 "$LUA" p.lua > ref.out 2> ref.err; echo $? > ref.rc) || true
  (cd "$work" && timeout 20 "$SEL" ${SEL_ARGS:-} p.lua > sel.out 2> sel.err; echo $? > sel.rc) || true
  if ! cmp -s "$work/ref.out" "$work/sel.out" || ! cmp -s "$work/ref.rc" "$work/sel.rc"; then
    mismatches=$((mismatches + 1))
    name="gen_$s"
    cp "$work/p.lua" "vm/tests/lua/$name.lua"
    scripts/regen-golden.sh "$name.lua" >/dev/null
    grep -qx "$name.lua.*" vm/tests/known_failures.txt 2>/dev/null \
      || echo "$name.lua  # difftest mismatch with lua5.4 (seed $s)" >> vm/tests/known_failures.txt
    echo "MISMATCH seed $s -> vm/tests/lua/$name.lua (exit lua5.4 $(cat "$work/ref.rc"), selenite $(cat "$work/sel.rc"))"
    diff "$work/ref.out" "$work/sel.out" | head -6 || true
    head -n 2 "$work/sel.err" || true
  fi
done
echo "difftest: $N programs from seed $SEED, $((N - mismatches)) passed, $mismatches failed"
[ "$mismatches" -eq 0 ]
