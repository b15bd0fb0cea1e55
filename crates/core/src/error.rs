//! The core's error type: every failure a caller can act on has its own variant.

use crate::pin::PinError;
use crate::vault::VaultError;
use zweifaktor_protocol::otp::OtpError;
use zweifaktor_protocol::otp::ocra::OcraError;
use zweifaktor_protocol::uri::UriError;

/// Errors of the authenticator core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The vault could not be created, opened or saved (wrong PIN and lock-out included).
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// A new PIN breaks the PIN rules.
    #[error(transparent)]
    Pin(#[from] PinError),
    /// The `otpauth://` URI is malformed.
    #[error(transparent)]
    Uri(#[from] UriError),
    /// HOTP/TOTP parameters are unusable.
    #[error(transparent)]
    Otp(#[from] OtpError),
    /// OCRA suite or input is unusable.
    #[error(transparent)]
    Ocra(#[from] OcraError),
    /// Talking to the portal failed, or a challenge did not verify.
    #[error(transparent)]
    Push(#[from] crate::push::PushError),
    /// No account matches the name or id.
    #[error("no account matches {query:?}")]
    UnknownAccount {
        /// What the user asked for.
        query: String,
    },
    /// Several accounts match; the user must name one by its full label.
    #[error("{query:?} matches several accounts: {}", candidates.join(", "))]
    AmbiguousAccount {
        /// What the user asked for (empty when nothing was named).
        query: String,
        /// Labels of the matching accounts.
        candidates: Vec<String>,
    },
    /// The vault holds no account yet.
    #[error("the vault holds no account yet")]
    NoAccounts,
    /// An account with this label exists already.
    #[error("an account named {label:?} exists already")]
    DuplicateAccount {
        /// The label in question.
        label: String,
    },
    /// A TOTP code was asked of a counter-based account.
    #[error("account {account:?} is counter-based (HOTP), not time-based")]
    NotTimeBased {
        /// Label of the account.
        account: String,
    },
    /// A HOTP code was asked of a time-based account.
    #[error("account {account:?} is time-based (TOTP), not counter-based")]
    NotCounterBased {
        /// Label of the account.
        account: String,
    },
    /// The HOTP counter reached its maximum; the account must be enrolled again.
    #[error("the counter of account {account:?} is exhausted")]
    CounterExhausted {
        /// Label of the account.
        account: String,
    },
    /// A new account name is empty.
    #[error("an account name must not be empty")]
    EmptyName,
}
