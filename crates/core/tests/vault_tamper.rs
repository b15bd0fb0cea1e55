//! Damaged and tampered vault files: what is refused, what falls back to the backup, and that a
//! file that could not be read is never lost.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::{
    CorruptReason, CorruptVault, KdfProfile, MAX_FILE_BYTES, Vault, VaultError,
};

const NOW: u64 = 1_764_000_000;
type Contents = Vec<String>;

fn pin(text: &str) -> Pin {
    Pin::new(Zeroizing::new(text.to_owned())).unwrap()
}

fn unlock(path: &Path) -> Result<Vault<Contents>, VaultError> {
    Vault::unlock(path, &pin("482915"), NOW)
}

/// A vault whose main file holds `["second"]` and whose backup holds `["first"]`; with
/// `with_backup == false` only the main file exists, holding `["first"]`.
fn setup(with_backup: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    let contents = vec!["first".to_owned()];
    let mut vault = Vault::create(
        &path,
        "anna@example.org",
        &pin("482915"),
        KdfProfile::TESTING,
        contents,
        NOW,
    )
    .unwrap();
    if with_backup {
        vault.contents_mut()[0] = "second".into();
        vault.save().unwrap();
    }
    (dir, path)
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let changed = change(text.clone());
    assert_ne!(changed, text, "the edit must change the file");
    std::fs::write(path, changed).unwrap();
}

fn flip_ciphertext_byte(text: String) -> String {
    let mut file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut bytes = STANDARD
        .decode(file["ciphertext"].as_str().unwrap())
        .unwrap();
    bytes[3] ^= 0x01;
    file["ciphertext"] = STANDARD.encode(bytes).into();
    // The header must stay byte-exact: rebuild only the outer object around its raw text.
    let header_start = text.find("\"header\": ").unwrap() + "\"header\": ".len();
    let header_end = text[header_start..].find("},\n").unwrap() + header_start + 1;
    let raw_header = &text[header_start..header_end];
    format!(
        "{{\"format\":\"zweifaktor-vault\",\"version\":1,\"header\":{raw_header},\"header_mac\":{},\"lockout\":{},\"nonce\":{},\"ciphertext\":{}}}",
        file["header_mac"], file["lockout"], file["nonce"], file["ciphertext"]
    )
}

fn expect_corrupt(
    result: Result<Vault<Contents>, VaultError>,
    path: &Path,
    expected: CorruptReason,
) {
    match result {
        Err(VaultError::Corrupt { path: p, reason }) => {
            assert_eq!(p, path);
            assert_eq!(reason, expected);
        }
        other => panic!("expected Corrupt({expected:?}), got {other:?}"),
    }
}

#[test]
fn tampered_email_is_refused() {
    let (_dir, path) = setup(false);
    edit(&path, |t| {
        t.replace("anna@example.org", "mallory@example.org")
    });
    expect_corrupt(unlock(&path), &path, CorruptReason::HeaderMac);
}

#[test]
fn reformatted_header_is_refused() {
    // The MAC is over the exact bytes, so even harmless-looking whitespace counts.
    let (_dir, path) = setup(false);
    edit(&path, |t| t.replacen("\"email\":", "\"email\": ", 1));
    expect_corrupt(unlock(&path), &path, CorruptReason::HeaderMac);
}

#[test]
fn flipped_ciphertext_byte_is_refused() {
    let (_dir, path) = setup(false);
    edit(&path, flip_ciphertext_byte);
    expect_corrupt(unlock(&path), &path, CorruptReason::Contents);
}

#[test]
fn truncated_file_is_corrupt() {
    let (_dir, path) = setup(false);
    edit(&path, |t| t[..t.len() / 2].to_owned());
    expect_corrupt(unlock(&path), &path, CorruptReason::Truncated);
    let empty = std::fs::write(&path, b"");
    empty.unwrap();
    expect_corrupt(unlock(&path), &path, CorruptReason::Truncated);
}

#[test]
fn other_json_is_not_a_vault() {
    let (_dir, path) = setup(false);
    edit(&path, |t| t.replace("zweifaktor-vault", "some-other-app"));
    expect_corrupt(unlock(&path), &path, CorruptReason::UnknownFormat);
}

#[test]
fn unsupported_version_is_refused_without_trying_the_backup() {
    let (_dir, path) = setup(true);
    edit(&path, |t| t.replace("\"version\": 1", "\"version\": 2"));
    assert!(matches!(
        unlock(&path),
        Err(VaultError::UnsupportedVersion { found: 2, .. })
    ));
    assert!(matches!(
        Vault::<Contents>::peek(&path),
        Err(VaultError::UnsupportedVersion { found: 2, .. })
    ));
}

#[test]
fn lowered_kdf_params_fail_like_a_wrong_pin() {
    let (_dir, path) = setup(false);
    edit(&path, |t| t.replace("\"m_kib\":64", "\"m_kib\":32"));
    assert!(matches!(unlock(&path), Err(VaultError::WrongPin { .. })));
}

#[test]
fn absurd_kdf_params_are_corrupt_and_never_run() {
    let (_dir, path) = setup(false);
    edit(&path, |t| t.replace("\"m_kib\":64", "\"m_kib\":4000000000"));
    expect_corrupt(unlock(&path), &path, CorruptReason::KdfParamsOutOfRange);
}

/// The lock-out counter as the login screen reads it.
fn failed_tries(path: &Path) -> u32 {
    Vault::<Contents>::peek(path).unwrap().lockout.failed
}

/// The most the app ever writes.
const PRODUCTION: KdfProfile = KdfProfile::PRODUCTION;

/// Regression (issue 9, finding 12): Argon2 parameters above what the app writes were run
/// (2 GiB, t = 10, p = 16 cost 22 s and 2.1 GB) and then counted as a wrong PIN. Each of
/// memory, passes and lanes one above the ceiling is now damage: refused before Argon2 and
/// before the lock-out counts a try.
#[test]
fn kdf_params_above_what_the_app_writes_are_damage_not_a_wrong_pin() {
    for (from, to) in [
        (
            "\"m_kib\":64,",
            format!("\"m_kib\":{},", PRODUCTION.m_kib + 1),
        ),
        ("\"t\":1,", format!("\"t\":{},", PRODUCTION.t + 1)),
        ("\"p\":1,", format!("\"p\":{},", PRODUCTION.p + 1)),
    ] {
        let (_dir, path) = setup(false);
        edit(&path, |t| t.replace(from, &to));
        let before = std::fs::read(&path).unwrap();
        expect_corrupt(unlock(&path), &path, CorruptReason::KdfParamsOutOfRange);
        // A wrong PIN on the same file is still refused as damage, never counted.
        let wrong: Result<Vault<Contents>, _> = Vault::unlock(&path, &pin("111112"), NOW);
        expect_corrupt(wrong, &path, CorruptReason::KdfParamsOutOfRange);
        assert_eq!(failed_tries(&path), 0, "{to}: the lock-out counted a try");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{to}: file rewritten"
        );
    }
}

/// Regression (issue 9, finding 12): a main file with hostile parameters sends the owner to
/// the good backup instead of locking them out.
#[test]
fn hostile_kdf_params_in_main_fall_back_to_backup() {
    let (_dir, path) = setup(true);
    edit(&path, |t| {
        t.replace("\"t\":1,", &format!("\"t\":{},", PRODUCTION.t + 1))
    });
    let vault = unlock(&path).unwrap();
    assert_eq!(vault.contents(), &["first"]);
    assert_eq!(
        vault.opened_from_backup().map(|c| c.reason),
        Some(CorruptReason::KdfParamsOutOfRange)
    );
}

/// Pads the file at `path` with trailing whitespace (still valid JSON) to `len` bytes.
fn pad_to(path: &Path, len: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    assert!(bytes.len() <= len);
    bytes.resize(len, b' ');
    std::fs::write(path, bytes).unwrap();
}

/// Regression (issue 9, finding 12): a file of any size was read whole (300 MB took as much
/// memory). One byte over [`MAX_FILE_BYTES`] is damage, found without reading the file, and
/// the lock-out is not touched; a file of exactly the bound still opens.
#[test]
fn file_over_the_size_bound_is_damage() {
    let (_dir, path) = setup(false);
    pad_to(&path, MAX_FILE_BYTES);
    assert_eq!(unlock(&path).unwrap().contents(), &["first"]);
    pad_to(&path, MAX_FILE_BYTES + 1);
    let before = std::fs::read(&path).unwrap();
    expect_corrupt(unlock(&path), &path, CorruptReason::TooLarge);
    assert!(matches!(
        Vault::<Contents>::peek(&path),
        Err(VaultError::Corrupt {
            reason: CorruptReason::TooLarge,
            ..
        })
    ));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file was rewritten"
    );
}

/// Regression (issue 9, finding 12): the size is checked before reading, so a huge (sparse)
/// file costs nothing; before, all of it was read into memory.
#[test]
fn huge_sparse_file_is_refused_without_reading_it() {
    let (_dir, path) = setup(true);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(64 * MAX_FILE_BYTES as u64)
        .unwrap();
    let vault = unlock(&path).unwrap();
    assert_eq!(
        vault.opened_from_backup().map(|c| c.reason),
        Some(CorruptReason::TooLarge)
    );
}

#[test]
fn corrupt_main_opens_backup_and_next_save_keeps_it_aside() {
    let (dir, path) = setup(true);
    let garbage = b"{\"format\": \"zweifaktor-vault\", \"vers";
    std::fs::write(&path, garbage).unwrap();

    let mut vault = unlock(&path).unwrap();
    assert_eq!(vault.contents(), &["first"]);
    assert_eq!(
        vault.opened_from_backup(),
        Some(&CorruptVault {
            path: path.clone(),
            reason: CorruptReason::Truncated
        })
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "opening must not touch the corrupt file"
    );

    vault.contents_mut().push("third".into());
    vault.save().unwrap();
    assert!(vault.opened_from_backup().is_none());
    let aside = dir.path().join(format!("vault.json.corrupt-{NOW}"));
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        garbage,
        "the corrupt file is kept aside"
    );
    let backup: Vault<Contents> = {
        std::fs::remove_file(&path).unwrap();
        unlock(&path).unwrap()
    };
    assert_eq!(
        backup.contents(),
        &["first"],
        "the good backup was not replaced by the corrupt file"
    );
    drop(backup);

    // Restore the saved main file by saving again, then it opens without the backup.
    let mut vault = unlock(&path).unwrap();
    vault.save().unwrap();
    let reopened = unlock(&path).unwrap();
    assert!(reopened.opened_from_backup().is_none());

    // Resetting the app removes every file of the vault, the one set aside included.
    Vault::<Contents>::destroy(&path).unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn tampered_main_falls_back_to_backup() {
    let (_dir, path) = setup(true);
    edit(&path, flip_ciphertext_byte);
    let vault = unlock(&path).unwrap();
    assert_eq!(vault.contents(), &["first"]);
    assert_eq!(
        vault.opened_from_backup().map(|c| c.reason),
        Some(CorruptReason::Contents)
    );
}

#[test]
fn missing_main_opens_backup() {
    let (_dir, path) = setup(true);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        Vault::<Contents>::peek(&path).unwrap().email,
        "anna@example.org"
    );
    let vault = unlock(&path).unwrap();
    assert_eq!(vault.contents(), &["first"]);
    assert_eq!(
        vault.opened_from_backup().map(|c| c.reason),
        Some(CorruptReason::Missing)
    );
}

#[test]
fn wrong_pin_on_main_does_not_fall_back() {
    let (_dir, path) = setup(true);
    let result: Result<Vault<Contents>, _> = Vault::unlock(&path, &pin("111112"), NOW);
    assert!(matches!(
        result,
        Err(VaultError::WrongPin {
            tries_left_before_wait: 4,
            ..
        })
    ));
}

#[test]
fn both_corrupt_names_the_main_file() {
    let (_dir, path) = setup(true);
    let backup = path.with_file_name("vault.json.bak");
    std::fs::write(&path, b"not json").unwrap();
    std::fs::write(&backup, b"").unwrap();
    assert!(matches!(
        unlock(&path),
        Err(VaultError::Corrupt { path: p, reason: CorruptReason::Malformed { .. } }) if p == path
    ));
    assert!(matches!(
        Vault::<Contents>::peek(&path),
        Err(VaultError::Corrupt { .. })
    ));
}

#[test]
fn damaged_main_does_not_lock_the_owner_out() {
    // Each unlock of a file whose MAC fails after a correct PIN must reset the counter, or five
    // unlocks (without a save) would lock the owner out of the good backup.
    let (_dir, path) = setup(true);
    edit(&path, flip_ciphertext_byte);
    for _ in 0..8 {
        assert!(unlock(&path).unwrap().opened_from_backup().is_some());
    }
}

#[test]
fn change_pin_after_backup_open_keeps_corrupt_file_aside() {
    let (dir, path) = setup(true);
    std::fs::write(&path, b"garbage").unwrap();
    let mut vault = unlock(&path).unwrap();
    assert!(vault.opened_from_backup().is_some());
    vault
        .change_pin(&pin("739104"), KdfProfile::TESTING)
        .unwrap();
    let aside = dir.path().join(format!("vault.json.corrupt-{NOW}"));
    assert_eq!(std::fs::read(&aside).unwrap(), b"garbage");
    let reopened: Vault<Contents> = Vault::unlock(&path, &pin("739104"), NOW).unwrap();
    assert!(reopened.opened_from_backup().is_none());
    assert_eq!(reopened.contents(), &["first"]);
}
