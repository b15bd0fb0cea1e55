//! One entry of an export file, as its fields say, turned into a [`NewAccount`] or, when the
//! app cannot show it, into an [`Unsupported`] with the reason.
//!
//! Every JSON importer (Aegis, 2FAS) reads its fields into an [`Entry`] and leaves the rules
//! here, and those of every new account ([`NewAccount::check`]): which kinds, hashes, digit
//! counts and periods the app shows. Secrets are accepted at any non-empty length (DESIGN.md:
//! sites issue 80-bit secrets), with white space removed as sites print them.

use zweifaktor_protocol::otp::STEAM_CODE_LEN;
use zweifaktor_protocol::{HashAlgorithm, Seed};

use super::Unsupported;
use crate::accounts::{AccountKind, NewAccount};
use crate::error::CoreError;

/// The kind of code an entry shows, as the file names it.
pub(crate) enum EntryKind {
    /// Time-based, with its period in seconds.
    Totp {
        /// The period as the file gives it.
        period: u64,
    },
    /// Counter-based, with the next counter.
    Hotp {
        /// The counter as the file gives it.
        counter: u64,
    },
    /// Steam Guard (its algorithm, digits and period are fixed).
    Steam,
}

/// An entry's fields as read from the file, before any rule is applied.
pub(crate) struct Entry<'a> {
    /// The issuer; empty counts as none.
    pub(crate) issuer: &'a str,
    /// The account name.
    pub(crate) name: &'a str,
    /// The base32 secret as written.
    pub(crate) secret: &'a str,
    /// The hash name as written (`SHA1`, `sha256`, …).
    pub(crate) algorithm: &'a str,
    /// The number of digits as written.
    pub(crate) digits: u64,
    /// The kind with its period or counter.
    pub(crate) kind: EntryKind,
}

/// Why Zweifaktor shows no other kinds, for the preview.
pub(crate) const OTHER_KIND_REASON: &str =
    "Zweifaktor shows TOTP, HOTP and Steam codes; this kind of code is not supported";

/// The label an entry is listed under: `ISSUER:NAME`, or the name alone.
pub(crate) fn label(issuer: &str, name: &str) -> String {
    if issuer.is_empty() {
        name.to_owned()
    } else {
        format!("{issuer}:{name}")
    }
}

/// An entry of a kind the app cannot show (mOTP, Yandex, …).
pub(crate) fn other_kind(issuer: &str, name: &str, kind: &str) -> Unsupported {
    Unsupported {
        label: label(issuer, name),
        kind: kind.to_owned(),
        reason: OTHER_KIND_REASON.to_owned(),
    }
}

impl Entry<'_> {
    /// The account this entry describes, or why it cannot be shown. The rules are those of
    /// every new account ([`NewAccount::check`]); their messages are the reasons.
    pub(crate) fn into_account(self) -> Result<NewAccount, Unsupported> {
        let kind_name = match self.kind {
            EntryKind::Totp { .. } => "totp",
            EntryKind::Hotp { .. } => "hotp",
            EntryKind::Steam => "steam",
        };
        let unsupported = |reason: String| Unsupported {
            label: label(self.issuer, self.name),
            kind: kind_name.to_owned(),
            reason,
        };
        let seed = Seed::from_typed_base32(self.secret)
            .map_err(|error| unsupported(CoreError::InvalidSecret(error).to_string()))?;
        let (algorithm, digits, kind) = match self.kind {
            EntryKind::Steam => (HashAlgorithm::Sha1, STEAM_CODE_LEN, AccountKind::Steam),
            EntryKind::Totp { period } => {
                let (algorithm, digits) =
                    params(self.algorithm, self.digits).map_err(unsupported)?;
                (algorithm, digits, AccountKind::Totp { period })
            }
            EntryKind::Hotp { counter } => {
                let (algorithm, digits) =
                    params(self.algorithm, self.digits).map_err(unsupported)?;
                (algorithm, digits, AccountKind::Hotp { counter })
            }
        };
        let account = NewAccount {
            issuer: (!self.issuer.is_empty()).then(|| self.issuer.to_owned()),
            name: self.name.to_owned(),
            seed,
            algorithm,
            digits,
            kind,
        };
        account
            .check()
            .map_err(|error| unsupported(error.to_string()))?;
        Ok(account)
    }
}

/// The hash by name, and the digit count if it fits a byte (its range is
/// [`NewAccount::check`]'s to judge).
fn params(algorithm: &str, digits: u64) -> Result<(HashAlgorithm, u8), String> {
    let algorithm: HashAlgorithm = algorithm
        .parse()
        .map_err(|_| "only the hashes SHA1, SHA256 and SHA512 are supported".to_owned())?;
    let digits = u8::try_from(digits).map_err(|_| format!("{digits} digits are not supported"))?;
    Ok((algorithm, digits))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entry(kind: EntryKind) -> Entry<'static> {
        Entry {
            issuer: "Deno",
            name: "Mason",
            secret: "4sjh b4gs d43f zbai 7c2h lrjg pq",
            algorithm: "sha256",
            digits: 7,
            kind,
        }
    }

    #[test]
    fn totp_hotp_and_steam_become_accounts() {
        let totp = entry(EntryKind::Totp { period: 20 })
            .into_account()
            .unwrap();
        assert_eq!(totp.label(), "Deno:Mason");
        assert_eq!(totp.seed.to_base32().as_str(), "4SJHB4GSD43FZBAI7C2HLRJGPQ");
        assert_eq!((totp.algorithm, totp.digits), (HashAlgorithm::Sha256, 7));
        assert_eq!(totp.kind, AccountKind::Totp { period: 20 });
        let hotp = entry(EntryKind::Hotp { counter: 9 })
            .into_account()
            .unwrap();
        assert_eq!(hotp.kind, AccountKind::Hotp { counter: 9 });
        let steam = entry(EntryKind::Steam).into_account().unwrap();
        assert_eq!(
            (steam.algorithm, steam.kind),
            (HashAlgorithm::Sha1, AccountKind::Steam)
        );
    }

    #[test]
    fn an_empty_issuer_is_none() {
        let account = Entry {
            issuer: "",
            ..entry(EntryKind::Totp { period: 30 })
        }
        .into_account()
        .unwrap();
        assert_eq!((account.issuer, account.name.as_str()), (None, "Mason"));
    }

    #[test]
    fn short_secrets_are_accepted() {
        let account = Entry {
            secret: "JBSWY3DPEHPK3PXP",
            ..entry(EntryKind::Totp { period: 30 })
        }
        .into_account()
        .unwrap();
        assert_eq!(account.seed.len(), 10);
    }

    #[test]
    fn unusable_entries_say_why() {
        let cases = [
            (
                Entry {
                    secret: "",
                    ..entry(EntryKind::Steam)
                },
                "the secret is empty",
            ),
            (
                Entry {
                    secret: "1890",
                    ..entry(EntryKind::Steam)
                },
                "the secret is not valid base32",
            ),
            (
                Entry {
                    name: " ",
                    ..entry(EntryKind::Steam)
                },
                "an account name must not be empty",
            ),
            (
                Entry {
                    algorithm: "MD5",
                    ..entry(EntryKind::Totp { period: 30 })
                },
                "only the hashes SHA1, SHA256 and SHA512 are supported",
            ),
            (
                Entry {
                    digits: 10,
                    ..entry(EntryKind::Hotp { counter: 0 })
                },
                "a code has 6 to 8 digits, not 10",
            ),
            (
                entry(EntryKind::Totp { period: 0 }),
                "a period of 0 s is not allowed",
            ),
        ];
        for (entry, reason) in cases {
            let unsupported = entry.into_account().unwrap_err();
            assert!(unsupported.label.starts_with("Deno:"));
            assert_eq!(unsupported.reason, reason);
        }
        let other = other_kind("", "Bob", "motp");
        assert_eq!((other.label.as_str(), other.kind.as_str()), ("Bob", "motp"));
    }
}
