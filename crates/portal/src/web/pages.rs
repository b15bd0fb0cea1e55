//! Start page, the login form (password step), the password help and logout.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::api::sign_challenge;
use super::client::Client;
use super::session::{CurrentSession, check_csrf, clear_cookie, rotate, rotate_in};
use super::{redirect_with_cookie, render, with_cookie};
use crate::error::AppError;
use crate::i18n::{Lang, Texts};
use crate::password::{self, Password};
use crate::ratelimit::{PASSWORD_PER_ACCOUNT, PASSWORD_PER_ADDRESS};
use crate::state::AppState;
use crate::storage::logins::{Login, LoginStatus};
use crate::storage::sessions::Stage;
use crate::storage::users::normalise_email;
use crate::tokens::{TOKEN_BYTES, random_bytes};
use zweifaktor_protocol::messages::ChallengeId;

/// A valid Argon2id hash of a random password, checked when the e-mail address is unknown
/// so that the answer takes as long as for a real account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$48W/eSHfO2l0zaCKb3Z9AA$\
                          +TpusfJBAv3h7mc/k2Ng3a1AKueEOu00snW2mdQysVs";

/// Routes of this module.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(start))
        .route("/password-forgotten", get(forgot))
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "index.html")]
struct StartPage {
    t: &'static Texts,
    lang: &'static str,
}

async fn start(lang: Lang) -> Result<Response, AppError> {
    render(&StartPage {
        t: lang.texts(),
        lang: lang.code(),
    })
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    t: &'static Texts,
    lang: &'static str,
}

async fn forgot(lang: Lang) -> Result<Response, AppError> {
    render(&ForgotPage {
        t: lang.texts(),
        lang: lang.code(),
    })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    t: &'static Texts,
    lang: &'static str,
    csrf: &'a str,
    email: &'a str,
    error: Option<&'static str>,
}

/// Shows the login form; starts an anonymous session so the form can carry a CSRF token.
async fn login_form(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
) -> Result<Response, AppError> {
    if let Some(session) = current.as_ref().filter(|s| s.stage == Stage::Anonymous) {
        return render(&LoginPage {
            t: lang.texts(),
            lang: lang.code(),
            csrf: &session.csrf,
            email: "",
            error: None,
        });
    }
    if current
        .as_ref()
        .is_some_and(|s| s.stage == Stage::Authenticated)
    {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    if let Some(abandoned) = current.as_ref().and_then(|s| s.login_id.as_deref()) {
        state
            .db
            .finish_login(abandoned, LoginStatus::Expired)
            .await?;
    }
    let fresh = rotate(&state, current.as_ref(), None, Stage::Anonymous, None).await?;
    let page = render(&LoginPage {
        t: lang.texts(),
        lang: lang.code(),
        csrf: &fresh.session.csrf,
        email: "",
        error: None,
    })?;
    Ok(with_cookie(page, &fresh.cookie))
}

/// The login form's fields; missing fields arrive empty so a missing CSRF token is a 403.
#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: Password,
}

/// The password step: on success a new login (challenge) and a rotated session.
async fn login_submit(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    lang: Lang,
    client: Client,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let session = check_csrf(current.as_ref(), &form.csrf)?;
    let now = state.now();
    let email = normalise_email(&form.email);
    state
        .limiter
        .check(&format!("pw-ip:{}", client.ip), PASSWORD_PER_ADDRESS, now)
        .map_err(AppError::RateLimited)?;
    state
        .limiter
        .check(&format!("pw-acct:{email}"), PASSWORD_PER_ACCOUNT, now)
        .map_err(AppError::RateLimited)?;
    let refuse = |message: &'static str| {
        render(&LoginPage {
            t: lang.texts(),
            lang: lang.code(),
            csrf: &session.csrf,
            email: &email,
            error: Some(message),
        })
    };
    let Some(user) = state.db.user_by_email(&email).await? else {
        password::verify(form.password, DUMMY_HASH.to_string()).await?;
        tracing::info!("login refused: unknown account");
        return refuse(lang.texts().bad_credentials);
    };
    let right = password::verify(form.password, user.password_hash.clone()).await?;
    if !right {
        let mut tx = state.db.begin_write().await?;
        let failures = tx.record_failure(&user.id).await?;
        tx.insert_login(&new_login(
            &state,
            &user.id,
            LoginStatus::BadPassword,
            &client,
            now,
        ))
        .await?;
        tx.commit().await?;
        tracing::info!(user = %user.id, failures, "login refused: wrong password");
        return refuse(lang.texts().bad_credentials);
    }
    if user.disabled || user.locked() {
        tracing::info!(user = %user.id, disabled = user.disabled, "login refused: account locked");
        return refuse(lang.texts().account_locked);
    }
    let login = new_login(&state, &user.id, LoginStatus::Pending, &client, now);
    let (stage, next) = if user.must_enroll {
        (Stage::Enroll, "/enroll")
    } else {
        (Stage::Code, "/login/code")
    };
    // One commit for the step: the previous login ends, the new one is stored and the
    // session moves on together; the challenge is announced only once it is stored.
    let mut tx = state.db.begin_write().await?;
    if let Some(previous) = session.login_id.as_deref() {
        tx.finish_login(previous, LoginStatus::Expired).await?;
    }
    tx.insert_login(&login).await?;
    let fresh = rotate_in(
        &mut tx,
        &state,
        Some(session),
        Some(&user.id),
        stage,
        Some(&login.id),
    )
    .await?;
    tx.commit().await?;
    let envelope = sign_challenge(&state, &login, &user.email)?;
    state.hub.publish(&user.id, &login.id, envelope).await;
    if let Some(wakeup) = &state.wakeup {
        wakeup.wake(&login.id, state.db.push_tokens(&user.id).await?);
    }
    tracing::info!(user = %user.id, login = %login.id, "password accepted, challenge issued");
    Ok(redirect_with_cookie(next, &fresh.cookie))
}

/// A login record with a fresh challenge nonce.
fn new_login(
    state: &AppState,
    user_id: &str,
    status: LoginStatus,
    client: &Client,
    now: i64,
) -> Login {
    Login {
        id: challenge_id(),
        user_id: user_id.to_string(),
        nonce: hex::encode(random_bytes(TOKEN_BYTES)),
        status,
        wrong_codes: 0,
        seen: false,
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
        created_at: now,
        expires_at: now + state.config.login_lifetime_secs,
    }
}

/// A new challenge id: a random UUID v4, the form protocol v1 requires.
fn challenge_id() -> String {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&random_bytes(16));
    ChallengeId::from_random_bytes(bytes).to_string()
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Ends the session and returns to the start page.
async fn logout(
    State(state): State<Arc<AppState>>,
    CurrentSession(current): CurrentSession,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    let session = check_csrf(current.as_ref(), &form.csrf)?;
    state.db.delete_session(&session.id_hash).await?;
    Ok(with_cookie(
        Redirect::to("/").into_response(),
        &clear_cookie(&state),
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use argon2::password_hash::PasswordVerifier as _;

    use super::{Client, LoginStatus, new_login};
    use crate::AppState;
    use crate::clock::ManualClock;
    use crate::config::Config;
    use crate::storage::logins::LOGIN_LIFETIME_SECS;

    /// A portal state on a fresh SQLite file whose logins wait `lifetime` seconds.
    async fn state_with_lifetime(lifetime: Option<i64>) -> (Arc<AppState>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(
            "http://127.0.0.1:1",
            format!("sqlite://{}", dir.path().join("p.db").display()),
        );
        config.key_dir = dir.path().to_path_buf();
        if let Some(lifetime) = lifetime {
            config.login_lifetime_secs = lifetime;
        }
        let state = AppState::open(config, Arc::new(ManualClock::new(1_000)))
            .await
            .unwrap();
        (state, dir)
    }

    #[tokio::test]
    async fn a_login_waits_as_long_as_the_configured_lifetime() {
        let client = Client {
            ip: "127.0.0.1".into(),
            user_agent: "test".into(),
        };
        let (default, _dir) = state_with_lifetime(None).await;
        let login = new_login(&default, "u", LoginStatus::Pending, &client, 1_000);
        assert_eq!(login.expires_at, 1_000 + LOGIN_LIFETIME_SECS);
        let (short, _dir) = state_with_lifetime(Some(30)).await;
        let login = new_login(&short, "u", LoginStatus::Pending, &client, 1_000);
        assert_eq!(login.expires_at, 1_030);
        assert_eq!(login.status_at(1_029), LoginStatus::Pending);
        assert_eq!(login.status_at(1_030), LoginStatus::Expired);
    }

    #[test]
    fn dummy_hash_is_a_valid_argon2id_hash() {
        let result = argon2::Argon2::default().verify_password(b"not it", super::DUMMY_HASH);
        assert!(
            matches!(result, Err(argon2::password_hash::Error::PasswordInvalid)),
            "{result:?}"
        );
    }
}
