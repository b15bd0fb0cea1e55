//! Who else on the machine can open the vault: the file, its backup and the folders the vault
//! creates are the owner's alone, whatever the umask, and files an older version left open are
//! closed at the next unlock.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::{KdfProfile, Vault};
use zweifaktor_private_fs::testing::{in_child_with_umask_000, mode};

const NOW: u64 = 1_764_000_000;
type Contents = Vec<String>;

fn pin() -> Pin {
    Pin::new(Zeroizing::new("482915".to_owned())).unwrap()
}

/// Creates a vault at `path`, saves it once (so a backup exists) and checks every mode.
fn create_and_check(root: &Path) {
    let path = root.join("data/zweifaktor/vault.json");
    let mut vault = Vault::create(
        &path,
        "anna@example.org",
        &pin(),
        KdfProfile::TESTING,
        Contents::new(),
        NOW,
    )
    .unwrap();
    vault.contents_mut().push("one".into());
    vault.save().unwrap();
    assert_eq!(mode(&root.join("data")), 0o700, "created parent folder");
    assert_eq!(mode(path.parent().unwrap()), 0o700, "created vault folder");
    assert_eq!(mode(&path), 0o600, "vault");
    assert_eq!(
        mode(&path.with_file_name("vault.json.bak")),
        0o600,
        "backup"
    );
}

/// Regression (issue 9, finding 11): the vault and its backup were 0644 in a 0755 folder, so
/// every local user could copy them and guess the PIN offline.
#[test]
fn vault_backup_and_folders_are_private() {
    let dir = tempfile::tempdir().unwrap();
    create_and_check(dir.path());
}

/// Regression (issue 9, finding 11): the modes do not come from the umask; with umask 000 the
/// old code made the vault 0666 (writable by everyone) and its folder 0777.
#[test]
fn umask_000_does_not_loosen_the_vault() {
    if !in_child_with_umask_000("umask_000_does_not_loosen_the_vault") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    create_and_check(dir.path());
}

/// Regression (issue 9, finding 11): a vault and backup an older version left 0644 are
/// restricted to the owner when the vault is next unlocked.
#[test]
fn loose_vault_from_an_older_version_is_tightened_at_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    let mut vault = Vault::create(
        &path,
        "anna@example.org",
        &pin(),
        KdfProfile::TESTING,
        Contents::new(),
        NOW,
    )
    .unwrap();
    vault.save().unwrap();
    drop(vault);
    let backup = path.with_file_name("vault.json.bak");
    for file in [&path, &backup] {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    Vault::<Contents>::peek(&path).unwrap();
    assert_eq!(mode(&path), 0o600, "peek tightens the main file");
    std::fs::remove_file(&path).unwrap();
    let vault: Vault<Contents> = Vault::unlock(&path, &pin(), NOW).unwrap();
    assert!(vault.opened_from_backup().is_some());
    assert_eq!(mode(&backup), 0o600, "opening the backup tightens it");
}
