//! The vault's error type and the reasons a vault file counts as corrupt.

use std::io;
use std::path::PathBuf;

use super::biometric::{CipherError, PinRequiredReason};
use super::kdf::KdfProfile;

/// Everything that can go wrong when creating, opening or writing a vault.
///
/// The UI branches on the variant: a wrong PIN, a lock-out, a broken file and a broken disk are
/// different messages. No variant carries a secret or text that could quote one.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// Neither the vault file nor its backup exists: the app has not been set up yet.
    #[error("no vault at {}", path.display())]
    NotFound {
        /// The vault file that was looked for.
        path: PathBuf,
    },
    /// `create` found an existing vault (or its backup) and refused to overwrite it.
    #[error("a vault already exists at {}", path.display())]
    AlreadyExists {
        /// The file that already exists.
        path: PathBuf,
    },
    /// The PIN did not unwrap the key slot. The try was counted.
    #[error("wrong PIN")]
    WrongPin {
        /// How many more wrong PINs are allowed before each try has to wait.
        tries_left_before_wait: u32,
        /// When the next try is allowed (unix seconds), if it has to wait.
        wait_until: Option<u64>,
    },
    /// Too many wrong PINs: the PIN was not checked and the try was not counted.
    #[error("too many wrong PINs; try again at unix time {until}")]
    Locked {
        /// When the next try is allowed (unix seconds).
        until: u64,
    },
    /// The vault file (and its backup, if any) cannot be read as a vault.
    #[error("vault file {} is corrupt: {reason}", path.display())]
    Corrupt {
        /// The file that is corrupt.
        path: PathBuf,
        /// What is wrong with it.
        reason: CorruptReason,
    },
    /// The file was written by a newer app version with a format this one does not know. The
    /// backup is not tried, since the file is probably fine.
    #[error("vault file {} has format version {found}, which this app cannot read", path.display())]
    UnsupportedVersion {
        /// The file with the unknown version.
        path: PathBuf,
        /// The version found in the file.
        found: u64,
    },
    /// Reading or writing a file failed.
    #[error("cannot access {}", path.display())]
    Io {
        /// The file or folder the operation was on.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The contents could not be serialized to JSON. No source is kept because serde's message
    /// may quote the (secret) contents.
    #[error("the vault contents cannot be serialized")]
    Serialize,
    /// The contents decrypted but do not have the expected shape (the app's contents type
    /// changed incompatibly). Only the position is kept, since serde's message may quote values.
    #[error("the vault contents do not match the expected type (line {line}, column {column})")]
    ContentsMismatch {
        /// Line in the decrypted JSON where parsing stopped.
        line: usize,
        /// Column in the decrypted JSON where parsing stopped.
        column: usize,
    },
    /// A [`KdfProfile`] given to `create` or `change_pin` is outside the accepted range.
    #[error("key derivation parameters out of range: {profile:?}")]
    InvalidKdfProfile {
        /// The refused parameters.
        profile: KdfProfile,
    },
    /// Argon2 failed while deriving the key (for example, it could not allocate its memory).
    #[error("key derivation failed")]
    Kdf(#[source] argon2::Error),
    /// The contents are too large to save: the file would exceed [`super::MAX_FILE_BYTES`]
    /// (which opening refuses), or the cipher's length limit. Nothing was written.
    #[error("the vault contents are too large to save")]
    TooLarge,
    /// Unlocking by fingerprint was asked of a vault without a biometric slot.
    #[error("the vault has no biometric slot")]
    NoBiometricSlot,
    /// The fingerprint cannot stand in for the PIN now; the prompt was not shown.
    #[error("the PIN is required")]
    PinRequired {
        /// Why the PIN is needed.
        #[source]
        reason: PinRequiredReason,
    },
    /// The platform's biometric cipher did not seal or open the key. With
    /// [`CipherError::KeyInvalidated`] the slot has been removed (also when the platform's
    /// answer did not match the slot), and only the PIN opens the vault.
    #[error("biometric unlock did not succeed")]
    Biometric(#[source] CipherError),
}

/// Why a vault file could not be used. It says what kind of damage, never any content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CorruptReason {
    /// The file does not exist (reported when the backup had to stand in for a missing file).
    #[error("the file is missing")]
    Missing,
    /// The operating system could not read the file.
    #[error("the file cannot be read ({kind})")]
    Unreadable {
        /// The kind of read error.
        kind: io::ErrorKind,
    },
    /// The file ends early, as a torn write would leave it.
    #[error("the file is truncated")]
    Truncated,
    /// The file is not JSON in the vault's layout, or a field has a bad value.
    #[error("the file is malformed at line {line}, column {column}")]
    Malformed {
        /// Line where parsing stopped.
        line: usize,
        /// Column where parsing stopped.
        column: usize,
    },
    /// The file is JSON but its `format` field does not name a Zweifaktor vault.
    #[error("the file is not a Zweifaktor vault")]
    UnknownFormat,
    /// The header has no PIN slot, so there is no way to unlock it.
    #[error("the header has no PIN slot")]
    NoPinSlot,
    /// The PIN slot's Argon2 parameters ask for more than this app ever writes (see
    /// [`super::kdf`]): a tampered file, refused before Argon2 runs and before the lock-out
    /// counts a try, because running them could exhaust memory or take minutes.
    #[error("the key derivation parameters are out of range")]
    KdfParamsOutOfRange,
    /// The file is larger than [`super::MAX_FILE_BYTES`], which no vault this app writes can
    /// reach; it is not read beyond that bound.
    #[error("the file is too large for a vault")]
    TooLarge,
    /// The header's MAC does not match: a header field was changed after writing.
    #[error("the header authentication failed")]
    HeaderMac,
    /// The encrypted contents failed authentication: a byte was changed or lost.
    #[error("the encrypted contents failed authentication")]
    Contents,
}

/// A vault file that could not be read, reported when the backup was opened instead. The file
/// itself is kept: the next save moves it aside rather than overwriting it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("vault file {} could not be read: {reason}", path.display())]
pub struct CorruptVault {
    /// The file that could not be read.
    pub path: PathBuf,
    /// Why it could not be read.
    pub reason: CorruptReason,
}

impl VaultError {
    /// Wraps an I/O error with the path it happened on.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }

    /// A corrupt-file error for `path`.
    pub(crate) fn corrupt(path: impl Into<PathBuf>, reason: CorruptReason) -> Self {
        Self::Corrupt {
            path: path.into(),
            reason,
        }
    }
}
