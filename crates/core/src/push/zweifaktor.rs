//! Zweifaktor protocol v1 behind the push interface: the portal-bound accounts as
//! [`PushSource`]s (the signed stream, and the poll for "Akzeptieren"), their challenges as
//! [`PushChallenge`]s asking for the security code, and the signed "seen"/"deny" answers.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use tokio::sync::mpsc;
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::Decision;
use zweifaktor_protocol::otp::Code;
use zweifaktor_protocol::otp::ocra;

use super::source::FetchResult;
use super::{
    Ask, Backoff, Browser, ChallengeInfo, ChallengeOrigin, ListenerEvent, PortalSession,
    PushAnswer, PushChallenge, PushError, PushSource, SignedAnswer, VerifiedChallenge,
};
use crate::accounts::{AccountId, Keyring};
use crate::clock::Clock;
use crate::error::CoreError;

/// The protocol name in [`ChallengeInfo::protocol`] for Zweifaktor's own portals.
pub const ZWEIFAKTOR: &str = "zweifaktor";

/// Every portal-bound account's source.
pub(super) fn sources(keyring: &Keyring) -> Vec<Arc<dyn PushSource>> {
    keyring
        .accounts()
        .iter()
        .filter_map(|a| {
            let session = a
                .portal()?
                .session(a.id().clone(), a.name().to_owned(), a.label());
            Some(Arc::new(ZweifaktorSource(session)) as Arc<dyn PushSource>)
        })
        .collect()
}

/// A portal-bound account: asked by `GET /api/v1/device/challenges`, watched by the stream.
struct ZweifaktorSource(PortalSession);

impl PushSource for ZweifaktorSource {
    fn account(&self) -> &AccountId {
        &self.0.account
    }

    fn label(&self) -> &str {
        &self.0.label
    }

    fn fetch<'a>(&'a self, clock: &'a dyn Clock) -> BoxFuture<'a, FetchResult> {
        Box::pin(async move {
            let found = super::open_challenges(&self.0, clock).await?;
            Ok(found
                .into_iter()
                .map(|verified| verified.map(|v| challenge(&self.0, v)))
                .collect())
        })
    }

    fn watch(
        self: Arc<Self>,
        clock: Arc<dyn Clock>,
        events: mpsc::Sender<ListenerEvent>,
    ) -> BoxFuture<'static, ()> {
        let session = self.0.duplicate();
        Box::pin(super::listen(session, clock, events, Backoff::DEFAULT))
    }
}

/// The push challenge of a verified Zweifaktor challenge from `session`'s portal.
pub(super) fn challenge(session: &PortalSession, verified: VerifiedChallenge) -> PushChallenge {
    let c = &verified.challenge;
    let info = ChallengeInfo {
        id: c.id.to_string(),
        account: verified.account.clone(),
        account_label: session.label.clone(),
        protocol: ZWEIFAKTOR,
        portal: c.context.portal.clone(),
        title: None,
        question: None,
        time: c.context.time,
        browser: Some(Browser {
            address: c.context.ip.clone(),
            user_agent: c.context.user_agent.clone(),
        }),
        expires_at: c.expires_at,
    };
    let origin = ZweifaktorOrigin {
        session: session.duplicate(),
        verified,
    };
    PushChallenge::new(info, Ask::SecurityCode, Arc::new(origin))
}

/// What answering a Zweifaktor challenge needs: the challenge and where to send to.
struct ZweifaktorOrigin {
    session: PortalSession,
    verified: VerifiedChallenge,
}

impl ChallengeOrigin for ZweifaktorOrigin {
    fn code(&self, keyring: &Keyring) -> Result<Option<Code>, CoreError> {
        let account = keyring.get(&self.verified.account)?;
        Ok(Some(ocra::zweifaktor_code(
            account.seed(),
            &self.verified.challenge.nonce.0,
        )?))
    }

    fn sign(
        &self,
        keyring: &Keyring,
        answer: &PushAnswer,
        now: u64,
    ) -> Result<Box<dyn SignedAnswer>, CoreError> {
        let decision = match answer {
            PushAnswer::Deny => Decision::Deny,
            PushAnswer::Seen => Decision::Seen,
            PushAnswer::Accept | PushAnswer::AcceptNumber(_) => {
                return Err(PushError::AnswerNotOffered.into());
            }
        };
        let account = keyring.get(&self.verified.account)?;
        let binding = account.portal().ok_or_else(|| PushError::NotBound {
            account: account.label(),
        })?;
        let envelope = binding.sign_answer(&self.verified.challenge, decision, now)?;
        Ok(Box::new(ZweifaktorAnswer {
            session: self.session.duplicate(),
            challenge: self.verified.challenge.id.clone(),
            envelope,
        }))
    }
}

/// A device-signed answer for `POST /api/v1/challenges/{id}/answer`.
struct ZweifaktorAnswer {
    session: PortalSession,
    challenge: zweifaktor_protocol::messages::ChallengeId,
    envelope: SignedEnvelope,
}

impl SignedAnswer for ZweifaktorAnswer {
    fn send(self: Box<Self>) -> BoxFuture<'static, Result<(), PushError>> {
        Box::pin(
            async move { super::send_answer(&self.session, &self.challenge, &self.envelope).await },
        )
    }
}
