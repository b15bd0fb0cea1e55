//! Crash-safe file handling: atomic replacement, the backup copy, and setting corrupt files
//! aside.
//!
//! A write goes to `FILE.tmp` in the same folder, is flushed to disk (`fsync`), and is then
//! renamed over `FILE`; renaming within a folder is atomic, so a crash leaves either the old or
//! the new file under the name. Before that rename a full save keeps the current `FILE` as
//! `FILE.bak` (hard-linked as `FILE.bak.tmp`, then renamed over `FILE.bak`, so the backup too is
//! always complete). Last, the folder is flushed so the renames themselves survive a power cut
//! (on Unix; other systems flush renames with the file).
//!
//! Small writes (the lock-out counter, a PIN change) replace `FILE` without touching the backup,
//! so that a run of wrong PINs cannot push the last good contents out of `FILE.bak`.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::error::VaultError;

/// What happens to the file being replaced.
pub(crate) enum Previous {
    /// It is dropped (lock-out updates, PIN change).
    Discard,
    /// It becomes the backup (a normal save).
    KeepAsBackup,
    /// It could not be read, so it is renamed to the given path and kept for inspection; the
    /// backup stays as it is.
    MoveAside(PathBuf),
}

/// `path` with `suffix` appended to its file name (`vault.json` → `vault.json.bak`).
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// The backup of the vault at `path`.
pub(crate) fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak")
}

/// A free name for setting aside the unreadable file at `path`, stamped with `now`.
pub(crate) fn corrupt_path(path: &Path, now: u64) -> PathBuf {
    let first = sibling(path, &format!(".corrupt-{now}"));
    let mut candidate = first.clone();
    let mut counter = 1u32;
    while candidate.exists() {
        candidate = sibling(&first, &format!("-{counter}"));
        counter += 1;
    }
    candidate
}

/// Reads a whole file.
pub(crate) fn read(path: &Path) -> io::Result<Vec<u8>> {
    fs::read(path)
}

/// Creates the folder of `path` (and its parents) where it is missing.
pub(crate) fn create_folder(path: &Path) -> Result<(), VaultError> {
    match path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        Some(folder) => fs::create_dir_all(folder).map_err(VaultError::io(folder)),
        None => Ok(()),
    }
}

/// Replaces `path` with `bytes` atomically, handling the old file as `previous` says.
pub(crate) fn write_atomic(
    path: &Path,
    bytes: &[u8],
    previous: Previous,
) -> Result<(), VaultError> {
    let tmp = sibling(path, ".tmp");
    write_synced(&tmp, bytes).map_err(VaultError::io(&tmp))?;
    let exists = path.exists();
    match previous {
        Previous::Discard => {}
        Previous::KeepAsBackup if exists => keep_as_backup(path)?,
        Previous::KeepAsBackup => {}
        Previous::MoveAside(aside) if exists => {
            fs::rename(path, &aside).map_err(VaultError::io(&aside))?;
            tracing::warn!(path = %aside.display(), "unreadable vault file set aside");
        }
        Previous::MoveAside(_) => {}
    }
    fs::rename(&tmp, path).map_err(VaultError::io(path))?;
    sync_folder(path)
}

/// Writes `bytes` to a fresh `path` and flushes it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the current `path` the backup, atomically replacing the previous backup.
fn keep_as_backup(path: &Path) -> Result<(), VaultError> {
    let backup = backup_path(path);
    let staged = sibling(&backup, ".tmp");
    match fs::remove_file(&staged) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => {
            return Err(VaultError::io(&staged)(err));
        }
        _ => {}
    }
    // A hard link costs nothing and is as durable as the file; where links are not supported
    // (some removable-media file systems) fall back to a flushed copy.
    if fs::hard_link(path, &staged).is_err() {
        fs::copy(path, &staged).map_err(VaultError::io(&staged))?;
        File::open(&staged)
            .and_then(|file| file.sync_all())
            .map_err(VaultError::io(&staged))?;
    }
    fs::rename(&staged, &backup).map_err(VaultError::io(&backup))
}

/// Flushes the folder holding `path`, so that renames in it are durable.
#[cfg(unix)]
fn sync_folder(path: &Path) -> Result<(), VaultError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(VaultError::io(folder))
}

/// Other systems cannot open a folder for flushing; their renames are journaled with the file.
#[cfg(not(unix))]
fn sync_folder(_path: &Path) -> Result<(), VaultError> {
    Ok(())
}

/// Removes `path` if it exists.
pub(crate) fn remove_if_present(path: &Path) -> Result<(), VaultError> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(VaultError::io(path)(err)),
        _ => Ok(()),
    }
}

/// The files that saves have set aside for the vault at `path` (`FILE.corrupt-*`).
pub(crate) fn corrupt_files(path: &Path) -> Result<Vec<PathBuf>, VaultError> {
    let prefix = sibling(path, ".corrupt-");
    let Some(prefix) = prefix.file_name() else {
        return Ok(Vec::new());
    };
    let prefix = prefix.to_string_lossy().into_owned();
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(VaultError::io(folder)(err)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(VaultError::io(folder))?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            found.push(entry.path());
        }
    }
    Ok(found)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read_text(path: &Path) -> String {
        fs::read_to_string(path).unwrap()
    }

    #[test]
    fn save_keeps_previous_version_as_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        write_atomic(&path, b"one", Previous::KeepAsBackup).unwrap();
        assert!(
            !backup_path(&path).exists(),
            "nothing to back up on first write"
        );
        write_atomic(&path, b"two", Previous::KeepAsBackup).unwrap();
        write_atomic(&path, b"three", Previous::KeepAsBackup).unwrap();
        assert_eq!(read_text(&path), "three");
        assert_eq!(read_text(&backup_path(&path)), "two");
        assert!(!sibling(&path, ".tmp").exists());
        assert!(!sibling(&backup_path(&path), ".tmp").exists());
    }

    #[test]
    fn discard_leaves_backup_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        write_atomic(&path, b"one", Previous::KeepAsBackup).unwrap();
        write_atomic(&path, b"two", Previous::KeepAsBackup).unwrap();
        write_atomic(&path, b"two+lockout", Previous::Discard).unwrap();
        assert_eq!(read_text(&path), "two+lockout");
        assert_eq!(read_text(&backup_path(&path)), "one");
    }

    #[test]
    fn move_aside_keeps_unreadable_file_and_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        write_atomic(&path, b"good", Previous::KeepAsBackup).unwrap();
        write_atomic(&path, b"garbage", Previous::KeepAsBackup).unwrap();
        let aside = corrupt_path(&path, 1_700_000_000);
        assert_eq!(aside, dir.path().join("vault.json.corrupt-1700000000"));
        write_atomic(&path, b"new", Previous::MoveAside(aside.clone())).unwrap();
        assert_eq!(read_text(&path), "new");
        assert_eq!(read_text(&aside), "garbage");
        assert_eq!(read_text(&backup_path(&path)), "good");
        assert_eq!(
            corrupt_path(&path, 1_700_000_000),
            dir.path().join("vault.json.corrupt-1700000000-1")
        );
    }

    #[test]
    fn stale_temporary_files_are_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        fs::write(sibling(&path, ".tmp"), b"half a vault").unwrap();
        fs::write(sibling(&backup_path(&path), ".tmp"), b"stale").unwrap();
        write_atomic(&path, b"one", Previous::KeepAsBackup).unwrap();
        write_atomic(&path, b"two", Previous::KeepAsBackup).unwrap();
        assert_eq!(read_text(&path), "two");
        assert_eq!(read_text(&backup_path(&path)), "one");
    }
}
