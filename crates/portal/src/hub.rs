//! Fan-out of new challenges to the device streams.
//!
//! A login publishes its account and challenge id; every open `/api/v1/device/stream` of that
//! account wakes up and sends the signed challenge. With SQLite (one instance) the fan-out is
//! an in-process broadcast channel. With PostgreSQL several instances may run behind a load
//! balancer, so a login on one must reach streams held by another: publishing then sends a
//! PostgreSQL `NOTIFY`, and each instance `LISTEN`s and feeds its own broadcast channel.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::broadcast;

use crate::storage::Db;

/// Events buffered per subscriber before a slow stream starts missing some; a stream that
/// lags re-reads the pending challenges from the database, so nothing is lost.
const HUB_CAPACITY: usize = 256;

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

/// The broadcast channel shared by all requests of this instance.
#[derive(Debug)]
pub struct ChallengeHub {
    tx: broadcast::Sender<ChallengeEvent>,
    fanout: Fanout,
}

impl ChallengeHub {
    /// A hub for a single instance.
    pub fn local() -> Self {
        Self {
            tx: broadcast::channel(HUB_CAPACITY).0,
            fanout: Fanout::Local,
        }
    }

    /// A hub that shares events with every instance on the PostgreSQL database at `url`.
    pub async fn postgres(db: Db, url: &str) -> Result<Self, sqlx::Error> {
        let tx = broadcast::channel(HUB_CAPACITY).0;
        let mut listener = PgListener::connect(url).await?;
        listener.listen(NOTIFY_CHANNEL).await?;
        let local = tx.clone();
        let listener = tokio::spawn(async move {
            let mut backoff = Duration::from_secs(1);
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        backoff = Duration::from_secs(1);
                        if let Some((user_id, login_id)) = notification.payload().split_once(' ') {
                            let _listeners = local.send(ChallengeEvent {
                                user_id: user_id.into(),
                                login_id: login_id.into(),
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
            tx,
            fanout: Fanout::Postgres { db, listener },
        })
    }

    /// Announces a challenge to every stream of the account, on every instance. Losing an
    /// announcement is not fatal (devices also poll), so failures are logged, not returned.
    pub async fn publish(&self, user_id: &str, login_id: &str) {
        match &self.fanout {
            Fanout::Local => {
                let _listeners = self.tx.send(ChallengeEvent {
                    user_id: user_id.into(),
                    login_id: login_id.into(),
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

    /// A receiver for all later events.
    pub fn subscribe(&self) -> broadcast::Receiver<ChallengeEvent> {
        self.tx.subscribe()
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

    #[tokio::test]
    async fn subscribers_receive_published_events() {
        let hub = ChallengeHub::local();
        hub.publish("nobody", "listening").await;
        let mut rx = hub.subscribe();
        hub.publish("u", "l").await;
        let event = rx.recv().await.unwrap();
        assert_eq!((&*event.user_id, &*event.login_id), ("u", "l"));
    }
}
