//! Device registration: `POST /api/v1/devices` and its answer.

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::{DeviceId, DeviceToken, EnrollToken};
use crate::envelope::{decode_public_key, encode_public_key};

/// The platform a device runs on, shown on the portal's device list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// The app on Android.
    Android,
    /// The app on iOS or iPadOS.
    Ios,
    /// The desktop app on Linux.
    Linux,
    /// The desktop app on macOS.
    Macos,
    /// The desktop app on Windows.
    Windows,
    /// The headless device for scripts and CI.
    Headless,
}

impl Platform {
    /// The platform's name as people write it, for device lists ("iOS", "macOS").
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Android => "Android",
            Self::Ios => "iOS",
            Self::Linux => "Linux",
            Self::Macos => "macOS",
            Self::Windows => "Windows",
            Self::Headless => "headless",
        }
    }

    /// The platform stored as its wire name (`"ios"`), if it is one.
    pub fn from_wire_name(name: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }
}

/// Registers a device for push, using the one-time enroll token from the URI.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDevice {
    /// The `zf_enroll` token; single use, so a copied QR code cannot enroll a second device.
    pub enroll_token: EnrollToken,
    /// The device's Ed25519 key that signs its answers (base64url without padding on the wire).
    #[serde(serialize_with = "serialize_key", deserialize_with = "deserialize_key")]
    pub device_key: VerifyingKey,
    /// A name the user recognises the device by.
    pub label: String,
    /// Where the device runs.
    pub platform: Platform,
    /// Optional token for the wake-up gateway (FCM, APNs, UnifiedPush endpoint).
    pub push_token: Option<String>,
}

/// The portal's answer to [`RegisterDevice`].
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRegistered {
    /// The new device's id; answers name it.
    pub device_id: DeviceId,
    /// The bearer token for reading challenges; the portal keeps only its hash.
    pub device_token: DeviceToken,
}

/// Writes a public key as base64url without padding.
fn serialize_key<S: Serializer>(key: &VerifyingKey, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&encode_public_key(key))
}

/// Reads a public key, refusing anything that is not a usable Ed25519 point.
fn deserialize_key<'de, D: Deserializer<'de>>(deserializer: D) -> Result<VerifyingKey, D::Error> {
    let text = String::deserialize(deserializer)?;
    decode_public_key(&text).map_err(de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;
    use ed25519_dalek::SigningKey;

    #[test]
    fn platforms_have_wire_and_display_names() {
        let all = [
            (Platform::Android, "android", "Android"),
            (Platform::Ios, "ios", "iOS"),
            (Platform::Linux, "linux", "Linux"),
            (Platform::Macos, "macos", "macOS"),
            (Platform::Windows, "windows", "Windows"),
            (Platform::Headless, "headless", "headless"),
        ];
        for (platform, wire, shown) in all {
            assert_eq!(Platform::from_wire_name(wire), Some(platform));
            assert_eq!(platform.display_name(), shown);
        }
        assert_eq!(Platform::from_wire_name("iOS"), None);
        assert_eq!(Platform::from_wire_name("symbian"), None);
    }

    fn register() -> RegisterDevice {
        RegisterDevice {
            enroll_token: EnrollToken::new("one-time".to_owned()),
            device_key: SigningKey::from_bytes(&[3; 32]).verifying_key(),
            label: "Pixel 8".to_owned(),
            platform: Platform::Android,
            push_token: None,
        }
    }

    #[test]
    fn register_json_round_trip() -> TestResult {
        let json = serde_json::to_string(&register())?;
        assert!(json.contains("\"platform\":\"android\""));
        assert_eq!(serde_json::from_str::<RegisterDevice>(&json)?, register());
        Ok(())
    }

    #[test]
    fn unknown_fields_and_bad_keys_are_refused() -> TestResult {
        let json = serde_json::to_string(&register())?;
        let extra = json.replacen('{', "{\"admin\":true,", 1);
        assert!(serde_json::from_str::<RegisterDevice>(&extra).is_err());
        let key = encode_public_key(&register().device_key);
        let bad_key = json.replace(&key, "AAAA");
        assert!(serde_json::from_str::<RegisterDevice>(&bad_key).is_err());
        Ok(())
    }

    #[test]
    fn registered_json_round_trip() -> TestResult {
        let answer = DeviceRegistered {
            device_id: DeviceId::from_random_bytes([1; 16]),
            device_token: DeviceToken::new("secret-token".to_owned()),
        };
        let json = serde_json::to_string(&answer)?;
        assert_eq!(serde_json::from_str::<DeviceRegistered>(&json)?, answer);
        assert!(!format!("{answer:?}").contains("secret-token"));
        Ok(())
    }
}
