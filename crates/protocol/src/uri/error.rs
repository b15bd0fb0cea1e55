//! Everything that can be wrong with an `otpauth://` URI, one variant per mistake.
//!
//! Details carried here are never secret: lengths, positions, parameter names and short
//! excerpts of non-secret values (type, algorithm, numbers). Secrets and tokens never appear.

use thiserror::Error;

use crate::envelope::PublicKeyError;
use crate::secret::InvalidBase32;

/// Why an `otpauth://` URI was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UriError {
    /// The URI is longer than [`MAX_URI_LEN`](super::MAX_URI_LEN); nothing else was looked at.
    #[error("URI of {len} bytes exceeds the limit of {max}")]
    TooLong {
        /// The input's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The URI does not start with `otpauth://`.
    #[error("not an otpauth:// URI")]
    WrongScheme,
    /// The type after `otpauth://` is none of `totp`, `hotp` and `steam`.
    #[error("unknown OTP type `{found}`, expected totp, hotp or steam")]
    UnknownType {
        /// The type as found (shortened).
        found: String,
    },
    /// A `%` is not followed by two hex digits.
    #[error("invalid percent-escape in {part}")]
    InvalidPercentEscape {
        /// `label`, `a parameter name`, or the parameter whose value it is.
        part: String,
    },
    /// After percent-decoding, the bytes are not UTF-8.
    #[error("{part} is not UTF-8 after percent-decoding")]
    InvalidUtf8 {
        /// `label`, `a parameter name`, or the parameter whose value it is.
        part: String,
    },
    /// The account name in the label is empty.
    #[error("account name is empty")]
    EmptyAccountName,
    /// The issuer (label prefix or `issuer=` parameter) is empty.
    #[error("issuer is empty")]
    EmptyIssuer,
    /// The label's issuer prefix and the `issuer=` parameter differ.
    #[error("issuer `{label}` in the label differs from issuer `{parameter}` in the parameters")]
    IssuerMismatch {
        /// The issuer from the label prefix.
        label: String,
        /// The issuer from the `issuer=` parameter.
        parameter: String,
    },
    /// A parameter appears more than once, so which one counts would be a guess.
    #[error("{name} appears more than once")]
    DuplicateParameter {
        /// The parameter's name if it is a known one, else `an unknown parameter`.
        name: String,
    },
    /// The `secret=` parameter is missing or empty (or `=` padding alone).
    #[error("secret is missing")]
    MissingSecret,
    /// The secret is not base32.
    #[error("secret is not valid base32")]
    InvalidSecret(#[source] InvalidBase32),
    /// A Zweifaktor set-up link (with `zf_` parameters) carries a secret shorter than
    /// [`ZWEIFAKTOR_SEED_BYTES`](super::ZWEIFAKTOR_SEED_BYTES), so it was not made by a
    /// Zweifaktor portal. Links without `zf_` parameters take any non-empty secret.
    #[error("a Zweifaktor set-up link's secret has {bits} bits, the portal's have {min_bits}")]
    SecretTooShort {
        /// The secret's length in bits.
        bits: usize,
        /// The portal's seed length, 160.
        min_bits: usize,
    },
    /// The `algorithm=` parameter names no supported hash.
    #[error("unknown algorithm `{found}`, expected SHA1, SHA256 or SHA512")]
    UnknownAlgorithm {
        /// The algorithm as found (shortened).
        found: String,
    },
    /// The `digits=` parameter is not a decimal number.
    #[error("digits `{found}` is not a number")]
    DigitsNotANumber {
        /// The value as found (shortened).
        found: String,
    },
    /// The `digits=` parameter is outside [`MIN_DIGITS`](super::MIN_DIGITS)..=
    /// [`MAX_DIGITS`](super::MAX_DIGITS).
    #[error("{digits} digits are not supported, expected 6 to 8")]
    DigitsOutOfRange {
        /// The number of digits asked for.
        digits: u64,
    },
    /// The `period=` parameter is not a decimal number.
    #[error("period `{found}` is not a number")]
    PeriodNotANumber {
        /// The value as found (shortened).
        found: String,
    },
    /// The `period=` parameter is 0 or above [`MAX_PERIOD_SECS`](super::MAX_PERIOD_SECS).
    #[error("period of {period} s is not allowed")]
    PeriodOutOfRange {
        /// The period asked for, in seconds.
        period: u64,
    },
    /// The `encoder=` parameter names an encoding other than `steam`.
    #[error("unknown encoder `{found}`, expected steam")]
    UnknownEncoder {
        /// The encoder as found (shortened).
        found: String,
    },
    /// `encoder=steam` on an `hotp` URI: Steam codes follow the clock.
    #[error("encoder=steam needs a time-based URI, not hotp")]
    SteamNotTimeBased,
    /// A Steam URI changes one of Steam's fixed parameters (SHA1, 5 digits, 30 s).
    #[error("Steam codes use SHA1, 5 digits and 30 s; {name} differs")]
    SteamParameter {
        /// `algorithm`, `digits` or `period`.
        name: &'static str,
    },
    /// An `hotp` URI has no `counter=` parameter.
    #[error("hotp URI has no counter")]
    MissingCounter,
    /// The `counter=` parameter is not a decimal number that fits 64 bits.
    #[error("counter `{found}` is not a number")]
    CounterNotANumber {
        /// The value as found (shortened).
        found: String,
    },
    /// Some but not all of `zf_url`, `zf_enroll`, `zf_key` are present.
    #[error(
        "Zweifaktor parameter `{missing}` is missing; zf_url, zf_enroll and zf_key go together"
    )]
    PartialPortalEnrollment {
        /// The first missing parameter's name.
        missing: &'static str,
    },
    /// `zf_url` is not an absolute http(s) URL usable as the portal's base address.
    #[error("zf_url is not a usable portal URL: {reason}")]
    InvalidPortalUrl {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `zf_enroll` is empty.
    #[error("zf_enroll is empty")]
    EmptyEnrollToken,
    /// `zf_key` is not a usable Ed25519 public key.
    #[error("zf_key is not a usable Ed25519 public key")]
    InvalidPortalKey(#[source] PublicKeyError),
}

/// Longest excerpt of a non-secret input value kept in an error.
const EXCERPT_CHARS: usize = 32;

/// Shortens a non-secret value for an error message.
pub(super) fn excerpt(text: &str) -> String {
    text.chars().take(EXCERPT_CHARS).collect()
}
