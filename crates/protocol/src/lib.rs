//! The wire contract between the Zweifaktor app and portal, and the one-time-password maths.
//!
//! Everything here is pure: no I/O, no clock, no randomness of its own. Callers pass the time
//! and keys in, so the same code runs on a phone, in the portal and in tests.
//!
//! # Layout
//! - [`secret`]: the shared OTP seed as a zeroizing newtype.
//! - [`otp`]: HOTP (RFC 4226), TOTP (RFC 6238) and OCRA (RFC 6287).
//! - [`uri`]: `otpauth://` enrollment URIs, including Zweifaktor's `zf_` parameters.
//! - [`envelope`]: Ed25519-signed envelopes that carry every protocol message.
//! - [`messages`]: the protocol v1 message types.
//! - [`pipush`]: privacyIDEA push tokens: the enrollment link, the signed strings, RSA keys.

pub mod envelope;
pub mod messages;
pub mod otp;
pub mod pipush;
pub mod secret;
pub mod uri;

pub use envelope::SignedEnvelope;
pub use otp::HashAlgorithm;
pub use secret::Seed;
pub use uri::{OtpAuthUri, UriError};
