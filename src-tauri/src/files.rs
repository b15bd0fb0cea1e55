//! Files the user chooses: the desktop's open and save dialogs (tauri-plugin-dialog), and
//! reading or writing exactly the chosen file. The shell opens the dialog itself, so the
//! window holds no file permission at all: file access is scoped to the one file the user
//! picked, for the one command that asked.
//!
//! The dialogs are the platform's own (GTK's file chooser on Linux): their title comes from
//! the window in the app's language, and their buttons follow the system's language.
//!
//! Phones have no file dialog here: they scan QR codes with the camera, and exports there go
//! through the platform's share sheet (see the README of `src-tauri`). The commands answer
//! [`FileError::NoDialog`] on phones.
//!
//! The app walk under Xvfb cannot drive a native dialog through WebDriver. A build with the
//! `e2e-dialogs` feature (only `scripts/app-e2e.sh` builds one) reads [`DIALOG_DIR_VAR`]: its
//! folder stands in for the dialogs (see [`Dialogs::Scripted`]).

use std::io::Read;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use zeroize::Zeroizing;

/// Environment variable naming the folder that replaces the file dialogs, read only by builds
/// with the `e2e-dialogs` feature (the app walk's).
pub const DIALOG_DIR_VAR: &str = "ZF_APP_TEST_DIALOG_DIR";

/// In a [`Dialogs::Scripted`] folder: the file an open dialog "chooses"; absent, the dialog
/// counts as cancelled.
pub const SCRIPTED_OPEN_FILE: &str = "open";

/// Why a chosen file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file is larger than anything the command reads.
    #[error("the file is larger than {max} bytes")]
    TooLarge {
        /// The ceiling that applies.
        max: u64,
    },
    /// The chosen file could not be read.
    #[error("the chosen file could not be read")]
    Read(#[source] std::io::Error),
    /// The file could not be written where the user chose.
    #[error("the file could not be written")]
    Write(#[source] std::io::Error),
    /// This platform has no file dialog in this app (phones).
    #[error("no file dialog on this platform")]
    NoDialog,
}

/// Which files a dialog offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// PNG and JPEG pictures of a QR code.
    Picture,
    /// Other apps' exports and Zweifaktor's backups (JSON, text, `.2fas`, …; any file, since
    /// the format is detected from the content).
    Import,
    /// An encrypted backup in Aegis's format (`.json`).
    Backup,
    /// A plain text list of `otpauth://` links (`.txt`).
    UriList,
}

impl FileKind {
    /// The extensions the dialog's filter shows (empty: every file).
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Picture => &["png", "jpg", "jpeg"],
            Self::Import => &[],
            Self::Backup => &["json"],
            Self::UriList => &["txt"],
        }
    }
}

/// Where a chosen file comes from.
pub enum Dialogs<'a, R: Runtime> {
    /// The platform's dialogs, through tauri-plugin-dialog.
    Native(&'a AppHandle<R>),
    /// A folder standing in for the dialogs (the app walk, the command tests): an open dialog
    /// chooses the folder's [`SCRIPTED_OPEN_FILE`], a save dialog the suggested name in it.
    Scripted(&'a Path),
}

impl<R: Runtime> Dialogs<'_, R> {
    /// Lets the user choose a file to open; `None` if they cancelled.
    pub fn pick(&self, title: &str, kind: FileKind) -> Result<Option<PathBuf>, FileError> {
        match self {
            Self::Scripted(dir) => {
                let path = dir.join(SCRIPTED_OPEN_FILE);
                Ok(path.exists().then_some(path))
            }
            Self::Native(app) => native::pick(app, title, kind),
        }
    }

    /// Lets the user choose where to save, suggesting `file_name`; `None` if they cancelled.
    pub fn save(
        &self,
        title: &str,
        file_name: &str,
        kind: FileKind,
    ) -> Result<Option<PathBuf>, FileError> {
        match self {
            Self::Scripted(dir) => Ok(Some(dir.join(file_name))),
            Self::Native(app) => native::save(app, title, file_name, kind),
        }
    }
}

/// Reads the chosen file, refusing one larger than `max` bytes before reading it whole. The
/// bytes may hold secrets (an export), so they are wiped when dropped.
pub fn read_chosen(path: &Path, max: u64) -> Result<Zeroizing<Vec<u8>>, FileError> {
    let file = std::fs::File::open(path).map_err(FileError::Read)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(FileError::Read)?;
    if bytes.len() as u64 > max {
        return Err(FileError::TooLarge { max });
    }
    Ok(bytes)
}

/// Writes `bytes` (an export: secrets) to the chosen `path`, readable by the user alone. A
/// file already there (the dialog asked whether to replace it) is replaced, not reused.
pub fn write_chosen(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    zweifaktor_private_fs::write_new(path, bytes).map_err(FileError::Write)
}

/// The platform dialogs on desktops.
#[cfg(desktop)]
mod native {
    use std::path::PathBuf;

    use tauri::{AppHandle, Runtime};
    use tauri_plugin_dialog::DialogExt;

    use super::{FileError, FileKind};

    /// A dialog titled `title` showing the files of `kind`; the filter is named by its
    /// extensions, which read the same in every language.
    fn builder<R: Runtime>(
        app: &AppHandle<R>,
        title: &str,
        kind: FileKind,
    ) -> tauri_plugin_dialog::FileDialogBuilder<R> {
        let dialog = app.dialog().file().set_title(title);
        let extensions = kind.extensions();
        if extensions.is_empty() {
            dialog
        } else {
            dialog.add_filter(extensions.join(", "), extensions)
        }
    }

    pub(super) fn pick<R: Runtime>(
        app: &AppHandle<R>,
        title: &str,
        kind: FileKind,
    ) -> Result<Option<PathBuf>, FileError> {
        Ok(builder(app, title, kind)
            .blocking_pick_file()
            .and_then(|file| file.into_path().ok()))
    }

    pub(super) fn save<R: Runtime>(
        app: &AppHandle<R>,
        title: &str,
        file_name: &str,
        kind: FileKind,
    ) -> Result<Option<PathBuf>, FileError> {
        Ok(builder(app, title, kind)
            .set_file_name(file_name)
            .blocking_save_file()
            .and_then(|file| file.into_path().ok()))
    }
}

/// Phones have no file dialog in this app.
#[cfg(mobile)]
mod native {
    use std::path::PathBuf;

    use tauri::{AppHandle, Runtime};

    use super::{FileError, FileKind};

    pub(super) fn pick<R: Runtime>(
        _: &AppHandle<R>,
        _: &str,
        _: FileKind,
    ) -> Result<Option<PathBuf>, FileError> {
        Err(FileError::NoDialog)
    }

    pub(super) fn save<R: Runtime>(
        _: &AppHandle<R>,
        _: &str,
        _: &str,
        _: FileKind,
    ) -> Result<Option<PathBuf>, FileError> {
        Err(FileError::NoDialog)
    }
}

/// Adds the dialog plugin on desktops.
#[cfg(desktop)]
pub fn plugins<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.plugin(tauri_plugin_dialog::init())
}

/// Phones get no dialog plugin.
#[cfg(mobile)]
pub fn plugins<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 11]).unwrap();
        assert!(matches!(
            read_chosen(&path, 10),
            Err(FileError::TooLarge { max: 10 })
        ));
        assert_eq!(read_chosen(&path, 11).unwrap().len(), 11);
        assert!(matches!(
            read_chosen(&dir.path().join("missing"), 10),
            Err(FileError::Read(_))
        ));
    }

    #[test]
    fn a_scripted_dialog_opens_its_file_or_counts_as_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let dialogs: Dialogs<'_, tauri::Wry> = Dialogs::Scripted(dir.path());
        assert_eq!(dialogs.pick("t", FileKind::Import).unwrap(), None);
        std::fs::write(dir.path().join(SCRIPTED_OPEN_FILE), b"x").unwrap();
        assert_eq!(
            dialogs.pick("t", FileKind::Import).unwrap(),
            Some(dir.path().join(SCRIPTED_OPEN_FILE))
        );
        assert_eq!(
            dialogs.save("t", "backup.json", FileKind::Backup).unwrap(),
            Some(dir.path().join("backup.json"))
        );
    }

    #[test]
    fn an_export_is_written_private_and_replaces_an_older_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.json");
        std::fs::write(&path, b"old").unwrap();
        write_chosen(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
    }
}
