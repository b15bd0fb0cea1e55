//! "Keinen Zugriff auf Authentifikations-Gerät?": login with a one-time recovery code, under
//! the same rules as the code step (`crate::login::second_factor`).
//!
//! A used code completes the pending login, signs out every device of the account, replaces
//! its seed and requires a new enrollment on the dashboard.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::code::{AfterSubmit, CodeFields, after_submit, ended, passed};
use super::csrf::SessionForm;
use super::guards::PendingLogin;
use super::render;
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::login::second_factor::{CheckedStep, Proof, SecondFactorOutcome, submit};
use crate::state::AppState;
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

async fn recovery_form(pending: PendingLogin, lang: Lang) -> Result<Response, AppError> {
    render(&RecoveryPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &pending.session.csrf,
        error: None,
    })
}

async fn recovery_submit(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    client: Client,
    form: SessionForm<CodeFields>,
) -> Result<Response, AppError> {
    let proof = Proof::RecoveryCode(&form.fields.code);
    let submitted = submit(&state, form.session_hash, form.csrf, proof, &client).await?;
    let CheckedStep {
        session, outcome, ..
    } = match after_submit(submitted, lang)? {
        AfterSubmit::Checked(step) => *step,
        AfterSubmit::Answered(response) => return Ok(response),
    };
    match outcome {
        SecondFactorOutcome::Passed {
            session,
            recovery_codes,
        } => passed(&state, lang, &session, recovery_codes),
        SecondFactorOutcome::Wrong { .. } => render(&RecoveryPage {
            t: lang.texts(),
            lang: lang.code(),
            csrf: &session.csrf,
            error: Some(lang.texts().recovery_wrong),
        }),
        SecondFactorOutcome::Ended(status) => ended(lang, status),
    }
}
