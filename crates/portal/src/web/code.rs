//! The "Eingabe Sicherheitscode" page, the status endpoint its script polls, and the end
//! page of a login that was refused, timed out or failed.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::render;
use super::session::CurrentSession;
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::state::AppState;
use crate::storage::logins::{Login, LoginStatus};
use crate::storage::sessions::{Session, Stage};

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/login/code", get(code_page))
        .route("/login/status", get(status))
}

#[derive(Template)]
#[template(path = "code.html")]
pub(crate) struct CodePage<'a> {
    pub(crate) t: &'static Texts,
    pub(crate) lang: &'static str,
    pub(crate) csrf: &'a str,
    pub(crate) error: Option<String>,
}

#[derive(Template)]
#[template(path = "ended.html")]
pub(crate) struct EndedPage {
    pub(crate) t: &'static Texts,
    pub(crate) lang: &'static str,
    pub(crate) message: &'static str,
}

/// The end page for a login that is no longer pending.
pub(crate) fn ended(lang: Lang, status: LoginStatus) -> Result<Response, AppError> {
    let t = lang.texts();
    let message = match status {
        LoginStatus::Denied => t.denied,
        LoginStatus::Failed => t.too_many_codes,
        _ => t.timeout,
    };
    render(&EndedPage {
        t,
        lang: lang.code(),
        message,
    })
}

/// The session's pending login, if the session is at the code or enrollment stage.
pub(crate) async fn pending_login(
    state: &AppState,
    session: Option<&Session>,
) -> Result<Option<Login>, AppError> {
    let Some(session) = session.filter(|s| matches!(s.stage, Stage::Code | Stage::Enroll)) else {
        return Ok(None);
    };
    let Some(login_id) = session.login_id.as_deref() else {
        return Ok(None);
    };
    let login = state.db.login_by_id(login_id).await?;
    if let Some(login) = &login
        && login.status == LoginStatus::Pending
        && login.status_at(state.now()) == LoginStatus::Expired
    {
        state
            .db
            .finish_login(&login.id, LoginStatus::Expired)
            .await?;
    }
    Ok(login)
}

async fn code_page(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
) -> Result<Response, AppError> {
    let Some(session) = current.as_ref().filter(|s| s.stage == Stage::Code) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let Some(login) = pending_login(&state, Some(session)).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    match login.status_at(state.now()) {
        LoginStatus::Pending => render(&CodePage {
            t: lang.texts(),
            lang: lang.code(),
            csrf: &session.csrf,
            error: None,
        }),
        other => ended(lang, other),
    }
}

/// `{"state": "pending" | "denied" | "expired" | "failed" | ..., "devices": N}` for the page
/// script; `"none"` when the session has no login in progress.
async fn status(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
) -> Result<Json<serde_json::Value>, AppError> {
    let Some(login) = pending_login(&state, current.as_ref()).await? else {
        let state_name = match current.map(|s| s.stage) {
            Some(Stage::Authenticated) => "approved",
            _ => "none",
        };
        return Ok(Json(
            serde_json::json!({ "state": state_name, "devices": 0 }),
        ));
    };
    let devices = state.db.user_devices(&login.user_id).await?.len();
    Ok(Json(serde_json::json!({
        "state": login.status_at(state.now()).as_str(),
        "devices": devices,
    })))
}
