//! Simulated devices: each holds `GET /api/v1/device/stream` open on its own HTTP/1.1
//! connection, verifies every challenge envelope with the pinned portal key, computes the
//! OCRA code and hands it to the login that waits for it. A dropped stream reconnects by
//! itself with a short back-off, as the app's listener does.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use tokio::sync::{oneshot, watch};
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::Challenge;
use zweifaktor_protocol::otp::zweifaktor_code;

use crate::http::Http;
use crate::report::Errors;
use crate::setup::Device;

/// First wait before a stream reconnects; doubled up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
/// Longest wait between reconnect attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// What a device hands to the login waiting for a challenge.
#[derive(Debug)]
pub struct Delivery {
    /// When the device had the verified challenge (tool's monotonic clock).
    pub at: Instant,
    /// The code the app would show.
    pub code: String,
}

/// Counters shared by all device tasks.
#[derive(Debug, Default)]
pub struct DeviceStats {
    /// Streams open now.
    pub connected: AtomicUsize,
    /// Most streams open at once.
    pub peak_connected: AtomicUsize,
    /// Challenge events received and verified (all deliveries, re-sends included).
    pub delivered: AtomicU64,
    /// A challenge id arriving twice on one connection: a duplicate.
    pub duplicated: AtomicU64,
    /// A challenge sent again on a new connection (the stream re-sends open challenges).
    pub resent_after_reconnect: AtomicU64,
    /// Devices that opened a stream again after losing one.
    pub reconnected_devices: AtomicUsize,
}

/// Logins waiting for their challenge, keyed by the login's unique user agent, which the
/// challenge carries in its context.
#[derive(Debug, Default)]
pub struct Waiters {
    open: Mutex<HashMap<String, oneshot::Sender<Delivery>>>,
}

impl Waiters {
    /// Registers a login before its password is sent, so an early delivery is not missed.
    pub fn wait_for(&self, user_agent: &str) -> oneshot::Receiver<Delivery> {
        let (tx, rx) = oneshot::channel();
        self.lock().insert(user_agent.to_string(), tx);
        rx
    }

    /// Forgets a login that stopped waiting.
    pub fn cancel(&self, user_agent: &str) {
        self.lock().remove(user_agent);
    }

    fn deliver(&self, user_agent: &str, delivery: Delivery) {
        if let Some(tx) = self.lock().remove(user_agent) {
            let _gone = tx.send(delivery);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<Delivery>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What every device task and every login shares.
pub struct Shared {
    /// Base URL of each portal instance.
    pub bases: Vec<String>,
    /// One client for all streams: HTTP/1.1 opens one connection per open stream.
    pub http: reqwest::Client,
    /// The browsers' connections, one pool per portal instance.
    pub webs: Vec<Http>,
    /// Counters.
    pub stats: DeviceStats,
    /// Logins waiting for codes.
    pub waiters: Waiters,
    /// Errors by kind.
    pub errors: Errors,
    /// Set to `true` to end every stream.
    pub stop: watch::Receiver<bool>,
}

impl Shared {
    /// The base URL of the instance that holds device `device`'s stream.
    pub fn stream_base(&self, device: usize) -> &str {
        &self.bases[device % self.bases.len()]
    }

    /// The connections of the instance that login `login` talks to: the one after its
    /// device's, so that with several instances its challenge crosses instances.
    pub fn web(&self, login: usize) -> &Http {
        &self.webs[(login + 1) % self.webs.len()]
    }
}

/// Holds `device`'s stream open until `shared.stop`, reconnecting when it drops.
pub async fn run(shared: Arc<Shared>, device: Device) {
    let mut stop = shared.stop.clone();
    let mut ever_seen: HashSet<String> = HashSet::new();
    let mut connections = 0u32;
    let mut backoff = FIRST_BACKOFF;
    while !*stop.borrow() {
        let opened = tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            r = shared
                .http
                .get(format!("{}/api/v1/device/stream", shared.stream_base(device.index)))
                .bearer_auth(device.token.as_str())
                .header(reqwest::header::ACCEPT, "text/event-stream")
                .send() => r,
        };
        let response = match opened {
            Ok(r) if r.status().is_success() => r,
            Ok(r) => {
                shared
                    .errors
                    .add(&format!("stream_http_{}", r.status().as_u16()));
                sleep_or_stop(&mut stop, &mut backoff).await;
                continue;
            }
            Err(_) => {
                shared.errors.add("stream_connect");
                sleep_or_stop(&mut stop, &mut backoff).await;
                continue;
            }
        };
        connections += 1;
        if connections == 2 {
            shared
                .stats
                .reconnected_devices
                .fetch_add(1, Ordering::Relaxed);
        }
        backoff = FIRST_BACKOFF;
        let now = shared.stats.connected.fetch_add(1, Ordering::Relaxed) + 1;
        shared
            .stats
            .peak_connected
            .fetch_max(now, Ordering::Relaxed);
        let mut this_connection: HashSet<String> = HashSet::new();
        let mut events = eventsource_stream::EventStream::new(response.bytes_stream());
        loop {
            let next = tokio::select! {
                _ = stop.wait_for(|s| *s) => None,
                e = events.next() => e,
            };
            match next {
                None => break,
                Some(Err(_)) => {
                    if !*stop.borrow() {
                        shared.errors.add("stream_dropped");
                    }
                    break;
                }
                Some(Ok(event)) if event.event == "challenge" => {
                    let at = Instant::now();
                    receive(
                        &shared,
                        &device,
                        &event.data,
                        at,
                        &mut this_connection,
                        &mut ever_seen,
                    );
                }
                Some(Ok(_)) => {}
            }
        }
        shared.stats.connected.fetch_sub(1, Ordering::Relaxed);
    }
}

/// One challenge event: verify, count, compute the code, hand it over.
fn receive(
    shared: &Shared,
    device: &Device,
    data: &str,
    at: Instant,
    this_connection: &mut HashSet<String>,
    ever_seen: &mut HashSet<String>,
) {
    let Ok(envelope) = serde_json::from_str::<SignedEnvelope>(data) else {
        shared.errors.add("challenge_malformed");
        return;
    };
    let Ok(challenge) = envelope.open::<Challenge>(&device.portal_key) else {
        shared.errors.add("challenge_bad_signature");
        return;
    };
    if challenge.account != device.email {
        shared.errors.add("challenge_wrong_account");
        return;
    }
    let id = challenge.id.to_string();
    shared.stats.delivered.fetch_add(1, Ordering::Relaxed);
    if !this_connection.insert(id.clone()) {
        shared.stats.duplicated.fetch_add(1, Ordering::Relaxed);
        return;
    }
    if !ever_seen.insert(id) {
        shared
            .stats
            .resent_after_reconnect
            .fetch_add(1, Ordering::Relaxed);
        return;
    }
    match zweifaktor_code(&device.seed, &challenge.nonce.0) {
        Ok(code) => shared.waiters.deliver(
            &challenge.context.user_agent,
            Delivery {
                at,
                code: code.as_str().to_string(),
            },
        ),
        Err(_) => shared.errors.add("ocra_failed"),
    }
}

async fn sleep_or_stop(stop: &mut watch::Receiver<bool>, backoff: &mut Duration) {
    tokio::select! {
        _ = stop.wait_for(|s| *s) => {}
        () = tokio::time::sleep(*backoff) => {}
    }
    *backoff = (*backoff * 2).min(MAX_BACKOFF);
}
