# Shared by the project's scripts: what running the fuzz targets needs. Sourced, not run;
# needs scripts/lib/deps.sh sourced first.

# cargo-fuzz drives libFuzzer builds; pinned so that runs are repeatable.
CARGO_FUZZ_VERSION="0.13.2"

# Installs cargo-fuzz (from crates.io) where it is missing or another version.
ensure_cargo_fuzz() {
  local have=""
  if cargo fuzz --version >/dev/null 2>&1; then
    have="$(cargo install --list | sed -n 's/^cargo-fuzz v\([0-9.]*\):$/\1/p')"
  fi
  if [ "$have" != "$CARGO_FUZZ_VERSION" ]; then
    echo "Installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
}
