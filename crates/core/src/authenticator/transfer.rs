//! Importing other apps' files and exporting the vault: preview, commit, export.

use super::Authenticator;
use crate::error::CoreError;
use crate::export::{self, Export, ExportRequest};
use crate::import::{self, ImportBatch, ImportPreview, ImportReport};
use crate::pin::Pin;

impl Authenticator {
    /// What importing `batch` (from [`import::read`]) would add, what the vault holds already
    /// and what cannot be imported; nothing is saved.
    pub fn preview_import(&self, batch: &ImportBatch) -> ImportPreview {
        import::preview::preview(self.keyring(), batch)
    }

    /// Adds the accounts of `batch` that the vault does not hold yet, with one vault save; the
    /// preview's sorting, applied again to the vault as it is now.
    ///
    /// # Errors
    /// A failed save ([`CoreError::Vault`]): then nothing was added, in the file or in memory.
    pub fn import(&mut self, batch: ImportBatch) -> Result<ImportReport, CoreError> {
        let (new, mut report) = import::preview::sort(self.keyring(), batch);
        if !new.is_empty() {
            report.added = self.add_accounts(new)?;
        }
        tracing::info!(
            format = %report.format,
            added = report.added.len(),
            present = report.already_present.len(),
            unsupported = report.unsupported.len(),
            "import finished"
        );
        Ok(report)
    }

    /// Exports the accounts as `request` asks, after checking `pin` again (a wrong PIN counts
    /// towards the lock-out as on the login screen). Accounts bound to a portal, and those the
    /// format cannot hold, are left out and named in [`Export::not_exported`].
    ///
    /// # Errors
    /// [`CoreError::Vault`] for a wrong PIN or lock-out; those of the format.
    pub fn export(&mut self, pin: &Pin, request: ExportRequest) -> Result<Export, CoreError> {
        self.reauthenticate(pin)?;
        export::export(self.keyring(), request)
    }
}
