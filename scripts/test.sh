#!/usr/bin/env bash
# Runs every check of the project: formatting, lints, docs and all tests.
# Installs what the tests need on a fresh Debian/Ubuntu machine where it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

ensure_rust
ensure_debian_packages oathtool

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUSTDOCFLAGS="-D warnings"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo doc -D warnings"
cargo doc --workspace --no-deps --locked --quiet
echo "== cargo test"
cargo test --workspace --locked
