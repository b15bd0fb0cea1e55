//! Small reading steps the importers share: text, prefixes, lenient base64.

use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::{Format, ImportError};

/// Standard base64 (RFC 4648 §4) that reads padded and unpadded text alike, as exports write
/// both.
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The file as UTF-8 text without a byte-order mark, for the text and JSON formats.
///
/// # Errors
/// [`ImportError::Malformed`] naming `format` if the bytes are not UTF-8.
pub(crate) fn text(bytes: &[u8], format: Format) -> Result<&str, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|err| ImportError::Malformed {
        format,
        what: format!("not UTF-8 text after byte {}", err.valid_up_to()),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// `text` without `prefix`, compared ignoring ASCII case (URI schemes are case-insensitive,
/// RFC 3986 §3.1).
pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Whether `text` looks like a JSON object with a member named `key`: it starts with `{` and
/// somewhere holds `"key"` followed by a colon. A sniff for recognizing a format, which works
/// on truncated files too, so that they are reported as damaged files of their format rather
/// than as files of no format; the real parse decides the rest.
pub(crate) fn has_json_key(text: &str, key: &str) -> bool {
    if !text.trim_start().starts_with('{') {
        return false;
    }
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted)
        .any(|(at, _)| text[at + quoted.len()..].trim_start().starts_with(':'))
}

/// A JSON parse error as [`ImportError::Malformed`], with its position but none of the text.
pub(crate) fn json_error(format: Format, err: &serde_json::Error) -> ImportError {
    ImportError::Malformed {
        format,
        what: format!(
            "not a {format} export (line {}, column {})",
            err.line(),
            err.column()
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_drops_a_byte_order_mark_and_refuses_other_bytes() {
        assert_eq!(
            text("\u{feff}abc".as_bytes(), Format::UriList).unwrap(),
            "abc"
        );
        let err = text(b"ab\xffc", Format::UriList).unwrap_err();
        assert!(
            matches!(&err, ImportError::Malformed { what, .. } if what.contains("byte 2")),
            "{err:?}"
        );
    }

    #[test]
    fn json_keys_are_found_in_truncated_objects_only_as_keys() {
        let text = "{ \"encrypted\" : false, \"items\": [ {\"name\": \"items\"";
        assert!(has_json_key(text, "encrypted") && has_json_key(text, "items"));
        assert!(!has_json_key(text, "version"));
        assert!(!has_json_key("[{\"items\": 1}]", "items"));
        assert!(!has_json_key("{\"name\": \"items\"}", "items"));
    }

    #[test]
    fn prefixes_compare_without_case() {
        assert_eq!(
            strip_prefix_ignore_case("STEAM://ab", "steam://"),
            Some("ab")
        );
        assert_eq!(strip_prefix_ignore_case("ste", "steam://"), None);
        assert_eq!(strip_prefix_ignore_case("é", "e"), None);
    }
}
