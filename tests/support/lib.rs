//! Harness for the cross-component tests: starts the real `zweifaktor-portal` and runs the
//! real `zweifaktor-device` as processes, and plays the browser with a cookie-keeping client.
//! The tests that drive real browsers (the portal's pages in headless Chromium, the app
//! through tauri-driver) share its WebDriver client, and the accessibility checks of the app
//! and the portal share its axe-core runner.
//!
//! Layout: [`portal`] (the portal binary), [`device`] (the headless device binary),
//! [`browser`] (an HTTP client as the browser), [`webdriver`] (a W3C WebDriver client),
//! [`chromium`] (chromedriver and headless Chromium sessions), [`axe`] (axe-core and the
//! reflow check on a page, in each colour scheme and width), [`privacyidea`] (a real
//! privacyIDEA server and a tampering proxy in front of it).
//!
//! The binaries are the ones `cargo test --workspace` builds next to the test executable
//! (`target/debug/`); running this crate alone needs `cargo build --workspace --bins` first.
// A harness fails the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod axe;
pub mod browser;
pub mod chromium;
pub mod device;
pub mod portal;
pub mod privacyidea;
pub mod webdriver;

use std::path::PathBuf;

/// A workspace binary built beside the running test executable.
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/debug folder");
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first",
        path.display()
    );
    path
}
