//! The "Eingabe Sicherheitscode" page, the status endpoint its script polls, and the end
//! page of a login that was refused, timed out or failed.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::client::Client;
use super::enroll::render_enroll;
use super::session::{CurrentSession, check_csrf, rotate_in};
use super::{redirect_with_cookie, render, with_cookie};
use crate::accounts;
use crate::codes::{CodeMatch, check_login_code};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::ratelimit::{CODE_PER_ACCOUNT, CODE_PER_ADDRESS};
use crate::state::AppState;
use crate::storage::logins::{Login, LoginStatus, MAX_WRONG_CODES};
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::User;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/login/code", get(code_page).post(code_submit))
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
#[template(path = "codes.html")]
struct RecoveryCodesPage {
    t: &'static Texts,
    lang: &'static str,
    codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "ended.html")]
pub(crate) struct EndedPage {
    pub(crate) t: &'static Texts,
    pub(crate) lang: &'static str,
    pub(crate) message: &'static str,
}

/// What the code step and the recovery step share: the login this session waits for, still
/// open, with its account, and within the limits for checks per client address and per
/// account. `Err` carries the page to show instead (back to the login form, or the end page
/// of a finished login).
pub(crate) async fn login_open_for_a_check(
    state: &AppState,
    session: &Session,
    client: &Client,
    lang: Lang,
) -> Result<Result<(Login, User), Response>, AppError> {
    let login_id = session
        .login_id
        .as_deref()
        .filter(|_| matches!(session.stage, Stage::Code | Stage::Enroll));
    let Some(login_id) = login_id else {
        return Ok(Err(Redirect::to("/login").into_response()));
    };
    let Some((login, user)) = state.db.login_with_user(login_id).await? else {
        return Ok(Err(Redirect::to("/login").into_response()));
    };
    let now = state.now();
    let status = login.status_at(now);
    if status != LoginStatus::Pending {
        if login.status == LoginStatus::Pending {
            state
                .db
                .finish_login(&login.id, LoginStatus::Expired)
                .await?;
        }
        return ended(lang, status).map(Err);
    }
    state
        .limiter
        .check(&format!("code-ip:{}", client.ip), CODE_PER_ADDRESS, now)
        .map_err(AppError::RateLimited)?;
    state
        .limiter
        .check(
            &format!("code-acct:{}", login.user_id),
            CODE_PER_ACCOUNT,
            now,
        )
        .map_err(AppError::RateLimited)?;
    Ok(Ok((login, user)))
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

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: Zeroizing<String>,
}

/// The code step: the right code completes the login (and, on first login, shows the
/// recovery codes once); a wrong one counts against the login and the account.
async fn code_submit(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
    client: Client,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let session = check_csrf(current.as_ref(), &form.csrf)?;
    let (login, user) = match login_open_for_a_check(&state, session, &client, lang).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let now = state.now();
    if user.disabled || user.locked() {
        state
            .db
            .finish_login(&login.id, LoginStatus::Failed)
            .await?;
        return ended(lang, LoginStatus::Failed);
    }
    let seed = state.keys.decrypt_seed(&user.id, &user.seed_enc)?;
    let accepted = match check_login_code(&seed, &login.nonce, &form.code, now) {
        CodeMatch::Ocra => true,
        CodeMatch::Totp { step } => state.db.accept_totp_step(&user.id, step).await?,
        CodeMatch::NoMatch => false,
    };
    drop(seed);
    if !accepted {
        let mut tx = state.db.begin_write().await?;
        let failures = tx.record_failure(&user.id).await?;
        let wrong = tx.add_wrong_code(&login.id).await?;
        if wrong >= MAX_WRONG_CODES {
            tx.finish_login(&login.id, LoginStatus::Failed).await?;
            tx.delete_session(&session.id_hash).await?;
        }
        tx.commit().await?;
        tracing::info!(user = %user.id, login = %login.id, wrong, failures, "wrong security code");
        if wrong >= MAX_WRONG_CODES {
            return ended(lang, LoginStatus::Failed);
        }
        let error = Some(format!(
            "{} {}",
            lang.texts().wrong_code,
            MAX_WRONG_CODES - wrong
        ));
        return if session.stage == Stage::Enroll {
            render_enroll(&state, session, &user, lang, error).await
        } else {
            render(&CodePage {
                t: lang.texts(),
                lang: lang.code(),
                csrf: &session.csrf,
                error,
            })
        };
    }
    // One transaction: the challenge's single use, the failure counter and the session
    // rotation commit together, so a crash cannot leave a used challenge with the old
    // session, and the step costs one commit.
    let mut tx = state.db.begin_write().await?;
    if !tx.finish_login(&login.id, LoginStatus::Approved).await? {
        drop(tx);
        let status = state
            .db
            .login_by_id(&login.id)
            .await?
            .map_or(LoginStatus::Expired, |l| l.status_at(now));
        return ended(lang, status);
    }
    if user.failures != 0 {
        tx.reset_failures(&user.id).await?;
    }
    let fresh = rotate_in(
        &mut tx,
        &state,
        Some(session),
        Some(&user.id),
        Stage::Authenticated,
        None,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %user.id, login = %login.id, "login complete");
    if session.stage != Stage::Enroll {
        return Ok(redirect_with_cookie("/dashboard", &fresh.cookie));
    }
    state.db.set_must_enroll(&user.id, false).await?;
    let codes = accounts::issue_recovery_codes(&state, &user.id).await?;
    let page = render(&RecoveryCodesPage {
        t: lang.texts(),
        lang: lang.code(),
        codes: codes.iter().map(|c| c.expose().to_string()).collect(),
    })?;
    Ok(with_cookie(page, &fresh.cookie))
}
