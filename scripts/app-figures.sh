#!/usr/bin/env bash
# The app's figures for docs/PERFORMANCE.md, measured on the release build under Xvfb through
# tauri-driver: binary size, cold start to the first screen, unlock time with the production
# Argon2id profile, and the memory of the running app (its process and WebKit's helpers).
# Prints a table; RUNS (default 5) sets how many cold starts and unlocks are taken.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/app-deps.sh

ensure_rust
ensure_app_deps
ensure_debian_packages jq curl

runs="${RUNS:-5}"
cargo build --release --locked -p zweifaktor-app --quiet
app="$PWD/target/release/zweifaktor-app"
pin=274951
uri='otpauth://totp/Portal:erika@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Portal'

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

display_number=$(for n in $(seq 90 199); do [ -e "/tmp/.X11-unix/X$n" ] || { echo "$n"; break; }; done)
setsid Xvfb ":$display_number" -screen 0 1024x900x24 -nolisten tcp > /dev/null 2>&1 &
pids+=($!)
export DISPLAY=":$display_number" WEBKIT_DISABLE_COMPOSITING_MODE=1
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$display_number" ] && break; sleep 0.1; done

port=$(free_port)
ZF_APP_DATA_DIR="$work/data" setsid tauri-driver --port "$port" --native-port "$(free_port)" \
  > /dev/null 2> "$work/driver.log" &
pids+=($!)
driver="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$driver/status" > /dev/null && break; sleep 0.1; done

# One WebDriver call: METHOD PATH [JSON BODY]; prints the answer's "value".
wd() {
  curl -sf -X "$1" "$driver$2" -H 'Content-Type: application/json' ${3:+-d "$3"} | jq -c '.value'
}
element() { wd POST "/session/$session/element" "{\"using\":\"css selector\",\"value\":\"$1\"}" | jq -r '.[]'; }
# Polls every 10 ms until the element is shown (at most 60 s).
wait_shown() {
  local deadline=$(( $(now_ms) + 60000 )) id
  while [ "$(now_ms)" -lt "$deadline" ]; do
    id=$(element "$1" 2> /dev/null || true)
    if [ -n "$id" ] && [ "$(wd GET "/session/$session/element/$id/displayed")" = "true" ]; then
      return 0
    fi
    sleep 0.01
  done
  echo "gave up waiting for $1" >&2
  return 1
}
type_into() { wd POST "/session/$session/element/$(element "$1")/value" "{\"text\":\"$2\"}" > /dev/null; }
click() { wd POST "/session/$session/element/$(element "$1")/click" '{}' > /dev/null; }
start_session() {
  session=$(curl -sf -X POST "$driver/session" -H 'Content-Type: application/json' \
    -d "{\"capabilities\":{\"alwaysMatch\":{\"tauri:options\":{\"application\":\"$app\"}}}}" |
    jq -r '.value.sessionId')
}
end_session() { curl -sf -X DELETE "$driver/session/$session" > /dev/null; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

# Cold start: from asking the driver to start the app to the first screen being shown; a new,
# empty data folder each time, so the first screen is the enrollment.
cold=()
for _ in $(seq "$runs"); do
  rm -rf "$work/data"
  t0=$(now_ms)
  start_session
  wait_shown '#screen-enroll'
  cold+=($(( $(now_ms) - t0 )))
  end_session
done

# Enrollment and unlock: the unlock command timed inside the page (IPC + Argon2id + opening
# the vault), then the whole click-to-codes path through the UI.
start_session
wait_shown '#screen-enroll'
type_into '#enroll-uri' "$uri"
click '#enroll-submit'
wait_shown "#pin-new"
type_into '#pin-new' "$pin"
type_into '#pin-repeat' "$pin"
click '#pin-setup-submit'
wait_shown "#done-continue"
click '#done-continue'
wait_shown '#screen-codes'
invoke_ms=()
click_ms=()
click '#codes-lock'
wait_shown '#login-pin'
for run in $(seq "$runs"); do
  invoke_ms+=("$(wd POST "/session/$session/execute/async" "{\"script\":\"const done = arguments[0]; const invoke = window.__TAURI__.core.invoke; const t = performance.now(); invoke('unlock', {pin: '$pin'}).then(() => { const ms = Math.round(performance.now() - t); invoke('lock').then(() => done(ms)); }, () => done(-1));\",\"args\":[]}")")
  type_into '#login-pin' "$pin"
  t0=$(now_ms)
  click '#login-submit'
  wait_shown '#screen-codes'
  click_ms+=($(( $(now_ms) - t0 )))
  [ "$run" = "$runs" ] || { click '#codes-lock'; wait_shown '#login-pin'; }
done

# Memory after unlocking, with the codes shown: the app process and WebKit's web and network
# processes it started (resident set and proportional set, which splits shared pages fairly).
descendants() { local child; for child in $(pgrep -P "$1" || true); do echo "$child"; descendants "$child"; done; }
app_pid=$(pgrep -n -f "^$app" || true)
processes="$app_pid $(descendants "$app_pid")"
rss=0
pss=0
for pid in $processes; do
  rss=$(( rss + $(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup") ))
  pss=$(( pss + $(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup") ))
done
end_session

size=$(stat -c %s "$app")
printf '| figure | value |\n|---|---|\n'
printf '| release binary (`target/release/zweifaktor-app`, stripped) | %s bytes (%.1f MiB) |\n' "$size" "$(awk "BEGIN {print $size / 1048576}")"
printf '| cold start to the first screen, median of %s (all) | %s ms (%s) |\n' "$runs" "$(printf '%s\n' "${cold[@]}" | median)" "${cold[*]}"
printf '| `unlock` command in the page, median of %s (all) | %s ms (%s) |\n' "$runs" "$(printf '%s\n' "${invoke_ms[@]}" | median)" "${invoke_ms[*]}"
printf '| "Anmelden" click to the codes shown, median of %s (all) | %s ms (%s) |\n' "$runs" "$(printf '%s\n' "${click_ms[@]}" | median)" "${click_ms[*]}"
printf '| memory, app + WebKit processes (%s processes) | RSS %s MiB, PSS %s MiB |\n' "$(echo $processes | wc -w)" "$(( rss / 1024 ))" "$(( pss / 1024 ))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
