//! Start page, the login form (password step), the password help and logout.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::client::Client;
use super::csrf::{CsrfForm, FormFields, NoFields, login_form_token};
use super::session::{CurrentSession, clear_cookie, session_cookie};
use super::{redirect_with_cookie, render, with_cookie};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::login::password::{PasswordOutcome, password_step};
use crate::login::stage::Stage;
use crate::password::Password;
use crate::state::AppState;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(start))
        .route("/password-forgotten", get(forgot))
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "index.html")]
struct StartPage {
    t: &'static Texts,
    lang: &'static str,
}

async fn start(lang: Lang) -> Result<Response, AppError> {
    render(&StartPage {
        t: lang.texts(),
        lang: lang.code(),
    })
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    t: &'static Texts,
    lang: &'static str,
}

async fn forgot(lang: Lang) -> Result<Response, AppError> {
    render(&ForgotPage {
        t: lang.texts(),
        lang: lang.code(),
    })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    t: &'static Texts,
    lang: &'static str,
    csrf: &'a str,
    email: &'a str,
    error: Option<&'static str>,
    /// Whether the error is about what was typed, so both fields are marked invalid.
    invalid: bool,
}

/// The login form with a fresh CSRF token, optionally with the e-mail and an error;
/// `invalid` when the error says the typed e-mail or password is wrong.
fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    email: &str,
    error: Option<&'static str>,
    invalid: bool,
) -> Result<Response, AppError> {
    let token = login_form_token(state, headers);
    let page = render(&LoginPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &token.field,
        email,
        error,
        invalid,
    })?;
    Ok(with_cookie(page, &token.cookie))
}

/// Shows the login form. Nothing is stored: its CSRF token is signed, not kept.
async fn login_form(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    headers: HeaderMap,
    lang: Lang,
) -> Result<Response, AppError> {
    if current
        .as_ref()
        .is_some_and(|s| s.stage == Stage::Authenticated)
    {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    login_page(&state, &headers, lang, "", None, false)
}

/// The login form's fields; missing fields arrive empty.
#[derive(Deserialize)]
struct LoginFields {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: Password,
}

impl FormFields for LoginFields {
    const BEFORE_SESSION: bool = true;
}

/// The password step.
async fn login_submit(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    headers: HeaderMap,
    lang: Lang,
    client: Client,
    CsrfForm(form): CsrfForm<LoginFields>,
) -> Result<Response, AppError> {
    let outcome = password_step(
        &state,
        current.as_ref(),
        &form.email,
        form.password,
        &client,
    )
    .await?;
    let t = lang.texts();
    match outcome {
        PasswordOutcome::BadCredentials => login_page(
            &state,
            &headers,
            lang,
            &form.email,
            Some(t.bad_credentials),
            true,
        ),
        PasswordOutcome::Locked => login_page(
            &state,
            &headers,
            lang,
            &form.email,
            Some(t.account_locked),
            false,
        ),
        PasswordOutcome::Accepted(started) => {
            let next = super::page_of(started.session.stage);
            Ok(redirect_with_cookie(
                next,
                &session_cookie(&state, &started),
            ))
        }
    }
}

/// Ends the session and returns to the start page.
async fn logout(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    if let Some(session) = current {
        state.db.delete_session(&session.id_hash).await?;
    }
    Ok(with_cookie(
        Redirect::to("/").into_response(),
        &clear_cookie(&state),
    ))
}
