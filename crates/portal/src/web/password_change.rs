//! "Passwort ändern": required after login with a one-time initial password, available from
//! the dashboard at any time.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::dashboard::authenticated;
use super::render;
use super::session::{CurrentSession, check_csrf};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::password::{self, Password};
use crate::ratelimit::PASSWORD_PER_ACCOUNT;
use crate::state::AppState;

/// Shortest new password: NIST SP 800-63B-4 §3.1.1.2 asks for at least 8 characters when a
/// second factor is used and 15 without; 12 sits between, as this account may sometimes be
/// used with a recovery code instead of a device.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Longest new password: Argon2 takes any length, but a bound keeps hashing cheap to start.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/password/change", get(form).post(submit))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage<'a> {
    t: &'static Texts,
    lang: &'static str,
    csrf: &'a str,
    forced: bool,
    error: Option<&'static str>,
}

async fn form(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
) -> Result<Response, AppError> {
    let Some((session, user_id)) = authenticated(current.as_ref()) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let user = state
        .db
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    render(&PasswordPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &session.csrf,
        forced: user.must_change_password,
        error: None,
    })
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: Password,
    #[serde(default)]
    new: Password,
    #[serde(default)]
    repeat: Password,
}

async fn submit(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    check_csrf(current.as_ref(), &form.csrf)?;
    let Some((session, user_id)) = authenticated(current.as_ref()) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let t = lang.texts();
    let user = state
        .db
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let refuse = |message: &'static str| {
        render(&PasswordPage {
            t,
            lang: lang.code(),
            csrf: &session.csrf,
            forced: user.must_change_password,
            error: Some(message),
        })
    };
    let length = form.new.chars().count();
    if *form.new != *form.repeat {
        return refuse(t.password_mismatch);
    }
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&length) {
        return refuse(t.password_too_short);
    }
    if *form.new == *form.current {
        return refuse(t.password_same);
    }
    state
        .limiter
        .check(
            &format!("pw-acct:{}", user.email),
            PASSWORD_PER_ACCOUNT,
            state.now(),
        )
        .map_err(AppError::RateLimited)?;
    if !password::verify(form.current, user.password_hash.clone()).await? {
        state.db.record_failure(&user.id).await?;
        return refuse(t.password_wrong_current);
    }
    let hash = password::hash(state.config.password_profile, form.new).await?;
    state.db.set_password_hash(&user.id, &hash, false).await?;
    tracing::info!(user = %user.id, "password changed");
    Ok(Redirect::to("/dashboard").into_response())
}
