//! "Keinen Zugriff auf Authentifikations-Gerät?": login with a one-time recovery code.
//!
//! A used code completes the pending login, signs out every device of the account, replaces
//! its seed and requires a new enrollment on the dashboard.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::code::{ended, login_open_for_a_check, pending_login};
use super::session::{CurrentSession, check_csrf, rotate};
use super::{redirect_with_cookie, render};
use crate::accounts;
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::state::AppState;
use crate::storage::logins::{LoginStatus, MAX_WRONG_CODES};
use crate::storage::sessions::Stage;
use crate::tokens::normalise_recovery_code;
use crate::web::client::Client;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/recovery", get(recovery_form).post(recovery_submit))
}

#[derive(Template)]
#[template(path = "recovery.html")]
struct RecoveryPage<'a> {
    t: &'static Texts,
    lang: &'static str,
    csrf: &'a str,
    error: Option<&'static str>,
}

async fn recovery_form(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
) -> Result<Response, AppError> {
    let Some(session) = current.as_ref() else {
        return Ok(Redirect::to("/login").into_response());
    };
    if pending_login(&state, Some(session)).await?.is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    render(&RecoveryPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &session.csrf,
        error: None,
    })
}

#[derive(Deserialize)]
struct RecoveryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: Zeroizing<String>,
}

async fn recovery_submit(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
    client: Client,
    Form(form): Form<RecoveryForm>,
) -> Result<Response, AppError> {
    let session = check_csrf(current.as_ref(), &form.csrf)?;
    let login = match login_open_for_a_check(&state, session, &client, lang).await? {
        Ok((login, _user)) => login,
        Err(page) => return Ok(page),
    };
    let code_hash = normalise_recovery_code(&form.code).hash();
    if !state
        .db
        .consume_recovery_code(&login.user_id, &code_hash)
        .await?
    {
        state.db.record_failure(&login.user_id).await?;
        if state.db.add_wrong_code(&login.id).await? >= MAX_WRONG_CODES {
            state
                .db
                .finish_login(&login.id, LoginStatus::Failed)
                .await?;
            return ended(lang, LoginStatus::Failed);
        }
        tracing::info!(user = %login.user_id, login = %login.id, "recovery code refused");
        return render(&RecoveryPage {
            t: lang.texts(),
            lang: lang.code(),
            csrf: &session.csrf,
            error: Some(lang.texts().recovery_wrong),
        });
    }
    if !state
        .db
        .finish_login(&login.id, LoginStatus::Recovery)
        .await?
    {
        return ended(lang, LoginStatus::Expired);
    }
    accounts::replace_seed(&state, &login.user_id).await?;
    state.db.reset_failures(&login.user_id).await?;
    let fresh = rotate(
        &state,
        Some(session),
        Some(&login.user_id),
        Stage::Authenticated,
        None,
    )
    .await?;
    tracing::info!(user = %login.user_id, login = %login.id, "logged in with a recovery code; devices revoked");
    Ok(redirect_with_cookie("/dashboard", &fresh.cookie))
}
