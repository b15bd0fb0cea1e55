//! Fan-out of new challenges to the device streams.
//!
//! A login publishes its account, challenge id and the signed challenge; every open
//! `/api/v1/device/stream` of that account wakes up and sends it. Each account with an open stream has its
//! own broadcast channel, so a login wakes only that account's streams (one channel for all
//! woke every stream on every login: 10,000 wake-ups per login at 10,000 devices, which used
//! up both cores of the load-test machine at 100 logins per second). With SQLite (one instance) the fan-out is
//! an in-process broadcast channel. With PostgreSQL several instances may run behind a load
//! balancer, so a login on one must reach streams held by another: publishing then sends a
//! PostgreSQL `NOTIFY` with the ids, and each instance `LISTEN`s and feeds its own broadcast
//! channel; its streams then read the challenge from the database.
//!
//! Locally the event carries the challenge already signed and encoded, once per login: each
//! stream used to read the login and the account and sign the challenge itself, three queries
//! and a signature per stream between the login and the device (docs/PERFORMANCE.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::broadcast;
use zweifaktor_protocol::SignedEnvelope;

use crate::storage::Db;

/// Events buffered per account before a slow stream starts missing some; a stream that lags
/// re-reads the pending challenges from the database, so nothing is lost. One account rarely
/// has more than a few logins in flight.
const ACCOUNT_CAPACITY: usize = 16;

/// The PostgreSQL notification channel shared by all instances.
pub const NOTIFY_CHANNEL: &str = "zweifaktor_challenges";

/// Longest wait between attempts to re-establish a lost `LISTEN` connection.
const MAX_LISTEN_BACKOFF: Duration = Duration::from_secs(30);

/// A new challenge for an account.
#[derive(Debug, Clone)]
pub struct ChallengeEvent {
    /// The account whose devices should hear of it.
    pub user_id: Arc<str>,
    /// The challenge (login) id.
    pub login_id: Arc<str>,
    /// The signed challenge as the JSON of the stream's event, when the publishing instance
    /// is this one; `None` when it came through PostgreSQL (read it from the database).
    pub envelope_json: Option<Arc<str>>,
}

/// The broadcast channels of the accounts that have an open stream on this instance.
#[derive(Debug, Default)]
struct Channels {
    by_account: Mutex<HashMap<Arc<str>, broadcast::Sender<ChallengeEvent>>>,
}

impl Channels {
    fn lock(&self) -> MutexGuard<'_, HashMap<Arc<str>, broadcast::Sender<ChallengeEvent>>> {
        self.by_account
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands `event` to the streams of its account, if any are open here.
    fn send(&self, event: ChallengeEvent) {
        if let Some(tx) = self.lock().get(&*event.user_id) {
            let _listeners = tx.send(event);
        }
    }
}

/// One stream's view of its account's challenges; leaving removes the account's channel
/// when it was the last stream.
#[derive(Debug)]
pub struct Subscription {
    rx: broadcast::Receiver<ChallengeEvent>,
    user_id: Arc<str>,
    channels: Arc<Channels>,
}

impl Subscription {
    /// The next event of this account; `Lagged` when events were missed (re-read them from
    /// the database).
    pub async fn recv(&mut self) -> Result<ChallengeEvent, broadcast::error::RecvError> {
        self.rx.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = self.channels.lock();
        if channels
            .get(&self.user_id)
            .is_some_and(|tx| tx.receiver_count() <= 1)
        {
            channels.remove(&self.user_id);
        }
    }
}

/// How events travel between instances.
#[derive(Debug)]
enum Fanout {
    /// Only this process: SQLite.
    Local,
    /// Through PostgreSQL `NOTIFY`/`LISTEN`.
    Postgres {
        /// Where `pg_notify` is sent.
        db: Db,
        /// The listening task, stopped with the hub.
        listener: tokio::task::JoinHandle<()>,
    },
}

/// The per-account channels shared by all requests of this instance.
#[derive(Debug)]
pub struct ChallengeHub {
    channels: Arc<Channels>,
    fanout: Fanout,
}

impl ChallengeHub {
    /// A hub for a single instance.
    pub fn local() -> Self {
        Self {
            channels: Arc::default(),
            fanout: Fanout::Local,
        }
    }

    /// A hub that shares events with every instance on the PostgreSQL database at `url`.
    pub async fn postgres(db: Db, url: &str) -> Result<Self, sqlx::Error> {
        let channels: Arc<Channels> = Arc::default();
        let mut listener = PgListener::connect(url).await?;
        listener.listen(NOTIFY_CHANNEL).await?;
        let local = Arc::clone(&channels);
        let listener = tokio::spawn(async move {
            let mut backoff = Duration::from_secs(1);
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        backoff = Duration::from_secs(1);
                        if let Some((user_id, login_id)) = notification.payload().split_once(' ') {
                            local.send(ChallengeEvent {
                                user_id: user_id.into(),
                                login_id: login_id.into(),
                                envelope_json: None,
                            });
                        }
                    }
                    Ok(None) => tracing::warn!("challenge LISTEN connection lost; reconnecting"),
                    Err(e) => {
                        tracing::warn!(error = %e, "challenge LISTEN failed; retrying");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(MAX_LISTEN_BACKOFF);
                    }
                }
            }
        });
        Ok(Self {
            channels,
            fanout: Fanout::Postgres { db, listener },
        })
    }

    /// Announces the signed challenge `envelope` to every stream of the account, on every
    /// instance. Losing an announcement is not fatal (devices also poll), so failures are
    /// logged, not returned.
    pub async fn publish(&self, user_id: &str, login_id: &str, envelope: SignedEnvelope) {
        match &self.fanout {
            Fanout::Local => {
                let envelope_json = match serde_json::to_string(&envelope) {
                    Ok(json) => Some(json.into()),
                    Err(e) => {
                        tracing::warn!(error = %e, "challenge not encodable; streams read it");
                        None
                    }
                };
                self.channels.send(ChallengeEvent {
                    user_id: user_id.into(),
                    login_id: login_id.into(),
                    envelope_json,
                });
            }
            Fanout::Postgres { db, .. } => {
                if let Err(e) = db
                    .notify(NOTIFY_CHANNEL, &format!("{user_id} {login_id}"))
                    .await
                {
                    tracing::warn!(error = %e, "challenge NOTIFY failed");
                }
            }
        }
    }

    /// A receiver for the later events of one account.
    pub fn subscribe(&self, user_id: &str) -> Subscription {
        let user_id: Arc<str> = user_id.into();
        let rx = self
            .channels
            .lock()
            .entry(Arc::clone(&user_id))
            .or_insert_with(|| broadcast::channel(ACCOUNT_CAPACITY).0)
            .subscribe();
        Subscription {
            rx,
            user_id,
            channels: Arc::clone(&self.channels),
        }
    }
}

impl Drop for ChallengeHub {
    fn drop(&mut self) {
        if let Fanout::Postgres { listener, .. } = &self.fanout {
            listener.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(payload: &str) -> SignedEnvelope {
        SignedEnvelope {
            payload: payload.into(),
            sig: "sig".into(),
        }
    }

    #[tokio::test]
    async fn subscribers_receive_published_events() {
        let hub = ChallengeHub::local();
        hub.publish("nobody", "listening", envelope("listening"))
            .await;
        let mut rx = hub.subscribe("u");
        hub.publish("u", "l", envelope("l")).await;
        let event = rx.recv().await.unwrap();
        assert_eq!((&*event.user_id, &*event.login_id), ("u", "l"));
        let json = event
            .envelope_json
            .expect("a local event carries its challenge");
        let sent: SignedEnvelope = serde_json::from_str(&json).unwrap();
        assert_eq!(sent.payload, "l");
    }

    /// Guards against the fan-out to every stream: another account's login must not wake
    /// this stream.
    #[tokio::test]
    async fn events_reach_only_their_account() {
        let hub = ChallengeHub::local();
        let mut mine = hub.subscribe("me");
        hub.publish("someone-else", "theirs", envelope("theirs"))
            .await;
        hub.publish("me", "mine", envelope("mine")).await;
        let event = mine.recv().await.unwrap();
        assert_eq!(&*event.login_id, "mine");
        assert!(mine.rx.is_empty());
    }

    #[tokio::test]
    async fn the_last_stream_leaving_removes_the_channel() {
        let hub = ChallengeHub::local();
        let first = hub.subscribe("u");
        let second = hub.subscribe("u");
        drop(first);
        assert!(hub.channels.lock().contains_key("u"));
        drop(second);
        assert!(hub.channels.lock().is_empty());
    }
}
