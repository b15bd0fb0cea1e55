#!/usr/bin/env bash
# The demo: the portal with an embedded SQLite database and a demo user, plus the headless
# device enrolled with it. Open the printed address in a browser, log in with the printed
# credentials, and the device prints the security code for that login; type it into the page.
# Ctrl-C ends the demo. ZF_DEMO_PORT picks another port than 8080.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
ensure_rust

port="${ZF_DEMO_PORT:-8080}"
cargo build --release --locked -p zweifaktor-portal -p zweifaktor-device --quiet
portal=target/release/zweifaktor-portal
device=target/release/zweifaktor-device
work=$(mktemp -d)
portal_pid=""
cleanup() {
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

export ZF_VAULT="$work/vault.json"
# A demo PIN in the environment; a real user types it or pipes it in.
export ZF_PIN=274951
"$device" init --email "$(sed -n 's/^E-mail address: //p' "$work/demo.txt")"
"$device" add "$uri" > /dev/null

echo
sed -n '1,3p' "$work/demo.txt"
echo "The headless device (vault $ZF_VAULT, PIN $ZF_PIN) is enrolled and listening."
echo "Log in in a browser; the security code for that login appears below. Ctrl-C ends the demo."
echo
"$device" listen
