//! In-memory token-bucket rate limits per account and per client address, in bounded memory.
//!
//! Each portal instance keeps its own buckets; with several instances an attacker gets at
//! most one budget per instance. What the database keeps caps that across instances: the
//! wrong-password back-off stored with the account (`login::backoff`) for passwords, and the
//! account lock after failed second factors (`storage::users`) for codes.
//!
//! Memory is bounded: a key is a fixed-size digest (never the submitted text), and a bucket that has refilled completely is removed: a missing bucket and a full one
//! behave the same, so removing it gives nobody anything. Buckets that are still limiting are
//! never removed, however full the table gets, since removing one would hand its key a fresh
//! budget. Instead each kind of bucket has at most [`MAX_ENTRIES_PER_KIND`] entries; when
//! they are all still limiting, a key without a bucket is refused until one refills ("fail
//! closed" for that kind of bucket, and only for keys not yet seen). A kind is a bucket shape
//! (burst and refill): the per-address password and code buckets share one table.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use sha2::{Digest as _, Sha256};

/// Password checks one client address may make in a burst. 20 covers a shared office NAT
/// with a few mistyped passwords; NIST SP 800-63B §5.2.2 asks for rate limiting, not a number.
pub const PASSWORD_PER_ADDRESS: Bucket = Bucket {
    burst: 20,
    refill_secs: 6,
};
/// Password checks on one account in a burst, then one every 30 seconds.
pub const PASSWORD_PER_ACCOUNT: Bucket = Bucket {
    burst: 10,
    refill_secs: 30,
};
/// Security-code checks one client address may make in a burst (6 digits: every try counts).
pub const CODE_PER_ADDRESS: Bucket = Bucket {
    burst: 20,
    refill_secs: 6,
};
/// Security-code checks on one account in a burst; per challenge at most 5 wrong codes count
/// anyway (DESIGN.md), this caps the rate across re-logins.
pub const CODE_PER_ACCOUNT: Bucket = Bucket {
    burst: 15,
    refill_secs: 20,
};

/// Most buckets kept per kind of bucket. A bucket used once is removable after one refill
/// interval (6 to 30 s), so reaching this takes 100,000 distinct keys within that window,
/// some 3,000 new addresses or accounts per second, far beyond a portal's real traffic; the
/// table then holds about 100,000 × 64 bytes (6 MiB) per kind.
pub const MAX_ENTRIES_PER_KIND: usize = 100_000;

/// Size and refill rate of one kind of bucket.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    /// Attempts allowed at once.
    pub burst: u32,
    /// Seconds until one more attempt is allowed.
    pub refill_secs: i64,
}

impl Bucket {
    fn refill(self) -> i64 {
        self.refill_secs.max(1)
    }

    /// Tokens of `state` at `now`, never more than the burst.
    fn tokens_at(self, state: State, now: i64) -> f64 {
        let elapsed = (now - state.updated).max(0);
        (state.tokens + elapsed as f64 / self.refill() as f64).min(f64::from(self.burst))
    }

    /// When `state` is full again (and its entry may go).
    fn full_at(self, state: State) -> i64 {
        let missing = (f64::from(self.burst) - state.tokens).max(0.0);
        state.updated + (missing * self.refill() as f64).ceil() as i64
    }
}

/// The digest a key is stored under: SHA-256 cut to 128 bits, so every entry has the same
/// small size whatever was submitted; finding a second key with the same digest as someone
/// else's takes about 2^128 tries.
type KeyDigest = [u8; 16];

fn digest(key: &str) -> KeyDigest {
    let full = Sha256::digest(key.as_bytes());
    let mut short = [0u8; 16];
    short.copy_from_slice(&full[..16]);
    short
}

#[derive(Debug, Clone, Copy)]
struct State {
    tokens: f64,
    updated: i64,
}

/// The buckets of one kind (one burst size and refill rate).
#[derive(Debug, Default)]
struct Table {
    entries: HashMap<KeyDigest, State>,
    /// When this table was last swept of refilled entries.
    swept_at: Option<i64>,
    /// After that sweep: the earliest time one of the entries is full again.
    room_at: i64,
}

impl Table {
    /// Removes every entry that is full again at `now`; notes when the next one will be.
    fn sweep(&mut self, bucket: Bucket, now: i64) {
        self.entries.retain(|_, state| bucket.full_at(*state) > now);
        self.swept_at = Some(now);
        self.room_at = self
            .entries
            .values()
            .map(|state| bucket.full_at(*state))
            .min()
            .unwrap_or(now);
    }

    /// Makes room for one new entry if any entry is full again; `Err(seconds)` when none is.
    /// Sweeps at most once per second, so a flood of new keys cannot make every request scan
    /// the whole table.
    fn make_room(&mut self, bucket: Bucket, max: usize, now: i64) -> Result<(), u64> {
        if self.entries.len() < max {
            return Ok(());
        }
        if self.swept_at.is_none_or(|at| at < now) {
            self.sweep(bucket, now);
        }
        if self.entries.len() < max {
            Ok(())
        } else {
            Err(u64::try_from(self.room_at - now).unwrap_or(0).max(1))
        }
    }
}

/// All buckets of this instance, one table per kind of bucket, keyed by the digest of a
/// purpose-prefixed string.
#[derive(Debug)]
pub struct RateLimiter {
    tables: Mutex<HashMap<(u32, i64), Table>>,
    max_entries: usize,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::with_max_entries(MAX_ENTRIES_PER_KIND)
    }
}

impl RateLimiter {
    fn with_max_entries(max_entries: usize) -> Self {
        Self {
            tables: Mutex::default(),
            max_entries: max_entries.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(u32, i64), Table>> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes one attempt from the bucket `key`; `Err(seconds)` says how long to wait.
    pub fn check(&self, key: &str, bucket: Bucket, now: i64) -> Result<(), u64> {
        let key = digest(key);
        let mut tables = self.lock();
        let table = tables
            .entry((bucket.burst, bucket.refill_secs))
            .or_default();
        if !table.entries.contains_key(&key) {
            table.make_room(bucket, self.max_entries, now)?;
        }
        let state = table.entries.entry(key).or_insert(State {
            tokens: f64::from(bucket.burst),
            updated: now,
        });
        state.tokens = bucket.tokens_at(*state, now);
        state.updated = now;
        if state.tokens >= 1.0 {
            state.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - state.tokens;
            let wait = (missing * bucket.refill() as f64).ceil() as u64;
            Err(wait.max(1))
        }
    }

    /// Removes every bucket that is full again at `now` and gives the freed memory back;
    /// returns how many went. Run by the portal's maintenance task.
    pub fn purge(&self, now: i64) -> usize {
        let mut tables = self.lock();
        let mut removed = 0;
        for (&(burst, refill_secs), table) in tables.iter_mut() {
            let before = table.entries.len();
            table.sweep(Bucket { burst, refill_secs }, now);
            removed += before - table.entries.len();
            table.entries.shrink_to_fit();
        }
        tables.retain(|_, table| !table.entries.is_empty());
        removed
    }

    /// Buckets held now, over all kinds.
    pub fn len(&self) -> usize {
        self.lock().values().map(|t| t.entries.len()).sum()
    }

    /// Whether no bucket is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Bucket = Bucket {
        burst: 3,
        refill_secs: 10,
    };

    #[test]
    fn burst_then_refusal_with_wait_then_refill() {
        let rl = RateLimiter::default();
        for _ in 0..3 {
            assert!(rl.check("ip:1", SMALL, 100).is_ok());
        }
        assert_eq!(rl.check("ip:1", SMALL, 100), Err(10));
        assert!(
            rl.check("ip:2", SMALL, 100).is_ok(),
            "other keys are independent"
        );
        assert!(rl.check("ip:1", SMALL, 110).is_ok());
        assert!(rl.check("ip:1", SMALL, 110).is_err());
    }

    /// Regression (issue 9, finding 9): 150,000 distinct keys (the table's limit and half as
    /// many again), each a long e-mail address, leave at most [`MAX_ENTRIES_PER_KIND`]
    /// fixed-size entries, and the maintenance purge frees them once they have refilled.
    #[test]
    fn distinct_keys_are_bounded_and_purged() {
        let rl = RateLimiter::default();
        let padding = "x".repeat(256);
        let mut refused = 0;
        for i in 0..150_000 {
            if rl
                .check(
                    &format!("pw-acct:{padding}{i}@example.org"),
                    PASSWORD_PER_ACCOUNT,
                    1_000,
                )
                .is_err()
            {
                refused += 1;
            }
        }
        assert_eq!(rl.len(), MAX_ENTRIES_PER_KIND);
        assert_eq!(refused, 150_000 - MAX_ENTRIES_PER_KIND);
        assert_eq!(
            std::mem::size_of::<KeyDigest>(),
            16,
            "no key keeps its text"
        );
        assert_eq!(rl.purge(1_000 + PASSWORD_PER_ACCOUNT.refill_secs - 1), 0);
        assert_eq!(
            rl.purge(1_000 + PASSWORD_PER_ACCOUNT.refill_secs),
            MAX_ENTRIES_PER_KIND
        );
        assert!(rl.is_empty());
    }

    /// A bucket that has refilled is evicted, and a key without one starts with a full bucket:
    /// the same budget as before the eviction.
    #[test]
    fn a_refilled_bucket_is_evicted_without_changing_anything() {
        let rl = RateLimiter::with_max_entries(1);
        assert!(rl.check("a", SMALL, 100).is_ok());
        assert_eq!(
            rl.check("b", SMALL, 100),
            Err(10),
            "table full, a not refilled"
        );
        assert!(
            rl.check("b", SMALL, 110).is_ok(),
            "a refilled and made room"
        );
        assert_eq!(rl.len(), 1);
        for _ in 0..2 {
            assert!(rl.check("b", SMALL, 110).is_ok());
        }
        assert!(
            rl.check("b", SMALL, 110).is_err(),
            "b's own budget still counts"
        );
    }

    /// Regression (issue 9, finding 9): flooding the table with new keys never evicts a key
    /// that is still limited, so it gets no fresh budget; new keys are refused instead until
    /// some bucket has refilled.
    #[test]
    fn a_flood_never_frees_a_limited_key() {
        let rl = RateLimiter::with_max_entries(10);
        for _ in 0..3 {
            assert!(rl.check("victim", SMALL, 100).is_ok());
        }
        assert!(rl.check("victim", SMALL, 100).is_err());
        for i in 0..9 {
            assert!(rl.check(&format!("flood-{i}"), SMALL, 100).is_ok());
        }
        for i in 9..100 {
            assert!(
                rl.check(&format!("flood-{i}"), SMALL, 101).is_err(),
                "full: fail closed"
            );
        }
        assert!(rl.check("victim", SMALL, 101).is_err(), "still limited");
        // After one refill interval the flood's buckets are full again and make room; the
        // victim has earned exactly one attempt, not a fresh burst.
        for i in 100..109 {
            assert!(rl.check(&format!("flood-{i}"), SMALL, 110).is_ok());
        }
        assert!(rl.check("victim", SMALL, 110).is_ok());
        assert!(rl.check("victim", SMALL, 110).is_err());
        assert_eq!(rl.len(), 10);
    }

    #[test]
    fn kinds_have_their_own_tables() {
        let rl = RateLimiter::with_max_entries(1);
        assert!(rl.check("pw-ip:1", PASSWORD_PER_ACCOUNT, 0).is_ok());
        assert!(
            rl.check("code-acct:1", CODE_PER_ACCOUNT, 0).is_ok(),
            "a full table of one kind does not refuse another kind"
        );
    }
}
