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
    /// A privacyIDEA push link is malformed or asks for what is not supported.
    #[error(transparent)]
    PiLink(#[from] zweifaktor_protocol::pipush::PiLinkError),
    /// HOTP/TOTP parameters are unusable.
    #[error(transparent)]
    Otp(#[from] OtpError),
    /// OCRA suite or input is unusable.
    #[error(transparent)]
    Ocra(#[from] OcraError),
    /// An export file could not be read (wrong password, damaged, unknown format).
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// The encrypted backup could not be written (boxed: the writer's error can hold a
    /// [`CoreError`] itself).
    #[error(transparent)]
    Backup(Box<crate::export::aegis::AegisWriteError>),
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
    /// The account exists already: the same secret under the same label (the duplicate rule
    /// of [`Keyring::is_duplicate`](crate::accounts::Keyring::is_duplicate)).
    #[error("the account {label:?} with this secret exists already")]
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
    /// A typed issuer contains `:`, which separates issuer and name in a label.
    #[error("an issuer must not contain `:`")]
    ColonInIssuer,
    /// A new account's secret is empty: every code would be the same for everyone.
    #[error("the secret is empty")]
    EmptySecret,
    /// A typed secret is not base32.
    #[error("the secret is not valid base32")]
    InvalidSecret(#[source] zweifaktor_protocol::secret::InvalidBase32),
    /// A new account's code length is outside 6 to 8 digits (RFC 4226 §5.3).
    #[error("a code has 6 to 8 digits, not {digits}")]
    InvalidDigits {
        /// The digit count asked for.
        digits: u8,
    },
    /// A new account's TOTP period is 0 or longer than an hour
    /// ([`MAX_PERIOD_SECS`](zweifaktor_protocol::uri::MAX_PERIOD_SECS)).
    #[error("a period of {period} s is not allowed")]
    InvalidPeriod {
        /// The period asked for, in seconds.
        period: u64,
    },
    /// A move named a position past the end of the account list.
    #[error("position {index} is outside the list of {len} accounts")]
    PositionOutOfRange {
        /// The position asked for (0 is the top).
        index: usize,
        /// How many accounts there are.
        len: usize,
    },
}
