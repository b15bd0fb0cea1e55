//! Import from other apps' files and Google Authenticator transfer links, and the export and
//! backup behind the PIN. The shell opens the file dialogs itself; the window never touches a
//! file.

use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;
use zweifaktor_core::import::{ImportPassword, ImportReport};

use crate::error::CommandError;
use crate::exporting::{self, ExportForm, ExportResult};
use crate::files::{self, FileKind};
use crate::importing::{self, ImportStep};
use crate::state::AppState;

/// Lets the user choose a file in the dialog titled `title` and reads it: the preview, or
/// the request for its password. `None` if the user cancelled.
#[tauri::command(async)]
pub fn pick_import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    title: String,
) -> Result<Option<ImportStep>, CommandError> {
    state.with_session(|_| Ok(()))?;
    let Some(path) = state.dialogs(&app).pick(&title, FileKind::Import)? else {
        return Ok(None);
    };
    let bytes = files::read_chosen(&path, importing::MAX_FILE_BYTES)?;
    importing::open(&state, bytes, None).map(Some)
}

/// Opens the kept encrypted file with `password`; a wrong one is `wrong_password`, and the
/// file stays for another try.
#[tauri::command(async)]
pub fn open_import(
    state: State<'_, AppState>,
    mut password: Zeroizing<String>,
) -> Result<ImportStep, CommandError> {
    let password = ImportPassword::new(std::mem::take(&mut *password));
    importing::unlock(&state, &password)
}

/// Imports what the preview showed, in one vault save.
#[tauri::command]
pub fn confirm_import(state: State<'_, AppState>) -> Result<ImportReport, CommandError> {
    importing::confirm(&state)
}

/// Forgets the kept file.
#[tauri::command]
pub fn discard_import(state: State<'_, AppState>) {
    *state.pending_import() = None;
}

/// Exports behind the PIN: the encrypted backup or the plain list through the save dialog
/// (`None` if cancelled), or Google Authenticator's transfer QR codes as pictures.
#[tauri::command(async)]
pub fn export_accounts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: ExportForm,
) -> Result<Option<ExportResult>, CommandError> {
    exporting::export(&state, &state.dialogs(&app), request)
}
