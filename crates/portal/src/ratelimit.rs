//! In-memory token-bucket rate limits per account and per client address.
//!
//! Each portal instance keeps its own buckets; with several instances an attacker gets at
//! most one budget per instance, which the account lock (see `storage::users`) still caps.

use std::collections::HashMap;
use std::sync::Mutex;

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

/// Size and refill rate of one kind of bucket.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    /// Attempts allowed at once.
    pub burst: u32,
    /// Seconds until one more attempt is allowed.
    pub refill_secs: i64,
}

#[derive(Debug, Clone, Copy)]
struct State {
    tokens: f64,
    updated: i64,
}

/// All buckets of this instance, keyed by a purpose-prefixed string.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, State>>,
}

impl RateLimiter {
    /// Takes one attempt from the bucket `key`; `Err(seconds)` says how long to wait.
    pub fn check(&self, key: &str, bucket: Bucket, now: i64) -> Result<(), u64> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let refill = bucket.refill_secs.max(1);
        let state = buckets.entry(key.to_string()).or_insert(State {
            tokens: f64::from(bucket.burst),
            updated: now,
        });
        let elapsed = (now - state.updated).max(0);
        let gained = elapsed as f64 / refill as f64;
        state.tokens = (state.tokens + gained).min(f64::from(bucket.burst));
        state.updated = now;
        if state.tokens >= 1.0 {
            state.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - state.tokens;
            let wait = (missing * refill as f64).ceil() as u64;
            Err(wait.max(1))
        }
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
}
