//! An account's tie to its portal: the portal's pinned key and URL, this device's identity.

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::{
    AnswerNonce, Challenge, ChallengeAnswer, Decision, DeviceId, DeviceToken, ProtocolV1,
};

use super::PushError;
use crate::accounts::AccountId;

/// Stored inside the vault with the account it belongs to.
///
/// Holds two secrets: the device's Ed25519 signing key (answers) and the device token
/// (reading challenges). Neither is ever shown or logged; `Debug` is redacted.
#[derive(Serialize, Deserialize)]
pub struct PortalBinding {
    portal_url: String,
    #[serde(with = "verifying_key_b64")]
    portal_key: VerifyingKey,
    device_id: DeviceId,
    device_token: DeviceToken,
    #[serde(with = "signing_key_b64")]
    device_key: SigningKey,
}

impl std::fmt::Debug for PortalBinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalBinding")
            .field("portal_url", &self.portal_url)
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

impl PortalBinding {
    /// A binding from a finished registration.
    pub(crate) fn new(
        portal_url: String,
        portal_key: VerifyingKey,
        device_id: DeviceId,
        device_token: DeviceToken,
        device_key: SigningKey,
    ) -> Self {
        Self {
            portal_url,
            portal_key,
            device_id,
            device_token,
            device_key,
        }
    }

    /// The portal's base URL.
    pub fn portal_url(&self) -> &str {
        &self.portal_url
    }

    /// This device's id at the portal.
    pub fn device_id(&self) -> &DeviceId {
        &self.device_id
    }

    /// What a background listener needs: URL, pinned key and token, but no signing key.
    pub(crate) fn session(
        &self,
        account: AccountId,
        email: String,
        label: String,
    ) -> PortalSession {
        PortalSession {
            account,
            email,
            label,
            portal_url: self.portal_url.clone(),
            portal_key: self.portal_key,
            device_token: self.device_token.duplicate(),
        }
    }

    /// Signs an answer to `challenge` with the device key.
    pub(crate) fn sign_answer(
        &self,
        challenge: &Challenge,
        decision: Decision,
        now: u64,
    ) -> Result<SignedEnvelope, PushError> {
        let answer = ChallengeAnswer {
            v: ProtocolV1,
            challenge_id: challenge.id.clone(),
            device_id: self.device_id.clone(),
            decision,
            timestamp: now,
            answer_nonce: AnswerNonce(rand::random()),
        };
        SignedEnvelope::sign(&answer, &self.device_key).map_err(PushError::Sign)
    }
}

/// The part of a binding that a push listener holds while the vault may be locked again.
///
/// It can read challenges but not answer them: the signing key stays in the vault.
pub struct PortalSession {
    /// The account the challenges are for.
    pub account: AccountId,
    /// The account's user name at the portal, checked against each challenge.
    pub email: String,
    /// The account's label, as the accounts list shows it.
    pub label: String,
    /// The portal's base URL.
    pub portal_url: String,
    portal_key: VerifyingKey,
    device_token: DeviceToken,
}

impl std::fmt::Debug for PortalSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalSession")
            .field("account", &self.account)
            .field("portal_url", &self.portal_url)
            .finish_non_exhaustive()
    }
}

impl PortalSession {
    /// A copy for another task (the listener, a challenge to answer later).
    pub(crate) fn duplicate(&self) -> Self {
        Self {
            account: self.account.clone(),
            email: self.email.clone(),
            label: self.label.clone(),
            portal_url: self.portal_url.clone(),
            portal_key: self.portal_key,
            device_token: self.device_token.duplicate(),
        }
    }

    /// The device token for the `Authorization` header.
    pub(crate) fn token(&self) -> &DeviceToken {
        &self.device_token
    }

    /// The id of a challenge whose signature verifies with the pinned key, for a refusal that
    /// is about its time or account rather than its origin; `None` for a forged one.
    pub(crate) fn signed_id(&self, envelope: &SignedEnvelope) -> Option<String> {
        envelope
            .open::<Challenge>(&self.portal_key)
            .ok()
            .map(|challenge| challenge.id.to_string())
    }

    /// Verifies a challenge envelope: signature with the pinned key first, then freshness and
    /// account. Only a challenge that passes all three is ever shown.
    pub fn verify(
        &self,
        envelope: &SignedEnvelope,
        now: u64,
    ) -> Result<VerifiedChallenge, PushError> {
        let challenge: Challenge = envelope
            .open(&self.portal_key)
            .map_err(PushError::BadSignature)?;
        challenge.check_fresh(now)?;
        if !crate::accounts::same_text(&challenge.account, &self.email) {
            return Err(PushError::WrongAccount);
        }
        Ok(VerifiedChallenge {
            account: self.account.clone(),
            challenge,
        })
    }
}

/// A challenge whose signature, freshness and account were checked.
#[derive(Debug, Clone)]
pub struct VerifiedChallenge {
    /// The account it is for.
    pub account: AccountId,
    /// The challenge itself (id, nonce, times, login context).
    pub challenge: Challenge,
}

/// The portal's public key as base64url, as in the enrollment URI.
mod verifying_key_b64 {
    use ed25519_dalek::VerifyingKey;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use zweifaktor_protocol::envelope::{decode_public_key, encode_public_key};

    pub(super) fn serialize<S: Serializer>(key: &VerifyingKey, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode_public_key(key))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<VerifyingKey, D::Error> {
        let text = String::deserialize(d)?;
        decode_public_key(&text).map_err(|_| D::Error::custom("invalid portal key"))
    }
}

/// The device's signing key (32 secret bytes) as base64 inside the encrypted vault.
mod signing_key_b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use ed25519_dalek::SigningKey;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use zeroize::Zeroizing;

    pub(super) fn serialize<S: Serializer>(key: &SigningKey, s: S) -> Result<S::Ok, S::Error> {
        let text = Zeroizing::new(STANDARD.encode(key.as_bytes()));
        s.serialize_str(&text)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SigningKey, D::Error> {
        let text = Zeroizing::<String>::deserialize(d)?;
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text.as_bytes())
                .map_err(|_| D::Error::custom("invalid device key"))?,
        );
        let array: Zeroizing<[u8; 32]> = Zeroizing::new(
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| D::Error::custom("invalid device key length"))?,
        );
        Ok(SigningKey::from_bytes(&array))
    }
}

#[cfg(test)]
mod tests {
    use zweifaktor_protocol::messages::{ChallengeId, DeviceId, LoginContext, Nonce};

    use super::*;

    const NOW: u64 = 1_764_000_000;

    fn key(byte: u8) -> SigningKey {
        SigningKey::from_bytes(&[byte; 32])
    }

    fn session(portal: &SigningKey) -> PortalSession {
        PortalBinding::new(
            "http://127.0.0.1:8080/".into(),
            portal.verifying_key(),
            DeviceId::parse("5f0c8a9e-3b1d-4c2e-9f7a-1b2c3d4e5f60").unwrap(),
            DeviceToken::new("device-token".into()),
            key(9),
        )
        .session(
            AccountId::random(),
            "erika@example.org".into(),
            "Portal:erika@example.org".into(),
        )
    }

    fn challenge(account: &str, issued_at: u64) -> Challenge {
        Challenge {
            v: ProtocolV1,
            id: ChallengeId::from_random_bytes([7; 16]),
            account: account.into(),
            nonce: Nonce([3; 32]),
            issued_at,
            expires_at: issued_at + 300,
            context: LoginContext {
                time: issued_at,
                ip: "127.0.0.1".into(),
                user_agent: "Firefox".into(),
                portal: "Zweifaktor Portal".into(),
            },
        }
    }

    #[test]
    fn a_challenge_signed_by_the_pinned_portal_verifies() {
        let portal = key(1);
        let envelope = SignedEnvelope::sign(&challenge("Erika@Example.org", NOW), &portal).unwrap();
        let verified = session(&portal).verify(&envelope, NOW + 10).unwrap();
        assert_eq!(verified.challenge.nonce, Nonce([3; 32]));
    }

    #[test]
    fn a_challenge_signed_by_another_key_is_refused() {
        let envelope = SignedEnvelope::sign(&challenge("erika@example.org", NOW), &key(2)).unwrap();
        assert!(matches!(
            session(&key(1)).verify(&envelope, NOW),
            Err(PushError::BadSignature(_))
        ));
    }

    #[test]
    fn a_tampered_payload_is_refused() {
        let portal = key(1);
        let mut envelope =
            SignedEnvelope::sign(&challenge("erika@example.org", NOW), &portal).unwrap();
        let mut bytes = envelope.payload.into_bytes();
        bytes[10] = if bytes[10] == b'A' { b'B' } else { b'A' };
        envelope.payload = String::from_utf8(bytes).unwrap();
        assert!(matches!(
            session(&portal).verify(&envelope, NOW),
            Err(PushError::BadSignature(_))
        ));
    }

    #[test]
    fn an_expired_challenge_is_refused() {
        let portal = key(1);
        let envelope = SignedEnvelope::sign(&challenge("erika@example.org", NOW), &portal).unwrap();
        assert!(matches!(
            session(&portal).verify(&envelope, NOW + 301),
            Err(PushError::Stale(_))
        ));
    }

    #[test]
    fn a_challenge_for_another_account_is_refused() {
        let portal = key(1);
        let envelope = SignedEnvelope::sign(&challenge("max@example.org", NOW), &portal).unwrap();
        assert!(matches!(
            session(&portal).verify(&envelope, NOW),
            Err(PushError::WrongAccount)
        ));
    }

    #[test]
    fn debug_output_hides_keys_and_token() {
        let text = format!("{:?}", session(&key(1)));
        assert!(!text.contains("device-token"), "{text}");
    }
}
