//! The one rule set of the code step and the recovery step (DESIGN.md, "Portal"):
//!
//! 1. rate limits per client address and per account;
//! 2. the session's login must still be open (not denied, expired or failed);
//! 3. a disabled or locked account is refused before anything is checked, and nothing it
//!    does changes its counters;
//! 4. each proof is single-use: a challenge completes once, a TOTP step is accepted once
//!    (RFC 6238 §5.2), a recovery code works once;
//! 5. a wrong proof counts against the login ([`MAX_WRONG_CODES`]) and against the account
//!    ([`LOCK_AFTER_FAILURES`]), across logins;
//! 6. a passed proof forgives only the wrong proofs of its own login: the wrong codes of other
//!    logins (a password holder guessing) stay counted until the lock, whatever the owner
//!    does in between. An owner's success says nothing about someone else's guesses, and
//!    only a count that survives it bounds the chance of guessing (crate README, "Guessing
//!    odds").
//!
//! Each check is one transaction: the proof's use, the counters, the end of the login and
//! the session's move to [`Stage::Authenticated`](crate::storage::sessions::Stage) commit
//! together.

use crate::accounts::{self, replace_seed_in};
use crate::codes::{CodeMatch, check_login_code};
use crate::error::AppError;
use crate::login::session::{StartedSession, advance};
use crate::login::stage::Event;
use crate::ratelimit::{CODE_PER_ACCOUNT, CODE_PER_ADDRESS};
use crate::state::AppState;
use crate::storage::logins::{Login, LoginStatus, MAX_WRONG_CODES};
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::{LOCK_AFTER_FAILURES, User};
use crate::tokens::{SecretToken, normalise_recovery_code};
use crate::web::client::Client;

/// What the user typed as the second factor.
#[derive(Clone, Copy)]
pub enum Proof<'a> {
    /// The security code of the login (OCRA), or the TOTP code of the app offline.
    Code(&'a str),
    /// One of the account's one-time recovery codes.
    RecoveryCode(&'a str),
}

impl std::fmt::Debug for Proof<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Code(_) => "Code(redacted)",
            Self::RecoveryCode(_) => "RecoveryCode(redacted)",
        })
    }
}

/// A session waiting for the second factor, with its login and account as read when the
/// request arrived.
#[derive(Debug)]
pub struct Waiting<'a> {
    /// The session, at [`Stage::Code`] or [`Stage::Enroll`].
    pub session: &'a Session,
    /// Its login.
    pub login: &'a Login,
    /// The login's account.
    pub user: &'a User,
}

/// How a second-factor check ended.
#[derive(Debug)]
pub enum SecondFactorOutcome {
    /// Logged in: the session is now [`Stage::Authenticated`].
    Passed {
        /// The new session.
        session: StartedSession,
        /// Recovery codes issued by this step, to be shown once.
        recovery_codes: Option<Vec<SecretToken>>,
    },
    /// Wrong; this many tries are left for this login.
    Wrong {
        /// Tries left before the login ends.
        left: i64,
    },
    /// The login is over (denied on the phone, timed out, too many wrong proofs, or the
    /// account is disabled or locked); the user must log in again.
    Ended(LoginStatus),
}

/// Checks `proof` for the waiting login; see the module documentation for the rules.
pub async fn check(
    state: &AppState,
    waiting: Waiting<'_>,
    proof: Proof<'_>,
    client: &Client,
) -> Result<SecondFactorOutcome, AppError> {
    let Waiting {
        session,
        login,
        user,
    } = waiting;
    let now = state.now();
    state
        .limiter
        .check(&format!("code-ip:{}", client.ip), CODE_PER_ADDRESS, now)
        .map_err(AppError::RateLimited)?;
    state
        .limiter
        .check(&format!("code-acct:{}", user.id), CODE_PER_ACCOUNT, now)
        .map_err(AppError::RateLimited)?;
    let status = login.status_at(now);
    if status != LoginStatus::Pending {
        if login.status == LoginStatus::Pending {
            state
                .db
                .finish_login(&login.id, LoginStatus::Expired)
                .await?;
        }
        return Ok(SecondFactorOutcome::Ended(status));
    }
    if user.disabled || user.locked() {
        state
            .db
            .finish_login(&login.id, LoginStatus::Failed)
            .await?;
        tracing::info!(user = %user.id, login = %login.id, disabled = user.disabled, "second factor refused: account locked");
        return Ok(SecondFactorOutcome::Ended(LoginStatus::Failed));
    }
    let matched = match proof {
        Proof::Code(code) => {
            let seed = state.keys.decrypt_seed(&user.id, &user.seed_enc)?;
            check_login_code(&seed, &login.nonce, code, now)
        }
        Proof::RecoveryCode(_) => CodeMatch::NoMatch,
    };
    let mut tx = state.db.begin_write().await?;
    let accepted = match (proof, matched) {
        (Proof::Code(_), CodeMatch::Ocra) => true,
        (Proof::Code(_), CodeMatch::Totp { step }) => tx.accept_totp_step(&user.id, step).await?,
        (Proof::Code(_), CodeMatch::NoMatch) => false,
        (Proof::RecoveryCode(code), _) => {
            let hash = normalise_recovery_code(code).hash();
            tx.consume_recovery_code(&user.id, &hash).await?
        }
    };
    if !accepted {
        let failures = tx.record_failure(&user.id).await?;
        let wrong = tx.add_wrong_code(&login.id).await?;
        let over = wrong >= MAX_WRONG_CODES || failures >= LOCK_AFTER_FAILURES;
        if over {
            tx.finish_login(&login.id, LoginStatus::Failed).await?;
            tx.delete_session(&session.id_hash).await?;
        }
        tx.commit().await?;
        match proof {
            Proof::Code(_) => {
                tracing::info!(user = %user.id, login = %login.id, wrong, failures, "wrong security code");
            }
            Proof::RecoveryCode(_) => {
                tracing::info!(user = %user.id, login = %login.id, wrong, failures, "recovery code refused");
            }
        }
        return Ok(if over {
            SecondFactorOutcome::Ended(LoginStatus::Failed)
        } else {
            SecondFactorOutcome::Wrong {
                left: MAX_WRONG_CODES - wrong,
            }
        });
    }
    let status = match proof {
        Proof::Code(_) => LoginStatus::Approved,
        Proof::RecoveryCode(_) => LoginStatus::Recovery,
    };
    if !tx.finish_login(&login.id, status).await? {
        drop(tx);
        let status = state
            .db
            .login_by_id(&login.id)
            .await?
            .map_or(LoginStatus::Expired, |l| l.status_at(now));
        return Ok(SecondFactorOutcome::Ended(status));
    }
    tx.forgive_failures(&user.id, login.wrong_codes).await?;
    match proof {
        Proof::RecoveryCode(_) => replace_seed_in(&mut tx, state, &user.id).await?,
        Proof::Code(_) if session.stage == Stage::Enroll => {
            // The first enrollment's seed works in an app that did not register (any TOTP
            // app): enrollment is done, and its other QR codes must not add devices later.
            if tx.end_enrollment(&user.id).await? {
                tx.void_enroll_tokens(&user.id).await?;
            }
        }
        Proof::Code(_) => {}
    }
    let recovery_codes = if user.recovery_codes_due {
        Some(accounts::issue_recovery_codes_in(&mut tx, &user.id).await?)
    } else {
        None
    };
    let started = advance(
        &mut tx,
        now,
        Some(session),
        &user.id,
        Event::SecondFactorPassed,
        None,
    )
    .await?;
    tx.commit().await?;
    match proof {
        Proof::Code(_) => tracing::info!(user = %user.id, login = %login.id, "login complete"),
        Proof::RecoveryCode(_) => {
            tracing::info!(user = %user.id, login = %login.id, "logged in with a recovery code; devices revoked");
        }
    }
    Ok(SecondFactorOutcome::Passed {
        session: started,
        recovery_codes,
    })
}
