//! 2FAS Authenticator backups (`.2fas`), schemas 1 to 4, plain and encrypted.
//!
//! The layout is 2FAS's own (github.com/twofas/2fas-android, `BackupContent.kt`): a JSON object
//! with `schemaVersion`, and either `services` (plain) or `servicesEncrypted` with `reference`
//! (encrypted, see [`crypto`]), which decrypts to the same JSON list of services
//! ([`services`]). Aegis's 2FAS importer (`TwoFASImporter.java` in
//! github.com/beemdevelopment/Aegis) reads it the same way.
//!
//! # Layout
//! - [`crypto`]: the key derivation and the sealed fields. [`services`]: the entries.

pub(crate) mod crypto;
pub(crate) mod services;

use super::json::{Document, Obj, malformed};
use super::{Format, ImportBatch, ImportError, ImportPassword, Importer};
use crypto::Sealed;

/// Newest schema read: 4, what 2FAS writes today (`BackupContent.CurrentSchema`).
pub(crate) const MAX_SCHEMA: u64 = 4;

const FORMAT: Format = Format::TwoFas;

/// The 2FAS importer.
pub(crate) struct TwoFas;

impl Importer for TwoFas {
    fn format(&self) -> Format {
        FORMAT
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        let Ok(doc) = Document::parse(FORMAT, bytes) else {
            return false;
        };
        doc.root(FORMAT).is_ok_and(|root| {
            root.has("schemaVersion") && (root.has("services") || root.has("servicesEncrypted"))
        })
    }

    fn read(
        &self,
        bytes: &[u8],
        password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        let doc = Document::parse(FORMAT, bytes)?;
        let root = doc.root(FORMAT)?;
        let schema = root.u64("schemaVersion")?;
        if schema > MAX_SCHEMA {
            return Err(malformed(
                FORMAT,
                format!("schemaVersion {schema} is newer than {MAX_SCHEMA}"),
            ));
        }
        match root.opt_str("servicesEncrypted")? {
            None => services::read(&root.objects("services")?),
            Some(encrypted) => {
                let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
                read_encrypted(&root, encrypted, password)
            }
        }
    }
}

/// Checks the password on `reference` (when present), then opens the services.
fn read_encrypted(
    root: &Obj<'_>,
    encrypted: &str,
    password: &ImportPassword,
) -> Result<ImportBatch, ImportError> {
    let services = Sealed::parse("servicesEncrypted", encrypted)?;
    let reference = root
        .opt_str("reference")?
        .map(|text| Sealed::parse("reference", text))
        .transpose()?;
    let key = services.key(password);
    if let Some(reference) = &reference {
        if !reference.same_salt(&services) {
            return Err(malformed(
                FORMAT,
                "reference and servicesEncrypted differ in salt",
            ));
        }
        if reference.open(&key).is_none() {
            return Err(ImportError::WrongPassword { format: FORMAT });
        }
    }
    let plain = services.open(&key).ok_or_else(|| match reference {
        Some(_) => malformed(
            FORMAT,
            "servicesEncrypted does not decrypt with the key that opens reference",
        ),
        None => ImportError::WrongPassword { format: FORMAT },
    })?;
    let list = Document::parse(FORMAT, &plain)?;
    let items = list_of_objects(&list)?;
    services::read(&items)
}

/// The decrypted services: a JSON list of objects.
fn list_of_objects(doc: &Document) -> Result<Vec<Obj<'_>>, ImportError> {
    match doc.value() {
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| Obj::new(FORMAT, format!("servicesEncrypted[{i}]"), item))
            .collect(),
        _ => Err(malformed(FORMAT, "servicesEncrypted does not hold a list")),
    }
}

#[cfg(test)]
mod tests;
