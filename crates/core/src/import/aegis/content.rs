//! The contents of an Aegis vault (`db`, plain or decrypted): its entries.
//!
//! Following vault.md ("Vault content", "Entries"): `{"version": 1..3, "entries": [...]}`,
//! each entry with `type`, `name`, `issuer` and an `info` object holding `secret` (base32),
//! `algo`, `digits`, and `period` (totp, steam) or `counter` (hotp). mOTP and Yandex entries
//! are listed as unsupported, as is any type Aegis may add later.

use super::super::entry::{Entry, EntryKind, other_kind};
use super::super::json::{Obj, malformed};
use super::super::{Format, ImportBatch, ImportError};

/// Newest content version read: 3, the version vault.md describes and Aegis writes today.
pub(crate) const CONTENT_VERSION: u64 = 3;

const FORMAT: Format = Format::Aegis;

/// Reads the contents object into a batch.
///
/// # Errors
/// [`ImportError::Malformed`] naming the first missing or mistyped field.
pub(crate) fn read(db: &Obj<'_>) -> Result<ImportBatch, ImportError> {
    let version = db.u64("version")?;
    if version > CONTENT_VERSION {
        return Err(malformed(
            FORMAT,
            format!("db.version {version} is newer than {CONTENT_VERSION}"),
        ));
    }
    let mut batch = ImportBatch::new(FORMAT);
    for entry in db.objects("entries")? {
        let kind_name = entry.str("type")?;
        let name = entry.str("name")?;
        let issuer = entry.opt_str("issuer")?.unwrap_or("");
        let kind = match kind_name {
            "totp" | "steam" | "hotp" => kind(&entry, kind_name)?,
            other => {
                batch.unsupported.push(other_kind(issuer, name, other));
                continue;
            }
        };
        let info = entry.obj("info")?;
        let read = Entry {
            issuer,
            name,
            secret: info.str("secret")?,
            algorithm: info.str("algo")?,
            digits: info.u64("digits")?,
            kind,
        };
        match read.into_account() {
            Ok(account) => batch.accounts.push(account),
            Err(unsupported) => batch.unsupported.push(unsupported),
        }
    }
    Ok(batch)
}

/// The kind with its period or counter from `info`.
fn kind(entry: &Obj<'_>, kind_name: &str) -> Result<EntryKind, ImportError> {
    let info = entry.obj("info")?;
    Ok(match kind_name {
        "hotp" => EntryKind::Hotp {
            counter: info.u64("counter")?,
        },
        "steam" => EntryKind::Steam,
        _ => EntryKind::Totp {
            period: info.u64("period")?,
        },
    })
}
