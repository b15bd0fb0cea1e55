//! The one rule set of the code step and the recovery step (DESIGN.md, "Portal"):
//!
//! 1. rate limits per client address and per account;
//! 2. the session's login must still be open (not denied, expired or failed);
//! 3. a disabled or locked account is refused before any proof is checked, and nothing it
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
//! together. It takes the account's and the login's rows in one statement
//! (`WriteTx::claim_login_with_user`) and judges rules 2, 3 and 5 by what they hold then
//! (`User::takes_second_factor`, `Login::takes_proofs_at`), not by what the request read
//! before: concurrent checks of one account run one after another, so a burst of guesses gets
//! no proof beyond the limits evaluated.
//!
//! A browser's request goes through [`submit`]: the session's check (as the code pages'
//! guard makes it, `login::current::pending_in`, whose read of the login and the account is
//! that claim), its form's CSRF token, the rate limits and the proof, all inside that one
//! transaction, so the request reaches storage once and reads each row once.
//! [`check`] is the proof alone, for a waiting login as read before: it takes the rows
//! itself.

use std::sync::Arc;

use zeroize::Zeroizing;

use crate::accounts::{self, replace_seed_in};
use crate::codes::{CodeMatch, check_login_code};
use crate::error::AppError;
use crate::keys::PortalKeys;
use crate::login::current::{OpenLogin, Pending, pending_in};
use crate::login::session::{StartedSession, advance};
use crate::login::stage::Event;
use crate::ratelimit::{CODE_PER_ACCOUNT, CODE_PER_ADDRESS, RateLimiter};
use crate::state::AppState;
use crate::storage::logins::{Login, LoginStatus, MAX_WRONG_CODES};
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::{LOCK_AFTER_FAILURES, User};
use crate::storage::{StorageError, WriteTx};
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

/// What a browser's code step or recovery step ([`submit`]) came to.
#[derive(Debug)]
pub enum Submitted {
    /// No live session has the request's id.
    NoSession,
    /// The session waits for no second factor.
    NotWaiting,
    /// The session's login was over already; how it ended.
    Ended(LoginStatus),
    /// The form's CSRF token is not the session's.
    Csrf,
    /// A rate limit is reached; retry after this many seconds.
    RateLimited(u64),
    /// The proof was checked.
    Checked(Box<CheckedStep>),
}

/// A second-factor step that got as far as the proof.
#[derive(Debug)]
pub struct CheckedStep {
    /// The session as it was (for the page after a wrong proof).
    pub session: Session,
    /// Its account as it was.
    pub user: User,
    /// How the check ended.
    pub outcome: SecondFactorOutcome,
}

/// The code step or the recovery step of the browser whose session id hashes to
/// `session_hash`, its form carrying `csrf`: the session must wait for its second factor
/// (`login::current::pending_in`), the token must be the session's, then the rate limits and
/// `proof` as the module documentation says, in one storage write.
pub async fn submit(
    state: &AppState,
    session_hash: String,
    csrf: String,
    proof: Proof<'_>,
    client: &Client,
) -> Result<Submitted, AppError> {
    let now = state.now();
    let keys = Arc::clone(&state.keys);
    let limiter = Arc::clone(&state.limiter);
    let ip = client.ip.clone();
    let held = HeldProof::of(proof);
    let submitted = state
        .db
        .write(move |tx| {
            let open = match pending_in(tx, &session_hash, now)? {
                Pending::Open(open) => open,
                Pending::NoSession => return Ok(Step::Done(Submitted::NoSession)),
                Pending::NotWaiting => return Ok(Step::Done(Submitted::NotWaiting)),
                Pending::Ended(status) => return Ok(Step::Done(Submitted::Ended(status))),
            };
            if !open.session.csrf_matches(&csrf) {
                return Ok(Step::Done(Submitted::Csrf));
            }
            if let Err(wait) = rate_limits(&limiter, &ip, &open.user.id, now) {
                return Ok(Step::Done(Submitted::RateLimited(wait)));
            }
            let OpenLogin {
                session,
                login,
                user,
            } = *open;
            let checked =
                Attempt::new(keys, &session, &login, held, now).judge(tx, &login, &user)?;
            Ok::<_, AppError>(Step::Checked(Box::new(Proved {
                session,
                login_id: login.id,
                user,
                checked,
            })))
        })
        .await?;
    Ok(match submitted {
        Step::Done(done) => done,
        Step::Checked(proved) => {
            let Proved {
                session,
                login_id,
                user,
                checked,
            } = *proved;
            let outcome = answer(checked, proof, &user.id, &login_id);
            Submitted::Checked(Box::new(CheckedStep {
                session,
                user,
                outcome,
            }))
        }
    })
}

/// How far [`submit`]'s storage write got.
enum Step {
    /// It ended before the proof.
    Done(Submitted),
    /// The proof was checked.
    Checked(Box<Proved>),
}

/// What [`submit`]'s storage write found when it checked the proof.
struct Proved {
    session: Session,
    login_id: String,
    user: User,
    checked: Checked,
}

/// Checks `proof` for the waiting login as read before; see the module documentation for
/// the rules. The rate limits are checked here, everything else is one storage write
/// (`Attempt::run`).
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
    rate_limits(&state.limiter, &client.ip, &user.id, now).map_err(AppError::RateLimited)?;
    let attempt = Attempt::new(
        Arc::clone(&state.keys),
        session,
        login,
        HeldProof::of(proof),
        now,
    );
    let checked = state.db.write(move |tx| attempt.run(tx)).await?;
    Ok(answer(checked, proof, &user.id, &login.id))
}

/// Rule 1: the limits per client address and per account, in that order; the seconds to
/// wait when one is reached.
fn rate_limits(limiter: &RateLimiter, ip: &str, user_id: &str, now: i64) -> Result<(), u64> {
    limiter.check(&format!("code-ip:{ip}"), CODE_PER_ADDRESS, now)?;
    limiter.check(&format!("code-acct:{user_id}"), CODE_PER_ACCOUNT, now)
}

/// The outcome of a check, logged.
fn answer(checked: Checked, proof: Proof<'_>, user: &str, login: &str) -> SecondFactorOutcome {
    match checked {
        Checked::Refused => {
            tracing::info!(%user, %login, "second factor refused: account disabled or locked");
            SecondFactorOutcome::Ended(LoginStatus::Failed)
        }
        Checked::NotOpen(status) => SecondFactorOutcome::Ended(status),
        Checked::Wrong {
            wrong,
            failures,
            over,
        } => {
            match proof {
                Proof::Code(_) => {
                    tracing::info!(%user, %login, wrong, failures, "wrong security code");
                }
                Proof::RecoveryCode(_) => {
                    tracing::info!(%user, %login, wrong, failures, "recovery code refused");
                }
            }
            if over {
                SecondFactorOutcome::Ended(LoginStatus::Failed)
            } else {
                SecondFactorOutcome::Wrong {
                    left: MAX_WRONG_CODES - wrong,
                }
            }
        }
        Checked::Passed {
            session,
            recovery_codes,
        } => {
            match proof {
                Proof::Code(_) => tracing::info!(%user, %login, "login complete"),
                Proof::RecoveryCode(_) => {
                    tracing::info!(%user, %login, "logged in with a recovery code; devices revoked");
                }
            }
            SecondFactorOutcome::Passed {
                session,
                recovery_codes,
            }
        }
    }
}

/// The proof as the storage write holds it: the code itself (wiped when dropped), or the
/// hash a recovery code is stored under.
enum HeldProof {
    /// A security code or TOTP code.
    Code(Zeroizing<String>),
    /// A recovery code, by the hash it is stored under.
    RecoveryCode {
        /// SHA-256 hex of the normalised code.
        hash: String,
    },
}

impl HeldProof {
    /// The proof as typed, held for the storage write.
    fn of(proof: Proof<'_>) -> Self {
        match proof {
            Proof::Code(code) => Self::Code(Zeroizing::new(code.to_string())),
            Proof::RecoveryCode(code) => Self::RecoveryCode {
                hash: normalise_recovery_code(code).hash(),
            },
        }
    }
}

/// One check of a second factor, owned by the storage write that runs it.
struct Attempt {
    keys: Arc<PortalKeys>,
    session: Session,
    login_id: String,
    nonce: String,
    user_id: String,
    proof: HeldProof,
    now: i64,
}

/// What the storage write found, for [`check`] to log and answer.
enum Checked {
    /// The account is disabled or locked; the login failed.
    Refused,
    /// The login is no longer open; how it ended.
    NotOpen(LoginStatus),
    /// The proof was wrong.
    Wrong {
        /// Wrong proofs of this login now.
        wrong: i64,
        /// Failed second factors of the account now.
        failures: i64,
        /// The login ended with this one.
        over: bool,
    },
    /// The proof passed.
    Passed {
        /// The logged-in session.
        session: StartedSession,
        /// Recovery codes issued now, to be shown once.
        recovery_codes: Option<Vec<SecretToken>>,
    },
}

impl Attempt {
    /// A check of `proof` for `login` of `session` at `now`.
    fn new(
        keys: Arc<PortalKeys>,
        session: &Session,
        login: &Login,
        proof: HeldProof,
        now: i64,
    ) -> Self {
        Self {
            keys,
            session: session.clone(),
            login_id: login.id.clone(),
            nonce: login.nonce.clone(),
            user_id: login.user_id.clone(),
            proof,
            now,
        }
    }

    /// The rules of the module documentation, in one transaction: take the login's and the
    /// account's rows, then [`Attempt::judge`].
    fn run(self, tx: &mut WriteTx<'_>) -> Result<Checked, AppError> {
        let Some((login, user)) = tx.claim_login_with_user(&self.login_id)? else {
            return Ok(Checked::NotOpen(ended_status(
                tx,
                &self.login_id,
                self.now,
            )?));
        };
        self.judge(tx, &login, &user)
    }

    /// Judges the proof by `login` and `user` as taken in this transaction
    /// (`WriteTx::claim_login_with_user`), then counts or completes.
    fn judge(self, tx: &mut WriteTx<'_>, login: &Login, user: &User) -> Result<Checked, AppError> {
        if !user.takes_second_factor() {
            tx.finish_login(&self.login_id, LoginStatus::Failed)?;
            return Ok(Checked::Refused);
        }
        if !login.takes_proofs_at(self.now) {
            return Ok(Checked::NotOpen(ended_status(
                tx,
                &self.login_id,
                self.now,
            )?));
        }
        let wrong_before = login.wrong_codes;
        let accepted = match &self.proof {
            HeldProof::Code(code) => {
                let seed = self.keys.decrypt_seed(&self.user_id, &user.seed_enc)?;
                match check_login_code(&seed, &self.nonce, code, self.now) {
                    CodeMatch::Ocra => true,
                    CodeMatch::Totp { step } => tx.accept_totp_step(&self.user_id, step)?,
                    CodeMatch::NoMatch => false,
                }
            }
            HeldProof::RecoveryCode { hash } => tx.consume_recovery_code(&self.user_id, hash)?,
        };
        if !accepted {
            let failures = tx.record_failure(&self.user_id)?;
            let wrong = tx.add_wrong_code(&self.login_id)?;
            let over = wrong >= MAX_WRONG_CODES || failures >= LOCK_AFTER_FAILURES;
            if over {
                tx.finish_login(&self.login_id, LoginStatus::Failed)?;
                tx.delete_session(&self.session.id_hash)?;
            }
            return Ok(Checked::Wrong {
                wrong,
                failures,
                over,
            });
        }
        let status = match self.proof {
            HeldProof::Code(_) => LoginStatus::Approved,
            HeldProof::RecoveryCode { .. } => LoginStatus::Recovery,
        };
        if !tx.finish_login(&self.login_id, status)? {
            // Another request ended the login after this one took its row: leave no trace
            // of this proof (a recovery code stays unused).
            let ended = ended_status(tx, &self.login_id, self.now)?;
            tx.discard();
            return Ok(Checked::NotOpen(ended));
        }
        tx.forgive_failures(&self.user_id, wrong_before)?;
        match self.proof {
            HeldProof::RecoveryCode { .. } => replace_seed_in(tx, &self.keys, &self.user_id)?,
            HeldProof::Code(_) if self.session.stage == Stage::Enroll => {
                // The first enrollment's seed works in an app that did not register (any
                // TOTP app): enrollment is done, and its other QR codes must not add devices
                // later.
                if tx.end_enrollment(&self.user_id)? {
                    tx.void_enroll_tokens(&self.user_id)?;
                }
            }
            HeldProof::Code(_) => {}
        }
        let recovery_codes = if user.recovery_codes_due {
            Some(accounts::issue_recovery_codes_in(tx, &self.user_id)?)
        } else {
            None
        };
        let session = advance(
            tx,
            self.now,
            Some(&self.session),
            &self.user_id,
            Event::SecondFactorPassed,
            None,
        )?;
        Ok(Checked::Passed {
            session,
            recovery_codes,
        })
    }
}

/// How a login that is no longer open ended, as stored now; a pending one past its expiry
/// is stored as expired.
fn ended_status(
    tx: &mut WriteTx<'_>,
    login_id: &str,
    now: i64,
) -> Result<LoginStatus, StorageError> {
    let Some(login) = tx.login_by_id(login_id)? else {
        return Ok(LoginStatus::Expired);
    };
    let status = login.status_at(now);
    if login.status == LoginStatus::Pending && status != LoginStatus::Pending {
        tx.finish_login(login_id, status)?;
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use zweifaktor_protocol::otp::zweifaktor_code;

    use super::*;
    use crate::login::password::{PasswordOutcome, password_step};
    use crate::web::tests::state;

    const EMAIL: &str = "guess@example.org";

    fn client(ip: &str) -> Client {
        Client {
            ip: ip.into(),
            user_agent: "test".into(),
        }
    }

    /// An enrolled account with the password `pw`.
    async fn account(state: &AppState) -> String {
        let id = accounts::create_user_with_password(state, EMAIL, Zeroizing::new("pw".into()))
            .await
            .unwrap();
        state.db.set_must_enroll(&id, false).await.unwrap();
        id
    }

    /// A new login at the code step, as a request reads it: session, login and account.
    async fn waiting_login(state: &AppState, ip: &str) -> (Session, Login, User) {
        let outcome = password_step(state, None, EMAIL, Zeroizing::new("pw".into()), &client(ip))
            .await
            .unwrap();
        let PasswordOutcome::Accepted(started) = outcome else {
            panic!("password refused: {outcome:?}");
        };
        let login_id = started.session.login_id.clone().unwrap();
        let (login, user) = state.db.login_with_user(&login_id).await.unwrap().unwrap();
        (started.session, login, user)
    }

    /// The OCRA code of `login`, as the account's phone shows it.
    fn right_code(state: &AppState, login: &Login, user: &User) -> String {
        let seed = state.keys.decrypt_seed(&user.id, &user.seed_enc).unwrap();
        let nonce: [u8; 32] = hex::decode(&login.nonce).unwrap().try_into().unwrap();
        zweifaktor_code(&seed, &nonce).unwrap().as_str().to_string()
    }

    /// A code that matches nothing for `login` now.
    fn wrong_code(state: &AppState, login: &Login, user: &User) -> String {
        let seed = state.keys.decrypt_seed(&user.id, &user.seed_enc).unwrap();
        (0..10)
            .map(|d| d.to_string().repeat(6))
            .find(|c| check_login_code(&seed, &login.nonce, c, state.now()) == CodeMatch::NoMatch)
            .unwrap()
    }

    /// Regression (issue 9, review): concurrent wrong codes for one login were all evaluated
    /// and counted, since each request judged the login by what it had read before any of
    /// them wrote. Replaying one stale read is what concurrent requests do; at most
    /// [`MAX_WRONG_CODES`] proofs of a login may ever be evaluated.
    #[tokio::test]
    async fn concurrent_wrong_codes_evaluate_at_most_the_login_limit() {
        let (state, _dir) = state().await;
        let id = account(&state).await;
        let (session, login, user) = waiting_login(&state, "192.0.2.1").await;
        let code = wrong_code(&state, &login, &user);
        let mut wrong = 0;
        for n in 0..12 {
            let waiting = Waiting {
                session: &session,
                login: &login,
                user: &user,
            };
            let ip = format!("192.0.2.{}", 10 + n);
            match check(&state, waiting, Proof::Code(&code), &client(&ip))
                .await
                .unwrap()
            {
                SecondFactorOutcome::Wrong { .. } => wrong += 1,
                SecondFactorOutcome::Ended(status) => assert_eq!(status, LoginStatus::Failed),
                SecondFactorOutcome::Passed { .. } => panic!("a wrong code passed"),
            }
        }
        assert_eq!(wrong, MAX_WRONG_CODES - 1, "the last counted one ends it");
        let stored = state.db.login_by_id(&login.id).await.unwrap().unwrap();
        assert_eq!(stored.status, LoginStatus::Failed);
        assert_eq!(
            stored.wrong_codes, MAX_WRONG_CODES,
            "no proof beyond the limit"
        );
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        assert_eq!(
            user.failures, MAX_WRONG_CODES,
            "each evaluated proof counted once"
        );
    }

    /// Regression (issue 9, review): the account lock was judged by the account as read
    /// before the check, so a right code racing the wrong code that locked the account still
    /// logged in. A locked account evaluates no further proof, whatever a request read.
    #[tokio::test]
    async fn a_right_code_racing_the_lock_does_not_log_in() {
        let (state, _dir) = state().await;
        let id = account(&state).await;
        let (first_session, first, user) = waiting_login(&state, "192.0.2.1").await;
        let (second_session, second, _) = waiting_login(&state, "192.0.2.2").await;
        let locked_id = id.clone();
        state
            .db
            .write(move |tx| {
                for _ in 1..LOCK_AFTER_FAILURES {
                    tx.record_failure(&locked_id)?;
                }
                Ok::<_, StorageError>(())
            })
            .await
            .unwrap();
        let wrong = wrong_code(&state, &first, &user);
        let locking = Waiting {
            session: &first_session,
            login: &first,
            user: &user,
        };
        let outcome = check(&state, locking, Proof::Code(&wrong), &client("192.0.2.3"))
            .await
            .unwrap();
        assert!(matches!(
            outcome,
            SecondFactorOutcome::Ended(LoginStatus::Failed)
        ));
        let right = right_code(&state, &second, &user);
        let racing = Waiting {
            session: &second_session,
            login: &second,
            user: &user,
        };
        let outcome = check(&state, racing, Proof::Code(&right), &client("192.0.2.4"))
            .await
            .unwrap();
        assert!(
            matches!(outcome, SecondFactorOutcome::Ended(LoginStatus::Failed)),
            "{outcome:?}"
        );
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        assert!(user.locked());
        assert_eq!(
            user.failures, LOCK_AFTER_FAILURES,
            "the refused proof is not counted"
        );
    }
}
