//! Tests of the Bitwarden importer on files built from Bitwarden's published format
//! ("Condition a Bitwarden .csv or .json", bitwarden.com/help/condition-bitwarden-import; the
//! sample `files/bitwarden_export.json` of github.com/bitwarden/help) and from what its code
//! generator accepts in `login.totp` (bitwarden/sdk-internal, `crates/bitwarden-vault/src/
//! totp.rs`: an otpauth link, `steam://` and a bare base32 key). Encrypted exports follow
//! "Encrypted Exports" (bitwarden.com/help/encrypted-export).

#![allow(clippy::unwrap_used)]

use zweifaktor_protocol::HashAlgorithm;

use super::*;
use crate::accounts::AccountKind;

/// A personal vault export: a secure note, a card, logins with and without `totp`, in the
/// shapes of Bitwarden's documentation and sample file.
const EXPORT: &str = r#"{
  "encrypted": false,
  "folders": [{"id": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "name": "My Folder"}],
  "items": [
    {"id": "a", "organizationId": null, "folderId": null, "type": 2, "name": "My Secure Note",
     "notes": "1st line", "favorite": false, "secureNote": {"type": 0}, "collectionIds": null},
    {"id": "b", "type": 3, "name": "Card Name", "card": {"cardholderName": "Jane Doe"}},
    {"id": "c", "type": 1, "name": "Login without TOTP",
     "login": {"uris": [{"match": null, "uri": "https://mail.google.com"}],
               "username": "myusername@gmail.com", "password": "mypassword", "totp": null}},
    {"id": "d", "type": 1, "name": "GitHub", "fields": [],
     "login": {"username": "erika", "password": "pw",
               "totp": "otpauth://totp/GitHub:erika?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub&digits=8"}},
    {"id": "e", "type": 1, "name": "Mail",
     "login": {"username": "erika@example.org", "totp": "otpauth://totp/erika%40example.org?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256"}},
    {"id": "f", "type": 1, "name": "Forum",
     "login": {"username": "erika", "totp": " jbsw y3dp ehpk 3pxp "}},
    {"id": "g", "type": 1, "name": "Steam",
     "login": {"username": "gaben", "totp": "steam://HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"}},
    {"id": "h", "type": 1, "name": "Login Name",
     "login": {"username": "myusername@gmail.com", "totp": "otpauth://totp/my-secret-key"}},
    {"id": "i", "type": 1, "name": "Broken", "login": {"totp": "not base32!"}},
    {"id": "j", "type": 1, "name": "Yandex", "login": {"totp": "otpauth://yaotp/me?secret=JBSWY3DPEHPK3PXP"}}
  ]
}"#;

fn read(text: &str) -> Result<ImportBatch, ImportError> {
    Bitwarden.read(text.as_bytes(), None)
}

#[test]
fn logins_with_totp_become_accounts_and_others_are_passed_over() {
    assert!(Bitwarden.recognizes(EXPORT.as_bytes()));
    let batch = read(EXPORT).unwrap();
    let got: Vec<_> = batch
        .accounts
        .iter()
        .map(|a| {
            (
                a.label(),
                a.seed.to_base32().to_string(),
                a.algorithm,
                a.digits,
                a.kind,
            )
        })
        .collect();
    let totp = AccountKind::Totp { period: 30 };
    assert_eq!(
        got,
        [
            (
                "GitHub:erika".to_owned(),
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned(),
                HashAlgorithm::Sha1,
                8,
                totp
            ),
            (
                "Mail:erika@example.org".to_owned(),
                "JBSWY3DPEHPK3PXP".to_owned(),
                HashAlgorithm::Sha256,
                6,
                totp
            ),
            (
                "Forum:erika".to_owned(),
                "JBSWY3DPEHPK3PXP".to_owned(),
                HashAlgorithm::Sha1,
                6,
                totp
            ),
            (
                "Steam:gaben".to_owned(),
                "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ".to_owned(),
                HashAlgorithm::Sha1,
                zweifaktor_protocol::otp::STEAM_CODE_LEN,
                AccountKind::Steam
            ),
        ]
    );
}

#[test]
fn unusable_totp_values_are_listed_under_the_item_name() {
    let batch = read(EXPORT).unwrap();
    let listed: Vec<_> = batch
        .unsupported
        .iter()
        .map(|u| (u.label.as_str(), u.kind.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Login Name", "otpauth"),
            ("Broken", "totp"),
            ("Yandex", "otpauth")
        ]
    );
    assert_eq!(batch.unsupported[0].reason, "secret is missing");
    assert_eq!(batch.unsupported[1].reason, "the secret is not base32");
    assert!(batch.unsupported[2].reason.contains("yaotp"));
    for unsupported in &batch.unsupported {
        assert!(
            !unsupported.reason.contains("JBSW"),
            "no secret in {unsupported:?}"
        );
    }
}

#[test]
fn encrypted_exports_are_refused_with_their_own_error() {
    for text in [
        // Account-restricted: the items are there, their fields encrypted.
        r#"{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.abc|def|ghi", "folders": [], "items": [{"type": 1, "name": "2.x|y|z", "login": {"totp": "2.x|y|z"}}]}"#,
        // Password-protected: no items at all.
        r#"{"encrypted": true, "passwordProtected": true, "salt": "c2FsdA==", "kdfType": 0, "kdfIterations": 600000, "encKeyValidation_DO_NOT_EDIT": "2.a|b|c", "data": "2.d|e|f"}"#,
    ] {
        assert!(Bitwarden.recognizes(text.as_bytes()));
        assert!(matches!(
            read(text),
            Err(ImportError::EncryptionNotSupported {
                format: Format::Bitwarden
            })
        ));
    }
}

#[test]
fn truncated_or_flipped_files_are_damaged_with_the_position_only() {
    let truncated = &EXPORT[..EXPORT.len() / 2];
    // One flipped byte: the quote that opens "items" becomes '#'.
    let flipped = EXPORT.replacen("\"items\"", "#items\"", 1);
    for text in [truncated, flipped.as_str()] {
        match read(text) {
            Err(ImportError::Malformed {
                format: Format::Bitwarden,
                what,
            }) => {
                assert!(what.starts_with("not a Bitwarden export (line "), "{what}");
                assert!(!what.contains("GEZD") && !what.contains("erika"), "{what}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn items_of_the_wrong_shape_are_damaged() {
    assert!(matches!(
        read(r#"{"encrypted": false, "items": {"type": 1}}"#),
        Err(ImportError::Malformed { .. })
    ));
}

#[test]
fn other_json_is_not_taken_for_bitwarden() {
    for text in [
        r#"{"version": 1, "entries": []}"#,
        r#"{"items": []}"#,
        r#"[{"items": [], "encrypted": false}]"#,
        "otpauth://totp/x?secret=AAAA",
    ] {
        assert!(!Bitwarden.recognizes(text.as_bytes()), "{text}");
    }
}
