//! The HTTP surface: per-feature routers merged in [`app`], plus the shared layers (body
//! limit, timeout, security headers, language cookie).
//!
//! # Layout
//! - [`session`]: the session cookie and the session extractor.
//! - [`csrf`]: [`csrf::CsrfForm`], the CSRF check of every form.
//! - [`guards`]: [`guards::Authenticated`] and [`guards::PendingLogin`].
//! - [`client`]: client address and browser of a request.
//! - [`forwarded`]: the client address behind trusted proxies (`X-Forwarded-For`).
//! - [`pages`]: start page, login (password step), password help, logout.
//! - [`code`]: the security-code page, its status endpoint, the code check.
//! - [`password_change`]: replacing the one-time initial password, or any password.
//! - [`recovery`]: login with a one-time recovery code.
//! - [`dashboard`]: the "Startseite" with devices, enrollment and recent sign-ins.
//! - [`enroll`]: the enrollment pages (first login, new device).
//! - [`qr`]: server-rendered QR codes.
//! - [`useragent`]: browser and system of a sign-in, in brief.
//! - [`api`]: the device API of protocol v1 (register, poll, stream, answer).
//! - [`assets`]: the stylesheet and the status script.

pub mod api;
pub mod assets;
pub mod client;
pub mod code;
pub mod csrf;
pub mod dashboard;
pub mod enroll;
pub mod forwarded;
pub mod guards;
pub mod pages;
pub mod password_change;
pub mod qr;
pub mod recovery;
pub mod session;
pub mod useragent;

use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::AppError;
use crate::i18n::{LANG_COOKIE, Lang};
use crate::state::AppState;
use crate::storage::sessions::Stage;

/// Largest request body accepted: forms and device messages are a few hundred bytes, so
/// 16 KiB leaves ample room while keeping floods cheap to refuse (413).
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;

/// Time a request may take until its response starts; server-sent event streams are not
/// affected once their headers are sent.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Content-Security-Policy of every page: only the portal's own script and styles; the QR
/// code is inline SVG markup, which needs no exception.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The whole application router for `state`.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(code::router())
        .merge(recovery::router())
        .merge(dashboard::router())
        .merge(enroll::router())
        .merge(password_change::router())
        .merge(assets::router())
        .merge(api::router())
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            headers_and_language,
        ))
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
}

/// Renders a page template into an HTML response.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    Ok(Html(template.render()?).into_response())
}

/// HSTS lifetime when served over https: one year, the value RFC 6797 §11.2's example and
/// browser preload lists use.
const HSTS: &str = "max-age=31536000";

/// Adds security headers (HSTS behind https), and remembers `?lang=` in a cookie so later
/// pages keep it.
async fn headers_and_language(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let chosen = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
        .and_then(Lang::parse);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if state.config.secure_cookies() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if let Some(lang) = chosen {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The page a session at `stage` belongs on.
pub fn page_of(stage: Stage) -> &'static str {
    match stage {
        Stage::Anonymous => "/login",
        Stage::Code => "/login/code",
        Stage::Enroll => "/enroll",
        Stage::Authenticated => "/dashboard",
    }
}

/// A 303 redirect that also sets a cookie.
pub fn redirect_with_cookie(to: &str, cookie: &str) -> Response {
    let mut response = axum::response::Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Adds a `Set-Cookie` header to a response.
pub fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Formats unix seconds as `YYYY-MM-DD HH:MM` (UTC) for pages.
pub fn format_time(unix: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    use super::app;
    use crate::clock::ManualClock;
    use crate::config::Config;
    use crate::password::PasswordProfile;
    use crate::state::AppState;

    /// A state on a fresh SQLite file; the folder guard keeps it alive.
    pub(crate) async fn state() -> (Arc<AppState>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(
            "https://portal.example",
            format!("sqlite://{}", dir.path().join("w.db").display()),
        );
        config.password_profile = PasswordProfile::LoadTest;
        let state = AppState::open(config, Arc::new(ManualClock::new(1_700_000_000)))
            .await
            .unwrap();
        (state, dir)
    }

    pub(crate) async fn body_text(response: axum::response::Response) -> String {
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn unknown_path_is_404_with_security_headers() {
        let (state, _dir) = state().await;
        let response = app(state)
            .oneshot(Request::get("/nowhere").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let headers = response.headers();
        assert!(
            headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("script-src 'self'")
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            headers[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000"
        );
        assert!(
            body_text(response)
                .await
                .contains("Diese Seite gibt es nicht.")
        );
    }

    #[tokio::test]
    async fn login_form_sets_a_secure_cookie_behind_https() {
        let (state, _dir) = state().await;
        let response = app(state)
            .oneshot(Request::get("/login").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with("__Host-zf_login="), "{cookie}");
        assert!(
            cookie.contains("; Secure")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict")
        );
    }

    #[tokio::test]
    async fn language_query_is_remembered_in_a_cookie() {
        let (state, _dir) = state().await;
        let response = app(state)
            .oneshot(Request::get("/?lang=en").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let cookies: Vec<_> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .collect();
        assert!(
            cookies
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("zf_lang=en"))
        );
        assert!(body_text(response).await.contains("Welcome to the portal"));
    }

    #[tokio::test]
    async fn body_over_the_limit_is_413() {
        let (state, _dir) = state().await;
        let body = vec![b'a'; super::BODY_LIMIT_BYTES + 1];
        let response = app(state)
            .oneshot(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::CONTENT_LENGTH, body.len())
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn static_files_have_their_types() {
        let (state, _dir) = state().await;
        for (path, kind) in [
            ("/static/style.css", "text/css"),
            ("/static/code.js", "text/javascript"),
        ] {
            let response = app(state.clone())
                .oneshot(Request::get(path).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert!(
                response.headers()[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with(kind)
            );
        }
    }
}
