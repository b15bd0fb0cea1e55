//! The wake-up gateway: a webhook that lets a push service wake the app when a challenge is
//! waiting, since mobile systems end background connections.
//!
//! The portal POSTs `{"challenge_id": ID, "push_token": TOKEN}` once per device that has a push
//! token. The message carries no code, seed or account: the woken app fetches and verifies the
//! signed challenge itself. FCM, APNs or UnifiedPush adapters sit behind the webhook.

use std::time::Duration;

use serde::Serialize;

/// Time allowed for one webhook call; a slow gateway must not hold up logins.
pub const WAKEUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Errors while setting up the gateway client.
#[derive(Debug, thiserror::Error)]
pub enum WakeupError {
    /// The HTTP client could not be built.
    #[error("wake-up client: {0}")]
    Client(#[from] reqwest::Error),
}

/// Body of one webhook call.
#[derive(Serialize)]
struct WakeupMessage<'a> {
    challenge_id: &'a str,
    push_token: &'a str,
}

/// The configured webhook.
#[derive(Debug, Clone)]
pub struct WakeupGateway {
    client: reqwest::Client,
    url: String,
}

impl WakeupGateway {
    /// A gateway that posts to `url`.
    pub fn new(url: String) -> Result<Self, WakeupError> {
        let client = reqwest::Client::builder().timeout(WAKEUP_TIMEOUT).build()?;
        Ok(Self { client, url })
    }

    /// Wakes each device (by push token) for `challenge_id`, in the background; failures are
    /// logged without the token.
    pub fn wake(&self, challenge_id: &str, push_tokens: Vec<String>) {
        let gateway = self.clone();
        let challenge_id = challenge_id.to_string();
        tokio::spawn(async move {
            for token in push_tokens {
                let message = WakeupMessage {
                    challenge_id: &challenge_id,
                    push_token: &token,
                };
                let result = gateway
                    .client
                    .post(&gateway.url)
                    .json(&message)
                    .send()
                    .await;
                match result.and_then(reqwest::Response::error_for_status) {
                    Ok(_) => tracing::debug!(challenge = %challenge_id, "wake-up sent"),
                    Err(e) => tracing::warn!(
                        challenge = %challenge_id,
                        status = ?e.status(),
                        "wake-up webhook failed"
                    ),
                }
            }
        });
    }
}
