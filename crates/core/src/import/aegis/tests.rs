//! Tests of the Aegis importer, on Aegis's own sample vaults (`crates/core/tests/data/aegis/`,
//! from Aegis's test resources; see its README) and on vaults built here from Aegis's
//! published description, `docs/vault.md` in github.com/beemdevelopment/Aegis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::Aegis;
use crate::import::test_kit::{self, edited};
use crate::import::test_vectors::{AEGIS_VECTORS, Edit, assert_accounts};
use crate::import::{Format, ImportError, ImportPassword, Importer};

const PLAIN: &[u8] = include_bytes!("../../../tests/data/aegis/aegis_plain.json");
const ENCRYPTED: &[u8] = include_bytes!("../../../tests/data/aegis/aegis_encrypted.json");

fn password(text: &str) -> ImportPassword {
    ImportPassword::new(text.to_owned())
}

fn read(bytes: &[u8], pw: Option<&str>) -> Result<crate::import::ImportBatch, ImportError> {
    Aegis.read(bytes, pw.map(password).as_ref())
}

fn malformed_what(result: Result<crate::import::ImportBatch, ImportError>) -> String {
    test_kit::malformed_what(Format::Aegis, result)
}

#[test]
fn plain_sample_reads_every_vector() {
    assert!(Aegis.recognizes(PLAIN));
    assert_accounts(&read(PLAIN, None).unwrap(), &AEGIS_VECTORS);
}

#[test]
fn encrypted_sample_opens_with_its_password() {
    assert!(Aegis.recognizes(ENCRYPTED));
    assert_accounts(&read(ENCRYPTED, Some("test")).unwrap(), &AEGIS_VECTORS);
}

#[test]
fn encrypted_without_password_asks_for_one() {
    assert!(matches!(
        read(ENCRYPTED, None),
        Err(ImportError::PasswordRequired {
            format: Format::Aegis
        })
    ));
}

#[test]
fn wrong_password_is_wrong_password_and_nothing_else() {
    for wrong in ["", "Test", "test ", "tes"] {
        assert!(
            matches!(
                read(ENCRYPTED, Some(wrong)),
                Err(ImportError::WrongPassword {
                    format: Format::Aegis
                })
            ),
            "{wrong:?}"
        );
    }
}

#[test]
fn truncated_files_are_malformed() {
    for len in [0, 1, ENCRYPTED.len() / 2, ENCRYPTED.len() - 2] {
        let what = malformed_what(read(&ENCRYPTED[..len], Some("test")));
        assert!(what.starts_with("not valid JSON"), "{len}: {what}");
    }
    let cut_db = edited(ENCRYPTED, |v| {
        let db = v["db"].as_str().unwrap();
        v["db"] = json!(db[..db.len() - 4]);
    });
    assert_eq!(
        malformed_what(read(&cut_db, Some("test"))),
        "db does not decrypt with the master key the password opened"
    );
}

#[test]
fn one_flipped_byte_in_the_contents_is_malformed() {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    let flipped = edited(ENCRYPTED, |v| {
        let mut db = STANDARD.decode(v["db"].as_str().unwrap()).unwrap();
        let middle = db.len() / 2;
        db[middle] ^= 0x01;
        v["db"] = json!(STANDARD.encode(&db));
    });
    assert_eq!(
        malformed_what(read(&flipped, Some("test"))),
        "db does not decrypt with the master key the password opened"
    );
    let bad_tag = edited(ENCRYPTED, |v| {
        v["header"]["params"]["tag"] = json!("5db2470edf2d12f82a89ae7f48ccd50d");
    });
    assert!(matches!(
        read(&bad_tag, Some("test")),
        Err(ImportError::Malformed { .. })
    ));
}

/// A slot's sealed key, nonce or tag altered can no longer be told from a wrong password: GCM
/// fails the same way. The file is refused either way, and nothing is read.
#[test]
fn one_flipped_byte_in_the_slot_fails_like_a_wrong_password() {
    let bad_key = edited(ENCRYPTED, |v| {
        v["header"]["slots"][0]["key"] =
            json!("591d44550430ba248986b904b8cffd3a6c5755d176ac877bd11b82c934225017");
    });
    assert!(matches!(
        read(&bad_key, Some("test")),
        Err(ImportError::WrongPassword { .. })
    ));
}

#[test]
fn bad_base64_and_hex_are_malformed_and_named() {
    let cases: [(&str, Edit); 4] = [
        ("db is not valid base64", |v| v["db"] = json!("not*base64")),
        ("header.params.nonce is not valid hex", |v| {
            v["header"]["params"]["nonce"] = json!("zz")
        }),
        ("header.slots[0].salt has 31 bytes instead of 32", |v| {
            v["header"]["slots"][0]["salt"] = json!("00".repeat(31));
        }),
        ("header.slots[0].key_params.tag is missing", |v| {
            v["header"]["slots"][0]["key_params"]
                .as_object_mut()
                .unwrap()
                .remove("tag");
        }),
    ];
    for (what, edit) in cases {
        assert_eq!(
            malformed_what(read(&edited(ENCRYPTED, edit), Some("test"))),
            what
        );
    }
}

#[test]
fn missing_fields_are_named() {
    let cases: [(&str, Edit); 4] = [
        ("db.entries[1].info.period is missing", |v| {
            v["db"]["entries"][1]["info"]
                .as_object_mut()
                .unwrap()
                .remove("period");
        }),
        ("db.entries[3].info.counter is missing", |v| {
            v["db"]["entries"][3]["info"]
                .as_object_mut()
                .unwrap()
                .remove("counter");
        }),
        ("db.entries[0].info.secret is missing", |v| {
            v["db"]["entries"][0]["info"]
                .as_object_mut()
                .unwrap()
                .remove("secret");
        }),
        ("db.entries[2].name is missing", |v| {
            v["db"]["entries"][2]
                .as_object_mut()
                .unwrap()
                .remove("name");
        }),
    ];
    for (what, edit) in cases {
        assert_eq!(malformed_what(read(&edited(PLAIN, edit), None)), what);
    }
    assert_eq!(
        malformed_what(read(&edited(PLAIN, |v| v["version"] = json!(2)), None)),
        "version 2 is newer than 1"
    );
}

#[test]
fn hostile_scrypt_parameters_are_refused_before_any_work() {
    // N = 2^30 with r = 8 would take 128 GiB; refused before scrypt runs (it could not run).
    for (n, r, p) in [
        (1u64 << 30, 8, 1),
        (32768, 1 << 20, 1),
        (32768, 8, 1 << 20),
        (1 << 20, 8, 1),
    ] {
        let hostile = edited(ENCRYPTED, |v| {
            let slot = &mut v["header"]["slots"][0];
            slot["n"] = json!(n);
            slot["r"] = json!(r);
            slot["p"] = json!(p);
        });
        assert!(
            matches!(
                read(&hostile, Some("test")),
                Err(ImportError::KdfTooCostly {
                    format: Format::Aegis,
                    ..
                })
            ),
            "N={n} r={r} p={p}"
        );
    }
    // A hostile second slot is refused before the first one, which would open, is derived.
    let second = edited(ENCRYPTED, |v| {
        let mut slot = v["header"]["slots"][0].clone();
        slot["n"] = json!(1u64 << 40);
        v["header"]["slots"].as_array_mut().unwrap().push(slot);
    });
    assert!(matches!(
        read(&second, Some("test")),
        Err(ImportError::KdfTooCostly { .. })
    ));
    let many = edited(ENCRYPTED, |v| {
        let slot = v["header"]["slots"][0].clone();
        v["header"]["slots"] = json!([slot.clone(), slot.clone(), slot]);
    });
    match read(&many, Some("test")) {
        Err(ImportError::KdfTooCostly { what, .. }) => {
            assert_eq!(what, "more than 2 password slots")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn biometric_slots_are_skipped_and_a_vault_without_password_slot_is_malformed() {
    let with_biometric = edited(ENCRYPTED, |v| {
        let mut slot = v["header"]["slots"][0].clone();
        slot["type"] = json!(2);
        v["header"]["slots"].as_array_mut().unwrap().insert(0, slot);
    });
    assert_accounts(
        &read(&with_biometric, Some("test")).unwrap(),
        &AEGIS_VECTORS,
    );
    let only_biometric = edited(ENCRYPTED, |v| v["header"]["slots"][0]["type"] = json!(2));
    assert_eq!(
        malformed_what(read(&only_biometric, Some("test"))),
        "header.slots holds no password slot"
    );
}

/// vault.md, "MOTP" and "Yandex": entries the app cannot show are listed with why.
#[test]
fn motp_yandex_and_unknown_types_are_listed_as_unsupported() {
    let file = edited(PLAIN, |v| {
        let entries = v["db"]["entries"].as_array_mut().unwrap();
        entries.push(json!({
            "type": "motp", "uuid": "01234567-89ab-cdef-0123-456789abcdef", "name": "Alice",
            "issuer": "Corp", "icon": null,
            "info": {"secret": "ABCDEFGHIJKLMNOP", "algo": "MD5", "digits": 6, "period": 10, "pin": "1234"}
        }));
        entries.push(json!({
            "type": "yandex", "name": "bob@yandex.ru", "issuer": "",
            "info": {"secret": "ABCDEFGHIJKLMNOP", "algo": "SHA256", "digits": 8, "period": 30, "pin": "5678"}
        }));
        entries.push(json!({"type": "future", "name": "Carol", "issuer": "X", "info": {}}));
        entries.push(json!({
            "type": "totp", "name": "Dave", "issuer": "Y",
            "info": {"secret": "ABCDEFGHIJKLMNOP", "algo": "MD5", "digits": 6, "period": 30}
        }));
    });
    let batch = read(&file, None).unwrap();
    assert_eq!(batch.accounts.len(), AEGIS_VECTORS.len());
    let listed: Vec<_> = batch
        .unsupported
        .iter()
        .map(|u| (u.label.as_str(), u.kind.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Corp:Alice", "motp"),
            ("bob@yandex.ru", "yandex"),
            ("X:Carol", "future"),
            ("Y:Dave", "totp")
        ]
    );
    assert!(batch.unsupported.iter().all(|u| !u.reason.is_empty()));
}

#[test]
fn other_json_is_not_aegis() {
    for other in [
        &b"{}"[..],
        br#"{"version": 1, "header": {}}"#,
        b"[1]",
        b"otpauth://totp/x",
    ] {
        assert!(!Aegis.recognizes(other));
    }
}
