//! The view of an account that export writers see: its names, seed and code parameters.

use zweifaktor_protocol::otp::STEAM_CODE_LEN;
use zweifaktor_protocol::{HashAlgorithm, Seed};

use crate::accounts::{Account, AccountKind};
use crate::error::CoreError;

/// One account to write, borrowed from the vault.
///
/// Crate-private, so that seeds never leave the core except through a writer.
pub(crate) struct ExportAccount<'a> {
    /// The issuer, if any.
    pub(crate) issuer: Option<&'a str>,
    /// The account name.
    pub(crate) name: &'a str,
    /// The shared secret.
    pub(crate) seed: &'a Seed,
    /// The HMAC hash (SHA-1 for Steam).
    pub(crate) algorithm: HashAlgorithm,
    /// Digits per code (five for Steam).
    pub(crate) digits: u8,
    /// TOTP, HOTP or Steam.
    pub(crate) kind: AccountKind,
}

impl<'a> ExportAccount<'a> {
    /// The view of a stored account.
    ///
    /// # Errors
    /// [`CoreError::Otp`] when a TOTP or HOTP account's stored digits are unusable, which the
    /// rules for adding accounts rule out.
    pub(crate) fn from_account(account: &'a Account) -> Result<Self, CoreError> {
        let (algorithm, digits) = match account.kind() {
            AccountKind::Steam => (HashAlgorithm::Sha1, STEAM_CODE_LEN),
            AccountKind::Totp { .. } | AccountKind::Hotp { .. } => {
                let params = account.params()?;
                (params.algorithm, params.digits)
            }
        };
        Ok(Self {
            issuer: account.issuer(),
            name: account.name(),
            seed: account.seed(),
            algorithm,
            digits,
            kind: account.kind(),
        })
    }
}
