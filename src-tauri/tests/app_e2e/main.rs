//! The simulator run: the real debug app under Xvfb, driven through tauri-driver and
//! WebKitWebDriver like a user would, with screenshots of every screen in
//! `target/screenshots/app/`.
//!
//! - [`offline`]: the app alone (enrollment by pasted URI, TOTP codes, PIN, lock-out, reset,
//!   settings in dark mode).
//! - [`everyday`]: the everyday authenticator: add (by hand, by link), import an encrypted
//!   Aegis file, search, rename, move, copy, export a backup, reset, restore.
//! - [`guide`]: the whole guide with the real portal and headless Chromium as the browser.
//! - [`links`]: a second start of the app with an `otpauth://` link opens its add preview.
//! - [`privacyidea`]: a privacyIDEA push token added and its logins answered, against a real
//!   privacyIDEA server.
//!
//! Needs Xvfb, dbus-daemon, tauri-driver, WebKitWebDriver, oathtool, xclip, chromium,
//! chromedriver, the portal binary beside the app's and an app built with the `e2e-dialogs`
//! feature, so it is ignored in a plain `cargo test`; `scripts/app-e2e.sh` installs and builds
//! them and runs it.

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod everyday;
mod fixtures;
mod guide;
mod harness;
mod links;
mod offline;
mod privacyidea;
mod steps;
