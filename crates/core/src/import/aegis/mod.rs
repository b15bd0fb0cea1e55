//! Aegis vault exports (`aegis-export-*.json`, `aegis-backup-*.json`), plain and encrypted.
//!
//! Read as Aegis's published description says ("Aegis Vault", `docs/vault.md` in
//! github.com/beemdevelopment/Aegis): a JSON object `{"version": 1, "header": {...}, "db": ...}`.
//! When `header.slots` and `header.params` are `null`, `db` is the contents object itself;
//! otherwise `db` is the base64 AES-256-GCM ciphertext of the contents under a random master
//! key, which each slot holds sealed (see [`header`]).
//!
//! A wrong password fails every password slot: [`ImportError::WrongPassword`]. Once a slot
//! opened, the master key is right, so contents that do not open are damage, not a wrong
//! password: [`ImportError::Malformed`]. Slots written by Aegis versions before the fix of its
//! issue #95 (2019), whose key came from a mis-encoded password, are not tried the old way.
//!
//! # Layout
//! - [`kdf`]: scrypt with its ceilings. [`header`]: the slots. [`content`]: the entries.

pub(crate) mod content;
pub(crate) mod header;
pub(crate) mod kdf;

use super::decode::base64;
use super::json::{Document, Obj, malformed};
use super::{Format, ImportBatch, ImportError, ImportPassword, Importer};

/// Newest file version read: 1, the version vault.md describes.
pub(crate) const FILE_VERSION: u64 = 1;

const FORMAT: Format = Format::Aegis;

/// The Aegis importer.
pub(crate) struct Aegis;

impl Importer for Aegis {
    fn format(&self) -> Format {
        FORMAT
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        let Ok(doc) = Document::parse(FORMAT, bytes) else {
            return false;
        };
        doc.root(FORMAT)
            .is_ok_and(|root| root.has("version") && root.has("header") && root.has("db"))
    }

    fn read(
        &self,
        bytes: &[u8],
        password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        let doc = Document::parse(FORMAT, bytes)?;
        let root = doc.root(FORMAT)?;
        let version = root.u64("version")?;
        if version > FILE_VERSION {
            return Err(malformed(
                FORMAT,
                format!("version {version} is newer than {FILE_VERSION}"),
            ));
        }
        let header = root.obj("header")?;
        if header.get("slots").is_none() && header.get("params").is_none() {
            return content::read(&root.obj("db")?);
        }
        let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
        read_encrypted(&root, &header, password)
    }
}

/// Opens the master key from a slot, then the contents with it.
fn read_encrypted(
    root: &Obj<'_>,
    header: &Obj<'_>,
    password: &ImportPassword,
) -> Result<ImportBatch, ImportError> {
    let params = header::SealParams::read(&header.obj("params")?, "header.params")?;
    let ciphertext = base64(FORMAT, "db", root.str("db")?)?;
    let master = header::master_key(header, password)?;
    let plain = master
        .open_detached(&params.nonce, &ciphertext, &params.tag)
        .ok_or_else(|| {
            malformed(
                FORMAT,
                "db does not decrypt with the master key the password opened",
            )
        })?;
    let contents = Document::parse(FORMAT, &plain)?;
    content::read(&contents.root(FORMAT)?)
}

#[cfg(test)]
mod tests;
