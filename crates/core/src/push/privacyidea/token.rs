//! A privacyIDEA push token as the vault stores it: no seed and no code, only what polling
//! and answering need.

use serde::{Deserialize, Serialize};
use zweifaktor_protocol::pipush::{DevicePrivateKey, ServerKey};

use super::TlsMode;
use crate::accounts::{AccountId, Avatar};

/// How the accounts list names the kind of a push token.
pub const TOKEN_KIND: &str = "privacyIDEA push";

/// A privacyIDEA push token inside the encrypted vault.
///
/// Holds one secret, the phone's RSA private key (PKCS#8), which signs polls and answers. It
/// is never shown, logged or exported; `Debug` is redacted.
#[derive(Serialize, Deserialize)]
pub struct PiPushToken {
    id: AccountId,
    label: String,
    issuer: String,
    serial: String,
    /// The registration URL, which is also where polls and answers go.
    url: String,
    tls: TlsMode,
    #[serde(with = "server_key_b64")]
    server_key: ServerKey,
    #[serde(with = "device_key_b64")]
    device_key: DevicePrivateKey,
}

impl std::fmt::Debug for PiPushToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PiPushToken")
            .field("id", &self.id)
            .field("serial", &self.serial)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// The parts of a new token, as enrollment assembles them.
pub(crate) struct TokenParts {
    pub label: String,
    pub issuer: String,
    pub serial: String,
    pub url: String,
    pub tls: TlsMode,
    pub server_key: ServerKey,
    pub device_key: DevicePrivateKey,
}

impl PiPushToken {
    /// A new token under a fresh id.
    pub(crate) fn new(parts: TokenParts) -> Self {
        Self {
            id: AccountId::random(),
            label: parts.label,
            issuer: parts.issuer,
            serial: parts.serial,
            url: parts.url,
            tls: parts.tls,
            server_key: parts.server_key,
            device_key: parts.device_key,
        }
    }

    /// The token's id in the vault.
    pub fn id(&self) -> &AccountId {
        &self.id
    }

    /// The serial (`PIPU…`).
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The server's URL for polls and answers.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The issuer.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The label as the accounts list shows it: `ISSUER: LABEL`.
    pub fn display_label(&self) -> String {
        format!("{}: {}", self.issuer, self.label)
    }

    /// How TLS is checked.
    pub(crate) fn tls(&self) -> TlsMode {
        self.tls
    }

    /// The server key pinned at enrollment.
    pub(crate) fn server_key(&self) -> &ServerKey {
        &self.server_key
    }

    /// The phone's private key, for signing inside the core.
    pub(crate) fn device_key(&self) -> &DevicePrivateKey {
        &self.device_key
    }

    /// Whether `other` is the same token: the same serial at the same server.
    pub(crate) fn same_as(&self, serial: &str, url: &str) -> bool {
        self.serial == serial && self.url == url
    }

    /// What the accounts list shows.
    pub fn summary(&self) -> PushTokenSummary {
        PushTokenSummary {
            id: self.id.clone(),
            label: self.display_label(),
            issuer: self.issuer.clone(),
            name: self.label.clone(),
            serial: self.serial.clone(),
            server: self.url.clone(),
            kind: TOKEN_KIND,
            avatar: Avatar::for_account(Some(&self.issuer), &self.label),
        }
    }
}

/// A push token as the accounts list shows it: an account without a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushTokenSummary {
    /// The token's id in the vault.
    pub id: AccountId,
    /// `ISSUER: LABEL`.
    pub label: String,
    /// The issuer.
    pub issuer: String,
    /// The token label privacyIDEA gave.
    pub name: String,
    /// The serial.
    pub serial: String,
    /// The server's URL.
    pub server: String,
    /// [`TOKEN_KIND`].
    pub kind: &'static str,
    /// Drawn as the accounts' are (the issuer's initial on its colour), so the token's row
    /// looks like theirs.
    pub avatar: Avatar,
}

/// The pinned server key as base64 PKCS#1 DER inside the vault.
mod server_key_b64 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use zweifaktor_protocol::pipush::ServerKey;

    pub(super) fn serialize<S: Serializer>(key: &ServerKey, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&key.to_base64())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ServerKey, D::Error> {
        let text = String::deserialize(d)?;
        ServerKey::from_base64(&text).map_err(|_| D::Error::custom("invalid server key"))
    }
}

/// The phone's private key as base64 PKCS#8 inside the encrypted vault.
mod device_key_b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use zeroize::Zeroizing;
    use zweifaktor_protocol::pipush::DevicePrivateKey;

    pub(super) fn serialize<S: Serializer>(
        key: &DevicePrivateKey,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let text = Zeroizing::new(STANDARD.encode(key.expose_secret()));
        s.serialize_str(&text)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<DevicePrivateKey, D::Error> {
        let text = Zeroizing::<String>::deserialize(d)?;
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text.as_bytes())
                .map_err(|_| D::Error::custom("invalid device key"))?,
        );
        Ok(DevicePrivateKey::from_pkcs8(bytes))
    }
}
