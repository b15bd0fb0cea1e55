//! The commands the UI invokes, one file per domain. Each takes its arguments, calls the core
//! or a shell module, and returns a DTO or a [`CommandError`](crate::error::CommandError).

pub mod accounts;
pub mod biometric;
pub mod push;
pub mod settings;
pub mod transfer;
pub mod vault;
