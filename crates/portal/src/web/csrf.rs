//! CSRF protection of every form, through one extractor, [`CsrfForm`] (or [`SessionForm`]
//! for the two steps that check the token inside their own storage write).
//!
//! - Forms after the password step carry the session's own token (stored with the session,
//!   compared in constant time by `Session::csrf_matches`).
//! - The login form comes before any session, and no session row is stored for it (issue 9,
//!   finding 10). It uses a signed double-submit token instead (OWASP CSRF Prevention Cheat
//!   Sheet, "Signed Double-Submit Cookie"): a random value in an `HttpOnly; SameSite=Strict`
//!   cookie (`__Host-` prefixed over https, so no other host can plant it), and in the form the
//!   time it was issued with an HMAC over value and time under a server key
//!   (`PortalKeys::form_mac`). A form from another site carries neither the cookie nor a tag
//!   for it; nothing is stored.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::session::{CurrentSession, cookie_value, secure_suffix, session_cookie_hash};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::sessions::{SESSION_IDLE_SECS, Session};
use crate::tokens::SecretToken;

/// How long a login form stays usable: as long as an idle session (NIST SP 800-63B §4.2.3's
/// 30 minutes), after which it is refused as expired and reloaded.
pub const LOGIN_FORM_LIFETIME_SECS: i64 = SESSION_IDLE_SECS;

/// How far in the future a login form's time may lie: clock differences between portal
/// instances behind one load balancer.
const LOGIN_FORM_CLOCK_SKEW_SECS: i64 = 60;

/// Length of the login cookie's value: a [`SecretToken`], 32 bytes as base64url.
const LOGIN_COOKIE_CHARS: usize = 43;

/// A form's fields (without the `csrf` field, which [`CsrfForm`] reads itself).
pub trait FormFields: DeserializeOwned {
    /// `true` for the login form, checked by the signed cookie token instead of a session.
    const BEFORE_SESSION: bool = false;
}

/// A form without fields of its own: a button (logout, remove, show a QR code).
#[derive(Debug, Deserialize)]
pub struct NoFields {}

impl FormFields for NoFields {}

/// The `csrf` field every form carries; missing means empty, so it is refused.
#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// A form body whose CSRF token was right; otherwise the request is refused with 403
/// ([`AppError::Csrf`]) before its fields are looked at.
pub struct CsrfForm<T>(pub T);

impl<T: FormFields> FromRequest<Arc<AppState>> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let CurrentSession(session) = CurrentSession::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let token = serde_urlencoded::from_bytes::<Token>(&bytes)
            .map(|t| t.csrf)
            .unwrap_or_default();
        let right = if T::BEFORE_SESSION {
            login_token_valid(state, &headers, &token)
        } else {
            session_token_valid(session.as_ref(), &token)
        };
        if !right {
            return Err(AppError::Csrf.into_response());
        }
        serde_urlencoded::from_bytes::<T>(&bytes)
            .map(Self)
            .map_err(|_| AppError::InvalidRequest("malformed form").into_response())
    }
}

/// A form of the code step or the recovery step, not yet checked: the session cookie's hash,
/// the form's CSRF token and its fields. Those steps read the session anyway, inside the
/// one storage write that checks the proof (`login::second_factor::submit`), and compare the
/// token there, with the same rule as [`CsrfForm`]; a request without a session cookie is
/// refused here as [`CsrfForm`] would refuse it.
pub struct SessionForm<T> {
    /// SHA-256 hex of the session cookie's value.
    pub session_hash: String,
    /// The form's `csrf` field, to be compared with the session's token.
    pub csrf: String,
    /// The form's own fields.
    pub fields: T,
}

impl<T: FormFields> FromRequest<Arc<AppState>> for SessionForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let session_hash = session_cookie_hash(request.headers());
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(session_hash) = session_hash else {
            return Err(AppError::Csrf.into_response());
        };
        let csrf = serde_urlencoded::from_bytes::<Token>(&bytes)
            .map(|t| t.csrf)
            .unwrap_or_default();
        let fields = serde_urlencoded::from_bytes::<T>(&bytes)
            .map_err(|_| AppError::InvalidRequest("malformed form").into_response())?;
        Ok(Self {
            session_hash,
            csrf,
            fields,
        })
    }
}

/// Whether `token` is the CSRF token of `session`.
fn session_token_valid(session: Option<&Session>, token: &str) -> bool {
    session.is_some_and(|s| s.csrf_matches(token))
}

/// Name of the login form's cookie: with the `__Host-` prefix over https (RFC 6265bis
/// §4.1.3.2: Secure, Path=/, no Domain), plain over http, where browsers refuse the prefix.
fn login_cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        "__Host-zf_login"
    } else {
        "zf_login"
    }
}

/// The login form's CSRF field and the `Set-Cookie` value that goes with it.
#[derive(Debug)]
pub struct LoginFormToken {
    /// Value of the form's `csrf` field: `ISSUED.TAG`.
    pub field: String,
    /// `Set-Cookie` value of the login cookie.
    pub cookie: String,
}

/// A token for a login form shown now; the browser's login cookie is reused when it has
/// one, so several open login tabs all work.
pub fn login_form_token(state: &AppState, headers: &HeaderMap) -> LoginFormToken {
    let name = login_cookie_name(state);
    let value = cookie_value(headers, name)
        .filter(|v| well_formed_cookie(v))
        .unwrap_or_else(|| SecretToken::generate().expose().to_string());
    let issued = state.now();
    let tag = state.keys.form_mac(&signed_message(&value, issued));
    LoginFormToken {
        field: format!(
            "{issued}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag)
        ),
        cookie: format!(
            "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={LOGIN_FORM_LIFETIME_SECS}{}",
            secure_suffix(state)
        ),
    }
}

/// Whether `field` is a login-form token for the request's login cookie, issued within
/// [`LOGIN_FORM_LIFETIME_SECS`].
fn login_token_valid(state: &AppState, headers: &HeaderMap, field: &str) -> bool {
    let Some(value) =
        cookie_value(headers, login_cookie_name(state)).filter(|v| well_formed_cookie(v))
    else {
        return false;
    };
    let Some((issued, tag)) = field.split_once('.') else {
        return false;
    };
    let Ok(issued) = issued.parse::<i64>() else {
        return false;
    };
    let age = state.now().saturating_sub(issued);
    if !(-LOGIN_FORM_CLOCK_SKEW_SECS..=LOGIN_FORM_LIFETIME_SECS).contains(&age) {
        return false;
    }
    let Ok(tag) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(tag) else {
        return false;
    };
    state
        .keys
        .verify_form_mac(&signed_message(&value, issued), &tag)
}

/// What the tag signs: the cookie's value and the time the form was issued.
fn signed_message(cookie: &str, issued: i64) -> Vec<u8> {
    format!("{cookie}|{issued}").into_bytes()
}

fn well_formed_cookie(value: &str) -> bool {
    value.len() == LOGIN_COOKIE_CHARS
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;
    use crate::storage::sessions::Stage;
    use crate::web::tests::state;

    fn session() -> Session {
        Session {
            id_hash: "h".into(),
            csrf: "right".into(),
            user_id: None,
            stage: Stage::Code,
            login_id: None,
            created_at: 0,
        }
    }

    #[test]
    fn session_token_must_match_exactly() {
        let s = session();
        assert!(session_token_valid(Some(&s), "right"));
        assert!(!session_token_valid(Some(&s), "wrong"));
        assert!(!session_token_valid(Some(&s), ""));
        assert!(!session_token_valid(None, "right"));
    }

    fn with_cookie(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let pair = cookie.split(';').next().unwrap();
        headers.insert(header::COOKIE, pair.parse().unwrap());
        headers
    }

    #[tokio::test]
    async fn login_token_needs_its_cookie_its_tag_and_a_recent_time() {
        let (state, _dir) = state().await;
        let issued = login_form_token(&state, &HeaderMap::new());
        assert!(
            issued.cookie.starts_with("__Host-zf_login="),
            "https portal"
        );
        assert!(issued.cookie.contains("; Secure") && issued.cookie.contains("HttpOnly"));
        let headers = with_cookie(&issued.cookie);
        assert!(login_token_valid(&state, &headers, &issued.field));
        assert!(!login_token_valid(&state, &HeaderMap::new(), &issued.field));
        let other = login_form_token(&state, &HeaderMap::new());
        assert!(
            !login_token_valid(&state, &headers, &other.field),
            "another cookie's"
        );
        let (time, tag) = issued.field.split_once('.').unwrap();
        let moved = format!("{}.{tag}", time.parse::<i64>().unwrap() + 1);
        assert!(
            !login_token_valid(&state, &headers, &moved),
            "time is signed"
        );
        assert!(!login_token_valid(&state, &headers, "garbage"));
        let again = login_form_token(&state, &headers);
        assert_eq!(again.cookie, issued.cookie, "the cookie is reused");
        assert!(login_token_valid(&state, &headers, &again.field));
    }
}
