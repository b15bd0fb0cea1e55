//! `zweifaktor-load`: drives a Zweifaktor portal on 127.0.0.1 the way many phones and
//! browsers would, and reports the figures of issue 5 (push latency, code checks per second,
//! portal memory per connected device, lost or duplicated challenges).
//!
//! A run creates N accounts in a fresh SQLite database through the portal's account
//! functions, starts the `zweifaktor-portal` binary on it with the `load-test` password
//! profile (or `standard`), registers one simulated device per account through
//! `POST /api/v1/devices`, opens the SSE streams of the first `--devices` of them, then
//! starts logins at a fixed rate through the real pages. Each device verifies its challenge
//! with the pinned portal key and computes the OCRA code, which the login types in.
//! `--code-burst` and `--password-burst` then measure code checks and password steps per
//! second with the CPU both processes used; `--kill-restart` SIGKILLs the portal halfway and
//! starts it again on the same database.
//!
//! # Layout
//! - [`options`]: the command line.
//! - [`mod@run`]: one run from set-up to report ([`run()`]).
//! - [`burst`]: the code burst and the password burst.
//! - [`portal`]: the portal process: start, kill, restart, memory.
//! - [`setup`]: accounts and device registration.
//! - [`device`]: one simulated device on its stream.
//! - [`login`]: one browser login.
//! - [`http`]: the browsers' HTTP client (shared keep-alive connections, cookies per login).
//! - [`report`]: the figures, as JSON and a table.
//! - [`limits`]: the file-descriptor limit.
//! - [`cpu`]: CPU time of the portal and the tool.
//! - [`error`]: what can stop a run.

pub mod burst;
pub mod cpu;
pub mod device;
pub mod error;
pub mod http;
pub mod limits;
pub mod login;
pub mod options;
pub mod portal;
pub mod report;
pub mod run;
pub mod setup;

pub use error::LoadError;
pub use options::Options;
pub use report::Report;
pub use run::run;
