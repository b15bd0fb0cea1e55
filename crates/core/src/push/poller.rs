//! The loop that asks a poll-only source (privacyIDEA) for challenges every few seconds while
//! the app is open, reporting each new one once, next to the streams the listener holds.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

use super::listener::remember;
use super::{ListenerEvent, PushSource};
use crate::clock::Clock;

/// How often a poll-only source is asked while the app is open: a login page waits for the
/// answer, so a few seconds keep the wait short, while each round is one small signed GET per
/// token. privacyIDEA's own app polls on a similar scale when it cannot be woken by Firebase.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// Asks `source` at once and then every `every` until `events` closes; each challenge is
/// reported once, each failure as [`ListenerEvent::Disconnected`] (the next round tries again).
pub async fn poll<S: PushSource + ?Sized>(
    source: Arc<S>,
    clock: Arc<dyn Clock>,
    events: mpsc::Sender<ListenerEvent>,
    every: Duration,
) {
    let mut seen = VecDeque::new();
    let mut rounds = tokio::time::interval(every);
    rounds.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let fetched = tokio::select! {
            () = events.closed() => return,
            fetched = async {
                rounds.tick().await;
                source.fetch(clock.as_ref()).await
            } => fetched,
        };
        let account = source.account().clone();
        let reports: Vec<ListenerEvent> = match fetched {
            Ok(found) => found
                .into_iter()
                .filter_map(|item| match item {
                    Ok(challenge) => remember(&mut seen, &challenge.info.id)
                        .then_some(ListenerEvent::Challenge(challenge)),
                    Err(refusal) => {
                        let new = refusal.id.as_ref().is_none_or(|id| remember(&mut seen, id));
                        new.then(|| ListenerEvent::Rejected {
                            account: account.clone(),
                            error: refusal.error,
                        })
                    }
                })
                .collect(),
            Err(error) => vec![ListenerEvent::Disconnected {
                account: account.clone(),
                error,
                retry_in: every,
            }],
        };
        for report in reports {
            if events.send(report).await.is_err() {
                return;
            }
        }
    }
}
