//! The vault file's layout: one JSON document, parsed and written here and nowhere else.
//!
//! ```text
//! {
//!   "format":     "zweifaktor-vault",       fixed; anything else is not a vault
//!   "version":    1,                        this layout; others are refused, never guessed
//!   "header":     { ... },                  clear, authenticated by header_mac (exact bytes)
//!   "header_mac": b64(32 B),                HMAC-SHA256 over format, version, header bytes
//!   "lockout":    { failed, last_failure }, clear and NOT authenticated (see lockout.rs)
//!   "biometric":  { ... },                  optional biometric slot, outside the header MAC
//!   "nonce":      b64(24 B),                XChaCha20-Poly1305 nonce of the contents
//!   "ciphertext": b64                       the contents (serde JSON) sealed, tag appended
//! }
//!
//! header = {
//!   "vault_id": b64(16 B),                 random, fixed for the life of the vault
//!   "email":    "...",                     shown on the login screen before the PIN
//!   "cipher":   "xchacha20poly1305",
//!   "slots": [ {                           each slot wraps the same master key
//!     "kind": "pin",
//!     "kdf": { "alg": "argon2id", "m_kib", "t", "p", "salt": b64(16 B) },
//!     "nonce": b64(24 B), "wrapped_key": b64(48 B)
//!   }, ... ]                               unknown kinds are kept
//! }
//!
//! biometric = {                            absent unless unlocking by fingerprint is on
//!   "version":         1,                  this slot's own layout; another is kept unread
//!   "sealed_key":      b64,                the master key as the platform cipher sealed it
//!   "pin_verified_at": u64,                unix time of the last PIN unlock
//!   "mac":             b64(32 B)           HMAC-SHA256 over the fields above (crypto.rs)
//! }
//! ```
//!
//! The biometric slot was added in the same layout version 1: files without it are byte for
//! byte what earlier builds wrote, and earlier builds ignore the field (they open such a vault
//! by PIN; their next save drops the slot, so fingerprint unlock has to be switched on again
//! after a downgrade). It lives outside the header because it must be removable without the
//! master key, when the platform reports its key invalidated (see `biometric.rs`); its own MAC
//! under the master key authenticates it once the key is unwrapped.
//!
//! The header is kept as the exact bytes read ([`RawValue`]) because its MAC is over those
//! bytes; re-serializing it could reorder or re-escape and break the MAC. Base64 is the
//! standard alphabet with padding (RFC 4648 §4). A complete example, made with
//! [`KdfProfile::TESTING`] and PIN `482915`, holding the contents `["example"]`:
//!
//! ```json
#![doc = include_str!("example.json")]
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::error::{CorruptReason, VaultError};
use super::kdf::{KdfProfile, SALT_LEN};
use super::lockout::LockoutState;

/// The `format` value of every vault file.
pub(crate) const FORMAT: &str = "zweifaktor-vault";

/// The only layout version this code reads and writes.
pub(crate) const VERSION: u64 = 1;

/// Length of the random vault id: 128 bits, enough that two vaults never share one.
pub(crate) const VAULT_ID_LEN: usize = 16;

/// XChaCha20-Poly1305 nonce length (192 bits): long enough to pick at random for every write.
pub(crate) const NONCE_LEN: usize = 24;

/// Length of a wrapped master key: the 32-byte key plus the 16-byte Poly1305 tag.
pub(crate) const WRAPPED_KEY_LEN: usize = 48;

/// Length of the HMAC-SHA256 header tag.
pub(crate) const MAC_LEN: usize = 32;

/// Largest vault file written or read: 4 MiB.
///
/// An account takes about 0.3 KiB of JSON, one bound to a portal (device key, pinned portal
/// key, URL, device token) about 0.7 KiB, and base64 makes the ciphertext a third larger: 4 MiB
/// hold over 4,000 portal-bound accounts, far more than anyone keeps in an authenticator. The
/// bound keeps a hostile file from making the app read hundreds of megabytes (a 300 MB file was
/// read whole before); parsing 4 MiB takes milliseconds and less memory than one Argon2 run.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The whole file, with the header left as raw bytes.
#[derive(Serialize, Deserialize)]
pub(crate) struct VaultFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u64,
    /// The header's exact bytes, as authenticated by `header_mac`.
    pub header: Box<RawValue>,
    /// HMAC-SHA256 over the header (see `crypto::header_mac`).
    #[serde(with = "b64")]
    pub header_mac: [u8; MAC_LEN],
    /// The PIN lock-out counter, outside the MAC.
    pub lockout: LockoutState,
    /// The biometric slot, if unlocking by fingerprint is on (see `biometric.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biometric: Option<BiometricEntry>,
    /// Nonce of the contents.
    #[serde(with = "b64")]
    pub nonce: [u8; NONCE_LEN],
    /// The sealed contents with the tag appended.
    #[serde(with = "b64")]
    pub ciphertext: Vec<u8>,
}

/// The parsed header.
#[derive(Serialize, Deserialize)]
pub(crate) struct Header {
    /// Random id of this vault, bound into every AEAD's associated data.
    #[serde(with = "b64")]
    pub vault_id: [u8; VAULT_ID_LEN],
    /// The account's e-mail address, shown on the login screen.
    pub email: String,
    /// The contents cipher; only one exists in version 1.
    pub cipher: Cipher,
    /// The key slots, each wrapping the same master key.
    pub slots: Vec<Slot>,
}

/// Names the contents cipher.
#[derive(Serialize, Deserialize, Clone, Copy)]
pub(crate) enum Cipher {
    /// XChaCha20-Poly1305 with 24-byte random nonces.
    #[serde(rename = "xchacha20poly1305")]
    XChaCha20Poly1305,
}

/// A key slot: a PIN slot this code understands, or any other kind kept as it was.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Slot {
    /// The PIN slot.
    Pin(PinSlot),
    /// A slot of another kind (such as a future biometric slot), carried along untouched.
    Other(serde_json::Value),
}

/// The biometric slot field: a slot of the layout this code knows, or one of a later layout,
/// carried along untouched and never used.
#[derive(Serialize, Deserialize, Clone)]
#[serde(untagged)]
pub(crate) enum BiometricEntry {
    /// A slot of layout [`BiometricVersion`] 1.
    Known(BiometricSlot),
    /// A slot of another layout version.
    Other(serde_json::Value),
}

/// The master key sealed by the platform's biometric-bound cipher.
#[derive(Serialize, Deserialize, Clone)]
pub(crate) struct BiometricSlot {
    /// Always 1.
    pub version: BiometricVersion,
    /// What the platform cipher returned for the master key; only the platform can open it.
    #[serde(with = "b64")]
    pub sealed_key: Vec<u8>,
    /// When the PIN last opened this vault (unix seconds): the 72-hour rule counts from here.
    pub pin_verified_at: u64,
    /// HMAC-SHA256 under the master key over the fields above.
    #[serde(with = "b64")]
    pub mac: [u8; MAC_LEN],
}

/// The layout version of a biometric slot; only 1 exists.
#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(try_from = "u64", into = "u64")]
pub(crate) struct BiometricVersion;

impl BiometricVersion {
    /// The number in the file.
    const NUMBER: u64 = 1;
}

impl TryFrom<u64> for BiometricVersion {
    type Error = &'static str;

    fn try_from(number: u64) -> Result<Self, Self::Error> {
        if number == Self::NUMBER {
            Ok(Self)
        } else {
            Err("unknown biometric slot version")
        }
    }
}

impl From<BiometricVersion> for u64 {
    fn from(_: BiometricVersion) -> Self {
        BiometricVersion::NUMBER
    }
}

impl VaultFile {
    /// The biometric slot, if there is one of the known layout.
    pub(crate) fn biometric_slot(&self) -> Option<&BiometricSlot> {
        match &self.biometric {
            Some(BiometricEntry::Known(slot)) => Some(slot),
            Some(BiometricEntry::Other(_)) | None => None,
        }
    }
}

/// The master key wrapped under a KEK derived from the PIN.
#[derive(Serialize, Deserialize)]
pub(crate) struct PinSlot {
    /// Always `"pin"`.
    pub kind: PinKind,
    /// How the KEK is derived.
    pub kdf: KdfSpec,
    /// Nonce of the wrapped key.
    #[serde(with = "b64")]
    pub nonce: [u8; NONCE_LEN],
    /// The master key sealed under the KEK, tag appended.
    #[serde(with = "b64")]
    pub wrapped_key: [u8; WRAPPED_KEY_LEN],
}

/// The `kind` tag of a PIN slot.
#[derive(Serialize, Deserialize, Clone, Copy)]
pub(crate) enum PinKind {
    /// `"pin"`.
    #[serde(rename = "pin")]
    Pin,
}

/// The PIN slot's key derivation: algorithm, cost and salt.
#[derive(Serialize, Deserialize)]
pub(crate) struct KdfSpec {
    /// Always Argon2id in version 1.
    pub alg: KdfAlg,
    /// The cost parameters.
    #[serde(flatten)]
    pub profile: KdfProfile,
    /// Random salt.
    #[serde(with = "b64")]
    pub salt: [u8; SALT_LEN],
}

/// Names the key derivation function.
#[derive(Serialize, Deserialize, Clone, Copy)]
pub(crate) enum KdfAlg {
    /// Argon2id, version 0x13 (RFC 9106).
    #[serde(rename = "argon2id")]
    Argon2id,
}

impl Header {
    /// The first PIN slot.
    pub(crate) fn pin_slot(&self) -> Option<&PinSlot> {
        self.slots.iter().find_map(|slot| match slot {
            Slot::Pin(pin) => Some(pin),
            Slot::Other(_) => None,
        })
    }

    /// Replaces the PIN slot (or adds one), keeping every other slot.
    pub(crate) fn set_pin_slot(&mut self, new: PinSlot) {
        self.slots.retain(|slot| matches!(slot, Slot::Other(_)));
        self.slots.insert(0, Slot::Pin(new));
    }

    /// The header as the raw bytes that go into the file and under the MAC.
    pub(crate) fn to_raw(&self) -> Result<Box<RawValue>, VaultError> {
        let text = serde_json::to_string(self).map_err(|_| VaultError::Serialize)?;
        RawValue::from_string(text).map_err(|_| VaultError::Serialize)
    }
}

/// Just enough of the file to decide whether the rest can be read.
#[derive(Deserialize)]
struct Probe {
    format: String,
    version: u64,
}

/// Why a file could not be parsed.
pub(crate) enum ParseError {
    /// The file is damaged.
    Corrupt(CorruptReason),
    /// The file is a vault of another version.
    UnsupportedVersion(u64),
}

/// Parses a whole vault file and its header.
pub(crate) fn parse(bytes: &[u8]) -> Result<(VaultFile, Header), ParseError> {
    let probe: Probe = from_json(bytes)?;
    if probe.format != FORMAT {
        return Err(ParseError::Corrupt(CorruptReason::UnknownFormat));
    }
    if probe.version != VERSION {
        return Err(ParseError::UnsupportedVersion(probe.version));
    }
    let file: VaultFile = from_json(bytes)?;
    let header: Header = from_json(file.header.get().as_bytes())?;
    Ok((file, header))
}

/// Serializes a whole vault file, pretty-printed so that a person can inspect it.
///
/// Fails with [`VaultError::TooLarge`] above [`MAX_FILE_BYTES`]: a file that opening would
/// refuse is never written.
pub(crate) fn to_bytes(file: &VaultFile) -> Result<Vec<u8>, VaultError> {
    let mut bytes = serde_json::to_vec_pretty(file).map_err(|_| VaultError::Serialize)?;
    bytes.push(b'\n');
    if bytes.len() > MAX_FILE_BYTES {
        return Err(VaultError::TooLarge);
    }
    Ok(bytes)
}

fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    serde_json::from_slice(bytes).map_err(|err| ParseError::Corrupt(classify(&err)))
}

/// Maps a JSON error to a corruption reason, keeping only its position.
fn classify(err: &serde_json::Error) -> CorruptReason {
    if err.is_eof() {
        CorruptReason::Truncated
    } else {
        CorruptReason::Malformed {
            line: err.line(),
            column: err.column(),
        }
    }
}

/// Serde helpers for byte fields stored as standard padded base64.
mod b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use serde::de::Error as _;

    use super::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer, B: AsRef<[u8]>>(
        bytes: &B,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, B: TryFrom<Vec<u8>>>(
        deserializer: D,
    ) -> Result<B, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = STANDARD.decode(text).map_err(D::Error::custom)?;
        B::try_from(bytes).map_err(|_| D::Error::custom("wrong byte length"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("example.json");

    #[test]
    fn the_documented_example_parses() {
        let (file, header) = parse(EXAMPLE.as_bytes()).ok().unwrap();
        assert_eq!(file.version, VERSION);
        assert_eq!(header.email, "anna@example.org");
        let slot = header.pin_slot().unwrap();
        assert_eq!(slot.kdf.profile, KdfProfile::TESTING);
    }

    #[test]
    fn unknown_slots_survive_a_rewrite() {
        let text = EXAMPLE.replace(
            r#""slots":["#,
            r#""slots":[{"kind":"biometric","blob":"AAAA"},"#,
        );
        let (_, mut header) = parse(text.as_bytes()).ok().unwrap();
        assert_eq!(header.slots.len(), 2);
        let (_, again) = parse(EXAMPLE.as_bytes()).ok().unwrap();
        let pin = again.slots.into_iter().next().unwrap();
        let Slot::Pin(pin) = pin else {
            panic!("no pin slot")
        };
        header.set_pin_slot(pin);
        let raw = header.to_raw().unwrap();
        assert!(raw.get().contains(r#"{"blob":"AAAA","kind":"biometric"}"#));
        assert!(raw.get().starts_with(r#"{"vault_id""#));
    }

    /// An old vault (no biometric slot) is written back byte for byte: the new field is absent.
    #[test]
    fn a_vault_without_the_biometric_slot_is_unchanged() {
        let (file, _) = parse(EXAMPLE.as_bytes()).ok().unwrap();
        assert!(file.biometric.is_none());
        assert_eq!(
            String::from_utf8(to_bytes(&file).unwrap()).unwrap(),
            EXAMPLE
        );
    }

    #[test]
    fn a_biometric_slot_of_another_version_is_kept_unread() {
        let text = EXAMPLE.replacen(
            "\"lockout\"",
            "\"biometric\": {\"version\": 2, \"future\": true},\n  \"lockout\"",
            1,
        );
        let (file, _) = parse(text.as_bytes()).ok().unwrap();
        assert!(file.biometric.is_some());
        assert!(file.biometric_slot().is_none());
        let written = String::from_utf8(to_bytes(&file).unwrap()).unwrap();
        assert!(written.contains("\"future\": true"));
    }

    #[test]
    fn classifies_damage() {
        let cut = &EXAMPLE.as_bytes()[..EXAMPLE.len() / 2];
        assert!(matches!(
            parse(cut),
            Err(ParseError::Corrupt(CorruptReason::Truncated))
        ));
        assert!(matches!(
            parse(b"{\"format\":\"something-else\",\"version\":1}"),
            Err(ParseError::Corrupt(CorruptReason::UnknownFormat))
        ));
        assert!(matches!(
            parse(b"{\"format\":\"zweifaktor-vault\",\"version\":2}"),
            Err(ParseError::UnsupportedVersion(2))
        ));
        let bad_nonce = EXAMPLE.replacen("\"nonce\": \"", "\"nonce\": \"AAAA", 1);
        assert!(matches!(
            parse(bad_nonce.as_bytes()),
            Err(ParseError::Corrupt(CorruptReason::Malformed { .. }))
        ));
    }
}
