//! Writing the vault's accounts out of the app: the encrypted backup in Aegis's format.
//!
//! Seeds leave the core only through these writers, and only as what the user asked for.

mod account;
pub mod aegis;

pub(crate) use account::ExportAccount;
