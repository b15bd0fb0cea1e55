//! One round with the portal outside the stream: fetch the open challenges and verify each,
//! send a signed answer. Front ends share these so that the headless device and the app
//! treat challenges alike.
//!
//! The signing key never comes here: answers are signed inside the
//! [`Authenticator`](crate::Authenticator) under a brief lock, then sent without it.

use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::ChallengeId;

use super::{PortalClient, PortalSession, PushError, Refusal, VerifiedChallenge};
use crate::clock::Clock;

/// The open challenges of `session`'s portal, each verified (signature with the pinned key,
/// freshness, account).
///
/// The outer error means the portal could not be asked; an inner one that this challenge
/// failed verification and must not be shown, while the others still may be. A refused
/// challenge whose signature verified (stale, other account) carries its id.
pub async fn open_challenges(
    session: &PortalSession,
    clock: &dyn Clock,
) -> Result<Vec<Result<VerifiedChallenge, Refusal>>, PushError> {
    let envelopes = PortalClient::new(&session.portal_url)?
        .challenges(session)
        .await?;
    let now = clock.now();
    Ok(envelopes
        .iter()
        .map(|envelope| {
            session.verify(envelope, now).map_err(|error| Refusal {
                id: session.signed_id(envelope),
                error,
            })
        })
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use zweifaktor_protocol::messages::ChallengeList;

    use super::*;
    use crate::clock::FixedClock;
    use crate::push::test_portal::{NOW, challenge, key, one_shot_portal, session};

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
        assert!(matches!(
            result[1],
            Err(Refusal {
                id: None,
                error: PushError::BadSignature(_)
            })
        ));
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
    async fn an_expired_challenge_is_refused_with_its_id() {
        let portal = key(1);
        let list = ChallengeList {
            challenges: vec![SignedEnvelope::sign(&challenge(1, NOW), &portal).unwrap()],
        };
        let (url, _) = one_shot_portal("200 OK", serde_json::to_string(&list).unwrap()).await;
        let clock = FixedClock::new(NOW + 300);
        let result = open_challenges(&session(&url, &portal), &clock)
            .await
            .unwrap();
        match &result[0] {
            Err(Refusal {
                id: Some(id),
                error: PushError::Stale(_),
            }) => assert_eq!(*id, challenge(1, NOW).id.to_string()),
            other => panic!("expected a stale refusal with id, got {other:?}"),
        }
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
}
