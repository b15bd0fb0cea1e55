//! [`NewAccount`]: an account about to be added, and the checks every way into the vault
//! passes.

use zweifaktor_protocol::otp::STEAM_CODE_LEN;
use zweifaktor_protocol::otp::params::{MAX_DIGITS, MIN_DIGITS};
use zweifaktor_protocol::uri::{MAX_PERIOD_SECS, OtpAuthUri, OtpKind};
use zweifaktor_protocol::{HashAlgorithm, Seed};

use super::AccountKind;
use crate::error::CoreError;

/// Seeds shorter than this are flagged as weak: 16 bytes (128 bits), the minimum RFC 4226 §4
/// (requirement R6) sets. Shorter seeds are still accepted, because sites issue them (80-bit
/// seeds are common) and Google Authenticator and Aegis take them; the app shows a short note.
pub const STRONG_SEED_BYTES: usize = 16;

/// An account about to be added, by hand, from a link or from an import file: everything an
/// [`Account`](super::Account) holds except its id and portal binding.
///
/// Every way into the vault builds one of these, so the rules for adding (duplicates, weak
/// secrets, [`check`](Self::check)) are applied in one place. `Debug` hides the seed.
pub struct NewAccount {
    /// Who issued the account, if known.
    pub issuer: Option<String>,
    /// The account name, usually the e-mail address.
    pub name: String,
    /// The shared secret.
    pub seed: Seed,
    /// The HMAC hash (always SHA-1 for Steam).
    pub algorithm: HashAlgorithm,
    /// Digits per code (ignored for Steam, which shows five characters).
    pub digits: u8,
    /// TOTP, HOTP or Steam.
    pub kind: AccountKind,
}

impl NewAccount {
    /// The account an `otpauth://` URI describes (its `zf_` enrollment aside).
    pub fn from_uri(uri: &OtpAuthUri) -> Self {
        let kind = match uri.kind {
            OtpKind::Totp { period } => AccountKind::Totp { period },
            OtpKind::Hotp { counter } => AccountKind::Hotp { counter },
            OtpKind::Steam => AccountKind::Steam,
        };
        Self {
            issuer: uri.issuer.clone(),
            name: uri.account_name.clone(),
            seed: uri.seed.duplicate(),
            algorithm: uri.algorithm,
            digits: uri.digits,
            kind,
        }
        .normalized()
    }

    /// The label `ISSUER:NAME`, or the name alone, as [`Account::label`](super::Account::label)
    /// would show it.
    pub fn label(&self) -> String {
        label(self.issuer.as_deref(), &self.name)
    }

    /// Whether the seed is shorter than [`STRONG_SEED_BYTES`]: worth a note, not a refusal.
    pub fn weak_secret(&self) -> bool {
        is_weak(&self.seed)
    }

    /// Whether `other` is the same account ([`Keyring::is_duplicate`](super::Keyring::is_duplicate)'s
    /// rule), for checking a batch against itself.
    pub(crate) fn same_as(&self, other: &NewAccount) -> bool {
        same_identity((&self.seed, &self.label()), (&other.seed, &other.label()))
    }

    /// Checks what every account must have before it is stored: a name, a non-empty secret,
    /// 6 to 8 digits (not for Steam) and a TOTP period of 1 s to
    /// [`MAX_PERIOD_SECS`](zweifaktor_protocol::uri::MAX_PERIOD_SECS).
    ///
    /// # Errors
    /// [`CoreError::EmptyName`], [`CoreError::EmptySecret`], [`CoreError::InvalidDigits`] or
    /// [`CoreError::InvalidPeriod`].
    pub fn check(&self) -> Result<(), CoreError> {
        if self.name.trim().is_empty() {
            return Err(CoreError::EmptyName);
        }
        if self.seed.is_empty() {
            return Err(CoreError::EmptySecret);
        }
        match self.kind {
            AccountKind::Steam => Ok(()),
            AccountKind::Totp { period } if !(1..=MAX_PERIOD_SECS).contains(&period) => {
                Err(CoreError::InvalidPeriod { period })
            }
            AccountKind::Totp { .. } | AccountKind::Hotp { .. } => {
                if (MIN_DIGITS..=MAX_DIGITS).contains(&self.digits) {
                    Ok(())
                } else {
                    Err(CoreError::InvalidDigits {
                        digits: self.digits,
                    })
                }
            }
        }
    }

    /// The same account with an empty issuer dropped and Steam's fixed parameters (SHA-1,
    /// five characters) filled in, so that what is stored is what is shown.
    pub(crate) fn normalized(mut self) -> Self {
        if self.issuer.as_deref().is_some_and(|i| i.trim().is_empty()) {
            self.issuer = None;
        }
        if self.kind == AccountKind::Steam {
            self.algorithm = HashAlgorithm::Sha1;
            self.digits = STEAM_CODE_LEN;
        }
        self
    }
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("seed", &self.seed)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("kind", &self.kind)
            .finish()
    }
}

/// `ISSUER:NAME`, or the name alone: the one way labels are written.
pub(crate) fn label(issuer: Option<&str>, name: &str) -> String {
    match issuer {
        Some(issuer) => format!("{issuer}:{name}"),
        None => name.to_owned(),
    }
}

/// The duplicate rule: the same secret (compared in constant time) under the same label,
/// letter case aside. Each side is a seed and its label.
pub(crate) fn same_identity(a: (&Seed, &str), b: (&Seed, &str)) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.0.as_bytes().ct_eq(b.0.as_bytes())) && super::same_text(a.1, b.1)
}

/// The weak-secret rule ([`STRONG_SEED_BYTES`]).
pub(crate) fn is_weak(seed: &Seed) -> bool {
    seed.len() < STRONG_SEED_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(kind: AccountKind, digits: u8, seed: &[u8]) -> NewAccount {
        NewAccount {
            issuer: Some("Example".into()),
            name: "erika".into(),
            seed: Seed::from_bytes(seed.to_vec()),
            algorithm: HashAlgorithm::Sha256,
            digits,
            kind,
        }
    }

    #[test]
    fn check_refuses_what_no_code_can_come_from() {
        let totp = AccountKind::Totp { period: 30 };
        assert!(account(totp, 6, b"1234567890").check().is_ok());
        assert!(matches!(
            account(totp, 6, b"").check(),
            Err(CoreError::EmptySecret)
        ));
        assert!(matches!(
            account(totp, 9, b"1234567890").check(),
            Err(CoreError::InvalidDigits { digits: 9 })
        ));
        for period in [0, MAX_PERIOD_SECS + 1] {
            assert!(matches!(
                account(AccountKind::Totp { period }, 6, b"1234567890").check(),
                Err(CoreError::InvalidPeriod { period: p }) if p == period
            ));
        }
        let mut unnamed = account(totp, 6, b"1234567890");
        unnamed.name = " ".into();
        assert!(matches!(unnamed.check(), Err(CoreError::EmptyName)));
        assert!(
            account(AccountKind::Steam, 0, b"1234567890")
                .check()
                .is_ok()
        );
    }

    #[test]
    fn steam_accounts_are_normalized_to_its_fixed_parameters() {
        let mut steam = account(AccountKind::Steam, 8, b"1234567890").normalized();
        assert_eq!(steam.algorithm, HashAlgorithm::Sha1);
        assert_eq!(steam.digits, STEAM_CODE_LEN);
        steam.issuer = Some("  ".into());
        assert_eq!(steam.normalized().issuer, None);
    }

    #[test]
    fn seeds_under_128_bits_are_weak() {
        let totp = AccountKind::Totp { period: 30 };
        assert!(account(totp, 6, &[7; 10]).weak_secret());
        assert!(account(totp, 6, &[7; 15]).weak_secret());
        assert!(!account(totp, 6, &[7; 16]).weak_secret());
    }
}
