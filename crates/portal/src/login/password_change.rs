//! Replacing the password of a logged-in user: after a one-time initial password (required)
//! or at any time. The change ends every other session of the account and gives this one a
//! new id, in one transaction, so a session someone else holds dies with the old password.

use crate::error::AppError;
use crate::login::backoff;
use crate::login::password::account_limit_key;
use crate::login::session::{StartedSession, advance};
use crate::login::stage::Event;
use crate::password::{self, Password};
use crate::ratelimit::PASSWORD_PER_ACCOUNT;
use crate::state::AppState;
use crate::storage::sessions::Session;
use crate::storage::users::User;

/// Shortest new password: NIST SP 800-63B-4 §3.1.1.2 asks for at least 8 characters when a
/// second factor is used and 15 without; 12 sits between, as this account may sometimes be
/// used with a recovery code instead of a device.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Longest new password: Argon2 takes any length, but a bound keeps hashing cheap to start.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The three fields of the form.
pub struct ChangeRequest {
    /// The password now.
    pub current: Password,
    /// The new password.
    pub new: Password,
    /// The new password again.
    pub repeat: Password,
}

/// How a password change ended.
#[derive(Debug)]
pub enum ChangeOutcome {
    /// Changed; the other sessions ended and this is the session's new id.
    Changed(StartedSession),
    /// The two new passwords differ.
    Mismatch,
    /// The new password is shorter than [`MIN_PASSWORD_CHARS`] or longer than
    /// [`MAX_PASSWORD_CHARS`].
    BadLength,
    /// The new password equals the current one.
    Same,
    /// The current password is wrong (counted for the back-off, not for the lock).
    WrongCurrent,
}

/// Changes the password of `user`, logged in with `session`.
pub async fn change_password(
    state: &AppState,
    session: &Session,
    user: &User,
    request: ChangeRequest,
) -> Result<ChangeOutcome, AppError> {
    if *request.new != *request.repeat {
        return Ok(ChangeOutcome::Mismatch);
    }
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&request.new.chars().count()) {
        return Ok(ChangeOutcome::BadLength);
    }
    if *request.new == *request.current {
        return Ok(ChangeOutcome::Same);
    }
    let now = state.now();
    state
        .limiter
        .check(&account_limit_key(&user.email), PASSWORD_PER_ACCOUNT, now)
        .map_err(AppError::RateLimited)?;
    if let Some(wait) = backoff::wait_left(user.password_failures, user.password_failed_at, now) {
        return Err(AppError::RateLimited(wait));
    }
    if !password::verify(request.current, user.password_hash.clone()).await? {
        let user_id = user.id.clone();
        state
            .db
            .write(move |tx| tx.record_password_failure(&user_id, now))
            .await?;
        tracing::info!(user = %user.id, "password change refused: wrong current password");
        return Ok(ChangeOutcome::WrongCurrent);
    }
    let hash = password::hash(state.config.password_profile, request.new).await?;
    let (session, user_id) = (session.clone(), user.id.clone());
    let started = state
        .db
        .write(move |tx| {
            tx.set_password_hash(&user_id, &hash, false)?;
            tx.clear_password_failures(&user_id)?;
            tx.delete_other_sessions(&user_id, &session.id_hash)?;
            advance(
                tx,
                now,
                Some(&session),
                &user_id,
                Event::PasswordChanged,
                None,
            )
        })
        .await?;
    tracing::info!(user = %user.id, "password changed; other sessions ended");
    Ok(ChangeOutcome::Changed(started))
}
