//! Errors of the headless device and the exit codes scripts branch on.

use serde_json::json;
use std::path::PathBuf;

use zweifaktor_core::CoreError;
use zweifaktor_core::import::ImportError;
use zweifaktor_core::pin::PinError;
use zweifaktor_core::push::PushError;
use zweifaktor_core::vault::VaultError;

/// Command-line usage error (clap uses the same code).
pub const USAGE: u8 = 2;
/// Any failure without a more specific code.
pub const OTHER: u8 = 1;
/// Wrong PIN, the vault is locked after too many wrong PINs, or a wrong password for a file
/// to import.
pub const WRONG_PIN: u8 = 3;
/// The vault file is missing, corrupt, of an unknown version or cannot be read; or a file to
/// import is missing, damaged, too large, in no known format or asks for hostile key
/// derivation.
pub const VAULT_UNREADABLE: u8 = 4;

/// Everything that can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The core refused (wrong PIN, corrupt vault, unknown account, bad URI, …).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A PIN does not follow the PIN rules.
    #[error(transparent)]
    Pin(#[from] PinError),
    /// No PIN was given: neither the variable is set nor a line could be read.
    #[error("no PIN given: set {var} or write it as one line to standard input")]
    PinInput {
        /// The variable that was not set.
        var: String,
        /// Why standard input could not be read, if it failed rather than ended.
        #[source]
        source: Option<std::io::Error>,
    },
    /// `add` was given a set-up link on the command line, where `ps` and the shell history
    /// show its secret. The link is not echoed here either.
    #[error(
        "a set-up link holds a secret that ps and the shell history would show: run `add -` and write the link to standard input (after the PIN line unless ZF_PIN is set)"
    )]
    LinkOnCommandLine,
    /// `add -` found no link: standard input ended before it (or could not be read).
    #[error(
        "no set-up link given: write it as one line to standard input, after the PIN line unless ZF_PIN is set"
    )]
    LinkInput {
        /// Why standard input could not be read, if it failed rather than ended.
        #[source]
        source: Option<std::io::Error>,
    },
    /// `add-manual` found no secret: standard input ended before it (or could not be read).
    #[error(
        "no secret given: write it as one line to standard input, after the PIN line unless ZF_PIN is set"
    )]
    SecretInput {
        /// Why standard input could not be read, if it failed rather than ended.
        #[source]
        source: Option<std::io::Error>,
    },
    /// An `add-manual` option that the chosen `--type` does not have (`--counter` is HOTP's,
    /// `--period` TOTP's, and Steam's parameters are fixed).
    #[error("{option} does not apply to --type {otp_type}")]
    OptionForOtherType {
        /// The option given.
        option: &'static str,
        /// The type chosen.
        otp_type: &'static str,
    },
    /// The OCRA suite string is malformed.
    #[error(transparent)]
    Suite(#[from] zweifaktor_protocol::otp::ocra::OcraSuiteError),
    /// The async runtime for the portal commands could not start.
    #[error("could not start the network runtime")]
    Runtime(#[source] std::io::Error),
    /// The portal no longer knows this device (removed on the dashboard or 2FA reset).
    #[error("the portal of {account} no longer knows this device: enroll again")]
    Revoked {
        /// Label of the account.
        account: String,
    },
    /// No password for an encrypted file: neither the variable is set nor a line could be
    /// read.
    #[error("no password given: set {var} or write it as the line after the PIN")]
    PasswordInput {
        /// The variable that was not set.
        var: String,
        /// Why standard input could not be read, if it failed rather than ended.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The backup password breaks the strength rule; the fields say why.
    #[error(transparent)]
    WeakPassword(#[from] zweifaktor_core::export::aegis::BackupPasswordTooWeak),
    /// The file to import could not be read.
    #[error("cannot read {}", path.display())]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The export file could not be written (it exists already, or the folder is missing).
    #[error("cannot write {}", path.display())]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// No vault path was given and the platform has no user data folder.
    #[error("no data folder for the vault on this system: pass --vault FILE")]
    NoDataDir,
}

impl From<VaultError> for DeviceError {
    fn from(err: VaultError) -> Self {
        Self::Core(CoreError::Vault(err))
    }
}

impl DeviceError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Core(CoreError::Vault(vault)) => match vault {
                VaultError::WrongPin { .. } | VaultError::Locked { .. } => WRONG_PIN,
                VaultError::NotFound { .. }
                | VaultError::Corrupt { .. }
                | VaultError::UnsupportedVersion { .. }
                | VaultError::Io { .. } => VAULT_UNREADABLE,
                _ => OTHER,
            },
            Self::Core(CoreError::Import(import)) => match import {
                ImportError::WrongPassword { .. } => WRONG_PIN,
                ImportError::PasswordRequired { .. } => USAGE,
                ImportError::TooLarge { .. }
                | ImportError::UnknownFormat
                | ImportError::KdfTooCostly { .. }
                | ImportError::Malformed { .. } => VAULT_UNREADABLE,
                ImportError::EncryptionNotSupported { .. } => OTHER,
            },
            Self::ReadFile { .. } => VAULT_UNREADABLE,
            // An answer the challenge does not offer is the caller's input error.
            Self::Core(CoreError::Push(
                PushError::NumberNotOffered { .. } | PushError::AnswerNotOffered,
            )) => USAGE,
            Self::PasswordInput { .. } | Self::WeakPassword(_) => USAGE,
            // A typed entry that breaks the rules is the caller's input error, like a bad PIN.
            Self::Core(
                CoreError::EmptyName
                | CoreError::ColonInIssuer
                | CoreError::EmptySecret
                | CoreError::InvalidSecret(_)
                | CoreError::InvalidDigits { .. }
                | CoreError::InvalidPeriod { .. },
            ) => USAGE,
            Self::Pin(_)
            | Self::PinInput { .. }
            | Self::LinkOnCommandLine
            | Self::LinkInput { .. }
            | Self::SecretInput { .. }
            | Self::OptionForOtherType { .. }
            | Self::Suite(_) => USAGE,
            Self::Core(_)
            | Self::NoDataDir
            | Self::WriteFile { .. }
            | Self::Runtime(_)
            | Self::Revoked { .. } => OTHER,
        }
    }

    /// A stable, machine-readable name for `--json` output.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Core(CoreError::Vault(vault)) => match vault {
                VaultError::WrongPin { .. } => "wrong_pin",
                VaultError::Locked { .. } => "locked",
                VaultError::NotFound { .. } => "vault_not_found",
                VaultError::Corrupt { .. } => "vault_corrupt",
                VaultError::UnsupportedVersion { .. } => "vault_unsupported_version",
                VaultError::AlreadyExists { .. } => "vault_exists",
                VaultError::Io { .. } => "io",
                _ => "vault",
            },
            Self::Core(CoreError::Import(import)) => match import {
                ImportError::TooLarge { .. } => "file_too_large",
                ImportError::UnknownFormat => "unknown_format",
                ImportError::PasswordRequired { .. } => "password_required",
                ImportError::EncryptionNotSupported { .. } => "encryption_not_supported",
                ImportError::WrongPassword { .. } => "wrong_file_password",
                ImportError::KdfTooCostly { .. } => "kdf_too_costly",
                ImportError::Malformed { .. } => "file_damaged",
            },
            Self::Core(CoreError::Uri(_)) => "invalid_uri",
            Self::Core(CoreError::UnknownAccount { .. }) => "unknown_account",
            Self::Core(CoreError::AmbiguousAccount { .. }) => "ambiguous_account",
            Self::Core(CoreError::NoAccounts) => "no_accounts",
            Self::Core(CoreError::DuplicateAccount { .. }) => "duplicate_account",
            Self::Core(CoreError::Ocra(_)) => "invalid_ocra_input",
            Self::Core(CoreError::EmptyName) => "empty_name",
            Self::Core(CoreError::ColonInIssuer) => "invalid_issuer",
            Self::Core(CoreError::EmptySecret) => "empty_secret",
            Self::Core(CoreError::InvalidSecret(_)) => "invalid_secret",
            Self::Core(CoreError::InvalidDigits { .. }) => "invalid_digits",
            Self::Core(CoreError::InvalidPeriod { .. }) => "invalid_period",
            Self::Core(CoreError::Push(push)) => push.code(),
            Self::Core(_) => "core",
            Self::Pin(_) => "invalid_pin",
            Self::PinInput { .. } => "no_pin",
            Self::LinkOnCommandLine => "link_on_command_line",
            Self::LinkInput { .. } => "no_link",
            Self::SecretInput { .. } => "no_secret",
            Self::OptionForOtherType { .. } => "option_for_other_type",
            Self::Suite(_) => "invalid_suite",
            Self::NoDataDir => "no_data_dir",
            Self::PasswordInput { .. } => "no_password",
            Self::WeakPassword(_) => "weak_password",
            Self::ReadFile { .. } => "file_unreadable",
            Self::WriteFile { .. } => "file_not_written",
            Self::Runtime(_) => "runtime",
            Self::Revoked { .. } => "revoked",
        }
    }

    /// Prints the error: JSON on standard output with `--json`, else text on standard error.
    pub fn print(&self, json: bool) {
        let message = error_chain(self);
        if json {
            println!(
                "{}",
                json!({ "error": { "kind": self.kind(), "message": message } })
            );
        } else {
            eprintln!("zweifaktor-device: {message}");
        }
    }
}

/// The error and its sources on one line.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
