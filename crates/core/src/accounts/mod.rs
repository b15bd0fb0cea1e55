//! Accounts: the OTP secrets the vault holds, how to find one, and the codes they show.
//!
//! [`Account`] holds a seed and never leaves the core; callers see [`AccountSummary`], a DTO
//! without any secret that is safe to print, log or send to a UI.
//!
//! Every way into the vault (a link, a form, an import) builds a [`NewAccount`]; the rules for
//! adding one live here once: [`NewAccount::check`], the duplicate rule
//! ([`Keyring::is_duplicate`]: same secret and same label), the weak-secret note
//! ([`STRONG_SEED_BYTES`]) and the avatar ([`Avatar`]).

mod account;
mod avatar;
mod keyring;
mod lookup;
mod manual;
mod new_account;
mod preview;
mod seed_serde;

pub use account::{Account, AccountId, AccountKind, AccountSummary};
pub use avatar::{Avatar, PALETTE};
pub use keyring::Keyring;
pub use lookup::AccountQuery;
pub(crate) use lookup::same_text;
pub use manual::ManualEntry;
pub(crate) use manual::checked_issuer;
pub use new_account::{NewAccount, STRONG_SEED_BYTES};
pub use preview::{AccountPreview, LinkPreview};
