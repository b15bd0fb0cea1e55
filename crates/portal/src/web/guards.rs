//! Guard extractors: a handler that names one only runs for the right kind of session.
//!
//! - [`Authenticated`]: a session that has passed the second factor, with its account.
//! - [`PendingLogin`]: a session waiting at the code or enrollment stage, with its open login
//!   and account.
//!
//! Without any session a page request goes to the login form and a form post is refused as
//! a CSRF failure (no form can carry the token of a session that does not exist).
//!
//! Each guard judges the session with one storage write (`crate::login::current`: the
//! session's idle timer, and for a pending login its account and its expiry, together) and
//! keeps the session for the extractors after it.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use super::code::ended;
use super::session::{CurrentSession, session_cookie_hash};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::login::current::{OpenLogin, Pending, Signed, SignedIn, pending_in, signed_in};
use crate::state::AppState;
use crate::storage::logins::Login;
use crate::storage::sessions::Session;
use crate::storage::users::User;

/// A fully logged-in session and its account.
#[derive(Debug)]
pub struct Authenticated {
    /// The session, at [`Stage::Authenticated`](crate::storage::sessions::Stage).
    pub session: Session,
    /// Its account.
    pub user: User,
}

impl FromRequestParts<Arc<AppState>> for Authenticated {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(hash) = session_hash(parts) else {
            return Err(refuse(parts));
        };
        let now = state.now();
        let signed = state
            .db
            .write(move |tx| signed_in(tx, &hash, now))
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        match signed {
            Signed::In(signed) => {
                let SignedIn { session, user } = *signed;
                remember(parts, Some(&session));
                Ok(Self { session, user })
            }
            Signed::NoSession => {
                remember(parts, None);
                Err(refuse(parts))
            }
            Signed::NotIn => Err(to_login()),
        }
    }
}

/// A session waiting for the second factor of its login, which is still open.
#[derive(Debug)]
pub struct PendingLogin {
    /// The session, at the code or the enrollment stage.
    pub session: Session,
    /// Its login, pending.
    pub login: Login,
    /// The login's account.
    pub user: User,
}

impl FromRequestParts<Arc<AppState>> for PendingLogin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(hash) = session_hash(parts) else {
            return Err(refuse(parts));
        };
        let now = state.now();
        let pending = state
            .db
            .write(move |tx| pending_in(tx, &hash, now))
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        match pending {
            Pending::Open(open) => {
                let OpenLogin {
                    session,
                    login,
                    user,
                } = *open;
                remember(parts, Some(&session));
                Ok(Self {
                    session,
                    login,
                    user,
                })
            }
            Pending::NoSession => {
                remember(parts, None);
                Err(refuse(parts))
            }
            Pending::NotWaiting => Err(to_login()),
            Pending::Ended(status) => {
                Err(ended(Lang::from_parts(parts), status)
                    .unwrap_or_else(IntoResponse::into_response))
            }
        }
    }
}

/// The hash of the request's session cookie, unless an extractor before found that the
/// request has no live session.
fn session_hash(parts: &Parts) -> Option<String> {
    if matches!(
        parts.extensions.get::<CurrentSession>(),
        Some(CurrentSession(None))
    ) {
        return None;
    }
    session_cookie_hash(&parts.headers)
}

/// Keeps the session a guard read for the extractors after it ([`CurrentSession`], the CSRF
/// check), so the request reads it once.
fn remember(parts: &mut Parts, session: Option<&Session>) {
    parts.extensions.insert(CurrentSession(session.cloned()));
}

/// The answer to a request without any session.
fn refuse(parts: &Parts) -> Response {
    if parts.method == Method::GET || parts.method == Method::HEAD {
        to_login()
    } else {
        AppError::Csrf.into_response()
    }
}

fn to_login() -> Response {
    Redirect::to("/login").into_response()
}
