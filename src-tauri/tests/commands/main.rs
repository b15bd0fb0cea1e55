//! Every command through the IPC path the window uses (Tauri's mock runtime): arguments are
//! parsed, results and errors serialized exactly as the UI receives them.

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod adding;
mod autolock;
mod biometric;
mod common;
mod links;
mod portal;
mod push;
mod push_tokens;
mod settings;
mod transfer;
mod vault;
