//! Import and export through the authenticator (issue 10): the preview and its commit with one
//! vault save, the export behind the PIN, what is left out of it, and the round trips of the
//! plain and Google exports, also over random sets of accounts.
//!
//! Files are built from each format's published description: the otpauth list from Google's
//! Key Uri Format (github.com/google/google-authenticator/wiki/Key-Uri-Format), transfer links
//! from the `MigrationPayload` schema (Aegis's `app/src/main/proto/google_auth.proto`).

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SEED, fixture, pin};

use proptest::prelude::*;
use zeroize::Zeroizing;
use zweifaktor_core::accounts::{AccountId, AccountKind, NewAccount};
use zweifaktor_core::export::{ExportFormat, ExportRequest, NotExportedReason};
use zweifaktor_core::import::{self, Format, ImportBatch, ImportError, MissingPart, Unsupported};
use zweifaktor_core::pin::Pin;
use zweifaktor_core::push::Enrollment;
use zweifaktor_core::vault::VaultError;
use zweifaktor_core::{Authenticator, CoreError};
use zweifaktor_protocol::messages::{DeviceId, DeviceRegistered, DeviceToken, Platform};
use zweifaktor_protocol::{HashAlgorithm, Seed};

fn account(issuer: Option<&str>, name: &str, seed: &[u8], kind: AccountKind) -> NewAccount {
    NewAccount {
        issuer: issuer.map(str::to_owned),
        name: name.to_owned(),
        seed: Seed::from_bytes(seed.to_vec()),
        algorithm: HashAlgorithm::Sha1,
        digits: 6,
        kind,
    }
}

const TOTP: AccountKind = AccountKind::Totp { period: 30 };

fn batch(accounts: Vec<NewAccount>) -> ImportBatch {
    let mut batch = ImportBatch::new(Format::UriList);
    batch.accounts = accounts;
    batch
}

/// Adds an account bound to a portal, as the first set-up with a portal does.
fn add_portal_account(auth: &mut Authenticator) {
    let portal = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    let link = format!(
        "otpauth://totp/Portal:erika@example.org?secret={SEED}&issuer=Portal\
         &zf_url=http%3A%2F%2F127.0.0.1%3A8080%2F&zf_enroll=token&zf_key={}",
        zweifaktor_protocol::envelope::encode_public_key(&portal.verifying_key())
    );
    let enrollment = Enrollment::prepare(&link, "Zweifaktor App", Platform::Linux).unwrap();
    let registered = DeviceRegistered {
        device_id: DeviceId::parse("5f0c8a9e-3b1d-4c2e-9f7a-1b2c3d4e5f60").unwrap(),
        device_token: DeviceToken::new("device-token".into()),
    };
    auth.finish_enrollment(enrollment, registered).unwrap();
}

/// Every account's label, parameters and counter, with its codes at a few moments (TOTP and
/// Steam; HOTP codes would use up the counter).
/// Each account's label and parameters with its codes, as [`codes`] lists them.
type Codes = Vec<(String, Vec<String>)>;

/// With `only`, just the accounts with those ids.
fn codes_of(auth: &Authenticator, only: Option<&[AccountId]>) -> Codes {
    let mut all: Vec<(AccountId, String, Vec<String>)> = auth
        .accounts()
        .into_iter()
        .map(|a| {
            let key = format!("{} {} {} {:?}", a.label, a.algorithm, a.digits, a.kind);
            (a.id, key, Vec::new())
        })
        .collect();
    for at in [59, 1_111_111_109, 2_000_000_000] {
        for (i, (_, shown)) in auth
            .current_codes(Some(at))
            .unwrap()
            .into_iter()
            .enumerate()
        {
            all[i]
                .2
                .push(shown.map_or_else(|| "hotp".to_owned(), |s| s.code.as_str().to_owned()));
        }
    }
    all.into_iter()
        .filter(|(id, ..)| only.is_none_or(|ids| ids.contains(id)))
        .map(|(_, key, codes)| (key, codes))
        .collect()
}

fn codes(auth: &Authenticator) -> Codes {
    codes_of(auth, None)
}

#[test]
fn the_preview_sorts_new_present_twice_and_invalid_accounts() {
    let (_fx, mut auth) = fixture();
    auth.add_accounts(vec![account(Some("Bank"), "erika", b"bank secret", TOTP)])
        .unwrap();
    let mut bad = account(Some("Odd"), "digits", b"odd secret", TOTP);
    bad.digits = 9;
    let mut file = batch(vec![
        account(Some("BANK"), "Erika", b"bank secret", TOTP),
        account(Some("Mail"), "erika", b"mail secret", TOTP),
        account(Some("Mail"), "erika", b"mail secret", TOTP),
        account(Some("Bank"), "erika", b"another secret", TOTP),
        bad,
    ]);
    file.unsupported.push(Unsupported {
        label: "line 9".into(),
        kind: "motp".into(),
        reason: "unknown OTP type".into(),
    });
    file.missing_parts.push(MissingPart { number: 2, of: 3 });
    let preview = auth.preview_import(&file);
    let to_add: Vec<_> = preview.to_add.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(
        to_add,
        ["Mail:erika", "Bank:erika"],
        "same label, other secret: a new account"
    );
    let present: Vec<_> = preview
        .already_present
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    assert_eq!(present, ["BANK:Erika", "Mail:erika"]);
    assert!(preview.already_present.iter().all(|a| a.duplicate));
    let unsupported: Vec<_> = preview
        .unsupported
        .iter()
        .map(|u| u.label.as_str())
        .collect();
    assert_eq!(unsupported, ["line 9", "Odd:digits"]);
    assert_eq!(preview.missing_parts, [MissingPart { number: 2, of: 3 }]);
    assert_eq!(auth.accounts().len(), 1, "a preview changes nothing");
}

#[test]
fn an_import_adds_the_new_accounts_with_one_save() {
    let (fx, mut auth) = fixture();
    auth.add_accounts(vec![account(Some("Bank"), "erika", b"bank secret", TOTP)])
        .unwrap();
    let file = batch(vec![
        account(Some("Bank"), "erika", b"bank secret", TOTP),
        account(Some("Mail"), "erika", b"mail secret", TOTP),
        account(
            Some("Shop"),
            "erika",
            b"shop secret",
            AccountKind::Hotp { counter: 3 },
        ),
    ]);
    let report = auth.import(file).unwrap();
    let added: Vec<_> = report.added.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(added, ["Mail:erika", "Shop:erika"]);
    assert_eq!(report.already_present.len(), 1);
    // One save: the backup is the vault as it was before the import.
    let backup = fx.path.with_file_name("vault.json.bak");
    let before = Authenticator::unlock(&backup, &pin(), fx.clock.clone()).unwrap();
    assert_eq!(before.accounts().len(), 1);
    let reopened = fx.reopen();
    assert_eq!(reopened.accounts().len(), 3);
    // Importing the same file again adds nothing and saves nothing.
    let again = batch(vec![account(Some("Mail"), "erika", b"mail secret", TOTP)]);
    let file_before = std::fs::read(&fx.path).unwrap();
    assert!(auth.import(again).unwrap().added.is_empty());
    assert_eq!(std::fs::read(&fx.path).unwrap(), file_before);
}

#[test]
fn a_failed_import_writes_nothing_and_changes_nothing() {
    let (fx, mut auth) = fixture();
    let file_before = std::fs::read(&fx.path).unwrap();
    // The save writes FILE.tmp first; a folder in its place makes it fail, even for root.
    std::fs::create_dir(fx.path.with_file_name("vault.json.tmp")).unwrap();
    std::fs::write(fx.path.with_file_name("vault.json.tmp").join("x"), b"x").unwrap();
    let err = auth
        .import(batch(vec![account(
            Some("Mail"),
            "erika",
            b"mail secret",
            TOTP,
        )]))
        .unwrap_err();
    assert!(matches!(err, CoreError::Vault(_)), "{err:?}");
    assert!(auth.accounts().is_empty());
    assert_eq!(std::fs::read(&fx.path).unwrap(), file_before);
}

#[test]
fn export_needs_the_pin_and_a_wrong_one_counts() {
    let (fx, mut auth) = fixture();
    auth.add_accounts(vec![account(Some("Bank"), "erika", b"bank secret", TOTP)])
        .unwrap();
    let wrong = Pin::new(Zeroizing::new("580316".to_owned())).unwrap();
    let err = auth.export(&wrong, ExportRequest::Uris).unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Vault(VaultError::WrongPin {
                tries_left_before_wait: 4,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(
        Authenticator::login_info(&fx.path).unwrap().lockout.failed,
        1,
        "the wrong PIN is on record"
    );
    let export = auth.export(&pin(), ExportRequest::Uris).unwrap();
    assert_eq!(export.format(), ExportFormat::Uris);
    assert_eq!(
        Authenticator::login_info(&fx.path).unwrap().lockout.failed,
        0
    );
    assert!(
        !format!("{export:?}").contains("bank"),
        "Debug shows counts only"
    );
}

#[test]
fn portal_accounts_and_what_google_cannot_hold_are_named_not_exported() {
    let (_fx, mut auth) = fixture();
    add_portal_account(&mut auth);
    let mut seven = account(Some("Seven"), "digits", b"seven secret", TOTP);
    seven.digits = 7;
    auth.add_accounts(vec![
        account(Some("Bank"), "erika", b"bank secret", TOTP),
        account(Some("Steam"), "gaben", b"steam secret", AccountKind::Steam),
        account(
            Some("Slow"),
            "erika",
            b"slow secret",
            AccountKind::Totp { period: 60 },
        ),
        seven,
    ])
    .unwrap();

    let uris = auth.export(&pin(), ExportRequest::Uris).unwrap();
    assert_eq!(uris.exported().len(), 4);
    let reasons: Vec<_> = uris
        .not_exported()
        .iter()
        .map(|n| (n.label.as_str(), &n.reason))
        .collect();
    assert_eq!(
        reasons,
        [(
            "Portal:erika@example.org",
            &NotExportedReason::PortalBound {
                portal_url: "http://127.0.0.1:8080/".into()
            }
        )]
    );
    let text = std::str::from_utf8(uris.file()).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(!text.contains("zf_") && !text.contains("Portal"));
    assert!(text.contains("otpauth://steam/Steam:gaben?"));

    let google = auth.export(&pin(), ExportRequest::GoogleMigration).unwrap();
    assert_eq!(google.exported().len(), 1);
    let reasons: Vec<_> = google
        .not_exported()
        .iter()
        .map(|n| (n.label.as_str(), n.reason.clone()))
        .collect();
    assert_eq!(
        reasons[1..],
        [
            ("Steam:gaben", NotExportedReason::SteamNotInFormat),
            (
                "Slow:erika",
                NotExportedReason::PeriodNotInFormat { period: 60 }
            ),
            (
                "Seven:digits",
                NotExportedReason::DigitsNotInFormat { digits: 7 }
            ),
        ]
    );
    assert_eq!(google.qr_links().len(), 1);
    let json = serde_json::to_value(&google.not_exported()[0]).unwrap();
    assert_eq!(json["reason"], "portal_bound");
    assert_eq!(json["label"], "Portal:erika@example.org");
}

#[test]
fn many_accounts_are_split_into_codes_of_ten_that_read_back_as_one_batch() {
    let (fx, mut auth) = fixture();
    let accounts = (0..23)
        .map(|i| {
            account(
                Some("Site"),
                &format!("user{i}"),
                format!("secret number {i}").as_bytes(),
                TOTP,
            )
        })
        .collect();
    auth.add_accounts(accounts).unwrap();
    let export = auth.export(&pin(), ExportRequest::GoogleMigration).unwrap();
    assert_eq!(export.qr_links().len(), 3);
    for link in export.qr_links() {
        assert!(link.len() <= zweifaktor_core::export::MAX_LINK_BYTES);
    }
    let file = std::str::from_utf8(export.file()).unwrap();
    assert_eq!(file.lines().count(), 3);
    // Two of three codes: the preview names the missing one.
    let two: String = file.lines().take(2).map(|l| format!("{l}\n")).collect();
    let partial = import::read(two.as_bytes(), None).unwrap();
    assert_eq!(partial.accounts.len(), 20);
    assert_eq!(partial.missing_parts, [MissingPart { number: 3, of: 3 }]);
    let (_fx2, mut fresh) = fixture();
    let report = fresh
        .import(import::read(export.file(), None).unwrap())
        .unwrap();
    assert_eq!(report.added.len(), 23);
    assert!(report.missing_parts.is_empty());
    drop(fx);
}

#[test]
fn format_detection_and_its_limits() {
    assert_eq!(
        import::detect(format!("otpauth://totp/A:b?secret={SEED}\n").as_bytes()).unwrap(),
        Format::UriList
    );
    assert_eq!(
        import::detect(b"otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC").unwrap(),
        Format::GoogleMigration
    );
    assert_eq!(
        import::detect(br#"{"encrypted": false, "items": []}"#).unwrap(),
        Format::Bitwarden
    );
    assert_eq!(
        import::detect(br#"{"version": 1, "entries": []}"#).unwrap(),
        Format::Proton
    );
    // Truncated files are still told apart, so that the error names their format.
    for (cut, format) in [
        (
            &br#"{"encrypted": false, "items": [{"type": 1, "na"#[..],
            Format::Bitwarden,
        ),
        (
            br#"{"version": 1, "entries": [{"content": {"uri""#,
            Format::Proton,
        ),
    ] {
        assert_eq!(import::detect(cut).unwrap(), format);
        assert!(matches!(
            import::read(cut, None),
            Err(ImportError::Malformed { format: f, .. }) if f == format
        ));
    }
    for unknown in [&b""[..], b"hello", b"{}", b"\x00\x01\x02", b"[1, 2]"] {
        assert!(matches!(
            import::detect(unknown),
            Err(ImportError::UnknownFormat)
        ));
    }
    let huge = vec![b' '; import::MAX_IMPORT_BYTES + 1];
    assert!(matches!(
        import::read(&huge, None),
        Err(ImportError::TooLarge { .. })
    ));
}

/// Exports `format`, imports the file into a fresh vault and returns both vaults' codes.
fn round_trip(accounts: Vec<NewAccount>, request: fn() -> ExportRequest) -> (Codes, Codes, usize) {
    let (_fx, mut auth) = fixture();
    auth.add_accounts(accounts).unwrap();
    let export = auth.export(&pin(), request()).unwrap();
    let left_out = export.not_exported().len();
    let (_fx2, mut fresh) = fixture();
    if export.exported().is_empty() {
        assert!(export.file().is_empty());
        return (Vec::new(), codes(&fresh), left_out);
    }
    let batch = import::read(export.file(), None).unwrap();
    assert!(batch.unsupported.is_empty(), "{:?}", batch.unsupported);
    fresh.import(batch).unwrap();
    (
        codes_of(&auth, Some(export.exported())),
        codes(&fresh),
        left_out,
    )
}

#[test]
fn plain_and_google_exports_import_as_the_same_accounts_and_codes() {
    let accounts = || {
        vec![
            account(Some("Bank"), "erika", b"12345678901234567890", TOTP),
            account(
                None,
                "Müller:privat",
                b"short",
                AccountKind::Totp { period: 30 },
            ),
            account(
                Some("Shop"),
                "erika",
                b"shop secret",
                AccountKind::Hotp { counter: 7 },
            ),
            account(Some("Steam"), "gaben", b"steam secret", AccountKind::Steam),
            account(
                Some("Slow"),
                "erika",
                b"slow secret",
                AccountKind::Totp { period: 60 },
            ),
        ]
    };
    let (before, after, left_out) = round_trip(accounts(), || ExportRequest::Uris);
    assert_eq!((before.len(), left_out), (5, 0));
    assert_eq!(before, after);
    let (before, after, left_out) = round_trip(accounts(), || ExportRequest::GoogleMigration);
    assert_eq!((before.len(), left_out), (3, 2));
    assert_eq!(before, after);
}

fn any_account() -> impl Strategy<Value = NewAccount> {
    let kind = prop_oneof![
        prop_oneof![Just(30u64), 1..=3600u64].prop_map(|period| AccountKind::Totp { period }),
        any::<u64>().prop_map(|counter| AccountKind::Hotp { counter }),
        Just(AccountKind::Steam),
    ];
    let algorithm = prop_oneof![
        Just(HashAlgorithm::Sha1),
        Just(HashAlgorithm::Sha256),
        Just(HashAlgorithm::Sha512),
    ];
    (
        proptest::option::of("[^:]{1,12}"),
        "[^ ][^\u{0}]{0,12}",
        proptest::collection::vec(any::<u8>(), 1..40),
        algorithm,
        6u8..=8,
        kind,
    )
        .prop_filter(
            "a name holds ':' only after an issuer",
            |(issuer, name, ..)| issuer.is_some() || !name.contains(':'),
        )
        .prop_filter("not blank", |(issuer, name, ..)| {
            !name.trim().is_empty() && issuer.as_ref().is_none_or(|i| !i.trim().is_empty())
        })
        .prop_map(|(issuer, name, seed, algorithm, digits, kind)| NewAccount {
            issuer,
            name,
            seed: Seed::from_bytes(seed),
            algorithm,
            digits,
            kind,
        })
}

/// The accounts without duplicates under the vault's rule (same secret and label).
fn distinct(accounts: Vec<NewAccount>) -> Vec<NewAccount> {
    let mut seen: Vec<String> = Vec::new();
    accounts
        .into_iter()
        .filter(|a| {
            let key = format!("{}\u{0}{:?}", a.label().to_lowercase(), a.seed.as_bytes());
            let fresh = !seen.contains(&key);
            seen.push(key);
            fresh
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_sets_of_accounts_survive_both_plain_exports(
        accounts in proptest::collection::vec(any_account(), 1..12),
    ) {
        let accounts = distinct(accounts);
        let (before, after, left_out) = round_trip(accounts.iter().map(copy).collect(), || ExportRequest::Uris);
        prop_assert_eq!(left_out, 0);
        prop_assert_eq!(&before, &after);
        let google_holds = accounts.iter().filter(|a| match a.kind {
            AccountKind::Totp { period } => period == 30 && a.digits != 7,
            AccountKind::Hotp { .. } => a.digits != 7,
            AccountKind::Steam => false,
        }).count();
        let (before, after, left_out) = round_trip(accounts.iter().map(copy).collect(), || ExportRequest::GoogleMigration);
        prop_assert_eq!(before.len(), google_holds);
        prop_assert_eq!(left_out, accounts.len() - google_holds);
        prop_assert_eq!(&before, &after);
    }
}

fn copy(a: &NewAccount) -> NewAccount {
    NewAccount {
        issuer: a.issuer.clone(),
        name: a.name.clone(),
        seed: a.seed.duplicate(),
        algorithm: a.algorithm,
        digits: a.digits,
        kind: a.kind,
    }
}
