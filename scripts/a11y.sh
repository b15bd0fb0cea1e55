#!/usr/bin/env bash
# The accessibility check: axe-core (the version pinned by tests/axe/package-lock.json,
# installed under target/axe) in headless Chromium, WCAG 2.1 A and AA, on every screen of the
# app (ui/ with a fake bridge, ui/tests/a11y/screens.js) and every page of the portal, light
# and dark, at the phone's width and at 320 CSS px (plus a reflow check there). Any violation
# fails. See docs/ACCESSIBILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

ensure_rust
ensure_debian_packages chromium chromium-driver
command -v node >/dev/null 2>&1 || ensure_debian_packages nodejs
command -v npm >/dev/null 2>&1 || ensure_debian_packages npm

# npm runs only when target/axe lacks the locked version, so a second run needs no network.
AXE_DIR=target/axe
wanted=$(node -p 'require("./tests/axe/package-lock.json").packages["node_modules/axe-core"].version')
installed=$(node -p "require('./$AXE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$wanted" ]; then
  echo "Installing axe-core $wanted into $AXE_DIR"
  mkdir -p "$AXE_DIR"
  cp tests/axe/package.json tests/axe/package-lock.json "$AXE_DIR/"
  (cd "$AXE_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# --workspace: the same features as `cargo test --workspace`, so nothing is built twice.
echo "== the app's screens (tests/a11y.rs, ui/tests/a11y/screens.js)"
cargo test --workspace --locked --test a11y -- --ignored --nocapture --test-threads=1
echo "== the portal's pages (crates/portal/tests/http/a11y.rs)"
cargo test --workspace --locked --test http -- --ignored --nocapture a11y::
