//! Protocol v1 message types exchanged between app and portal (see DESIGN.md "Protocol v1").
//!
//! Every type is plain serde data with `deny_unknown_fields`, so a message of one kind never
//! parses as another. Challenges and answers travel inside a
//! [`SignedEnvelope`](crate::envelope::SignedEnvelope); the freshness checks both sides need
//! are pure functions of a caller-supplied `now` (seconds since the Unix epoch).
//!
//! # Layout
//! - [`token`]: the secret enroll and device tokens.
//! - [`ids`]: challenge and device identifiers.
//! - [`nonce`]: the challenge nonce and the answer nonce, hex on the wire.
//! - [`device`]: device registration.
//! - [`challenge`]: the signed login challenge and its freshness check.
//! - [`answer`]: the device's answer and its timestamp check.

pub mod answer;
pub mod challenge;
pub mod device;
pub mod ids;
pub mod nonce;
pub mod token;
mod version;

use thiserror::Error;

pub use answer::{ANSWER_MAX_SKEW_SECS, ChallengeAnswer, Decision};
pub use challenge::{
    CHALLENGE_LIFETIME_SECS, CHALLENGE_MAX_SKEW_SECS, Challenge, ChallengeList, LoginContext,
};
pub use device::{DeviceRegistered, Platform, RegisterDevice};
pub use ids::{ChallengeId, DeviceId};
pub use nonce::{AnswerNonce, Nonce};
pub use token::{DeviceToken, EnrollToken};
pub use version::ProtocolV1;

/// A protocol message is well-formed but must not be acted on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MessageError {
    /// The challenge's `expires_at` has passed; the login must start over.
    #[error("challenge expired at {expires_at} (now {now})")]
    ChallengeExpired {
        /// When the challenge stopped being valid.
        expires_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// The challenge claims to be issued later than the allowed clock skew permits.
    #[error("challenge issued at {issued_at}, in the future (now {now})")]
    ChallengeFromFuture {
        /// The claimed issue time.
        issued_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// The challenge's lifetime is empty or longer than [`CHALLENGE_LIFETIME_SECS`].
    #[error("challenge lifetime from {issued_at} to {expires_at} is not allowed")]
    ChallengeLifetime {
        /// The claimed issue time.
        issued_at: u64,
        /// The claimed expiry time.
        expires_at: u64,
    },
    /// The answer's timestamp is older than [`ANSWER_MAX_SKEW_SECS`].
    #[error("answer timestamp {timestamp} is stale (now {now})")]
    AnswerStale {
        /// The answer's timestamp.
        timestamp: u64,
        /// The caller's clock.
        now: u64,
    },
    /// The answer's timestamp lies more than [`ANSWER_MAX_SKEW_SECS`] in the future.
    #[error("answer timestamp {timestamp} is in the future (now {now})")]
    AnswerFromFuture {
        /// The answer's timestamp.
        timestamp: u64,
        /// The caller's clock.
        now: u64,
    },
    /// An identifier is not in the canonical UUID text form.
    #[error("identifier is not a canonical lower-case UUID")]
    InvalidId,
}
