//! Errors of the push client.

use zweifaktor_protocol::envelope::EnvelopeError;
use zweifaktor_protocol::messages::MessageError;

/// Why talking to the portal failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The portal could not be reached or the connection broke.
    #[error("portal not reachable: {0}")]
    Network(#[source] reqwest::Error),
    /// The portal refused the request (enroll token used or expired, device token revoked, …).
    #[error("portal refused the request with HTTP {status}")]
    Refused {
        /// The HTTP status code.
        status: u16,
    },
    /// The portal did not accept the enroll token: it was used already, has expired, or the
    /// account's second factor was reset since. The user needs a new set-up link.
    #[error("the portal refused the enroll token (used, expired or voided)")]
    EnrollTokenRefused,
    /// The portal's answer is not what protocol v1 describes.
    #[error("portal answer is malformed")]
    Malformed,
    /// The portal sent more than protocol v1 allows in one piece: an event or a response body
    /// over `limit` bytes. Reading stopped at the limit and the connection was dropped.
    #[error("portal sent more than {limit} bytes in one event or response")]
    TooLarge {
        /// The bound that was exceeded, in bytes.
        limit: usize,
    },
    /// A challenge's signature does not verify with the pinned portal key: it is not shown.
    #[error("challenge signature invalid: not from the enrolled portal")]
    BadSignature(#[source] EnvelopeError),
    /// A challenge is expired or dated in the future.
    #[error("challenge is not fresh: {0}")]
    Stale(#[from] MessageError),
    /// A challenge names another account than the one enrolled with this portal.
    #[error("challenge is for another account")]
    WrongAccount,
    /// The URI carries no `zf_` parameters, so there is no portal to register with.
    #[error("the URI names no Zweifaktor portal (zf_url, zf_enroll, zf_key)")]
    NoPortal,
    /// The account is not bound to a portal.
    #[error("account {account:?} is not enrolled with a portal")]
    NotBound {
        /// Label of the account.
        account: String,
    },
    /// Signing an answer failed.
    #[error("answer could not be signed")]
    Sign(#[source] EnvelopeError),
}
