//! Platform-free Zweifaktor authenticator core: the encrypted vault, the PIN and its lock-out,
//! accounts and the codes they show.
//!
//! The core takes time as an input (see [`clock`]) and logs through `tracing` only, never a
//! secret.
//!
//! # Layout
//! - [`authenticator`]: the operations a front end calls (add, list, codes, change PIN).
//! - [`accounts`]: accounts held in the vault, and how to find one.
//! - [`clock`]: the injectable clock.
//! - [`pin`]: PIN rules.
//! - [`push`]: enrollment with a portal, its signed challenges and the answers.
//! - [`error`]: the core's error type.
//! - [`import`]: other authenticators' export files, read into accounts to preview and add.
//! - [`links`]: links the operating system hands to the app, and the one waiting for the PIN.
//! - [`export`]: the vault's accounts written for other authenticators.
//! - [`vault`]: the encrypted, atomically written vault file with key slots and lock-out.

pub mod accounts;
pub mod authenticator;
pub mod clock;
pub mod error;
pub mod export;
pub mod import;
pub mod links;
pub mod pin;
pub mod push;
pub mod vault;

pub use authenticator::{Authenticator, ShownCode};
pub use error::CoreError;
