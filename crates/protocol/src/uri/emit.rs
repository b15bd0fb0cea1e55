//! Writing an [`OtpAuthUri`] as an `otpauth://` URI.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use zeroize::Zeroizing;

use super::{OtpAuthUri, OtpKind};
use crate::envelope::encode_public_key;
use crate::otp::{HashAlgorithm, STEAM_CODE_LEN, STEAM_PERIOD_SECS};

/// Characters left as they are in the label: RFC 3986 unreserved, plus `@` for e-mail
/// addresses. `:` is escaped, because a literal one separates issuer and account.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Characters left as they are in parameter values: the label's, plus `:` and `/`, which
/// RFC 3986 §3.4 allows in a query and which keep `zf_url` readable. `+` is escaped, since
/// the parser reads it as a space.
const VALUE: &AsciiSet = &LABEL.remove(b':').remove(b'/');

/// Writes the URI; parameters in DESIGN.md's order. Steam is written as Aegis writes it:
/// `otpauth://steam/…` with its fixed `algorithm=SHA1&digits=5&period=30`.
pub(super) fn emit(uri: &OtpAuthUri) -> Zeroizing<String> {
    // Sized up front so that growing never leaves a stray copy of the secret behind.
    let mut out = Zeroizing::new(String::with_capacity(super::MAX_URI_LEN));
    out.push_str(match uri.kind {
        OtpKind::Totp { .. } => "otpauth://totp/",
        OtpKind::Hotp { .. } => "otpauth://hotp/",
        OtpKind::Steam => "otpauth://steam/",
    });
    if let Some(issuer) = &uri.issuer {
        out.extend(utf8_percent_encode(issuer, LABEL));
        out.push(':');
    }
    out.extend(utf8_percent_encode(&uri.account_name, LABEL));
    out.push_str("?secret=");
    out.push_str(&uri.seed.to_base32());
    if let Some(issuer) = &uri.issuer {
        out.push_str("&issuer=");
        out.extend(utf8_percent_encode(issuer, VALUE));
    }
    let (algorithm, digits) = match uri.kind {
        OtpKind::Steam => (HashAlgorithm::Sha1, STEAM_CODE_LEN),
        OtpKind::Totp { .. } | OtpKind::Hotp { .. } => (uri.algorithm, uri.digits),
    };
    out.push_str("&algorithm=");
    out.push_str(algorithm.as_str());
    out.push_str("&digits=");
    out.push_str(&digits.to_string());
    match uri.kind {
        OtpKind::Totp { period } => {
            out.push_str("&period=");
            out.push_str(&period.to_string());
        }
        OtpKind::Hotp { counter } => {
            out.push_str("&counter=");
            out.push_str(&counter.to_string());
        }
        OtpKind::Steam => {
            out.push_str("&period=");
            out.push_str(&STEAM_PERIOD_SECS.to_string());
        }
    }
    if let Some(portal) = &uri.zweifaktor {
        out.push_str("&zf_url=");
        out.extend(utf8_percent_encode(&portal.portal_url, VALUE));
        out.push_str("&zf_enroll=");
        out.extend(utf8_percent_encode(
            portal.enroll_token.expose_secret(),
            VALUE,
        ));
        out.push_str("&zf_key=");
        out.push_str(&encode_public_key(&portal.portal_key));
    }
    out
}
