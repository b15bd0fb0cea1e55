//! The encrypted, atomically written vault file with key slots and lock-out.
//!
//! A [`Vault<T>`] keeps any serde type `T` (the app's accounts, device key, portal data) in one
//! JSON file, encrypted under a random master key. The master key is stored wrapped in key slots;
//! the PIN slot wraps it under an Argon2id key, so unlocking the slot *is* the PIN check. The
//! whole header is authenticated, the contents are sealed with XChaCha20-Poly1305, and every
//! write is atomic with the previous version kept as a backup. Where the platform offers a
//! biometric-bound cipher (Android), a biometric slot holds the master key sealed by it
//! ([`biometric`]).
//!
//! # Layout
//! - `format.rs`: the file layout, with an example.
//! - `crypto.rs`: master key, subkeys, sealing and the header MAC.
//! - [`kdf`]: Argon2id profiles and the PIN's key-encryption key.
//! - [`lockout`]: the wrong-PIN counter and its waits.
//! - [`biometric`]: the platform cipher of the biometric slot and when the PIN is needed anyway.
//! - `fake_cipher`: a software platform cipher for tests (feature `test-cipher`).
//! - `storage.rs`: atomic writes, backup rotation, setting corrupt files aside.
//! - `open.rs`: the order of checks when opening, and the fall back to the backup.
//! - `fuzzing`: the parser's entry point for the fuzz targets (feature `fuzzing` only).
//!
//! # Files
//! For a vault at `FILE`: `FILE.bak` is the version before the last save, `FILE.tmp` and
//! `FILE.bak.tmp` exist only during a write, and `FILE.corrupt-<unix time>` is a main file that
//! could not be read and was set aside by the first save after opening the backup.

pub mod biometric;
mod crypto;
mod error;
#[cfg(any(test, feature = "test-cipher"))]
pub mod fake_cipher;
mod format;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod kdf;
pub mod lockout;
mod open;
mod storage;

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use crate::pin::Pin;
pub use biometric::{CipherError, PinRequiredReason, PlatformCipher};
use crypto::MasterKey;
pub use error::{CorruptReason, CorruptVault, VaultError};
pub use format::MAX_FILE_BYTES;
use format::{Cipher, Header, KdfAlg, KdfSpec, PinKind, PinSlot, Slot, VaultFile};
pub use kdf::KdfProfile;
use kdf::Kek;
use lockout::LockoutState;
pub use lockout::LockoutStatus;
use storage::Previous;

/// What the login screen shows before the PIN is entered. None of it is authenticated until
/// the vault is unlocked (see [`lockout`] for why that is acceptable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginInfo {
    /// The e-mail address the vault was created for.
    pub email: String,
    /// Wrong PINs so far and when the next try is allowed.
    pub lockout: LockoutStatus,
    /// Whether the vault has a biometric slot this build understands, so the login screen can
    /// offer the fingerprint (where the platform has the cipher for it).
    pub biometric: bool,
}

/// An unlocked vault holding contents of type `T`.
///
/// Changes through [`Vault::contents_mut`] stay in memory until [`Vault::save`]. Dropping the
/// vault wipes the master key; `T` is responsible for wiping its own secrets.
pub struct Vault<T> {
    path: PathBuf,
    key: MasterKey,
    header: Header,
    /// The file as last read or written; its ciphertext matches the contents on disk.
    file: VaultFile,
    contents: T,
    from_backup: Option<CorruptVault>,
    /// When the vault was created or unlocked; names a corrupt file set aside later.
    opened_at: u64,
    /// When the PIN opened (or created) this vault in this session; `None` if the fingerprint
    /// opened it. Only a PIN session may make a biometric slot.
    pin_verified_at: Option<u64>,
}

impl<T: Serialize + DeserializeOwned> Vault<T> {
    /// Creates a new vault at `path` holding `contents`, locked with `pin`. A missing folder
    /// is created (a fresh app install has no data folder yet).
    ///
    /// `now` (unix seconds) is taken like everywhere in the core instead of reading the clock;
    /// it is the vault's session time (see [`Vault::save`]).
    ///
    /// # Errors
    /// [`VaultError::AlreadyExists`] if `path` or its backup exists (an old vault is never
    /// overwritten; remove it with [`Vault::destroy`] first), [`VaultError::InvalidKdfProfile`],
    /// [`VaultError::Serialize`], or [`VaultError::Io`].
    pub fn create(
        path: &Path,
        email: &str,
        pin: &Pin,
        profile: KdfProfile,
        contents: T,
        now: u64,
    ) -> Result<Self, VaultError> {
        profile.validate()?;
        Self::ensure_absent(path)?;
        storage::create_folder(path)?;
        let key = MasterKey::generate();
        let vault_id = crypto::random();
        let header = Header {
            vault_id,
            email: email.to_owned(),
            cipher: Cipher::XChaCha20Poly1305,
            slots: vec![Slot::Pin(pin_slot(&key, &vault_id, pin, profile)?)],
        };
        let raw = header.to_raw()?;
        let (nonce, ciphertext) = key.seal_contents(&vault_id, to_plaintext(&contents)?)?;
        let file = VaultFile {
            format: format::FORMAT.to_owned(),
            version: format::VERSION,
            header_mac: key.header_mac(raw.get()),
            header: raw,
            lockout: LockoutState::default(),
            biometric: None,
            nonce,
            ciphertext,
        };
        open::write(path, &file, Previous::KeepAsBackup)?;
        tracing::info!(path = %path.display(), "vault created");
        Ok(Self {
            path: path.to_owned(),
            key,
            header,
            file,
            contents,
            from_backup: None,
            opened_at: now,
            pin_verified_at: Some(now),
        })
    }

    /// The e-mail address and lock-out status for the login screen, without the PIN.
    ///
    /// # Errors
    /// [`VaultError::NotFound`], [`VaultError::Corrupt`] (neither the file nor its backup can be
    /// parsed) or [`VaultError::UnsupportedVersion`].
    pub fn peek(path: &Path) -> Result<LoginInfo, VaultError> {
        let (email, lockout, biometric) = open::peek(path)?;
        Ok(LoginInfo {
            email,
            lockout,
            biometric,
        })
    }

    /// Opens the vault with the PIN at time `now` (unix seconds).
    ///
    /// If the file is damaged (unreadable, larger than [`MAX_FILE_BYTES`], malformed, Argon2
    /// parameters above what the app writes, header MAC or contents authentication failing) or
    /// missing, the backup is opened instead and [`Vault::opened_from_backup`] says why. Damage
    /// found before the PIN check costs no try. A wrong PIN never falls back: it is counted and
    /// reported.
    ///
    /// # Errors
    /// [`VaultError::WrongPin`], [`VaultError::Locked`] (checked before any key derivation),
    /// [`VaultError::NotFound`], [`VaultError::Corrupt`], [`VaultError::UnsupportedVersion`],
    /// [`VaultError::ContentsMismatch`], [`VaultError::Kdf`] or [`VaultError::Io`] (the lock-out
    /// counter could not be written, so the PIN was not checked).
    ///
    /// A biometric slot is kept, and its 72-hour count starts again at `now`.
    pub fn unlock(path: &Path, pin: &Pin, now: u64) -> Result<Self, VaultError> {
        let (opened, backup_reason) = open::open_with_fallback(path, pin, now)?;
        tracing::debug!(path = %path.display(), "vault unlocked");
        let mut vault = Self {
            path: path.to_owned(),
            key: opened.key,
            header: opened.header,
            file: opened.file,
            contents: opened.contents,
            from_backup: backup_reason.map(|reason| CorruptVault {
                path: path.to_owned(),
                reason,
            }),
            opened_at: now,
            pin_verified_at: Some(now),
        };
        vault.renew_biometric_slot(now)?;
        Ok(vault)
    }

    /// Opens the vault through its biometric slot at time `now`: the platform's prompt is shown
    /// unless the PIN is needed anyway (see [`biometric`]). The lock-out counter is neither
    /// counted nor reset.
    ///
    /// # Errors
    /// [`VaultError::NoBiometricSlot`]; [`VaultError::Locked`] while a wait after wrong PINs
    /// runs; [`VaultError::PinRequired`] after 72 hours, a clock set back or a restart (no
    /// prompt shown); [`VaultError::Biometric`] with the platform's answer, where
    /// [`CipherError::KeyInvalidated`] means the slot has been removed and only the PIN opens
    /// the vault now; [`VaultError::NotFound`], [`VaultError::Corrupt`] (the PIN tries the
    /// backup), [`VaultError::UnsupportedVersion`], [`VaultError::ContentsMismatch`] or
    /// [`VaultError::Io`].
    pub fn unlock_biometric(
        path: &Path,
        cipher: &dyn PlatformCipher,
        now: u64,
    ) -> Result<Self, VaultError> {
        let opened = open::open_biometric(path, cipher, now)?;
        tracing::debug!(path = %path.display(), "vault unlocked by biometrics");
        Ok(Self {
            path: path.to_owned(),
            key: opened.key,
            header: opened.header,
            file: opened.file,
            contents: opened.contents,
            from_backup: None,
            opened_at: now,
            pin_verified_at: None,
        })
    }

    /// Makes (or replaces) the biometric slot: the platform's prompt seals the master key.
    ///
    /// # Errors
    /// [`VaultError::PinRequired`] with [`PinRequiredReason::NotOpenedByPin`] if the fingerprint
    /// opened this session (the PIN stays the root), [`VaultError::Biometric`] with the
    /// platform's answer (nothing written), or [`VaultError::Io`].
    pub fn enable_biometric(&mut self, cipher: &dyn PlatformCipher) -> Result<(), VaultError> {
        let pin_verified_at = self.pin_verified_at.ok_or(VaultError::PinRequired {
            reason: PinRequiredReason::NotOpenedByPin,
        })?;
        let sealed = cipher
            .encrypt(self.key.as_bytes())
            .map_err(VaultError::Biometric)?;
        let slot = open::biometric_slot(&self.key, &self.header.vault_id, sealed, pin_verified_at);
        self.file.biometric = Some(slot);
        self.write_file()?;
        tracing::info!(path = %self.path.display(), "biometric unlock switched on");
        Ok(())
    }

    /// Removes the biometric slot; only the PIN opens the vault afterwards.
    ///
    /// # Errors
    /// [`VaultError::Io`].
    pub fn disable_biometric(&mut self) -> Result<(), VaultError> {
        if self.file.biometric.take().is_some() {
            self.write_file()?;
            tracing::info!(path = %self.path.display(), "biometric unlock switched off");
        }
        Ok(())
    }

    /// Whether the vault has a biometric slot this build understands.
    pub fn biometric_enabled(&self) -> bool {
        self.file.biometric_slot().is_some()
    }

    /// Restarts the 72-hour count of the biometric slot after a PIN unlock. The main file is
    /// written at once unless it is unreadable (opened from the backup), in which case the next
    /// save writes the new time with everything else.
    fn renew_biometric_slot(&mut self, now: u64) -> Result<(), VaultError> {
        let Some(slot) = self.file.biometric_slot() else {
            return Ok(());
        };
        let sealed = slot.sealed_key.clone();
        self.file.biometric = Some(open::biometric_slot(
            &self.key,
            &self.header.vault_id,
            sealed,
            now,
        ));
        if self.from_backup.is_none() {
            open::write(&self.path, &self.file, Previous::Discard)?;
        }
        Ok(())
    }

    /// Writes the file as held (header, slots, last saved contents) without touching the
    /// backup, or setting an unreadable main file aside first.
    fn write_file(&mut self) -> Result<(), VaultError> {
        open::write(&self.path, &self.file, self.previous(Previous::Discard))?;
        self.from_backup = None;
        Ok(())
    }

    /// The decrypted contents.
    pub fn contents(&self) -> &T {
        &self.contents
    }

    /// The contents for changing; call [`Vault::save`] to keep the changes.
    pub fn contents_mut(&mut self) -> &mut T {
        &mut self.contents
    }

    /// Encrypts the contents with a fresh nonce and replaces the file atomically, keeping the
    /// previous version as the backup.
    ///
    /// After the vault was opened from its backup, the unreadable main file is not rotated into
    /// the backup but moved to `FILE.corrupt-<unix time of unlock>`, so that no file that could
    /// not be read is ever overwritten or lost.
    ///
    /// # Errors
    /// [`VaultError::Serialize`], [`VaultError::TooLarge`] or [`VaultError::Io`]; the file on
    /// disk is then the old or the new version.
    pub fn save(&mut self) -> Result<(), VaultError> {
        let (nonce, ciphertext) = self
            .key
            .seal_contents(&self.header.vault_id, to_plaintext(&self.contents)?)?;
        let file = VaultFile {
            format: format::FORMAT.to_owned(),
            version: format::VERSION,
            header: self.file.header.clone(),
            header_mac: self.file.header_mac,
            lockout: LockoutState::default(),
            biometric: self.file.biometric.clone(),
            nonce,
            ciphertext,
        };
        open::write(&self.path, &file, self.previous(Previous::KeepAsBackup))?;
        self.file = file;
        self.from_backup = None;
        tracing::debug!(path = %self.path.display(), "vault saved");
        Ok(())
    }

    /// Sets a new PIN (and cost profile) and writes it at once.
    ///
    /// Only the PIN slot and the header MAC change: the master key stays, so the encrypted
    /// contents and the biometric slot are kept byte for byte. Unsaved changes to the contents are not written. The
    /// backup's header is rewrapped too, so the old PIN opens neither file afterwards.
    ///
    /// # Errors
    /// [`VaultError::InvalidKdfProfile`], [`VaultError::Kdf`] or [`VaultError::Io`].
    pub fn change_pin(&mut self, new_pin: &Pin, profile: KdfProfile) -> Result<(), VaultError> {
        profile.validate()?;
        let slot = pin_slot(&self.key, &self.header.vault_id, new_pin, profile)?;
        self.header.set_pin_slot(slot);
        let raw = self.header.to_raw()?;
        let file = VaultFile {
            format: format::FORMAT.to_owned(),
            version: format::VERSION,
            header_mac: self.key.header_mac(raw.get()),
            header: raw,
            lockout: LockoutState::default(),
            biometric: self.file.biometric.clone(),
            nonce: self.file.nonce,
            ciphertext: self.file.ciphertext.clone(),
        };
        open::write(&self.path, &file, self.previous(Previous::Discard))?;
        self.file = file;
        self.from_backup = None;
        tracing::info!(path = %self.path.display(), "vault PIN changed");
        self.rewrap_backup()
    }

    /// Why the main file could not be used, if this vault was opened from its backup.
    pub fn opened_from_backup(&self) -> Option<&CorruptVault> {
        self.from_backup.as_ref()
    }

    /// The vault file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The e-mail address the vault was created for (authenticated by the header MAC).
    pub fn email(&self) -> &str {
        &self.header.email
    }

    /// What to do with the current main file on the next write.
    fn previous(&self, normal: Previous) -> Previous {
        match self.from_backup {
            Some(_) => Previous::MoveAside(storage::corrupt_path(&self.path, self.opened_at)),
            None => normal,
        }
    }

    /// Gives the backup the current header, so that it opens with the new PIN only. A backup
    /// that cannot be parsed or belongs to another vault is left alone.
    fn rewrap_backup(&self) -> Result<(), VaultError> {
        let backup = storage::backup_path(&self.path);
        let Ok(mut loaded) = open::load(&backup) else {
            return Ok(());
        };
        if loaded.header.vault_id != self.header.vault_id {
            tracing::warn!(path = %backup.display(), "backup belongs to another vault; left alone");
            return Ok(());
        }
        loaded.file.header = self.file.header.clone();
        loaded.file.header_mac = self.file.header_mac;
        open::write(&backup, &loaded.file, Previous::Discard)
    }
}

impl<T> Vault<T> {
    /// Deletes the vault at `path` with its backup, temporary and set-aside files: the "reset
    /// the app" path for a forgotten PIN, which cannot be recovered.
    ///
    /// # Errors
    /// [`VaultError::Io`] if a file exists but cannot be removed.
    pub fn destroy(path: &Path) -> Result<(), VaultError> {
        let backup = storage::backup_path(path);
        for file in [
            path.to_owned(),
            storage::sibling(path, ".tmp"),
            storage::sibling(&backup, ".tmp"),
            backup,
        ] {
            storage::remove_if_present(&file)?;
        }
        for aside in storage::corrupt_files(path)? {
            storage::remove_if_present(&aside)?;
        }
        tracing::info!(path = %path.display(), "vault destroyed");
        Ok(())
    }

    /// Fails with [`VaultError::AlreadyExists`] if a vault or its backup is at `path`: an old
    /// vault is never overwritten.
    pub fn ensure_absent(path: &Path) -> Result<(), VaultError> {
        for existing in [path.to_owned(), storage::backup_path(path)] {
            if existing.exists() {
                return Err(VaultError::AlreadyExists { path: existing });
            }
        }
        Ok(())
    }
}

impl<T> fmt::Debug for Vault<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("opened_from_backup", &self.from_backup)
            .finish_non_exhaustive()
    }
}

/// A new PIN slot wrapping `key`.
fn pin_slot(
    key: &MasterKey,
    vault_id: &[u8; format::VAULT_ID_LEN],
    pin: &Pin,
    profile: KdfProfile,
) -> Result<PinSlot, VaultError> {
    let kdf = KdfSpec {
        alg: KdfAlg::Argon2id,
        profile,
        salt: crypto::random(),
    };
    let kek = Kek::derive(pin, profile, &kdf.salt)?;
    let (nonce, wrapped_key) = key.wrap(&kek, vault_id, &kdf)?;
    Ok(PinSlot {
        kind: PinKind::Pin,
        kdf,
        nonce,
        wrapped_key,
    })
}

/// Counts the bytes written, to size the plaintext buffer before the real serialization.
struct ByteCount(usize);

impl Write for ByteCount {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Serializes `contents` into a zeroizing buffer allocated once at its final size plus the tag,
/// so that no reallocation leaves a copy of the plaintext behind in freed memory.
fn to_plaintext<T: Serialize>(contents: &T) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let mut count = ByteCount(0);
    serde_json::to_writer(&mut count, contents).map_err(|_| VaultError::Serialize)?;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(count.0 + crypto::TAG_LEN));
    serde_json::to_writer(&mut *plaintext, contents).map_err(|_| VaultError::Serialize)?;
    Ok(plaintext)
}
