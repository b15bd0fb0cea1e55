//! Enrollment pages: the first enrollment (QR code, URI and the first code) and "Neues Gerät
//! einrichten" on the dashboard. Whether a seed may be shown is decided in
//! `crate::login::enrollment`.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use zeroize::Zeroizing;

use super::code::waiting_page;
use super::csrf::{CsrfForm, NoFields};
use super::dashboard::{Enrollment, render_dashboard};
use super::guards::{Authenticated, PendingLogin};
use super::{qr, render};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::login::enrollment::new_device;
use crate::state::AppState;
use crate::storage::sessions::Session;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/enroll", get(first_enrollment_page))
        .route("/dashboard/enroll", post(dashboard_enroll))
}

#[derive(Template)]
#[template(path = "enroll.html")]
struct EnrollPage<'a> {
    t: &'static Texts,
    lang: &'static str,
    csrf: &'a str,
    svg: String,
    uri: &'a str,
    error: Option<String>,
}

/// The QR code and URI of an enrollment URI.
pub(crate) fn enrollment(uri: Zeroizing<String>) -> Result<Enrollment, AppError> {
    let svg = qr::svg(&uri).ok_or(AppError::QrCode)?;
    Ok(Enrollment { svg, uri })
}

/// The first-enrollment page for `uri`, optionally with an error about the last code.
pub(crate) fn enroll_page(
    session: &Session,
    uri: Zeroizing<String>,
    lang: Lang,
    error: Option<String>,
) -> Result<Response, AppError> {
    let e = enrollment(uri)?;
    render(&EnrollPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &session.csrf,
        svg: e.svg,
        uri: &e.uri,
        error,
    })
}

/// `/enroll`: the first enrollment while it is open to this session, else the code page.
async fn first_enrollment_page(
    State(state): State<Arc<AppState>>,
    pending: PendingLogin,
    lang: Lang,
) -> Result<Response, AppError> {
    if !pending.user.first_enrollment_open() {
        return Ok(Redirect::to("/login/code").into_response());
    }
    waiting_page(&state, &pending.session, &pending.user, lang, None).await
}

async fn dashboard_enroll(
    State(state): State<Arc<AppState>>,
    auth: Authenticated,
    lang: Lang,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let e = enrollment(new_device(&state, &auth.user).await?)?;
    render_dashboard(&state, &auth.session, &auth.user.id, lang, Some(e)).await
}
