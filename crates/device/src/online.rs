//! The commands that talk to push servers: registration on `add`, `poll`, `listen`, `accept`
//! and `deny`. The flow (fetch all, show, answer) is the core's (`zweifaktor_core::push::flow`),
//! shared with the app; this module only prints.
//!
//! Each runs on a small tokio runtime of its own; the offline commands need none.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::json;
use tokio::sync::mpsc;
use zweifaktor_core::accounts::{AccountId, AccountQuery, AccountSummary};
use zweifaktor_core::push::{self, Ask, Fetched, ListenerEvent, PushAnswer, PushError, Shown};
use zweifaktor_core::{Authenticator, CoreError};
use zweifaktor_protocol::messages::Platform;

use crate::exit::DeviceError;

/// Name under which the headless device registers, shown on the portal's dashboard.
pub const DEVICE_LABEL: &str = "zweifaktor-device";

/// Events queued between the watching tasks and the printer; a user has at most a few
/// logins open at once.
const EVENT_QUEUE: usize = 16;

/// One verified challenge as printed by `poll` and `listen`.
#[derive(Serialize)]
pub struct ChallengeLine {
    /// The account's label.
    pub account: String,
    /// The challenge id, for `accept` and `deny`.
    pub challenge_id: String,
    /// The protocol behind it: `zweifaktor` or `privacyidea`.
    pub protocol: &'static str,
    /// What is asked: `security_code`, `approve`, `pick_number` or `show_code`.
    pub ask: &'static str,
    /// The code to type into the login page: the security code, or the server's code.
    pub code: Option<String>,
    /// The numbers offered, one of which the login page shows (`pick_number`).
    pub numbers: Vec<String>,
    /// The server's title, if it sent one.
    pub title: Option<String>,
    /// The server's question, if it sent one.
    pub question: Option<String>,
    /// Unix time after which the challenge can no longer be answered.
    pub expires_at: u64,
    /// When the login was started.
    pub login_time: u64,
    /// The browser's address as the portal saw it, when the server says.
    pub ip: Option<String>,
    /// The browser's user agent, when the server says.
    pub user_agent: Option<String>,
    /// Who asks: the portal's name or the server's issuer.
    pub portal: String,
}

impl ChallengeLine {
    /// The line for a challenge on show.
    pub fn new(shown: &Shown) -> Self {
        let info = &shown.challenge.info;
        let numbers = match &shown.challenge.ask {
            Ask::PickNumber { options } => options.clone(),
            _ => Vec::new(),
        };
        Self {
            account: info.account_label.clone(),
            challenge_id: info.id.clone(),
            protocol: info.protocol,
            ask: shown.challenge.ask.kind(),
            code: shown.code.as_ref().map(|c| c.as_str().to_owned()),
            numbers,
            title: info.title.clone(),
            question: info.question.clone(),
            expires_at: info.expires_at,
            login_time: info.time,
            ip: info.browser.as_ref().map(|b| b.address.clone()),
            user_agent: info.browser.as_ref().map(|b| b.user_agent.clone()),
            portal: info.portal.clone(),
        }
    }

    /// Prints the line: JSON, or the code (or the question) followed by who is logging in.
    pub fn print(&self, json: bool) {
        if json {
            println!("{}", json!({ "result": "challenge", "challenge": self }));
            return;
        }
        let from = match (&self.ip, &self.user_agent) {
            (Some(ip), Some(agent)) => format!("login from {ip} ({agent})"),
            _ => format!("login at {}", self.portal),
        };
        let asked = match self.ask {
            "pick_number" => format!(
                "{}: pick the number the login page shows: {} (accept {} --answer N)",
                self.question.as_deref().unwrap_or("approve?"),
                self.numbers.join(" "),
                self.challenge_id
            ),
            "approve" => format!(
                "{} (accept {} or deny {})",
                self.question.as_deref().unwrap_or("approve?"),
                self.challenge_id,
                self.challenge_id
            ),
            _ => self.code.clone().unwrap_or_default(),
        };
        println!(
            "{asked}  {}  {from} — challenge {}",
            self.account, self.challenge_id
        );
    }
}

/// A challenge that failed verification: reported, never shown.
pub fn print_rejected(account: &str, error: &PushError, json: bool) {
    if json {
        println!(
            "{}",
            json!({ "result": "rejected", "account": account, "code": error.code(), "error": error.to_string() })
        );
    } else {
        eprintln!("zweifaktor-device: challenge for {account} refused: {error}");
    }
}

/// A server that could not be asked while others answered.
fn print_failed(account: &str, error: &PushError, json: bool) {
    if json {
        println!(
            "{}",
            json!({ "result": "failed", "account": account, "code": error.code(), "error": error.to_string() })
        );
    } else {
        eprintln!("zweifaktor-device: the server of {account} could not be asked: {error}");
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, DeviceError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(DeviceError::Runtime)
}

/// `add`: with `zf_` parameters registers with the portal first, else stores the account only.
pub fn add(auth: &mut Authenticator, uri: &str) -> Result<AccountSummary, DeviceError> {
    let enrollment = match auth.prepare_enrollment(uri, DEVICE_LABEL, Platform::Headless) {
        Ok(enrollment) => enrollment,
        Err(CoreError::Push(PushError::NoPortal)) => return Ok(auth.add_account(uri)?),
        Err(err) => return Err(err.into()),
    };
    let registered = runtime()?
        .block_on(push::register(&enrollment))
        .map_err(CoreError::from)?;
    Ok(auth.finish_enrollment(enrollment, registered)?)
}

/// The account `query` names, if any.
fn only(auth: &Authenticator, query: Option<String>) -> Result<Option<AccountId>, DeviceError> {
    query
        .map(|name| auth.find(&AccountQuery::Named(name)))
        .transpose()
        .map_err(DeviceError::from)
}

/// Prints what a fetch refused and which servers failed; fails with the first failure when no
/// server could be asked at all.
fn report(fetched: &mut Fetched, json: bool) -> Result<(), DeviceError> {
    for refused in &fetched.refused {
        print_rejected(&refused.label, &refused.error, json);
    }
    if fetched.challenges.is_empty() && fetched.refused.is_empty() && !fetched.failed.is_empty() {
        let first = fetched.failed.remove(0);
        return Err(CoreError::from(first.error).into());
    }
    for failed in &fetched.failed {
        print_failed(&failed.label, &failed.error, json);
    }
    Ok(())
}

/// `poll`: prints every open, verified challenge of every push server (a Zweifaktor one with
/// its code, the portal then told it was seen). A server that fails is reported and hides no
/// other's challenges.
pub fn poll(auth: &Authenticator, query: Option<String>, json: bool) -> Result<usize, DeviceError> {
    let only = only(auth, query)?;
    runtime()?.block_on(async {
        let mut fetched = push::fetch_all(auth, only.as_ref()).await?;
        report(&mut fetched, json)?;
        let count = fetched.challenges.len();
        for challenge in fetched.challenges {
            ChallengeLine::new(&push::show(auth, challenge).await?).print(json);
        }
        Ok(count)
    })
}

/// `listen`: watches each push server (Zweifaktor's stream, privacyIDEA's poll) and prints
/// each verified challenge as it arrives, until `max` challenges were shown or `timeout`
/// passed (both optional).
pub fn listen(
    auth: &Authenticator,
    query: Option<String>,
    json: bool,
    max: Option<usize>,
    timeout: Option<Duration>,
) -> Result<usize, DeviceError> {
    let only = only(auth, query)?;
    let sources: Vec<_> = auth
        .push_sources()
        .into_iter()
        .filter(|s| only.as_ref().is_none_or(|id| s.account() == id))
        .collect();
    if sources.is_empty() {
        return Err(CoreError::from(PushError::NoPushAccount).into());
    }
    runtime()?.block_on(async {
        let (tx, mut rx) = mpsc::channel(EVENT_QUEUE);
        for source in sources {
            tokio::spawn(Arc::clone(&source).watch(auth.clock(), tx.clone()));
        }
        drop(tx);
        let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
        let mut shown = 0;
        while max.is_none_or(|m| shown < m) {
            let event = match deadline {
                Some(at) => match tokio::time::timeout_at(at, rx.recv()).await {
                    Ok(event) => event,
                    Err(_) => break,
                },
                None => rx.recv().await,
            };
            let Some(event) = event else { break };
            match event {
                ListenerEvent::Challenge(challenge) => {
                    ChallengeLine::new(&push::show(auth, challenge).await?).print(json);
                    shown += 1;
                }
                ListenerEvent::Rejected { account, error } => {
                    print_rejected(&label(auth, &account), &error, json)
                }
                ListenerEvent::Connected { account } => {
                    tracing::info!(%account, "listening for challenges")
                }
                ListenerEvent::Disconnected {
                    account, retry_in, ..
                } => {
                    tracing::warn!(%account, ?retry_in, "server connection lost, trying again")
                }
                ListenerEvent::Revoked { account } => {
                    return Err(DeviceError::Revoked {
                        account: label(auth, &account),
                    });
                }
            }
        }
        Ok(shown)
    })
}

/// `accept ID [--answer N]` and `deny ID`: finds the open challenge `id` and answers it. For
/// a Zweifaktor challenge "accept" shows its code (the portal is told it was seen).
pub fn answer(
    auth: &Authenticator,
    id: &str,
    reply: PushAnswer,
    query: Option<String>,
) -> Result<Shown, DeviceError> {
    let only = only(auth, query)?;
    runtime()?.block_on(async { Ok(push::answer_by_id(auth, id, reply, only.as_ref()).await?) })
}

fn label(auth: &Authenticator, id: &AccountId) -> String {
    auth.account(id)
        .map(|a| a.label)
        .unwrap_or_else(|_| id.to_string())
}
