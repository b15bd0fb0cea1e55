//! Session cookies and the session extractor.
//!
//! The cookie holds a random token; the database holds only its SHA-256. Cookies are
//! `HttpOnly; SameSite=Strict`, plus `Secure` when the public URL is https. A login step gives
//! the session a new id (`crate::login::session`), so an id planted before login is worthless
//! after it. No session is stored before the password step: the login form's CSRF token works
//! without one (`super::csrf`).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use crate::error::AppError;
use crate::login::session::StartedSession;
use crate::state::AppState;
use crate::storage::sessions::{SESSION_MAX_SECS, Session};
use crate::tokens::SecretToken;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "zf_session";

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

/// The hash of the session cookie's value, under which the session is stored.
pub fn session_cookie_hash(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE).map(|value| SecretToken::from_client(value).hash())
}

/// The request's live session, if its cookie names one. Read once per request: the guards
/// and the CSRF check share it.
#[derive(Debug, Clone)]
pub struct CurrentSession(pub Option<Session>);

impl FromRequestParts<Arc<AppState>> for CurrentSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        if let Some(read) = parts.extensions.get::<Self>() {
            return Ok(read.clone());
        }
        let session = match session_cookie_hash(&parts.headers) {
            Some(hash) => state.db.touch_session(&hash, state.now()).await?,
            None => None,
        };
        let read = Self(session);
        parts.extensions.insert(read.clone());
        Ok(read)
    }
}

/// `Set-Cookie` value that hands a session a login step started to the browser.
pub fn session_cookie(state: &AppState, started: &StartedSession) -> String {
    format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_MAX_SECS}{}",
        started.token.expose(),
        secure_suffix(state)
    )
}

/// `Set-Cookie` value that removes the session cookie (logout).
pub fn clear_cookie(state: &AppState) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        secure_suffix(state)
    )
}

/// `; Secure` when the portal is served over https.
pub(crate) fn secure_suffix(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; zf_session=abc; b=2".parse().unwrap());
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("abc")
        );
        assert_eq!(cookie_value(&headers, "zf"), None);
    }
}
