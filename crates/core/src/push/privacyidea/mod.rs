//! privacyIDEA push tokens behind the push interface: enrollment from the `pipush` link, the
//! vault entry, the signed poll and the signed answers. The wire format (link, signed
//! strings, RSA, JSON) is in [`zweifaktor_protocol::pipush`]; `docs/PRIVACYIDEA.md`
//! describes what is verified when.
//!
//! # Layout
//! - [`enroll`](self::register): [`PiEnrollment`] and [`register`], the rollout's second step.
//! - `token`: [`PiPushToken`], the vault entry, and its [`PushTokenSummary`].
//! - `tls`: the rule for `sslverify=0` ([`tls_mode`]).
//! - `http`: the calls to `/ttype/push`, bounded in size and time.
//! - `source`: each token as a [`PushSource`](super::PushSource).
//! - `test_server`: a fake `/ttype/push` for tests (feature `test-pi-server`).

mod enroll;
mod http;
mod source;
#[cfg(any(test, feature = "test-pi-server"))]
pub mod test_server;
#[cfg(test)]
mod tests;
mod tls;
mod token;

pub(crate) use enroll::preview;
pub use enroll::{PiEnrollment, PiPreview, PiRegistered, register};
pub use source::CHALLENGE_LIFETIME_SECS;
pub(crate) use source::sources;
pub use tls::{TlsMode, TlsWarning, tls_mode, tls_warning};
pub use token::{PiPushToken, PushTokenSummary, TOKEN_KIND};

/// The protocol name in [`ChallengeInfo::protocol`](super::ChallengeInfo::protocol).
pub const PRIVACYIDEA: &str = "privacyidea";
