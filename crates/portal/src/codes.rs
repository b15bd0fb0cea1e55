//! The security-code check: OCRA over the login's challenge nonce, or the TOTP code of the
//! current or the previous time step as the offline fallback (DESIGN.md, "Security code").

use zweifaktor_protocol::Seed;
use zweifaktor_protocol::otp::ocra::NONCE_BYTES;
use zweifaktor_protocol::otp::{OtpParams, verify_totp, verify_zweifaktor_code};

/// TOTP time step: 30 seconds, RFC 6238 §5.2's recommendation and the enrollment URI's period.
pub const TOTP_PERIOD_SECS: u64 = 30;

/// TOTP steps accepted before the current one. RFC 6238 §5.2 recommends at most one step
/// "for transmission delay": a code typed just before its step ended arrives in the next.
/// No step ahead is accepted: the app and the portal take their time from synchronised
/// clocks, and each accepted step is one more code that a guess can hit (crate README,
/// "Guessing odds": with the OCRA code, 3 codes per guess instead of 4).
pub const TOTP_PAST_STEPS: u64 = 1;

/// What a typed code matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMatch {
    /// The OCRA code of this login's challenge.
    Ocra,
    /// The TOTP code of this time step; the caller must refuse a step used before
    /// (RFC 6238 §5.2).
    Totp {
        /// The matched time step.
        step: u64,
    },
    /// Neither.
    NoMatch,
}

/// Checks `code` against the challenge `nonce_hex` (OCRA) and the time `now` (TOTP).
pub fn check_login_code(seed: &Seed, nonce_hex: &str, code: &str, now: i64) -> CodeMatch {
    let code = code.trim();
    let mut nonce = [0u8; NONCE_BYTES];
    if hex::decode_to_slice(nonce_hex, &mut nonce).is_ok()
        && matches!(verify_zweifaktor_code(seed, &nonce, code), Ok(true))
    {
        return CodeMatch::Ocra;
    }
    let Ok(now) = u64::try_from(now) else {
        return CodeMatch::NoMatch;
    };
    (0..=TOTP_PAST_STEPS)
        .filter_map(|back| now.checked_sub(back * TOTP_PERIOD_SECS))
        .find_map(|at| verify_totp(seed, OtpParams::default(), TOTP_PERIOD_SECS, code, at, 0))
        .map_or(CodeMatch::NoMatch, |step| CodeMatch::Totp { step })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zweifaktor_protocol::otp::{totp, zweifaktor_code};

    const NOW: i64 = 1_700_000_000;

    fn seed() -> Seed {
        Seed::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn ocra_code_of_this_nonce_matches_and_of_another_does_not() {
        let nonce = [7u8; 32];
        let code = zweifaktor_code(&seed(), &nonce).unwrap();
        assert_eq!(
            check_login_code(&seed(), &hex::encode(nonce), code.as_str(), NOW),
            CodeMatch::Ocra
        );
        let other = hex::encode([8u8; 32]);
        let result = check_login_code(&seed(), &other, code.as_str(), NOW);
        assert!(!matches!(result, CodeMatch::Ocra));
    }

    /// The test seed's TOTP code at unix time `t`.
    fn at(t: i64) -> zweifaktor_protocol::otp::Code {
        totp(
            &seed(),
            OtpParams::default(),
            TOTP_PERIOD_SECS,
            u64::try_from(t).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn totp_within_one_step_matches_two_steps_off_does_not() {
        let nonce = hex::encode([1u8; 32]);
        let period = i64::try_from(TOTP_PERIOD_SECS).unwrap();
        let step = u64::try_from(NOW).unwrap() / TOTP_PERIOD_SECS;
        assert_eq!(
            check_login_code(&seed(), &nonce, at(NOW).as_str(), NOW),
            CodeMatch::Totp { step }
        );
        assert!(matches!(
            check_login_code(&seed(), &nonce, at(NOW - period).as_str(), NOW),
            CodeMatch::Totp { .. }
        ));
        let far = at(NOW - 3 * period);
        if far.as_str() != at(NOW).as_str() {
            assert_eq!(
                check_login_code(&seed(), &nonce, far.as_str(), NOW),
                CodeMatch::NoMatch
            );
        }
    }

    /// Regression (issue 9, finding 7): the code of the next time step was accepted too, one
    /// more accepted code per guess than RFC 6238 §5.2's transmission delay needs.
    #[test]
    fn totp_of_the_next_step_is_refused() {
        let nonce = hex::encode([1u8; 32]);
        let period = i64::try_from(TOTP_PERIOD_SECS).unwrap();
        let next = at(NOW + period);
        assert!(
            next.as_str() != at(NOW).as_str() && next.as_str() != at(NOW - period).as_str(),
            "the seed's three codes differ at NOW"
        );
        assert_eq!(
            check_login_code(&seed(), &nonce, next.as_str(), NOW),
            CodeMatch::NoMatch
        );
    }

    #[test]
    fn garbage_matches_nothing() {
        let nonce = hex::encode([1u8; 32]);
        for bad in ["", "abcdef", "1234567", "12 34 56"] {
            assert_eq!(
                check_login_code(&seed(), &nonce, bad, NOW),
                CodeMatch::NoMatch,
                "{bad}"
            );
        }
        assert_eq!(
            check_login_code(&seed(), "not hex", "123456", -1),
            CodeMatch::NoMatch
        );
    }
}
