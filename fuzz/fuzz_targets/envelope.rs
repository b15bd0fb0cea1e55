//! Fuzz target: signed envelopes, as the app opens the portal's challenges.
//!
//! The first byte picks what the rest is:
//! - even: an envelope's JSON, opened under a fixed portal key. This drives the size limit,
//!   the base64 decoding and the signature check; no envelope may open under another key.
//! - odd: a payload, signed with that key, so that the JSON parser behind the signature check
//!   is reached too; opened as a `Challenge` (then its freshness check) and as a
//!   `ChallengeAnswer`. A challenge that opens must sign and open again to an equal value.

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use libfuzzer_sys::fuzz_target;
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::envelope::EnvelopeError;
use zweifaktor_protocol::messages::{Challenge, ChallengeAnswer};

/// A fixed portal key (the fuzzer cannot forge its signatures, so the odd mode signs).
const PORTAL_KEY: [u8; 32] = [7; 32];

/// Another key, under which nothing signed with the portal key may open.
const OTHER_KEY: [u8; 32] = [8; 32];

/// A clock in the range of real challenges.
const NOW: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let key = SigningKey::from_bytes(&PORTAL_KEY);
    let envelope = if mode % 2 == 0 {
        let Ok(envelope) = serde_json::from_slice::<SignedEnvelope>(rest) else {
            return;
        };
        let other = SigningKey::from_bytes(&OTHER_KEY).verifying_key();
        assert!(
            envelope.open::<serde_json::Value>(&other).is_err(),
            "an envelope opened under a key that did not sign it"
        );
        envelope
    } else {
        SignedEnvelope {
            payload: URL_SAFE_NO_PAD.encode(rest),
            sig: URL_SAFE_NO_PAD.encode(key.sign(rest).to_bytes()),
        }
    };
    if let Ok(challenge) = envelope.open::<Challenge>(&key.verifying_key()) {
        let _ = challenge.check_fresh(NOW);
        let _ = challenge.check_fresh(challenge.issued_at);
        let _ = challenge.check_fresh(u64::MAX);
        let resigned = SignedEnvelope::sign(&challenge, &key)
            .map(|e| e.open::<Challenge>(&key.verifying_key()));
        match resigned {
            Ok(Ok(again)) => assert_eq!(
                again, challenge,
                "challenge changed in a sign/open round trip"
            ),
            Ok(Err(err)) => panic!("a signed challenge did not open: {err}"),
            // Only a challenge at the size limit may fail to sign again.
            Err(EnvelopeError::TooLarge { .. }) => {}
            Err(err) => panic!("an opened challenge did not sign again: {err}"),
        }
    }
    if let Ok(answer) = envelope.open::<ChallengeAnswer>(&key.verifying_key()) {
        let _ = answer.check_timestamp(NOW);
        let _ = answer.check_timestamp(u64::MAX);
        let _ = answer.check_timestamp(0);
    }
});
