//! Fuzz target: the protocol v1 messages from JSON, as both sides read them.
//!
//! The same bytes are read as every message type. Whatever parses must write and read back to
//! an equal value (the wire form is the only form), and the freshness checks must answer for
//! any clock without panicking.

#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use zweifaktor_protocol::messages::{
    Challenge, ChallengeAnswer, ChallengeList, DeviceRegistered, LoginContext, RegisterDevice,
};

/// Clocks to check freshness at: the epoch, a real time, and the far end.
const CLOCKS: [u64; 3] = [0, 1_700_000_000, u64::MAX];

/// Parses `data` as `T`; a value that parses must survive a JSON round trip unchanged.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(data: &[u8]) -> Option<T> {
    let value: T = serde_json::from_slice(data).ok()?;
    let json = match serde_json::to_vec(&value) {
        Ok(json) => json,
        Err(err) => panic!(
            "a parsed {} does not serialize: {err}",
            std::any::type_name::<T>()
        ),
    };
    match serde_json::from_slice::<T>(&json) {
        Ok(again) => assert_eq!(again, value, "JSON round trip changed the value"),
        Err(err) => panic!(
            "a serialized {} does not parse: {err}",
            std::any::type_name::<T>()
        ),
    }
    Some(value)
}

fuzz_target!(|data: &[u8]| {
    if let Some(challenge) = round_trip::<Challenge>(data) {
        for now in CLOCKS {
            let _ = challenge.check_fresh(now);
        }
        let _ = challenge.check_fresh(challenge.expires_at);
    }
    if let Some(answer) = round_trip::<ChallengeAnswer>(data) {
        for now in CLOCKS {
            let _ = answer.check_timestamp(now);
        }
        let _ = answer.answer_nonce.to_hex();
    }
    round_trip::<ChallengeList>(data);
    round_trip::<LoginContext>(data);
    if let Some(register) = round_trip::<RegisterDevice>(data) {
        let _ = register.platform.display_name();
    }
    round_trip::<DeviceRegistered>(data);
});
