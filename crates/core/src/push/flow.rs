//! The one push flow both shells run, whatever the protocols behind it: fetch all, show,
//! answer.
//!
//! The vault is held only for the brief synchronous steps (listing the sources, computing a
//! code, signing an answer) through [`Unlocked`]; every network wait runs without it, so a
//! lock in between makes the next step fail cleanly instead of waiting.

use std::sync::Arc;

use futures_util::future::join_all;
use zweifaktor_protocol::messages::MessageError;

use super::{Ask, PushAnswer, PushChallenge, PushError, PushSource, ShownCode};
use crate::Authenticator;
use crate::accounts::AccountId;
use crate::clock::Clock;
use crate::error::CoreError;

/// Brief access to the unlocked vault: the app's state (which may be locked meanwhile) or
/// the headless device's [`Authenticator`].
pub trait Unlocked {
    /// What a failed step becomes in the caller's vocabulary (the app adds "locked").
    type Error: From<CoreError>;

    /// Runs `action` on the unlocked vault, or fails when it is locked.
    fn with_vault<T>(
        &self,
        action: impl FnOnce(&Authenticator) -> Result<T, CoreError>,
    ) -> Result<T, Self::Error>;
}

impl Unlocked for Authenticator {
    type Error = CoreError;

    fn with_vault<T>(
        &self,
        action: impl FnOnce(&Authenticator) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        action(self)
    }
}

/// A challenge fetched but not shown, because it failed verification.
#[derive(Debug)]
pub struct Refused {
    /// The account whose server sent it.
    pub account: AccountId,
    /// That account's label.
    pub label: String,
    /// Its id, when its signature verified (an answer to it is then "expired").
    pub id: Option<String>,
    /// Why it was refused.
    pub error: PushError,
}

/// A source that could not be asked; the others' challenges are still shown.
#[derive(Debug)]
pub struct Failed {
    /// The account whose server failed.
    pub account: AccountId,
    /// That account's label.
    pub label: String,
    /// What went wrong.
    pub error: PushError,
}

/// One round over every source.
#[derive(Debug, Default)]
pub struct Fetched {
    /// The verified challenges, in the accounts' order.
    pub challenges: Vec<PushChallenge>,
    /// The challenges refused (never to be shown), reported so the user can be warned.
    pub refused: Vec<Refused>,
    /// The sources that could not be asked.
    pub failed: Vec<Failed>,
}

impl Fetched {
    /// The challenge `id`; if it is not among the verified ones, why: expired (it was refused
    /// as expired), the failure of a source that could not be asked (it may be there), or
    /// unknown.
    pub fn take(self, id: &str) -> Result<PushChallenge, PushError> {
        if let Some(found) = self.challenges.into_iter().find(|c| c.info.id == id) {
            return Ok(found);
        }
        let stale = self.refused.iter().any(|r| {
            r.id.as_deref() == Some(id)
                && matches!(
                    r.error,
                    PushError::Stale(MessageError::ChallengeExpired { .. })
                )
        });
        if stale {
            return Err(PushError::Expired { id: id.to_owned() });
        }
        Err(self.failed.into_iter().next().map_or_else(
            || PushError::UnknownChallenge { id: id.to_owned() },
            |failed| failed.error,
        ))
    }

    /// The challenge of the most recent login, what "Akzeptieren" shows after the user had
    /// to log in again; ties go to the one that stays open longer. Without any, the failure
    /// of a source that could not be asked, else [`PushError::NoChallenge`].
    pub fn newest(self) -> Result<PushChallenge, PushError> {
        if let Some(newest) = self
            .challenges
            .into_iter()
            .max_by_key(|c| (c.info.time, c.info.expires_at))
        {
            return Ok(newest);
        }
        Err(self
            .failed
            .into_iter()
            .next()
            .map_or(PushError::NoChallenge, |failed| failed.error))
    }
}

/// A challenge on show, with its code when it has one to show large.
#[derive(Debug)]
pub struct Shown {
    /// The challenge.
    pub challenge: PushChallenge,
    /// The security code (Zweifaktor) or the server's code (`code_to_phone`).
    pub code: Option<ShownCode>,
}

/// Fetches the open challenges of every push source (only `only`'s, if given) at once.
///
/// A source that fails is listed in [`Fetched::failed`] and hides no other source's
/// challenges; refused challenges are listed in [`Fetched::refused`] and logged, never shown.
/// Fails with [`PushError::NoPushAccount`] when the vault has no push source.
pub async fn fetch_all<V: Unlocked + ?Sized>(
    vault: &V,
    only: Option<&AccountId>,
) -> Result<Fetched, V::Error> {
    let (sources, clock) = vault.with_vault(|auth| {
        if let Some(id) = only {
            auth.account(id)?;
        }
        Ok((auth.push_sources(), auth.clock()))
    })?;
    let sources: Vec<_> = sources
        .into_iter()
        .filter(|s| only.is_none_or(|id| s.account() == id))
        .collect();
    if sources.is_empty() {
        let error = match only {
            Some(id) => PushError::NotBound {
                account: vault.with_vault(|auth| Ok(auth.account(id)?.label))?,
            },
            None => PushError::NoPushAccount,
        };
        return Err(CoreError::from(error).into());
    }
    Ok(fetch_sources(&sources, clock.as_ref()).await)
}

/// Asks each of `sources` at once and sorts what comes back: verified, refused, failed.
pub async fn fetch_sources(sources: &[Arc<dyn PushSource>], clock: &dyn Clock) -> Fetched {
    let results = join_all(sources.iter().map(|s| s.fetch(clock))).await;
    let mut fetched = Fetched::default();
    for (source, result) in sources.iter().zip(results) {
        let account = source.account().clone();
        let label = source.label().to_owned();
        match result {
            Ok(found) => {
                for item in found {
                    match item {
                        Ok(challenge) => fetched.challenges.push(challenge),
                        Err(refusal) => {
                            tracing::warn!(%account, code = refusal.error.code(), "challenge refused");
                            fetched.refused.push(Refused {
                                account: account.clone(),
                                label: label.clone(),
                                id: refusal.id,
                                error: refusal.error,
                            });
                        }
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%account, code = error.code(), "push server not asked");
                fetched.failed.push(Failed {
                    account,
                    label,
                    error,
                });
            }
        }
    }
    fetched
}

/// Shows `challenge`: its code from the vault, if it has one, and for a Zweifaktor challenge
/// the signed "seen" sent afterwards (a failure there is only logged: the code is valid).
pub async fn show<V: Unlocked + ?Sized>(
    vault: &V,
    challenge: PushChallenge,
) -> Result<Shown, V::Error> {
    let (code, seen) = vault.with_vault(|auth| {
        let code = challenge.code(auth.keyring())?;
        let seen = match challenge.ask {
            Ask::SecurityCode => {
                Some(challenge.sign(auth.keyring(), &PushAnswer::Seen, auth.clock().now())?)
            }
            _ => None,
        };
        Ok((code, seen))
    })?;
    if let Some(seen) = seen
        && let Err(error) = seen.send().await
    {
        tracing::warn!(challenge = %challenge.info.id, code = error.code(), "server not told that the code was shown");
    }
    Ok(Shown { challenge, code })
}

/// Answers `challenge`: checks the answer against what it asks and its expiry, signs it
/// under a brief hold of the vault, and sends it. "Accept" for a challenge that asks for the
/// security code shows the code instead (and sends "seen"): that is accepting it there.
pub async fn answer<V: Unlocked + ?Sized>(
    vault: &V,
    challenge: PushChallenge,
    answer: PushAnswer,
) -> Result<Shown, V::Error> {
    if matches!(challenge.ask, Ask::SecurityCode) && answer == PushAnswer::Accept {
        return show(vault, challenge).await;
    }
    let signed =
        vault.with_vault(|auth| challenge.sign(auth.keyring(), &answer, auth.clock().now()))?;
    signed.send().await.map_err(CoreError::from)?;
    tracing::info!(challenge = %challenge.info.id, answer = answer.name(), "challenge answered");
    Ok(Shown {
        challenge,
        code: None,
    })
}

/// Fetches every source (or only `only`'s), finds the challenge `id` and answers it: what a
/// shell does for `accept ID` and `deny ID`, which carry only the id.
pub async fn answer_by_id<V: Unlocked + ?Sized>(
    vault: &V,
    id: &str,
    reply: PushAnswer,
    only: Option<&AccountId>,
) -> Result<Shown, V::Error> {
    let challenge = fetch_all(vault, only)
        .await?
        .take(id)
        .map_err(CoreError::from)?;
    answer(vault, challenge, reply).await
}

/// "Akzeptieren": fetches every source now and shows the newest login's challenge.
pub async fn latest<V: Unlocked + ?Sized>(vault: &V) -> Result<Shown, V::Error> {
    let newest = fetch_all(vault, None)
        .await?
        .newest()
        .map_err(CoreError::from)?;
    show(vault, newest).await
}
