//! The background task that holds a portal's event stream open while the app runs.
//!
//! It reconnects with exponential backoff, verifies every challenge before handing it on,
//! reports each one once even though the portal re-sends open challenges on every reconnect,
//! and stops for good when the portal says the device was removed.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use tokio::sync::mpsc;

use super::client::is_auth_failure;
use super::{PortalClient, PortalSession, PushChallenge, PushError};
use crate::accounts::AccountId;
use crate::clock::Clock;

/// How many challenge ids are remembered to suppress repeats; a user has at most a few
/// logins open at once, so this is generous.
pub(super) const REMEMBERED_CHALLENGES: usize = 64;

/// What the listener and the poller report to the app.
#[derive(Debug)]
pub enum ListenerEvent {
    /// The stream is open.
    Connected {
        /// The account whose portal is connected.
        account: AccountId,
    },
    /// A verified challenge: show it.
    Challenge(PushChallenge),
    /// A challenge failed verification (forged, tampered, stale, other account); never shown.
    Rejected {
        /// The account whose portal sent it.
        account: AccountId,
        /// Why it was refused.
        error: PushError,
    },
    /// The connection broke (or a poll failed); the next try is after `retry_in`.
    Disconnected {
        /// The account whose portal is unreachable.
        account: AccountId,
        /// What broke.
        error: PushError,
        /// Wait before the next attempt.
        retry_in: Duration,
    },
    /// The portal no longer knows this device (removed or 2FA reset): the listener stops.
    Revoked {
        /// The account whose device was removed.
        account: AccountId,
    },
}

/// Exponential backoff between reconnects: `initial`, doubling up to `max`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    /// For phones and the headless device: 1 s doubling to 60 s, so a portal restart is
    /// noticed quickly while a long outage costs one request a minute.
    pub const DEFAULT: Self = Self::new(Duration::from_secs(1), Duration::from_secs(60));

    /// A backoff from `initial` doubling up to `max`.
    pub const fn new(initial: Duration, max: Duration) -> Self {
        Self {
            initial,
            max,
            next: initial,
        }
    }

    /// The wait before the next attempt; each call doubles the following one.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(self.max);
        wait
    }

    /// Back to `initial` after a successful connection.
    pub fn reset(&mut self) {
        self.next = self.initial;
    }
}

/// Holds the stream of `session`'s portal until `events` is closed or the device is revoked.
pub async fn listen(
    session: PortalSession,
    clock: Arc<dyn Clock>,
    events: mpsc::Sender<ListenerEvent>,
    mut backoff: Backoff,
) {
    let client = match PortalClient::new(&session.portal_url) {
        Ok(client) => client,
        Err(error) => {
            tracing::warn!(account = %session.account, "push client could not be built");
            let _ = events
                .send(ListenerEvent::Rejected {
                    account: session.account.clone(),
                    error,
                })
                .await;
            return;
        }
    };
    let mut seen = VecDeque::with_capacity(REMEMBERED_CHALLENGES);
    loop {
        let error = match client.stream(&session).await {
            Ok(stream) => {
                backoff.reset();
                tracing::debug!(account = %session.account, "push stream connected");
                let connected = ListenerEvent::Connected {
                    account: session.account.clone(),
                };
                if events.send(connected).await.is_err() {
                    return;
                }
                let mut stream = std::pin::pin!(stream);
                loop {
                    let next = tokio::select! {
                        () = events.closed() => return,
                        next = stream.next() => next,
                    };
                    match next {
                        Some(Ok(envelope)) => {
                            let event = match session.verify(&envelope, clock.now()) {
                                Ok(verified) if remember(&mut seen, &verified.challenge.id) => {
                                    ListenerEvent::Challenge(super::zweifaktor::challenge(
                                        &session, verified,
                                    ))
                                }
                                Ok(_) => continue,
                                Err(error) => {
                                    tracing::warn!(account = %session.account, %error, "challenge refused");
                                    ListenerEvent::Rejected {
                                        account: session.account.clone(),
                                        error,
                                    }
                                }
                            };
                            if events.send(event).await.is_err() {
                                return;
                            }
                        }
                        Some(Err(error)) => break error,
                        None => break PushError::Malformed,
                    }
                }
            }
            Err(error) if is_auth_failure(&error) => {
                tracing::warn!(account = %session.account, "device no longer known to the portal");
                let _ = events
                    .send(ListenerEvent::Revoked {
                        account: session.account.clone(),
                    })
                    .await;
                return;
            }
            Err(error) => error,
        };
        let retry_in = backoff.next_wait();
        tracing::debug!(account = %session.account, %error, ?retry_in, "push stream lost");
        let lost = ListenerEvent::Disconnected {
            account: session.account.clone(),
            error,
            retry_in,
        };
        if events.send(lost).await.is_err() {
            return;
        }
        tokio::select! {
            () = events.closed() => return,
            () = tokio::time::sleep(retry_in) => {}
        }
    }
}

/// Records `id`, forgetting the oldest beyond [`REMEMBERED_CHALLENGES`]; false if it was
/// reported before.
pub(super) fn remember<T: PartialEq + Clone>(seen: &mut VecDeque<T>, id: &T) -> bool {
    if seen.contains(id) {
        return false;
    }
    if seen.len() == REMEMBERED_CHALLENGES {
        seen.pop_front();
    }
    seen.push_back(id.clone());
    true
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt as _;
    use zweifaktor_protocol::SignedEnvelope;
    use zweifaktor_protocol::messages::ChallengeId;

    use super::*;
    use crate::clock::FixedClock;
    use crate::push::test_portal::{
        HANG_GUARD, NOW, challenge, key, raw_portal, session, write_endless,
    };

    /// Regression (issue 9, finding 13): an event over the bound drops the connection like any
    /// broken stream: the listener reports it, waits its backoff, reconnects, and the next
    /// connection's challenge is delivered.
    #[tokio::test]
    async fn oversized_event_drops_the_connection_and_the_listener_reconnects() {
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        let envelope = SignedEnvelope::sign(&challenge(1, NOW), &key(1)).unwrap();
        let event = format!(
            "event: challenge\ndata: {}\n\n",
            serde_json::to_string(&envelope).unwrap()
        );
        let url = raw_portal(move |number, mut conn| {
            let event = event.clone();
            async move {
                if number == 0 {
                    write_endless(conn, &format!("{head}data: "), b'a').await;
                } else {
                    conn.write_all(format!("{head}{event}").as_bytes())
                        .await
                        .unwrap();
                    std::future::pending::<()>().await;
                }
            }
        })
        .await;
        let (tx, mut rx) = mpsc::channel(8);
        let backoff = Backoff::new(Duration::from_millis(1), Duration::from_millis(10));
        let clock = Arc::new(FixedClock::new(NOW));
        tokio::spawn(listen(session(&url, &key(1)), clock, tx, backoff));
        assert!(matches!(
            rx.recv().await,
            Some(ListenerEvent::Connected { .. })
        ));
        let lost = tokio::time::timeout(HANG_GUARD, rx.recv())
            .await
            .expect("the listener kept reading the endless event");
        match lost {
            Some(ListenerEvent::Disconnected {
                error: PushError::TooLarge { .. },
                retry_in,
                ..
            }) => assert_eq!(retry_in, Duration::from_millis(1)),
            other => panic!("expected a disconnect for the oversized event, got {other:?}"),
        }
        assert!(matches!(
            rx.recv().await,
            Some(ListenerEvent::Connected { .. })
        ));
        match rx.recv().await {
            Some(ListenerEvent::Challenge(verified)) => {
                assert_eq!(verified.info.id, challenge(1, NOW).id.to_string());
            }
            other => panic!("expected the challenge, got {other:?}"),
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_resets() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(5));
        let waits: Vec<u64> = (0..5).map(|_| backoff.next_wait().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        backoff.reset();
        assert_eq!(backoff.next_wait(), Duration::from_secs(1));
    }

    #[test]
    fn a_challenge_is_reported_once() {
        let mut seen = VecDeque::new();
        let a = ChallengeId::from_random_bytes([1; 16]);
        let b = ChallengeId::from_random_bytes([2; 16]);
        assert!(remember(&mut seen, &a));
        assert!(remember(&mut seen, &b));
        assert!(!remember(&mut seen, &a));
    }

    #[test]
    fn old_ids_are_forgotten_beyond_the_bound() {
        let mut seen = VecDeque::new();
        let first = ChallengeId::from_random_bytes([0; 16]);
        assert!(remember(&mut seen, &first));
        for i in 1..=REMEMBERED_CHALLENGES {
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
            assert!(remember(&mut seen, &ChallengeId::from_random_bytes(bytes)));
        }
        assert_eq!(seen.len(), REMEMBERED_CHALLENGES);
        assert!(remember(&mut seen, &first));
    }
}
