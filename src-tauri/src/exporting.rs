//! Export and backup, behind the PIN: the core writes the export (`Authenticator::export`,
//! which checks the PIN again and decides what is exported), the shell saves the file where
//! the user chose in the save dialog, or draws Google Authenticator's transfer links as QR
//! codes for the window.
//!
//! Phones have no save dialog here; there the file would go to the platform's share sheet
//! (see the README of `src-tauri`), and the command answers `not_on_this_device` for files.

use qrcode::QrCode;
use qrcode::render::svg;
use serde::{Deserialize, Serialize};
use tauri::Runtime;
use zeroize::Zeroizing;
use zweifaktor_core::Authenticator;
use zweifaktor_core::export::aegis::BackupPassword;
use zweifaktor_core::export::{Export, ExportRequest, NotExported};
use zweifaktor_core::pin::Pin;

use crate::error::CommandError;
use crate::files::{Dialogs, FileKind};
use crate::state::AppState;

/// The name the save dialog suggests for the encrypted backup (Aegis reads `.json`).
pub const BACKUP_FILE_NAME: &str = "zweifaktor-backup.json";

/// The name the save dialog suggests for the plain list of links.
pub const URI_LIST_FILE_NAME: &str = "zweifaktor-otpauth.txt";

/// Smallest edge of a drawn QR code in pixels: a phone's camera reads 256 px codes from a
/// screen easily, also Google Authenticator's dense transfer codes.
pub const QR_MIN_SIZE: u32 = 256;

/// The formats the export screen offers.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportChoice {
    /// The encrypted backup in Aegis's vault format.
    Aegis,
    /// `otpauth://` links, one a line.
    Uris,
    /// Google Authenticator transfer QR codes.
    Google,
}

/// The export form as the window sends it. No `Debug`: it holds the PIN and the password.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportForm {
    format: ExportChoice,
    pin: Zeroizing<String>,
    password: Option<Zeroizing<String>>,
    /// The save dialog's title, in the app's language.
    title: String,
}

/// A saved export file.
#[derive(Debug, Serialize)]
pub struct Saved {
    /// The file's name (not its folder).
    file: String,
    /// How many accounts it holds.
    count: usize,
}

/// What the export screen shows afterwards. The QR codes carry secrets (as the screen must
/// show them), so they are wiped when dropped; no `Debug`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    /// The saved file, for the file formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    saved: Option<Saved>,
    /// The transfer QR codes as SVG pictures, for Google Authenticator.
    #[serde(skip_serializing_if = "Option::is_none")]
    qr_codes: Option<Vec<Zeroizing<String>>>,
    /// The accounts left out, with the core's reason (portal-bound ones above all).
    left_out: Vec<NotExported>,
}

/// Exports as `form` asks: PIN checked again, password checked against the core's strength
/// rule, the file saved through the dialog (`None` if the user cancelled it) or the QR codes
/// drawn.
pub fn export<R: Runtime>(
    state: &AppState,
    dialogs: &Dialogs<'_, R>,
    form: ExportForm,
) -> Result<Option<ExportResult>, CommandError> {
    let pin = Pin::new(form.pin)?;
    let request = match form.format {
        ExportChoice::Uris => ExportRequest::Uris,
        ExportChoice::Google => ExportRequest::GoogleMigration,
        ExportChoice::Aegis => {
            let email = Authenticator::login_info(&state.vault_path())?.email;
            let password = form.password.unwrap_or_default();
            ExportRequest::Aegis {
                password: BackupPassword::new(password, &[&email])?,
            }
        }
    };
    let export = state.with_session(|auth| Ok(auth.export(&pin, request)?))?;
    let left_out = export.not_exported().to_vec();
    let (file_name, kind) = match form.format {
        ExportChoice::Google => {
            return Ok(Some(ExportResult {
                saved: None,
                qr_codes: Some(qr_pictures(&export)?),
                left_out,
            }));
        }
        ExportChoice::Aegis => (BACKUP_FILE_NAME, FileKind::Backup),
        ExportChoice::Uris => (URI_LIST_FILE_NAME, FileKind::UriList),
    };
    let Some(path) = dialogs.save(&form.title, file_name, kind)? else {
        return Ok(None);
    };
    crate::files::write_chosen(&path, export.file())?;
    tracing::info!(accounts = export.exported().len(), "export saved");
    let file = path
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    Ok(Some(ExportResult {
        saved: Some(Saved {
            file,
            count: export.exported().len(),
        }),
        qr_codes: None,
        left_out,
    }))
}

/// Each transfer link of `export` as an SVG picture of its QR code.
fn qr_pictures(export: &Export) -> Result<Vec<Zeroizing<String>>, CommandError> {
    export
        .qr_links()
        .iter()
        .map(|link| {
            let code = QrCode::new(link.as_bytes()).map_err(|_| CommandError::QR_TOO_LARGE)?;
            Ok(Zeroizing::new(
                code.render::<svg::Color<'_>>()
                    .min_dimensions(QR_MIN_SIZE, QR_MIN_SIZE)
                    .quiet_zone(true)
                    .build(),
            ))
        })
        .collect()
}
