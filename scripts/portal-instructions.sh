#!/usr/bin/env bash
# Counts the portal's instructions per login under callgrind (valgrind), a figure that the
# machine's load does not change: the same binary and run give the same count within a few
# tenths of a percent, where checks/s and CPU per check spread by ±20 % on a virtual machine.
# It compares two builds of the portal where a timed run cannot (docs/PERFORMANCE.md).
#
#   scripts/portal-instructions.sh            builds (load profile with line tables) and counts
#   ZF_BIN_DIR=DIR scripts/portal-instructions.sh   counts the zweifaktor-load and
#                                             zweifaktor-portal binaries in DIR
#
# The load tool runs the portal under callgrind twice, with a code burst of 1,000 and of 2,000
# logins on 250 accounts; the difference of the two totals over 1,000 is what one more login
# costs the portal (password step, push, code page, code check), set-up and start excluded.
# It also prints what one code check of the burst costs: the instructions of every thread of
# the portal while the codes are sent (the burst's own dump), and those of the check's storage
# closure on the writer thread. Callgrind counts user-mode instructions only; the kernel's
# share of a check (`system` in the load tool's CPU figure) is not in these counts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

ensure_rust
ensure_debian_packages valgrind

BIN_DIR="${ZF_BIN_DIR:-}"
if [ -z "$BIN_DIR" ]; then
  CARGO_PROFILE_LOAD_STRIP=false CARGO_PROFILE_LOAD_DEBUG=line-tables-only \
    cargo build --locked --profile load -p zweifaktor-portal -p zweifaktor-load \
    --target-dir target/instructions
  BIN_DIR=target/instructions/load
fi
BIN_DIR="$(cd "$BIN_DIR" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The load tool ends its portal with SIGKILL, which leaves callgrind no time to write its
# counts. The wrapper it starts instead runs the portal under callgrind as a child and notes
# its pid: the tool kills the wrapper, and the portal is then ended with SIGTERM (a graceful
# shutdown), after which callgrind writes its file.
cat > "$WORK/portal.sh" <<WRAPPER
#!/usr/bin/env bash
valgrind --tool=callgrind --compress-strings=no --compress-pos=no --callgrind-out-file="\$ZF_CALLGRIND_OUT" \
  "$BIN_DIR/zweifaktor-portal" "\$@" 2>/dev/null &
echo \$! > "$WORK/portal.pid"
wait
WRAPPER
chmod +x "$WORK/portal.sh"

# Runs the code burst of $1 logins with the portal under callgrind. Its counts are dumped
# when the tool starts sending the burst's codes (part 1: start and set-up) and when the last
# one is answered (part 2: the code checks alone); the rest is written at the end (part 3).
run_burst() {
  local out="$WORK/callgrind.$1"
  ZF_CALLGRIND_OUT="$out" "$BIN_DIR/zweifaktor-load" --portal-bin "$WORK/portal.sh" \
    --devices 250 --logins 0 --code-burst "$1" --concurrency 16 2>&1 > "$WORK/report.$1" \
    | while IFS= read -r line; do
      case "$line" in
        *"code burst: sending"* | *"code burst: done"*)
          callgrind_control --dump "$(cat "$WORK/portal.pid")" > /dev/null 2>&1 ;;
      esac
    done
  grep -q "($1 of $1 accepted)" "$WORK/report.$1" || {
    echo "the run with $1 logins did not complete every login:" >&2
    cat "$WORK/report.$1" >&2
    exit 1
  }
  local pid
  pid="$(cat "$WORK/portal.pid")"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 1; done
}

# The instructions callgrind counted in the file $1.
total() {
  sed -n 's/^summary: *//p' "$1"
}

# The inclusive instructions of the code check's storage closure in the file $1.
closure() {
  callgrind_annotate --inclusive=yes "$1" 2>/dev/null \
    | sed -n 's/^ *\([0-9,]*\) .*second_factor\.rs:<.*PendingWrite.*Job>::run.*/\1/p' \
    | head -n 1 | tr -d ,
}

# The instructions of a whole run of $1 logins: the sum of its parts.
run_total() {
  local sum=0 part
  for part in "$WORK/callgrind.$1" "$WORK/callgrind.$1".*; do
    sum=$((sum + $(total "$part")))
  done
  echo "$sum"
}

run_burst 1000
run_burst 2000
echo "portal instructions per login: $((($(run_total 2000) - $(run_total 1000)) / 1000))"
burst="$WORK/callgrind.2000.2"
echo "portal instructions per code check (the burst alone, every thread): $(($(total "$burst") / 2000))"
echo "code check's storage closure per check: $(($(closure "$burst") / 2000))"
