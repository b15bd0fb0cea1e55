//! Signed envelopes: a good one opens, and every kind of tampering is refused with its own error.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use zweifaktor_protocol::envelope::{EnvelopeError, MAX_ENVELOPE_LEN, SignedEnvelope};
use zweifaktor_protocol::messages::{Challenge, ChallengeId, LoginContext, Nonce, ProtocolV1};

/// Lets tests use `?`, so every failure names its error.
type TestResult = Result<(), Box<dyn std::error::Error>>;

fn portal_key() -> SigningKey {
    SigningKey::from_bytes(&[11; 32])
}

fn challenge() -> Challenge {
    Challenge {
        v: ProtocolV1,
        id: ChallengeId::from_random_bytes([3; 16]),
        account: "ada@example.org".to_owned(),
        nonce: Nonce([4; 32]),
        issued_at: 1_700_000_000,
        expires_at: 1_700_000_300,
        context: LoginContext {
            time: 1_700_000_000,
            ip: "2001:db8::1".to_owned(),
            user_agent: "Mozilla/5.0".to_owned(),
            portal: "Portal".to_owned(),
        },
    }
}

fn signed() -> Result<SignedEnvelope, EnvelopeError> {
    SignedEnvelope::sign(&challenge(), &portal_key())
}

/// Flips one bit of the decoded bytes of a base64url field and re-encodes it.
fn flip(field: &str, index: usize) -> Result<String, base64::DecodeError> {
    let mut bytes = URL_SAFE_NO_PAD.decode(field)?;
    bytes[index] ^= 0x01;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[test]
fn challenge_round_trip_through_json_envelope() -> TestResult {
    let json = serde_json::to_string(&signed()?)?;
    let envelope: SignedEnvelope = serde_json::from_str(&json)?;
    let opened: Challenge = envelope.open(&portal_key().verifying_key())?;
    assert_eq!(opened, challenge());
    Ok(())
}

#[test]
fn flipped_payload_byte_is_refused() -> TestResult {
    let mut envelope = signed()?;
    envelope.payload = flip(&envelope.payload, 10)?;
    let result = envelope.open::<Challenge>(&portal_key().verifying_key());
    assert!(matches!(result, Err(EnvelopeError::BadSignature)));
    Ok(())
}

#[test]
fn flipped_signature_byte_is_refused() -> TestResult {
    for index in [0, 31, 32, 63] {
        let mut envelope = signed()?;
        envelope.sig = flip(&envelope.sig, index)?;
        let result = envelope.open::<Challenge>(&portal_key().verifying_key());
        assert!(
            matches!(result, Err(EnvelopeError::BadSignature)),
            "{index}"
        );
    }
    Ok(())
}

#[test]
fn wrong_key_is_refused() -> TestResult {
    let other = SigningKey::from_bytes(&[12; 32]).verifying_key();
    let result = signed()?.open::<Challenge>(&other);
    assert!(matches!(result, Err(EnvelopeError::BadSignature)));
    Ok(())
}

#[test]
fn truncated_signature_is_refused() -> TestResult {
    let mut envelope = signed()?;
    let mut bytes = URL_SAFE_NO_PAD.decode(&envelope.sig)?;
    bytes.truncate(63);
    envelope.sig = URL_SAFE_NO_PAD.encode(bytes);
    let result = envelope.open::<Challenge>(&portal_key().verifying_key());
    assert!(matches!(
        result,
        Err(EnvelopeError::InvalidSignatureLength { len: 63 })
    ));
    Ok(())
}

#[test]
fn bad_base64_is_refused() -> TestResult {
    let mut envelope = signed()?;
    envelope.sig.push('!');
    let result = envelope.open::<Challenge>(&portal_key().verifying_key());
    assert!(matches!(
        result,
        Err(EnvelopeError::InvalidBase64 { field: "sig" })
    ));

    let mut envelope = signed()?;
    envelope.payload.insert(0, '=');
    let result = envelope.open::<Challenge>(&portal_key().verifying_key());
    assert!(matches!(
        result,
        Err(EnvelopeError::InvalidBase64 { field: "payload" })
    ));
    Ok(())
}

#[test]
fn oversize_envelope_is_refused_before_decoding() -> TestResult {
    let envelope = SignedEnvelope {
        payload: "!".repeat(MAX_ENVELOPE_LEN),
        sig: "A".to_owned(),
    };
    let result = envelope.open::<Challenge>(&portal_key().verifying_key());
    assert!(matches!(
        result,
        Err(EnvelopeError::TooLarge { len, max: MAX_ENVELOPE_LEN }) if len == MAX_ENVELOPE_LEN + 1
    ));
    Ok(())
}

#[test]
fn oversize_message_is_not_signed() -> TestResult {
    #[derive(Serialize)]
    struct Big {
        filler: String,
    }
    let big = Big {
        filler: "x".repeat(MAX_ENVELOPE_LEN),
    };
    let result = SignedEnvelope::sign(&big, &portal_key());
    assert!(matches!(result, Err(EnvelopeError::TooLarge { .. })));
    Ok(())
}

#[test]
fn good_signature_over_another_message_type_is_refused() -> TestResult {
    #[derive(Serialize, Deserialize)]
    struct Other {
        hello: u32,
    }
    let envelope = SignedEnvelope::sign(&Other { hello: 1 }, &portal_key())?;
    let result = envelope.open::<Challenge>(&portal_key().verifying_key());
    assert!(matches!(result, Err(EnvelopeError::InvalidPayload(_))));
    Ok(())
}

#[test]
fn unknown_envelope_fields_are_refused() -> TestResult {
    let json = serde_json::to_string(&signed()?)?;
    let extra = json.replacen('{', "{\"alg\":\"none\",", 1);
    assert!(serde_json::from_str::<SignedEnvelope>(&extra).is_err());
    Ok(())
}
