#!/usr/bin/env bash
# The simulator run of the app's offline parts: builds the debug app, then drives it under
# Xvfb through tauri-driver + WebKitWebDriver (src-tauri/tests/app_e2e). Installs what it
# needs when missing. Screenshots: target/screenshots/app/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/app-deps.sh

ensure_rust
ensure_app_deps
ensure_debian_packages oathtool

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
rm -rf target/screenshots/app
cargo test -p zweifaktor-app --locked --test app_e2e -- --ignored --test-threads=1
echo "Screenshots: $(ls target/screenshots/app | wc -l) in target/screenshots/app/"
