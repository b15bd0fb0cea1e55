//! Tests of the Proton Authenticator importer on files built from Proton's exporter
//! (protonpass/proton-pass-common, `proton-authenticator/src/entry/exporter.rs`: version 1,
//! `entries[].content.{uri, entry_type, name}`; Steam secrets as in `src/steam/mod.rs`, base32
//! or unpadded base64; the password-protected export detected by its `salt`, as
//! `ensure_json_format` there does).

#![allow(clippy::unwrap_used)]

use zweifaktor_protocol::HashAlgorithm;

use super::*;
use crate::accounts::AccountKind;

const EXPORT: &str = r#"{"version":1,"entries":[
  {"id":"e1","content":{"uri":"otpauth://totp/MYLABEL?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=MYISSUER&algorithm=SHA256&digits=8&period=15","entry_type":"Totp","name":"MYLABEL"},"note":"A note"},
  {"id":"e2","content":{"uri":"steam://STEAMKEY","entry_type":"Steam","name":"STEAM_NAME"},"note":null},
  {"id":"e3","content":{"uri":"steam://MTIzNDU2Nzg5MA","entry_type":"Steam","name":null}},
  {"id":"e4","content":{"uri":"otpauth://totp/x?secret=AAAA","entry_type":"Yandex","name":"Yandex"}},
  {"id":"e5","content":{"uri":"otpauth://totp/?issuer=x","entry_type":"Totp","name":"Broken"}}
]}"#;

fn read(text: &str) -> Result<ImportBatch, ImportError> {
    Proton.read(text.as_bytes(), None)
}

#[test]
fn totp_and_steam_entries_become_accounts() {
    assert!(Proton.recognizes(EXPORT.as_bytes()));
    let batch = read(EXPORT).unwrap();
    let got: Vec<_> = batch
        .accounts
        .iter()
        .map(|a| (a.label(), a.algorithm, a.digits, a.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "MYISSUER:MYLABEL".to_owned(),
                HashAlgorithm::Sha256,
                8,
                AccountKind::Totp { period: 15 }
            ),
            (
                "Steam:STEAM_NAME".to_owned(),
                HashAlgorithm::Sha1,
                5,
                AccountKind::Steam
            ),
            (
                "Steam".to_owned(),
                HashAlgorithm::Sha1,
                5,
                AccountKind::Steam
            ),
        ]
    );
    // "STEAMKEY" is base32; "MTIzNDU2Nzg5MA" is not, and is base64 of "1234567890".
    assert_eq!(batch.accounts[1].seed.to_base32().as_str(), "STEAMKEY");
    assert_eq!(batch.accounts[2].seed.as_bytes(), b"1234567890");
}

#[test]
fn unknown_kinds_and_broken_links_are_listed() {
    let batch = read(EXPORT).unwrap();
    let listed: Vec<_> = batch
        .unsupported
        .iter()
        .map(|u| (u.label.as_str(), u.kind.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "Yandex",
                "yandex",
                "Zweifaktor does not know this kind of entry"
            ),
            ("Broken", "totp", "account name is empty"),
        ]
    );
}

#[test]
fn the_password_protected_export_is_refused_with_its_own_error() {
    let text = r#"{"version": 1, "salt": "abcdefg", "content": "abcdefg"}"#;
    assert!(Proton.recognizes(text.as_bytes()));
    assert!(matches!(
        read(text),
        Err(ImportError::EncryptionNotSupported {
            format: Format::Proton
        })
    ));
}

#[test]
fn truncated_flipped_or_newer_files_are_damaged() {
    let truncated = &EXPORT[..EXPORT.len() - 10];
    let flipped = EXPORT.replacen("\"entries\":[", "\"entries\":{", 1);
    let newer = EXPORT.replacen("\"version\":1", "\"version\":2", 1);
    for (text, what) in [
        (truncated, "not a Proton Authenticator export"),
        (flipped.as_str(), "not a Proton Authenticator export"),
        (newer.as_str(), "export version 2 is not known"),
    ] {
        match read(text) {
            Err(ImportError::Malformed {
                format: Format::Proton,
                what: got,
            }) => assert!(got.starts_with(what), "{got}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn other_json_is_not_taken_for_proton() {
    for text in [
        r#"{"encrypted": false, "items": []}"#,
        r#"{"version": 1, "header": {}, "db": {}}"#,
        r#"{"entries": []}"#,
    ] {
        assert!(!Proton.recognizes(text.as_bytes()), "{text}");
    }
}
