#!/usr/bin/env bash
# Runs the cargo-fuzz targets (fuzz/): parse_compile, exec_sandbox, serde_value, manifest,
# load_binary.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS=600] [JOBS=1]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Only a stable toolchain is installed, so
# the sanitizer flags cargo-fuzz passes (-Zsanitizer=address) are enabled with
# RUSTC_BOOTSTRAP=1. Seeds for parse_compile/exec_sandbox come from vm/tests/lua/*.lua,
# for manifest from assets/mods/*/mod.ron and the example in the manifest module's docs,
# for load_binary `string.dump`s of the corpus scripts (plain and stripped).
# A crash, timeout or leak leaves its input in fuzz/artifacts/<target>/. For parse_compile
# and exec_sandbox copy it to vm/tests/fuzz_regressions/<target>-<what>.lua so that
# `cargo test -p selenite --test fuzz_regressions` replays it forever (both targets' paths
# run on every file there); for serde_value and manifest turn it into a unit test next to
# the code (api_serde.rs, engine_plugin/src/mods/manifest.rs); load_binary inputs go to
# vm/tests/fuzz_regressions/load_binary-<what>.bin (replayed by tests/dump_mutations.rs).
# The last "#N ... DONE cov: ..." line of each run is its execution count and coverage.
set -euo pipefail
target="${1:-all}"
secs="${2:-600}"
jobs="${3:-1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
targets=(parse_compile exec_sandbox serde_value manifest load_binary)
[ "$target" != all ] && targets=("$target")
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  if [ "$t" = manifest ]; then
    # Seeds: the shipped mod manifests and the example at the top of manifest.rs.
    n=0
    for f in "$root"/assets/mods/*/mod.ron; do cp "$f" "corpus/$t/seed$((n++)).ron"; done
    sed -n 's|^//! \{0,1\}||; /^```ron$/,/^```$/p' "$root/engine_plugin/src/mods/manifest.rs" \
      | grep -v '^```' > "corpus/$t/doc.ron"
  elif [ "$t" = load_binary ]; then
    (cd "$root" && cargo build -q -p selenite --bin selenite)
    seed="$(mktemp --suffix=.lua)"
    cat > "$seed" <<'LUA'
local out = arg[1]
for path in io.lines() do
  local f = loadfile(path)
  if f then
    for _, strip in ipairs({false, true}) do
      local name = out .. "/" .. path:match("([^/]+)%.lua$") .. (strip and ".s" or "") .. ".bin"
      local h = assert(io.open(name, "wb"))
      h:write(string.dump(f, strip))
      h:close()
    end
  end
end
LUA
    find "$root/vm/tests/lua" -name '*.lua' -size -4k | sort \
      | "$root/target/debug/selenite" "$seed" "corpus/$t"
    rm -f "$seed"
  elif [ "$t" != serde_value ]; then
    for f in "$root"/vm/tests/lua/*.lua; do
      [ "$(stat -c %s "$f")" -lt 4000 ] && cp -n "$f" "corpus/$t/" || true
    done
  fi
  echo "== $t for ${secs}s"
  # libFuzzer's -jobs mode sends each job's output to fuzz-N.log; one job runs in-process
  # so that its statistics land in the log below.
  par=()
  [ "$jobs" -gt 1 ] && par=(-jobs="$jobs" -workers="$jobs")
  cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -timeout=30 \
    -rss_limit_mb=4096 -max_len=4096 -print_final_stats=1 "${par[@]}" 2>&1 \
    | tee "/tmp/fuzz-$t.log" | grep -E "^#[0-9]+.*(pulse|DONE)|ERROR|SUMMARY|Test unit" || true
  grep -E "^#[0-9]+" "/tmp/fuzz-$t.log" | tail -n 1
done
