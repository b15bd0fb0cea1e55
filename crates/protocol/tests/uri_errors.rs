//! Every malformed `otpauth://` URI gets its own [`UriError`] variant: one test per variant.

use ed25519_dalek::SigningKey;
use zweifaktor_protocol::envelope::{PublicKeyError, encode_public_key};
use zweifaktor_protocol::secret::InvalidBase32;
use zweifaktor_protocol::uri::{MAX_URI_LEN, OtpAuthUri, UriError};

/// RFC 6238 Appendix B's SHA-1 seed "12345678901234567890" in base32.
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// Parses and returns the error, failing the test if the URI was accepted.
fn error_of(uri: &str) -> UriError {
    match OtpAuthUri::parse(uri) {
        Ok(parsed) => panic!("accepted {parsed:?}"),
        Err(error) => error,
    }
}

/// A valid TOTP URI with extra parameters appended.
fn totp_with(extra: &str) -> String {
    format!("otpauth://totp/ACME:alice?secret={SECRET}{extra}")
}

fn key_text() -> String {
    encode_public_key(&SigningKey::from_bytes(&[1; 32]).verifying_key())
}

fn zf(url: &str, token: &str, key: &str) -> String {
    totp_with(&format!("&zf_url={url}&zf_enroll={token}&zf_key={key}"))
}

#[test]
fn too_long_is_checked_before_anything_else() {
    let long = "x".repeat(MAX_URI_LEN + 1);
    assert_eq!(
        error_of(&long),
        UriError::TooLong {
            len: MAX_URI_LEN + 1,
            max: MAX_URI_LEN
        }
    );
    let padded = totp_with(&"&pad=x".repeat(MAX_URI_LEN / 6));
    assert!(matches!(error_of(&padded), UriError::TooLong { .. }));
}

#[test]
fn wrong_scheme() {
    assert_eq!(error_of("https://example.org/"), UriError::WrongScheme);
    assert_eq!(error_of("otpauth:/totp/a?secret=x"), UriError::WrongScheme);
    assert_eq!(error_of(""), UriError::WrongScheme);
}

#[test]
fn unknown_type() {
    assert_eq!(
        error_of(&format!("otpauth://motp/alice?secret={SECRET}")),
        UriError::UnknownType {
            found: "motp".to_owned()
        }
    );
}

#[test]
fn unknown_type_does_not_leak_a_secret_without_label() {
    let error = error_of(&format!("otpauth://totpx?secret={SECRET}"));
    assert_eq!(
        error,
        UriError::UnknownType {
            found: "totpx".to_owned()
        }
    );
}

#[test]
fn invalid_percent_escape() {
    assert_eq!(
        error_of(&format!("otpauth://totp/al%2ice?secret={SECRET}")),
        UriError::InvalidPercentEscape {
            part: "label".to_owned()
        }
    );
    assert_eq!(
        error_of(&totp_with("&issuer=ACME%")),
        UriError::InvalidPercentEscape {
            part: "issuer".to_owned()
        }
    );
}

#[test]
fn invalid_utf8_after_decoding() {
    assert_eq!(
        error_of(&totp_with("&issuer=%FF%FE")),
        UriError::InvalidUtf8 {
            part: "issuer".to_owned()
        }
    );
}

#[test]
fn empty_account_name() {
    assert_eq!(
        error_of(&format!("otpauth://totp/ACME:?secret={SECRET}")),
        UriError::EmptyAccountName
    );
    assert_eq!(
        error_of(&format!("otpauth://totp?secret={SECRET}")),
        UriError::EmptyAccountName
    );
}

#[test]
fn empty_issuer() {
    assert_eq!(
        error_of(&format!("otpauth://totp/:alice?secret={SECRET}")),
        UriError::EmptyIssuer
    );
    assert_eq!(
        error_of(&format!("otpauth://totp/alice?secret={SECRET}&issuer=")),
        UriError::EmptyIssuer
    );
}

#[test]
fn issuer_mismatch() {
    assert_eq!(
        error_of(&totp_with("&issuer=Evil")),
        UriError::IssuerMismatch {
            label: "ACME".to_owned(),
            parameter: "Evil".to_owned()
        }
    );
}

#[test]
fn duplicate_parameter() {
    assert_eq!(
        error_of(&totp_with("&digits=6&digits=8")),
        UriError::DuplicateParameter {
            name: "digits".to_owned()
        }
    );
    let error = error_of(&totp_with("&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"));
    assert_eq!(
        error,
        UriError::DuplicateParameter {
            name: "secret".to_owned()
        }
    );
    assert!(!error.to_string().contains("JBSWY3DP"));
}

#[test]
fn unknown_parameter_names_are_not_echoed() {
    // A secret pasted without `secret=` must not end up in an error message.
    let pasted = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let error = error_of(&totp_with(&format!("&{pasted}&{pasted}")));
    assert_eq!(
        error,
        UriError::DuplicateParameter {
            name: "an unknown parameter".to_owned()
        }
    );
    let error = error_of(&totp_with(&format!("&{pasted}=%zz")));
    assert_eq!(
        error,
        UriError::InvalidPercentEscape {
            part: "an unknown parameter".to_owned()
        }
    );
}

#[test]
fn missing_secret() {
    assert_eq!(
        error_of("otpauth://totp/alice?issuer=ACME"),
        UriError::MissingSecret
    );
    assert_eq!(error_of("otpauth://totp/alice"), UriError::MissingSecret);
    assert_eq!(
        error_of("otpauth://totp/alice?secret="),
        UriError::MissingSecret
    );
}

#[test]
fn invalid_base32_secret() {
    assert_eq!(
        error_of("otpauth://totp/alice?secret=GEZDGNBV%20Y3TQOJQGEZDGNBVGY3TQOJQ"),
        UriError::InvalidSecret(InvalidBase32 { position: 8 })
    );
    assert!(matches!(
        error_of("otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1"),
        UriError::InvalidSecret(_)
    ));
}

#[test]
fn padding_alone_is_no_secret() {
    assert_eq!(
        error_of("otpauth://totp/alice?secret========="),
        UriError::MissingSecret
    );
}

/// Issue 10: only a Zweifaktor set-up link must carry the portal's 160-bit seed; a shorter one
/// (here the README's 80-bit example secret, and 152 bits) was not made by a portal.
#[test]
fn a_zweifaktor_set_up_link_needs_the_portals_160_bits() {
    let key = key_text();
    for (secret, bits) in [
        ("JBSWY3DPEHPK3PXP", 80),
        ("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOI", 152),
    ] {
        let uri = format!(
            "otpauth://totp/ACME:alice?secret={secret}\
             &zf_url=https://portal.example/&zf_enroll=t&zf_key={key}"
        );
        assert_eq!(
            error_of(&uri),
            UriError::SecretTooShort {
                bits,
                min_bits: 160
            }
        );
    }
    assert!(OtpAuthUri::parse(&zf("https://portal.example/", "t", &key)).is_ok());
}

#[test]
fn unknown_encoder() {
    assert_eq!(
        error_of(&totp_with("&encoder=yandex")),
        UriError::UnknownEncoder {
            found: "yandex".to_owned()
        }
    );
}

#[test]
fn steam_encoder_on_a_counter_based_uri() {
    assert_eq!(
        error_of(&format!(
            "otpauth://hotp/Steam:alice?secret={SECRET}&counter=1&encoder=steam"
        )),
        UriError::SteamNotTimeBased
    );
}

#[test]
fn steam_parameters_cannot_be_changed() {
    for (extra, name) in [
        ("&algorithm=SHA256", "algorithm"),
        ("&digits=6", "digits"),
        ("&digits=five", "digits"),
        ("&period=60", "period"),
    ] {
        let uri = format!("otpauth://steam/Steam:alice?secret={SECRET}{extra}");
        assert_eq!(error_of(&uri), UriError::SteamParameter { name }, "{extra}");
        let keepass = totp_with(&format!("&encoder=steam{extra}"));
        assert_eq!(
            error_of(&keepass),
            UriError::SteamParameter { name },
            "{extra}"
        );
    }
}

#[test]
fn unknown_algorithm() {
    assert_eq!(
        error_of(&totp_with("&algorithm=MD5")),
        UriError::UnknownAlgorithm {
            found: "MD5".to_owned()
        }
    );
}

#[test]
fn digits_not_a_number() {
    for bad in ["six", "", "%2B6", "-6", "6.0"] {
        assert!(
            matches!(
                error_of(&totp_with(&format!("&digits={bad}"))),
                UriError::DigitsNotANumber { .. }
            ),
            "{bad}"
        );
    }
}

#[test]
fn digits_out_of_range() {
    for digits in [0, 5, 9, 256, 4_294_967_302] {
        assert_eq!(
            error_of(&totp_with(&format!("&digits={digits}"))),
            UriError::DigitsOutOfRange { digits },
        );
    }
}

#[test]
fn period_not_a_number() {
    assert_eq!(
        error_of(&totp_with("&period=30s")),
        UriError::PeriodNotANumber {
            found: "30s".to_owned()
        }
    );
}

#[test]
fn period_zero_or_absurd() {
    assert_eq!(
        error_of(&totp_with("&period=0")),
        UriError::PeriodOutOfRange { period: 0 }
    );
    assert_eq!(
        error_of(&totp_with("&period=3601")),
        UriError::PeriodOutOfRange { period: 3601 }
    );
}

#[test]
fn missing_counter_for_hotp() {
    assert_eq!(
        error_of(&format!("otpauth://hotp/alice?secret={SECRET}")),
        UriError::MissingCounter
    );
}

#[test]
fn counter_not_a_number() {
    assert_eq!(
        error_of(&format!(
            "otpauth://hotp/alice?secret={SECRET}&counter=18446744073709551616"
        )),
        UriError::CounterNotANumber {
            found: "18446744073709551616".to_owned()
        }
    );
}

#[test]
fn partial_zf_parameters() {
    let key = key_text();
    assert_eq!(
        error_of(&totp_with(&format!("&zf_enroll=t&zf_key={key}"))),
        UriError::PartialPortalEnrollment { missing: "zf_url" }
    );
    assert_eq!(
        error_of(&totp_with(&format!(
            "&zf_url=https://p.example/&zf_key={key}"
        ))),
        UriError::PartialPortalEnrollment {
            missing: "zf_enroll"
        }
    );
    assert_eq!(
        error_of(&totp_with("&zf_url=https://p.example/&zf_enroll=t")),
        UriError::PartialPortalEnrollment { missing: "zf_key" }
    );
}

#[test]
fn invalid_zf_url() {
    let key = key_text();
    for (url, reason) in [
        ("portal.example", "not an absolute URL"),
        ("ftp://portal.example/", "scheme must be http or https"),
        ("javascript:alert(1)", "scheme must be http or https"),
        ("https://user:pw@portal.example/", "contains credentials"),
        ("https://portal.example/?a=b", "has a query or fragment"),
        ("https://portal.example/%23frag", "has a query or fragment"),
    ] {
        assert_eq!(
            error_of(&zf(url, "t", &key)),
            UriError::InvalidPortalUrl { reason },
            "{url}"
        );
    }
}

#[test]
fn empty_zf_enroll() {
    assert_eq!(
        error_of(&zf("https://p.example/", "", &key_text())),
        UriError::EmptyEnrollToken
    );
}

#[test]
fn invalid_zf_key() {
    assert_eq!(
        error_of(&zf("https://p.example/", "t", "AAAA")),
        UriError::InvalidPortalKey(PublicKeyError::WrongLength { len: 3 })
    );
    assert_eq!(
        error_of(&zf("https://p.example/", "t", "not*base64")),
        UriError::InvalidPortalKey(PublicKeyError::InvalidBase64)
    );
    // The identity point: a valid encoding of a small-order point.
    let identity = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_eq!(
        error_of(&zf("https://p.example/", "t", identity)),
        UriError::InvalidPortalKey(PublicKeyError::WeakKey)
    );
}
