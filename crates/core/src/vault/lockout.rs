//! The PIN lock-out: how many wrong PINs are free, and how long each further try must wait.
//!
//! Pure logic: the caller passes `now` (unix seconds) and persists [`LockoutState`] in the vault
//! file. The rule (DESIGN.md): [`FREE_TRIES`] wrong PINs cost nothing; after them each try must
//! wait [`BASE_WAIT_SECS`] after the previous wrong one, doubling with every further wrong PIN up
//! to [`MAX_WAIT_SECS`]. A try during the wait is refused without running Argon2 and without
//! being counted. A correct PIN resets the state.
//!
//! The state lives in the file outside the header MAC, on purpose: it must be written after a
//! wrong PIN, when no key is available to authenticate it. This is sound because the lock-out
//! only guards the app's UI. Whoever can edit the file can reset the counter, but they can also
//! copy the file and guess offline at the full Argon2 cost, so an authenticated counter would not
//! stop them; the counter stops someone who holds the unlocked phone and types PINs.
//!
//! The vault counts a try *before* running Argon2 and resets the count after a correct PIN, so
//! killing the app while the PIN is being checked does not give a free try.

use serde::{Deserialize, Serialize};

/// Wrong PINs allowed before tries have to wait: five, as DESIGN.md fixes it. With 30
/// trivial PINs refused, five free tries cover 5 / 999,970 of the PIN space.
pub const FREE_TRIES: u32 = 5;

/// The first wait, after the [`FREE_TRIES`]-th wrong PIN: 30 seconds (DESIGN.md).
pub const BASE_WAIT_SECS: u64 = 30;

/// Longest wait between tries: one day. Doubling reaches it after 12 more wrong PINs; beyond,
/// an attacker gets at most one try per day (about 2,700 years for the PIN space) while the
/// owner is never locked out for longer than a day.
pub const MAX_WAIT_SECS: u64 = 24 * 60 * 60;

/// The persisted counter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockoutState {
    /// Wrong PINs since the last correct one.
    pub failed: u32,
    /// When the last wrong PIN was entered (unix seconds).
    pub last_failure: Option<u64>,
}

/// What the login screen can show before a PIN is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutStatus {
    /// Wrong PINs since the last correct one.
    pub failed: u32,
    /// Wrong PINs still allowed before tries have to wait.
    pub tries_left_before_wait: u32,
    /// The earliest time the next try is allowed (unix seconds), if tries have to wait. It may
    /// already be in the past.
    pub next_try_at: Option<u64>,
}

/// The wait that follows the `failed`-th wrong PIN.
fn wait_after(failed: u32) -> u64 {
    if failed < FREE_TRIES {
        return 0;
    }
    let doublings = failed - FREE_TRIES;
    // 2^12 * 30 s already exceeds a day, so larger exponents only need the cap.
    if doublings >= 12 {
        return MAX_WAIT_SECS;
    }
    (BASE_WAIT_SECS << doublings).min(MAX_WAIT_SECS)
}

impl LockoutState {
    /// The status shown on the login screen.
    pub fn status(&self) -> LockoutStatus {
        LockoutStatus {
            failed: self.failed,
            tries_left_before_wait: FREE_TRIES.saturating_sub(self.failed),
            next_try_at: self.next_try_at(),
        }
    }

    fn next_try_at(&self) -> Option<u64> {
        let wait = wait_after(self.failed);
        match self.last_failure {
            Some(last) if wait > 0 => Some(last.saturating_add(wait)),
            _ => None,
        }
    }

    /// Whether a try is allowed at `now`: `Err(until)` while a wait is running.
    ///
    /// If the clock was set back before the last failure, the wait is counted from `now`
    /// instead, so a wrong clock cannot lock the owner out for longer than one wait.
    pub fn check(&self, now: u64) -> Result<(), u64> {
        match self.next_try_at() {
            Some(until) if now < until => {
                let wait = wait_after(self.failed);
                Err(until.min(now.saturating_add(wait)))
            }
            _ => Ok(()),
        }
    }

    /// Counts a try that will be checked now (before the slow key derivation, see the module
    /// documentation), and returns what the caller reports if the PIN turns out wrong:
    /// `(tries_left_before_wait, wait_until)`.
    pub fn record_try(&mut self, now: u64) -> (u32, Option<u64>) {
        self.failed = self.failed.saturating_add(1);
        self.last_failure = Some(now);
        let status = self.status();
        (status.tries_left_before_wait, status.next_try_at)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn five_free_tries_then_doubling_waits() {
        let mut state = LockoutState::default();
        for expected_left in [4, 3, 2, 1] {
            assert_eq!(state.check(1_000), Ok(()));
            assert_eq!(state.record_try(1_000), (expected_left, None));
        }
        assert_eq!(state.record_try(1_000), (0, Some(1_030)));
        assert_eq!(state.check(1_000), Err(1_030));
        assert_eq!(state.check(1_029), Err(1_030));
        assert_eq!(state.check(1_030), Ok(()));
        assert_eq!(state.record_try(1_030), (0, Some(1_090)));
        assert_eq!(state.check(1_089), Err(1_090));
        assert_eq!(state.record_try(1_090), (0, Some(1_210)));
    }

    #[test]
    fn waits_are_capped_at_one_day() {
        assert_eq!(wait_after(4), 0);
        assert_eq!(wait_after(5), 30);
        assert_eq!(wait_after(6), 60);
        assert_eq!(wait_after(16), 30 << 11);
        assert_eq!(wait_after(17), MAX_WAIT_SECS);
        assert_eq!(wait_after(u32::MAX), MAX_WAIT_SECS);
        let mut state = LockoutState {
            failed: u32::MAX,
            last_failure: Some(u64::MAX),
        };
        assert_eq!(state.record_try(u64::MAX), (0, Some(u64::MAX)));
    }

    #[test]
    fn clock_set_back_waits_at_most_one_wait() {
        let state = LockoutState {
            failed: 5,
            last_failure: Some(1_000_000),
        };
        assert_eq!(state.check(10), Err(40));
    }

    #[test]
    fn status_for_login_screen() {
        let fresh = LockoutState::default().status();
        assert_eq!(
            fresh,
            LockoutStatus {
                failed: 0,
                tries_left_before_wait: 5,
                next_try_at: None
            }
        );
        let locked = LockoutState {
            failed: 6,
            last_failure: Some(100),
        }
        .status();
        assert_eq!(locked.next_try_at, Some(160));
        assert_eq!(locked.tries_left_before_wait, 0);
    }
}
