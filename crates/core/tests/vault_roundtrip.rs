//! Vault round trips: create, unlock, save, change the PIN, the lock-out across reopenings.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::{
    KdfProfile, LockoutStatus, LoginInfo, MAX_FILE_BYTES, Vault, VaultError,
};

const EMAIL: &str = "anna@example.org";
const NOW: u64 = 1_764_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Contents {
    accounts: Vec<String>,
    counter: u64,
}

fn pin(text: &str) -> Pin {
    Pin::new(Zeroizing::new(text.to_owned())).unwrap()
}

fn sample() -> Contents {
    Contents {
        accounts: vec!["portal".into(), "mail".into()],
        counter: 7,
    }
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    create_at(&path);
    (dir, path)
}

fn create_at(path: &Path) {
    Vault::create(
        path,
        EMAIL,
        &pin("482915"),
        KdfProfile::TESTING,
        sample(),
        NOW,
    )
    .unwrap();
}

fn unlock(path: &Path, text: &str, now: u64) -> Result<Vault<Contents>, VaultError> {
    Vault::unlock(path, &pin(text), now)
}

fn field(path: &Path, name: &str) -> serde_json::Value {
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    file[name].clone()
}

#[test]
fn create_unlock_save_round_trip() {
    let (_dir, path) = setup();
    let mut vault = unlock(&path, "482915", NOW).unwrap();
    assert_eq!(vault.contents(), &sample());
    assert_eq!(vault.email(), EMAIL);
    assert_eq!(vault.path(), path);
    assert!(vault.opened_from_backup().is_none());
    vault.contents_mut().accounts.push("bank".into());
    vault.save().unwrap();
    drop(vault);
    let again = unlock(&path, "482915", NOW).unwrap();
    assert_eq!(again.contents().accounts, ["portal", "mail", "bank"]);
    let plain = std::fs::read_to_string(&path).unwrap();
    assert!(
        !plain.contains("portal"),
        "contents must not be stored in the clear"
    );
}

#[test]
fn create_makes_the_missing_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh/install/vault.json");
    create_at(&path);
    assert_eq!(unlock(&path, "482915", NOW).unwrap().contents(), &sample());
}

#[test]
fn documented_example_opens_with_its_pin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    std::fs::write(&path, include_str!("../src/vault/example.json")).unwrap();
    let vault: Vault<Vec<String>> = Vault::unlock(&path, &pin("482915"), NOW).unwrap();
    assert_eq!(vault.contents(), &["example"]);
    assert_eq!(vault.email(), "anna@example.org");
}

#[test]
fn create_refuses_existing_vault_or_backup() {
    let (_dir, path) = setup();
    let again = Vault::create(
        &path,
        EMAIL,
        &pin("482915"),
        KdfProfile::TESTING,
        sample(),
        NOW,
    );
    assert!(matches!(again, Err(VaultError::AlreadyExists { path: p }) if p == path));
    let mut vault = unlock(&path, "482915", NOW).unwrap();
    vault.save().unwrap();
    std::fs::remove_file(&path).unwrap();
    let again = Vault::create(
        &path,
        EMAIL,
        &pin("482915"),
        KdfProfile::TESTING,
        sample(),
        NOW,
    );
    assert!(matches!(again, Err(VaultError::AlreadyExists { .. })));
    Vault::<Contents>::destroy(&path).unwrap();
    Vault::create(
        &path,
        EMAIL,
        &pin("482915"),
        KdfProfile::TESTING,
        sample(),
        NOW,
    )
    .unwrap();
}

#[test]
fn missing_vault_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    assert!(matches!(
        unlock(&path, "482915", NOW),
        Err(VaultError::NotFound { .. })
    ));
    assert!(matches!(
        Vault::<Contents>::peek(&path),
        Err(VaultError::NotFound { .. })
    ));
}

#[test]
fn wrong_pin_reports_tries_left() {
    let (_dir, path) = setup();
    match unlock(&path, "482916", NOW) {
        Err(VaultError::WrongPin {
            tries_left_before_wait,
            wait_until,
        }) => {
            assert_eq!(tries_left_before_wait, 4);
            assert_eq!(wait_until, None);
        }
        other => panic!("expected WrongPin, got {other:?}"),
    }
}

#[test]
fn lockout_waits_double_and_survive_reopening() {
    let (_dir, path) = setup();
    let t = NOW;
    for left in [4, 3, 2, 1] {
        assert!(matches!(
            unlock(&path, "111112", t),
            Err(VaultError::WrongPin { tries_left_before_wait, wait_until: None }) if tries_left_before_wait == left
        ));
    }
    assert!(matches!(
        unlock(&path, "111112", t),
        Err(VaultError::WrongPin { tries_left_before_wait: 0, wait_until: Some(until) }) if until == t + 30
    ));
    // Each call is a fresh `Vault::unlock`, so the state comes from the file.
    assert!(
        matches!(unlock(&path, "482915", t + 29), Err(VaultError::Locked { until }) if until == t + 30)
    );
    assert_eq!(
        Vault::<Contents>::peek(&path).unwrap(),
        LoginInfo {
            email: EMAIL.into(),
            lockout: LockoutStatus {
                failed: 5,
                tries_left_before_wait: 0,
                next_try_at: Some(t + 30)
            },
            biometric: false,
        }
    );
    assert!(matches!(
        unlock(&path, "111112", t + 30),
        Err(VaultError::WrongPin { wait_until: Some(until), .. }) if until == t + 90
    ));
    assert!(
        matches!(unlock(&path, "482915", t + 89), Err(VaultError::Locked { until }) if until == t + 90)
    );
    assert!(matches!(
        unlock(&path, "111112", t + 90),
        Err(VaultError::WrongPin { wait_until: Some(until), .. }) if until == t + 210
    ));
    // The right PIN after the wait opens and resets the counter.
    unlock(&path, "482915", t + 210).unwrap();
    assert_eq!(Vault::<Contents>::peek(&path).unwrap().lockout.failed, 0);
    assert!(matches!(
        unlock(&path, "111112", t + 211),
        Err(VaultError::WrongPin {
            tries_left_before_wait: 4,
            ..
        })
    ));
}

#[test]
fn locked_try_is_not_counted() {
    let (_dir, path) = setup();
    for _ in 0..5 {
        let _ = unlock(&path, "111112", NOW);
    }
    for _ in 0..3 {
        assert!(matches!(
            unlock(&path, "111112", NOW + 1),
            Err(VaultError::Locked { .. })
        ));
    }
    assert_eq!(Vault::<Contents>::peek(&path).unwrap().lockout.failed, 5);
}

#[test]
fn wrong_pins_do_not_rotate_the_backup() {
    let (_dir, path) = setup();
    let mut vault = unlock(&path, "482915", NOW).unwrap();
    vault.contents_mut().counter = 8;
    vault.save().unwrap();
    let backup = path.with_file_name("vault.json.bak");
    let before = std::fs::read(&backup).unwrap();
    for _ in 0..3 {
        let _ = unlock(&path, "111112", NOW);
    }
    assert_eq!(std::fs::read(&backup).unwrap(), before);
}

#[test]
fn change_pin_rewraps_without_reencrypting() {
    let (_dir, path) = setup();
    let mut vault = unlock(&path, "482915", NOW).unwrap();
    vault.save().unwrap();
    let ciphertext = field(&path, "ciphertext");
    let nonce = field(&path, "nonce");
    let header = field(&path, "header");
    vault
        .change_pin(&pin("739104"), KdfProfile::TESTING)
        .unwrap();
    assert_eq!(
        field(&path, "ciphertext"),
        ciphertext,
        "contents must not be re-encrypted"
    );
    assert_eq!(field(&path, "nonce"), nonce);
    assert_ne!(field(&path, "header"), header, "the PIN slot must change");
    drop(vault);

    assert!(matches!(
        unlock(&path, "482915", NOW),
        Err(VaultError::WrongPin { .. })
    ));
    assert_eq!(unlock(&path, "739104", NOW).unwrap().contents(), &sample());

    // The backup was rewrapped too: with the main file gone, the old PIN still fails.
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        unlock(&path, "482915", NOW),
        Err(VaultError::WrongPin { .. })
    ));
    let from_backup = unlock(&path, "739104", NOW).unwrap();
    assert!(from_backup.opened_from_backup().is_some());
}

#[test]
fn contents_of_another_type_are_a_mismatch_not_corruption() {
    let (_dir, path) = setup();
    let other: Result<Vault<Vec<u32>>, _> = Vault::unlock(&path, &pin("482915"), NOW);
    assert!(matches!(other, Err(VaultError::ContentsMismatch { .. })));
}

#[test]
fn invalid_profile_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    let weak = KdfProfile {
        m_kib: 1,
        t: 1,
        p: 1,
    };
    let made = Vault::create(&path, EMAIL, &pin("482915"), weak, sample(), NOW);
    assert!(matches!(made, Err(VaultError::InvalidKdfProfile { .. })));
    assert!(!path.exists());
}

/// Regression (issue 9, finding 12): opening refuses files above `MAX_FILE_BYTES`, so saving
/// must never write one: it fails and the file on disk stays as it was.
#[test]
fn save_refuses_contents_the_size_bound_would_refuse_to_open() {
    let (_dir, path) = setup();
    let mut vault = unlock(&path, "482915", NOW).unwrap();
    let before = std::fs::read(&path).unwrap();
    vault
        .contents_mut()
        .accounts
        .push("x".repeat(MAX_FILE_BYTES));
    assert!(matches!(vault.save(), Err(VaultError::TooLarge)));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!path.with_file_name("vault.json.tmp").exists());
}

/// The one test that pays for real Argon2id cost (RFC 9106 §4 second option).
#[test]
fn production_profile_vault_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    Vault::create(
        &path,
        EMAIL,
        &pin("482915"),
        KdfProfile::PRODUCTION,
        sample(),
        NOW,
    )
    .unwrap();
    let kdf = &field(&path, "header")["slots"][0]["kdf"];
    assert_eq!(
        (kdf["m_kib"].as_u64(), kdf["t"].as_u64(), kdf["p"].as_u64()),
        (Some(65_536), Some(3), Some(4))
    );
    assert_eq!(unlock(&path, "482915", NOW).unwrap().contents(), &sample());
}
