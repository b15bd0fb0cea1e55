//! An account typed in by hand: issuer, name and the secret as the site prints it.

use zeroize::Zeroizing;
use zweifaktor_protocol::uri::{DEFAULT_DIGITS, DEFAULT_PERIOD_SECS};
use zweifaktor_protocol::{HashAlgorithm, Seed};

use super::{AccountKind, NewAccount};
use crate::error::CoreError;

/// What a person types into "add account by hand".
///
/// [`ManualEntry::new`] fills in the defaults nearly every site uses (TOTP, SHA-1, six digits,
/// 30 s); the fields are public so a form can change each. `Debug` hides the secret.
pub struct ManualEntry {
    /// Who issued the account (the site's name); blank means none.
    pub issuer: Option<String>,
    /// The account name, usually the e-mail address or user name.
    pub name: String,
    /// The base32 secret as typed: spaces, lower case and `=` padding are accepted.
    pub secret: Zeroizing<String>,
    /// TOTP with its period, HOTP with its counter, or Steam.
    pub kind: AccountKind,
    /// The HMAC hash (ignored for Steam, which always uses SHA-1).
    pub algorithm: HashAlgorithm,
    /// Digits per code, 6 to 8 (ignored for Steam).
    pub digits: u8,
}

impl ManualEntry {
    /// An entry with the usual defaults: TOTP, 30 s, SHA-1, six digits.
    pub fn new(issuer: Option<String>, name: String, secret: Zeroizing<String>) -> Self {
        Self {
            issuer,
            name,
            secret,
            kind: AccountKind::Totp {
                period: DEFAULT_PERIOD_SECS,
            },
            algorithm: HashAlgorithm::Sha1,
            digits: DEFAULT_DIGITS,
        }
    }

    /// The account this entry describes, checked as every new account is
    /// ([`NewAccount::check`]); issuer and name are trimmed.
    ///
    /// # Errors
    /// [`CoreError::InvalidSecret`] for a secret that is not base32, [`CoreError::ColonInIssuer`]
    /// for an issuer with `:` (it would make the label `ISSUER:NAME` ambiguous), and those of
    /// [`NewAccount::check`].
    pub fn to_new_account(&self) -> Result<NewAccount, CoreError> {
        let issuer = checked_issuer(self.issuer.as_deref())?;
        let seed = Seed::from_typed_base32(&self.secret).map_err(CoreError::InvalidSecret)?;
        let account = NewAccount {
            issuer,
            name: self.name.trim().to_owned(),
            seed,
            algorithm: self.algorithm,
            digits: self.digits,
            kind: self.kind,
        }
        .normalized();
        account.check()?;
        Ok(account)
    }
}

/// A typed issuer, trimmed; blank means none.
///
/// # Errors
/// [`CoreError::ColonInIssuer`] for an issuer containing `:`.
pub(crate) fn checked_issuer(issuer: Option<&str>) -> Result<Option<String>, CoreError> {
    match issuer.map(str::trim).filter(|i| !i.is_empty()) {
        Some(issuer) if issuer.contains(':') => Err(CoreError::ColonInIssuer),
        issuer => Ok(issuer.map(str::to_owned)),
    }
}

impl std::fmt::Debug for ManualEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualEntry")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &"redacted")
            .field("kind", &self.kind)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(secret: &str) -> ManualEntry {
        ManualEntry::new(
            Some(" GitHub ".into()),
            " erika ".into(),
            Zeroizing::new(secret.into()),
        )
    }

    #[test]
    fn a_secret_is_read_as_sites_print_it() {
        let account = entry("jbsw y3dp ehpk 3pxp").to_new_account().unwrap();
        assert_eq!(account.seed.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
        assert_eq!(account.label(), "GitHub:erika");
        assert_eq!(account.kind, AccountKind::Totp { period: 30 });
        assert_eq!(
            (account.algorithm, account.digits),
            (HashAlgorithm::Sha1, 6)
        );
        assert!(account.weak_secret());
        let padded = entry("MZXW6YTBOI======").to_new_account().unwrap();
        assert_eq!(padded.seed.as_bytes(), b"foobar");
    }

    #[test]
    fn bad_secrets_and_issuers_are_typed_errors() {
        assert!(matches!(
            entry("JBSW-Y3DP").to_new_account(),
            Err(CoreError::InvalidSecret(_))
        ));
        assert!(matches!(
            entry("   ").to_new_account(),
            Err(CoreError::EmptySecret)
        ));
        let mut colon = entry("JBSWY3DPEHPK3PXP");
        colon.issuer = Some("a:b".into());
        assert!(matches!(
            colon.to_new_account(),
            Err(CoreError::ColonInIssuer)
        ));
        let mut blank = entry("JBSWY3DPEHPK3PXP");
        blank.issuer = Some(" ".into());
        assert_eq!(blank.to_new_account().unwrap().issuer, None);
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", entry("JBSWY3DPEHPK3PXP"));
        assert!(!shown.contains("JBSW"), "{shown}");
    }
}
