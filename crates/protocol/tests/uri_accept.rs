//! `otpauth://` URIs that must be accepted: DESIGN.md's example, the spellings real
//! authenticators produce, and the exact text the emitter writes.

use ed25519_dalek::SigningKey;
use zweifaktor_protocol::HashAlgorithm;
use zweifaktor_protocol::envelope::encode_public_key;
use zweifaktor_protocol::uri::{OtpAuthUri, OtpKind};

/// Lets tests use `?`, so every failure names its error.
type TestResult = Result<(), Box<dyn std::error::Error>>;

/// RFC 6238 Appendix B's SHA-1 seed "12345678901234567890" in base32.
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const SEED: &[u8] = b"12345678901234567890";

fn portal_key_text() -> String {
    encode_public_key(&SigningKey::from_bytes(&[1; 32]).verifying_key())
}

/// DESIGN.md "Protocol v1", enrollment URI, with concrete values.
fn design_example() -> String {
    format!(
        "otpauth://totp/Beispiel-Portal:ada@example.org?secret={SECRET}&issuer=Beispiel-Portal\
         &algorithm=SHA1&digits=6&period=30&zf_url=https://portal.example/\
         &zf_enroll=one-time-token&zf_key={}",
        portal_key_text()
    )
}

#[test]
fn design_example_parses() -> TestResult {
    let uri = OtpAuthUri::parse(&design_example())?;
    assert_eq!(uri.kind, OtpKind::Totp { period: 30 });
    assert_eq!(uri.issuer.as_deref(), Some("Beispiel-Portal"));
    assert_eq!(uri.account_name, "ada@example.org");
    assert_eq!(uri.seed.as_bytes(), SEED);
    assert_eq!(uri.algorithm, HashAlgorithm::Sha1);
    assert_eq!(uri.digits, 6);
    let portal = uri.zweifaktor.as_ref().ok_or("zf_ parameters lost")?;
    assert_eq!(portal.portal_url, "https://portal.example/");
    assert_eq!(portal.enroll_token.expose_secret(), "one-time-token");
    assert_eq!(encode_public_key(&portal.portal_key), portal_key_text());
    Ok(())
}

#[test]
fn design_example_is_emitted_verbatim_in_design_order() -> TestResult {
    let uri: OtpAuthUri = design_example().parse()?;
    assert_eq!(uri.to_uri_string().as_str(), design_example());
    Ok(())
}

#[test]
fn defaults_apply_when_parameters_are_absent() -> TestResult {
    let uri = OtpAuthUri::parse(&format!("otpauth://totp/alice?secret={SECRET}"))?;
    assert_eq!(uri.kind, OtpKind::Totp { period: 30 });
    assert_eq!(uri.algorithm, HashAlgorithm::Sha1);
    assert_eq!(uri.digits, 6);
    assert_eq!(uri.issuer, None);
    assert!(uri.zweifaktor.is_none());
    Ok(())
}

#[test]
fn lower_case_secret_is_accepted() -> TestResult {
    let lower = SECRET.to_lowercase();
    let uri = OtpAuthUri::parse(&format!("otpauth://totp/alice?secret={lower}"))?;
    assert_eq!(uri.seed.as_bytes(), SEED);
    Ok(())
}

#[test]
fn padded_secret_is_accepted_raw_and_percent_encoded() -> TestResult {
    // 16 bytes encode to 26 base32 characters plus 6 padding characters.
    let padded = "GEZDGNBVGY3TQOJQGEZDGNBVGY======";
    for secret in [padded.to_owned(), padded.replace('=', "%3D")] {
        let uri = OtpAuthUri::parse(&format!("otpauth://totp/alice?secret={secret}"))?;
        assert_eq!(uri.seed.as_bytes(), b"1234567890123456");
    }
    Ok(())
}

#[test]
fn issuer_only_in_label() -> TestResult {
    let uri = OtpAuthUri::parse(&format!("otpauth://totp/ACME:alice?secret={SECRET}"))?;
    assert_eq!(uri.issuer.as_deref(), Some("ACME"));
    assert_eq!(uri.account_name, "alice");
    Ok(())
}

#[test]
fn issuer_only_in_parameter() -> TestResult {
    let uri = OtpAuthUri::parse(&format!(
        "otpauth://totp/alice?secret={SECRET}&issuer=ACME%20Co"
    ))?;
    assert_eq!(uri.issuer.as_deref(), Some("ACME Co"));
    assert_eq!(uri.account_name, "alice");
    Ok(())
}

#[test]
fn encoded_colon_and_spaces_in_label() -> TestResult {
    let uri = OtpAuthUri::parse(&format!(
        "otpauth://totp/ACME%20Co%3A%20%20alice%40example.org?secret={SECRET}&issuer=ACME+Co"
    ))?;
    assert_eq!(uri.issuer.as_deref(), Some("ACME Co"));
    assert_eq!(uri.account_name, "alice@example.org");
    Ok(())
}

#[test]
fn account_name_may_hold_a_colon_after_the_issuer() -> TestResult {
    let uri = OtpAuthUri::parse(&format!("otpauth://totp/ACME:a:b?secret={SECRET}"))?;
    assert_eq!(uri.issuer.as_deref(), Some("ACME"));
    assert_eq!(uri.account_name, "a:b");
    Ok(())
}

#[test]
fn scheme_type_and_algorithm_ignore_case() -> TestResult {
    let uri = OtpAuthUri::parse(&format!(
        "OTPAUTH://TOTP/alice?secret={SECRET}&algorithm=sha512&digits=8&period=60"
    ))?;
    assert_eq!(uri.algorithm, HashAlgorithm::Sha512);
    assert_eq!(uri.digits, 8);
    assert_eq!(uri.kind, OtpKind::Totp { period: 60 });
    Ok(())
}

#[test]
fn hotp_with_counter() -> TestResult {
    let uri = OtpAuthUri::parse(&format!(
        "otpauth://hotp/alice?secret={SECRET}&counter=18446744073709551615&algorithm=SHA256"
    ))?;
    assert_eq!(uri.kind, OtpKind::Hotp { counter: u64::MAX });
    assert_eq!(uri.algorithm, HashAlgorithm::Sha256);
    assert!(
        uri.to_uri_string()
            .contains("&counter=18446744073709551615")
    );
    Ok(())
}

#[test]
fn unknown_parameters_are_ignored() -> TestResult {
    let uri = OtpAuthUri::parse(&format!(
        "otpauth://totp/alice?secret={SECRET}&image=https%3A%2F%2Fx.example%2Fa.png&&color=red"
    ))?;
    assert_eq!(uri.seed.as_bytes(), SEED);
    Ok(())
}

#[test]
fn debug_hides_seed_and_token() -> TestResult {
    let uri = OtpAuthUri::parse(&design_example())?;
    let shown = format!("{uri:?}");
    assert!(!shown.contains(SECRET));
    assert!(!shown.contains("one-time-token"));
    assert!(!shown.contains("49, 50, 51"));
    assert!(shown.contains("ada@example.org"));
    Ok(())
}

/// Issue 10: the README's headless example, with the 80-bit secret most sites issue. Google
/// Authenticator and Aegis take any non-empty secret; so does Zweifaktor outside set-up links.
#[test]
fn readme_example_with_an_80_bit_secret() -> TestResult {
    let uri = OtpAuthUri::parse(
        "otpauth://totp/Portal:erika@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Portal",
    )?;
    assert_eq!(uri.seed.len(), 10);
    assert_eq!(uri.issuer.as_deref(), Some("Portal"));
    let one_byte = OtpAuthUri::parse("otpauth://totp/alice?secret=ME")?;
    assert_eq!(one_byte.seed.as_bytes(), b"a");
    Ok(())
}

/// Aegis's Steam form: `GoogleAuthInfo.getUri` writes `otpauth://steam/…` with `period`,
/// `digits=5` and `algorithm=SHA1`; `parseUri` reads the `steam` host as a Steam entry
/// (beemdevelopment/Aegis, app/src/main/java/com/beemdevelopment/aegis/otp/GoogleAuthInfo.java).
#[test]
fn steam_in_aegis_form_round_trips() -> TestResult {
    let aegis = format!(
        "otpauth://steam/Steam:gaben?period=30&digits=5&algorithm=SHA1&secret={SECRET}&issuer=Steam"
    );
    let uri = OtpAuthUri::parse(&aegis)?;
    assert_eq!(uri.kind, OtpKind::Steam);
    assert_eq!((uri.algorithm, uri.digits), (HashAlgorithm::Sha1, 5));
    let emitted = uri.to_uri_string();
    assert_eq!(
        emitted.as_str(),
        format!(
            "otpauth://steam/Steam:gaben?secret={SECRET}&issuer=Steam&algorithm=SHA1&digits=5&period=30"
        )
    );
    assert_eq!(OtpAuthUri::parse(&emitted)?, uri);
    let bare = OtpAuthUri::parse(&format!("otpauth://STEAM/gaben?secret={SECRET}"))?;
    assert_eq!(bare.kind, OtpKind::Steam);
    Ok(())
}

/// KeePassXC's Steam form: a `totp` URI with `encoder=steam` (keepassxreboot/keepassxc,
/// tests/TestTotp.cpp, `testSteamTotp`, which writes `algorithm=SHA1&digits=5&period=30`).
#[test]
fn steam_in_keepassxc_form() -> TestResult {
    let uri = OtpAuthUri::parse(
        "otpauth://totp/Valve:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK\
         &issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam",
    )?;
    assert_eq!(uri.kind, OtpKind::Steam);
    assert_eq!(uri.digits, 5);
    assert!(uri.to_uri_string().starts_with("otpauth://steam/Valve:"));
    let short = OtpAuthUri::parse(&format!(
        "otpauth://totp/Steam:gaben?secret={SECRET}&issuer=Steam&encoder=STEAM"
    ))?;
    assert_eq!(short.kind, OtpKind::Steam);
    Ok(())
}
