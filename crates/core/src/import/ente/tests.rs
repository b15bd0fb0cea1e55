//! Tests of the Ente Auth importer: on a real encrypted export Ente wrote
//! (`crates/core/tests/data/ente/proton_encrypted.lowcomplexity.txt`, from proton-pass-common's
//! test data), on Ente's plain export of Aegis's test vectors
//! (`ente_auth.txt`, from Aegis's test data; see the folder's README), and on encrypted exports
//! built here as Ente's source describes them (`export_widget.dart`, `ente.dart` and
//! `crypto.dart` in github.com/ente-io/ente).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use orion::hazardous::aead::streaming::{ABYTES, Nonce, StreamTag, StreamXChaCha20Poly1305};
use serde_json::{Value, json};

use super::Ente;
use super::crypto::{Cost, open};
use crate::import::test_kit::{self, edited};
use crate::import::test_vectors::{AEGIS_VECTORS, Edit, assert_accounts};
use crate::import::{Format, ImportBatch, ImportError, ImportPassword, Importer};

const REAL_ENCRYPTED: &[u8] =
    include_bytes!("../../../tests/data/ente/proton_encrypted.lowcomplexity.txt");
const PLAIN: &str = include_str!("../../../tests/data/ente/ente_auth.txt");

fn password(text: &str) -> ImportPassword {
    ImportPassword::new(text.to_owned())
}

fn read(bytes: &[u8], pw: Option<&str>) -> Result<ImportBatch, ImportError> {
    Ente.read(bytes, pw.map(password).as_ref())
}

/// An encrypted export as Ente writes it, with a cheap Argon2 cost (8 MiB, 1 pass).
fn encrypt(text: &str, pw: &str, tag: StreamTag) -> Vec<u8> {
    let (mem, ops) = (8u64 << 20, 1u64);
    let salt = [7u8; 16];
    let key = Cost::from_file(mem, ops)
        .unwrap()
        .derive(&password(pw), &salt)
        .unwrap();
    let header = [9u8; 24];
    let mut sealed = vec![0u8; text.len() + ABYTES];
    StreamXChaCha20Poly1305::new(&key, &Nonce::try_from(&header[..]).unwrap())
        .seal_chunk(text.as_bytes(), None, &mut sealed, &tag)
        .unwrap();
    serde_json::to_vec(&json!({
        "version": 1,
        "kdfParams": {"memLimit": mem, "opsLimit": ops, "salt": STANDARD.encode(salt)},
        "encryptedData": STANDARD.encode(&sealed),
        "encryptionNonce": STANDARD.encode(header),
    }))
    .unwrap()
}

fn malformed_what(result: Result<ImportBatch, ImportError>) -> String {
    test_kit::malformed_what(Format::Ente, result)
}

/// The libsodium secretstream and Argon2id of a file Ente wrote open: Poly1305 accepts only
/// what the same construction sealed under the same key. Its three links (HOTP, TOTP, Steam)
/// have test secrets of under 128 bits.
#[test]
fn a_real_ente_export_decrypts_to_its_text() {
    let doc: Value = serde_json::from_slice(REAL_ENCRYPTED).unwrap();
    let kdf = &doc["kdfParams"];
    let salt: [u8; 16] = STANDARD
        .decode(kdf["salt"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let key = Cost::from_file(
        kdf["memLimit"].as_u64().unwrap(),
        kdf["opsLimit"].as_u64().unwrap(),
    )
    .unwrap()
    .derive(&password("password"), &salt)
    .unwrap();
    let header: [u8; 24] = STANDARD
        .decode(doc["encryptionNonce"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let ciphertext = STANDARD
        .decode(doc["encryptedData"].as_str().unwrap())
        .unwrap();
    let plain = open(&key, &header, &ciphertext).unwrap();
    let text = std::str::from_utf8(&plain).unwrap();
    let types: Vec<_> = text
        .lines()
        .map(|line| line.split('/').nth(2).unwrap())
        .collect();
    assert_eq!(types, ["hotp", "totp", "steam"]);
    assert!(text.lines().all(|line| line.contains("&codeDisplay=")));

    assert!(Ente.recognizes(REAL_ENCRYPTED));
    let batch = read(REAL_ENCRYPTED, Some("password")).unwrap();
    assert_eq!(batch.accounts.len() + batch.unsupported.len(), 3);
}

#[test]
fn plain_export_reads_every_vector() {
    assert!(Ente.recognizes(PLAIN.as_bytes()));
    assert_accounts(&read(PLAIN.as_bytes(), None).unwrap(), &AEGIS_VECTORS);
}

#[test]
fn encrypted_export_of_the_vectors_opens() {
    let file = encrypt(PLAIN, "correct password", StreamTag::Finish);
    assert!(Ente.recognizes(&file));
    assert_accounts(
        &read(&file, Some("correct password")).unwrap(),
        &AEGIS_VECTORS,
    );
    assert!(matches!(
        read(&file, None),
        Err(ImportError::PasswordRequired {
            format: Format::Ente
        })
    ));
}

#[test]
fn wrong_password_is_wrong_password() {
    assert!(matches!(
        read(REAL_ENCRYPTED, Some("Password")),
        Err(ImportError::WrongPassword {
            format: Format::Ente
        })
    ));
}

#[test]
fn truncated_files_are_malformed() {
    for len in [1, REAL_ENCRYPTED.len() / 2, REAL_ENCRYPTED.len() - 3] {
        assert!(
            malformed_what(read(&REAL_ENCRYPTED[..len], Some("password")))
                .starts_with("not valid JSON")
        );
    }
    let short = edited(REAL_ENCRYPTED, |v| {
        v["encryptedData"] = json!(STANDARD.encode([0u8; 16]))
    });
    assert_eq!(
        malformed_what(read(&short, Some("password"))),
        "encryptedData is shorter than one stream tag"
    );
    // A stream cut before its FINAL message.
    let unfinished = encrypt(PLAIN, "pw", StreamTag::Message);
    assert_eq!(
        malformed_what(read(&unfinished, Some("pw"))),
        "encryptedData is not a complete stream"
    );
}

/// Ente's export has one authentication tag over the whole text and no check of the key, so a
/// flipped byte in the ciphertext reads as a wrong password; flips elsewhere are named.
#[test]
fn one_flipped_byte_is_refused() {
    let flipped = edited(REAL_ENCRYPTED, |v| {
        let mut data = STANDARD
            .decode(v["encryptedData"].as_str().unwrap())
            .unwrap();
        data[100] ^= 0x04;
        v["encryptedData"] = json!(STANDARD.encode(&data));
    });
    assert!(matches!(
        read(&flipped, Some("password")),
        Err(ImportError::WrongPassword { .. })
    ));
    let cases: [(&str, Edit); 4] = [
        ("encryptionNonce has 23 bytes instead of 24", |v| {
            v["encryptionNonce"] = json!(STANDARD.encode([1u8; 23]));
        }),
        ("kdfParams.salt is not valid base64", |v| {
            v["kdfParams"]["salt"] = json!("FD9Gp/sr9DkWCt0P83maaA=")
        }),
        ("encryptedData is missing", |v| {
            v.as_object_mut().unwrap().remove("encryptedData");
        }),
        ("version 2 is not 1", |v| v["version"] = json!(2)),
    ];
    for (what, edit) in cases {
        let file = edited(REAL_ENCRYPTED, edit);
        assert_eq!(malformed_what(read(&file, Some("password"))), what);
    }
}

#[test]
fn hostile_argon2_parameters_are_refused_before_any_work() {
    for (mem, ops) in [(1u64 << 40, 1u64), (1 << 30, 1 << 20), (u64::MAX, u64::MAX)] {
        let hostile = edited(REAL_ENCRYPTED, |v| {
            v["kdfParams"]["memLimit"] = json!(mem);
            v["kdfParams"]["opsLimit"] = json!(ops);
        });
        assert!(
            matches!(
                read(&hostile, Some("password")),
                Err(ImportError::KdfTooCostly {
                    format: Format::Ente,
                    ..
                })
            ),
            "{mem} {ops}"
        );
    }
}

#[test]
fn unsupported_link_types_are_listed() {
    let text = format!(
        "{PLAIN}otpauth://motp/Corp:Alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&codeDisplay=%7B%7D\n"
    );
    let batch = read(&encrypt(&text, "pw", StreamTag::Finish), Some("pw")).unwrap();
    assert_eq!(batch.accounts.len(), AEGIS_VECTORS.len());
    assert_eq!(batch.unsupported.len(), 1);
    assert_eq!(batch.unsupported[0].kind, "motp");
}

#[test]
fn plain_lists_without_ente_marks_are_left_to_the_generic_importer() {
    let generic = "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ\n";
    assert!(!Ente.recognizes(generic.as_bytes()));
    let mixed = format!("{PLAIN}not a link\n");
    assert!(!Ente.recognizes(mixed.as_bytes()));
    assert!(!Ente.recognizes(b"{\"version\": 1}"));
}
