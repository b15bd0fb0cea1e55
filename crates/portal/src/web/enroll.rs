//! Enrollment pages: the first-login enrollment (QR code, URI and the first code) and
//! "Neues Gerät einrichten" on the dashboard.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::code::{ended, pending_login};
use super::dashboard::{Enrollment, authenticated, render_dashboard};
use super::session::{CurrentSession, check_csrf};
use super::{qr, render};
use crate::accounts;
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::state::AppState;
use crate::storage::logins::LoginStatus;
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::User;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/enroll", get(enroll_page))
        .route("/dashboard/enroll", post(dashboard_enroll))
}

#[derive(Template)]
#[template(path = "enroll.html")]
pub(crate) struct EnrollPage<'a> {
    pub(crate) t: &'static Texts,
    pub(crate) lang: &'static str,
    pub(crate) csrf: &'a str,
    pub(crate) svg: String,
    pub(crate) uri: &'a str,
    pub(crate) error: Option<String>,
}

/// A fresh enrollment (QR code and URI) for `user`.
pub(crate) async fn enrollment(state: &AppState, user: &User) -> Result<Enrollment, AppError> {
    let uri = accounts::enrollment_uri(state, user).await?;
    let svg = qr::svg(&uri).ok_or(AppError::QrCode)?;
    Ok(Enrollment { svg, uri })
}

/// Renders the first-login enrollment page, optionally with an error about the last code.
pub(crate) async fn render_enroll(
    state: &AppState,
    session: &Session,
    user: &User,
    lang: Lang,
    error: Option<String>,
) -> Result<Response, AppError> {
    let e = enrollment(state, user).await?;
    render(&EnrollPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &session.csrf,
        svg: e.svg,
        uri: &e.uri,
        error,
    })
}

async fn enroll_page(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
) -> Result<Response, AppError> {
    let Some(session) = current.as_ref().filter(|s| s.stage == Stage::Enroll) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let Some(login) = pending_login(&state, Some(session)).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let status = login.status_at(state.now());
    if status != LoginStatus::Pending {
        return ended(lang, status);
    }
    let user = state
        .db
        .user_by_id(&login.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    render_enroll(&state, session, &user, lang, None).await
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn dashboard_enroll(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(current.as_ref(), &form.csrf)?;
    let Some((session, user_id)) = authenticated(current.as_ref()) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let user = state
        .db
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = enrollment(&state, &user).await?;
    render_dashboard(&state, session, user_id, lang, Some(e)).await
}
