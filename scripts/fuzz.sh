#!/usr/bin/env bash
# Builds the fuzz targets in fuzz/ (cargo-fuzz, libFuzzer, AddressSanitizer) and runs each for
# a bounded time, starting from its seed corpus in fuzz/corpus/<target>/. Fails on any crash,
# panic, leak or time-out; the input that caused it is left in fuzz/artifacts/<target>/.
#
#   ZF_FUZZ_SECS      seconds per target (default 30)
#   ZF_FUZZ_TARGETS   targets to run, space-separated (default: all of them)
#
# The machine has only a stable toolchain, and cargo-fuzz's instrumentation needs nightly
# compiler flags (-Zsanitizer=address): RUSTC_BOOTSTRAP=1 lets the stable compiler accept
# them. It is set for the fuzz build only, never for the project's own builds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/fuzz-deps.sh

ensure_rust
ensure_cargo_fuzz

SECS="${ZF_FUZZ_SECS:-30}"
ALL_TARGETS="otpauth_uri envelope messages vault_file api_bodies"
TARGETS="${ZF_FUZZ_TARGETS:-$ALL_TARGETS}"
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
BIN_DIR="fuzz/target/$TRIPLE/release"

export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# cargo fuzz has no --locked: check here that fuzz/Cargo.lock needs no change, so the build
# below uses exactly the committed versions.
cargo fetch --locked --manifest-path fuzz/Cargo.toml --quiet
echo "== cargo fuzz build (address sanitizer)"
cargo fuzz build --fuzz-dir fuzz

# libFuzzer's limits per run: one input may take 10 s and 2 GiB, else it counts as a failure
# (a hang or an allocation bomb is a finding too).
LIBFUZZER_FLAGS=(-max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
# cargo fuzz run sets the same; ODR checks misfire on Rust's duplicate symbols.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_odr_violation=0"

summary=()
for target in $TARGETS; do
  work="fuzz/target/corpus/$target"
  artifacts="fuzz/artifacts/$target/"
  log="fuzz/target/$target.log"
  mkdir -p "$work" "$artifacts"
  echo "== fuzz $target for ${SECS} s"
  # New inputs go to the first folder (the working corpus, kept between local runs); the
  # committed seeds are only read.
  if ! "$BIN_DIR/$target" "${LIBFUZZER_FLAGS[@]}" -artifact_prefix="$artifacts" \
    "$work" "fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target failed; the input is in $artifacts (reproduce: $BIN_DIR/$target FILE)" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  summary+=("$(printf '%-12s %10s runs %8s/s  coverage %s' "$target" "$runs" "$rate" "${cov:-?}")")
done

echo "== fuzzing summary (${SECS} s per target, no crash)"
printf '%s\n' "${summary[@]}"
