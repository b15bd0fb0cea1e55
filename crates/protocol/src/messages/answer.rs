//! The device's answer to a challenge, and the timestamp check against replays.

use serde::{Deserialize, Serialize};

use super::{AnswerNonce, ChallengeId, DeviceId, MessageError, ProtocolV1};

/// How far an answer's timestamp may differ from the portal's clock: ±60 s (DESIGN.md
/// "Protocol v1"). Together with the remembered [`AnswerNonce`]s this bounds replays to a
/// window the portal can keep in memory.
pub const ANSWER_MAX_SKEW_SECS: u64 = 60;

/// What the user decided about a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// "Das war ich nicht": the portal aborts the login at once and logs it as suspicious.
    Deny,
    /// The code was shown to the user.
    Seen,
}

/// The answer to one challenge; the payload of a device-signed envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeAnswer {
    /// Protocol version, always 1.
    pub v: ProtocolV1,
    /// The challenge answered.
    pub challenge_id: ChallengeId,
    /// The answering device, whose key must verify the envelope.
    pub device_id: DeviceId,
    /// The user's decision.
    pub decision: Decision,
    /// When the device answered (seconds since the Unix epoch).
    pub timestamp: u64,
    /// Random per answer, so the portal can refuse a replayed one.
    pub answer_nonce: AnswerNonce,
}

impl ChallengeAnswer {
    /// Checks the answer's timestamp against `now` within ±[`ANSWER_MAX_SKEW_SECS`].
    pub fn check_timestamp(&self, now: u64) -> Result<(), MessageError> {
        if self.timestamp > now.saturating_add(ANSWER_MAX_SKEW_SECS) {
            return Err(MessageError::AnswerFromFuture {
                timestamp: self.timestamp,
                now,
            });
        }
        if self.timestamp.saturating_add(ANSWER_MAX_SKEW_SECS) < now {
            return Err(MessageError::AnswerStale {
                timestamp: self.timestamp,
                now,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const NOW: u64 = 1_700_000_000;

    fn answer() -> ChallengeAnswer {
        ChallengeAnswer {
            v: ProtocolV1,
            challenge_id: ChallengeId::from_random_bytes([1; 16]),
            device_id: DeviceId::from_random_bytes([2; 16]),
            decision: Decision::Deny,
            timestamp: NOW,
            answer_nonce: AnswerNonce([5; 16]),
        }
    }

    #[test]
    fn json_round_trip() -> TestResult {
        let json = serde_json::to_string(&answer())?;
        assert!(json.contains("\"decision\":\"deny\""));
        assert_eq!(serde_json::from_str::<ChallengeAnswer>(&json)?, answer());
        let seen = json.replace("\"deny\"", "\"seen\"");
        assert_eq!(
            serde_json::from_str::<ChallengeAnswer>(&seen)?.decision,
            Decision::Seen
        );
        Ok(())
    }

    #[test]
    fn unknown_decision_is_refused() -> TestResult {
        let json = serde_json::to_string(&answer())?;
        for bad in ["\"accept\"", "\"Deny\"", "\"\"", "1"] {
            let changed = json.replace("\"deny\"", bad);
            assert!(
                serde_json::from_str::<ChallengeAnswer>(&changed).is_err(),
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn timestamps_within_skew_are_accepted() -> TestResult {
        assert_eq!(answer().check_timestamp(NOW), Ok(()));
        assert_eq!(answer().check_timestamp(NOW + ANSWER_MAX_SKEW_SECS), Ok(()));
        assert_eq!(answer().check_timestamp(NOW - ANSWER_MAX_SKEW_SECS), Ok(()));
        Ok(())
    }

    #[test]
    fn stale_timestamp_is_refused() -> TestResult {
        let now = NOW + ANSWER_MAX_SKEW_SECS + 1;
        assert_eq!(
            answer().check_timestamp(now),
            Err(MessageError::AnswerStale {
                timestamp: NOW,
                now
            })
        );
        Ok(())
    }

    #[test]
    fn future_timestamp_is_refused() -> TestResult {
        let now = NOW - ANSWER_MAX_SKEW_SECS - 1;
        assert_eq!(
            answer().check_timestamp(now),
            Err(MessageError::AnswerFromFuture {
                timestamp: NOW,
                now
            })
        );
        Ok(())
    }
}
