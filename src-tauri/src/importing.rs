//! Importing another app's file or a Google Authenticator transfer link: the bytes stay in
//! the shell from the file dialog to the confirmation (an encrypted file until its password
//! opens it, then the accounts read from it), so nothing secret travels to the window.
//!
//! Which format, what is already there, what is not supported: the core decides
//! (`zweifaktor_core::import`, `Authenticator::preview_import`); nothing is saved before
//! `Authenticator::import`, which is one vault save.

use serde::Serialize;
use zeroize::Zeroizing;
use zweifaktor_core::import::{
    self, ImportBatch, ImportError, ImportPassword, ImportPreview, ImportReport,
};

use crate::error::CommandError;
use crate::state::AppState;

/// Largest file read for an import: the core's own ceiling, checked before reading it whole.
pub const MAX_FILE_BYTES: u64 = import::MAX_IMPORT_BYTES as u64;

/// What waits between the steps of an import. No `Debug`, no `Clone`: it holds secrets.
pub enum PendingImport {
    /// An encrypted file waiting for its password.
    Locked(Zeroizing<Vec<u8>>),
    /// The accounts read from a file, waiting for the user's confirmation.
    Read(ImportBatch),
}

/// Where an import stands, for the import screen.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportStep {
    /// The file's format, by the name users know it.
    format: &'static str,
    /// The file is encrypted: the screen asks for its password.
    needs_password: bool,
    /// The core's preview, once the file is read.
    #[serde(skip_serializing_if = "Option::is_none")]
    preview: Option<ImportPreview>,
}

/// Reads `bytes` (with `password` for an encrypted file) and keeps what the next step needs:
/// the preview to confirm, or the file until its password comes. A wrong password keeps the
/// file for another try; any other failure forgets it.
pub fn open(
    state: &AppState,
    bytes: Zeroizing<Vec<u8>>,
    password: Option<&ImportPassword>,
) -> Result<ImportStep, CommandError> {
    state.with_session(|_| Ok(()))?;
    match import::read(&bytes, password) {
        Ok(batch) => {
            let preview = state.with_session(|auth| Ok(auth.preview_import(&batch)))?;
            let format = batch.format.display_name();
            *state.pending_import() = Some(PendingImport::Read(batch));
            Ok(ImportStep {
                format,
                needs_password: false,
                preview: Some(preview),
            })
        }
        Err(ImportError::PasswordRequired { format }) => {
            *state.pending_import() = Some(PendingImport::Locked(bytes));
            Ok(ImportStep {
                format: format.display_name(),
                needs_password: true,
                preview: None,
            })
        }
        Err(err @ ImportError::WrongPassword { .. }) => {
            *state.pending_import() = Some(PendingImport::Locked(bytes));
            Err(err.into())
        }
        Err(err) => {
            *state.pending_import() = None;
            Err(err.into())
        }
    }
}

/// Opens the kept encrypted file with `password`.
pub fn unlock(state: &AppState, password: &ImportPassword) -> Result<ImportStep, CommandError> {
    let pending = state.pending_import().take();
    let bytes = match pending {
        Some(PendingImport::Locked(bytes)) => bytes,
        other => {
            *state.pending_import() = other;
            return Err(CommandError::NOTHING_PENDING);
        }
    };
    open(state, bytes, Some(password))
}

/// Imports the accounts of the kept file that the vault does not hold yet, in one save.
pub fn confirm(state: &AppState) -> Result<ImportReport, CommandError> {
    let pending = state.pending_import().take();
    let batch = match pending {
        Some(PendingImport::Read(batch)) => batch,
        other => {
            *state.pending_import() = other;
            return Err(CommandError::NOTHING_PENDING);
        }
    };
    state.with_session(|auth| Ok(auth.import(batch)?))
}
