//! The encrypted backup: an Aegis vault file, so that it restores into Zweifaktor (through the
//! Aegis importer) and opens in Aegis itself.
//!
//! Written as Aegis's `docs/vault.md` describes and Aegis writes it today: file version 1 with
//! one password slot (scrypt N = 2^15, r = 8, p = 1, a fresh 256-bit salt) holding a fresh
//! random 256-bit master key sealed with AES-256-GCM, and the contents (version 3: entries,
//! no groups, no icons) sealed with the master key; every nonce fresh and random. Seeds are
//! written as unpadded upper-case base32, as Aegis writes them.
//!
//! # Layout
//! - [`password`]: the backup password and its strength rule.

pub mod password;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde_json::ser::PrettyFormatter;
use zeroize::Zeroizing;

use super::ExportAccount;
use crate::accounts::{Account, AccountKind};
use crate::error::CoreError;
use crate::import::aegis::FILE_VERSION;
use crate::import::aegis::content::CONTENT_VERSION;
use crate::import::aegis::header::PASSWORD_SLOT;
use crate::import::aegis::kdf::{SALT_LEN, ScryptCost};
use crate::import::cipher::AesKey;
pub use password::{BackupPassword, BackupPasswordTooWeak, check_backup_password};

/// Room reserved per entry when the contents are serialized, so that the buffer holding the
/// seeds does not grow (and leave copies behind) for names of usual length.
const BYTES_PER_ENTRY: usize = 512;

/// Why a backup could not be written. None of these happens for a vault of real size.
#[derive(Debug, thiserror::Error)]
pub enum AegisWriteError {
    /// The contents could not be written as JSON.
    #[error("the backup's contents could not be written as JSON")]
    Json(#[from] serde_json::Error),
    /// AES-GCM refused to seal (it does so only beyond 64 GiB).
    #[error("the backup could not be encrypted")]
    Encrypt,
    /// scrypt refused the backup's parameters.
    #[error("the backup's key could not be derived")]
    Kdf,
    /// An account's stored code parameters are unusable.
    #[error("account {label:?} cannot be written")]
    UnusableAccount {
        /// The account's label.
        label: String,
        /// Why.
        #[source]
        source: CoreError,
    },
}

/// Writes `accounts` as an encrypted Aegis vault under `password`: the backup file.
///
/// The caller picks the accounts (the export rules live with the caller, e.g. that push-bound
/// accounts stay on the phone); every one given is written. The seeds leave the core only
/// inside the encrypted file.
///
/// # Errors
/// [`AegisWriteError`], which real vaults never meet.
pub fn write<'a>(
    accounts: impl IntoIterator<Item = &'a Account>,
    password: &BackupPassword,
) -> Result<Vec<u8>, AegisWriteError> {
    let views = accounts
        .into_iter()
        .map(|account| {
            ExportAccount::from_account(account).map_err(|source| {
                AegisWriteError::UnusableAccount {
                    label: account.label(),
                    source,
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    write_with_cost(&views, password, ScryptCost::AEGIS)
}

/// [`write`] with the scrypt cost given, so that tests can write many files cheaply.
fn write_with_cost(
    accounts: &[ExportAccount<'_>],
    password: &BackupPassword,
    cost: ScryptCost,
) -> Result<Vec<u8>, AegisWriteError> {
    let master = AesKey::generate();
    let contents = contents_json(accounts)?;
    let db = master
        .seal_detached(&contents)
        .map_err(|_| AegisWriteError::Encrypt)?;

    let mut salt = [0u8; SALT_LEN];
    rand::fill(&mut salt[..]);
    let kek = cost
        .derive(password.as_bytes(), &salt)
        .ok_or(AegisWriteError::Kdf)?;
    let slot_key = kek
        .seal_detached(master.as_bytes())
        .map_err(|_| AegisWriteError::Encrypt)?;

    let file = File {
        version: FILE_VERSION,
        header: Header {
            slots: [Slot {
                r#type: PASSWORD_SLOT,
                uuid: uuid_v4(),
                key: hex::encode(&slot_key.ciphertext),
                key_params: Params::new(&slot_key.nonce, &slot_key.tag),
                n: cost.n(),
                r: cost.r,
                p: cost.p,
                salt: hex::encode(salt),
                repaired: true,
                is_backup: false,
            }],
            params: Params::new(&db.nonce, &db.tag),
        },
        db: STANDARD.encode(&db.ciphertext),
    };
    // Pretty-printed with four spaces, as Aegis's `VaultFile.toBytes` writes its files.
    let mut out = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, PrettyFormatter::with_indent(b"    "));
    file.serialize(&mut serializer)?;
    Ok(out)
}

/// The contents object as JSON, in a zeroizing buffer.
fn contents_json(accounts: &[ExportAccount<'_>]) -> Result<Zeroizing<Vec<u8>>, AegisWriteError> {
    let contents = Contents {
        version: CONTENT_VERSION,
        entries: accounts.iter().map(Entry::new).collect(),
        groups: Vec::new(),
        icons_optimized: true,
    };
    let mut buffer = Zeroizing::new(Vec::with_capacity(
        BYTES_PER_ENTRY * accounts.len().saturating_add(1),
    ));
    serde_json::to_writer(&mut *buffer, &contents)?;
    Ok(buffer)
}

/// A random (version 4) UUID, as Aegis gives every slot and entry.
fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes[..]);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[derive(Serialize)]
struct File {
    version: u64,
    header: Header,
    db: String,
}

#[derive(Serialize)]
struct Header {
    slots: [Slot; 1],
    params: Params,
}

#[derive(Serialize)]
struct Slot {
    r#type: u64,
    uuid: String,
    key: String,
    key_params: Params,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

#[derive(Serialize)]
struct Params {
    nonce: String,
    tag: String,
}

impl Params {
    fn new(nonce: &[u8], tag: &[u8]) -> Self {
        Self {
            nonce: hex::encode(nonce),
            tag: hex::encode(tag),
        }
    }
}

#[derive(Serialize)]
struct Contents<'a> {
    version: u64,
    entries: Vec<Entry<'a>>,
    groups: Vec<String>,
    icons_optimized: bool,
}

/// An entry as Aegis's `VaultEntry.toJson` writes it; `icon` must be present (as `null`).
#[derive(Serialize)]
struct Entry<'a> {
    r#type: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'static str,
    favorite: bool,
    icon: Option<String>,
    info: Info,
    groups: Vec<String>,
}

#[derive(Serialize)]
struct Info {
    secret: Zeroizing<String>,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

impl<'a> Entry<'a> {
    fn new(account: &ExportAccount<'a>) -> Self {
        let (kind, period, counter) = match account.kind {
            AccountKind::Totp { period } => ("totp", Some(period), None),
            AccountKind::Hotp { counter } => ("hotp", None, Some(counter)),
            AccountKind::Steam => (
                "steam",
                Some(zweifaktor_protocol::otp::STEAM_PERIOD_SECS),
                None,
            ),
        };
        Self {
            r#type: kind,
            uuid: uuid_v4(),
            name: account.name,
            issuer: account.issuer.unwrap_or(""),
            note: "",
            favorite: false,
            icon: None,
            info: Info {
                secret: account.seed.to_base32(),
                algo: account.algorithm.as_str(),
                digits: account.digits,
                period,
                counter,
            },
            groups: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
