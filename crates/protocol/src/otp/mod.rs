//! One-time passwords: HOTP (RFC 4226), TOTP (RFC 6238) and OCRA (RFC 6287).
//!
//! Every function here is pure: the caller passes the seed, the counter or the Unix time, and
//! gets a [`Code`] back. Verification compares in constant time and returns *which* counter or
//! time step matched, so the caller can refuse to accept the same one twice (RFC 4226 §7.2,
//! RFC 6238 §5.2).
//!
//! # Layout
//! - [`code`]: the [`Code`] newtype every generator returns.
//! - [`params`]: [`OtpParams`] (hash and digit count) shared by HOTP and TOTP.
//! - [`hotp`](mod@hotp) and [`totp`](mod@totp): counter- and time-based codes, computed by the `totp-rs` crate.
//! - [`steam`](mod@steam): Steam Guard's five-character TOTP codes.
//! - [`ocra`](mod@ocra): challenge-response codes (all suites of RFC 6287), written here on `hmac`.
//! - [`error`]: [`OtpError`] and [`UnknownHashAlgorithm`].

pub mod code;
pub mod error;
pub mod hotp;
pub mod ocra;
pub mod params;
pub mod steam;
pub mod totp;

use std::fmt;
use std::str::FromStr;

pub use code::Code;
pub use error::{OtpError, UnknownHashAlgorithm};
pub use hotp::{hotp, verify_hotp};
pub use ocra::{
    OcraError, OcraInput, OcraPassword, OcraQuestion, OcraSuite, OcraSuiteError, ZWEIFAKTOR_SUITE,
    ocra, verify_ocra, verify_zweifaktor_code, zweifaktor_code,
};
pub use params::OtpParams;
pub use steam::{STEAM_CODE_LEN, STEAM_PERIOD_SECS, steam};
pub use totp::{totp, totp_seconds_left, verify_totp};

/// The HMAC hash function of an OTP algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// HMAC-SHA1, the default of RFC 4226 and of most authenticators.
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl HashAlgorithm {
    /// The name as `otpauth://` URIs and OCRA suites spell it: `SHA1`, `SHA256` or `SHA512`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// Length in bytes of the hash output, which is also the length of the HMAC output.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HashAlgorithm {
    type Err = UnknownHashAlgorithm;

    /// Accepts `SHA1`, `SHA256` and `SHA512` in any letter case, since `otpauth://` URIs in the
    /// wild write both `SHA1` and `sha1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Sha1, Self::Sha256, Self::Sha512]
            .into_iter()
            .find(|algorithm| s.eq_ignore_ascii_case(algorithm.as_str()))
            .ok_or(UnknownHashAlgorithm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_any_case() {
        for algorithm in [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha512,
        ] {
            assert_eq!(algorithm.as_str().parse(), Ok(algorithm));
            assert_eq!(
                algorithm.as_str().to_ascii_lowercase().parse(),
                Ok(algorithm)
            );
            assert_eq!(algorithm.to_string(), algorithm.as_str());
        }
        assert_eq!("Sha256".parse(), Ok(HashAlgorithm::Sha256));
    }

    #[test]
    fn unknown_names_are_rejected() {
        for name in ["", "SHA", "SHA-1", "SHA384", "MD5", " SHA1", "SHA1 "] {
            assert_eq!(name.parse::<HashAlgorithm>(), Err(UnknownHashAlgorithm));
        }
    }

    #[test]
    fn output_lengths_match_the_hashes() {
        assert_eq!(HashAlgorithm::Sha1.output_len(), 20);
        assert_eq!(HashAlgorithm::Sha256.output_len(), 32);
        assert_eq!(HashAlgorithm::Sha512.output_len(), 64);
    }
}
