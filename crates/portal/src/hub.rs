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
//!
//! The hub also ends streams (issue 9, finding 8). A revocation announced by the storage
//! ([`Db::revocations`]) becomes a [`HubEvent::DevicesRevoked`] on the account's channel, on
//! every instance (through the same `NOTIFY` channel); each stream of the account then checks
//! its device and a revoked one ends at once, where before it kept getting keep-alives until
//! the account's next login. And one device may hold at most [`MAX_STREAMS_PER_DEVICE`]
//! streams on an instance: opening one more ends the device's oldest
//! ([`HubEvent::Superseded`]), where before one token opened 1,000.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::{broadcast, oneshot};
use zweifaktor_protocol::SignedEnvelope;

use crate::storage::Db;

/// Events buffered per account before a slow stream starts missing some; a stream that lags
/// re-reads the pending challenges from the database, so nothing is lost. One account rarely
/// has more than a few logins in flight.
const ACCOUNT_CAPACITY: usize = 16;

/// The PostgreSQL notification channel shared by all instances.
pub const NOTIFY_CHANNEL: &str = "zweifaktor_challenges";

/// Event streams one device may hold open on one instance. The app holds one; a few more
/// cover a reconnect while the old connection is not yet known to be dead (a phone switching
/// networks). When a device opens one more, its oldest stream ends rather than the new one
/// being refused: the newest connection is almost always the live one, and a device whose
/// stale streams were not yet noticed as dead must not be locked out of push for minutes.
pub const MAX_STREAMS_PER_DEVICE: usize = 4;

/// Start of a `NOTIFY` payload that announces revoked devices (`revoked USER_ID`); a
/// challenge's payload is `USER_ID LOGIN_ID`, and user ids are hex, so the two never mix.
const REVOKED_PREFIX: &str = "revoked ";

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

/// What a stream hears.
#[derive(Debug, Clone)]
pub enum HubEvent {
    /// A new challenge of the account.
    Challenge(ChallengeEvent),
    /// Devices of the account were revoked: check whether this stream's device still is
    /// active, and end the stream if not.
    DevicesRevoked,
    /// The device opened a newer stream beyond [`MAX_STREAMS_PER_DEVICE`]: end this one.
    Superseded,
}

/// A device's open streams on this instance, oldest first, each with the signal that ends it.
type DeviceStreams = VecDeque<(u64, oneshot::Sender<()>)>;

/// The broadcast channels of the accounts that have an open stream on this instance, and
/// the streams of each device.
#[derive(Debug, Default)]
struct Channels {
    by_account: Mutex<HashMap<Arc<str>, broadcast::Sender<HubEvent>>>,
    by_device: Mutex<HashMap<Arc<str>, DeviceStreams>>,
    next_stream: AtomicU64,
}

impl Channels {
    fn lock(&self) -> MutexGuard<'_, HashMap<Arc<str>, broadcast::Sender<HubEvent>>> {
        self.by_account
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn devices(&self) -> MutexGuard<'_, HashMap<Arc<str>, DeviceStreams>> {
        self.by_device
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands `event` to the streams of `user_id`, if any are open here.
    fn send(&self, user_id: &str, event: HubEvent) {
        if let Some(tx) = self.lock().get(user_id) {
            let _listeners = tx.send(event);
        }
    }

    /// Hands `event` to every stream open here (after missed revocation announcements).
    fn send_all(&self, event: &HubEvent) {
        for tx in self.lock().values() {
            let _listeners = tx.send(event.clone());
        }
    }

    /// Registers a new stream of `device_id`; ends the device's oldest streams beyond
    /// [`MAX_STREAMS_PER_DEVICE`]. Returns the stream's id and its end signal.
    fn add_stream(&self, device_id: &Arc<str>) -> (u64, oneshot::Receiver<()>) {
        let id = self.next_stream.fetch_add(1, Ordering::Relaxed);
        let (end, ended) = oneshot::channel();
        let mut devices = self.devices();
        let streams = devices.entry(Arc::clone(device_id)).or_default();
        streams.push_back((id, end));
        while streams.len() > MAX_STREAMS_PER_DEVICE {
            if let Some((_, oldest)) = streams.pop_front() {
                let _gone = oldest.send(());
            }
        }
        (id, ended)
    }

    fn remove_stream(&self, device_id: &str, id: u64) {
        let mut devices = self.devices();
        if let Some(streams) = devices.get_mut(device_id) {
            streams.retain(|(other, _)| *other != id);
            if streams.is_empty() {
                devices.remove(device_id);
            }
        }
    }
}

/// One stream's view of its account's events; leaving removes the account's channel when
/// it was the last stream.
#[derive(Debug)]
pub struct Subscription {
    rx: broadcast::Receiver<HubEvent>,
    ended: oneshot::Receiver<()>,
    /// Set once `ended` has fired (a finished receiver must not be polled again).
    superseded: bool,
    user_id: Arc<str>,
    device_id: Arc<str>,
    stream_id: u64,
    channels: Arc<Channels>,
}

impl Subscription {
    /// The next event of this stream; `Lagged` when events were missed (re-read them from
    /// the database). After [`HubEvent::Superseded`] the stream must end.
    pub async fn recv(&mut self) -> Result<HubEvent, broadcast::error::RecvError> {
        if self.superseded {
            return Ok(HubEvent::Superseded);
        }
        let event = tokio::select! {
            biased;
            _ = &mut self.ended => None,
            event = self.rx.recv() => Some(event),
        };
        event.unwrap_or_else(|| {
            self.superseded = true;
            Ok(HubEvent::Superseded)
        })
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.channels.remove_stream(&self.device_id, self.stream_id);
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
    fanout: Arc<Fanout>,
    /// Turns the storage's revocation announcements into hub events; stopped with the hub.
    revocations: tokio::task::JoinHandle<()>,
}

impl ChallengeHub {
    /// A hub for a single instance on `db`.
    pub fn local(db: &Db) -> Self {
        Self::with(Arc::default(), Fanout::Local, db)
    }

    fn with(channels: Arc<Channels>, fanout: Fanout, db: &Db) -> Self {
        let fanout = Arc::new(fanout);
        let revocations = tokio::spawn(forward_revocations(
            db.revocations(),
            Arc::clone(&channels),
            Arc::clone(&fanout),
        ));
        Self {
            channels,
            fanout,
            revocations,
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
                        let payload = notification.payload();
                        if let Some(user_id) = payload.strip_prefix(REVOKED_PREFIX) {
                            local.send(user_id, HubEvent::DevicesRevoked);
                        } else if let Some((user_id, login_id)) = payload.split_once(' ') {
                            let event = ChallengeEvent {
                                user_id: user_id.into(),
                                login_id: login_id.into(),
                                envelope_json: None,
                            };
                            local.send(user_id, HubEvent::Challenge(event));
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
        let forwarded = db.clone();
        Ok(Self::with(
            channels,
            Fanout::Postgres { db, listener },
            &forwarded,
        ))
    }

    /// Announces the signed challenge `envelope` to every stream of the account, on every
    /// instance. Losing an announcement is not fatal (devices also poll), so failures are
    /// logged, not returned.
    pub async fn publish(&self, user_id: &str, login_id: &str, envelope: SignedEnvelope) {
        match &*self.fanout {
            Fanout::Local => {
                let envelope_json = match serde_json::to_string(&envelope) {
                    Ok(json) => Some(json.into()),
                    Err(e) => {
                        tracing::warn!(error = %e, "challenge not encodable; streams read it");
                        None
                    }
                };
                let event = ChallengeEvent {
                    user_id: user_id.into(),
                    login_id: login_id.into(),
                    envelope_json,
                };
                self.channels.send(user_id, HubEvent::Challenge(event));
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

    /// A receiver for the later events of the account `user_id`, for a stream of its
    /// device `device_id`; ends the device's oldest stream beyond
    /// [`MAX_STREAMS_PER_DEVICE`].
    pub fn subscribe(&self, user_id: &str, device_id: &str) -> Subscription {
        let user_id: Arc<str> = user_id.into();
        let device_id: Arc<str> = device_id.into();
        let rx = self
            .channels
            .lock()
            .entry(Arc::clone(&user_id))
            .or_insert_with(|| broadcast::channel(ACCOUNT_CAPACITY).0)
            .subscribe();
        let (stream_id, ended) = self.channels.add_stream(&device_id);
        Subscription {
            rx,
            ended,
            superseded: false,
            user_id,
            device_id,
            stream_id,
            channels: Arc::clone(&self.channels),
        }
    }
}

/// Passes each revocation the storage announces to the account's streams: directly on a
/// single instance, through `NOTIFY` (so every instance hears it) with PostgreSQL.
async fn forward_revocations(
    mut announced: broadcast::Receiver<Arc<str>>,
    channels: Arc<Channels>,
    fanout: Arc<Fanout>,
) {
    loop {
        match announced.recv().await {
            Ok(user_id) => match &*fanout {
                Fanout::Local => channels.send(&user_id, HubEvent::DevicesRevoked),
                Fanout::Postgres { db, .. } => {
                    let payload = format!("{REVOKED_PREFIX}{user_id}");
                    if let Err(e) = db.notify(NOTIFY_CHANNEL, &payload).await {
                        tracing::warn!(error = %e, "revocation NOTIFY failed; local streams told");
                        channels.send(&user_id, HubEvent::DevicesRevoked);
                    }
                }
            },
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "revocations missed; every stream checks its device");
                channels.send_all(&HubEvent::DevicesRevoked);
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

impl Drop for ChallengeHub {
    fn drop(&mut self) {
        self.revocations.abort();
        if let Fanout::Postgres { listener, .. } = &*self.fanout {
            listener.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::db;

    fn envelope(payload: &str) -> SignedEnvelope {
        SignedEnvelope {
            payload: payload.into(),
            sig: "sig".into(),
        }
    }

    fn challenge(event: HubEvent) -> ChallengeEvent {
        match event {
            HubEvent::Challenge(event) => event,
            other => panic!("expected a challenge, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn subscribers_receive_published_events() {
        let (db, _dir) = db().await;
        let hub = ChallengeHub::local(&db);
        hub.publish("nobody", "listening", envelope("listening"))
            .await;
        let mut rx = hub.subscribe("u", "d");
        hub.publish("u", "l", envelope("l")).await;
        let event = challenge(rx.recv().await.unwrap());
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
        let (db, _dir) = db().await;
        let hub = ChallengeHub::local(&db);
        let mut mine = hub.subscribe("me", "d");
        hub.publish("someone-else", "theirs", envelope("theirs"))
            .await;
        hub.publish("me", "mine", envelope("mine")).await;
        let event = challenge(mine.recv().await.unwrap());
        assert_eq!(&*event.login_id, "mine");
        assert!(mine.rx.is_empty());
    }

    #[tokio::test]
    async fn the_last_stream_leaving_removes_the_channel() {
        let (db, _dir) = db().await;
        let hub = ChallengeHub::local(&db);
        let first = hub.subscribe("u", "d1");
        let second = hub.subscribe("u", "d2");
        drop(first);
        assert!(hub.channels.lock().contains_key("u"));
        drop(second);
        assert!(hub.channels.lock().is_empty());
        assert!(hub.channels.devices().is_empty());
    }

    /// Regression (issue 9, finding 8): one device opening more than
    /// [`MAX_STREAMS_PER_DEVICE`] streams ends its oldest ones; other devices keep theirs.
    #[tokio::test]
    async fn a_device_holds_at_most_four_streams() {
        let (db, _dir) = db().await;
        let hub = ChallengeHub::local(&db);
        let mut other = hub.subscribe("u", "other");
        let mut streams: Vec<_> = (0..MAX_STREAMS_PER_DEVICE + 2)
            .map(|_| hub.subscribe("u", "d"))
            .collect();
        for oldest in &mut streams[..2] {
            assert!(matches!(oldest.recv().await, Ok(HubEvent::Superseded)));
        }
        hub.publish("u", "l", envelope("l")).await;
        for newer in &mut streams[2..] {
            challenge(newer.recv().await.unwrap());
        }
        challenge(other.recv().await.unwrap());
        assert_eq!(hub.channels.devices()["d"].len(), MAX_STREAMS_PER_DEVICE);
        drop(streams);
        assert!(!hub.channels.devices().contains_key("d"));
    }

    /// Regression (issue 9, finding 8): a revocation in the storage reaches the account's
    /// streams at once, and only that account's.
    #[tokio::test]
    async fn a_revocation_reaches_the_accounts_streams() {
        let (db, _dir) = db().await;
        let hub = ChallengeHub::local(&db);
        let mut mine = hub.subscribe("u", "d");
        let mut theirs = hub.subscribe("v", "e");
        db.announce_revoked("u");
        assert!(matches!(mine.recv().await, Ok(HubEvent::DevicesRevoked)));
        hub.publish("v", "l", envelope("l")).await;
        challenge(theirs.recv().await.unwrap());
    }
}
