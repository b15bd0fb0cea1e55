//! Signed envelopes (Ed25519) that carry every protocol message, and the text form of public
//! keys.
//!
//! An envelope is `{"payload": b64url(JSON bytes), "sig": b64url(Ed25519 signature)}`. The
//! signature covers the exact JSON bytes, and [`SignedEnvelope::open`] checks it with
//! `verify_strict` (no small-order keys, canonical signatures) before any JSON is parsed, so a
//! forged message never reaches the JSON parser or the UI.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Largest envelope accepted or produced, counting the text of both fields: 16 KiB.
///
/// A challenge with its login context is well under 2 KiB; the bound is checked before any
/// decoding so a hostile peer cannot make us decode or verify megabytes.
pub const MAX_ENVELOPE_LEN: usize = 16 * 1024;

/// Length of an Ed25519 signature in bytes (RFC 8032 §5.1.6).
const SIGNATURE_LEN: usize = ed25519_dalek::SIGNATURE_LENGTH;

/// Length of an Ed25519 public key in bytes (RFC 8032 §5.1.5).
const PUBLIC_KEY_LEN: usize = ed25519_dalek::PUBLIC_KEY_LENGTH;

/// A signed message as it travels between portal and app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedEnvelope {
    /// The message's JSON bytes, base64url without padding.
    pub payload: String,
    /// The Ed25519 signature over those bytes, base64url without padding.
    pub sig: String,
}

/// An envelope could not be made or opened.
#[derive(Debug, Error)]
pub enum EnvelopeError {
    /// The envelope is larger than [`MAX_ENVELOPE_LEN`]; nothing was decoded.
    #[error("envelope of {len} bytes exceeds the limit of {max}")]
    TooLarge {
        /// Combined length of both fields.
        len: usize,
        /// The limit, [`MAX_ENVELOPE_LEN`].
        max: usize,
    },
    /// A field is not base64url without padding.
    #[error("envelope field `{field}` is not base64url")]
    InvalidBase64 {
        /// `"payload"` or `"sig"`.
        field: &'static str,
    },
    /// The signature does not have the 64 bytes of an Ed25519 signature.
    #[error("signature has {len} bytes, expected 64")]
    InvalidSignatureLength {
        /// The decoded length.
        len: usize,
    },
    /// The signature does not verify under the expected key: forged, altered or misaddressed.
    #[error("signature does not verify")]
    BadSignature,
    /// The signature is good but the payload is not the expected message type.
    #[error("payload is not the expected message")]
    InvalidPayload(#[source] serde_json::Error),
    /// The message could not be written as JSON.
    #[error("message could not be encoded as JSON")]
    Encode(#[source] serde_json::Error),
}

impl SignedEnvelope {
    /// Serializes `msg` to JSON and signs those bytes with `key`.
    ///
    /// Fails with [`EnvelopeError::TooLarge`] rather than produce an envelope no peer would open.
    pub fn sign<T: Serialize>(msg: &T, key: &SigningKey) -> Result<Self, EnvelopeError> {
        let json = serde_json::to_vec(msg).map_err(EnvelopeError::Encode)?;
        let signature = key.sign(&json);
        let envelope = Self {
            payload: URL_SAFE_NO_PAD.encode(&json),
            sig: URL_SAFE_NO_PAD.encode(signature.to_bytes()),
        };
        envelope.check_size()?;
        Ok(envelope)
    }

    /// Verifies the signature with `key`, then parses the payload as `T`.
    pub fn open<T: DeserializeOwned>(&self, key: &VerifyingKey) -> Result<T, EnvelopeError> {
        self.check_size()?;
        let sig_bytes = URL_SAFE_NO_PAD
            .decode(&self.sig)
            .map_err(|_| EnvelopeError::InvalidBase64 { field: "sig" })?;
        let sig_array: [u8; SIGNATURE_LEN] =
            sig_bytes
                .as_slice()
                .try_into()
                .map_err(|_| EnvelopeError::InvalidSignatureLength {
                    len: sig_bytes.len(),
                })?;
        let signature = Signature::from_bytes(&sig_array);
        let json = URL_SAFE_NO_PAD
            .decode(&self.payload)
            .map_err(|_| EnvelopeError::InvalidBase64 { field: "payload" })?;
        key.verify_strict(&json, &signature)
            .map_err(|_| EnvelopeError::BadSignature)?;
        serde_json::from_slice(&json).map_err(EnvelopeError::InvalidPayload)
    }

    /// Refuses envelopes over [`MAX_ENVELOPE_LEN`] before any decoding.
    fn check_size(&self) -> Result<(), EnvelopeError> {
        let len = self.payload.len().saturating_add(self.sig.len());
        if len > MAX_ENVELOPE_LEN {
            return Err(EnvelopeError::TooLarge {
                len,
                max: MAX_ENVELOPE_LEN,
            });
        }
        Ok(())
    }
}

/// A public key in text form could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PublicKeyError {
    /// The text is not base64url without padding.
    #[error("public key is not base64url")]
    InvalidBase64,
    /// The decoded key does not have 32 bytes.
    #[error("public key has {len} bytes, expected 32")]
    WrongLength {
        /// The decoded length.
        len: usize,
    },
    /// The bytes do not encode a point on Edwards25519.
    #[error("public key is not a valid Ed25519 point")]
    NotAPoint,
    /// The point has small order; any signature would verify under it with `verify`.
    #[error("public key is a weak (small-order) point")]
    WeakKey,
}

/// Writes an Ed25519 public key as base64url without padding (the `zf_key` and `device_key` form).
pub fn encode_public_key(key: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// Reads an Ed25519 public key from base64url without padding, refusing weak keys.
pub fn decode_public_key(text: &str) -> Result<VerifyingKey, PublicKeyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| PublicKeyError::InvalidBase64)?;
    let bytes: [u8; PUBLIC_KEY_LEN] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| PublicKeyError::WrongLength { len: bytes.len() })?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| PublicKeyError::NotAPoint)?;
    if key.is_weak() {
        return Err(PublicKeyError::WeakKey);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Note {
        text: String,
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[42; 32])
    }

    fn note() -> Note {
        Note {
            text: "hallo".to_owned(),
        }
    }

    #[test]
    fn public_key_text_round_trip() -> TestResult {
        let public = key().verifying_key();
        let text = encode_public_key(&public);
        assert_eq!(text.len(), 43);
        assert_eq!(decode_public_key(&text), Ok(public));
        Ok(())
    }

    #[test]
    fn public_key_errors() -> TestResult {
        assert_eq!(decode_public_key("!!"), Err(PublicKeyError::InvalidBase64));
        assert_eq!(
            decode_public_key("AAAA"),
            Err(PublicKeyError::WrongLength { len: 3 })
        );
        // The identity point (y = 1) has small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            decode_public_key(&URL_SAFE_NO_PAD.encode(identity)),
            Err(PublicKeyError::WeakKey)
        );
        // y = 2 is not on the curve.
        let mut off_curve = [0u8; 32];
        off_curve[0] = 2;
        assert_eq!(
            decode_public_key(&URL_SAFE_NO_PAD.encode(off_curve)),
            Err(PublicKeyError::NotAPoint)
        );
        Ok(())
    }

    #[test]
    fn round_trip() -> TestResult {
        let envelope = SignedEnvelope::sign(&note(), &key())?;
        let opened: Note = envelope.open(&key().verifying_key())?;
        assert_eq!(opened, note());
        Ok(())
    }
}
