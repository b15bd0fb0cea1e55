//! Decoding the binary fields of export files (base64, hex), with errors naming the field.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::json::malformed;
use super::{Format, ImportError};

/// Standard base64 with padding (RFC 4648 §4), as Aegis, 2FAS and Ente (libsodium's
/// `sodium_base64_VARIANT_ORIGINAL`) write it.
pub(crate) fn base64(format: Format, what: &str, text: &str) -> Result<Vec<u8>, ImportError> {
    STANDARD
        .decode(text)
        .map_err(|_| malformed(format, format!("{what} is not valid base64")))
}

/// Base64 of exactly `N` bytes.
pub(crate) fn base64_array<const N: usize>(
    format: Format,
    what: &str,
    text: &str,
) -> Result<[u8; N], ImportError> {
    let bytes = base64(format, what, text)?;
    exact(format, what, &bytes)
}

/// Hex (either case) of exactly `N` bytes, as Aegis writes keys, nonces, tags and salts.
pub(crate) fn hex_array<const N: usize>(
    format: Format,
    what: &str,
    text: &str,
) -> Result<[u8; N], ImportError> {
    let bytes = hex_vec(format, what, text)?;
    exact(format, what, &bytes)
}

/// Hex (either case) of any length.
pub(crate) fn hex_vec(format: Format, what: &str, text: &str) -> Result<Vec<u8>, ImportError> {
    hex::decode(text).map_err(|_| malformed(format, format!("{what} is not valid hex")))
}

/// `bytes` as an array of exactly `N`.
fn exact<const N: usize>(format: Format, what: &str, bytes: &[u8]) -> Result<[u8; N], ImportError> {
    <[u8; N]>::try_from(bytes).map_err(|_| {
        malformed(
            format,
            format!("{what} has {} bytes instead of {N}", bytes.len()),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_checks_lengths() {
        assert_eq!(base64(Format::Ente, "salt", "AAEC").unwrap(), vec![0, 1, 2]);
        assert_eq!(
            hex_array::<2>(Format::Aegis, "tag", "0aFF").unwrap(),
            [10, 255]
        );
        for error in [
            base64(Format::Ente, "salt", "AAE").unwrap_err(),
            base64_array::<4>(Format::Ente, "salt", "AAEC").unwrap_err(),
            hex_array::<2>(Format::Aegis, "tag", "0aF").unwrap_err(),
            hex_array::<2>(Format::Aegis, "tag", "0aFFFF").unwrap_err(),
        ] {
            assert!(matches!(error, ImportError::Malformed { .. }), "{error:?}");
        }
        assert_eq!(
            hex_array::<2>(Format::Aegis, "tag", "0aFFFF")
                .unwrap_err()
                .to_string(),
            "the Aegis file is damaged: tag has 3 bytes instead of 2"
        );
    }
}
