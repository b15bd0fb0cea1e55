//! One `OtpParameters` entry to and from a [`NewAccount`].
//!
//! Names: Google Authenticator writes the label `ISSUER:NAME` into `name` and the issuer again
//! into `issuer` (dim13/otpauth's sample link has `name = "Example:alice@google.com"`,
//! `issuer = "Example"`). Reading strips that one `ISSUER:` prefix (and spaces after it, as the
//! Key Uri Format allows); writing adds it, so that a name which itself starts with the issuer
//! and a colon survives the round trip. Without an issuer the name is kept whole.
//!
//! The format has no period (always 30 s), no Steam type, and only six or eight digits.

use zweifaktor_protocol::HashAlgorithm;
use zweifaktor_protocol::Seed;

use super::proto::{Algorithm, DigitCount, OtpParameters, OtpType};
use crate::accounts::{AccountKind, NewAccount};
use crate::export::ExportAccount;
use crate::import::Unsupported;

/// The only time step the format knows (Google Authenticator uses 30 s for every account).
pub(crate) const PERIOD_SECS: u64 = 30;

/// The account of one entry, or why it cannot be shown.
pub(crate) fn read(mut entry: OtpParameters) -> Result<NewAccount, Unsupported> {
    let (issuer, name) = names(&entry.issuer, &entry.name);
    let label = match &issuer {
        Some(issuer) => format!("{issuer}:{name}"),
        None => name.clone(),
    };
    let kind_name = match OtpType::try_from(entry.r#type) {
        Ok(OtpType::Totp) => "totp".to_owned(),
        Ok(OtpType::Hotp) => "hotp".to_owned(),
        Ok(OtpType::Unspecified) => "unspecified".to_owned(),
        Err(_) => format!("type {}", entry.r#type),
    };
    let refuse = |reason: String| Unsupported {
        label: label.clone(),
        kind: kind_name.clone(),
        reason,
    };
    let kind = match OtpType::try_from(entry.r#type) {
        Ok(OtpType::Totp) => AccountKind::Totp {
            period: PERIOD_SECS,
        },
        Ok(OtpType::Hotp) => AccountKind::Hotp {
            counter: entry.counter,
        },
        Ok(OtpType::Unspecified) => return Err(refuse("the entry names no OTP type".to_owned())),
        Err(_) => return Err(refuse(format!("unknown OTP type {}", entry.r#type))),
    };
    let algorithm = match Algorithm::try_from(entry.algorithm) {
        Ok(Algorithm::Unspecified | Algorithm::Sha1) => HashAlgorithm::Sha1,
        Ok(Algorithm::Sha256) => HashAlgorithm::Sha256,
        Ok(Algorithm::Sha512) => HashAlgorithm::Sha512,
        Ok(Algorithm::Md5) => return Err(refuse("MD5 codes are not supported".to_owned())),
        Err(_) => return Err(refuse(format!("unknown algorithm {}", entry.algorithm))),
    };
    let digits = match DigitCount::try_from(entry.digits) {
        Ok(DigitCount::Unspecified | DigitCount::Six) => 6,
        Ok(DigitCount::Eight) => 8,
        Err(_) => return Err(refuse(format!("unknown digit count {}", entry.digits))),
    };
    if name.is_empty() {
        return Err(refuse("the entry has no name".to_owned()));
    }
    if entry.secret.is_empty() {
        return Err(refuse("the entry has no secret".to_owned()));
    }
    Ok(NewAccount {
        issuer,
        name,
        seed: Seed::from_bytes(std::mem::take(&mut entry.secret)),
        algorithm,
        digits,
        kind,
    })
}

/// Issuer and account name: the issuer if not empty, the name without an `ISSUER:` prefix.
/// An entry with an issuer but no name is named after its issuer.
fn names(issuer: &str, name: &str) -> (Option<String>, String) {
    if issuer.is_empty() {
        return (None, name.to_owned());
    }
    let bare = name
        .strip_prefix(issuer)
        .and_then(|rest| rest.strip_prefix(':'))
        .map_or(name, |rest| rest.trim_start_matches(' '));
    if bare.is_empty() {
        return (None, issuer.to_owned());
    }
    (Some(issuer.to_owned()), bare.to_owned())
}

/// What cannot be written in this format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotWritable {
    /// Steam Guard has no type here.
    Steam,
    /// Only six or eight digits.
    Digits(u8),
    /// Only 30-second steps.
    Period(u64),
}

/// The entry for an account, or what the format cannot hold.
pub(crate) fn write(account: &ExportAccount<'_>) -> Result<OtpParameters, NotWritable> {
    let &ExportAccount {
        issuer,
        name,
        seed,
        algorithm,
        digits,
        kind,
    } = account;
    let (r#type, counter) = match kind {
        AccountKind::Totp {
            period: PERIOD_SECS,
        } => (OtpType::Totp, 0),
        AccountKind::Totp { period } => return Err(NotWritable::Period(period)),
        AccountKind::Hotp { counter } => (OtpType::Hotp, counter),
        AccountKind::Steam => return Err(NotWritable::Steam),
    };
    let digits = match digits {
        6 => DigitCount::Six,
        8 => DigitCount::Eight,
        other => return Err(NotWritable::Digits(other)),
    };
    let algorithm = match algorithm {
        HashAlgorithm::Sha1 => Algorithm::Sha1,
        HashAlgorithm::Sha256 => Algorithm::Sha256,
        HashAlgorithm::Sha512 => Algorithm::Sha512,
    };
    let (issuer, name) = match issuer {
        Some(issuer) => (issuer.to_owned(), format!("{issuer}:{name}")),
        None => (String::new(), name.to_owned()),
    };
    Ok(OtpParameters {
        secret: seed.as_bytes().to_vec(),
        name,
        issuer,
        algorithm: algorithm.into(),
        digits: digits.into(),
        r#type: r#type.into(),
        counter,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entry(issuer: &str, name: &str) -> OtpParameters {
        OtpParameters {
            secret: b"12345678901234567890".to_vec(),
            name: name.to_owned(),
            issuer: issuer.to_owned(),
            algorithm: 1,
            digits: 1,
            r#type: 2,
            counter: 0,
        }
    }

    #[test]
    fn the_issuer_prefix_is_stripped_once() {
        for (issuer, name, want_issuer, want_name) in [
            (
                "Example",
                "Example:alice@google.com",
                Some("Example"),
                "alice@google.com",
            ),
            ("Example", "Example: alice", Some("Example"), "alice"),
            ("Example", "alice", Some("Example"), "alice"),
            ("Example", "Example:Example:x", Some("Example"), "Example:x"),
            ("", "Other:bob", None, "Other:bob"),
            ("Example", "", None, "Example"),
            ("Example", "Example:", None, "Example"),
        ] {
            let account = read(entry(issuer, name)).unwrap();
            assert_eq!(account.issuer.as_deref(), want_issuer, "{issuer} {name}");
            assert_eq!(account.name, want_name, "{issuer} {name}");
        }
    }

    #[test]
    fn writing_then_reading_keeps_names_that_look_like_labels() {
        for (issuer, name) in [(Some("A"), "A:b"), (None, "A:b"), (Some("A"), "b")] {
            let seed = Seed::from_bytes(vec![7; 10]);
            let written = write(&ExportAccount {
                issuer,
                name,
                seed: &seed,
                algorithm: HashAlgorithm::Sha1,
                digits: 6,
                kind: AccountKind::Totp { period: 30 },
            })
            .unwrap();
            let read = read(written).unwrap();
            assert_eq!((read.issuer.as_deref(), read.name.as_str()), (issuer, name));
        }
    }

    #[test]
    fn unknown_and_unsupported_values_are_listed_with_a_reason() {
        type Change = fn(&mut OtpParameters);
        let cases: [(Change, &str, &str); 7] = [
            (|e| e.algorithm = 4, "totp", "MD5 codes are not supported"),
            (|e| e.algorithm = 9, "totp", "unknown algorithm 9"),
            (|e| e.digits = 3, "totp", "unknown digit count 3"),
            (
                |e| e.r#type = 0,
                "unspecified",
                "the entry names no OTP type",
            ),
            (|e| e.r#type = 7, "type 7", "unknown OTP type 7"),
            (|e| e.secret.clear(), "totp", "the entry has no secret"),
            (
                |e| {
                    e.issuer.clear();
                    e.name.clear();
                },
                "totp",
                "the entry has no name",
            ),
        ];
        for (change, kind, reason) in cases {
            let mut bad = entry("Bank", "erika");
            change(&mut bad);
            let refused = read(bad).unwrap_err();
            assert_eq!(
                (refused.kind.as_str(), refused.reason.as_str()),
                (kind, reason)
            );
        }
    }

    #[test]
    fn what_the_format_cannot_hold_is_named() {
        let seed = Seed::from_bytes(vec![7; 20]);
        let write = |digits, kind| {
            write(&ExportAccount {
                issuer: None,
                name: "n",
                seed: &seed,
                algorithm: HashAlgorithm::Sha1,
                digits,
                kind,
            })
        };
        assert_eq!(
            write(6, AccountKind::Steam).unwrap_err(),
            NotWritable::Steam
        );
        assert_eq!(
            write(7, AccountKind::Totp { period: 30 }).unwrap_err(),
            NotWritable::Digits(7)
        );
        assert_eq!(
            write(6, AccountKind::Totp { period: 60 }).unwrap_err(),
            NotWritable::Period(60)
        );
        let hotp = write(8, AccountKind::Hotp { counter: 42 }).unwrap();
        assert_eq!((hotp.r#type, hotp.digits, hotp.counter), (1, 2, 42));
    }
}
