//! Harness for the cross-component tests: starts the real `zweifaktor-portal` and runs the
//! real `zweifaktor-device` as processes, and plays the browser with a cookie-keeping client.
//!
//! The binaries are the ones `cargo test --workspace` builds next to the test executable
//! (`target/debug/`); running this crate alone needs `cargo build --workspace --bins` first.
// A harness fails the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod device;
pub mod portal;

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
