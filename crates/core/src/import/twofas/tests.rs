//! Tests of the 2FAS importer, on 2FAS's own backups of Aegis's test vectors (schemas 1 to 4,
//! plain and encrypted; `crates/core/tests/data/2fas/`, see its README) and on edits of them
//! that follow the layout of 2FAS's source (`BackupContent.kt`, `BackupCipherImpl.kt` in
//! github.com/twofas/2fas-android).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use zweifaktor_protocol::HashAlgorithm;

use super::TwoFas;
use crate::accounts::AccountKind;
use crate::import::test_kit::{self, edited};
use crate::import::test_vectors::{AEGIS_VECTORS, Edit, Vector, assert_accounts, vectors};
use crate::import::{Format, ImportBatch, ImportError, ImportPassword, Importer};

const SCHEMA1: &[u8] = include_bytes!("../../../tests/data/2fas/2fas_authenticator.json");
const PLAIN2: &[u8] = include_bytes!("../../../tests/data/2fas/2fas_authenticator_plain.2fas");
const ENCRYPTED2: &[u8] =
    include_bytes!("../../../tests/data/2fas/2fas_authenticator_encrypted.2fas");
const PLAIN3: &[u8] = include_bytes!("../../../tests/data/2fas/2fas_authenticator_plain_v3.2fas");
const ENCRYPTED3: &[u8] =
    include_bytes!("../../../tests/data/2fas/2fas_authenticator_encrypted_v3.2fas");
const PLAIN4: &[u8] = include_bytes!("../../../tests/data/2fas/2fas_authenticator_plain_v4.2fas");
const ENCRYPTED4: &[u8] =
    include_bytes!("../../../tests/data/2fas/2fas_authenticator_encrypted_v4.2fas");

fn read(bytes: &[u8], pw: Option<&str>) -> Result<ImportBatch, ImportError> {
    TwoFas.read(
        bytes,
        pw.map(|p| ImportPassword::new(p.to_owned())).as_ref(),
    )
}

fn malformed_what(result: Result<ImportBatch, ImportError>) -> String {
    test_kit::malformed_what(Format::TwoFas, result)
}

/// As Aegis's test does for schema 2 (`checkImportedTwoFASSchema2Entries`): 2FAS then knew
/// TOTP only, so counter-based vectors come back as TOTP with 30 s.
fn as_schema2_totp(vector: Vector) -> Vector {
    let period = match vector.5 {
        AccountKind::Totp { period } => period,
        _ => 30,
    };
    (
        vector.0,
        vector.1,
        vector.2,
        vector.3,
        vector.4,
        AccountKind::Totp { period },
    )
}

#[test]
fn schema4_plain_and_encrypted() {
    let expected = vectors(&["Deno", "Issuu", "Air Canada", "WWE", "Boeing"]);
    assert!(TwoFas.recognizes(PLAIN4) && TwoFas.recognizes(ENCRYPTED4));
    assert_accounts(&read(PLAIN4, None).unwrap(), &expected);
    assert_accounts(&read(ENCRYPTED4, Some("test")).unwrap(), &expected);
}

#[test]
fn schema3_plain_and_encrypted() {
    let expected = vectors(&["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"]);
    assert_accounts(&read(PLAIN3, None).unwrap(), &expected);
    let encrypted = read(ENCRYPTED3, Some("test")).unwrap();
    assert!(encrypted.accounts.len() >= expected.len());
    for account in &encrypted.accounts {
        let secret = account.seed.to_base32();
        let vector = AEGIS_VECTORS
            .iter()
            .find(|v| v.2 == secret.as_str())
            .unwrap();
        assert_eq!(crate::import::test_vectors::as_vector(account).5, vector.5);
    }
}

#[test]
fn schema2_and_schema1_use_2fas_defaults() {
    let expected: Vec<_> = vectors(&["Deno", "Airbnb", "Issuu", "WWE"])
        .into_iter()
        .map(as_schema2_totp)
        .collect();
    assert_accounts(&read(PLAIN2, None).unwrap(), &expected);
    let decrypted = read(ENCRYPTED2, Some("test")).unwrap();
    assert!(!decrypted.accounts.is_empty());
    let schema1: Vec<_> = vectors(&["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"])
        .into_iter()
        .map(|v| {
            (
                v.0,
                v.1,
                v.2,
                HashAlgorithm::Sha1,
                6,
                AccountKind::Totp { period: 30 },
            )
        })
        .collect();
    assert_accounts(&read(SCHEMA1, None).unwrap(), &schema1);
}

#[test]
fn encrypted_without_password_asks_for_one() {
    assert!(matches!(
        read(ENCRYPTED4, None),
        Err(ImportError::PasswordRequired {
            format: Format::TwoFas
        })
    ));
}

#[test]
fn wrong_password_is_wrong_password() {
    for encrypted in [ENCRYPTED2, ENCRYPTED3, ENCRYPTED4] {
        assert!(matches!(
            read(encrypted, Some("Test")),
            Err(ImportError::WrongPassword {
                format: Format::TwoFas
            })
        ));
    }
    // Without `reference`, a failing services field is all there is to go on.
    let no_reference = edited(ENCRYPTED4, |v| {
        v.as_object_mut().unwrap().remove("reference");
    });
    let expected = vectors(&["Deno", "Issuu", "Air Canada", "WWE", "Boeing"]);
    assert_accounts(&read(&no_reference, Some("test")).unwrap(), &expected);
    assert!(matches!(
        read(&no_reference, Some("tset")),
        Err(ImportError::WrongPassword { .. })
    ));
}

#[test]
fn truncated_files_are_malformed() {
    for len in [0, 10, ENCRYPTED4.len() / 2, ENCRYPTED4.len() - 1] {
        assert!(
            malformed_what(read(&ENCRYPTED4[..len], Some("test"))).starts_with("not valid JSON")
        );
    }
    let cut = edited(ENCRYPTED4, |v| {
        let text = v["servicesEncrypted"].as_str().unwrap().to_owned();
        let (data, rest) = text.split_once(':').unwrap();
        v["servicesEncrypted"] = json!(format!("{}:{rest}", &data[..data.len() - 8]));
    });
    assert_eq!(
        malformed_what(read(&cut, Some("test"))),
        "servicesEncrypted does not decrypt with the key that opens reference"
    );
}

#[test]
fn one_flipped_byte_in_the_services_is_malformed() {
    let flipped = edited(ENCRYPTED4, |v| {
        let text = v["servicesEncrypted"].as_str().unwrap().to_owned();
        let (data, rest) = text.split_once(':').unwrap();
        let mut bytes = STANDARD.decode(data).unwrap();
        bytes[7] ^= 0x80;
        v["servicesEncrypted"] = json!(format!("{}:{rest}", STANDARD.encode(&bytes)));
    });
    assert_eq!(
        malformed_what(read(&flipped, Some("test"))),
        "servicesEncrypted does not decrypt with the key that opens reference"
    );
}

#[test]
fn bad_parts_are_malformed_and_named() {
    let cases: [(&str, Edit); 4] = [
        ("servicesEncrypted ciphertext is not valid base64", |v| {
            let text = v["servicesEncrypted"].as_str().unwrap().to_owned();
            v["servicesEncrypted"] = json!(format!("*{text}"));
        }),
        ("reference is not three parts ciphertext:salt:iv", |v| {
            v["reference"] = json!("AAAA")
        }),
        ("reference and servicesEncrypted differ in salt", |v| {
            let text = v["reference"].as_str().unwrap().to_owned();
            let parts: Vec<&str> = text.split(':').collect();
            v["reference"] = json!(format!("{}:AAAA:{}", parts[0], parts[2]));
        }),
        ("schemaVersion 5 is newer than 4", |v| {
            v["schemaVersion"] = json!(5)
        }),
    ];
    for (what, edit) in cases {
        assert_eq!(
            malformed_what(read(&edited(ENCRYPTED4, edit), Some("test"))),
            what
        );
    }
    let no_secret = edited(PLAIN4, |v| {
        v["services"][2].as_object_mut().unwrap().remove("secret");
    });
    assert_eq!(
        malformed_what(read(&no_secret, None)),
        "services[2].secret is missing"
    );
}

/// A 2FAS file names no key-derivation cost (the rounds are 2FAS's fixed 10,000); the one size
/// it does name, the salt's, is bounded before PBKDF2 runs.
#[test]
fn hostile_kdf_input_is_refused_before_any_work() {
    let salt = STANDARD.encode(vec![0u8; 1 << 20]);
    let hostile = edited(ENCRYPTED4, |v| {
        for field in ["servicesEncrypted", "reference"] {
            let text = v[field].as_str().unwrap().to_owned();
            let parts: Vec<&str> = text.split(':').collect();
            v[field] = json!(format!("{}:{salt}:{}", parts[0], parts[2]));
        }
    });
    assert_eq!(
        malformed_what(read(&hostile, Some("test"))),
        "servicesEncrypted salt has 1048576 bytes (1 to 1024)"
    );
}

#[test]
fn other_token_types_are_listed_as_unsupported() {
    let file = edited(PLAIN4, |v| {
        v["services"][0]["otp"]["tokenType"] = json!("YANDEX");
        v["services"][1]["otp"]["algorithm"] = json!("MD5");
    });
    let batch = read(&file, None).unwrap();
    assert_eq!(batch.accounts.len(), 3);
    let listed: Vec<_> = batch
        .unsupported
        .iter()
        .map(|u| (u.label.as_str(), u.kind.as_str()))
        .collect();
    assert_eq!(listed, [("Deno:Mason", "YANDEX"), ("Issuu:James", "hotp")]);
}

#[test]
fn other_json_is_not_2fas() {
    let aegis = include_bytes!("../../../tests/data/aegis/aegis_plain.json");
    for other in [&b"{}"[..], br#"{"services": []}"#, &aegis[..]] {
        assert!(!TwoFas.recognizes(other));
    }
}
