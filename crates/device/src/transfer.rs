//! `import` and `export`: other apps' files in, the vault's accounts out.

use std::io::{BufRead, Read as _, Write as _};
use std::path::Path;

use zeroize::Zeroizing;
use zweifaktor_core::Authenticator;
use zweifaktor_core::export::aegis::BackupPassword;
use zweifaktor_core::export::{ExportRequest, NotExported, NotExportedReason};
use zweifaktor_core::import::{self, ImportError, ImportPassword, MAX_IMPORT_BYTES};
use zweifaktor_core::pin::Pin;

use crate::cli::ExportFormatArg;
use crate::exit::DeviceError;
use crate::run::Output;
use crate::secret_input::{
    EXPORT_PASSWORD_VAR, IMPORT_PASSWORD_VAR, SecretInput, password_from_env,
};

/// Reads `file`, asks for its password if it is encrypted, and previews (`dry_run`) or
/// imports its accounts.
pub fn import<R: BufRead>(
    auth: &mut Authenticator,
    file: &Path,
    dry_run: bool,
    input: &mut SecretInput<R>,
) -> Result<Output, DeviceError> {
    let bytes = read_file(file)?;
    let password = password_from_env(IMPORT_PASSWORD_VAR).map(into_password);
    let batch = match import::read(&bytes, password.as_ref()) {
        Err(ImportError::PasswordRequired { .. }) if password.is_none() => {
            let typed = into_password(input.read_password(IMPORT_PASSWORD_VAR)?);
            import::read(&bytes, Some(&typed))
        }
        other => other,
    }
    .map_err(zweifaktor_core::CoreError::from)?;
    if dry_run {
        return Ok(Output::ImportPreview {
            preview: auth.preview_import(&batch),
        });
    }
    Ok(Output::Imported {
        report: auth.import(batch)?,
    })
}

/// Exports the accounts in `format` into the new file `file`, after checking `pin` again; the
/// backup password (for `aegis`) comes from its variable or the next input line and must
/// pass the core's strength rule.
pub fn export<R: BufRead>(
    auth: &mut Authenticator,
    pin: &Pin,
    format: ExportFormatArg,
    file: &Path,
    input: &mut SecretInput<R>,
) -> Result<Output, DeviceError> {
    let request = match format {
        ExportFormatArg::Aegis => {
            let typed = input.read_password(EXPORT_PASSWORD_VAR)?;
            let email = auth.vault().email().to_owned();
            ExportRequest::Aegis {
                password: BackupPassword::new(typed, &[&email])?,
            }
        }
        ExportFormatArg::Uris => ExportRequest::Uris,
        ExportFormatArg::Google => ExportRequest::GoogleMigration,
    };
    let export = auth.export(pin, request)?;
    write_file(file, export.file())?;
    Ok(Output::Exported {
        file: file.to_owned(),
        format: export.format(),
        exported: export.exported().len(),
        qr_codes: export.qr_links().len(),
        not_exported: export.not_exported().to_vec(),
    })
}

/// What to tell a user about an account left out of an export.
pub fn advice(left_out: &NotExported) -> String {
    match &left_out.reason {
        NotExportedReason::PortalBound { portal_url } => format!(
            "bound to the portal {portal_url}; set up the new device there (\"Neues Gerät einrichten\") or sign in with a recovery code"
        ),
        NotExportedReason::SteamNotInFormat => "this format has no Steam Guard codes".to_owned(),
        NotExportedReason::DigitsNotInFormat { digits } => {
            format!("this format has no {digits}-digit codes")
        }
        NotExportedReason::PeriodNotInFormat { period } => {
            format!("this format has only 30-second codes, not {period} s")
        }
    }
}

/// Moves a typed password into the core's wrapper without leaving a copy behind.
fn into_password(mut typed: Zeroizing<String>) -> ImportPassword {
    ImportPassword::new(std::mem::take(&mut *typed))
}

/// The file's bytes, at most one more than the import ceiling (the core refuses more).
fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, DeviceError> {
    let read_error = |source| DeviceError::ReadFile {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Zeroizing::new(Vec::new());
    let limit = u64::try_from(MAX_IMPORT_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    Ok(bytes)
}

/// Writes `bytes` into a new file only its owner can read; an existing file is left alone.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), DeviceError> {
    let write_error = |source| DeviceError::WriteFile {
        path: path.to_owned(),
        source,
    };
    let mut file = zweifaktor_private_fs::create_new(path).map_err(write_error)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(source) = written {
        // A partial export is of no use and holds secrets.
        let _ = std::fs::remove_file(path);
        return Err(write_error(source));
    }
    Ok(())
}
