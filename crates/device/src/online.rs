//! The commands that talk to a portal: registration on `add`, `poll`, `listen` and `deny`.
//!
//! Each runs on a small tokio runtime of its own; the offline commands need none.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::json;
use tokio::sync::mpsc;
use zweifaktor_core::accounts::{AccountQuery, AccountSummary};
use zweifaktor_core::clock::Clock;
use zweifaktor_core::push::privacyidea::{self, PiEnrollment, PushTokenSummary};
use zweifaktor_core::push::{
    self, Backoff, ListenerEvent, PortalSession, PushError, VerifiedChallenge,
};
use zweifaktor_core::{Authenticator, CoreError};
use zweifaktor_protocol::messages::{Decision, Platform};

use crate::exit::DeviceError;

/// Name under which the headless device registers, shown on the portal's dashboard.
pub const DEVICE_LABEL: &str = "zweifaktor-device";

/// One verified challenge as printed by `poll` and `listen`.
#[derive(Debug, Serialize)]
pub struct ChallengeLine {
    /// The account's label.
    pub account: String,
    /// The challenge id, for `deny`.
    pub challenge_id: String,
    /// The security code to type into the portal.
    pub code: String,
    /// Unix time after which the portal no longer accepts the code.
    pub expires_at: u64,
    /// When the login was started.
    pub login_time: u64,
    /// The browser's address as the portal saw it.
    pub ip: String,
    /// The browser's user agent.
    pub user_agent: String,
    /// The portal's name.
    pub portal: String,
}

impl ChallengeLine {
    /// Prints the line: JSON, or the code followed by who is logging in.
    pub fn print(&self, json: bool) {
        if json {
            println!("{}", json!({ "result": "challenge", "challenge": self }));
        } else {
            println!(
                "{}  {}  login from {} ({}) — challenge {}",
                self.code, self.account, self.ip, self.user_agent, self.challenge_id
            );
        }
    }
}

/// A challenge that failed verification: reported, never shown.
pub fn print_rejected(account: &str, error: &PushError, json: bool) {
    if json {
        println!(
            "{}",
            json!({ "result": "rejected", "account": account, "error": error.to_string() })
        );
    } else {
        eprintln!("zweifaktor-device: challenge for {account} refused: {error}");
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

/// `add` with a privacyIDEA push link: makes the token's key (off the runtime's thread),
/// registers it with the server and stores it.
pub fn add_push_token(
    auth: &mut Authenticator,
    link: &str,
) -> Result<PushTokenSummary, DeviceError> {
    auth.preview_pi_link(link)?;
    let link = link.to_owned();
    let runtime = runtime()?;
    let (enrollment, registered) = runtime.block_on(async move {
        let enrollment = tokio::task::spawn_blocking(move || PiEnrollment::prepare(&link))
            .await
            .map_err(|_| DeviceError::KeyGeneration)??;
        let registered = privacyidea::register(&enrollment)
            .await
            .map_err(CoreError::from)?;
        Ok::<_, DeviceError>((enrollment, registered))
    })?;
    Ok(auth.finish_pi_enrollment(enrollment, registered)?)
}

/// The sessions `query` names: one account, or every portal-bound account for no name.
fn sessions(
    auth: &Authenticator,
    query: Option<String>,
) -> Result<Vec<PortalSession>, DeviceError> {
    match query {
        Some(name) => {
            let id = auth.find(&AccountQuery::Named(name))?;
            Ok(vec![auth.portal_session(&id)?])
        }
        None => {
            let all = auth.portal_sessions();
            if all.is_empty() {
                return Err(DeviceError::NoPortalAccounts);
            }
            Ok(all)
        }
    }
}

/// Fetches and verifies the open challenges of each session; refused ones are reported.
async fn fetch(
    auth: &Authenticator,
    sessions: &[PortalSession],
    clock: &dyn Clock,
    json: bool,
) -> Result<Vec<VerifiedChallenge>, DeviceError> {
    let mut verified = Vec::new();
    for session in sessions {
        for challenge in push::open_challenges(session, clock)
            .await
            .map_err(CoreError::from)?
        {
            match challenge {
                Ok(challenge) => verified.push(challenge),
                Err(error) => print_rejected(&label(auth, &session.account), &error, json),
            }
        }
    }
    Ok(verified)
}

/// The code line for a verified challenge; tells the portal the code was shown.
async fn show(
    auth: &Authenticator,
    challenge: &VerifiedChallenge,
) -> Result<ChallengeLine, DeviceError> {
    let code = auth.challenge_code(challenge)?;
    if let Err(error) = answer(auth, challenge, Decision::Seen).await {
        tracing::warn!(%error, "portal not told that the code was shown");
    }
    let c = &challenge.challenge;
    Ok(ChallengeLine {
        account: label(auth, &challenge.account),
        challenge_id: c.id.to_string(),
        code: code.as_str().to_owned(),
        expires_at: c.expires_at,
        login_time: c.context.time,
        ip: c.context.ip.clone(),
        user_agent: c.context.user_agent.clone(),
        portal: c.context.portal.clone(),
    })
}

/// `poll`: prints every open, verified challenge with its code.
pub fn poll(
    auth: &Authenticator,
    query: Option<String>,
    clock: Arc<dyn Clock>,
    json: bool,
) -> Result<usize, DeviceError> {
    let sessions = sessions(auth, query)?;
    runtime()?.block_on(async {
        let challenges = fetch(auth, &sessions, clock.as_ref(), json).await?;
        for challenge in &challenges {
            show(auth, challenge).await?.print(json);
        }
        Ok(challenges.len())
    })
}

/// `listen`: holds the stream of each portal and prints each verified challenge as it
/// arrives, until `max` challenges were shown or `timeout` passed (both optional).
pub fn listen(
    auth: &Authenticator,
    query: Option<String>,
    clock: Arc<dyn Clock>,
    json: bool,
    max: Option<usize>,
    timeout: Option<Duration>,
) -> Result<usize, DeviceError> {
    let sessions = sessions(auth, query)?;
    runtime()?.block_on(async {
        let (tx, mut rx) = mpsc::channel(16);
        for session in sessions {
            tokio::spawn(push::listen(
                session,
                clock.clone(),
                tx.clone(),
                Backoff::DEFAULT,
            ));
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
                    show(auth, &challenge).await?.print(json);
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
                    tracing::warn!(%account, ?retry_in, "portal connection lost, reconnecting")
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

/// `deny ID`: finds the open challenge, verifies it, and sends a signed "deny".
pub fn deny(
    auth: &Authenticator,
    challenge_id: &str,
    query: Option<String>,
    clock: Arc<dyn Clock>,
    json: bool,
) -> Result<String, DeviceError> {
    let sessions = sessions(auth, query)?;
    runtime()?.block_on(async {
        let challenges = fetch(auth, &sessions, clock.as_ref(), json).await?;
        let challenge = challenges
            .iter()
            .find(|c| c.challenge.id.as_str() == challenge_id)
            .ok_or_else(|| DeviceError::UnknownChallenge {
                id: challenge_id.to_owned(),
            })?;
        answer(auth, challenge, Decision::Deny).await?;
        tracing::info!(challenge = %challenge.challenge.id, "login denied");
        Ok(label(auth, &challenge.account))
    })
}

/// Signs `decision` for `challenge` and sends it to the challenge's portal.
async fn answer(
    auth: &Authenticator,
    challenge: &VerifiedChallenge,
    decision: Decision,
) -> Result<(), DeviceError> {
    let session = auth.portal_session(&challenge.account)?;
    let envelope = auth.sign_answer(challenge, decision)?;
    push::send_answer(&session, &challenge.challenge.id, &envelope)
        .await
        .map_err(CoreError::from)?;
    Ok(())
}

fn label(auth: &Authenticator, id: &zweifaktor_core::accounts::AccountId) -> String {
    auth.account(id)
        .map(|a| a.label)
        .unwrap_or_else(|_| id.to_string())
}
