//! What the "add account" screen shows before anything is saved: the account as it would be
//! listed, whether it is there already, and whether the secret is weak.

use serde::Serialize;

use super::{AccountKind, Avatar, NewAccount};

/// An account that is about to be added, as a list would show it; no secret, no id yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountPreview {
    /// `ISSUER:NAME`, or the name alone.
    pub label: String,
    /// The issuer, if any.
    pub issuer: Option<String>,
    /// The account name.
    pub name: String,
    /// `SHA1`, `SHA256` or `SHA512`.
    pub algorithm: &'static str,
    /// Characters per code (five for Steam).
    pub digits: u8,
    /// TOTP with period, HOTP with counter, or Steam.
    pub kind: AccountKind,
    /// The secret is shorter than 128 bits ([`STRONG_SEED_BYTES`](super::STRONG_SEED_BYTES)):
    /// worth a short note, not a refusal.
    pub weak_secret: bool,
    /// Initial and colour for the list.
    pub avatar: Avatar,
    /// The vault holds this account already (same secret and label): adding it is refused.
    pub duplicate: bool,
}

impl AccountPreview {
    /// The preview of `account`; `duplicate` comes from
    /// [`Keyring::is_duplicate`](super::Keyring::is_duplicate).
    pub(crate) fn new(account: &NewAccount, duplicate: bool) -> Self {
        Self {
            label: account.label(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            algorithm: account.algorithm.as_str(),
            digits: account.digits,
            kind: account.kind,
            weak_secret: account.weak_secret(),
            avatar: Avatar::for_account(account.issuer.as_deref(), &account.name),
            duplicate,
        }
    }
}

/// What an `otpauth://` link would add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkPreview {
    /// The account the link describes.
    pub account: AccountPreview,
    /// For a Zweifaktor set-up link (`zf_` parameters): the portal it registers with when
    /// added. `None` for an ordinary link, which only stores the account.
    pub portal_url: Option<String>,
}
