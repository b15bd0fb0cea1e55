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
