//! Reading other authenticators' export files into [`NewAccount`]s.
//!
//! One folder per format, as proton-pass-common keeps its importers. Each format implements
//! `Importer`: it says whether a file looks like its own (from the content, never the file
//! name) and reads it into an [`ImportBatch`]. Nothing here touches the vault; the
//! authenticator turns a batch into a preview and, after the user confirms, into one save.
//!
//! Every importer follows the same rules: a wrong password is [`ImportError::WrongPassword`]
//! and nothing else; a damaged file is [`ImportError::Malformed`] naming the format and what is
//! wrong; key-derivation parameters are checked against fixed ceilings before any work; and an
//! entry the app cannot show is listed in [`ImportBatch::unsupported`], never dropped.

pub(crate) mod aegis;
mod batch;
mod bitwarden;
pub(crate) mod cipher;
mod decode;
mod ente;
mod entry;
mod error;
pub(crate) mod google;
mod json;
pub(crate) mod otpauth_lines;
mod password;
pub(crate) mod preview;
mod proton;
mod read;
#[cfg(test)]
pub(crate) mod test_kit;
#[cfg(test)]
pub(crate) mod test_vectors;
mod twofas;
mod uri_list;

pub use batch::{Format, ImportBatch, MissingPart, Unsupported};
pub use error::ImportError;
pub use password::ImportPassword;
pub use preview::{ImportPreview, ImportReport};
use read::text;

use crate::accounts::NewAccount;

/// Largest import file read: 4 MiB, the vault's own ceiling. Exports of thousands of accounts
/// are a few hundred KiB; anything larger is refused before it is parsed.
pub const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

/// One export format.
pub(crate) trait Importer: Sync {
    /// The format this importer reads.
    fn format(&self) -> Format;

    /// Whether `bytes` look like this format (cheap, from the content).
    fn recognizes(&self, bytes: &[u8]) -> bool;

    /// Reads the whole file. `password` is the file's password for encrypted exports.
    fn read(
        &self,
        bytes: &[u8],
        password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError>;
}

/// Every importer, most specific first: detection takes the first that recognizes the file.
/// The otpauth list comes last: Ente's plain export is such a list too, told apart by its
/// `codeDisplay` parameter.
const IMPORTERS: &[&dyn Importer] = &[
    &aegis::Aegis,
    &twofas::TwoFas,
    &ente::Ente,
    &google::GoogleMigration,
    &bitwarden::Bitwarden,
    &proton::Proton,
    &uri_list::UriList,
];

/// Which format `bytes` are in.
///
/// # Errors
/// [`ImportError::TooLarge`] above [`MAX_IMPORT_BYTES`], [`ImportError::UnknownFormat`] when no
/// importer recognizes the content.
pub fn detect(bytes: &[u8]) -> Result<Format, ImportError> {
    importer_for(bytes).map(|importer| importer.format())
}

/// Detects the format and reads the file.
///
/// # Errors
/// Those of [`detect`], and the format's own ([`ImportError`]).
pub fn read(bytes: &[u8], password: Option<&ImportPassword>) -> Result<ImportBatch, ImportError> {
    let mut batch = importer_for(bytes)?.read(bytes, password)?;
    batch.accounts = std::mem::take(&mut batch.accounts)
        .into_iter()
        .map(NewAccount::normalized)
        .collect();
    Ok(batch)
}

fn importer_for(bytes: &[u8]) -> Result<&'static dyn Importer, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            len: bytes.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    IMPORTERS
        .iter()
        .copied()
        .find(|importer| importer.recognizes(bytes))
        .ok_or(ImportError::UnknownFormat)
}
