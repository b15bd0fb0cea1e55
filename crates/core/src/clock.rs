//! The injectable clock.
//!
//! The core never reads the wall clock on its own: functions that depend on time take a `now`
//! argument (unix seconds), and long-lived services hold a [`Clock`]. Tests use [`FixedClock`]
//! so that lock-out waits and code windows can be stepped through without sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time, injected so that time-dependent logic stays testable.
pub trait Clock: Send + Sync {
    /// The current time in whole seconds since the Unix epoch.
    fn now(&self) -> u64;
}

/// The operating system's wall clock, for production use.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        // A clock set before 1970 is treated as the epoch rather than failing: lock-out waits
        // then last longer, which errs on the safe side.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }
}

/// A clock that shows whatever time it was last set to, so tests can move time by hand.
#[derive(Debug, Default)]
pub struct FixedClock(AtomicU64);

impl FixedClock {
    /// A clock standing at `now` (unix seconds).
    pub fn new(now: u64) -> Self {
        Self(AtomicU64::new(now))
    }

    /// Moves the clock to `now`, backwards or forwards.
    pub fn set(&self, now: u64) {
        self.0.store(now, Ordering::SeqCst);
    }

    /// Moves the clock forward by `seconds`, saturating at `u64::MAX`.
    pub fn advance(&self, seconds: u64) {
        // `fetch_update` with a closure that always returns `Some` cannot fail.
        let _ = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(seconds))
            });
    }
}

impl Clock for FixedClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let clock = FixedClock::new(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(30);
        assert_eq!(clock.now(), 1_030);
        clock.set(5);
        assert_eq!(clock.now(), 5);
        clock.set(u64::MAX - 1);
        clock.advance(10);
        assert_eq!(clock.now(), u64::MAX);
    }

    #[test]
    fn system_clock_is_after_2020() {
        // 2020-01-01T00:00:00Z; a result before it means the conversion is broken.
        assert!(SystemClock.now() > 1_577_836_800);
    }

    #[test]
    fn clocks_are_usable_as_trait_objects() {
        let clock: Box<dyn Clock> = Box::new(FixedClock::new(7));
        assert_eq!(clock.now(), 7);
    }
}
