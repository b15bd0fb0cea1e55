//! The app's side of push challenges: the tasks that watch every push server while the app is
//! open (Zweifaktor's stream, privacyIDEA's poll every few seconds), and the challenge
//! screen's data and answers.
//!
//! The flow (fetch all, show, answer) is the core's (`zweifaktor_core::push::flow`), shared
//! with the headless device; this module only holds the app's state around it and renders.

use serde::Serialize;
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::mpsc;
use zweifaktor_core::push::{self, Ask, ListenerEvent, PushAnswer, Shown, Unlocked};
use zweifaktor_core::{Authenticator, CoreError};

use crate::error::CommandError;
use crate::state::AppState;

/// Event with a [`ChallengeView`]: a login waits; the UI shows the challenge screen.
pub const CHALLENGE_EVENT: &str = "challenge";

/// Event with a [`Revoked`] notice: the portal removed this device.
pub const REVOKED_EVENT: &str = "push-revoked";

/// Events queued between the watching tasks and the task that shows them; a user has at most
/// a few logins open at once.
const EVENT_QUEUE: usize = 16;

/// The flow reaches the vault through the app's state: locked meanwhile is `app_locked`.
impl Unlocked for AppState {
    type Error = CommandError;

    fn with_vault<T>(
        &self,
        action: impl FnOnce(&Authenticator) -> Result<T, CoreError>,
    ) -> Result<T, CommandError> {
        self.with_session(|auth| Ok(action(auth)?))
    }
}

/// A login waiting, as the challenge screen shows it. The code is the only secret-derived
/// value in it; no `Debug`, so it is never logged.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    /// The challenge id, for the answers.
    id: String,
    /// The label of the account it is for.
    account: String,
    /// `zweifaktor` or `privacyidea`.
    protocol: &'static str,
    /// What is asked: `security_code`, `approve`, `pick_number` or `show_code`.
    ask: &'static str,
    /// The code to show large: the security code, or the server's code (`show_code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    /// The numbers to offer as buttons (`pick_number`).
    numbers: Vec<String>,
    /// The server's title, if it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    /// The server's question, if it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<String>,
    /// Unix time after which the challenge can no longer be answered.
    expires_at: u64,
    /// Who asks: the portal's name or the server's issuer.
    portal: String,
    /// When the login was started (unix time).
    time: u64,
    /// The browser's user agent, when the server says.
    #[serde(skip_serializing_if = "Option::is_none")]
    browser: Option<String>,
    /// The browser's address as the server saw it, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<String>,
}

impl ChallengeView {
    fn new(shown: &Shown) -> Self {
        let info = &shown.challenge.info;
        let numbers = match &shown.challenge.ask {
            Ask::PickNumber { options } => options.clone(),
            _ => Vec::new(),
        };
        Self {
            id: info.id.clone(),
            account: info.account_label.clone(),
            protocol: info.protocol,
            ask: shown.challenge.ask.kind(),
            code: shown.code.as_ref().map(|c| c.as_str().to_owned()),
            numbers,
            title: info.title.clone(),
            question: info.question.clone(),
            expires_at: info.expires_at,
            portal: info.portal.clone(),
            time: info.time,
            browser: info.browser.as_ref().map(|b| b.user_agent.clone()),
            address: info.browser.as_ref().map(|b| b.address.clone()),
        }
    }
}

/// The notice that the portal no longer knows this device for an account.
#[derive(Debug, Serialize, Clone)]
pub struct Revoked {
    /// The account's label.
    account: String,
}

/// The running watch tasks; dropping this ends them, so locking the app (which drops it)
/// leaves no task behind.
pub struct Listeners(Vec<JoinHandle<()>>);

impl Drop for Listeners {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Starts one watch per push source (a stream per Zweifaktor portal, a poll every few
/// seconds per privacyIDEA token; each asks at once, so what waits shows right after unlock),
/// replacing any running ones, which a vault without push sources only stops; nothing while
/// the app is locked. Called after unlock, after enrollment, after adding a push account and
/// after removing a push token.
pub fn start_listening<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let started = state.with_session(|auth| {
        let sources = auth.push_sources();
        if sources.is_empty() {
            state.stop_listeners();
            return Ok(0);
        }
        let (events, queue) = mpsc::channel(EVENT_QUEUE);
        let mut tasks: Vec<JoinHandle<()>> = sources
            .into_iter()
            .map(|source| tauri::async_runtime::spawn(source.watch(auth.clock(), events.clone())))
            .collect();
        let count = tasks.len();
        tasks.push(tauri::async_runtime::spawn(forward(app.clone(), queue)));
        state.set_listeners(Listeners(tasks));
        Ok(count)
    });
    if let Ok(count) = started {
        tracing::debug!(sources = count, "push watch started");
    }
}

/// Shows what the watches report: each challenge as a [`CHALLENGE_EVENT`], a removed device
/// as a [`REVOKED_EVENT`]; the rest is logged.
async fn forward<R: Runtime>(app: AppHandle<R>, mut queue: mpsc::Receiver<ListenerEvent>) {
    while let Some(event) = queue.recv().await {
        let state = app.state::<AppState>();
        match event {
            ListenerEvent::Challenge(challenge) => match push::show(&*state, challenge).await {
                Ok(shown) => emit(&app, CHALLENGE_EVENT, ChallengeView::new(&shown)),
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
                tracing::warn!(%account, code = error.code(), "challenge refused");
            }
            ListenerEvent::Disconnected {
                account, retry_in, ..
            } => tracing::debug!(%account, ?retry_in, "push server lost"),
        }
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, event: &str, payload: impl Serialize + Clone) {
    if let Err(err) = app.emit(event, payload) {
        tracing::warn!(event, error = %err, "could not tell the window");
    }
}

/// "Akzeptieren" on a security code: fetches every push server now and shows the newest
/// login's challenge.
pub async fn latest(state: &AppState) -> Result<ChallengeView, CommandError> {
    Ok(ChallengeView::new(&push::latest(state).await?))
}

/// "Akzeptieren" on challenge `id`, with the number picked if it offers numbers. A security
/// code challenge is shown again (the portal told it was seen): its view comes back; other
/// challenges are answered and nothing comes back.
pub async fn accept(
    state: &AppState,
    id: &str,
    number: Option<String>,
) -> Result<Option<ChallengeView>, CommandError> {
    let reply = number.map_or(PushAnswer::Accept, PushAnswer::AcceptNumber);
    let shown = push::answer_by_id(state, id, reply, None).await?;
    Ok(shown.code.is_some().then(|| ChallengeView::new(&shown)))
}

/// "Das war ich nicht": refuses the open challenge `id`.
pub async fn deny(state: &AppState, id: &str) -> Result<(), CommandError> {
    push::answer_by_id(state, id, PushAnswer::Deny, None).await?;
    Ok(())
}
