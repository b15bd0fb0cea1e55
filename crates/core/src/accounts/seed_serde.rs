//! Stores a [`Seed`] as base64 inside the vault's encrypted contents.
//!
//! The intermediate strings are zeroized, so the plaintext seed does not linger on the heap
//! after a save or an unlock.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serializer, de::Error};
use zeroize::Zeroizing;
use zweifaktor_protocol::Seed;

pub(super) fn serialize<S: Serializer>(seed: &Seed, s: S) -> Result<S::Ok, S::Error> {
    let text = Zeroizing::new(STANDARD.encode(seed.as_bytes()));
    s.serialize_str(&text)
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Seed, D::Error> {
    let text = Zeroizing::<String>::deserialize(d)?;
    let bytes = STANDARD
        .decode(text.as_bytes())
        .map_err(|_| D::Error::custom("seed is not valid base64"))?;
    Ok(Seed::from_bytes(bytes))
}
