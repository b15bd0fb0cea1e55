#!/usr/bin/env bash
# The demo: builds the headless device, creates a vault in a temporary folder, adds a demo
# account from an otpauth:// URI and shows its codes, as the app would.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
ensure_rust

cargo build --release --locked -p zweifaktor-device --quiet
device=target/release/zweifaktor-device
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ZF_VAULT="$work/vault.json"
# A demo PIN in the environment; a real user types it at the prompt or pipes it in.
export ZF_PIN=274951
uri='otpauth://totp/Zweifaktor%20Demo:demo@example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Zweifaktor%20Demo'

echo "== init: new vault for demo@example.org (PIN $ZF_PIN, Argon2id 64 MiB)"
"$device" init --email demo@example.org
echo "== add: $uri"
"$device" add "$uri"
echo "== list"
"$device" list
echo "== code (TOTP, now)"
"$device" code
echo "== ocra: security code for a 32-byte push challenge"
"$device" ocra --challenge "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "== wrong PIN"
ZF_PIN=864209 "$device" list || echo "(exit code $?)"
