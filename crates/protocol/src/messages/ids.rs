//! Identifiers of challenges and devices, in canonical UUID text form.
//!
//! The portal makes them from 16 random bytes ([`ChallengeId::from_random_bytes`]); the strict
//! text form keeps them safe to put in URL paths and log lines.

use serde::{Deserialize, Serialize};

use super::MessageError;

/// Length of the canonical UUID text form `8-4-4-4-12`.
const UUID_TEXT_LEN: usize = 36;

/// Positions of the hyphens in the canonical UUID text form.
const UUID_HYPHENS: [usize; 4] = [8, 13, 18, 23];

/// True for lower-case hex digits in `8-4-4-4-12` groups.
fn is_canonical_uuid(text: &str) -> bool {
    text.len() == UUID_TEXT_LEN
        && text.bytes().enumerate().all(|(i, b)| {
            if UUID_HYPHENS.contains(&i) {
                b == b'-'
            } else {
                b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
            }
        })
}

/// Formats 16 random bytes as a version-4 UUID (RFC 9562 §5.4).
fn uuid_v4_text(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Shared behaviour of both identifier types.
macro_rules! uuid_id {
    ($name:ident) => {
        impl $name {
            /// Makes an identifier from 16 random bytes supplied by the caller.
            pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self(uuid_v4_text(bytes))
            }

            /// Accepts only the canonical lower-case UUID text form.
            pub fn parse(text: &str) -> Result<Self, MessageError> {
                if is_canonical_uuid(text) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(MessageError::InvalidId)
                }
            }

            /// The identifier's text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = MessageError;

            fn try_from(text: String) -> Result<Self, MessageError> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Identifies one login challenge; appears in `/api/v1/challenges/{id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChallengeId(String);

/// Identifies one registered device.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeviceId(String);

uuid_id!(ChallengeId);
uuid_id!(DeviceId);

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn random_bytes_give_a_v4_uuid() -> TestResult {
        let id = ChallengeId::from_random_bytes([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(ChallengeId::parse(id.as_str()), Ok(id));
        Ok(())
    }

    #[test]
    fn non_canonical_forms_are_refused() -> TestResult {
        for bad in [
            "",
            "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
            "ffffffffffff4fffbfffffffffffffffffff",
            "ffffffff-ffff-4fff-bfff-fffffffffff",
            "../../etc/passwd-aaaaaaaaaaaaaaaaaaa",
        ] {
            assert_eq!(DeviceId::parse(bad), Err(MessageError::InvalidId), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn json_form_is_validated() -> TestResult {
        let ok: DeviceId = serde_json::from_str("\"00000000-0000-4000-8000-000000000000\"")?;
        assert_eq!(
            serde_json::to_string(&ok)?,
            "\"00000000-0000-4000-8000-000000000000\""
        );
        assert!(serde_json::from_str::<DeviceId>("\"nope\"").is_err());
        Ok(())
    }
}
