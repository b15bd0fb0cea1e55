//! Steam Guard codes: TOTP (SHA-1, 30 s steps) shown as five characters of Steam's alphabet.
//!
//! Steam takes the 31-bit value of RFC 4226's dynamic truncation and writes it in base 26 over
//! `23456789BCDFGHJKMNPQRTVWXY`, least significant character first. `totp-rs` implements this
//! as its `Steam` algorithm, which is what is used here.

use super::{Code, OtpError};
use crate::Seed;

/// Steam's time step: 30 seconds, fixed.
pub const STEAM_PERIOD_SECS: u64 = 30;

/// Characters in a Steam Guard code.
pub const STEAM_CODE_LEN: u8 = 5;

/// The Steam Guard code for `unix_time`.
///
/// # Errors
/// [`OtpError::EmptySeed`] for a seed without bytes.
pub fn steam(seed: &Seed, unix_time: u64) -> Result<Code, OtpError> {
    if seed.is_empty() {
        return Err(OtpError::EmptySeed);
    }
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::Steam)
        .with_digits(STEAM_CODE_LEN)
        .with_step_duration(1)
        .with_secret(seed.as_bytes())
        .build_noncompliant();
    Ok(Code::from_token(
        &totp.generate(unix_time / STEAM_PERIOD_SECS),
        STEAM_CODE_LEN,
    ))
}
