//! Opening a vault file: reading, the lock-out, the PIN check, authentication, and the fall
//! back to the backup when the main file is damaged.
//!
//! Order of checks for one file: size at most `MAX_FILE_BYTES` → parse → PIN slot present and
//! parameters no higher than the app writes → lock-out (refuse without Argon2 while waiting) →
//! count the try and write the counter → Argon2id and unwrap (a failure is a wrong PIN) → reset
//! the counter → header MAC → decrypt contents → deserialize. A wrong PIN is final; only damage
//! (too large, unreadable, malformed, parameters out of range, bad MAC, bad ciphertext) sends the
//! caller to the backup, and no damage found before the PIN check counts as a try.
//!
//! By fingerprint (main file only; damage sends the user to the PIN, which tries the backup):
//! parse → a biometric slot present → lock-out not waiting → PIN age and restart rules → the
//! platform opens the sealed key (an invalidated key removes the slot) → slot MAC → header MAC
//! → decrypt contents → deserialize. The lock-out counter is neither read for a try nor
//! written.
//!
//! Both end in one function once the master key is known (`open_with_key`: header MAC,
//! contents, JSON); only how its damage is reported differs, since the fingerprint has no
//! backup to fall back to.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::biometric::{self, CipherError, PlatformCipher};
use super::crypto::MasterKey;
use super::error::{CorruptReason, VaultError};
use super::format::{self, BiometricEntry, BiometricSlot, Header, ParseError, VaultFile};
use super::kdf::Kek;
use super::lockout::{LockoutState, LockoutStatus};
use super::storage::{self, Previous};
use crate::pin::Pin;

/// A parsed file and where it was read from.
pub(crate) struct Loaded {
    pub path: PathBuf,
    pub file: VaultFile,
    pub header: Header,
}

/// An opened file: its key, layout and decrypted contents.
pub(crate) struct Opened<T> {
    pub key: MasterKey,
    pub file: VaultFile,
    pub header: Header,
    pub contents: T,
}

/// Why one file did not open.
pub(crate) enum Failure {
    /// The file is damaged; the backup may help.
    Corrupt(CorruptReason),
    /// Anything else (wrong PIN, lock-out, I/O while writing, unsupported version): final.
    Fatal(VaultError),
}

impl From<VaultError> for Failure {
    fn from(err: VaultError) -> Self {
        Self::Fatal(err)
    }
}

impl Failure {
    /// The error for the user when no backup is tried (the fingerprint opens the main file
    /// only): damage names the file at `path`, a missing file is [`VaultError::NotFound`].
    fn at(self, path: &Path) -> VaultError {
        match self {
            Self::Fatal(err) => err,
            Self::Corrupt(CorruptReason::Missing) => VaultError::NotFound {
                path: path.to_owned(),
            },
            Self::Corrupt(reason) => VaultError::corrupt(path, reason),
        }
    }
}

/// Reads and parses the file at `path`.
pub(crate) fn load(path: &Path) -> Result<Loaded, Failure> {
    let bytes = storage::read(path).map_err(Failure::Corrupt)?;
    match format::parse(&bytes) {
        Ok((file, header)) => Ok(Loaded {
            path: path.to_owned(),
            file,
            header,
        }),
        Err(ParseError::Corrupt(reason)) => Err(Failure::Corrupt(reason)),
        Err(ParseError::UnsupportedVersion(found)) => {
            Err(Failure::Fatal(VaultError::UnsupportedVersion {
                path: path.to_owned(),
                found,
            }))
        }
    }
}

/// Writes a vault file.
pub(crate) fn write(path: &Path, file: &VaultFile, previous: Previous) -> Result<(), VaultError> {
    storage::write_atomic(path, &format::to_bytes(file)?, previous)
}

/// Writes a new lock-out state into the file it came from, leaving the backup alone.
fn persist_lockout(loaded: &mut Loaded, state: LockoutState) -> Result<(), VaultError> {
    loaded.file.lockout = state;
    write(&loaded.path, &loaded.file, Previous::Discard)
}

/// Opens one file with the PIN.
pub(crate) fn open_file<T: DeserializeOwned>(
    mut loaded: Loaded,
    pin: &Pin,
    now: u64,
) -> Result<Opened<T>, Failure> {
    let profile = loaded
        .header
        .pin_slot()
        .ok_or(Failure::Corrupt(CorruptReason::NoPinSlot))?
        .kdf
        .profile;
    if !profile.in_range() {
        return Err(Failure::Corrupt(CorruptReason::KdfParamsOutOfRange));
    }
    let mut lockout = loaded.file.lockout;
    lockout
        .check(now)
        .map_err(|until| VaultError::Locked { until })?;
    // Count the try before the slow check, so killing the app meanwhile does not save it.
    let (tries_left_before_wait, wait_until) = lockout.record_try(now);
    persist_lockout(&mut loaded, lockout)?;
    let vault_id = loaded.header.vault_id;
    let key = match loaded.header.pin_slot() {
        Some(slot) => {
            let kek = Kek::derive(pin, slot.kdf.profile, &slot.kdf.salt)?;
            MasterKey::unwrap_slot(&kek, &vault_id, &slot.kdf, &slot.nonce, &slot.wrapped_key)
        }
        None => None,
    };
    let Some(key) = key else {
        tracing::info!(path = %loaded.path.display(), failed = lockout.failed, "wrong PIN");
        return Err(Failure::Fatal(VaultError::WrongPin {
            tries_left_before_wait,
            wait_until,
        }));
    };
    // The PIN was right, even if the rest of the file turns out damaged: a damaged file must
    // not lock its owner out of the backup.
    persist_lockout(&mut loaded, LockoutState::default())?;
    open_with_key(key, loaded)
}

/// The steps after the master key is known, the same for the PIN and the fingerprint: the
/// header MAC, then the contents' decryption, then their JSON. A bad MAC or ciphertext is
/// damage ([`Failure::Corrupt`]); contents that decrypt but do not fit `T` are final.
fn open_with_key<T: DeserializeOwned>(
    key: MasterKey,
    loaded: Loaded,
) -> Result<Opened<T>, Failure> {
    if !key.verify_header(loaded.file.header.get(), &loaded.file.header_mac) {
        return Err(Failure::Corrupt(CorruptReason::HeaderMac));
    }
    let plaintext = key
        .open_contents(
            &loaded.header.vault_id,
            &loaded.file.nonce,
            &loaded.file.ciphertext,
        )
        .ok_or(Failure::Corrupt(CorruptReason::Contents))?;
    let contents =
        serde_json::from_slice(&plaintext).map_err(|err| VaultError::ContentsMismatch {
            line: err.line(),
            column: err.column(),
        })?;
    Ok(Opened {
        key,
        file: loaded.file,
        header: loaded.header,
        contents,
    })
}

/// Opens the main file at `path` through its biometric slot.
pub(crate) fn open_biometric<T: DeserializeOwned>(
    path: &Path,
    cipher: &dyn PlatformCipher,
    now: u64,
) -> Result<Opened<T>, VaultError> {
    let mut loaded = load(path).map_err(|failure| failure.at(path))?;
    let slot = loaded
        .file
        .biometric_slot()
        .cloned()
        .ok_or(VaultError::NoBiometricSlot)?;
    loaded
        .file
        .lockout
        .check(now)
        .map_err(|until| VaultError::Locked { until })?;
    biometric::check_pin_age(slot.pin_verified_at, now, cipher.booted_at())?;
    let vault_id = loaded.header.vault_id;
    let key = match cipher.decrypt(&slot.sealed_key) {
        Ok(bytes) => MasterKey::from_bytes(&bytes).filter(|key| {
            key.verify_biometric(&vault_id, slot.pin_verified_at, &slot.sealed_key, &slot.mac)
        }),
        Err(CipherError::KeyInvalidated) => None,
        Err(other) => return Err(VaultError::Biometric(other)),
    };
    let Some(key) = key else {
        remove_biometric_slot(&mut loaded)?;
        return Err(VaultError::Biometric(CipherError::KeyInvalidated));
    };
    open_with_key(key, loaded).map_err(|failure| failure.at(path))
}

/// Removes a biometric slot that can no longer open the vault from the file and from its
/// backup (if that belongs to the same vault), so that the login screen stops offering it.
fn remove_biometric_slot(loaded: &mut Loaded) -> Result<(), VaultError> {
    loaded.file.biometric = None;
    write(&loaded.path, &loaded.file, Previous::Discard)?;
    let backup = storage::backup_path(&loaded.path);
    if let Ok(mut old) = load(&backup)
        && old.header.vault_id == loaded.header.vault_id
        && old.file.biometric.is_some()
    {
        old.file.biometric = None;
        write(&backup, &old.file, Previous::Discard)?;
    }
    tracing::warn!(path = %loaded.path.display(), "biometric key invalidated; slot removed");
    Ok(())
}

/// A biometric slot for `key` as `sealed_key`, its PIN time `pin_verified_at`.
pub(crate) fn biometric_slot(
    key: &MasterKey,
    vault_id: &[u8; format::VAULT_ID_LEN],
    sealed_key: Vec<u8>,
    pin_verified_at: u64,
) -> BiometricEntry {
    let mac = key.biometric_mac(vault_id, pin_verified_at, &sealed_key);
    BiometricEntry::Known(BiometricSlot {
        version: format::BiometricVersion,
        sealed_key,
        pin_verified_at,
        mac,
    })
}

/// Opens the vault at `path`, falling back to its backup if the main file is damaged. Returns
/// the opened vault and, when the backup stood in, why the main file could not be used.
pub(crate) fn open_with_fallback<T: DeserializeOwned>(
    path: &Path,
    pin: &Pin,
    now: u64,
) -> Result<(Opened<T>, Option<CorruptReason>), VaultError> {
    let main_reason = match load(path).and_then(|loaded| open_file(loaded, pin, now)) {
        Ok(opened) => return Ok((opened, None)),
        Err(Failure::Fatal(err)) => return Err(err),
        Err(Failure::Corrupt(reason)) => reason,
    };
    let backup = storage::backup_path(path);
    if main_reason != CorruptReason::Missing {
        tracing::warn!(path = %path.display(), reason = %main_reason, "vault file unusable, trying the backup");
    }
    match load(&backup).and_then(|loaded| open_file(loaded, pin, now)) {
        Ok(opened) => {
            tracing::warn!(path = %backup.display(), "vault opened from the backup");
            Ok((opened, Some(main_reason)))
        }
        Err(Failure::Fatal(err)) => Err(err),
        Err(Failure::Corrupt(backup_reason)) => {
            Err(both_failed(path, main_reason, &backup, backup_reason))
        }
    }
}

/// The error when neither the file nor its backup opened: name the main file unless it is
/// simply missing.
fn both_failed(
    path: &Path,
    main_reason: CorruptReason,
    backup: &Path,
    backup_reason: CorruptReason,
) -> VaultError {
    match (main_reason, backup_reason) {
        (CorruptReason::Missing, CorruptReason::Missing) => VaultError::NotFound {
            path: path.to_owned(),
        },
        (CorruptReason::Missing, reason) => VaultError::corrupt(backup, reason),
        (reason, _) => VaultError::corrupt(path, reason),
    }
}

/// The clear part of the vault for the login screen, from the main file or else its backup.
pub(crate) fn peek(path: &Path) -> Result<(String, LockoutStatus, bool), VaultError> {
    let info = |loaded: Loaded| {
        let biometric = loaded.file.biometric_slot().is_some();
        (loaded.header.email, loaded.file.lockout.status(), biometric)
    };
    let main_reason = match load(path) {
        Ok(loaded) => return Ok(info(loaded)),
        Err(Failure::Fatal(err)) => return Err(err),
        Err(Failure::Corrupt(reason)) => reason,
    };
    let backup = storage::backup_path(path);
    match load(&backup) {
        Ok(loaded) => Ok(info(loaded)),
        Err(Failure::Fatal(err)) => Err(err),
        Err(Failure::Corrupt(reason)) => Err(both_failed(path, main_reason, &backup, reason)),
    }
}
