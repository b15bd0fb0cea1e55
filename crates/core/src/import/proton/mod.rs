//! Proton Authenticator's JSON export (unencrypted).
//!
//! The format is Proton's own exporter (protonpass/proton-pass-common,
//! `proton-authenticator/src/entry/exporter.rs`, `export_entries` and
//! `import_authenticator_entries`): `{"version": 1, "entries": [{"id": …, "content": {"uri":
//! …, "entry_type": "Totp" | "Steam", "name": …}, "note": …}]}`. A `Totp` entry's `uri` is an
//! `otpauth://` link; a `Steam` entry's is `steam://SECRET`, the secret in base32 or, when the
//! app got it that way, in unpadded base64 (`proton-authenticator/src/steam/mod.rs`,
//! `SteamTotp::new` and `SteamTotp::secret`). The password-protected export (`{"version": 1,
//! "salt": …, "content": …}`) is refused with [`ImportError::EncryptionNotSupported`]; notes
//! are not kept.

use base64::Engine as _;
use serde::Deserialize;
use serde::de::IgnoredAny;
use zeroize::Zeroizing;
use zweifaktor_protocol::{HashAlgorithm, Seed};

use super::otpauth_lines::read_link;
use super::read::{BASE64, has_json_key, json_error, strip_prefix_ignore_case};
use super::{Format, ImportBatch, ImportError, ImportPassword, Importer, Unsupported, text};
use crate::accounts::{AccountKind, NewAccount};

/// The export version Proton Authenticator writes and this importer reads.
const VERSION: u64 = 1;
/// What a Steam entry's `uri` starts with (compared ignoring ASCII case).
const STEAM_PREFIX: &str = "steam://";
/// The issuer given to Steam entries, as Proton Authenticator names them.
const STEAM_ISSUER: &str = "Steam";

/// Reads Proton Authenticator exports.
pub(crate) struct Proton;

/// The top level, enough to tell the plain export from the encrypted one.
#[derive(Deserialize)]
struct Probe {
    entries: Option<IgnoredAny>,
    salt: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Export {
    version: u64,
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    content: Content,
}

#[derive(Deserialize)]
struct Content {
    uri: Zeroizing<String>,
    entry_type: String,
    #[serde(default)]
    name: Option<String>,
}

impl Importer for Proton {
    fn format(&self) -> Format {
        Format::Proton
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        text(bytes, Format::Proton).is_ok_and(|text| {
            has_json_key(text, "version")
                && (has_json_key(text, "entries")
                    || (has_json_key(text, "salt") && has_json_key(text, "content")))
        })
    }

    fn read(
        &self,
        bytes: &[u8],
        _password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        if probe(bytes).is_some_and(|probe| probe.entries.is_none() && probe.salt.is_some()) {
            return Err(ImportError::EncryptionNotSupported {
                format: Format::Proton,
            });
        }
        let export: Export = serde_json::from_str(text(bytes, Format::Proton)?)
            .map_err(|err| json_error(Format::Proton, &err))?;
        if export.version != VERSION {
            return Err(ImportError::Malformed {
                format: Format::Proton,
                what: format!("export version {} is not known", export.version),
            });
        }
        let mut batch = ImportBatch::new(Format::Proton);
        for (number, entry) in export.entries.into_iter().enumerate() {
            let Content {
                uri,
                entry_type,
                name,
            } = entry.content;
            let name = name.filter(|n| !n.trim().is_empty());
            let read = match entry_type.as_str() {
                "Totp" => read_link(&uri),
                "Steam" => steam(&uri, name.as_deref()),
                _ => Err("Zweifaktor does not know this kind of entry".to_owned()),
            };
            match read {
                Ok(account) => batch.accounts.push(account),
                Err(reason) => batch.unsupported.push(Unsupported {
                    label: name.unwrap_or_else(|| format!("entry {}", number + 1)),
                    kind: entry_type.to_ascii_lowercase(),
                    reason,
                }),
            }
        }
        Ok(batch)
    }
}

fn probe(bytes: &[u8]) -> Option<Probe> {
    serde_json::from_str(text(bytes, Format::Proton).ok()?).ok()
}

/// A Steam entry: `steam://SECRET`, base32 or else base64.
fn steam(uri: &str, name: Option<&str>) -> Result<NewAccount, String> {
    let secret = strip_prefix_ignore_case(uri.trim(), STEAM_PREFIX)
        .ok_or_else(|| "a Steam entry without a steam:// link".to_owned())?;
    let seed = Seed::from_base32(secret)
        .ok()
        .or_else(|| BASE64.decode(secret).ok().map(Seed::from_bytes))
        .filter(|seed| !seed.is_empty())
        .ok_or_else(|| "the secret is neither base32 nor base64".to_owned())?;
    let (issuer, name) = match name {
        Some(name) => (Some(STEAM_ISSUER.to_owned()), name.to_owned()),
        None => (None, STEAM_ISSUER.to_owned()),
    };
    Ok(NewAccount {
        issuer,
        name,
        seed,
        algorithm: HashAlgorithm::Sha1,
        digits: zweifaktor_protocol::otp::STEAM_CODE_LEN,
        kind: AccountKind::Steam,
    })
}

#[cfg(test)]
mod tests;
