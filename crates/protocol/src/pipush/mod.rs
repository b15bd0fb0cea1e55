//! privacyIDEA push tokens, as the privacyIDEA server (`privacyidea/lib/tokens/pushtoken.py`,
//! `privacyidea/api/ttype.py`) and its own app (pi-authenticator, `lib/model/push_request/`,
//! `lib/utils/push_provider.dart`, `token_notifier.dart`) speak them.
//!
//! Everything here is pure: the link, the strings each side signs, the RSA keys and
//! signatures, and the JSON answers of `/ttype/push`. The HTTP calls and the vault live in the
//! core.
//!
//! # The protocol in brief
//! 1. The QR code carries [`PiPushLink`]: `otpauth://pipush/LABEL?url=…&ttl=…&issuer=…
//!    &enrollment_credential=…&v=1&serial=…&sslverify=…&poll_only=True` (or `pia://pipush/…`).
//! 2. The phone makes an RSA key pair ([`DeviceKey`]) and `POST`s `enrollment_credential`,
//!    `serial`, `fbtoken` and `pubkey` (its public key, base64 `SubjectPublicKeyInfo`) to
//!    `url`. The answer's `detail.public_key` is the server's RSA key ([`ServerKey`]), pinned
//!    from then on.
//! 3. The phone polls: `GET url?serial=…&timestamp=…&signature=…`, signed over
//!    [`poll_message`]. The answer lists the open challenges ([`PiChallenge`]), each signed by
//!    the server over [`PiChallenge::signed_message`].
//! 4. The phone answers with a `POST` of `serial`, `nonce`, `signature` and, depending on the
//!    answer, `decline=1`, `decline_reason` or `presence_answer`, signed over
//!    [`answer_message`].
//!
//! All signatures are RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2), sent base32 (RFC 4648
//! §6, with padding), as privacyIDEA's `b32encode_and_unicode` and the app's `base32Encode`
//! write them.
//!
//! # Layout
//! - [`link`]: the enrollment link.
//! - [`keys`]: the phone's RSA key and the server's pinned key.
//! - [`signed`]: the signed strings the phone makes.
//! - [`challenge`]: a challenge from the poll and its verification.
//! - [`response`]: the JSON answers of `/ttype/push`.
//! - [`error`]: what can be wrong.

pub mod challenge;
pub mod error;
pub mod keys;
pub mod link;
pub mod response;
pub mod signed;

pub use challenge::{PiChallenge, PresenceOptions, VerifiedPiChallenge};
pub use error::{PiKeyError, PiLinkError, PiResponseError, PiSignatureError};
pub use keys::{DeviceKey, DevicePrivateKey, ServerKey};
pub use link::{EnrollmentCredential, PiPushLink};
pub use response::{AnswerOutcome, enrollment_server_key, poll_challenges};
pub use signed::{DeclineReason, PiAnswer, answer_message, poll_message, poll_timestamp};

/// The `fbtoken` value the phone sends when it has no Firebase token: the same placeholder
/// the privacyIDEA app sends for poll-only tokens (`NoFirebaseUtils.NO_FIREBASE_TOKEN`).
/// The server requires the parameter to tell enrollment from the other `POST`s.
pub const NO_FIREBASE_TOKEN: &str = "no_firebase_token";

#[cfg(test)]
mod test_keys;
