//! Accounts after set-up (issue 10): adding by hand and in batches, the duplicate rule,
//! previews, weak secrets, avatars, rename and reorder, each on a real vault file.

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use common::{SEED, fixture};

use zeroize::Zeroizing;
use zweifaktor_core::CoreError;
use zweifaktor_core::accounts::{AccountKind, AccountQuery, ManualEntry, NewAccount, PALETTE};
use zweifaktor_protocol::{HashAlgorithm, Seed};

fn new_account(issuer: &str, name: &str, seed: &[u8]) -> NewAccount {
    NewAccount {
        issuer: Some(issuer.to_owned()),
        name: name.to_owned(),
        seed: Seed::from_bytes(seed.to_vec()),
        algorithm: HashAlgorithm::Sha1,
        digits: 6,
        kind: AccountKind::Totp { period: 30 },
    }
}

fn manual(issuer: &str, name: &str, secret: &str) -> ManualEntry {
    ManualEntry::new(
        Some(issuer.to_owned()),
        name.to_owned(),
        Zeroizing::new(secret.to_owned()),
    )
}

#[test]
fn same_label_with_another_secret_is_a_second_account_told_apart_by_id() {
    let (_fx, mut auth) = fixture();
    let first = auth
        .add_accounts(vec![new_account("Portal", "erika", b"first secret 1234")])
        .unwrap();
    assert!(!auth.vault().contents().is_duplicate(&new_account(
        "PORTAL",
        "Erika",
        b"other secret 1234"
    )));
    assert!(auth.vault().contents().is_duplicate(&new_account(
        "PORTAL",
        "Erika",
        b"first secret 1234"
    )));
    let second = auth
        .add_accounts(vec![new_account("Portal", "erika", b"other secret 1234")])
        .unwrap();
    assert_ne!(first[0].id, second[0].id);
    let err = auth
        .find(&AccountQuery::Named("portal:erika".into()))
        .unwrap_err();
    match err {
        CoreError::AmbiguousAccount { candidates, .. } => {
            assert_eq!(candidates.len(), 2);
            assert!(
                candidates[0].contains(first[0].id.as_str()),
                "{candidates:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        auth.find(&AccountQuery::Named(second[0].id.to_string()))
            .unwrap(),
        second[0].id
    );
}

#[test]
fn a_batch_is_added_with_one_save_or_not_at_all() {
    let (fx, mut auth) = fixture();
    auth.add_accounts(vec![new_account("Bank", "erika", b"bank secret 12345")])
        .unwrap();
    let before = std::fs::read(&fx.path).unwrap();
    for refused in [
        // One of them is in the vault already.
        vec![
            new_account("Mail", "erika", b"mail secret 12345"),
            new_account("bank", "ERIKA", b"bank secret 12345"),
        ],
        // One comes twice.
        vec![
            new_account("Mail", "erika", b"mail secret 12345"),
            new_account("Mail", "erika", b"mail secret 12345"),
        ],
        // One has no secret.
        vec![
            new_account("Mail", "erika", b"mail secret 12345"),
            new_account("Shop", "erika", b""),
        ],
    ] {
        let err = auth.add_accounts(refused).unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::DuplicateAccount { .. } | CoreError::EmptySecret
            ),
            "{err:?}"
        );
        assert_eq!(auth.accounts().len(), 1);
        assert_eq!(std::fs::read(&fx.path).unwrap(), before);
    }
    let added = auth
        .add_accounts(vec![
            new_account("Mail", "erika", b"mail secret 12345"),
            new_account("Shop", "erika", b"shop secret 12345"),
            new_account("Chat", "erika", b"chat secret 12345"),
        ])
        .unwrap();
    assert_eq!(added.len(), 3);
    assert_eq!(fx.reopen().accounts().len(), 4);
    // One save: the backup (the version before the last save) holds the vault as it was
    // before the batch, with its one account.
    std::fs::write(&fx.path, b"damaged").unwrap();
    let from_backup = fx.reopen();
    assert!(from_backup.vault().opened_from_backup().is_some());
    assert_eq!(from_backup.accounts().len(), 1);
}

#[test]
fn a_failed_save_leaves_the_accounts_as_they_were() {
    let (fx, mut auth) = fixture();
    let id = auth
        .add_accounts(vec![new_account("Bank", "erika", b"bank secret 12345")])
        .unwrap()[0]
        .id
        .clone();
    std::fs::remove_dir_all(fx.path.parent().unwrap()).unwrap();
    assert!(
        auth.add_accounts(vec![new_account("Mail", "erika", b"mail secret 12345")])
            .is_err()
    );
    assert!(auth.rename(&id, None, "someone").is_err());
    assert!(auth.delete(&id).is_err());
    let accounts = auth.accounts();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].label, "Bank:erika");
}

#[test]
fn a_manual_entry_takes_the_secret_as_sites_print_it() {
    let (fx, mut auth) = fixture();
    // The RFC 6238 seed, grouped and in lower case as a set-up page shows it.
    let typed = SEED
        .to_ascii_lowercase()
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let mut entry = manual("Example", "erika", &typed);
    entry.digits = 8;
    let preview = auth.preview_manual(&entry).unwrap();
    assert_eq!(preview.label, "Example:erika");
    assert!(!preview.duplicate && !preview.weak_secret);
    let summary = auth.add_manual(&entry).unwrap();
    assert_eq!(summary.label, "Example:erika");
    // RFC 6238 Appendix B, SHA1, 8 digits: T=59 → 94287082.
    assert_eq!(
        auth.code(&summary.id, None).unwrap().code.as_str(),
        "94287082"
    );
    assert!(auth.preview_manual(&entry).unwrap().duplicate);
    assert!(matches!(
        auth.add_manual(&entry),
        Err(CoreError::DuplicateAccount { .. })
    ));
    let mut hotp = manual("Bank", "erika", SEED);
    hotp.kind = AccountKind::Hotp { counter: 0 };
    let id = auth.add_manual(&hotp).unwrap().id;
    // RFC 4226 Appendix D: counter 0 → 755224.
    assert_eq!(auth.code(&id, None).unwrap().code.as_str(), "755224");
    assert_eq!(fx.reopen().accounts().len(), 2);
}

/// Which error a test expects.
type Expected = fn(&CoreError) -> bool;

#[test]
fn manual_entries_with_bad_fields_are_typed_errors() {
    let (_fx, auth) = fixture();
    let mut digits = manual("Example", "erika", SEED);
    digits.digits = 5;
    let mut period = manual("Example", "erika", SEED);
    period.kind = AccountKind::Totp { period: 0 };
    let checks: [(ManualEntry, Expected); 5] = [
        (manual("Example", "erika", "JBSW-Y3DP"), |e| {
            matches!(e, CoreError::InvalidSecret(_))
        }),
        (manual("Example", "erika", " "), |e| {
            matches!(e, CoreError::EmptySecret)
        }),
        (manual("Example", " ", SEED), |e| {
            matches!(e, CoreError::EmptyName)
        }),
        (digits, |e| {
            matches!(e, CoreError::InvalidDigits { digits: 5 })
        }),
        (period, |e| {
            matches!(e, CoreError::InvalidPeriod { period: 0 })
        }),
    ];
    for (entry, expected) in checks {
        let err = auth.preview_manual(&entry).unwrap_err();
        assert!(expected(&err), "{err:?}");
    }
}

#[test]
fn short_secrets_are_kept_with_a_note_and_steam_shows_as_steam() {
    let (_fx, mut auth) = fixture();
    let mut steam = manual("Steam", "gaben", "JBSWY3DPEHPK3PXP");
    steam.kind = AccountKind::Steam;
    steam.digits = 8;
    let summary = auth.add_manual(&steam).unwrap();
    assert!(summary.weak_secret, "80 bits are under 128");
    assert_eq!(summary.kind, AccountKind::Steam);
    assert_eq!((summary.algorithm, summary.digits), ("SHA1", 5));
    assert_eq!(summary.avatar.initial, "S");
    assert!(PALETTE.contains(&summary.avatar.colour.as_str()));
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(json["kind"]["type"], "steam");
    assert_eq!(json["weak_secret"], true);
}

#[test]
fn a_link_preview_says_what_would_be_added_without_the_secret() {
    let (_fx, mut auth) = fixture();
    let link = format!("otpauth://totp/GitHub:erika?secret={SEED}&issuer=GitHub");
    let preview = auth.preview_link(&link).unwrap();
    assert_eq!(preview.account.label, "GitHub:erika");
    assert_eq!(preview.account.avatar.initial, "G");
    assert!(!preview.account.duplicate && !preview.account.weak_secret);
    assert_eq!(preview.portal_url, None);
    assert!(!serde_json::to_string(&preview).unwrap().contains(SEED));
    auth.add_account(&link).unwrap();
    assert!(auth.preview_link(&link).unwrap().account.duplicate);
    let portal_key = zweifaktor_protocol::envelope::encode_public_key(
        &ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key(),
    );
    let set_up = format!(
        "otpauth://totp/Portal:erika?secret={SEED}&issuer=Portal\
         &zf_url=http%3A%2F%2F127.0.0.1%3A8080%2F&zf_enroll=token&zf_key={portal_key}"
    );
    let preview = auth.preview_link(&set_up).unwrap();
    assert_eq!(
        preview.portal_url.as_deref(),
        Some("http://127.0.0.1:8080/")
    );
    assert!(matches!(
        auth.preview_link("otpauth://totp/x?secret=NOT-BASE32"),
        Err(CoreError::Uri(_))
    ));
}

#[test]
fn rename_changes_issuer_and_name_and_keeps_the_duplicate_rule() {
    let (fx, mut auth) = fixture();
    let added = auth
        .add_accounts(vec![
            new_account("Bank", "erika", b"same secret 12345"),
            new_account("Mail", "erika", b"same secret 12345"),
        ])
        .unwrap();
    let renamed = auth
        .rename(&added[0].id, Some(" Sparkasse "), " Erika ")
        .unwrap();
    assert_eq!(renamed.label, "Sparkasse:Erika");
    assert_eq!(renamed.avatar.initial, "S");
    assert_eq!(
        auth.rename(&added[0].id, None, "erika").unwrap().issuer,
        None
    );
    assert!(matches!(
        auth.rename(&added[0].id, Some("a:b"), "erika"),
        Err(CoreError::ColonInIssuer)
    ));
    // The same secret under the other account's label would be that account twice.
    assert!(matches!(
        auth.rename(&added[0].id, Some("mail"), "ERIKA"),
        Err(CoreError::DuplicateAccount { .. })
    ));
    assert_eq!(fx.reopen().account(&added[0].id).unwrap().label, "erika");
}

#[test]
fn the_order_is_the_users_and_survives_a_reopen() {
    let (fx, mut auth) = fixture();
    let added = auth
        .add_accounts(vec![
            new_account("A", "erika", b"a secret 12345678"),
            new_account("B", "erika", b"b secret 12345678"),
            new_account("C", "erika", b"c secret 12345678"),
        ])
        .unwrap();
    let order = auth.move_account(&added[2].id, 0).unwrap();
    let labels: Vec<_> = order.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["C:erika", "A:erika", "B:erika"]);
    auth.move_account(&added[0].id, 2).unwrap();
    assert!(matches!(
        auth.move_account(&added[0].id, 3),
        Err(CoreError::PositionOutOfRange { index: 3, len: 3 })
    ));
    let labels: Vec<_> = fx
        .reopen()
        .accounts()
        .into_iter()
        .map(|a| a.label)
        .collect();
    assert_eq!(labels, ["C:erika", "B:erika", "A:erika"]);
}

/// Issue 10: the README's link with its 80-bit secret is added (with the weak-secret note) and
/// shows oathtool's code (`oathtool --totp -b JBSWY3DPEHPK3PXP -N @1700000000` → 324550).
#[test]
fn the_readmes_80_bit_link_is_added_and_shows_oathtools_code() {
    let (_fx, mut auth) = fixture();
    let summary = auth
        .add_account(
            "otpauth://totp/Portal:erika@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Portal",
        )
        .unwrap();
    assert!(summary.weak_secret);
    let shown = auth.code(&summary.id, Some(1_700_000_000)).unwrap();
    assert_eq!(shown.code.as_str(), "324550");
}

/// Steam through a link, with the code the Steam app showed for KeePassXC's test account
/// (keepassxreboot/keepassxc, tests/TestTotp.cpp, `testSteamTotp`: FR8RV at 1511200518).
#[test]
fn a_steam_link_shows_steams_code() {
    let (_fx, mut auth) = fixture();
    let summary = auth
        .add_account(
            "otpauth://steam/Steam:gaben?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Steam",
        )
        .unwrap();
    assert_eq!(summary.kind, AccountKind::Steam);
    let shown = auth.code(&summary.id, Some(1_511_200_518)).unwrap();
    assert_eq!(shown.code.as_str(), "FR8RV");
    assert_eq!(shown.seconds_left, Some(12));
}
