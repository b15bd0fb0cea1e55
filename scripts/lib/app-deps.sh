# Shared by the project's scripts: what building and driving the Tauri desktop app needs on a
# fresh Debian/Ubuntu machine. Sourced, not run; needs scripts/lib/deps.sh sourced first.

# Debian packages for Tauri 2 on Linux (WebKitGTK 4.1 and friends), WebKit's WebDriver
# (WebKitWebDriver, which tauri-driver starts), Xvfb for a window without a display, and
# xwininfo + ImageMagick to take screenshots of that window.
APP_DEBIAN_PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb x11-utils imagemagick
)
# A D-Bus session bus (dbus-daemon): a second start of the desktop app finds the running one
# through it (tauri-plugin-single-instance) and hands it its link; the app walks start one.
APP_DEBIAN_PACKAGES+=(dbus-daemon)

# tauri-driver is the WebDriver proxy for Tauri apps; pinned so that runs are repeatable.
TAURI_DRIVER_VERSION="2.1.0"

# Installs the Debian packages above and tauri-driver where they are missing.
ensure_app_deps() {
  ensure_debian_packages "${APP_DEBIAN_PACKAGES[@]}"
  local have=""
  if command -v tauri-driver >/dev/null 2>&1; then
    have="$(cargo install --list | sed -n 's/^tauri-driver v\([0-9.]*\):$/\1/p')"
  fi
  if [ "$have" != "$TAURI_DRIVER_VERSION" ]; then
    echo "Installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked
  fi
}
