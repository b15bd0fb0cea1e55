//! privacyIDEA push tokens behind the push interface: each token a [`PushSource`] that polls,
//! its verified challenges [`PushChallenge`]s, and the signed accept, decline and presence
//! answers.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use zeroize::Zeroizing;
use zweifaktor_protocol::otp::Code;
use zweifaktor_protocol::pipush::{
    DeclineReason, DeviceKey, PiAnswer, PiChallenge, PiSignatureError, ServerKey,
    VerifiedPiChallenge, answer_fields, answer_message, poll_message, poll_timestamp,
};

use super::http::PiServer;
use super::{PRIVACYIDEA, PiPushToken};
use crate::accounts::{AccountId, Keyring};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::push::source::{FetchResult, Refusal};
use crate::push::{
    Ask, ChallengeInfo, ChallengeOrigin, PushAnswer, PushChallenge, PushError, PushSource,
    ServerCode, SignedAnswer,
};

/// How long a privacyIDEA challenge is offered for answering, counted from when the phone
/// first sees it: the server does not say, and its default validity is 120 s
/// (`DefaultChallengeValidityTime`); the privacyIDEA app assumes two minutes as well. The
/// server stays the judge: an answer after its own expiry is not recorded.
pub const CHALLENGE_LIFETIME_SECS: u64 = 120;

/// Every push token's source.
pub(crate) fn sources(keyring: &Keyring) -> Vec<Arc<dyn PushSource>> {
    keyring
        .push_tokens()
        .iter()
        .filter_map(|token| match PiSource::new(token) {
            Ok(source) => Some(Arc::new(source) as Arc<dyn PushSource>),
            Err(error) => {
                tracing::warn!(token = %token.id(), code = error.code(), "push token unusable");
                None
            }
        })
        .collect()
}

/// One token's server, with what polling needs.
///
/// Unlike a Zweifaktor source it holds the phone's key: privacyIDEA authenticates a poll only
/// by its signature (`{serial}|{timestamp}`, fresh within a minute), so the poller must sign
/// while the app is open. It is dropped with the source when the vault locks; answers are
/// still signed from the vault ([`ChallengeOrigin::sign`]).
struct PiSource {
    id: AccountId,
    label: String,
    issuer: String,
    serial: String,
    server_key: ServerKey,
    device_key: DeviceKey,
    server: PiServer,
}

impl PiSource {
    /// The source of `token`.
    fn new(token: &PiPushToken) -> Result<Self, PushError> {
        Ok(Self {
            id: token.id().clone(),
            label: token.display_label(),
            issuer: token.issuer().to_owned(),
            serial: token.serial().to_owned(),
            server_key: token.server_key().clone(),
            device_key: DeviceKey::from_private(token.device_key()).map_err(PushError::PushKey)?,
            server: PiServer::new(token.url(), token.tls())?,
        })
    }

    /// The push challenge of a verified privacyIDEA challenge first seen at `now`.
    fn challenge(&self, verified: VerifiedPiChallenge, now: u64) -> PushChallenge {
        let ask = match &verified.presence {
            Some(options) => Ask::PickNumber {
                options: options.0.clone(),
            },
            None => Ask::ApproveOrDecline,
        };
        let info = ChallengeInfo {
            id: verified.nonce.clone(),
            account: self.id.clone(),
            account_label: self.label.clone(),
            protocol: PRIVACYIDEA,
            portal: self.issuer.clone(),
            title: Some(verified.title.clone()),
            question: Some(verified.question.clone()),
            time: now,
            browser: None,
            expires_at: now.saturating_add(CHALLENGE_LIFETIME_SECS),
        };
        let origin = PiOrigin {
            token: self.id.clone(),
            verified,
            server: self.server.clone(),
        };
        PushChallenge::new(info, ask, Arc::new(origin))
    }

    /// One listed challenge, verified: shown, or refused with why.
    fn check(
        &self,
        listed: Result<PiChallenge, zweifaktor_protocol::pipush::PiResponseError>,
        now: u64,
    ) -> Result<PushChallenge, Refusal> {
        let refused = |error| Refusal { id: None, error };
        let listed = listed.map_err(|_| refused(PushError::Malformed))?;
        match listed.verify(&self.server_key, &self.serial) {
            Ok(verified) => Ok(self.challenge(verified, now)),
            Err(PiSignatureError::WrongSerial) => Err(refused(PushError::WrongAccount)),
            Err(_) => Err(refused(PushError::ForgedChallenge)),
        }
    }
}

impl PushSource for PiSource {
    fn account(&self) -> &AccountId {
        &self.id
    }

    fn label(&self) -> &str {
        &self.label
    }

    fn fetch<'a>(&'a self, clock: &'a dyn Clock) -> BoxFuture<'a, FetchResult> {
        Box::pin(async move {
            let now = clock.now();
            let timestamp = poll_timestamp(now).ok_or(PushError::Malformed)?;
            let signature = self
                .device_key
                .sign(&poll_message(&self.serial, &timestamp))
                .map_err(PushError::PushKey)?;
            let query = [
                ("serial", self.serial.as_str()),
                ("timestamp", timestamp.as_str()),
                ("signature", signature.as_str()),
            ];
            let listed = self.server.poll(&query).await?;
            tracing::debug!(token = %self.id, count = listed.len(), "privacyIDEA poll answered");
            Ok(listed
                .into_iter()
                .map(|item| self.check(item, now))
                .collect())
        })
    }
}

/// What answering a privacyIDEA challenge needs: the challenge and where to send to.
struct PiOrigin {
    token: AccountId,
    verified: VerifiedPiChallenge,
    server: PiServer,
}

impl ChallengeOrigin for PiOrigin {
    fn code(&self, _keyring: &Keyring) -> Result<Option<Code>, CoreError> {
        Ok(None)
    }

    fn sign(
        &self,
        keyring: &Keyring,
        answer: &PushAnswer,
        _now: u64,
    ) -> Result<Box<dyn SignedAnswer>, CoreError> {
        let reply = match answer {
            PushAnswer::Accept => PiAnswer::Accept,
            PushAnswer::AcceptNumber(option) => PiAnswer::Presence(option.clone()),
            PushAnswer::Deny => PiAnswer::Decline(
                self.verified
                    .decline_reason
                    .then_some(DeclineReason::UnknownTrigger),
            ),
            PushAnswer::Seen => return Err(PushError::AnswerNotOffered.into()),
        };
        let token = keyring.push_token(&self.token)?;
        let key = DeviceKey::from_private(token.device_key()).map_err(PushError::PushKey)?;
        let (nonce, serial) = (&self.verified.nonce, &self.verified.serial);
        let signature = key
            .sign(&answer_message(nonce, serial, &reply))
            .map_err(PushError::PushKey)?;
        let mut form = answer_fields(nonce, serial, &reply);
        form.push(("signature", signature));
        Ok(Box::new(PiSignedAnswer {
            server: self.server.clone(),
            form,
        }))
    }
}

/// A signed answer, ready to `POST`.
struct PiSignedAnswer {
    server: PiServer,
    form: Vec<(&'static str, String)>,
}

impl SignedAnswer for PiSignedAnswer {
    fn send(self: Box<Self>) -> BoxFuture<'static, Result<Option<ServerCode>, PushError>> {
        Box::pin(async move {
            let outcome = self.server.answer(&self.form).await?;
            if !outcome.recorded {
                return Err(PushError::AnswerNotRecorded);
            }
            Ok(outcome
                .display_code
                .map(|code| ServerCode::new(Zeroizing::new(code))))
        })
    }
}
