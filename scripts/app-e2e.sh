#!/usr/bin/env bash
# The simulator run of the app: builds the debug app and the portal, then drives the app under
# Xvfb through tauri-driver + WebKitWebDriver (src-tauri/tests/app_e2e): alone (offline
# parts) and in the whole guide with the real portal and headless Chromium (chromedriver) as
# the browser, and with a real privacyIDEA server (the walk `privacyidea`; its venv comes from
# scripts/privacyidea.sh). Installs what it needs when missing.
# Screenshots: target/screenshots/app/ (the app) and target/screenshots/portal-walk/ (pages).
# Arguments go to the test binary: `scripts/app-e2e.sh everyday` runs the everyday walk alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/app-deps.sh

ensure_rust
ensure_app_deps
# oathtool: independent TOTP codes; xclip: reads the X clipboard back after a copy;
# chromium + chromium-driver: the browser of the guide.
ensure_debian_packages oathtool xclip chromium chromium-driver

# Every wait inside the walks has its own limit; this bounds the whole run as well.
E2E_TIME_LIMIT="${E2E_TIME_LIMIT:-1500}"

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The guide starts the portal binary from target/debug, beside the app. The app is built with
# the e2e-dialogs feature: WebDriver cannot drive a native file dialog, so the walk's app takes
# the folder in ZF_APP_TEST_DIALOG_DIR as its open and save dialogs (src-tauri/src/files.rs).
# Release builds never have it.
cargo build -p zweifaktor-portal --locked
cargo test -p zweifaktor-app --locked --features e2e-dialogs --test app_e2e --no-run
bash scripts/privacyidea.sh install
rm -rf target/screenshots/app target/screenshots/portal-walk
timeout --kill-after=30 "$E2E_TIME_LIMIT" \
  cargo test -p zweifaktor-app --locked --features e2e-dialogs --test app_e2e -- \
  --ignored --test-threads=1 "$@"
echo "Screenshots: $(ls target/screenshots/app | wc -l) in target/screenshots/app/," \
  "$(ls target/screenshots/portal-walk 2>/dev/null | wc -l) in target/screenshots/portal-walk/"
