//! The app's side of the portal: registration at set-up, the listener tasks that hold the
//! portal's stream while the app is open, and the security-code screen's data.
//!
//! The rules live in the core (`zweifaktor_core::push`); this module only sequences them
//! around the app's state. The vault lock is held briefly for the parts that need secrets
//! (the code, signing an answer) and never across a network wait.

use serde::Serialize;
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::mpsc;
use zweifaktor_core::accounts::AccountSummary;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::push::{
    self, Backoff, Enrollment, ListenerEvent, PushError, VerifiedChallenge,
};
use zweifaktor_core::{Authenticator, CoreError};
use zweifaktor_protocol::messages::{Decision, Platform};
use zweifaktor_protocol::otp::Code;

use crate::error::CommandError;
use crate::state::AppState;

/// Event with a [`ChallengeView`]: a login waits for its code; the UI shows the code screen.
pub const CHALLENGE_EVENT: &str = "challenge";

/// Event with a [`Revoked`] notice: the portal removed this device.
pub const REVOKED_EVENT: &str = "push-revoked";

/// The name this app registers under; the portal's dashboard shows it with the platform.
pub const DEVICE_LABEL: &str = "Zweifaktor App";

/// Events queued between the listener tasks and the task that shows them; a user has at most
/// a few logins open at once.
const EVENT_QUEUE: usize = 16;

/// The platform reported at registration, chosen when the app is built.
pub fn platform() -> Platform {
    if cfg!(target_os = "android") {
        Platform::Android
    } else if cfg!(target_os = "ios") {
        Platform::Ios
    } else if cfg!(target_os = "macos") {
        Platform::Macos
    } else if cfg!(target_os = "windows") {
        Platform::Windows
    } else {
        Platform::Linux
    }
}

/// A login waiting for its code, as the security-code screen shows it. The code is the only
/// secret-derived value in it; no `Debug`, so it is never logged.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    /// The challenge id, for "Das war ich nicht".
    id: String,
    /// The label of the account it is for.
    account: String,
    /// The security code to type into the portal.
    code: String,
    /// Unix time after which the portal no longer takes the code.
    expires_at: u64,
    /// The portal's name.
    portal: String,
    /// When the login was started (unix time).
    time: u64,
    /// The browser's user agent.
    browser: String,
    /// The browser's address as the portal saw it.
    address: String,
}

impl ChallengeView {
    fn new(challenge: &VerifiedChallenge, account: String, code: &Code) -> Self {
        let c = &challenge.challenge;
        Self {
            id: c.id.to_string(),
            account,
            code: code.as_str().to_owned(),
            expires_at: c.expires_at,
            portal: c.context.portal.clone(),
            time: c.context.time,
            browser: c.context.user_agent.clone(),
            address: c.context.ip.clone(),
        }
    }
}

/// The notice that the portal no longer knows this device for an account.
#[derive(Debug, Serialize, Clone)]
pub struct Revoked {
    /// The account's label.
    account: String,
}

/// The running listener tasks; dropping this ends them, so locking the app (which drops it)
/// leaves no task behind.
pub struct Listeners(Vec<JoinHandle<()>>);

impl Drop for Listeners {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Creates the vault with `pin` from the kept set-up link. A link with the portal's `zf_`
/// parameters registers this device first; if that fails nothing is saved and the link stays
/// for another try. A link without them sets the app up offline.
pub async fn enroll(state: &AppState, pin: Pin) -> Result<AccountSummary, CommandError> {
    let enrollment = match prepare_or_enroll_offline(state, &pin)? {
        SetUp::Offline(summary) => return Ok(summary),
        SetUp::Register(enrollment) => *enrollment,
    };
    let registered = push::register(&enrollment).await.map_err(CoreError::from)?;
    let (auth, summary) = Authenticator::enroll_registered(
        &state.vault_path(),
        enrollment,
        registered,
        &pin,
        state.kdf(),
        state.clock(),
    )?;
    *state.pending() = None;
    *state.session() = Some(auth);
    Ok(summary)
}

/// Where the kept set-up link leads.
enum SetUp {
    /// The link names no portal: the app was set up offline right away.
    Offline(AccountSummary),
    /// The registration to send before the vault is created.
    Register(Box<Enrollment>),
}

/// Checks the kept link: a registration to send, or the offline set-up done at once.
fn prepare_or_enroll_offline(state: &AppState, pin: &Pin) -> Result<SetUp, CommandError> {
    let mut pending = state.pending();
    let uri = pending.as_ref().ok_or(CommandError::NO_ENROLLMENT)?.uri();
    match Enrollment::prepare(uri, DEVICE_LABEL, platform()) {
        Ok(enrollment) => {
            Authenticator::ensure_new(&state.vault_path())?;
            Ok(SetUp::Register(Box::new(enrollment)))
        }
        Err(CoreError::Push(PushError::NoPortal)) => {
            let (auth, summary) =
                Authenticator::enroll(&state.vault_path(), uri, pin, state.kdf(), state.clock())?;
            *pending = None;
            *state.session() = Some(auth);
            Ok(SetUp::Offline(summary))
        }
        Err(err) => Err(err.into()),
    }
}

/// Starts one listener per portal-bound account, replacing any running ones; nothing while
/// the app is locked. Called after unlock and after enrollment.
pub fn start_listening<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let started = state.with_session(|auth| {
        let sessions = auth.portal_sessions();
        if sessions.is_empty() {
            return Ok(0);
        }
        let (events, queue) = mpsc::channel(EVENT_QUEUE);
        let mut tasks: Vec<JoinHandle<()>> = sessions
            .into_iter()
            .map(|session| {
                tauri::async_runtime::spawn(push::listen(
                    session,
                    state.clock(),
                    events.clone(),
                    Backoff::DEFAULT,
                ))
            })
            .collect();
        let count = tasks.len();
        tasks.push(tauri::async_runtime::spawn(forward(app.clone(), queue)));
        state.set_listeners(Listeners(tasks));
        Ok(count)
    });
    if let Ok(count) = started {
        tracing::debug!(portals = count, "push listeners started");
    }
}

/// Shows what the listeners report: each challenge as a [`CHALLENGE_EVENT`], a removed device
/// as a [`REVOKED_EVENT`]; the rest is logged.
async fn forward<R: Runtime>(app: AppHandle<R>, mut queue: mpsc::Receiver<ListenerEvent>) {
    while let Some(event) = queue.recv().await {
        let state = app.state::<AppState>();
        match event {
            ListenerEvent::Challenge(challenge) => match show(&state, &challenge).await {
                Ok(view) => emit(&app, CHALLENGE_EVENT, view),
                Err(err) => tracing::warn!(code = err.code(), "challenge not shown"),
            },
            ListenerEvent::Revoked { account } => {
                let label = state
                    .with_session(|auth| Ok(auth.account(&account)?.label))
                    .unwrap_or_else(|_| account.to_string());
                emit(&app, REVOKED_EVENT, Revoked { account: label });
            }
            ListenerEvent::Connected { account } => {
                tracing::debug!(%account, "push stream open");
            }
            ListenerEvent::Rejected { account, error } => {
                tracing::warn!(%account, %error, "challenge refused");
            }
            ListenerEvent::Disconnected {
                account, retry_in, ..
            } => tracing::debug!(%account, ?retry_in, "push stream lost"),
        }
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, event: &str, payload: impl Serialize + Clone) {
    if let Err(err) = app.emit(event, payload) {
        tracing::warn!(event, error = %err, "could not tell the window");
    }
}

/// The code screen's data for a verified challenge; tells the portal the code was shown
/// (a failure there is only logged: the code is valid anyway).
pub async fn show(
    state: &AppState,
    challenge: &VerifiedChallenge,
) -> Result<ChallengeView, CommandError> {
    let (view, session, seen) = state.with_session(|auth| {
        let code = auth.challenge_code(challenge)?;
        let label = auth.account(&challenge.account)?.label;
        Ok((
            ChallengeView::new(challenge, label, &code),
            auth.portal_session(&challenge.account)?,
            auth.sign_answer(challenge, Decision::Seen)?,
        ))
    })?;
    if let Err(error) = push::send_answer(&session, &challenge.challenge.id, &seen).await {
        tracing::warn!(challenge = %challenge.challenge.id, %error, "portal not told that the code was shown");
    }
    Ok(view)
}

/// The open, verified challenges of every portal-bound account, and the last portal failure
/// (if one could not be asked), so that "nothing found" can say why.
async fn open_challenges(
    state: &AppState,
) -> Result<(Vec<VerifiedChallenge>, Option<PushError>), CommandError> {
    let sessions = state.with_session(|auth| Ok(auth.portal_sessions()))?;
    if sessions.is_empty() {
        return Err(CommandError::NO_PORTAL_ACCOUNT);
    }
    let clock = state.clock();
    let mut found = Vec::new();
    let mut failure = None;
    for session in &sessions {
        match push::open_challenges(session, clock.as_ref()).await {
            Ok(challenges) => {
                for challenge in challenges {
                    match challenge {
                        Ok(challenge) => found.push(challenge),
                        Err(error) => {
                            tracing::warn!(account = %session.account, %error, "challenge refused");
                        }
                    }
                }
            }
            Err(error) => {
                tracing::warn!(account = %session.account, %error, "portal not asked");
                failure = Some(error);
            }
        }
    }
    Ok((found, failure))
}

/// "Akzeptieren": fetches the newest open challenge now and shows its code.
pub async fn latest(state: &AppState) -> Result<ChallengeView, CommandError> {
    let (found, failure) = open_challenges(state).await?;
    match push::newest(found) {
        Some(challenge) => show(state, &challenge).await,
        None => Err(failure.map_or(CommandError::NO_CHALLENGE, |e| CoreError::from(e).into())),
    }
}

/// "Das war ich nicht": sends a signed "deny" for the open challenge `id`.
pub async fn deny(state: &AppState, id: &str) -> Result<(), CommandError> {
    let (found, failure) = open_challenges(state).await?;
    let Some(challenge) = found.into_iter().find(|c| c.challenge.id.as_str() == id) else {
        return Err(failure.map_or(CommandError::UNKNOWN_CHALLENGE, |e| {
            CoreError::from(e).into()
        }));
    };
    let (session, answer) = state.with_session(|auth| {
        Ok((
            auth.portal_session(&challenge.account)?,
            auth.sign_answer(&challenge, Decision::Deny)?,
        ))
    })?;
    push::send_answer(&session, &challenge.challenge.id, &answer)
        .await
        .map_err(CoreError::from)?;
    tracing::info!(challenge = %challenge.challenge.id, "login denied");
    Ok(())
}

/// Adds the account of an `otpauth://` link to the open vault. A Zweifaktor set-up link of a
/// portal (its `zf_` parameters) registers this device with that portal first, through the
/// same core steps as the first set-up ([`enroll`]): the same vault, the same PIN. If the
/// registration fails nothing is saved. Returns the account and whether it is portal-bound.
///
/// The vault lock is not held during the registration's network wait; if the app locks
/// meanwhile, the save fails with `app_locked` and the portal's link is spent.
pub async fn add_link(state: &AppState, uri: &str) -> Result<(AccountSummary, bool), CommandError> {
    let enrollment = state.with_session(|auth| {
        match auth.prepare_enrollment(uri, DEVICE_LABEL, platform()) {
            Ok(enrollment) => Ok(Some(enrollment)),
            Err(CoreError::Push(PushError::NoPortal)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    })?;
    let Some(enrollment) = enrollment else {
        return state.with_session(|auth| Ok((auth.add_account(uri)?, false)));
    };
    let registered = push::register(&enrollment).await.map_err(CoreError::from)?;
    let summary = state.with_session(|auth| Ok(auth.finish_enrollment(enrollment, registered)?))?;
    tracing::info!(account = %summary.id, "registered with another portal");
    Ok((summary, true))
}
