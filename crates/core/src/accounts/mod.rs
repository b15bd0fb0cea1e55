//! Accounts: the OTP secrets the vault holds, how to find one, and the codes they show.
//!
//! [`Account`] holds a seed and never leaves the core; callers see [`AccountSummary`], a DTO
//! without any secret that is safe to print, log or send to a UI.

mod account;
mod keyring;
mod lookup;
mod seed_serde;

pub use account::{Account, AccountId, AccountKind, AccountSummary, NewAccount};
pub use keyring::Keyring;
pub use lookup::AccountQuery;
pub(crate) use lookup::same_text;
