#!/usr/bin/env bash
# Runs every check of the project: formatting, lints, docs and all tests.
# Installs what the tests need on a fresh Debian/Ubuntu machine where it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/app-deps.sh

ensure_rust
# oathtool: independent TOTP implementation; chromium + chromium-driver: the portal's pages in
# a real browser; postgresql: the portal's second storage back end; python3-cryptography: the
# independent decrypter of the app's Aegis-format backups (crates/core/tests/aegis_decrypt.py).
ensure_debian_packages oathtool chromium chromium-driver postgresql python3-cryptography
# WebKitGTK and friends to build the desktop app, Xvfb + tauri-driver to drive it.
ensure_app_deps
# node runs the UI modules' unit tests (ui/tests); Debian's nodejs is enough.
command -v node >/dev/null 2>&1 || ensure_debian_packages nodejs

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

echo "== fuzz targets, ${ZF_FUZZ_SECS:-30} s each (cargo-fuzz, libFuzzer)"
bash scripts/fuzz.sh

echo "== the device API against docs/openapi.yaml (schemathesis)"
bash scripts/schemathesis.sh

echo "== the headless device against a real privacyIDEA server (PyPI, in target/venv-privacyidea)"
bash scripts/privacyidea.sh install
timeout --kill-after=30 "${ZF_PRIVACYIDEA_SECS:-900}" \
  cargo test --locked -p zweifaktor-e2e --test privacyidea -- --ignored

echo "== UI modules (node --test)"
node --test ui/tests/

echo "== accessibility: axe-core in headless Chromium, every app screen and portal page"
bash scripts/a11y.sh

echo "== the app under Xvfb, driven through tauri-driver + WebKitWebDriver"
bash scripts/app-e2e.sh

echo "== portal on PostgreSQL, two instances, and in headless Chromium"
trap stop_postgres EXIT
start_postgres "$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# (the accessibility walk ran above: it checks pages, not storage)
cargo test --locked -p zweifaktor-portal --test http -- --include-ignored --skip a11y::
# the load tool's two instances on one database: every challenge crosses them through NOTIFY
cargo test --locked -p zweifaktor-load --test postgres -- --include-ignored
