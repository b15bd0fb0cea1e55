//! A new session id for the stage a login step leads to, written in the step's transaction:
//! from the commit on the old cookie is worthless and the new one works, so an id planted
//! before a step is useless after it.

use crate::error::AppError;
use crate::login::stage::{self, Event, Stage};
use crate::storage::WriteTx;
use crate::storage::sessions::Session;
use crate::tokens::SecretToken;

/// A session a step has started: stored (once the step commits) and its cookie value.
pub struct StartedSession {
    /// The stored session.
    pub session: Session,
    /// The cookie value; only its hash is stored.
    pub token: SecretToken,
}

impl std::fmt::Debug for StartedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartedSession")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// Replaces `old` (if any) by a new session at the stage `event` leads to from `old`'s
/// stage; [`AppError::Conflict`] if `event` cannot happen there (see [`stage::next`]).
pub(crate) fn advance(
    tx: &mut WriteTx<'_>,
    now: i64,
    old: Option<&Session>,
    user_id: &str,
    event: Event,
    login_id: Option<&str>,
) -> Result<StartedSession, AppError> {
    let from = old.map_or(Stage::Anonymous, |s| s.stage);
    let to = stage::next(from, event).ok_or(AppError::Conflict("login step not allowed here"))?;
    let token = SecretToken::generate();
    let session = Session {
        id_hash: token.hash(),
        csrf: SecretToken::generate().expose().to_string(),
        user_id: Some(user_id.to_string()),
        stage: to,
        login_id: login_id.map(str::to_string),
        created_at: now,
    };
    tx.replace_session(old.map(|s| s.id_hash.as_str()), &session, now)?;
    Ok(StartedSession { session, token })
}
