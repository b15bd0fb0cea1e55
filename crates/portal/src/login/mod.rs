//! The browser login's rules, written once; the web handlers only extract, call and render.
//!
//! A login goes anonymous → password passed ([`Stage::Code`], or [`Stage::Enroll`] for the
//! very first enrollment of an account that never had a device) → second factor passed
//! ([`Stage::Authenticated`]). Every step here is one storage transaction ([`WriteTx`]):
//! its checks, its counters, the session's move to the next stage and the new session id
//! commit together or not at all. Steps answer with typed outcomes (enums) that the
//! handlers map to pages; failures of storage, keys or hashing are [`AppError`]s.
//!
//! Who may see a seed: a session that has passed the second factor (the dashboard), or the
//! first enrollment of an account that never had a device. Every device registration ends a
//! due enrollment and marks the account as having had one.
//!
//! # Layout
//! - [`stage`]: the stages and their allowed transitions, the only place that decides the
//!   next stage.
//! - [`session`]: a new session id for the stage a step leads to, inside the step's
//!   transaction.
//! - [`current`]: the session a request acts on (logged in, or waiting for its second
//!   factor), judged inside one transaction.
//! - [`password`]: the password step (rate limits, back-off, the challenge).
//! - [`backoff`]: the wait after wrong passwords, which grows and expires.
//! - [`second_factor`]: the rule set the code step and the recovery step share.
//! - [`enrollment`]: first enrollment, a new device from the dashboard, registration of a
//!   device, removal of a device.
//! - [`password_change`]: replacing the password, ending the other sessions.
//! - [`answer`]: a device's answer to a challenge ("Das war ich nicht" ends the login).
//!
//! [`Stage::Code`]: crate::storage::sessions::Stage::Code
//! [`Stage::Enroll`]: crate::storage::sessions::Stage::Enroll
//! [`Stage::Authenticated`]: crate::storage::sessions::Stage::Authenticated
//! [`WriteTx`]: crate::storage::WriteTx
//! [`AppError`]: crate::error::AppError

pub mod answer;
pub mod backoff;
pub mod current;
pub mod enrollment;
pub mod password;
pub mod password_change;
pub mod second_factor;
pub mod session;
pub mod stage;
