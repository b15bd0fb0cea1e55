#!/usr/bin/env bash
# Runs every check of the project: formatting, lints, docs and all tests.
# Installs what the tests need on a fresh Debian/Ubuntu machine where it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

ensure_rust
# oathtool: independent TOTP implementation; chromium + chromium-driver: the portal's pages in
# a real browser; postgresql: the portal's second storage back end.
ensure_debian_packages oathtool chromium chromium-driver postgresql

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

echo "== portal on PostgreSQL, two instances, and in headless Chromium"
trap stop_postgres EXIT
start_postgres "$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cargo test --locked -p zweifaktor-portal --test http -- --include-ignored
