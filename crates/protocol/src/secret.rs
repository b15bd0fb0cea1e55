//! The shared OTP secret ("seed"): the one value that, once leaked, lets anyone make codes.
//!
//! It lives in a newtype with a private field, is wiped when dropped, and has a redacted
//! `Debug`, so it cannot reach a log line by accident.

use data_encoding::BASE32_NOPAD;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A base32 seed could not be decoded.
///
/// Carries only the position of the first bad character, never the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid base32 at character {position}")]
pub struct InvalidBase32 {
    /// Index (in characters, padding removed) where decoding failed.
    pub position: usize,
}

/// Raw bytes of an OTP seed, wiped from memory on drop.
#[derive(Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Seed(Vec<u8>);

impl Seed {
    /// Wraps raw seed bytes; the vector is moved, not copied.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for the HMAC key.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for a seed without bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Decodes a base32 seed (RFC 4648 §6) as found in `otpauth://` URIs.
    ///
    /// Lower case is accepted and so is `=` padding, because authenticator exports use both.
    /// Spaces and any other character are refused: the Key Uri Format has none, and silently
    /// dropping characters would hide a copy error.
    pub fn from_base32(text: &str) -> Result<Self, InvalidBase32> {
        let unpadded = text.trim_end_matches('=');
        let padding = text.len() - unpadded.len();
        if padding > 0 && !text.len().is_multiple_of(8) {
            return Err(InvalidBase32 {
                position: unpadded.len(),
            });
        }
        let upper = Zeroizing::new(unpadded.to_ascii_uppercase());
        let len = BASE32_NOPAD
            .decode_len(upper.len())
            .map_err(|e| InvalidBase32 {
                position: e.position,
            })?;
        let mut buf = Zeroizing::new(vec![0u8; len]);
        let written = BASE32_NOPAD
            .decode_mut(upper.as_bytes(), &mut buf)
            .map_err(|e| InvalidBase32 {
                position: e.error.position,
            })?;
        buf.truncate(written);
        Ok(Self(std::mem::take(&mut *buf)))
    }

    /// Decodes a base32 secret as a person types it from a site's set-up page: like
    /// [`from_base32`](Self::from_base32), but white space anywhere is dropped first, because
    /// sites print secrets in groups (`jbsw y3dp ehpk 3pxp`). Other characters, dashes
    /// included, are still refused. A secret of white space alone decodes to an empty seed.
    pub fn from_typed_base32(text: &str) -> Result<Self, InvalidBase32> {
        let compact: Zeroizing<String> =
            Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
        Self::from_base32(&compact)
    }

    /// Encodes the seed as upper-case base32 without padding, the form authenticators emit.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(BASE32_NOPAD.encode(&self.0))
    }

    /// An explicit copy; `Clone` is not derived so that copies stay visible in review.
    pub fn duplicate(&self) -> Self {
        Self(self.0.clone())
    }
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seed({} bytes, redacted)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    // RFC 4648 §10 test vectors (base32), verbatim.
    const RFC4648_BASE32: [(&str, &str); 7] = [
        ("", ""),
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ];

    #[test]
    fn rfc4648_vectors_decode_padded_and_encode_unpadded() -> TestResult {
        for (plain, encoded) in RFC4648_BASE32 {
            let seed = Seed::from_base32(encoded)?;
            assert_eq!(seed.as_bytes(), plain.as_bytes());
            assert_eq!(seed.to_base32().as_str(), encoded.trim_end_matches('='));
        }
        Ok(())
    }

    #[test]
    fn lower_case_is_accepted() -> TestResult {
        let seed = Seed::from_base32("mzxw6ytboi")?;
        assert_eq!(seed.as_bytes(), b"foobar");
        Ok(())
    }

    #[test]
    fn spaces_are_refused() -> TestResult {
        assert_eq!(
            Seed::from_base32("MZXW 6YT"),
            Err(InvalidBase32 { position: 4 })
        );
        Ok(())
    }

    #[test]
    fn typed_secrets_may_hold_spaces_but_no_dashes() -> TestResult {
        let seed = Seed::from_typed_base32(" mzxw 6ytb\u{a0}oi\t")?;
        assert_eq!(seed.as_bytes(), b"foobar");
        assert_eq!(
            Seed::from_typed_base32("MZXW-6YT"),
            Err(InvalidBase32 { position: 4 })
        );
        assert!(Seed::from_typed_base32("   ")?.is_empty());
        Ok(())
    }

    #[test]
    fn wrong_padding_length_is_refused() -> TestResult {
        assert!(Seed::from_base32("MZXW6YQ==").is_err());
        Ok(())
    }

    #[test]
    fn non_alphabet_character_is_refused() -> TestResult {
        assert!(Seed::from_base32("MZXW6YT1").is_err());
        Ok(())
    }

    #[test]
    fn debug_is_redacted() -> TestResult {
        let seed = Seed::from_bytes(b"foobar".to_vec());
        let shown = format!("{seed:?}");
        assert!(!shown.contains("foobar") && !shown.contains("MZXW"));
        Ok(())
    }
}
