//! TOTP, the time-based one-time password of RFC 6238, computed by `totp-rs`.
//!
//! TOTP is HOTP over the time step `T = floor(unix_time / period)` (RFC 6238 §4.2), so these
//! functions divide the time and hand the step to the same generator as [`super::hotp()`].

use super::params::Generator;
use super::{Code, OtpError, OtpParams};
use crate::Seed;

/// The TOTP code for `unix_time` (seconds since 1970-01-01 UTC) with steps of `period` seconds.
///
/// # Errors
/// [`OtpError::ZeroPeriod`] for a zero period, and the errors of [`super::hotp()`].
pub fn totp(seed: &Seed, params: OtpParams, period: u64, unix_time: u64) -> Result<Code, OtpError> {
    let step = time_step(period, unix_time)?;
    Ok(Generator::new(seed, params)?.code(step))
}

/// Seconds until the code shown at `unix_time` is replaced, for the countdown next to it:
/// `period` at the start of a step, 1 in its last second, 0 for a zero period.
pub fn totp_seconds_left(period: u64, unix_time: u64) -> u64 {
    match unix_time.checked_rem(period) {
        Some(elapsed) => period - elapsed,
        None => 0,
    }
}

/// Checks `candidate` against the time step of `unix_time` and `skew_steps` steps either side,
/// and returns the time step that matched.
///
/// RFC 6238 §5.2 recommends one step of skew for clock drift and network delay. The current
/// step is tried first, then the steps one before and after it, and so on, so a code that
/// happens to be valid twice is attributed to the nearest step. The caller must refuse a step
/// it has already accepted for this seed (§5.2). All steps are compared in constant time.
/// Invalid parameters (see [`totp`]) and malformed candidates match nothing.
pub fn verify_totp(
    seed: &Seed,
    params: OtpParams,
    period: u64,
    candidate: &str,
    unix_time: u64,
    skew_steps: u8,
) -> Option<u64> {
    let step = time_step(period, unix_time).ok()?;
    let generator = Generator::new(seed, params).ok()?;
    let nearest_first =
        std::iter::once(step).chain((1..=u64::from(skew_steps)).flat_map(move |distance| {
            [step.checked_sub(distance), step.checked_add(distance)]
                .into_iter()
                .flatten()
        }));
    generator.find(candidate, nearest_first)
}

fn time_step(period: u64, unix_time: u64) -> Result<u64, OtpError> {
    unix_time.checked_div(period).ok_or(OtpError::ZeroPeriod)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lets tests use `?` instead of `unwrap`.
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn seed() -> Seed {
        Seed::from_bytes(b"12345678901234567890".to_vec())
    }

    /// RFC 6238 Appendix B, SHA-1 row for T = 59 s, truncated to the 6 digits the app shows.
    const CODE_AT_59: &str = "287082";

    #[test]
    fn zero_period_is_rejected() {
        assert_eq!(
            totp(&seed(), OtpParams::default(), 0, 59).err(),
            Some(OtpError::ZeroPeriod)
        );
        assert_eq!(
            verify_totp(&seed(), OtpParams::default(), 0, CODE_AT_59, 59, 1),
            None
        );
    }

    #[test]
    fn six_digit_code_is_the_rfc_code_truncated() -> TestResult {
        let code = totp(&seed(), OtpParams::default(), 30, 59)?;
        assert_eq!(code.as_str(), CODE_AT_59);
        Ok(())
    }

    #[test]
    fn seconds_left_counts_down_within_a_step() {
        assert_eq!(totp_seconds_left(30, 0), 30);
        assert_eq!(totp_seconds_left(30, 29), 1);
        assert_eq!(totp_seconds_left(30, 30), 30);
        assert_eq!(totp_seconds_left(30, 59), 1);
        assert_eq!(totp_seconds_left(60, 1_206_446_790), 30);
        assert_eq!(totp_seconds_left(0, 59), 0);
    }

    #[test]
    fn verify_accepts_the_skew_window_only() {
        let params = OtpParams::default();
        // The code of step 1 (30..=59 s).
        assert_eq!(verify_totp(&seed(), params, 30, CODE_AT_59, 45, 0), Some(1));
        assert_eq!(verify_totp(&seed(), params, 30, CODE_AT_59, 75, 1), Some(1));
        assert_eq!(verify_totp(&seed(), params, 30, CODE_AT_59, 15, 1), Some(1));
        assert_eq!(verify_totp(&seed(), params, 30, CODE_AT_59, 75, 0), None);
        assert_eq!(verify_totp(&seed(), params, 30, CODE_AT_59, 105, 1), None);
        assert_eq!(
            verify_totp(&seed(), params, 30, CODE_AT_59, 105, 2),
            Some(1)
        );
    }

    #[test]
    fn verify_rejects_a_wrong_code() {
        let params = OtpParams::default();
        assert_eq!(verify_totp(&seed(), params, 30, "287083", 59, 1), None);
        assert_eq!(verify_totp(&seed(), params, 30, "28708", 59, 1), None);
        assert_eq!(verify_totp(&seed(), params, 30, "28708a", 59, 1), None);
    }

    #[test]
    fn skew_at_the_epoch_does_not_underflow() -> TestResult {
        let params = OtpParams::default();
        let code = totp(&seed(), params, 30, 0)?;
        assert_eq!(
            verify_totp(&seed(), params, 30, code.as_str(), 0, 3),
            Some(0)
        );
        Ok(())
    }
}
