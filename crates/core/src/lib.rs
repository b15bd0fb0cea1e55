//! Platform-free Zweifaktor authenticator core: the encrypted vault, the PIN and its lock-out,
//! accounts and the codes they show.
//!
//! The core takes time as an input (see [`clock`]) and logs through `tracing` only, never a
//! secret.
//!
//! # Layout
//! - [`clock`]: the injectable clock.
//! - [`pin`]: PIN rules.
//! - [`vault`]: the encrypted, atomically written vault file with key slots and lock-out.

pub mod clock;
pub mod pin;
pub mod vault;
