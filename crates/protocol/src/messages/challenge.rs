//! The login challenge the portal signs and the app shows, and its freshness check.

use serde::{Deserialize, Serialize};

use super::{ChallengeId, MessageError, Nonce, ProtocolV1};
use crate::envelope::SignedEnvelope;

/// How long a challenge lives: 5 minutes, the portal's login wait (DESIGN.md "Portal").
///
/// A challenge claiming a longer life is refused, so a leaked one cannot stay usable.
pub const CHALLENGE_LIFETIME_SECS: u64 = 300;

/// How far a challenge's `issued_at` may lie in the app's future: phone clocks drift, but by
/// more than a minute only when something is wrong. Same bound as answers (DESIGN.md ±60 s).
pub const CHALLENGE_MAX_SKEW_SECS: u64 = 60;

/// Who is logging in, shown to the user so a stranger's login stands out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginContext {
    /// When the password was entered (seconds since the Unix epoch).
    pub time: u64,
    /// The client address the portal saw.
    pub ip: String,
    /// The browser's user agent.
    pub user_agent: String,
    /// The portal's name or address, as the user knows it.
    pub portal: String,
}

/// One login attempt waiting for its security code; the payload of a portal-signed envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// Protocol version, always 1.
    pub v: ProtocolV1,
    /// The challenge's id.
    pub id: ChallengeId,
    /// The account's e-mail address.
    pub account: String,
    /// The OCRA question for this login (RFC 6287), so the code fits only this attempt.
    pub nonce: Nonce,
    /// When the portal made the challenge (seconds since the Unix epoch).
    pub issued_at: u64,
    /// When the challenge stops being valid (seconds since the Unix epoch).
    pub expires_at: u64,
    /// Who is logging in.
    pub context: LoginContext,
}

impl Challenge {
    /// Checks that the challenge may be shown or answered at `now` (seconds since the epoch).
    ///
    /// Refuses an expired challenge, one issued more than [`CHALLENGE_MAX_SKEW_SECS`] in the
    /// future, and one whose lifetime is empty or longer than [`CHALLENGE_LIFETIME_SECS`].
    pub fn check_fresh(&self, now: u64) -> Result<(), MessageError> {
        let lifetime = self.expires_at.checked_sub(self.issued_at);
        if !matches!(lifetime, Some(1..=CHALLENGE_LIFETIME_SECS)) {
            return Err(MessageError::ChallengeLifetime {
                issued_at: self.issued_at,
                expires_at: self.expires_at,
            });
        }
        if self.issued_at > now.saturating_add(CHALLENGE_MAX_SKEW_SECS) {
            return Err(MessageError::ChallengeFromFuture {
                issued_at: self.issued_at,
                now,
            });
        }
        if now >= self.expires_at {
            return Err(MessageError::ChallengeExpired {
                expires_at: self.expires_at,
                now,
            });
        }
        Ok(())
    }
}

/// The answer to `GET /api/v1/device/challenges`: every open challenge, each still signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeList {
    /// Portal-signed envelopes, each holding one [`Challenge`].
    pub challenges: Vec<SignedEnvelope>,
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const ISSUED: u64 = 1_700_000_000;

    fn challenge() -> Challenge {
        Challenge {
            v: ProtocolV1,
            id: ChallengeId::from_random_bytes([7; 16]),
            account: "ada@example.org".to_owned(),
            nonce: Nonce([9; 32]),
            issued_at: ISSUED,
            expires_at: ISSUED + CHALLENGE_LIFETIME_SECS,
            context: LoginContext {
                time: ISSUED,
                ip: "192.0.2.1".to_owned(),
                user_agent: "Firefox".to_owned(),
                portal: "Beispiel-Portal".to_owned(),
            },
        }
    }

    #[test]
    fn json_round_trip() -> TestResult {
        let json = serde_json::to_string(&challenge())?;
        assert!(json.starts_with("{\"v\":1,"));
        assert_eq!(serde_json::from_str::<Challenge>(&json)?, challenge());
        Ok(())
    }

    #[test]
    fn other_version_and_unknown_fields_are_refused() -> TestResult {
        let json = serde_json::to_string(&challenge())?;
        assert!(serde_json::from_str::<Challenge>(&json.replace("\"v\":1", "\"v\":2")).is_err());
        let extra = json.replacen('{', "{\"code\":\"123456\",", 1);
        assert!(serde_json::from_str::<Challenge>(&extra).is_err());
        Ok(())
    }

    #[test]
    fn fresh_within_lifetime() -> TestResult {
        assert_eq!(challenge().check_fresh(ISSUED), Ok(()));
        assert_eq!(
            challenge().check_fresh(ISSUED + CHALLENGE_LIFETIME_SECS - 1),
            Ok(())
        );
        assert_eq!(
            challenge().check_fresh(ISSUED - CHALLENGE_MAX_SKEW_SECS),
            Ok(())
        );
        Ok(())
    }

    #[test]
    fn expired_is_refused() -> TestResult {
        let now = ISSUED + CHALLENGE_LIFETIME_SECS;
        assert_eq!(
            challenge().check_fresh(now),
            Err(MessageError::ChallengeExpired {
                expires_at: now,
                now
            })
        );
        Ok(())
    }

    #[test]
    fn issued_in_future_is_refused() -> TestResult {
        let now = ISSUED - CHALLENGE_MAX_SKEW_SECS - 1;
        assert_eq!(
            challenge().check_fresh(now),
            Err(MessageError::ChallengeFromFuture {
                issued_at: ISSUED,
                now
            })
        );
        Ok(())
    }

    #[test]
    fn too_long_or_empty_lifetime_is_refused() -> TestResult {
        let mut long = challenge();
        long.expires_at += 1;
        assert!(matches!(
            long.check_fresh(ISSUED),
            Err(MessageError::ChallengeLifetime { .. })
        ));
        let mut empty = challenge();
        empty.expires_at = ISSUED;
        assert!(matches!(
            empty.check_fresh(ISSUED),
            Err(MessageError::ChallengeLifetime { .. })
        ));
        Ok(())
    }
}
