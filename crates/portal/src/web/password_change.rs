//! "Passwort ändern": required after login with a one-time initial password, available from
//! the dashboard at any time. The rules are in `crate::login::password_change`.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::csrf::{CsrfForm, FormFields};
use super::guards::Authenticated;
use super::session::session_cookie;
use super::{redirect_with_cookie, render};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::login::password_change::{ChangeOutcome, ChangeRequest, change_password};
use crate::password::Password;
use crate::state::AppState;

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
    /// The id of the field the error is about, marked invalid and described by the error.
    invalid_field: Option<&'static str>,
}

impl PasswordPage<'_> {
    /// Whether the field with this id is the one the error is about.
    fn invalid(&self, field: &str) -> bool {
        self.invalid_field == Some(field)
    }
}

/// The form; `error` is a message and the id of the field it is about.
fn page(
    auth: &Authenticated,
    lang: Lang,
    error: Option<(&'static str, &'static str)>,
) -> Result<Response, AppError> {
    render(&PasswordPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &auth.session.csrf,
        forced: auth.user.must_change_password,
        error: error.map(|(message, _)| message),
        invalid_field: error.map(|(_, field)| field),
    })
}

async fn form(auth: Authenticated, lang: Lang) -> Result<Response, AppError> {
    page(&auth, lang, None)
}

#[derive(Deserialize)]
struct ChangeFields {
    #[serde(default)]
    current: Password,
    #[serde(default)]
    new: Password,
    #[serde(default)]
    repeat: Password,
}

impl FormFields for ChangeFields {}

async fn submit(
    State(state): State<Arc<AppState>>,
    auth: Authenticated,
    lang: Lang,
    CsrfForm(form): CsrfForm<ChangeFields>,
) -> Result<Response, AppError> {
    let request = ChangeRequest {
        current: form.current,
        new: form.new,
        repeat: form.repeat,
    };
    let t = lang.texts();
    match change_password(&state, &auth.session, &auth.user, request).await? {
        ChangeOutcome::Changed(started) => Ok(redirect_with_cookie(
            "/dashboard",
            &session_cookie(&state, &started),
        )),
        ChangeOutcome::Mismatch => page(&auth, lang, Some((t.password_mismatch, "repeat"))),
        ChangeOutcome::BadLength => page(&auth, lang, Some((t.password_too_short, "new"))),
        ChangeOutcome::Same => page(&auth, lang, Some((t.password_same, "new"))),
        ChangeOutcome::WrongCurrent => {
            page(&auth, lang, Some((t.password_wrong_current, "current")))
        }
    }
}
