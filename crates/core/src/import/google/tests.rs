//! Tests of the Google Authenticator importer on links built from the published schema
//! (Aegis's `google_auth.proto`, dim13/otpauth's `migration/migration.proto`, see [`super::proto`])
//! and on the public sample link of dim13/otpauth's README (github.com/dim13/otpauth, "Usage").

#![allow(clippy::unwrap_used)]

use prost::Message as _;
use zweifaktor_protocol::HashAlgorithm;

use super::*;
use crate::accounts::AccountKind;
use crate::import::test_kit;

/// dim13/otpauth's README sample: one TOTP account "Example:alice@google.com", issuer
/// "Example", secret JBSWY3DPEHPK3PXP (the bytes "Hello!\xde\xad\xbe\xef").
const DIM13_SAMPLE: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

fn entry(
    issuer: &str,
    name: &str,
    secret: &[u8],
    algorithm: i32,
    digits: i32,
    r#type: i32,
) -> OtpParameters {
    OtpParameters {
        secret: secret.to_vec(),
        name: name.to_owned(),
        issuer: issuer.to_owned(),
        algorithm,
        digits,
        r#type,
        counter: 0,
    }
}

fn link_of(otp_parameters: Vec<OtpParameters>, size: i32, index: i32, id: i32) -> String {
    let payload = MigrationPayload {
        otp_parameters,
        version: 1,
        batch_size: size,
        batch_index: index,
        batch_id: id,
    };
    link::encode(&payload.encode_to_vec()).to_string()
}

fn read(text: &str) -> Result<ImportBatch, ImportError> {
    GoogleMigration.read(text.as_bytes(), None)
}

fn malformed_what(err: ImportError) -> String {
    test_kit::malformed_what(Format::GoogleMigration, Err(err))
}

#[test]
fn the_public_sample_link_reads_as_its_readme_says() {
    assert!(GoogleMigration.recognizes(DIM13_SAMPLE.as_bytes()));
    let batch = read(DIM13_SAMPLE).unwrap();
    assert_eq!(batch.accounts.len(), 1);
    let account = &batch.accounts[0];
    assert_eq!(account.issuer.as_deref(), Some("Example"));
    assert_eq!(account.name, "alice@google.com");
    assert_eq!(account.seed.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    assert_eq!(account.algorithm, HashAlgorithm::Sha1);
    assert_eq!(account.digits, 6);
    assert_eq!(account.kind, AccountKind::Totp { period: 30 });
    assert!(batch.unsupported.is_empty() && batch.missing_parts.is_empty());
}

#[test]
fn every_algorithm_digit_count_and_type_is_read() {
    let mut hotp = entry("Bank", "erika", b"12345678901234567890", 3, 2, 1);
    hotp.counter = 42;
    let text = link_of(
        vec![
            entry("", "plain", b"abcdefghij", 0, 0, 2),
            entry("Shop", "Shop:erika", b"12345678901234567890", 2, 1, 2),
            hotp,
        ],
        1,
        0,
        7,
    );
    let batch = read(&text).unwrap();
    let got: Vec<_> = batch
        .accounts
        .iter()
        .map(|a| (a.label(), a.algorithm, a.digits, a.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "plain".to_owned(),
                HashAlgorithm::Sha1,
                6,
                AccountKind::Totp { period: 30 }
            ),
            (
                "Shop:erika".to_owned(),
                HashAlgorithm::Sha256,
                6,
                AccountKind::Totp { period: 30 }
            ),
            (
                "Bank:erika".to_owned(),
                HashAlgorithm::Sha512,
                8,
                AccountKind::Hotp { counter: 42 }
            ),
        ]
    );
}

#[test]
fn unknown_kinds_are_listed_not_dropped() {
    let text = link_of(
        vec![
            entry("Old", "md5", b"secret", 4, 1, 2),
            entry("New", "kind", b"secret", 1, 1, 9),
            entry("Ok", "fine", b"secret", 1, 1, 2),
        ],
        1,
        0,
        1,
    );
    let batch = read(&text).unwrap();
    assert_eq!(batch.accounts.len(), 1);
    let listed: Vec<_> = batch
        .unsupported
        .iter()
        .map(|u| (u.label.as_str(), u.kind.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Old:md5", "totp", "MD5 codes are not supported"),
            ("New:kind", "type 9", "unknown OTP type 9"),
        ]
    );
}

#[test]
fn several_codes_of_one_batch_read_as_one_and_missing_ones_are_named() {
    let part =
        |index, name: &str| link_of(vec![entry("I", name, b"secret", 1, 1, 2)], 4, index, 99);
    let text = format!(
        "{}\n\n{}\r\n{}  {}\n",
        part(0, "a"),
        part(2, "c"),
        part(0, "a"),
        part(3, "d")
    );
    let batch = read(&text).unwrap();
    let names: Vec<_> = batch.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["a", "c", "d"], "the code scanned twice counts once");
    assert_eq!(batch.missing_parts, [MissingPart { number: 2, of: 4 }]);
}

#[test]
fn codes_of_one_batch_that_disagree_on_its_size_are_refused() {
    let text = format!("{}\n{}", link_of(vec![], 2, 0, 5), link_of(vec![], 3, 1, 5));
    assert!(malformed_what(read(&text).unwrap_err()).contains("disagree"));
}

#[test]
fn a_hostile_batch_size_or_index_is_refused_before_listing_parts() {
    for (size, index, what) in [
        (i32::MAX, 0, "claims a batch"),
        (MAX_BATCH_SIZE + 1, 0, "claims a batch"),
        (3, 3, "batch index outside"),
        (3, -1, "batch index outside"),
    ] {
        let err = read(&link_of(vec![], size, index, 1)).unwrap_err();
        assert!(malformed_what(err).contains(what), "{size} {index}");
    }
    let fine = read(&link_of(vec![], MAX_BATCH_SIZE, 0, 1)).unwrap();
    assert_eq!(
        fine.missing_parts.len(),
        usize::try_from(MAX_BATCH_SIZE - 1).unwrap()
    );
}

#[test]
fn a_truncated_link_is_a_damaged_file_naming_the_link() {
    let whole = link_of(
        vec![entry("I", "n", b"12345678901234567890", 1, 1, 2)],
        1,
        0,
        1,
    );
    // Cut inside the protobuf: the length prefix promises more bytes than follow.
    let cut = &whole[..whole.len() - 12];
    let text = format!("{DIM13_SAMPLE}\n{cut}");
    let what = malformed_what(read(&text).unwrap_err());
    assert!(what.starts_with("link 2 "), "{what}");
}

#[test]
fn one_flipped_byte_is_a_damaged_file() {
    let bytes = link::decode(DIM13_SAMPLE).unwrap();
    // Byte 1 is the length of the first entry; 0xff makes it a varint that never ends.
    let mut flipped = bytes.to_vec();
    flipped[1] = 0xff;
    let text = link::encode(&flipped);
    assert!(malformed_what(read(&text).unwrap_err()).contains("no valid transfer data"));
    // A flipped character of the base64 text.
    let text = DIM13_SAMPLE.replacen('C', "*", 1);
    assert!(malformed_what(read(&text).unwrap_err()).contains("not base64"));
}

#[test]
fn a_newer_payload_version_is_refused() {
    let payload = MigrationPayload {
        version: 2,
        ..MigrationPayload::default()
    };
    let text = link::encode(&payload.encode_to_vec());
    assert!(malformed_what(read(&text).unwrap_err()).contains("version"));
}

#[test]
fn text_that_is_not_a_transfer_link_is_not_recognized_or_is_named() {
    assert!(!GoogleMigration.recognizes(b"otpauth://totp/x?secret=AAAA"));
    assert!(!GoogleMigration.recognizes(b"{\"items\": []}"));
    assert!(!GoogleMigration.recognizes(b"\xff\xfe"));
    let text = format!("{DIM13_SAMPLE}\nhello");
    assert_eq!(
        malformed_what(read(&text).unwrap_err()),
        "link 2 is not an otpauth-migration://offline link"
    );
}

#[test]
fn debug_output_hides_the_secret() {
    let shown = format!("{:?}", entry("I", "n", b"TOPSECRET", 1, 1, 2));
    assert!(!shown.contains("TOPSECRET") && !shown.contains("84, 79"));
    assert!(shown.contains("9 bytes, redacted"));
}
