#!/usr/bin/env bash
# Runs the collector (the module with the VM's unsafe code) under valgrind's memcheck:
# a GC workout script with collection at every safepoint (--gc-stress 1) and with the
# normal incremental pacing, plus the golden GC scripts. Fails on any memcheck error.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
cargo build -p selenite
bin=target/debug/selenite
run() {
  echo "valgrind: $*"
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$bin" "$@" >/dev/null
}
run vm/tests/valgrind/gc_workout.lua
run --gc-stress 1 vm/tests/valgrind/gc_workout.lua
run --gc-stress 7 --budget 5 vm/tests/valgrind/gc_workout.lua
cd vm/tests/lua
for f in gc_*.lua closure_*.lua co_*.lua; do
  (cd . && valgrind -q --error-exitcode=99 ../../../"$bin" --gc-stress 2 "$f" >/dev/null) || { echo "memcheck failed on $f"; exit 1; }
done
cd ../../..
# Coroutines reset for reuse (the host API) keep their old slots until the collector
# clears them: run those tests under memcheck too.
api=$(cargo test -p selenite --test api_function --no-run 2>&1 | grep -o 'target/debug/deps/api_function-[0-9a-f]*' | head -1)
echo "valgrind: $api reset"
valgrind -q --error-exitcode=99 "$api" reset --test-threads 1 >/dev/null
# The plugin's unsafe module (the lent world and the kept Transform pointer): the test that
# moves a scripted entity's Transform while a script holds it.
reflect=$(cargo test -p bevy_selenite --test plugin_reflect --no-run 2>&1 | grep -o 'target/debug/deps/plugin_reflect-[0-9a-f]*' | head -1)
echo "valgrind: $reflect typed_transform"
valgrind -q --error-exitcode=99 "$reflect" typed_transform --test-threads 1 >/dev/null
echo "valgrind: no errors"
