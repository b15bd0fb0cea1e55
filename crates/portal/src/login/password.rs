//! The password step: rate limits and the back-off before any hashing, then the password,
//! then a new login (the challenge) and a new session at the next stage, in one transaction;
//! the challenge is announced to the devices once it is stored.

use crate::error::AppError;
use crate::login::backoff;
use crate::login::session::{StartedSession, advance};
use crate::login::stage::Event;
use crate::password::{self, Password};
use crate::ratelimit::{PASSWORD_PER_ACCOUNT, PASSWORD_PER_ADDRESS};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::logins::{Login, LoginStatus};
use crate::storage::sessions::Session;
use crate::storage::users::normalise_email;
use crate::tokens::{TOKEN_BYTES, random_bytes};
use crate::web::api::sign_challenge;
use crate::web::client::Client;
use zweifaktor_protocol::messages::ChallengeId;

/// A valid Argon2id hash of a random password, checked when the e-mail address is unknown
/// so that the answer takes as long as for a real account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$48W/eSHfO2l0zaCKb3Z9AA$\
                          +TpusfJBAv3h7mc/k2Ng3a1AKueEOu00snW2mdQysVs";

/// How the password step ended.
#[derive(Debug)]
pub enum PasswordOutcome {
    /// Wrong password or unknown account: the same answer for both.
    BadCredentials,
    /// The password was right, but the account is disabled or locked.
    Locked,
    /// The password was right: a challenge is out and the session moved on (to the code
    /// page, or to the first enrollment).
    Accepted(StartedSession),
}

/// The password step for `email` and `password` from `client`. `current` is the browser's
/// session, if it has one: a login it was waiting for ends, and the new session replaces it.
pub async fn password_step(
    state: &AppState,
    current: Option<&Session>,
    email: &str,
    password: Password,
    client: &Client,
) -> Result<PasswordOutcome, AppError> {
    let now = state.now();
    let email = normalise_email(email);
    state
        .limiter
        .check(&format!("pw-ip:{}", client.ip), PASSWORD_PER_ADDRESS, now)
        .map_err(AppError::RateLimited)?;
    state
        .limiter
        .check(&account_limit_key(&email), PASSWORD_PER_ACCOUNT, now)
        .map_err(AppError::RateLimited)?;
    let Some(user) = state.db.user_by_email(&email).await? else {
        password::verify(password, DUMMY_HASH.to_string()).await?;
        tracing::info!("login refused: unknown account");
        return Ok(PasswordOutcome::BadCredentials);
    };
    if let Some(wait) = backoff::wait_left(user.password_failures, user.password_failed_at, now) {
        tracing::info!(user = %user.id, wait, "login refused: wrong-password back-off");
        return Err(AppError::RateLimited(wait));
    }
    if !password::verify(password, user.password_hash.clone()).await? {
        let refused = new_login(state, &user.id, LoginStatus::BadPassword, client, now);
        let failures = state
            .db
            .write(move |tx| {
                let failures = tx.record_password_failure(&refused.user_id, now)?;
                tx.insert_login(&refused)?;
                Ok::<_, StorageError>(failures)
            })
            .await?;
        tracing::info!(user = %user.id, failures, "login refused: wrong password");
        return Ok(PasswordOutcome::BadCredentials);
    }
    if user.disabled || user.locked() {
        tracing::info!(user = %user.id, disabled = user.disabled, "login refused: account locked");
        return Ok(PasswordOutcome::Locked);
    }
    let login = new_login(state, &user.id, LoginStatus::Pending, client, now);
    let event = Event::PasswordAccepted {
        first_enrollment: user.first_enrollment_open(),
    };
    // One commit for the step: the back-off ends, the previous login ends, the new one is
    // stored and the session moves on together; the challenge is announced only once stored.
    let current = current.cloned();
    let (stored, user_id) = (login.clone(), user.id.clone());
    let started = state
        .db
        .write(move |tx| {
            tx.clear_password_failures(&user_id)?;
            if let Some(previous) = current.as_ref().and_then(|s| s.login_id.as_deref()) {
                tx.finish_login(previous, LoginStatus::Expired)?;
            }
            tx.insert_login(&stored)?;
            advance(tx, now, current.as_ref(), &user_id, event, Some(&stored.id))
        })
        .await?;
    let envelope = sign_challenge(state, &login, &user.email)?;
    state.hub.publish(&user.id, &login.id, envelope).await;
    if let Some(wakeup) = &state.wakeup {
        wakeup.wake(&login.id, state.db.push_tokens(&user.id).await?);
    }
    tracing::info!(user = %user.id, login = %login.id, stage = ?started.session.stage, "password accepted, challenge issued");
    Ok(PasswordOutcome::Accepted(started))
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
        nonce: data_encoding::HEXLOWER.encode(&random_bytes(TOKEN_BYTES)),
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

/// The rate-limit key of an account's password checks. The password step and the password
/// change draw on this one budget, so the change form gives a guesser no second one.
pub(crate) fn account_limit_key(normalised_email: &str) -> String {
    format!("pw-acct:{normalised_email}")
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
