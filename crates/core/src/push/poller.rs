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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::push::test_source::{FakeSource, Outbox, challenge};
    use crate::push::{Ask, PushError};

    const NOW: u64 = 1_764_000_000;

    /// Each challenge is reported once although every round brings it again; a failed round
    /// is reported and the next round goes on.
    #[tokio::test]
    async fn each_challenge_is_reported_once_and_a_failed_round_is_not_the_end() {
        let outbox = Outbox::default();
        let c = |id| challenge(id, Ask::ApproveOrDecline, NOW, NOW + 60, &outbox);
        let source = FakeSource::new(
            "Token:erika",
            vec![
                Ok(vec![Ok(c("a"))]),
                Ok(vec![Ok(c("a")), Ok(c("b"))]),
                Err(PushError::Malformed),
                Ok(vec![Ok(c("b")), Ok(c("c"))]),
            ],
        );
        let (tx, mut rx) = mpsc::channel(8);
        let clock = Arc::new(FixedClock::new(NOW));
        let task = tokio::spawn(poll(source, clock, tx, Duration::from_millis(1)));
        let mut seen = Vec::new();
        for _ in 0..4 {
            match rx.recv().await.unwrap() {
                ListenerEvent::Challenge(challenge) => seen.push(challenge.info.id),
                ListenerEvent::Disconnected {
                    error: PushError::Malformed,
                    ..
                } => seen.push("failed".into()),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(seen, ["a", "b", "failed", "c"]);
        drop(rx);
        task.await.unwrap();
    }
}
