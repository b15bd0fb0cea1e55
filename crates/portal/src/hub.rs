//! In-process fan-out of new challenges to the device streams of this instance.
//!
//! A login publishes its account and challenge id; every open `/api/v1/device/stream` of that
//! account wakes up and sends the signed challenge.

use std::sync::Arc;

use tokio::sync::broadcast;

/// Events buffered per subscriber before a slow stream starts missing some; a stream that
/// lags re-reads the pending challenges from the database, so nothing is lost.
const HUB_CAPACITY: usize = 256;

/// A new challenge for an account.
#[derive(Debug, Clone)]
pub struct ChallengeEvent {
    /// The account whose devices should hear of it.
    pub user_id: Arc<str>,
    /// The challenge (login) id.
    pub login_id: Arc<str>,
}

/// The broadcast channel shared by all requests of this instance.
#[derive(Debug)]
pub struct ChallengeHub {
    tx: broadcast::Sender<ChallengeEvent>,
}

impl Default for ChallengeHub {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(HUB_CAPACITY).0,
        }
    }
}

impl ChallengeHub {
    /// Announces a challenge; nobody listening is fine.
    pub fn publish(&self, user_id: &str, login_id: &str) {
        let _listeners = self.tx.send(ChallengeEvent {
            user_id: user_id.into(),
            login_id: login_id.into(),
        });
    }

    /// A receiver for all later events.
    pub fn subscribe(&self) -> broadcast::Receiver<ChallengeEvent> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_receive_published_events() {
        let hub = ChallengeHub::default();
        hub.publish("nobody", "listening");
        let mut rx = hub.subscribe();
        hub.publish("u", "l");
        let event = rx.recv().await.unwrap();
        assert_eq!((&*event.user_id, &*event.login_id), ("u", "l"));
    }
}
