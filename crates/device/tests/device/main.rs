//! End-to-end tests of the `zweifaktor-device` binary: one test crate, so the helpers in
//! `common` are compiled once and shared.

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod accounts;
mod commands;
mod common;
mod no_secrets_logged;
mod oathtool;
#[cfg(unix)]
mod private_files;
mod push;
#[cfg(unix)]
mod readme;
mod transfer;
