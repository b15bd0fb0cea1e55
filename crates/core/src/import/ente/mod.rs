//! Ente Auth exports: the encrypted JSON export, and the plain text export of today's Ente.
//!
//! The encrypted export is `{"version": 1, "kdfParams": {"memLimit", "opsLimit", "salt"},
//! "encryptedData", "encryptionNonce"}` (`mobile/apps/auth/lib/models/export/ente.dart` in
//! github.com/ente-io/ente), all binary fields in base64; its contents are the plain export's
//! text (see [`crypto`]).
//!
//! The plain export is `otpauth://` links, one a line, each link as Ente stores it. Ente's
//! links since 2024 carry a `codeDisplay` parameter (pinned, tags, note…), and that is what
//! tells an Ente file from any other list of links; a list without it is a generic `otpauth://`
//! list, read by that importer (the result is the same, only the format's name differs).
//!
//! # Layout
//! - [`crypto`]: Argon2id with its ceilings, and libsodium's secretstream.

pub(crate) mod crypto;

use super::decode::{base64, base64_array};
use super::json::{Document, malformed};
use super::otpauth_lines::{self, is_link, lines};
use super::{Format, ImportBatch, ImportError, ImportPassword, Importer};

/// The only export version there is: 1.
pub(crate) const EXPORT_VERSION: u64 = 1;

/// The parameter only Ente writes into its links.
const ENTE_PARAMETER: &str = "codeDisplay=";

const FORMAT: Format = Format::Ente;

/// The Ente Auth importer.
pub(crate) struct Ente;

impl Importer for Ente {
    fn format(&self) -> Format {
        FORMAT
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        is_encrypted_export(bytes) || is_plain_export(bytes)
    }

    fn read(
        &self,
        bytes: &[u8],
        password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        if !looks_like_json(bytes) {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| malformed(FORMAT, "the text is not UTF-8"))?;
            return otpauth_lines::read(FORMAT, text);
        }
        let doc = Document::parse(FORMAT, bytes)?;
        let root = doc.root(FORMAT)?;
        let version = root.u64("version")?;
        if version != EXPORT_VERSION {
            return Err(malformed(
                FORMAT,
                format!("version {version} is not {EXPORT_VERSION}"),
            ));
        }
        let kdf = root.obj("kdfParams")?;
        let cost = crypto::Cost::from_file(kdf.u64("memLimit")?, kdf.u64("opsLimit")?)?;
        let salt = base64_array(FORMAT, "kdfParams.salt", kdf.str("salt")?)?;
        let header = base64_array(FORMAT, "encryptionNonce", root.str("encryptionNonce")?)?;
        let ciphertext = base64(FORMAT, "encryptedData", root.str("encryptedData")?)?;
        let password = password.ok_or(ImportError::PasswordRequired { format: FORMAT })?;
        let key = cost.derive(password, &salt)?;
        let plain = crypto::open(&key, &header, &ciphertext)?;
        let text = std::str::from_utf8(&plain)
            .map_err(|_| malformed(FORMAT, "the decrypted text is not UTF-8"))?;
        otpauth_lines::read(FORMAT, text)
    }
}

/// An object with Ente's `kdfParams`, `encryptedData` and `encryptionNonce`.
fn is_encrypted_export(bytes: &[u8]) -> bool {
    Document::parse(FORMAT, bytes).is_ok_and(|doc| {
        doc.root(FORMAT).is_ok_and(|root| {
            root.has("kdfParams") && root.has("encryptedData") && root.has("encryptionNonce")
        })
    })
}

/// Whether the content starts like a JSON object: then it is the encrypted export or damaged.
fn looks_like_json(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Text whose every line is an `otpauth://` link and some carry Ente's `codeDisplay`.
fn is_plain_export(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let mut links = lines(text).peekable();
    links.peek().is_some()
        && lines(text).all(|(_, line)| is_link(line))
        && lines(text).any(|(_, line)| line.contains(ENTE_PARAMETER))
}

#[cfg(test)]
mod tests;
