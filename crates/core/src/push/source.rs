//! Where challenges come from: one [`PushSource`] per push-capable vault entry, whatever its
//! protocol, and the one list of them ([`sources`]) the shells fetch from and watch.
//!
//! A source holds what may leave the vault lock (the server's URL, its pinned key, a read
//! token), never a signing key: it is made under a brief lock and used without one.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use tokio::sync::mpsc;

use super::{ListenerEvent, PushChallenge, PushError, poller, zweifaktor};
use crate::accounts::{AccountId, Keyring};
use crate::clock::Clock;

/// A challenge a source fetched but refused to show: it failed verification (forged,
/// tampered, stale, for another account).
#[derive(Debug)]
pub struct Refusal {
    /// The challenge's id when its signature verified, so that an answer to it can be told
    /// "expired" rather than "unknown"; `None` when the id itself is not to be trusted.
    pub id: Option<String>,
    /// Why it was refused.
    pub error: PushError,
}

/// What one fetch from a source brought: each challenge verified or refused.
pub type FetchResult = Result<Vec<Result<PushChallenge, Refusal>>, PushError>;

/// One push-capable vault entry's server, ready to be asked without the vault.
///
/// One implementation per protocol; [`sources`] lists every entry's. See `PUSH-CONTRACT.md`.
pub trait PushSource: Send + Sync + 'static {
    /// The vault account (or push token) it serves.
    fn account(&self) -> &AccountId;

    /// That account's label.
    fn label(&self) -> &str;

    /// The open challenges now, each verified with the server key pinned at enrollment
    /// before it becomes a [`PushChallenge`]; freshness is judged by `clock`. The outer
    /// error means the server could not be asked.
    fn fetch<'a>(&'a self, clock: &'a dyn Clock) -> BoxFuture<'a, FetchResult>;

    /// Reports challenges as they arrive until `events` closes: the default polls
    /// [`fetch`](Self::fetch) every [`POLL_INTERVAL`](super::POLL_INTERVAL); a protocol with a
    /// stream (Zweifaktor) holds that instead.
    fn watch(
        self: Arc<Self>,
        clock: Arc<dyn Clock>,
        events: mpsc::Sender<ListenerEvent>,
    ) -> BoxFuture<'static, ()> {
        Box::pin(poller::poll(self, clock, events, super::POLL_INTERVAL))
    }
}

/// Every push source of the vault, in the accounts' order: the one place a protocol is
/// plugged in.
pub fn sources(keyring: &Keyring) -> Vec<Arc<dyn PushSource>> {
    let mut all = zweifaktor::sources(keyring);
    all.sort_by_key(|source| position(keyring, source.account()));
    all
}

/// Where `account` is in the vault's list (push tokens outside it go last).
fn position(keyring: &Keyring, account: &AccountId) -> usize {
    keyring
        .accounts()
        .iter()
        .position(|a| a.id() == account)
        .unwrap_or(usize::MAX)
}
