//! Errors of the HOTP and TOTP functions (OCRA has its own in [`super::ocra`](mod@super::ocra)).

use thiserror::Error;

/// Why a HOTP or TOTP code could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum OtpError {
    /// The digit count is outside 6..=8 (RFC 4226 §5.3).
    #[error("a code has 6 to 8 digits, not {digits}")]
    InvalidDigits {
        /// The digit count that was asked for.
        digits: u8,
    },
    /// The seed has no bytes at all, so every code would be the same for everyone.
    #[error("the seed is empty")]
    EmptySeed,
    /// A TOTP period of zero seconds, which has no time steps.
    #[error("the TOTP period must be at least one second")]
    ZeroPeriod,
}

/// A hash name other than `SHA1`, `SHA256` or `SHA512`.
///
/// The rejected text is not kept: it may come from a scanned URI, and error messages should
/// not echo such input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("unknown hash algorithm; expected SHA1, SHA256 or SHA512")]
pub struct UnknownHashAlgorithm;
