//! The one error type every command returns: a stable `code` the UI branches on (and translates),
//! an English `message` for logs and tests, and the lock-out numbers the login screen shows.
//!
//! Messages are fixed texts chosen here, never the text of a library error, so no path,
//! URI or other internal detail reaches the window.

use serde::Serialize;
use zweifaktor_core::CoreError;
use zweifaktor_core::export::aegis::BackupPasswordTooWeak;
use zweifaktor_core::import::ImportError;
use zweifaktor_core::links::LinkError;
use zweifaktor_core::pin::PinError;
use zweifaktor_core::push::PushError;
use zweifaktor_core::vault::{CipherError, PinRequiredReason, VaultError};
use zweifaktor_protocol::uri::UriError;

use crate::clipboard::ClipboardError;
use crate::files::FileError;
use crate::qr::QrError;
use crate::settings::SettingsError;

/// A failed command as the UI sees it.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    code: &'static str,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tries_left: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wait_until: Option<u64>,
    /// The format of the file an import error is about, by the name users know it.
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
}

impl CommandError {
    /// An error with a stable code and a fixed message.
    pub const fn new(code: &'static str, message: &'static str) -> Self {
        Self {
            code,
            message,
            tries_left: None,
            wait_until: None,
            format: None,
        }
    }

    /// The same error, naming the format of the file it is about.
    const fn about(self, format: zweifaktor_core::import::Format) -> Self {
        Self {
            format: Some(format.display_name()),
            ..self
        }
    }

    /// The app is locked: the UI shows the login screen.
    pub const LOCKED_APP: Self = Self::new("app_locked", "the app is locked");

    /// The PIN was sent without a set-up link waiting for it.
    pub const NO_ENROLLMENT: Self =
        Self::new("no_enrollment", "no set-up link is waiting for a PIN");

    /// A picture was expected as the raw body of the request.
    pub const NOT_AN_IMAGE: Self =
        Self::new("not_an_image", "the file is not a PNG or JPEG picture");

    /// Something the desktop offers that this platform does not have yet (file dialogs on
    /// phones).
    pub const NOT_ON_THIS_DEVICE: Self = Self::new(
        "not_on_this_device",
        "this is not possible on this platform yet",
    );

    /// The push token's key could not be made (its task on the blocking pool ended early).
    pub const KEY_NOT_MADE: Self = Self::new("key_not_made", "the push token's key was not made");

    /// A confirmation came without a preview waiting for it (or after the app locked).
    pub const NOTHING_PENDING: Self =
        Self::new("nothing_pending", "nothing is waiting to be saved");

    /// The form named a hash algorithm the app does not know.
    pub const INVALID_ALGORITHM: Self = Self::new(
        "invalid_algorithm",
        "the algorithm is SHA1, SHA256 or SHA512",
    );

    /// A transfer link too long for a QR code (the core keeps each link within a QR code's
    /// capacity, so this means a bug, not a user's mistake).
    pub const QR_TOO_LARGE: Self = Self::new("qr_too_large", "the link does not fit a QR code");

    /// Fingerprint unlock asked of a platform without a biometric-bound key (iOS, macOS,
    /// desktop).
    pub const NO_BIOMETRIC_KEY: Self = Self::new(
        "biometric_unavailable",
        "unlocking by fingerprint is not available on this device",
    );

    /// The stable code the UI branches on.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<QrError> for CommandError {
    fn from(err: QrError) -> Self {
        match err {
            QrError::NotAnImage(_) => Self::NOT_AN_IMAGE,
            QrError::NoCode => Self::new("no_qr_code", "no QR code found in the picture"),
            QrError::File(file) => file.into(),
        }
    }
}

impl From<ImportError> for CommandError {
    fn from(err: ImportError) -> Self {
        match err {
            ImportError::TooLarge { .. } => Self::new("file_too_large", "the file is too large"),
            ImportError::UnknownFormat => Self::new(
                "unknown_format",
                "the file is in no format Zweifaktor can import",
            ),
            ImportError::PasswordRequired { format } => {
                Self::new("password_required", "the file is encrypted").about(format)
            }
            ImportError::EncryptionNotSupported { format } => Self::new(
                "encryption_not_supported",
                "this app's encrypted exports cannot be read; export without encryption",
            )
            .about(format),
            ImportError::WrongPassword { format } => {
                Self::new("wrong_password", "wrong password for the file").about(format)
            }
            ImportError::KdfTooCostly { format, .. } => Self::new(
                "import_too_costly",
                "the file asks for key derivation beyond sane bounds",
            )
            .about(format),
            ImportError::Malformed { format, .. } => {
                Self::new("import_damaged", "the file is damaged").about(format)
            }
        }
    }
}

impl From<LinkError> for CommandError {
    fn from(err: LinkError) -> Self {
        match err {
            LinkError::TooLong { .. } => Self::new("link_too_long", "the link is too long"),
            LinkError::NotALink | LinkError::Malformed => {
                Self::new("link_invalid", "the link is incomplete or damaged")
            }
            LinkError::NotOurs => Self::new("link_not_ours", "Zweifaktor does not open such links"),
        }
    }
}

impl From<BackupPasswordTooWeak> for CommandError {
    fn from(_: BackupPasswordTooWeak) -> Self {
        Self::new("weak_password", "the backup password is too weak")
    }
}

impl From<FileError> for CommandError {
    fn from(err: FileError) -> Self {
        match err {
            FileError::TooLarge { .. } => Self::new("file_too_large", "the file is too large"),
            FileError::Read(_) => Self::new("file_unreadable", "the file could not be read"),
            FileError::Write(_) => Self::new("file_not_saved", "the file could not be saved"),
            FileError::NoDialog => Self::NOT_ON_THIS_DEVICE,
        }
    }
}

impl From<ClipboardError> for CommandError {
    fn from(err: ClipboardError) -> Self {
        match err {
            ClipboardError::Unavailable | ClipboardError::System(_) => {
                Self::new("clipboard_unavailable", "the clipboard is not available")
            }
            ClipboardError::NotACode => Self::new("not_a_code", "only codes are copied"),
        }
    }
}

impl From<SettingsError> for CommandError {
    fn from(err: SettingsError) -> Self {
        match err {
            SettingsError::InvalidAutoLock(_) => {
                Self::new("invalid_setting", "this auto-lock time is not offered")
            }
            SettingsError::Io(_) | SettingsError::Encode(_) => {
                Self::new("settings_not_saved", "the preferences could not be saved")
            }
        }
    }
}

impl From<CoreError> for CommandError {
    fn from(err: CoreError) -> Self {
        match err {
            CoreError::Vault(vault) => vault.into(),
            CoreError::Pin(pin) => pin.into(),
            CoreError::Uri(uri) => uri.into(),
            CoreError::PiLink(_) => Self::new(
                "invalid_uri",
                "this privacyIDEA push link is malformed or not supported",
            ),
            CoreError::Otp(_) | CoreError::Ocra(_) => {
                Self::new("code_failed", "no code can be computed for this account")
            }
            CoreError::Push(push) => push.into(),
            CoreError::Import(import) => import.into(),
            CoreError::Backup(_) => Self::new("file_not_saved", "the backup could not be written"),
            CoreError::UnknownAccount { .. } | CoreError::AmbiguousAccount { .. } => {
                Self::new("unknown_account", "no such account")
            }
            CoreError::NoAccounts => Self::new("no_accounts", "no account is set up"),
            CoreError::DuplicateAccount { .. } => {
                Self::new("duplicate_account", "this account is set up already")
            }
            CoreError::NotTimeBased { .. } | CoreError::NotCounterBased { .. } => Self::new(
                "wrong_account_kind",
                "this account does not show that kind of code",
            ),
            CoreError::CounterExhausted { .. } => Self::new(
                "counter_exhausted",
                "this account's counter is used up; set it up again",
            ),
            CoreError::EmptyName => Self::new("empty_name", "an account name must not be empty"),
            CoreError::ColonInIssuer => {
                Self::new("invalid_issuer", "an issuer must not contain a colon")
            }
            CoreError::EmptySecret => Self::new("empty_secret", "the secret is empty"),
            CoreError::InvalidSecret(_) => {
                Self::new("invalid_secret", "the secret is not valid base32")
            }
            CoreError::InvalidDigits { .. } => {
                Self::new("invalid_digits", "a code has 6 to 8 digits")
            }
            CoreError::InvalidPeriod { .. } => Self::new(
                "invalid_period",
                "the period must be between 1 second and an hour",
            ),
            CoreError::PositionOutOfRange { .. } => {
                Self::new("invalid_position", "no such position in the list")
            }
        }
    }
}

impl From<VaultError> for CommandError {
    fn from(err: VaultError) -> Self {
        match err {
            VaultError::WrongPin {
                tries_left_before_wait,
                wait_until,
            } => Self {
                tries_left: Some(tries_left_before_wait),
                wait_until,
                ..Self::new("wrong_pin", "wrong PIN")
            },
            VaultError::Locked { until } => Self {
                wait_until: Some(until),
                ..Self::new("locked", "too many wrong PINs; wait before the next try")
            },
            VaultError::NotFound { .. } => Self::new("vault_not_found", "the app is not set up"),
            VaultError::AlreadyExists { .. } => {
                Self::new("vault_exists", "the app is set up already")
            }
            VaultError::Corrupt { .. } | VaultError::ContentsMismatch { .. } => {
                Self::new("vault_corrupt", "the app's data is damaged")
            }
            VaultError::UnsupportedVersion { .. } => Self::new(
                "vault_unsupported_version",
                "the app's data was written by a newer version",
            ),
            VaultError::Io { .. }
            | VaultError::Serialize
            | VaultError::InvalidKdfProfile { .. }
            | VaultError::Kdf(_)
            | VaultError::TooLarge => {
                Self::new("storage", "the app's data could not be read or written")
            }
            VaultError::NoBiometricSlot => Self::new(
                "biometric_off",
                "unlocking by fingerprint is not switched on",
            ),
            VaultError::PinRequired { reason } => reason.into(),
            VaultError::Biometric(outcome) => outcome.into(),
        }
    }
}

impl From<PinRequiredReason> for CommandError {
    fn from(reason: PinRequiredReason) -> Self {
        match reason {
            PinRequiredReason::Expired | PinRequiredReason::ClockSetBack => Self::new(
                "pin_due",
                "enter the PIN: it was last entered more than 72 hours ago",
            ),
            PinRequiredReason::Restarted => Self::new(
                "pin_after_restart",
                "enter the PIN: the device was restarted",
            ),
            PinRequiredReason::NotOpenedByPin => Self::new(
                "pin_session_required",
                "log in with the PIN to switch on unlocking by fingerprint",
            ),
        }
    }
}

impl From<CipherError> for CommandError {
    fn from(outcome: CipherError) -> Self {
        match outcome {
            CipherError::Cancelled => {
                Self::new("biometric_cancelled", "the fingerprint prompt was closed")
            }
            CipherError::Failed => {
                Self::new("biometric_failed", "the fingerprint was not recognised")
            }
            CipherError::KeyInvalidated => Self::new(
                "biometric_key_invalidated",
                "the fingerprints on this device changed; unlocking by fingerprint was switched off",
            ),
            CipherError::NotAvailable => Self::NO_BIOMETRIC_KEY,
        }
    }
}

/// The code is the core's ([`PushError::code`]), shared with the headless device; the
/// message is a fixed English text for logs and tests.
impl From<PushError> for CommandError {
    fn from(err: PushError) -> Self {
        let message = match &err {
            PushError::Network(_) => "the portal cannot be reached",
            PushError::Refused { .. } => "the portal refused the request",
            PushError::EnrollTokenRefused => "the set-up link was used already or has expired",
            PushError::Malformed | PushError::TooLarge { .. } => {
                "the portal's answer could not be read"
            }
            PushError::BadSignature(_)
            | PushError::ForgedChallenge
            | PushError::Stale(_)
            | PushError::WrongAccount => "the login request could not be verified",
            PushError::Sign(_) => "the answer could not be signed",
            PushError::NoPortal | PushError::NotBound { .. } | PushError::NoPushAccount => {
                "no account is connected to a portal"
            }
            PushError::NoChallenge => "no login is waiting",
            PushError::UnknownChallenge { .. } => "this login is no longer waiting",
            PushError::Expired { .. } => "this login has expired",
            PushError::NumberNotOffered { .. } => "this number was not offered",
            PushError::AnswerNotOffered => "this answer does not fit the login request",
            PushError::AnswerNotRecorded => "the server did not accept the answer",
            PushError::InsecureTls { .. } => {
                "the link turns off TLS verification for a server on the network"
            }
            PushError::PushKey(_) => "the push token's key could not be used",
            PushError::DuplicateToken { .. } => "this push token is set up already",
        };
        Self::new(err.code(), message)
    }
}

impl From<PinError> for CommandError {
    fn from(err: PinError) -> Self {
        match err {
            PinError::WrongLength | PinError::NotDigits => {
                Self::new("invalid_pin", "the PIN must be exactly six digits")
            }
            PinError::Trivial => Self::new("invalid_pin", "the PIN is too easy to guess"),
        }
    }
}

impl From<UriError> for CommandError {
    fn from(_: UriError) -> Self {
        Self::new("invalid_uri", "this is not a valid otpauth:// set-up link")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 12): the app and the device named push failures differently; both
    /// now take the core's code.
    #[test]
    fn portal_failures_get_the_cores_codes() {
        assert_eq!(
            CommandError::from(PushError::Malformed).code(),
            "portal_malformed"
        );
        assert_eq!(
            CommandError::from(PushError::WrongAccount).code(),
            "wrong_account"
        );
        assert_eq!(CommandError::from(PushError::NoPortal).code(), "no_portal");
        assert_eq!(
            CommandError::from(PushError::EnrollTokenRefused).code(),
            "enroll_refused"
        );
        assert_eq!(
            CommandError::from(CoreError::Push(PushError::NoPortal)).code(),
            "no_portal"
        );
    }

    /// Regression (issue 9, finding 12): a vault with hostile KDF parameters or an oversized
    /// file is shown as damaged data, never as a wrong PIN.
    #[test]
    fn hostile_vault_is_shown_as_damaged() {
        use zweifaktor_core::vault::CorruptReason;
        for reason in [CorruptReason::KdfParamsOutOfRange, CorruptReason::TooLarge] {
            let err = CommandError::from(VaultError::Corrupt {
                path: "vault.json".into(),
                reason,
            });
            assert_eq!(err.code(), "vault_corrupt", "{reason:?}");
        }
    }

    #[test]
    fn wrong_pin_carries_the_tries_and_the_wait_to_the_ui() {
        let err = CommandError::from(VaultError::WrongPin {
            tries_left_before_wait: 0,
            wait_until: Some(1_700_000_030),
        });
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "wrong_pin", "message": "wrong PIN", "triesLeft": 0, "waitUntil": 1_700_000_030u64})
        );
    }

    #[test]
    fn errors_without_numbers_serialize_code_and_message_only() {
        let json = serde_json::to_value(CommandError::from(PinError::Trivial)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid_pin", "message": "the PIN is too easy to guess"})
        );
    }
}
