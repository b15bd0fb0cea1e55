//! Guard extractors: a handler that names one only runs for the right kind of session.
//!
//! - [`Authenticated`]: a session that has passed the second factor, with its account.
//! - [`PendingLogin`]: a session waiting at the code or enrollment stage, with its open login
//!   and account.
//!
//! Without any session a page request goes to the login form and a form post is refused as
//! a CSRF failure (no form can carry the token of a session that does not exist).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use super::code::ended;
use super::session::CurrentSession;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::login::second_factor::Waiting;
use crate::login::stage::awaits_second_factor;
use crate::state::AppState;
use crate::storage::logins::{Login, LoginStatus};
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::User;

/// A fully logged-in session and its account.
#[derive(Debug)]
pub struct Authenticated {
    /// The session, at [`Stage::Authenticated`].
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
        let CurrentSession(session) = CurrentSession::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(session) = session else {
            return Err(refuse(parts));
        };
        let user_id = session
            .user_id
            .as_deref()
            .filter(|_| session.stage == Stage::Authenticated);
        let Some(user_id) = user_id else {
            return Err(to_login());
        };
        match state
            .db
            .user_by_id(user_id)
            .await
            .map_err(|e| AppError::from(e).into_response())?
        {
            Some(user) if !user.disabled => Ok(Self { session, user }),
            _ => Err(to_login()),
        }
    }
}

/// A session waiting for the second factor of its login, which is still open.
#[derive(Debug)]
pub struct PendingLogin {
    /// The session, at [`Stage::Code`] or [`Stage::Enroll`].
    pub session: Session,
    /// Its login, pending.
    pub login: Login,
    /// The login's account.
    pub user: User,
}

impl PendingLogin {
    /// The login as the second-factor rules take it.
    pub fn waiting(&self) -> Waiting<'_> {
        Waiting {
            session: &self.session,
            login: &self.login,
            user: &self.user,
        }
    }
}

impl FromRequestParts<Arc<AppState>> for PendingLogin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let internal = |e: AppError| e.into_response();
        let CurrentSession(session) = CurrentSession::from_request_parts(parts, state)
            .await
            .map_err(internal)?;
        let Some(session) = session else {
            return Err(refuse(parts));
        };
        let login_id = session
            .login_id
            .clone()
            .filter(|_| awaits_second_factor(session.stage));
        let Some(login_id) = login_id else {
            return Err(to_login());
        };
        let Some((login, user)) = state
            .db
            .login_with_user(&login_id)
            .await
            .map_err(|e| internal(e.into()))?
        else {
            return Err(to_login());
        };
        let status = login.status_at(state.now());
        if status != LoginStatus::Pending {
            if login.status == LoginStatus::Pending {
                state
                    .db
                    .finish_login(&login.id, LoginStatus::Expired)
                    .await
                    .map_err(|e| internal(e.into()))?;
            }
            return Err(ended(Lang::from_parts(parts), status).unwrap_or_else(internal));
        }
        Ok(Self {
            session,
            login,
            user,
        })
    }
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
