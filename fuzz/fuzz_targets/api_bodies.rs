//! Fuzz target: the device API's request bodies, read the way the portal reads them.
//!
//! The portal's handlers (`crates/portal/src/web/api.rs`) take their bodies through axum's
//! `Json` extractor: `POST /api/v1/devices` a `RegisterDevice`, `POST
//! /api/v1/challenges/{id}/answer` a `SignedEnvelope` holding a device-signed
//! `ChallengeAnswer`. The first byte picks what the rest is:
//! - 0 mod 3: a registration body.
//! - 1 mod 3: an answer body, opened under a fixed device key (the fuzzer cannot forge it);
//!   no answer may open under another device's key.
//! - 2 mod 3: an answer payload, signed with that key and sent as an answer body, so the
//!   answer's own checks behind the signature are reached: its ids and its timestamp.

#![no_main]

use axum::Json;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use libfuzzer_sys::fuzz_target;
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::{ChallengeAnswer, RegisterDevice};

/// A fixed device key.
const DEVICE_KEY: [u8; 32] = [3; 32];

/// Another device's key, under which nothing signed with the device key may open.
const OTHER_KEY: [u8; 32] = [4; 32];

/// A clock in the range of real answers.
const NOW: u64 = 1_700_000_000;

/// Opens an answer body as the answer handler does, up to the database.
fn answer(body: &[u8], key: &SigningKey) {
    let Ok(Json(envelope)) = Json::<SignedEnvelope>::from_bytes(body) else {
        return;
    };
    let Ok(answer) = envelope.open::<ChallengeAnswer>(&key.verifying_key()) else {
        return;
    };
    let _ = answer.check_timestamp(NOW);
    let _ = answer.answer_nonce.to_hex();
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let key = SigningKey::from_bytes(&DEVICE_KEY);
    match mode % 3 {
        0 => {
            if let Ok(Json(register)) = Json::<RegisterDevice>::from_bytes(rest) {
                let _ = register.label.trim().chars().count();
                let _ = register
                    .push_token
                    .as_deref()
                    .map(str::chars)
                    .map(Iterator::count);
            }
        }
        1 => {
            if let Ok(Json(envelope)) = Json::<SignedEnvelope>::from_bytes(rest) {
                let other = SigningKey::from_bytes(&OTHER_KEY).verifying_key();
                assert!(
                    envelope.open::<serde_json::Value>(&other).is_err(),
                    "an answer opened under another device's key"
                );
            }
            answer(rest, &key);
        }
        _ => {
            let envelope = SignedEnvelope {
                payload: URL_SAFE_NO_PAD.encode(rest),
                sig: URL_SAFE_NO_PAD.encode(key.sign(rest).to_bytes()),
            };
            if let Ok(body) = serde_json::to_vec(&envelope) {
                answer(&body, &key);
            }
        }
    }
});
