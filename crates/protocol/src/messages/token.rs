//! Bearer tokens: whoever holds one may enroll a device or read its challenges.
//!
//! Both are secrets, so they live in newtypes with a private field, are wiped on drop and have a
//! redacted `Debug`. They still cross the wire, so each has a hand-written `Serialize` and
//! `Deserialize` as a plain JSON string; that is the only way their text leaves the type besides
//! [`expose_secret`](EnrollToken::expose_secret).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The one-time enroll token from the `zf_enroll` URI parameter.
///
/// Single use and short-lived on the portal side; the app sends it once in
/// [`RegisterDevice`](super::RegisterDevice). Serializable because it is a wire value.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct EnrollToken(String);

/// The device token returned at registration, presented to read challenges.
///
/// The portal stores only its hash. Serializable because it is a wire value.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct DeviceToken(String);

/// Shared behaviour of both token types.
macro_rules! secret_token {
    ($name:ident) => {
        impl $name {
            /// Wraps token text; the string is moved, not copied.
            pub fn new(token: String) -> Self {
                Self(token)
            }

            /// The token text, for the one place that must send or hash it.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }

            /// True for an empty token, which no portal issues.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            /// An explicit copy; `Clone` is not derived so that copies stay visible in review.
            pub fn duplicate(&self) -> Self {
                Self(self.0.clone())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "(redacted)"))
            }
        }

        /// Compares in constant time, so equality checks do not leak a prefix by timing.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
            }
        }

        impl Eq for $name {}

        /// Wire form: a plain JSON string.
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        /// Wire form: a plain JSON string.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self)
            }
        }
    };
}

secret_token!(EnrollToken);
secret_token!(DeviceToken);

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn debug_is_redacted() -> TestResult {
        let token = DeviceToken::new("hunter2-token".to_owned());
        assert_eq!(format!("{token:?}"), "DeviceToken(redacted)");
        let token = EnrollToken::new("hunter2-token".to_owned());
        assert_eq!(format!("{token:?}"), "EnrollToken(redacted)");
        Ok(())
    }

    #[test]
    fn wire_form_is_a_plain_string() -> TestResult {
        let token = EnrollToken::new("abc".to_owned());
        let json = serde_json::to_string(&token)?;
        assert_eq!(json, "\"abc\"");
        let back: EnrollToken = serde_json::from_str(&json)?;
        assert_eq!(back, token);
        assert_ne!(back, EnrollToken::new("abd".to_owned()));
        Ok(())
    }
}
