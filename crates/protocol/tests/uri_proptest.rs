//! Property tests for `otpauth://` URIs: emit → parse gives back the same value, and parsing
//! never panics, whatever the input.

use ed25519_dalek::SigningKey;
use proptest::prelude::*;
use zweifaktor_protocol::HashAlgorithm;
use zweifaktor_protocol::Seed;
use zweifaktor_protocol::messages::EnrollToken;
use zweifaktor_protocol::otp::STEAM_CODE_LEN;
use zweifaktor_protocol::uri::{
    MAX_PERIOD_SECS, OtpAuthUri, OtpKind, PortalEnrollment, ZWEIFAKTOR_SEED_BYTES,
};

/// The plain parts of a portal enrollment, cloneable so proptest can shrink them.
type PortalParts = (String, String, [u8; 32]);

fn algorithm() -> impl Strategy<Value = HashAlgorithm> {
    prop_oneof![
        Just(HashAlgorithm::Sha1),
        Just(HashAlgorithm::Sha256),
        Just(HashAlgorithm::Sha512),
    ]
}

fn kind() -> impl Strategy<Value = OtpKind> {
    prop_oneof![
        (1..=MAX_PERIOD_SECS).prop_map(|period| OtpKind::Totp { period }),
        any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        Just(OtpKind::Steam),
    ]
}

/// Issuer and account name under the round-trip rules of the `uri` module: an issuer is
/// non-empty without ':'; a name is non-empty, does not start with a space, and holds ':'
/// only when there is an issuer. Any other Unicode, control characters included, is fair.
fn label() -> impl Strategy<Value = (Option<String>, String)> {
    prop_oneof![
        ("[^:]{1,20}", "(?s)[^ ].{0,20}").prop_map(|(issuer, name)| (Some(issuer), name)),
        "(?s)[^ :][^:]{0,20}".prop_map(|name| (None, name)),
    ]
}

fn portal() -> impl Strategy<Value = Option<PortalParts>> {
    // The parser stores the URL in WHATWG-normalized form, so the generator normalizes too.
    let url = "https?://[a-z][a-z0-9-]{0,10}\\.example(:[1-9][0-9]{0,3})?/[a-z0-9/]{0,12}"
        .prop_filter_map("not a URL", |text| {
            url::Url::parse(&text).ok().map(String::from)
        });
    proptest::option::of((url, "(?s).{1,40}", any::<[u8; 32]>()))
}

fn build(
    seed: Vec<u8>,
    (issuer, account_name): (Option<String>, String),
    algorithm: HashAlgorithm,
    digits: u8,
    kind: OtpKind,
    portal: Option<PortalParts>,
) -> OtpAuthUri {
    // Steam's parameters are fixed; a value that keeps the round-trip rules has them.
    let (algorithm, digits) = match kind {
        OtpKind::Steam => (HashAlgorithm::Sha1, STEAM_CODE_LEN),
        OtpKind::Totp { .. } | OtpKind::Hotp { .. } => (algorithm, digits),
    };
    OtpAuthUri {
        kind,
        issuer,
        account_name,
        seed: Seed::from_bytes(seed),
        algorithm,
        digits,
        zweifaktor: portal.map(|(portal_url, token, key)| PortalEnrollment {
            portal_url,
            enroll_token: EnrollToken::new(token),
            portal_key: SigningKey::from_bytes(&key).verifying_key(),
        }),
    }
}

proptest! {
    /// Any non-empty secret round-trips; with `zf_` parameters, any of the portal's length
    /// or longer.
    #[test]
    fn emit_then_parse_round_trips(
        seed in proptest::collection::vec(any::<u8>(), 1..=64),
        label in label(),
        algorithm in algorithm(),
        digits in 6u8..=8,
        kind in kind(),
        portal in portal(),
    ) {
        let portal = portal.filter(|_| seed.len() >= ZWEIFAKTOR_SEED_BYTES);
        let uri = build(seed, label, algorithm, digits, kind, portal);
        let text = uri.to_uri_string();
        let parsed = OtpAuthUri::parse(&text);
        prop_assert!(parsed.is_ok(), "{:?} for {:?}", parsed, uri);
        prop_assert_eq!(parsed.ok(), Some(uri));
    }

    #[test]
    fn parse_never_panics(input in any::<String>()) {
        let _ = OtpAuthUri::parse(&input);
    }

    /// A set-up link whose secret is shorter than the portal's is refused, however it is
    /// otherwise formed.
    #[test]
    fn short_secrets_with_zf_parameters_are_refused(
        seed in proptest::collection::vec(any::<u8>(), 1..ZWEIFAKTOR_SEED_BYTES),
        label in label(),
        kind in kind(),
        portal in portal(),
    ) {
        let Some(portal) = portal else { return Ok(()) };
        let uri = build(seed, label, HashAlgorithm::Sha1, 6, kind, Some(portal));
        let parsed = OtpAuthUri::parse(&uri.to_uri_string());
        let is_too_short = matches!(
            parsed,
            Err(zweifaktor_protocol::uri::UriError::SecretTooShort { .. })
        );
        prop_assert!(is_too_short);
    }

    #[test]
    fn parse_never_panics_past_the_scheme(
        kind in "(totp|hotp|steam|TOTP|x)",
        rest in "(?s).{0,200}",
    ) {
        let _ = OtpAuthUri::parse(&format!("otpauth://{kind}/{rest}"));
        let _ = OtpAuthUri::parse(&format!("otpauth://{kind}?{rest}"));
    }

    #[test]
    fn parse_never_panics_on_query_soup(
        params in proptest::collection::vec(
            ("(secret|issuer|algorithm|digits|period|counter|encoder|zf_url|zf_enroll|zf_key|%|x)",
             "[A-Za-z0-9%=+:/.@ -]{0,12}"),
            0..10,
        ),
    ) {
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = OtpAuthUri::parse(&format!("otpauth://totp/a:b?{}", query.join("&")));
    }
}
