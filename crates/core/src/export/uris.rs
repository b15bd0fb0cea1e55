//! `otpauth://` links, one a line: the plain export that Zweifaktor's own otpauth-list import,
//! Aegis ("Import from file: plain text") and most authenticators read back.
//!
//! Each link is written by [`OtpAuthUri::to_uri_string`] with every parameter explicit; Steam
//! accounts in Aegis's form, `otpauth://steam/…`.

use zeroize::Zeroizing;
use zweifaktor_protocol::uri::{OtpAuthUri, OtpKind};

use super::ExportAccount;
use crate::accounts::AccountKind;

/// The file: one link per account, each line ending in a line break.
pub(super) fn file(accounts: &[ExportAccount<'_>]) -> Zeroizing<Vec<u8>> {
    let links: Vec<Zeroizing<String>> = accounts.iter().map(link).collect();
    super::lines(&links)
}

/// The link of one account.
fn link(account: &ExportAccount<'_>) -> Zeroizing<String> {
    OtpAuthUri {
        kind: match account.kind {
            AccountKind::Totp { period } => OtpKind::Totp { period },
            AccountKind::Hotp { counter } => OtpKind::Hotp { counter },
            AccountKind::Steam => OtpKind::Steam,
        },
        issuer: account.issuer.map(str::to_owned),
        account_name: account.name.to_owned(),
        seed: account.seed.duplicate(),
        algorithm: account.algorithm,
        digits: account.digits,
        zweifaktor: None,
    }
    .to_uri_string()
}
