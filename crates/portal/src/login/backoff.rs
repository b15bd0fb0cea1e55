//! The wait after wrong passwords on one account: stored with the account (so every portal
//! instance sees it), growing with each wrong password, and over once it has passed.
//!
//! NIST SP 800-63B §5.2.2 lets a verifier slow failed attempts down with increasing waits
//! instead of locking the account. A lock on wrong passwords would let anyone who knows an
//! e-mail address shut its owner out (issue 9, finding 5); the wait only slows a guesser down
//! and ends on its own. The permanent lock counts failed second factors only
//! (`storage::users::LOCK_AFTER_FAILURES`).

/// Wrong passwords in a row that cost no wait: a person who mistypes a few times is never
/// slowed down. Ten matches the in-memory burst per account (`ratelimit::PASSWORD_PER_ACCOUNT`),
/// so a burst of guesses meets both limits at the same attempt.
pub const FREE_PASSWORD_FAILURES: i64 = 10;

/// The wait after the first wrong password beyond [`FREE_PASSWORD_FAILURES`]; each further
/// one doubles it.
pub const FIRST_WAIT_SECS: i64 = 30;

/// The longest wait: 15 minutes caps a guesser at about 100 passwords a day per account
/// (OWASP Authentication Cheat Sheet, "Account lockout": lockout periods of minutes), while
/// the owner who arrives after a guessing burst waits at most this long.
pub const MAX_WAIT_SECS: i64 = 15 * 60;

/// Seconds the account must still wait before its password is checked again, after
/// `failures` wrong passwords in a row, the last at `last_failure`; `None` when it may try
/// now.
pub fn wait_left(failures: i64, last_failure: i64, now: i64) -> Option<u64> {
    let wait = wait_after(failures);
    let left = last_failure.saturating_add(wait).saturating_sub(now);
    u64::try_from(left).ok().filter(|&s| s > 0)
}

/// The wait that `failures` wrong passwords in a row earn.
pub fn wait_after(failures: i64) -> i64 {
    let beyond = failures - FREE_PASSWORD_FAILURES;
    if beyond < 0 {
        return 0;
    }
    let doublings = u32::try_from(beyond).unwrap_or(u32::MAX).min(16);
    FIRST_WAIT_SECS
        .saturating_mul(1 << doublings)
        .min(MAX_WAIT_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_starts_after_the_free_failures_doubles_and_is_capped() {
        assert_eq!(wait_after(0), 0);
        assert_eq!(wait_after(FREE_PASSWORD_FAILURES - 1), 0);
        assert_eq!(wait_after(FREE_PASSWORD_FAILURES), 30);
        assert_eq!(wait_after(FREE_PASSWORD_FAILURES + 1), 60);
        assert_eq!(wait_after(FREE_PASSWORD_FAILURES + 4), 480);
        assert_eq!(wait_after(FREE_PASSWORD_FAILURES + 5), MAX_WAIT_SECS);
        assert_eq!(wait_after(i64::MAX), MAX_WAIT_SECS);
    }

    #[test]
    fn the_wait_expires() {
        let failures = FREE_PASSWORD_FAILURES + 1;
        assert_eq!(wait_left(failures, 1_000, 1_000), Some(60));
        assert_eq!(wait_left(failures, 1_000, 1_059), Some(1));
        assert_eq!(wait_left(failures, 1_000, 1_060), None);
        assert_eq!(wait_left(3, 1_000, 1_000), None, "free failures");
    }
}
