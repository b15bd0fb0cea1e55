//! Test kit for the push interface: a made-up protocol whose source answers with scripted
//! rounds and whose challenges record the answers they sign, so the flow and the poller can be
//! tested without a server.
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use zweifaktor_protocol::otp::Code;

use super::source::{FetchResult, Refusal};
use super::{
    Ask, ChallengeInfo, ChallengeOrigin, PushAnswer, PushChallenge, PushError, PushSource,
    SignedAnswer,
};
use crate::accounts::{AccountId, Keyring};
use crate::clock::Clock;
use crate::error::CoreError;

/// The made-up protocol's name.
pub(crate) const FAKE: &str = "fake";

/// Where the fake challenges' answers go once sent.
pub(crate) type Outbox = Arc<Mutex<Vec<(String, PushAnswer)>>>;

/// A source that answers each fetch with the next scripted round (then with nothing).
pub(crate) struct FakeSource {
    account: AccountId,
    label: String,
    rounds: Mutex<VecDeque<FetchResult>>,
}

impl FakeSource {
    /// A source for a new account labelled `label`, answering `rounds` in turn.
    pub(crate) fn new(label: &str, rounds: Vec<FetchResult>) -> Arc<Self> {
        Arc::new(Self {
            account: AccountId::random(),
            label: label.into(),
            rounds: Mutex::new(rounds.into()),
        })
    }
}

impl PushSource for FakeSource {
    fn account(&self) -> &AccountId {
        &self.account
    }

    fn label(&self) -> &str {
        &self.label
    }

    fn fetch<'a>(&'a self, _clock: &'a dyn Clock) -> BoxFuture<'a, FetchResult> {
        let round = self.rounds.lock().unwrap().pop_front();
        Box::pin(async move { round.unwrap_or_else(|| Ok(Vec::new())) })
    }
}

/// A challenge `id` asking `ask`, for a login at `time`, open until `expires_at`; its
/// answers land in `outbox` when sent.
pub(crate) fn challenge(
    id: &str,
    ask: Ask,
    time: u64,
    expires_at: u64,
    outbox: &Outbox,
) -> PushChallenge {
    let info = ChallengeInfo {
        id: id.into(),
        account: AccountId::random(),
        account_label: "Fake:erika".into(),
        protocol: FAKE,
        portal: "Fake server".into(),
        title: Some("Anmeldung".into()),
        question: Some("Sind Sie das?".into()),
        time,
        browser: None,
        expires_at,
    };
    let origin = FakeOrigin {
        id: id.into(),
        outbox: Arc::clone(outbox),
    };
    PushChallenge::new(info, ask, Arc::new(origin))
}

/// A fetched challenge that failed verification, with its id if trusted.
pub(crate) fn refused(id: Option<&str>, error: PushError) -> Result<PushChallenge, Refusal> {
    Err(Refusal {
        id: id.map(str::to_owned),
        error,
    })
}

struct FakeOrigin {
    id: String,
    outbox: Outbox,
}

impl ChallengeOrigin for FakeOrigin {
    fn code(&self, _keyring: &Keyring) -> Result<Option<Code>, CoreError> {
        Ok(None)
    }

    fn sign(
        &self,
        _keyring: &Keyring,
        answer: &PushAnswer,
        _now: u64,
    ) -> Result<Box<dyn SignedAnswer>, CoreError> {
        Ok(Box::new(FakeAnswer {
            id: self.id.clone(),
            answer: answer.clone(),
            outbox: Arc::clone(&self.outbox),
        }))
    }
}

struct FakeAnswer {
    id: String,
    answer: PushAnswer,
    outbox: Outbox,
}

impl SignedAnswer for FakeAnswer {
    fn send(self: Box<Self>) -> BoxFuture<'static, Result<(), PushError>> {
        Box::pin(async move {
            self.outbox.lock().unwrap().push((self.id, self.answer));
            Ok(())
        })
    }
}
