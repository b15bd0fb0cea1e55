//! Why a file could not be imported.

use super::Format;

/// Errors of reading an export file. None of them carries a secret or file content.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is larger than any real export.
    #[error("the file has {len} bytes; at most {max} are read")]
    TooLarge {
        /// The file's size.
        len: usize,
        /// The ceiling.
        max: usize,
    },
    /// No importer recognizes the content.
    #[error("the file is in no format Zweifaktor can import")]
    UnknownFormat,
    /// The file is encrypted and no password was given.
    #[error("the {format} file is encrypted; its password is needed")]
    PasswordRequired {
        /// The file's format.
        format: Format,
    },
    /// The file is encrypted in a way Zweifaktor does not read (Bitwarden's and Proton
    /// Authenticator's encrypted exports); an unencrypted export of the same app is read.
    #[error(
        "the {format} file is encrypted, which Zweifaktor cannot read; export it without encryption"
    )]
    EncryptionNotSupported {
        /// The file's format.
        format: Format,
    },
    /// The password does not open the file.
    #[error("wrong password for the {format} file")]
    WrongPassword {
        /// The file's format.
        format: Format,
    },
    /// The file asks for key-derivation work beyond the ceilings, as only a hostile or broken
    /// file would.
    #[error("the {format} file asks for key derivation beyond sane bounds ({what})")]
    KdfTooCostly {
        /// The file's format.
        format: Format,
        /// Which parameter is out of bounds, e.g. `scrypt N = 2^30`.
        what: String,
    },
    /// The file is damaged, truncated, or not what its format describes.
    #[error("the {format} file is damaged: {what}")]
    Malformed {
        /// The file's format.
        format: Format,
        /// What is wrong, without file content.
        what: String,
    },
}
