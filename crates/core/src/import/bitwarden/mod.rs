//! Bitwarden's JSON export (unencrypted), the two-factor secrets in its logins' `login.totp`.
//!
//! The format is Bitwarden's "Condition a Bitwarden .csv or .json" (bitwarden.com/help,
//! `condition-bitwarden-import`; source bitwarden/help, `_articles/importing/
//! condition-bitwarden-import.md`): `{"encrypted": false, "folders": […], "items": [{"type": 1,
//! "name": …, "login": {"username": …, "totp": …}}, …]}`. What `totp` may hold follows
//! Bitwarden's own code generator (bitwarden/sdk-internal, `crates/bitwarden-vault/src/
//! totp.rs`): an `otpauth://` link, `steam://SECRET` for Steam Guard, or a bare base32 secret
//! (SHA-1, six digits, 30 s).
//!
//! Items without a `totp` are passwords, cards or notes, not two-factor accounts, and are
//! passed over. A link without an issuer takes the item's name as issuer; a bare or Steam
//! secret is named by the login's user name, with the item's name as issuer. Encrypted exports
//! (`"encrypted": true`, account-bound or password-protected) are refused with
//! [`ImportError::EncryptionNotSupported`].

use serde::Deserialize;
use zeroize::Zeroizing;
use zweifaktor_protocol::{HashAlgorithm, Seed};

use super::otpauth_lines::read_link;
use super::read::{has_json_key, json_error, strip_prefix_ignore_case};
use super::{Format, ImportBatch, ImportError, ImportPassword, Importer, Unsupported, text};
use crate::accounts::{AccountKind, NewAccount};

/// What `login.totp` starts with for Steam Guard (compared ignoring ASCII case).
const STEAM_PREFIX: &str = "steam://";
/// What an `otpauth://` link starts with (compared ignoring ASCII case).
const OTPAUTH_PREFIX: &str = "otpauth://";

/// Reads Bitwarden exports.
pub(crate) struct Bitwarden;

/// Just enough of the top level to tell a Bitwarden export from other JSON.
#[derive(Deserialize)]
struct Probe {
    encrypted: Option<bool>,
}

/// The member every encrypted Bitwarden export has.
const KEY_VALIDATION: &str = "encKeyValidation_DO_NOT_EDIT";

#[derive(Deserialize)]
struct Export {
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    login: Option<Login>,
}

#[derive(Deserialize)]
struct Login {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    totp: Option<Zeroizing<String>>,
}

impl Importer for Bitwarden {
    fn format(&self) -> Format {
        Format::Bitwarden
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        text(bytes, Format::Bitwarden).is_ok_and(|text| {
            has_json_key(text, KEY_VALIDATION)
                || (has_json_key(text, "encrypted") && has_json_key(text, "items"))
        })
    }

    fn read(
        &self,
        bytes: &[u8],
        _password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        if probe(bytes).is_some_and(|probe| probe.encrypted == Some(true)) {
            return Err(ImportError::EncryptionNotSupported {
                format: Format::Bitwarden,
            });
        }
        let export: Export = serde_json::from_str(text(bytes, Format::Bitwarden)?)
            .map_err(|err| json_error(Format::Bitwarden, &err))?;
        let mut batch = ImportBatch::new(Format::Bitwarden);
        for (number, item) in export.items.into_iter().enumerate() {
            let Some((login, totp)) = item.login.and_then(|login| {
                let totp = login
                    .totp
                    .as_deref()
                    .map(|t| Zeroizing::new(t.trim().to_owned()));
                totp.filter(|t| !t.is_empty()).map(|t| (login, t))
            }) else {
                continue;
            };
            let item_name = item.name.filter(|n| !n.trim().is_empty());
            match account(item_name.as_deref(), login.username.as_deref(), &totp) {
                Ok(account) => batch.accounts.push(account),
                Err((kind, reason)) => batch.unsupported.push(Unsupported {
                    label: item_name.unwrap_or_else(|| format!("item {}", number + 1)),
                    kind: kind.to_owned(),
                    reason,
                }),
            }
        }
        Ok(batch)
    }
}

fn probe(bytes: &[u8]) -> Option<Probe> {
    serde_json::from_str(text(bytes, Format::Bitwarden).ok()?).ok()
}

/// The account of one item's `totp`, or its kind and why it cannot be imported.
fn account(
    item_name: Option<&str>,
    username: Option<&str>,
    totp: &str,
) -> Result<NewAccount, (&'static str, String)> {
    if strip_prefix_ignore_case(totp, OTPAUTH_PREFIX).is_some() {
        let mut account = read_link(totp).map_err(|reason| ("otpauth", reason))?;
        if account.issuer.is_none() {
            account.issuer = item_name
                .filter(|name| *name != account.name)
                .map(str::to_owned);
        }
        return Ok(account);
    }
    let (kind, secret, kind_name) = match strip_prefix_ignore_case(totp, STEAM_PREFIX) {
        Some(secret) => (AccountKind::Steam, secret, "steam"),
        None => (AccountKind::Totp { period: 30 }, totp, "totp"),
    };
    let seed = Seed::from_typed_base32(secret)
        .ok()
        .filter(|seed| !seed.is_empty())
        .ok_or((kind_name, "the secret is not base32".to_owned()))?;
    let username = username.map(str::trim).filter(|u| !u.is_empty());
    let (issuer, name) = match (item_name, username) {
        (issuer, Some(user)) => (issuer.map(str::to_owned), user.to_owned()),
        (Some(item), None) => (None, item.to_owned()),
        (None, None) => return Err((kind_name, "the item has no name".to_owned())),
    };
    Ok(NewAccount {
        issuer,
        name,
        seed,
        algorithm: HashAlgorithm::Sha1,
        digits: match kind {
            AccountKind::Steam => zweifaktor_protocol::otp::STEAM_CODE_LEN,
            _ => 6,
        },
        kind,
    })
}

#[cfg(test)]
mod tests;
