//! The dashboard ("Startseite"): devices with remove buttons, enrollment of a new device,
//! recent sign-ins including refused ones, and logout.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use zeroize::Zeroizing;
use zweifaktor_protocol::messages::Platform;

use super::csrf::{CsrfForm, NoFields};
use super::enroll::enrollment;
use super::guards::Authenticated;
use super::{format_time, render};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::login::enrollment::{Removal, new_device, remove_device};
use crate::state::AppState;
use crate::storage::logins::LoginStatus;
use crate::storage::sessions::Session;

/// Sign-ins listed on the dashboard.
const RECENT_SIGNINS: i64 = 20;

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/devices/{id}/remove", post(remove))
}

/// One row of the device list.
pub(crate) struct DeviceRow {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) platform: String,
    pub(crate) added: String,
}

/// One row of the sign-in list.
pub(crate) struct SigninRow {
    pub(crate) time: String,
    pub(crate) ip: String,
    /// Browser and system in brief ("Chrome 156 · Linux").
    pub(crate) browser: String,
    /// The whole user-agent string, shown on hover.
    pub(crate) user_agent: String,
    pub(crate) status: &'static str,
    pub(crate) status_class: &'static str,
}

/// A QR code and the URI it encodes (which holds the seed, so it is wiped when dropped).
pub(crate) struct Enrollment {
    pub(crate) svg: String,
    pub(crate) uri: Zeroizing<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub(crate) struct DashboardPage<'a> {
    pub(crate) t: &'static Texts,
    pub(crate) lang: &'static str,
    pub(crate) csrf: &'a str,
    pub(crate) email: String,
    pub(crate) must_enroll: bool,
    pub(crate) devices: Vec<DeviceRow>,
    pub(crate) signins: Vec<SigninRow>,
    pub(crate) enrollment: Option<Enrollment>,
}

fn status_text(t: &'static Texts, status: LoginStatus) -> &'static str {
    match status {
        LoginStatus::Pending => t.status_pending,
        LoginStatus::Approved => t.status_approved,
        LoginStatus::Denied => t.status_denied,
        LoginStatus::Expired => t.status_expired,
        LoginStatus::Failed => t.status_failed,
        LoginStatus::Recovery => t.status_recovery,
        LoginStatus::BadPassword => t.status_bad_password,
    }
}

/// Renders the dashboard of `user_id`, with an enrollment QR code if one is given.
pub(crate) async fn render_dashboard(
    state: &AppState,
    session: &Session,
    user_id: &str,
    lang: Lang,
    enrollment: Option<Enrollment>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let user = state
        .db
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.now();
    let devices = state
        .db
        .user_devices(user_id)
        .await?
        .into_iter()
        .map(|d| DeviceRow {
            id: d.id,
            label: d.label,
            platform: Platform::from_wire_name(&d.platform)
                .map_or(d.platform, |p| p.display_name().to_owned()),
            added: format_time(d.created_at),
        })
        .collect();
    let signins = state
        .db
        .recent_logins(user_id, RECENT_SIGNINS)
        .await?
        .into_iter()
        .map(|l| {
            let status = l.status_at(now);
            SigninRow {
                time: format_time(l.created_at),
                ip: l.ip,
                browser: super::useragent::describe(&l.user_agent),
                user_agent: l.user_agent,
                status: status_text(t, status),
                status_class: status.as_str(),
            }
        })
        .collect();
    render(&DashboardPage {
        t,
        lang: lang.code(),
        csrf: &session.csrf,
        email: user.email,
        must_enroll: user.must_enroll,
        devices,
        signins,
        enrollment,
    })
}

async fn dashboard(
    State(state): State<Arc<AppState>>,
    auth: Authenticated,
    lang: Lang,
) -> Result<Response, AppError> {
    if auth.user.must_change_password {
        return Ok(Redirect::to("/password/change").into_response());
    }
    let enrollment = if auth.user.must_enroll {
        Some(enrollment(new_device(&state, &auth.user).await?)?)
    } else {
        None
    };
    render_dashboard(&state, &auth.session, &auth.user.id, lang, enrollment).await
}

async fn remove(
    State(state): State<Arc<AppState>>,
    auth: Authenticated,
    Path(device_id): Path<String>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    match remove_device(&state, &auth.user, &device_id).await? {
        Removal::NotFound => Err(AppError::NotFound),
        Removal::Removed | Removal::RemovedLast => Ok(Redirect::to("/dashboard").into_response()),
    }
}

#[cfg(test)]
mod tests {
    use askama::Template as _;

    use super::*;

    /// Regression (issue 9, finding 14): the sign-in list shows browser and system in brief,
    /// with the whole user-agent string (escaped) on hover.
    #[test]
    fn sign_ins_show_the_browser_briefly_and_the_whole_string_on_hover() {
        let agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                     Chrome/156.0.0.0 Safari/537.36 \"<x>\"";
        let page = DashboardPage {
            t: Lang::En.texts(),
            lang: "en",
            csrf: "c",
            email: "a@example.org".into(),
            must_enroll: false,
            devices: Vec::new(),
            signins: vec![SigninRow {
                time: "now".into(),
                ip: "192.0.2.1".into(),
                browser: super::super::useragent::describe(agent),
                user_agent: agent.into(),
                status: "ok",
                status_class: "approved",
            }],
            enrollment: None,
        };
        let html = page.render().unwrap();
        assert!(html.contains(">Chrome 156 · Linux</td>"), "{html}");
        assert!(
            html.contains("title=\"Mozilla/5.0 (X11; Linux x86_64)"),
            "{html}"
        );
        assert!(!html.contains("\"<x>\""), "the title is escaped");
    }
}
