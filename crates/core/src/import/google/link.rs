//! The `otpauth-migration://offline?data=…` link around a [`MigrationPayload`]'s bytes.
//!
//! `data` is the payload in standard base64 (RFC 4648 §4), percent-encoded as a query value, as
//! Google Authenticator writes it (`+` as `%2B`, `/` as `%2F`, `=` as `%3D`). Links copied
//! through tools that decode the query once arrive with raw `+` or with spaces in their place
//! (dim13/otpauth turns spaces back into `+` for that reason); both are read, and padding is
//! optional.
//!
//! [`MigrationPayload`]: super::proto::MigrationPayload

use base64::Engine as _;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::import::read::{BASE64, strip_prefix_ignore_case};

/// What every link starts with (compared ignoring ASCII case).
pub(crate) const PREFIX: &str = "otpauth-migration://offline?";

/// Why a link could not be read. None of them carries any of the link's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkError {
    /// It does not start with `otpauth-migration://offline?`.
    NotMigrationLink,
    /// It has no `data=` parameter.
    NoData,
    /// It has more than one `data=` parameter.
    DuplicateData,
    /// `data` is not base64.
    NotBase64,
}

impl LinkError {
    /// What is wrong, for [`ImportError::Malformed`](crate::import::ImportError::Malformed).
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::NotMigrationLink => "is not an otpauth-migration://offline link",
            Self::NoData => "has no data parameter",
            Self::DuplicateData => "has more than one data parameter",
            Self::NotBase64 => "has data that is not base64",
        }
    }
}

/// Whether `text` starts like a migration link.
pub(crate) fn is_migration_link(text: &str) -> bool {
    strip_prefix_ignore_case(text, PREFIX).is_some()
}

/// The payload bytes of one link. They hold secrets, so they are wiped on drop.
pub(crate) fn decode(link: &str) -> Result<Zeroizing<Vec<u8>>, LinkError> {
    let query = strip_prefix_ignore_case(link, PREFIX).ok_or(LinkError::NotMigrationLink)?;
    let mut data = None;
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("data=")
            && data.replace(value).is_some()
        {
            return Err(LinkError::DuplicateData);
        }
    }
    // A broken percent-escape stays a `%`, which no base64 text holds.
    let raw = data.ok_or(LinkError::NoData)?;
    let mut text = Zeroizing::new(Vec::with_capacity(raw.len()));
    text.extend(percent_decode_str(raw).map(|b| if b == b' ' { b'+' } else { b }));
    BASE64
        .decode(text.as_slice())
        .map(Zeroizing::new)
        .map_err(|_| LinkError::NotBase64)
}

/// The link for `payload`, percent-encoded as Google Authenticator writes it. It holds
/// secrets, so it is wiped on drop.
pub(crate) fn encode(payload: &[u8]) -> Zeroizing<String> {
    let base64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(payload));
    let mut link = Zeroizing::new(String::with_capacity(PREFIX.len() + 5 + base64.len() * 3));
    link.push_str("otpauth-migration://offline?data=");
    link.extend(utf8_percent_encode(&base64, NON_ALPHANUMERIC));
    link
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn encode_escapes_base64_punctuation_and_decode_reverses_it() {
        let payload: Vec<u8> = (0..=255).collect();
        let link = encode(&payload);
        assert!(link.starts_with("otpauth-migration://offline?data="));
        assert!(!link[PREFIX.len() + "data=".len()..].contains(['+', '/', '=']));
        assert_eq!(decode(&link).unwrap().as_slice(), payload.as_slice());
    }

    #[test]
    fn raw_plus_signs_spaces_and_missing_padding_are_read() {
        // "\xfb\xff" is "+/8=" in base64.
        for data in ["%2B%2F8%3D", "+/8=", " /8", "+%2f8"] {
            let link = format!("otpauth-migration://offline?data={data}");
            assert_eq!(decode(&link).unwrap().as_slice(), &[0xfb, 0xff], "{data}");
        }
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        for (link, err) in [
            ("otpauth://totp/x?secret=AAAA", LinkError::NotMigrationLink),
            (
                "otpauth-migration://online?data=AAAA",
                LinkError::NotMigrationLink,
            ),
            ("otpauth-migration://offline?x=1", LinkError::NoData),
            (
                "otpauth-migration://offline?data=AA&data=AA",
                LinkError::DuplicateData,
            ),
            (
                "otpauth-migration://offline?data=AA%2",
                LinkError::NotBase64,
            ),
            ("otpauth-migration://offline?data=A*A", LinkError::NotBase64),
            ("otpauth-migration://offline?data=A", LinkError::NotBase64),
        ] {
            assert_eq!(decode(link).unwrap_err(), err, "{link}");
        }
    }

    #[test]
    fn the_prefix_is_case_insensitive() {
        assert!(is_migration_link("OTPAUTH-MIGRATION://OFFLINE?data=AA"));
        assert!(!is_migration_link("otpauth-migration:"));
    }
}
