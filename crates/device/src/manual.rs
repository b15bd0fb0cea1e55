//! `add-manual`: the command line's options and the typed secret as a core [`ManualEntry`].
//!
//! The options map one to one onto the entry's fields; the rules for what makes a valid
//! account (base32, digits, period, duplicates) are the core's. Only the command line's own
//! mistake is caught here: an option that the chosen type does not have.

use zeroize::Zeroizing;
use zweifaktor_core::accounts::{AccountKind, ManualEntry};
use zweifaktor_protocol::HashAlgorithm;
use zweifaktor_protocol::uri::{DEFAULT_DIGITS, DEFAULT_PERIOD_SECS};

use crate::cli::OtpType;
use crate::exit::DeviceError;

/// The options of `add-manual` other than issuer and name.
#[derive(Debug, Clone, Copy)]
pub struct CodeOptions {
    /// `--type`.
    pub otp_type: OtpType,
    /// `--algorithm`.
    pub algorithm: Option<HashAlgorithm>,
    /// `--digits`.
    pub digits: Option<u8>,
    /// `--period`.
    pub period: Option<u64>,
    /// `--counter`.
    pub counter: Option<u64>,
}

impl CodeOptions {
    /// The account kind the options describe, with the defaults for what was left out.
    ///
    /// # Errors
    /// [`DeviceError::OptionForOtherType`] for `--counter` without `--type hotp`, `--period`
    /// without `--type totp`, and `--algorithm` or `--digits` with `--type steam`.
    pub fn kind(&self) -> Result<AccountKind, DeviceError> {
        let refuse = |option: &'static str| DeviceError::OptionForOtherType {
            option,
            otp_type: self.otp_type.as_str(),
        };
        match self.otp_type {
            OtpType::Totp if self.counter.is_some() => Err(refuse("--counter")),
            OtpType::Totp => Ok(AccountKind::Totp {
                period: self.period.unwrap_or(DEFAULT_PERIOD_SECS),
            }),
            OtpType::Hotp if self.period.is_some() => Err(refuse("--period")),
            OtpType::Hotp => Ok(AccountKind::Hotp {
                counter: self.counter.unwrap_or(0),
            }),
            OtpType::Steam => {
                let given = [
                    ("--algorithm", self.algorithm.is_some()),
                    ("--digits", self.digits.is_some()),
                    ("--period", self.period.is_some()),
                    ("--counter", self.counter.is_some()),
                ];
                match given.into_iter().find(|(_, set)| *set) {
                    Some((option, _)) => Err(refuse(option)),
                    None => Ok(AccountKind::Steam),
                }
            }
        }
    }
}

/// The entry the options describe, with the core's defaults for what was left out.
///
/// # Errors
/// Those of [`CodeOptions::kind`].
pub fn entry(
    issuer: Option<String>,
    name: String,
    secret: Zeroizing<String>,
    options: CodeOptions,
) -> Result<ManualEntry, DeviceError> {
    let mut entry = ManualEntry::new(issuer, name, secret);
    entry.kind = options.kind()?;
    entry.algorithm = options.algorithm.unwrap_or(HashAlgorithm::Sha1);
    entry.digits = options.digits.unwrap_or(DEFAULT_DIGITS);
    Ok(entry)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn options(otp_type: OtpType) -> CodeOptions {
        CodeOptions {
            otp_type,
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
        }
    }

    fn build(options: CodeOptions) -> Result<ManualEntry, DeviceError> {
        entry(None, "erika".into(), Zeroizing::new("ME".into()), options)
    }

    #[test]
    fn defaults_are_totp_sha1_six_digits_thirty_seconds() {
        let entry = build(options(OtpType::Totp)).unwrap();
        assert_eq!(entry.kind, AccountKind::Totp { period: 30 });
        assert_eq!((entry.algorithm, entry.digits), (HashAlgorithm::Sha1, 6));
        let hotp = build(options(OtpType::Hotp)).unwrap();
        assert_eq!(hotp.kind, AccountKind::Hotp { counter: 0 });
    }

    #[test]
    fn options_of_another_type_are_refused() {
        let mut totp = options(OtpType::Totp);
        totp.counter = Some(3);
        let mut hotp = options(OtpType::Hotp);
        hotp.period = Some(60);
        let mut steam = options(OtpType::Steam);
        steam.digits = Some(6);
        for (options, expected) in [(totp, "--counter"), (hotp, "--period"), (steam, "--digits")] {
            assert!(matches!(
                build(options),
                Err(DeviceError::OptionForOtherType { option, .. }) if option == expected
            ));
        }
    }
}
