#!/usr/bin/env bash
# Runs every test of newswired, from a fresh Debian 12 machine:
#   1. installs what it needs (apt-get; the Kafka broker comes from Maven),
#   2. checks the code style,
#   3. builds and runs the whole CTest suite (unit, golden, daemon, Kafka
#      against a real broker, HTTP, valgrind),
#   4. rebuilds with ASan+UBSan and runs every test again,
#   5. builds the libFuzzer targets with clang and runs each for a bounded time,
#   6. builds (only) a Release with GCC and a RelWithDebInfo with clang, so a
#      warning seen only at -O3 or only by clang fails too.
# Every build has NW_WERROR=ON: a warning is an error here (not for users).
# Safe to run twice. NW_FUZZ_SECONDS sets the fuzzing time per target (60).
set -uo pipefail
cd "$(dirname "$0")"
bash tests/install-deps.sh || exit 1

export NW_FUZZ_SECONDS=${NW_FUZZ_SECONDS:-60}
passed=0 failed=0 failures=()

# ctest_run DIR ARGS...: runs ctest and adds its counts to the totals.
ctest_run() {
  local dir=$1 out rc n f
  shift
  out=$(mktemp)
  (cd "$dir" && ctest --output-on-failure --timeout 1200 "$@") 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  n=$(sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\2/p' "$out" | tail -1)
  f=$(sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1/p' "$out" | tail -1)
  if [ -z "$n" ]; then
    n=0 f=0
    grep -q 'No tests were found' "$out" || { f=1; failures+=("$dir: ctest did not run"); }
  fi
  passed=$((passed + n - f))
  failed=$((failed + f))
  [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || { failed=$((failed + 1)); failures+=("$dir: ctest exit $rc"); }
  [ "$f" -eq 0 ] || failures+=("$dir: $f failed")
  rm -f "$out"
}

step() { printf '\n==== %s\n' "$*"; }

# build_only NAME DIR CMAKE_ARGS...: configures and builds; one step passed
# or failed.
build_only() {
  local name=$1 dir=$2
  shift 2
  if cmake -S . -B "$dir" -G Ninja -DNW_WERROR=ON "$@" >/dev/null && ninja -C "$dir"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("$name build")
  fi
}

step "style"
if bash tests/check-format.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("clang-format"); fi

step "build (RelWithDebInfo) and every test"
if cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNW_WERROR=ON >/dev/null && ninja -C build; then
  ctest_run build
else
  failed=$((failed + 1)); failures+=("build")
fi

step "build with ASan + UBSan and every test again"
if cmake -S . -B build-asan -G Ninja -DNW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DNW_WERROR=ON >/dev/null && ninja -C build-asan; then
  ctest_run build-asan -LE 'valgrind|fuzz|package'
else
  failed=$((failed + 1)); failures+=("asan build")
fi

step "libFuzzer targets, ${NW_FUZZ_SECONDS}s each"
if CC=clang cmake -S . -B build-fuzz -G Ninja -DNW_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug -DNW_WERROR=ON >/dev/null && ninja -C build-fuzz; then
  ctest_run build-fuzz -L fuzz
else
  failed=$((failed + 1)); failures+=("fuzz build")
fi

step "Release build with GCC (build only)"
build_only "release" build-release -DCMAKE_BUILD_TYPE=Release

step "RelWithDebInfo build with clang (build only)"
CC=clang build_only "clang" build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
