#!/usr/bin/env bash
# The demo: the portal with an embedded SQLite database and a demo user, plus the desktop app
# when there is a display (DISPLAY or WAYLAND_DISPLAY), else the headless device enrolled with
# it. Open the printed address in a browser, log in with the printed credentials, and the app
# (or the device) shows the security code for that login; type it into the page.
# Ctrl-C (or closing the app) ends the demo. ZF_DEMO_PORT picks another port than 8080;
# ZF_DEMO_HEADLESS=1 uses the headless device even with a display.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
ensure_rust

port="${ZF_DEMO_PORT:-8080}"
with_app=""
packages=(-p zweifaktor-portal -p zweifaktor-device)
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${ZF_DEMO_HEADLESS:-}" ]; then
  with_app=1
  packages+=(-p zweifaktor-app)
  source scripts/lib/app-deps.sh
  ensure_debian_packages "${APP_DEBIAN_PACKAGES[@]}"
fi
# One build for all: separate builds would resolve features apart and compile the shared
# dependencies twice.
cargo build --release --locked "${packages[@]}" --quiet
portal=target/release/zweifaktor-portal
device=target/release/zweifaktor-device
work=$(mktemp -d)
portal_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$portal" --database "sqlite://$work/portal.db" --public-url "http://127.0.0.1:$port" \
  demo --bind "127.0.0.1:$port" > "$work/demo.txt" 2> "$work/portal.log" &
portal_pid=$!
for _ in $(seq 100); do
  grep -q '^otpauth://' "$work/demo.txt" 2>/dev/null && break
  kill -0 "$portal_pid" 2>/dev/null || { cat "$work/portal.log" >&2; exit 1; }
  sleep 0.1
done
uri=$(grep -m1 '^otpauth://' "$work/demo.txt")

if [ -n "$with_app" ]; then
  ZF_APP_DATA_DIR="$work/app" target/release/zweifaktor-app 2> "$work/app.log" &
  app_pid=$!
  echo
  sed -n '1,3p' "$work/demo.txt"
  echo "The Zweifaktor app is open (its data in $work/app). Paste this set-up link on its first"
  echo "screen and choose a 6-digit PIN; the app registers with the portal:"
  echo
  echo "$uri"
  echo
  echo "Then log in in a browser; the app shows the security code for that login."
  echo "Closing the app or Ctrl-C ends the demo."
  wait "$app_pid"
  exit 0
fi

export ZF_VAULT="$work/vault.json"
# A demo PIN in the environment; a real user types it or pipes it in.
export ZF_PIN=274951
"$device" init --email "$(sed -n 's/^E-mail address: //p' "$work/demo.txt")"
# The set-up link holds the seed and the enroll token: standard input, not the command line.
printf '%s\n' "$uri" | "$device" add - > /dev/null

echo
sed -n '1,3p' "$work/demo.txt"
echo "The headless device (vault $ZF_VAULT, PIN $ZF_PIN) is enrolled and listening."
echo "Log in in a browser; the security code for that login appears below. Ctrl-C ends the demo."
echo
"$device" listen
