#!/usr/bin/env bash
# Differential test against the reference interpreter: generates N programs with the
# deterministic generator (examples/genlua.rs, the same one `cargo test --test generator`
# uses), runs each with lua5.4 and with selenite, and compares stdout and exit status.
# Every mismatch is saved as a golden script vm/tests/lua/gen_<seed>_<n>.lua with its
# expected output made by scripts/regen-golden.sh.
#
#   scripts/difftest.sh [N=200] [SEED=1]
set -euo pipefail
N="${1:-200}"
SEED="${2:-1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
LUA="${LUA:-lua5.4}"
command -v "$LUA" >/dev/null || { echo "difftest: $LUA not found (apt-get install lua5.4)" >&2; exit 2; }
cargo build --release -q -p selenite --bin selenite
cargo build --release -q --example genlua
SEL="$root/target/release/selenite"
GEN="$root/target/release/examples/genlua"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mismatches=0
for ((i = 0; i < N; i++)); do
  s=$((SEED + i))
  "$GEN" "$s" > "$work/p.lua"
  (cd "$work" && "$LUA" p.lua > ref.out 2> ref.err; echo $? > ref.rc) || true
  (cd "$work" && "$SEL" p.lua > sel.out 2> sel.err; echo $? > sel.rc) || true
  if ! cmp -s "$work/ref.out" "$work/sel.out" || ! cmp -s "$work/ref.rc" "$work/sel.rc"; then
    mismatches=$((mismatches + 1))
    name="gen_${SEED}_${i}"
    cp "$work/p.lua" "vm/tests/lua/$name.lua"
    scripts/regen-golden.sh "$name.lua" >/dev/null
    echo "MISMATCH seed $s -> vm/tests/lua/$name.lua"
    diff "$work/ref.out" "$work/sel.out" | head -5 || true
  fi
done
echo "difftest: $N programs from seed $SEED, $((N - mismatches)) passed, $mismatches failed"
[ "$mismatches" -eq 0 ]
