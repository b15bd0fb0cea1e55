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
//!
//! Every file and folder made here is private to its owner from the moment it exists
//! (`zweifaktor_private_fs`: 0600 and 0700 on Unix, whatever the umask): the temporary file is
//! created fresh with that mode before a byte goes into it, and since the backup and the main
//! file are renamed or linked from it, they keep that mode. Files left with looser modes by
//! older versions are tightened when they are read. Reading is bounded by
//! [`MAX_FILE_BYTES`]: a larger file is refused without being read.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use zweifaktor_private_fs as private;

use super::error::{CorruptReason, VaultError};
use super::format::MAX_FILE_BYTES;

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

/// Reads a whole vault file of at most [`MAX_FILE_BYTES`], first taking other users' access
/// away if an older version left it open to them.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, CorruptReason> {
    let unreadable = |err: io::Error| match err.kind() {
        io::ErrorKind::NotFound => CorruptReason::Missing,
        kind => CorruptReason::Unreadable { kind },
    };
    let file = File::open(path).map_err(unreadable)?;
    private::restrict(path);
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(CorruptReason::TooLarge);
    }
    read_bounded(file, MAX_FILE_BYTES).map_err(|err| match err {
        Bounded::Io(err) => unreadable(err),
        Bounded::TooLarge => CorruptReason::TooLarge,
    })
}

/// Why [`read_bounded`] stopped.
enum Bounded {
    /// The reader failed.
    Io(io::Error),
    /// More than the limit was there to read.
    TooLarge,
}

/// Reads everything from `source` if it is at most `limit` bytes, never holding more than
/// `limit + 1` of them. The size the file system reports is only an early refusal in
/// [`read`]: a file can grow after it was measured, and a pipe or device reports none.
fn read_bounded(source: impl Read, limit: usize) -> Result<Vec<u8>, Bounded> {
    let mut bytes = Vec::new();
    source
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(Bounded::Io)?;
    if bytes.len() > limit {
        return Err(Bounded::TooLarge);
    }
    Ok(bytes)
}

/// Creates the folder of `path` (and its parents) where it is missing, private to the owner.
/// Folders that exist already are left alone: the caller chose them, and they may be shared.
pub(crate) fn create_folder(path: &Path) -> Result<(), VaultError> {
    match path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        Some(folder) => private::create_dir_all(folder).map_err(VaultError::io(folder)),
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
    private::write_new(&tmp, bytes).map_err(VaultError::io(&tmp))?;
    let exists = path.exists();
    match previous {
        Previous::Discard => {}
        Previous::KeepAsBackup if exists => keep_as_backup(path)?,
        Previous::KeepAsBackup => {}
        Previous::MoveAside(aside) if exists => {
            fs::rename(path, &aside).map_err(VaultError::io(&aside))?;
            tracing::warn!(path = %aside.display(), "unreadable vault file set aside");
            private::restrict(&aside);
        }
        Previous::MoveAside(_) => {}
    }
    fs::rename(&tmp, path).map_err(VaultError::io(path))?;
    sync_folder(path)
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
    // (some removable-media file systems) fall back to a flushed private copy. `fs::copy` would
    // give the copy the source's mode, which an older version may have left loose.
    if fs::hard_link(path, &staged).is_ok() {
        private::restrict(&staged);
    } else {
        copy_synced(path, &staged).map_err(VaultError::io(&staged))?;
    }
    fs::rename(&staged, &backup).map_err(VaultError::io(&backup))
}

/// Copies `from` into a new private file `to` and flushes it.
fn copy_synced(from: &Path, to: &Path) -> io::Result<()> {
    let mut target = private::create_new(to)?;
    io::copy(&mut File::open(from)?, &mut target)?;
    target.sync_all()
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

    /// Regression (issue 9, finding 12): reading stops one byte past the bound whatever the
    /// source says about its size; an endless source does not exhaust memory.
    #[test]
    fn bounded_read_stops_after_the_limit() {
        assert!(matches!(
            read_bounded(io::repeat(b'{'), 1024),
            Err(Bounded::TooLarge)
        ));
        let exact = vec![b' '; 1024];
        assert_eq!(read_bounded(&exact[..], 1024).ok(), Some(exact));
    }

    #[cfg(unix)]
    mod modes {
        use std::os::unix::fs::PermissionsExt as _;

        use zweifaktor_private_fs::testing::mode;

        use super::*;

        fn loosen(path: &Path) {
            fs::set_permissions(path, fs::Permissions::from_mode(0o644)).unwrap();
        }

        /// Regression (issue 9, finding 11): the temporary file was created 0644 (umask
        /// permitting) and a stale one was truncated in place, keeping its mode. A failed
        /// rename leaves the temporary file behind, so its mode can be seen.
        #[test]
        fn temporary_file_is_private() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("vault.json");
            let tmp = sibling(&path, ".tmp");
            fs::write(&tmp, b"stale").unwrap();
            loosen(&tmp);
            // A folder in the vault's place makes the final rename fail.
            fs::create_dir(&path).unwrap();
            fs::write(path.join("blocker"), b"").unwrap();
            assert!(write_atomic(&path, b"new", Previous::Discard).is_err());
            assert_eq!(mode(&tmp), 0o600);
            assert_eq!(read_text(&tmp), "new");
        }

        /// Regression (issue 9, finding 11): a copied backup took the source's mode.
        #[test]
        fn copied_backup_is_private() {
            let dir = tempfile::tempdir().unwrap();
            let source = dir.path().join("vault.json");
            fs::write(&source, b"one").unwrap();
            loosen(&source);
            let copy = dir.path().join("vault.json.bak.tmp");
            copy_synced(&source, &copy).unwrap();
            assert_eq!(mode(&copy), 0o600);
            assert_eq!(read_text(&copy), "one");
        }

        /// Regression (issue 9, finding 11): files an older version left 0644 (main, backup,
        /// one set aside) end up 0600 once read or rotated.
        #[test]
        fn loose_files_are_tightened() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("vault.json");
            fs::write(&path, b"old").unwrap();
            loosen(&path);
            assert_eq!(read(&path).unwrap(), b"old");
            assert_eq!(mode(&path), 0o600);
            loosen(&path);
            write_atomic(&path, b"two", Previous::KeepAsBackup).unwrap();
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&backup_path(&path)), 0o600);
            loosen(&path);
            let aside = corrupt_path(&path, 1);
            write_atomic(&path, b"three", Previous::MoveAside(aside.clone())).unwrap();
            assert_eq!(mode(&aside), 0o600);
            assert_eq!(mode(&path), 0o600);
        }
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
