#!/usr/bin/env bash
# Builds the fuzz targets in fuzz/ (cargo-fuzz, libFuzzer, AddressSanitizer) and runs each for
# a bounded time, starting from its seed corpus in fuzz/corpus/<target>/. Fails on any crash,
# panic, leak or time-out; the input that caused it is left in fuzz/artifacts/<target>/.
#
#   ZF_FUZZ_SECS      seconds per target (default 30)
#   ZF_FUZZ_TARGETS   targets to run, space-separated (default: all of them)
#   ZF_FUZZ_JOBS      targets run at the same time (default: one per core)
#   ZF_FUZZ_TARGET_DIR  where the instrumented build goes (default fuzz/target)
#
# The machine has only a stable toolchain, and cargo-fuzz's instrumentation needs nightly
# compiler flags (-Zsanitizer=address): RUSTC_BOOTSTRAP=1 lets the stable compiler accept
# them (without it: "the option `Z` is only accepted on the nightly compiler"). It is set in
# this script only, never for the project's own builds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/fuzz-deps.sh

ensure_rust
ensure_cargo_fuzz

SECS="${ZF_FUZZ_SECS:-30}"
ALL_TARGETS="otpauth_uri envelope messages vault_file import_files api_bodies"
TARGETS="${ZF_FUZZ_TARGETS:-$ALL_TARGETS}"
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
BUILD_DIR="${ZF_FUZZ_TARGET_DIR:-fuzz/target}"
BIN_DIR="$BUILD_DIR/$TRIPLE/release"

export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# cargo fuzz has no --locked: check here that fuzz/Cargo.lock needs no change, so the build
# below uses exactly the committed versions.
cargo fetch --locked --manifest-path fuzz/Cargo.toml --quiet
# The root's `cargo fmt --all` does not reach this package.
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
echo "== cargo fuzz build (address sanitizer)"
cargo fuzz build --fuzz-dir fuzz --target-dir "$BUILD_DIR"

# libFuzzer's limits per run: one input may take 10 s and 2 GiB, else it counts as a failure
# (a hang or an allocation bomb is a finding too).
LIBFUZZER_FLAGS=(-max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
# cargo fuzz run sets the same; ODR checks misfire on Rust's duplicate symbols.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_odr_violation=0"

# Runs one target; its log, exit status and summary line go to fuzz/target/<target>.*.
run_target() {
  local target="$1" work="fuzz/target/corpus/$1" artifacts="fuzz/artifacts/$1/" log="fuzz/target/$1.log"
  mkdir -p "$work" "$artifacts"
  # New inputs go to the first folder (the working corpus, kept between local runs); the
  # committed seeds are only read.
  local status=0
  "$BIN_DIR/$target" "${LIBFUZZER_FLAGS[@]}" -artifact_prefix="$artifacts" \
    "$work" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  echo "$status" >"fuzz/target/$target.status"
  local runs rate cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -n 1 | cut -d' ' -f2)
  printf '%-12s %10s runs %8s/s  coverage %s\n' "$target" "${runs:-?}" "${rate:-?}" "${cov:-?}" \
    >"fuzz/target/$target.summary"
}

# One target per core at a time.
JOBS="${ZF_FUZZ_JOBS:-$(nproc)}"
echo "== fuzz $TARGETS: ${SECS} s each, $JOBS at a time"
for target in $TARGETS; do
  rm -f "fuzz/target/$target.status" "fuzz/target/$target.summary"
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  run_target "$target" &
done
wait

failed=0
echo "== fuzzing summary (${SECS} s per target)"
for target in $TARGETS; do
  cat "fuzz/target/$target.summary" 2>/dev/null || echo "$target: no summary"
  if [ "$(cat "fuzz/target/$target.status" 2>/dev/null)" != "0" ]; then
    failed=1
    tail -n 60 "fuzz/target/$target.log"
    echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/" \
      "(reproduce: $BIN_DIR/$target FILE)" >&2
  fi
done
exit "$failed"
