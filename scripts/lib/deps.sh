# Shared by the project's scripts: install what a fresh Debian/Ubuntu machine lacks.
# Sourced, not run.

# Fails with a clear message when there is no Rust toolchain: rustup is the supported way to
# get one, and Debian's own cargo is too old for this workspace (edition 2024).
ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo not found: install Rust 1.88 or newer with rustup (https://rustup.rs) and run again." >&2
    exit 1
  fi
}

# Installs the named Debian packages that are not installed yet (needs root or sudo).
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing missing packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

# Starts a throw-away PostgreSQL server on 127.0.0.1:$1 with its data in a new temporary
# folder, trusting local connections, and exports its URL as ZF_TEST_POSTGRES_URL.
# `stop_postgres` ends it.
start_postgres() {
  local port="$1" bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DATA=$(mktemp -d)
  chown postgres: "$PG_DATA"
  runuser -u postgres -- "$bin/initdb" -D "$PG_DATA" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
    -o "-p $port -k $PG_DATA -c listen_addresses=127.0.0.1" start >/dev/null
  PG_BIN="$bin"
  export ZF_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_postgres() {
  [ -n "${PG_DATA:-}" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DATA"
}
