//! The session a request acts on, judged inside one storage transaction: a logged-in session
//! with its account, or a session waiting for its second factor with its open login.
//!
//! The rules are written once here, as reads (and the small writes they imply: the session's
//! idle timer, an expired login marked as such) on a [`WriteTx`]. The guards of the pages
//! (`web::guards`) run them as one storage write each; the code step and the recovery step
//! (`second_factor::submit`) run the same rule inside their own write, so a code check
//! reaches storage in one hand-off.

use crate::login::stage::awaits_second_factor;
use crate::storage::logins::{Login, LoginStatus};
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::User;
use crate::storage::{StorageError, WriteTx};

/// A session waiting for the second factor of its login, which is still open.
#[derive(Debug)]
pub struct OpenLogin {
    /// The session, at [`Stage::Code`] or [`Stage::Enroll`].
    pub session: Session,
    /// Its login, pending.
    pub login: Login,
    /// The login's account.
    pub user: User,
}

/// What a session holds for a second-factor step.
#[derive(Debug)]
pub enum Pending {
    /// The session waits and its login is open.
    Open(Box<OpenLogin>),
    /// No live session has this id.
    NoSession,
    /// The session waits for nothing (or its login is gone): the way on is the login form.
    NotWaiting,
    /// The session's login is over; how it ended.
    Ended(LoginStatus),
}

/// The session whose id hashes to `session_hash` as a second-factor step sees it at `now`;
/// a login found past its expiry is stored as expired. The login's and the account's rows
/// are taken for the rest of the transaction (`WriteTx::claim_login_with_user`), so the
/// code step judges its proof by what this read (`login::second_factor`).
pub fn pending_in(
    tx: &mut WriteTx<'_>,
    session_hash: &str,
    now: i64,
) -> Result<Pending, StorageError> {
    let Some(session) = tx.touch_session(session_hash, now)? else {
        return Ok(Pending::NoSession);
    };
    let login_id = session
        .login_id
        .clone()
        .filter(|_| awaits_second_factor(session.stage));
    let Some(login_id) = login_id else {
        return Ok(Pending::NotWaiting);
    };
    let Some((login, user)) = tx.claim_login_with_user(&login_id)? else {
        return Ok(Pending::NotWaiting);
    };
    let status = login.status_at(now);
    if status != LoginStatus::Pending {
        if login.status == LoginStatus::Pending {
            tx.finish_login(&login.id, LoginStatus::Expired)?;
        }
        return Ok(Pending::Ended(status));
    }
    Ok(Pending::Open(Box::new(OpenLogin {
        session,
        login,
        user,
    })))
}

/// A logged-in session with its (enabled) account.
#[derive(Debug)]
pub struct SignedIn {
    /// The session, at [`Stage::Authenticated`].
    pub session: Session,
    /// Its account.
    pub user: User,
}

/// What a session holds for a page behind the login.
#[derive(Debug)]
pub enum Signed {
    /// Logged in.
    In(Box<SignedIn>),
    /// No live session has this id.
    NoSession,
    /// A session that has not passed the second factor, or whose account is gone or
    /// disabled.
    NotIn,
}

/// The session whose id hashes to `session_hash` as a page behind the login sees it at
/// `now`.
pub fn signed_in(
    tx: &mut WriteTx<'_>,
    session_hash: &str,
    now: i64,
) -> Result<Signed, StorageError> {
    let Some(session) = tx.touch_session(session_hash, now)? else {
        return Ok(Signed::NoSession);
    };
    let user_id = session
        .user_id
        .clone()
        .filter(|_| session.stage == Stage::Authenticated);
    let Some(user_id) = user_id else {
        return Ok(Signed::NotIn);
    };
    Ok(match tx.user_by_id(&user_id)? {
        Some(user) if !user.disabled => Signed::In(Box::new(SignedIn { session, user })),
        _ => Signed::NotIn,
    })
}
