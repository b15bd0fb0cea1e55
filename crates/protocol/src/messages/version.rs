//! The `v` field: a marker that only ever reads and writes protocol version 1.

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Protocol version 1 on the wire (`"v": 1`).
///
/// Deserializing any other number fails, so a future version can never be mistaken for this one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ProtocolV1;

impl ProtocolV1 {
    /// The number written in the `v` field.
    pub const NUMBER: u64 = 1;
}

impl Serialize for ProtocolV1 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(Self::NUMBER)
    }
}

impl<'de> Deserialize<'de> for ProtocolV1 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(deserializer)?;
        if v == Self::NUMBER {
            Ok(Self)
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Unsigned(v),
                &"protocol version 1",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn reads_and_writes_one() -> TestResult {
        assert_eq!(serde_json::to_string(&ProtocolV1)?, "1");
        assert_eq!(serde_json::from_str::<ProtocolV1>("1")?, ProtocolV1);
        Ok(())
    }

    #[test]
    fn other_versions_are_refused() -> TestResult {
        assert!(serde_json::from_str::<ProtocolV1>("2").is_err());
        assert!(serde_json::from_str::<ProtocolV1>("0").is_err());
        Ok(())
    }
}
