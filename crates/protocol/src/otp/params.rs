//! Parameters shared by HOTP and TOTP, and the one place that hands them to `totp-rs`.

use subtle::{Choice, ConditionallySelectable};

use super::{Code, HashAlgorithm, OtpError};
use crate::Seed;

/// Fewest digits a code may have: RFC 4226 §5.3 (R4) demands at least six.
pub const MIN_DIGITS: u8 = 6;

/// Most digits a code may have: RFC 4226 §5.3 allows 7 and 8; more would exceed the 31 bits
/// the dynamic truncation yields without adding strength.
pub const MAX_DIGITS: u8 = 8;

/// How a HOTP or TOTP code is computed: hash function and digit count.
///
/// The fields are public because `otpauth://` URIs carry them; [`OtpParams::new`] checks the
/// digit count early, and [`super::hotp()`] and [`super::totp()`] check it again, so a value built
/// by hand can still not produce a non-standard code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtpParams {
    /// The HMAC hash function.
    pub algorithm: HashAlgorithm,
    /// Number of decimal digits, 6 to 8.
    pub digits: u8,
}

impl OtpParams {
    /// Validated parameters.
    ///
    /// # Errors
    /// [`OtpError::InvalidDigits`] unless `digits` is in 6..=8.
    pub fn new(algorithm: HashAlgorithm, digits: u8) -> Result<Self, OtpError> {
        if (MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
            Ok(Self { algorithm, digits })
        } else {
            Err(OtpError::InvalidDigits { digits })
        }
    }
}

impl Default for OtpParams {
    /// SHA-1 and six digits: what RFC 6238 §4 and nearly every authenticator app default to.
    fn default() -> Self {
        Self {
            algorithm: HashAlgorithm::Sha1,
            digits: MIN_DIGITS,
        }
    }
}

/// A HOTP generator backed by `totp-rs`.
///
/// `totp-rs` computes TOTP as HOTP over `time / step`. With a step of one second its "time" is
/// the HOTP counter itself, so one generator serves RFC 4226 (counter) and RFC 6238 (the caller
/// divides the Unix time by the period first, RFC 6238 §4.2). The parameters are checked here,
/// which is why the builder's own checks are skipped with `build_noncompliant`. The copy of the
/// seed inside `totp_rs::Totp` is wiped when the generator is dropped (its `zeroize` feature).
pub(crate) struct Generator {
    totp: totp_rs::Totp,
    digits: u8,
}

impl Generator {
    pub(crate) fn new(seed: &Seed, params: OtpParams) -> Result<Self, OtpError> {
        let OtpParams { algorithm, digits } = OtpParams::new(params.algorithm, params.digits)?;
        // Short seeds are allowed: sites issue 80-bit ones, and refusing them here would
        // only stop codes the site itself accepts. An empty one makes the same codes for all.
        if seed.is_empty() {
            return Err(OtpError::EmptySeed);
        }
        let totp = totp_rs::Builder::new()
            .with_algorithm(match algorithm {
                HashAlgorithm::Sha1 => totp_rs::Algorithm::SHA1,
                HashAlgorithm::Sha256 => totp_rs::Algorithm::SHA256,
                HashAlgorithm::Sha512 => totp_rs::Algorithm::SHA512,
            })
            .with_digits(digits)
            .with_step_duration(1)
            .with_secret(seed.as_bytes())
            .build_noncompliant();
        Ok(Self { totp, digits })
    }

    /// HOTP(seed, counter), RFC 4226 §5.3.
    pub(crate) fn code(&self, counter: u64) -> Code {
        Code::from_token(&self.totp.generate(counter), self.digits)
    }

    /// The first counter in `counters` whose code equals `candidate`.
    ///
    /// Every counter is computed and compared, with no early exit, so the time taken does not
    /// tell which counter (if any) matched.
    pub(crate) fn find(&self, candidate: &str, counters: impl Iterator<Item = u64>) -> Option<u64> {
        if candidate.len() != usize::from(self.digits)
            || !candidate.bytes().all(|byte| byte.is_ascii_digit())
        {
            return None;
        }
        let mut found = Choice::from(0);
        let mut matched = 0u64;
        for counter in counters {
            let hit = self.code(counter).ct_matches(candidate) & !found;
            matched.conditional_assign(&counter, hit);
            found |= hit;
        }
        bool::from(found).then_some(matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lets tests use `?` instead of `unwrap`.
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn digits_outside_six_to_eight_are_rejected() {
        for digits in [0, 5, 9, 10, 255] {
            assert_eq!(
                OtpParams::new(HashAlgorithm::Sha1, digits),
                Err(OtpError::InvalidDigits { digits })
            );
        }
        for digits in 6..=8 {
            assert!(OtpParams::new(HashAlgorithm::Sha256, digits).is_ok());
        }
    }

    #[test]
    fn default_is_sha1_with_six_digits() -> TestResult {
        assert_eq!(
            OtpParams::default(),
            OtpParams::new(HashAlgorithm::Sha1, 6)?
        );
        Ok(())
    }
}
