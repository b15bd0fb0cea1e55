//! OCRA, the OATH challenge-response algorithm of RFC 6287, for every suite the RFC defines.
//!
//! Zweifaktor binds each login code to its login: the portal's random nonce is the question of
//! suite [`ZWEIFAKTOR_SUITE`], so a code shown for one login attempt is worthless for any
//! other. No maintained crate covers OCRA, so it is written here on the RustCrypto `hmac`,
//! `sha1` and `sha2` crates and checked against every vector of RFC 6287 Appendix C.
//!
//! # Layout
//! - [`suite`]: parsing and printing suite strings such as `OCRA-1:HOTP-SHA1-6:QN08`.
//! - [`input`]: the counter, question, password, session and timestamp of one computation.
//! - [`question`]: how challenges become the 128-byte question field.
//! - [`compute`]: [`ocra`] and [`verify_ocra`].
//! - [`error`]: [`OcraSuiteError`] and [`OcraError`].

pub mod compute;
pub mod error;
pub mod input;
pub mod question;
pub mod suite;

pub use compute::{MIN_KEY_BYTES, ocra, verify_ocra};
pub use error::{OcraError, OcraSuiteError};
pub use input::{OcraInput, OcraPassword, OcraQuestion};
pub use suite::{OcraSuite, QuestionFormat, TimeStep, TimeUnit};

use crate::Seed;
use crate::otp::Code;

/// The suite of Zweifaktor's login codes (DESIGN.md): HMAC-SHA-256, six digits, and a question
/// of 64 hex digits that carries the portal's 32-byte challenge nonce. Six digits are what a
/// person types comfortably; the nonce makes each code single-use.
pub const ZWEIFAKTOR_SUITE: &str = "OCRA-1:HOTP-SHA256-6:QH64";

/// Length of the portal's challenge nonce: 32 bytes, written as the 64 hex digits `QH64` holds.
pub const NONCE_BYTES: usize = 32;

/// The code the app shows for a login challenge: OCRA with [`ZWEIFAKTOR_SUITE`] over the
/// account's seed, with the challenge nonce (in hex) as the question.
///
/// # Errors
/// [`OcraError::InvalidKeyLength`] for a seed under [`MIN_KEY_BYTES`].
pub fn zweifaktor_code(seed: &Seed, nonce: &[u8; NONCE_BYTES]) -> Result<Code, OcraError> {
    let question = hex::encode(nonce);
    ocra(&OcraSuite::zweifaktor(), seed, &OcraInput::new(&question))
}

/// The portal's check of a typed login code against its challenge nonce, in constant time.
///
/// # Errors
/// Those of [`zweifaktor_code`].
pub fn verify_zweifaktor_code(
    seed: &Seed,
    nonce: &[u8; NONCE_BYTES],
    candidate: &str,
) -> Result<bool, OcraError> {
    let question = hex::encode(nonce);
    verify_ocra(
        &OcraSuite::zweifaktor(),
        seed,
        &OcraInput::new(&question),
        candidate,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lets tests use `?` instead of `unwrap`.
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn seed() -> Seed {
        Seed::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn zweifaktor_code_is_the_general_suite_over_the_hex_nonce() -> TestResult {
        let nonce: [u8; NONCE_BYTES] = std::array::from_fn(|i| (i * 7 + 3) as u8);
        let code = zweifaktor_code(&seed(), &nonce)?;
        assert_eq!(code.as_str().len(), 6);

        let suite: OcraSuite = ZWEIFAKTOR_SUITE.parse()?;
        let upper = hex::encode_upper(nonce);
        let general = ocra(&suite, &seed(), &OcraInput::new(&upper))?;
        assert_eq!(code.as_str(), general.as_str());
        Ok(())
    }

    #[test]
    fn each_nonce_gets_its_own_code() -> TestResult {
        let first = zweifaktor_code(&seed(), &[0; NONCE_BYTES])?;
        let mut nonce = [0; NONCE_BYTES];
        nonce[31] = 1;
        let second = zweifaktor_code(&seed(), &nonce)?;
        assert_ne!(first.as_str(), second.as_str());
        Ok(())
    }

    #[test]
    fn verify_accepts_only_the_code_of_that_nonce() -> TestResult {
        let nonce = [0x5a; NONCE_BYTES];
        let code = zweifaktor_code(&seed(), &nonce)?;
        assert_eq!(
            verify_zweifaktor_code(&seed(), &nonce, code.as_str()),
            Ok(true)
        );
        let mut other = nonce;
        other[0] ^= 1;
        assert_eq!(
            verify_zweifaktor_code(&seed(), &other, code.as_str()),
            Ok(false)
        );
        assert_eq!(
            verify_zweifaktor_code(&seed(), &nonce, "000000x"),
            Ok(false)
        );
        Ok(())
    }

    #[test]
    fn short_seeds_are_rejected() {
        let short = Seed::from_bytes(vec![1; 15]);
        assert_eq!(
            zweifaktor_code(&short, &[0; NONCE_BYTES]).err(),
            Some(OcraError::InvalidKeyLength { len: 15 })
        );
    }
}
