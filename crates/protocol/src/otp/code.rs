//! The code a generator returns: a short secret that must not linger in memory or logs.

use std::fmt::{self, Write as _};

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A one-time code such as `"287082"`, wiped from memory on drop.
///
/// `Display` is deliberately missing and `Debug` is redacted, so a code cannot reach a log line
/// through `{}` or `{:?}`; callers that must show or send it use [`Code::as_str`] on purpose.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Code(String);

impl Code {
    /// The code text: decimal digits, or lowercase hex for OCRA suites without truncation.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares with a candidate in time independent of where they differ.
    ///
    /// Only the length may leak, and the length of a code is public (it is in the parameters).
    pub(crate) fn ct_matches(&self, candidate: &str) -> Choice {
        self.0.as_bytes().ct_eq(candidate.as_bytes())
    }

    /// `value` as exactly `digits` decimal digits, padded with leading zeros.
    pub(crate) fn from_number(value: u64, digits: u8) -> Self {
        let width = usize::from(digits);
        Self::formatted(width, |text| write!(text, "{value:0width$}"))
    }

    /// The full HMAC output of an OCRA suite without truncation, as lowercase hex.
    pub(crate) fn from_hex(bytes: &[u8]) -> Self {
        Self::formatted(bytes.len() * 2, |text| {
            bytes.iter().try_for_each(|byte| write!(text, "{byte:02x}"))
        })
    }

    /// A code rendered by `totp-rs`, which zero-pads to its configured digit count.
    pub(crate) fn from_token(token: &totp_rs::Token, digits: u8) -> Self {
        Self::formatted(usize::from(digits), |text| write!(text, "{token}"))
    }

    /// Writes into a string that already has room, so no half-built copy is left behind by a
    /// reallocation.
    fn formatted(capacity: usize, write: impl FnOnce(&mut String) -> fmt::Result) -> Self {
        let mut text = String::with_capacity(capacity);
        // Formatting into a `String` only fails if a `Display` impl fails, which integers and
        // `totp_rs::Token` never do; even then the short code would match no candidate.
        let _ = write(&mut text);
        Self(text)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({} characters, redacted)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_leading_zeros() {
        assert_eq!(Code::from_number(7_081_804, 8).as_str(), "07081804");
        assert_eq!(Code::from_number(0, 6).as_str(), "000000");
        assert_eq!(Code::from_number(2_147_483_647, 10).as_str(), "2147483647");
    }

    #[test]
    fn hex_is_lowercase_and_complete() {
        assert_eq!(Code::from_hex(&[0x00, 0xab, 0x7f]).as_str(), "00ab7f");
    }

    #[test]
    fn debug_does_not_show_the_digits() {
        let code = Code::from_number(287_082, 6);
        let debug = format!("{code:?}");
        assert!(!debug.contains("287082"), "{debug}");
        assert!(debug.contains("redacted"));
    }

    #[test]
    fn matching_is_exact() {
        let code = Code::from_number(287_082, 6);
        assert!(bool::from(code.ct_matches("287082")));
        assert!(!bool::from(code.ct_matches("287083")));
        assert!(!bool::from(code.ct_matches("28708")));
        assert!(!bool::from(code.ct_matches("2870820")));
        assert!(!bool::from(code.ct_matches("")));
    }
}
