//! Random nonces, written as lower-case hex on the wire.
//!
//! Neither is secret: the challenge nonce is the OCRA question (RFC 6287 §5.1) and the answer
//! nonce only makes every answer unique so the portal can refuse replays.

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Length of the challenge nonce: 256 bits, so two logins never share an OCRA question.
pub const NONCE_LEN: usize = 32;

/// Length of the answer nonce: 128 bits, enough that random answers never collide.
pub const ANSWER_NONCE_LEN: usize = 16;

/// The challenge's random nonce; its hex text is the OCRA question of the security code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nonce(pub [u8; NONCE_LEN]);

/// A random value in each answer, remembered by the portal to refuse replays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnswerNonce(pub [u8; ANSWER_NONCE_LEN]);

impl Nonce {
    /// Lower-case hex, as used for the OCRA question.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl AnswerNonce {
    /// Lower-case hex, as stored by the portal.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// Reads exactly `N` bytes of hex (either case).
fn from_hex<'de, D: Deserializer<'de>, const N: usize>(
    deserializer: D,
) -> Result<[u8; N], D::Error> {
    let text = String::deserialize(deserializer)?;
    let mut bytes = [0u8; N];
    hex::decode_to_slice(&text, &mut bytes).map_err(|_| {
        de::Error::invalid_value(de::Unexpected::Str(&text), &"hex of the expected length")
    })?;
    Ok(bytes)
}

impl Serialize for Nonce {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Nonce {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_hex(deserializer).map(Self)
    }
}

impl Serialize for AnswerNonce {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for AnswerNonce {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_hex(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn hex_round_trip() -> TestResult {
        let nonce = Nonce([0xab; NONCE_LEN]);
        let json = serde_json::to_string(&nonce)?;
        assert_eq!(json, format!("\"{}\"", "ab".repeat(NONCE_LEN)));
        assert_eq!(serde_json::from_str::<Nonce>(&json)?, nonce);
        Ok(())
    }

    #[test]
    fn wrong_length_and_non_hex_are_refused() -> TestResult {
        let short = format!("\"{}\"", "ab".repeat(ANSWER_NONCE_LEN - 1));
        assert!(serde_json::from_str::<AnswerNonce>(&short).is_err());
        let long = format!("\"{}\"", "ab".repeat(ANSWER_NONCE_LEN + 1));
        assert!(serde_json::from_str::<AnswerNonce>(&long).is_err());
        let not_hex = format!("\"{}\"", "zz".repeat(ANSWER_NONCE_LEN));
        assert!(serde_json::from_str::<AnswerNonce>(&not_hex).is_err());
        Ok(())
    }
}
