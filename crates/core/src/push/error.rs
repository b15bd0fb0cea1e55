//! Errors of push, whichever protocol is behind it, and their stable codes.

use zweifaktor_protocol::envelope::EnvelopeError;
use zweifaktor_protocol::messages::MessageError;

/// Why talking to a push server or answering one of its challenges failed.
///
/// Every variant has a stable [`code`](Self::code): the app's `CommandError` and the headless
/// device's `--json` output both use it, so scripts and the UI branch on one vocabulary. A
/// second protocol reuses these variants; its own causes go in `#[source]`.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The server could not be reached or the connection broke.
    #[error("portal not reachable")]
    Network(#[source] reqwest::Error),
    /// The server refused the request (enroll token used or expired, device token revoked, …).
    #[error("portal refused the request with HTTP {status}")]
    Refused {
        /// The HTTP status code.
        status: u16,
    },
    /// The portal did not accept the enroll token: it was used already, has expired, or the
    /// account's second factor was reset since. The user needs a new set-up link.
    #[error("the portal refused the enroll token (used, expired or voided)")]
    EnrollTokenRefused,
    /// The server's answer is not what its protocol describes.
    #[error("portal answer is malformed")]
    Malformed,
    /// The server sent more than the protocol allows in one piece: an event or a response
    /// body over `limit` bytes. Reading stopped at the limit and the connection was dropped.
    #[error("portal sent more than {limit} bytes in one event or response")]
    TooLarge {
        /// The bound that was exceeded, in bytes.
        limit: usize,
    },
    /// A challenge's signature does not verify with the pinned Zweifaktor portal key: it is
    /// not shown.
    #[error("challenge signature invalid: not from the enrolled portal")]
    BadSignature(#[source] EnvelopeError),
    /// A challenge's signature does not verify with the pinned key of another protocol's
    /// server (privacyIDEA's RSA key): it is not shown.
    #[error("challenge signature invalid: not from the enrolled server")]
    ForgedChallenge,
    /// A challenge is expired or dated in the future: not shown.
    #[error("challenge is not fresh")]
    Stale(#[from] MessageError),
    /// A challenge names another account than the one enrolled with this portal.
    #[error("challenge is for another account")]
    WrongAccount,
    /// The URI carries no `zf_` parameters, so there is no portal to register with.
    #[error("the URI names no Zweifaktor portal (zf_url, zf_enroll, zf_key)")]
    NoPortal,
    /// The account is not bound to a push server.
    #[error("account {account:?} is not enrolled for push")]
    NotBound {
        /// Label of the account.
        account: String,
    },
    /// Signing an answer failed.
    #[error("answer could not be signed")]
    Sign(#[source] EnvelopeError),
    /// Fetching or answering asked for, but no account in the vault receives push challenges.
    #[error("no account is connected to a portal")]
    NoPushAccount,
    /// "Akzeptieren" found no login waiting.
    #[error("no login is waiting")]
    NoChallenge,
    /// An answer named a challenge that is not open (answered, expired long ago, never sent,
    /// or refused because it could not be verified).
    #[error("no open challenge with id {id}")]
    UnknownChallenge {
        /// The id given.
        id: String,
    },
    /// The challenge expired before the answer was signed.
    #[error("challenge {id} has expired")]
    Expired {
        /// The challenge's id.
        id: String,
    },
    /// The answer picked a number the challenge did not offer.
    #[error("the number {number} was not offered")]
    NumberNotOffered {
        /// The number given.
        number: String,
    },
    /// The answer does not fit what the challenge asks: a number for a yes/no question, a
    /// plain "accept" where a number must be picked, "seen" for a challenge without a code.
    #[error("this answer does not fit the challenge")]
    AnswerNotOffered,
}

impl PushError {
    /// The stable code of this error, for the app's UI and the device's `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Network(_) => "portal_unreachable",
            Self::Refused { .. } => "portal_refused",
            Self::EnrollTokenRefused => "enroll_refused",
            Self::Malformed => "portal_malformed",
            Self::TooLarge { .. } => "portal_answer_too_large",
            Self::BadSignature(_) | Self::ForgedChallenge => "bad_signature",
            Self::Stale(_) => "challenge_stale",
            Self::WrongAccount => "wrong_account",
            Self::NoPortal => "no_portal",
            Self::NotBound { .. } => "not_enrolled",
            Self::Sign(_) => "sign_failed",
            Self::NoPushAccount => "no_portal",
            Self::NoChallenge => "no_challenge",
            Self::UnknownChallenge { .. } => "unknown_challenge",
            Self::Expired { .. } => "challenge_expired",
            Self::NumberNotOffered { .. } => "number_not_offered",
            Self::AnswerNotOffered => "answer_not_offered",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 12): the app and the device each had their own names for the same
    /// failures. These are the codes the UI translates (ui/js/i18n.js) and scripts match.
    #[test]
    fn each_failure_has_the_one_code_both_shells_use() {
        let table = [
            (PushError::Refused { status: 401 }, "portal_refused"),
            (PushError::EnrollTokenRefused, "enroll_refused"),
            (PushError::Malformed, "portal_malformed"),
            (PushError::TooLarge { limit: 1 }, "portal_answer_too_large"),
            (PushError::ForgedChallenge, "bad_signature"),
            (PushError::WrongAccount, "wrong_account"),
            (PushError::NoPortal, "no_portal"),
            (PushError::NoPushAccount, "no_portal"),
            (
                PushError::NotBound {
                    account: "a".into(),
                },
                "not_enrolled",
            ),
            (PushError::NoChallenge, "no_challenge"),
            (
                PushError::UnknownChallenge { id: "x".into() },
                "unknown_challenge",
            ),
            (PushError::Expired { id: "x".into() }, "challenge_expired"),
            (
                PushError::NumberNotOffered { number: "7".into() },
                "number_not_offered",
            ),
            (PushError::AnswerNotOffered, "answer_not_offered"),
        ];
        for (error, code) in table {
            assert_eq!(error.code(), code, "{error:?}");
        }
    }
}
