//! One round with the portal outside the stream: fetch the open challenges and verify each,
//! send a signed answer. Front ends share these so that the headless device and the app
//! treat challenges alike.
//!
//! The signing key never comes here: answers are signed inside the
//! [`Authenticator`](crate::Authenticator) under a brief lock, then sent without it.

use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::ChallengeId;

use super::{PortalClient, PortalSession, PushError, VerifiedChallenge};
use crate::clock::Clock;

/// The open challenges of `session`'s portal, each verified (signature with the pinned key,
/// freshness, account).
///
/// The outer error means the portal could not be asked; an inner one that this challenge
/// failed verification and must not be shown, while the others still may be.
pub async fn open_challenges(
    session: &PortalSession,
    clock: &dyn Clock,
) -> Result<Vec<Result<VerifiedChallenge, PushError>>, PushError> {
    let envelopes = PortalClient::new(&session.portal_url)?
        .challenges(session)
        .await?;
    let now = clock.now();
    Ok(envelopes
        .iter()
        .map(|envelope| session.verify(envelope, now))
        .collect())
}

/// Sends a device-signed answer (from
/// [`Authenticator::sign_answer`](crate::Authenticator::sign_answer)) to `session`'s portal.
pub async fn send_answer(
    session: &PortalSession,
    challenge: &ChallengeId,
    answer: &SignedEnvelope,
) -> Result<(), PushError> {
    PortalClient::new(&session.portal_url)?
        .answer(session, challenge, answer)
        .await
}

/// The challenge of the most recent login: what "Akzeptieren" shows after the user had to
/// log in again. Ties (same second) go to the later-issued challenge.
pub fn newest(challenges: Vec<VerifiedChallenge>) -> Option<VerifiedChallenge> {
    challenges
        .into_iter()
        .max_by_key(|c| (c.challenge.context.time, c.challenge.issued_at))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ed25519_dalek::SigningKey;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::TcpListener;
    use tokio::sync::oneshot;
    use zweifaktor_protocol::messages::{
        Challenge, ChallengeList, DeviceId, DeviceToken, LoginContext, Nonce, ProtocolV1,
    };

    use super::*;
    use crate::accounts::AccountId;
    use crate::clock::FixedClock;
    use crate::push::PortalBinding;

    const NOW: u64 = 1_764_000_000;

    fn key(byte: u8) -> SigningKey {
        SigningKey::from_bytes(&[byte; 32])
    }

    fn session(url: &str, portal: &SigningKey) -> PortalSession {
        PortalBinding::new(
            url.into(),
            portal.verifying_key(),
            DeviceId::parse("5f0c8a9e-3b1d-4c2e-9f7a-1b2c3d4e5f60").unwrap(),
            DeviceToken::new("device-token".into()),
            key(9),
        )
        .session(AccountId::random(), "erika@example.org".into())
    }

    fn challenge(id: u8, login_time: u64) -> Challenge {
        Challenge {
            v: ProtocolV1,
            id: ChallengeId::from_random_bytes([id; 16]),
            account: "erika@example.org".into(),
            nonce: Nonce([id; 32]),
            issued_at: NOW,
            expires_at: NOW + 300,
            context: LoginContext {
                time: login_time,
                ip: "127.0.0.1".into(),
                user_agent: "Firefox".into(),
                portal: "Zweifaktor Portal".into(),
            },
        }
    }

    /// A portal that answers one request with `status` and `body`, and hands back the
    /// request it received (head and body as text).
    async fn one_shot_portal(status: &str, body: String) -> (String, oneshot::Receiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel();
        let status = status.to_owned();
        tokio::spawn(async move {
            let (mut conn, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = conn.read(&mut buf).await.unwrap();
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length: ")
                                .map(str::to_owned)
                        })
                        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            conn.write_all(response.as_bytes()).await.unwrap();
            let _ = tx.send(String::from_utf8_lossy(&request).to_string());
        });
        (url, rx)
    }

    #[tokio::test]
    async fn open_challenges_verifies_each_one_and_keeps_the_good_ones() {
        let portal = key(1);
        let list = ChallengeList {
            challenges: vec![
                SignedEnvelope::sign(&challenge(1, NOW), &portal).unwrap(),
                SignedEnvelope::sign(&challenge(2, NOW), &key(2)).unwrap(),
            ],
        };
        let (url, request) = one_shot_portal("200 OK", serde_json::to_string(&list).unwrap()).await;
        let clock = Arc::new(FixedClock::new(NOW + 5));
        let result = open_challenges(&session(&url, &portal), clock.as_ref())
            .await
            .unwrap();
        assert_eq!(result.len(), 2);
        assert_eq!(
            result[0].as_ref().unwrap().challenge.id,
            ChallengeId::from_random_bytes([1; 16])
        );
        assert!(matches!(result[1], Err(PushError::BadSignature(_))));
        let request = request.await.unwrap();
        assert!(
            request.starts_with("GET /api/v1/device/challenges "),
            "{request}"
        );
        assert!(
            request
                .to_lowercase()
                .contains("authorization: bearer device-token"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn open_challenges_reports_a_revoked_device_as_refused() {
        let (url, _) = one_shot_portal("401 Unauthorized", "{}".into()).await;
        let err = open_challenges(&session(&url, &key(1)), &FixedClock::new(NOW))
            .await
            .unwrap_err();
        assert!(matches!(err, PushError::Refused { status: 401 }), "{err:?}");
    }

    #[tokio::test]
    async fn open_challenges_reports_an_unreachable_portal() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let err = open_challenges(&session(&url, &key(1)), &FixedClock::new(NOW))
            .await
            .unwrap_err();
        assert!(matches!(err, PushError::Network(_)), "{err:?}");
    }

    #[tokio::test]
    async fn send_answer_posts_the_envelope_to_the_challenges_answer_path() {
        let (url, request) = one_shot_portal("204 No Content", String::new()).await;
        let id = ChallengeId::from_random_bytes([4; 16]);
        let envelope = SignedEnvelope::sign(&challenge(4, NOW), &key(9)).unwrap();
        send_answer(&session(&url, &key(1)), &id, &envelope)
            .await
            .unwrap();
        let request = request.await.unwrap();
        assert!(
            request.starts_with(&format!("POST /api/v1/challenges/{id}/answer ")),
            "{request}"
        );
        assert!(request.contains(&envelope.sig), "{request}");
    }

    #[tokio::test]
    async fn send_answer_passes_a_refusal_on() {
        let (url, _) = one_shot_portal("409 Conflict", "{}".into()).await;
        let id = ChallengeId::from_random_bytes([4; 16]);
        let envelope = SignedEnvelope::sign(&challenge(4, NOW), &key(9)).unwrap();
        let err = send_answer(&session(&url, &key(1)), &id, &envelope)
            .await
            .unwrap_err();
        assert!(matches!(err, PushError::Refused { status: 409 }), "{err:?}");
    }

    #[test]
    fn newest_picks_the_latest_login() {
        let verified = |id, time| VerifiedChallenge {
            account: AccountId::random(),
            challenge: challenge(id, time),
        };
        let picked = newest(vec![
            verified(1, NOW),
            verified(2, NOW + 40),
            verified(3, NOW + 10),
        ])
        .unwrap();
        assert_eq!(picked.challenge.id, ChallengeId::from_random_bytes([2; 16]));
        assert!(newest(Vec::new()).is_none());
    }
}
