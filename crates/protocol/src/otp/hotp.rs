//! HOTP, the counter-based one-time password of RFC 4226, computed by `totp-rs`.

use super::params::Generator;
use super::{Code, OtpError, OtpParams};
use crate::Seed;

/// The HOTP code for `counter` (RFC 4226 §5.3).
///
/// # Errors
/// [`OtpError::InvalidDigits`] for a digit count outside 6..=8 and [`OtpError::EmptySeed`]
/// for a seed without bytes. Seeds under the 128 bits of RFC 4226 §4 (R6) are accepted,
/// because sites issue them.
pub fn hotp(seed: &Seed, params: OtpParams, counter: u64) -> Result<Code, OtpError> {
    Ok(Generator::new(seed, params)?.code(counter))
}

/// Checks `candidate` against the counters `counter ..= counter + look_ahead` and returns the
/// counter that matched.
///
/// The look-ahead window is the resynchronisation of RFC 4226 §7.4: a token whose button was
/// pressed without logging in is ahead of the server. The caller stores `matched + 1` as the
/// next expected counter, so no code is accepted twice (§7.2). All counters in the window are
/// compared in constant time. Invalid parameters (see [`hotp`]) and malformed candidates match
/// nothing.
pub fn verify_hotp(
    seed: &Seed,
    params: OtpParams,
    counter: u64,
    candidate: &str,
    look_ahead: u8,
) -> Option<u64> {
    let generator = Generator::new(seed, params).ok()?;
    let last = counter.saturating_add(u64::from(look_ahead));
    generator.find(candidate, counter..=last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::HashAlgorithm;

    /// Lets tests use `?` instead of `unwrap`.
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn seed() -> Seed {
        Seed::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn short_seeds_make_codes_and_an_empty_one_is_refused() {
        let empty = Seed::from_bytes(Vec::new());
        assert_eq!(
            hotp(&empty, OtpParams::default(), 0).err(),
            Some(OtpError::EmptySeed)
        );
        assert_eq!(
            verify_hotp(&empty, OtpParams::default(), 0, "000000", 10),
            None
        );
        for len in [1, 10, 15, 16] {
            assert!(hotp(&Seed::from_bytes(vec![7; len]), OtpParams::default(), 0).is_ok());
        }
    }

    #[test]
    fn hand_built_params_are_checked_too() {
        let params = OtpParams {
            algorithm: HashAlgorithm::Sha1,
            digits: 10,
        };
        assert_eq!(
            hotp(&seed(), params, 0).err(),
            Some(OtpError::InvalidDigits { digits: 10 })
        );
        assert_eq!(verify_hotp(&seed(), params, 0, "0000000000", 3), None);
    }

    #[test]
    fn verify_finds_the_counter_inside_the_window_only() {
        let params = OtpParams::default();
        // RFC 4226 Appendix D: counter 3 gives 969429.
        assert_eq!(verify_hotp(&seed(), params, 3, "969429", 0), Some(3));
        assert_eq!(verify_hotp(&seed(), params, 0, "969429", 3), Some(3));
        assert_eq!(verify_hotp(&seed(), params, 0, "969429", 2), None);
        assert_eq!(verify_hotp(&seed(), params, 4, "969429", 9), None);
    }

    #[test]
    fn verify_rejects_wrong_and_malformed_codes() {
        let params = OtpParams::default();
        assert_eq!(verify_hotp(&seed(), params, 0, "755225", 0), None);
        assert_eq!(verify_hotp(&seed(), params, 0, "75522", 0), None);
        assert_eq!(verify_hotp(&seed(), params, 0, "7552240", 0), None);
        assert_eq!(verify_hotp(&seed(), params, 0, "+55224", 0), None);
        assert_eq!(verify_hotp(&seed(), params, 0, "", 0), None);
    }

    #[test]
    fn the_window_stops_at_the_last_counter() -> TestResult {
        let params = OtpParams::default();
        let code = hotp(&seed(), params, u64::MAX)?;
        assert_eq!(
            verify_hotp(&seed(), params, u64::MAX - 1, code.as_str(), 255),
            Some(u64::MAX)
        );
        Ok(())
    }
}
