//! Files and folders that only their owner can open: the app's vault, the portal's SQLite
//! database and its key files.
//!
//! On Unix a new file gets mode [`FILE_MODE`] (0600) and a new folder [`FOLDER_MODE`] (0700)
//! in the very system call that creates it (`open(2)` with `O_CREAT | O_EXCL`, `mkdir(2)`), so
//! there is no moment in which another local user could open it, not even before the first
//! byte is written. The process umask only ever removes permission bits, so a umask of 000
//! cannot loosen these modes.
//!
//! Files and folders left by older versions with looser modes are tightened by [`tighten`],
//! which logs a warning. Tightening is chosen over refusing to start: the loose modes came from
//! this software itself, so refusing would lock every upgraded user out of their own vault or
//! portal, while the right mode is known and setting it takes nothing away from the owner. The
//! warning tells the operator that the file was readable by others until now.
//!
//! On other systems files and folders inherit the access rules of the folder they are made in
//! (on Windows a user's profile folders are private already); [`tighten`] does nothing there.
//!
//! # Layout
//! - this file: creating and writing private files and folders, tightening existing ones.
//! - `testing` (Unix, feature `testing`): re-running a test in a child process with umask 000.

#[cfg(all(unix, any(test, feature = "testing")))]
pub mod testing;

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::Path;

/// Mode of every file created here: read and write for the owner only. Other local users must
/// not read a vault (it holds the encrypted seeds and the PIN's Argon2 salt, enough to guess
/// the PIN offline) or the portal's database and keys.
#[cfg(unix)]
pub const FILE_MODE: u32 = 0o600;

/// Mode of every folder created here: the owner only, so other users cannot even list the
/// names of the files inside.
#[cfg(unix)]
pub const FOLDER_MODE: u32 = 0o700;

/// The permission bits of the group and of everyone else: none of them may be set.
#[cfg(unix)]
const SHARED_BITS: u32 = 0o077;

/// Creates a new file at `path` that only its owner can read and write, open for writing.
///
/// Fails with [`io::ErrorKind::AlreadyExists`] if `path` exists: an existing file may have
/// been opened by someone else while its mode was looser, so it is never reused for secrets.
pub fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(FILE_MODE);
    }
    options.open(path)
}

/// Writes `bytes` to a new private file at `path` and flushes it to disk: the first half of
/// an atomic replacement (write a temporary file, then rename it over the real one).
///
/// A stale file of that name (left by a crash, or by an older version with a looser mode) is
/// removed first rather than truncated: someone may have opened it while its mode let them,
/// and a file once opened stays readable through that descriptor whatever its mode becomes.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
        _ => {}
    }
    let mut file = create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Creates the folder `path` and any missing parents, each one private to the owner. Folders
/// that exist already are left as they are (they may be shared ones such as `/tmp` or the
/// current folder); use [`tighten`] for folders that belong to the program alone.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(FOLDER_MODE);
    }
    builder.create(path)
}

/// Creates the program's own folder `path` if it is missing, or tightens it if it exists: for
/// folders that hold nothing but the program's files (the app's data folder). Only creating
/// can fail; a mode that cannot be changed is logged by [`restrict`].
pub fn ensure_own_dir(path: &Path) -> io::Result<()> {
    create_dir_all(path)?;
    restrict(path);
    Ok(())
}

/// [`tighten`], logging a failure instead of returning it: for callers that must go on with a
/// file whose mode they cannot change (owned by another user, on a file system without Unix
/// modes such as FAT), because refusing would lock the owner out of their own data.
pub fn restrict(path: &Path) {
    if let Err(err) = tighten(path) {
        tracing::warn!(
            path = %path.display(),
            %err,
            "could not restrict this file to its owner; other local users may be able to open it"
        );
    }
}

/// Takes the group's and everyone else's permissions away from the existing file or folder at
/// `path`, logging a warning when it had any. Returns whether the mode was changed; a missing
/// `path` is not an error (`Ok(false)`).
pub fn tighten(path: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let metadata = match std::fs::metadata(path) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
            other => other?,
        };
        let mode = metadata.permissions().mode() & 0o777;
        if mode & SHARED_BITS == 0 {
            return Ok(false);
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & !SHARED_BITS))?;
        tracing::warn!(
            path = %path.display(),
            old_mode = format_args!("{mode:03o}"),
            new_mode = format_args!("{:03o}", mode & !SHARED_BITS),
            "other local users could open this file; restricted it to its owner"
        );
        Ok(true)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(false)
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Write as _;
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::testing::mode;

    #[test]
    fn new_files_and_folders_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b/c");
        create_dir_all(&nested).unwrap();
        for folder in ["a", "a/b", "a/b/c"] {
            assert_eq!(mode(&dir.path().join(folder)), FOLDER_MODE, "{folder}");
        }
        let file = nested.join("secret");
        create_new(&file).unwrap().write_all(b"x").unwrap();
        assert_eq!(mode(&file), FILE_MODE);
        assert_eq!(
            create_new(&file).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
    }

    /// A stale file is replaced, not reused: a descriptor opened on it earlier does not see
    /// the new bytes, and the new file is private whatever the old one's mode was.
    #[test]
    fn write_new_replaces_a_stale_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("vault.json.tmp");
        std::fs::write(&file, b"stale").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let earlier = File::open(&file).unwrap();
        write_new(&file, b"new").unwrap();
        assert_eq!(mode(&file), FILE_MODE);
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        let mut seen = String::new();
        std::io::Read::read_to_string(&mut &earlier, &mut seen).unwrap();
        assert_eq!(seen, "stale");
    }

    #[test]
    fn existing_folders_are_left_alone_by_create() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        create_dir_all(&dir.path().join("own")).unwrap();
        assert_eq!(mode(dir.path()), 0o755);
        assert_eq!(mode(&dir.path().join("own")), FOLDER_MODE);
    }

    #[test]
    fn loose_modes_are_tightened_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("old");
        std::fs::write(&file, b"x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(tighten(&file).unwrap());
        assert_eq!(mode(&file), 0o600);
        assert!(!tighten(&file).unwrap());
        let folder = dir.path().join("data");
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
        ensure_own_dir(&folder).unwrap();
        assert_eq!(mode(&folder), 0o700);
        assert!(!tighten(&dir.path().join("missing")).unwrap());
    }

    /// Regression (issue 9, finding 11): the modes do not depend on the umask; with umask 000
    /// a plain `File::create` would make a file every local user can write.
    #[test]
    fn modes_hold_under_umask_000() {
        if !crate::testing::in_child_with_umask_000("tests::modes_hold_under_umask_000") {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("new/folder");
        create_dir_all(&nested).unwrap();
        let file = nested.join("secret");
        create_new(&file).unwrap();
        assert_eq!(mode(&dir.path().join("new")), FOLDER_MODE);
        assert_eq!(mode(&nested), FOLDER_MODE);
        assert_eq!(mode(&file), FILE_MODE);
    }

    #[test]
    fn read_only_owner_mode_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ro");
        std::fs::write(&file, b"x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(tighten(&file).unwrap());
        assert_eq!(mode(&file), 0o400);
    }
}
