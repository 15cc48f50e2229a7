#!/usr/bin/env bash
# Regenerate the expected outputs of the golden Lua corpus with the reference
# interpreter (Debian's lua5.4, 5.4.4).
#
#   scripts/regen-golden.sh                 # every vm/tests/lua/*.lua
#   scripts/regen-golden.sh foo.lua bar     # only the named scripts
#
# For each X.lua (run from inside vm/tests/lua, so chunk names read "X.lua:N:"):
#   X.out  = stdout, byte for byte
#   X.err  = only when lua5.4 exits non-zero: the FIRST line of stderr with the
#            leading "lua5.4: " removed (tracebacks are not compared)
# Scripts that exit 0 get no X.err (a stale one is removed).
# Can be run from any directory. Override the corpus directory with
# GOLDEN_DIR=/path and the interpreter with LUA=/path/to/lua5.4.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${GOLDEN_DIR:-$repo_root/vm/tests/lua}"
LUA="${LUA:-lua5.4}"

if ! command -v "$LUA" >/dev/null 2>&1; then
  echo "regen-golden: $LUA not found, installing lua5.4 with apt-get" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq lua5.4 >/dev/null
fi

cd "$dir"

scripts=()
if [ "$#" -gt 0 ]; then
  for a in "$@"; do
    a="$(basename "$a")"
    case "$a" in *.lua) ;; *) a="$a.lua" ;; esac
    if [ ! -f "$a" ]; then echo "regen-golden: no such script: $dir/$a" >&2; exit 2; fi
    scripts+=("$a")
  done
else
  while IFS= read -r f; do scripts+=("$f"); done < <(LC_ALL=C ls -1 -- *.lua)
fi

tmp_err="$(mktemp)"
trap 'rm -f "$tmp_err"' EXIT
n_ok=0; n_err=0
for f in "${scripts[@]}"; do
  base="${f%.lua}"
  set +e
  timeout 60 "$LUA" "$f" > "$base.out" 2> "$tmp_err" < /dev/null
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    rm -f "$base.err"
    n_ok=$((n_ok + 1))
  else
    if [ "$rc" -eq 124 ]; then echo "regen-golden: $f timed out" >&2; fi
    head -n 1 "$tmp_err" | sed -e 's/^lua5\.4: //' -e 's/^lua: //' > "$base.err"
    n_err=$((n_err + 1))
  fi
done
echo "regen-golden: ${#scripts[@]} scripts (${n_ok} exit 0, ${n_err} with .err) in $dir"
