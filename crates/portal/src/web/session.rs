//! Session cookies, the session extractor, session rotation and the CSRF check.
//!
//! The cookie holds a random token; the database holds only its SHA-256. Cookies are
//! `HttpOnly; SameSite=Strict`, plus `Secure` when the public URL is https. A new id is issued
//! whenever the login stage changes, so an id planted before login is worthless after it.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use subtle::ConstantTimeEq as _;

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::WriteTx;
use crate::storage::sessions::{SESSION_MAX_SECS, Session, Stage};
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

/// The request's live session, if its cookie names one.
#[derive(Debug)]
pub struct CurrentSession(pub Option<Session>);

impl FromRequestParts<Arc<AppState>> for CurrentSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Ok(Self(None));
        };
        let token = SecretToken::from_client(value);
        Ok(Self(
            state.db.touch_session(&token.hash(), state.now()).await?,
        ))
    }
}

/// A freshly stored session and the `Set-Cookie` value that hands it to the browser.
#[derive(Debug)]
pub struct NewSession {
    /// The stored session.
    pub session: Session,
    /// Value for the `Set-Cookie` header.
    pub cookie: String,
}

/// Ends `old` (if any) and starts a new session at `stage`: the rotation at every login step.
pub async fn rotate(
    state: &AppState,
    old: Option<&Session>,
    user_id: Option<&str>,
    stage: Stage,
    login_id: Option<&str>,
) -> Result<NewSession, AppError> {
    let mut tx = state.db.begin_write().await?;
    let fresh = rotate_in(&mut tx, state, old, user_id, stage, login_id).await?;
    tx.commit().await?;
    Ok(fresh)
}

/// [`rotate`] as part of `tx`, so a login step's other writes and the rotation commit together.
pub async fn rotate_in(
    tx: &mut WriteTx,
    state: &AppState,
    old: Option<&Session>,
    user_id: Option<&str>,
    stage: Stage,
    login_id: Option<&str>,
) -> Result<NewSession, AppError> {
    let token = SecretToken::generate();
    let now = state.now();
    let session = Session {
        id_hash: token.hash(),
        csrf: SecretToken::generate().expose().to_string(),
        user_id: user_id.map(str::to_string),
        stage,
        login_id: login_id.map(str::to_string),
        created_at: now,
    };
    tx.replace_session(old.map(|s| s.id_hash.as_str()), &session, now)
        .await?;
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_MAX_SECS}{}",
        token.expose(),
        secure_suffix(state)
    );
    Ok(NewSession { session, cookie })
}

/// `Set-Cookie` value that removes the session cookie (logout).
pub fn clear_cookie(state: &AppState) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        secure_suffix(state)
    )
}

fn secure_suffix(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    }
}

/// The session, if `token` is its CSRF token; otherwise [`AppError::Csrf`] (403).
pub fn check_csrf<'a>(session: Option<&'a Session>, token: &str) -> Result<&'a Session, AppError> {
    let session = session.ok_or(AppError::Csrf)?;
    if token.is_empty() || !bool::from(session.csrf.as_bytes().ct_eq(token.as_bytes())) {
        return Err(AppError::Csrf);
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            id_hash: "h".into(),
            csrf: "right".into(),
            user_id: None,
            stage: Stage::Anonymous,
            login_id: None,
            created_at: 0,
        }
    }

    #[test]
    fn csrf_must_match_exactly() {
        let s = session();
        assert!(check_csrf(Some(&s), "right").is_ok());
        assert!(matches!(check_csrf(Some(&s), "wrong"), Err(AppError::Csrf)));
        assert!(matches!(check_csrf(Some(&s), ""), Err(AppError::Csrf)));
        assert!(matches!(check_csrf(None, "right"), Err(AppError::Csrf)));
    }

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
