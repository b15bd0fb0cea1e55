//! The "Eingabe Sicherheitscode" page, the status endpoint its script polls, the end page of a
//! login that was refused, timed out or failed, and the page that shows new recovery codes.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::client::Client;
use super::csrf::{FormFields, SessionForm};
use super::enroll::enroll_page;
use super::guards::PendingLogin;
use super::session::{CurrentSession, session_cookie};
use super::{redirect_with_cookie, render, with_cookie};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::login::enrollment::{FirstEnrollment, first_enrollment};
use crate::login::second_factor::{CheckedStep, Proof, SecondFactorOutcome, Submitted, submit};
use crate::login::session::StartedSession;
use crate::state::AppState;
use crate::storage::logins::LoginStatus;
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::User;
use crate::tokens::SecretToken;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/login/code", get(code_page).post(code_submit))
        .route("/login/status", get(status))
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePage<'a> {
    t: &'static Texts,
    lang: &'static str,
    csrf: &'a str,
    error: Option<String>,
    no_device: bool,
}

#[derive(Template)]
#[template(path = "codes.html")]
struct RecoveryCodesPage {
    t: &'static Texts,
    lang: &'static str,
    codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "ended.html")]
struct EndedPage {
    t: &'static Texts,
    lang: &'static str,
    message: &'static str,
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

/// The page with the code form for `session`, waiting for the second factor of `user`: the
/// first enrollment while it is open to this session, the code page otherwise; `error` about
/// the last code.
pub(crate) async fn waiting_page(
    state: &AppState,
    session: &Session,
    user: &User,
    lang: Lang,
    error: Option<String>,
) -> Result<Response, AppError> {
    match first_enrollment(state, session, user).await? {
        FirstEnrollment::Show(uri) => enroll_page(session, uri, lang, error),
        FirstEnrollment::Closed => render(&CodePage {
            t: lang.texts(),
            lang: lang.code(),
            csrf: &session.csrf,
            error,
            no_device: user.must_enroll,
        }),
    }
}

async fn code_page(
    State(state): State<Arc<AppState>>,
    pending: PendingLogin,
    lang: Lang,
) -> Result<Response, AppError> {
    if pending.session.stage == Stage::Enroll && pending.user.first_enrollment_open() {
        return Ok(Redirect::to("/enroll").into_response());
    }
    waiting_page(&state, &pending.session, &pending.user, lang, None).await
}

/// `{"state": "pending" | "denied" | "expired" | "failed" | ..., "devices": N}` for the page
/// script; `"none"` when the session has no login in progress.
async fn status(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
) -> Result<Json<serde_json::Value>, AppError> {
    let login_id = current
        .as_ref()
        .filter(|s| crate::login::stage::awaits_second_factor(s.stage))
        .and_then(|s| s.login_id.as_deref());
    let login = match login_id {
        Some(id) => state.db.login_by_id(id).await?,
        None => None,
    };
    let Some(login) = login else {
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

/// The fields of the code form and the recovery form.
#[derive(Deserialize)]
pub(crate) struct CodeFields {
    #[serde(default)]
    pub(crate) code: Zeroizing<String>,
}

impl FormFields for CodeFields {}

/// The code step: the right code completes the login (showing new recovery codes once when
/// they are due); a wrong one counts against the login and the account. One storage write
/// ([`submit`]) judges the session, the form's token and the code.
async fn code_submit(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    client: Client,
    form: SessionForm<CodeFields>,
) -> Result<Response, AppError> {
    let proof = Proof::Code(&form.fields.code);
    let submitted = submit(&state, form.session_hash, form.csrf, proof, &client).await?;
    let CheckedStep {
        session,
        user,
        outcome,
    } = match after_submit(submitted, lang)? {
        AfterSubmit::Checked(step) => *step,
        AfterSubmit::Answered(response) => return Ok(response),
    };
    match outcome {
        SecondFactorOutcome::Passed {
            session,
            recovery_codes,
        } => passed(&state, lang, &session, recovery_codes),
        SecondFactorOutcome::Wrong { left } => {
            let error = format!("{} {left}", lang.texts().wrong_code);
            waiting_page(&state, &session, &user, lang, Some(error)).await
        }
        SecondFactorOutcome::Ended(status) => ended(lang, status),
    }
}

/// Where a second-factor step ([`submit`]) leaves the handler.
pub(crate) enum AfterSubmit {
    /// The proof was checked: the session and account as read, and the outcome.
    Checked(Box<CheckedStep>),
    /// The step stopped before the proof and is answered as the guards answer such a
    /// request: the login form, or the end page of a login that was over.
    Answered(Response),
}

/// The handler's way on after [`submit`]; a request without a live session or with another
/// session's token is a CSRF failure, as [`CsrfForm`](super::csrf::CsrfForm) refuses it.
pub(crate) fn after_submit(submitted: Submitted, lang: Lang) -> Result<AfterSubmit, AppError> {
    match submitted {
        Submitted::Checked(step) => Ok(AfterSubmit::Checked(step)),
        Submitted::NotWaiting => Ok(AfterSubmit::Answered(
            Redirect::to("/login").into_response(),
        )),
        Submitted::Ended(status) => ended(lang, status).map(AfterSubmit::Answered),
        Submitted::NoSession | Submitted::Csrf => Err(AppError::Csrf),
        Submitted::RateLimited(wait) => Err(AppError::RateLimited(wait)),
    }
}

/// The answer to a passed second factor: the new recovery codes once, or the dashboard.
pub(crate) fn passed(
    state: &AppState,
    lang: Lang,
    session: &StartedSession,
    recovery_codes: Option<Vec<SecretToken>>,
) -> Result<Response, AppError> {
    let cookie = session_cookie(state, session);
    let Some(codes) = recovery_codes else {
        return Ok(redirect_with_cookie("/dashboard", &cookie));
    };
    let page = render(&RecoveryCodesPage {
        t: lang.texts(),
        lang: lang.code(),
        codes: codes.iter().map(|c| c.expose().to_string()).collect(),
    })?;
    Ok(with_cookie(page, &cookie))
}
