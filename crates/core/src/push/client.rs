//! The HTTP calls of protocol v1, from the device's side.

use std::time::Duration;

use futures_util::{Stream, StreamExt as _};
use reqwest::StatusCode;
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::{ChallengeId, ChallengeList, DeviceRegistered, RegisterDevice};

use super::{PortalSession, PushError};

/// Time to open a TCP/TLS connection: a phone on a bad network should fail and retry rather
/// than hang.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time for a whole request/response that is not the stream.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest server-sent event accepted: an envelope is at most 16 KiB, the rest is framing.
const MAX_EVENT_BYTES: usize = 32 * 1024;

/// A client for one portal.
#[derive(Debug, Clone)]
pub struct PortalClient {
    http: reqwest::Client,
    base: String,
}

impl PortalClient {
    /// A client for the portal at `base_url` (with or without trailing slash).
    pub fn new(base_url: &str) -> Result<Self, PushError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("zweifaktor/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(PushError::Network)?;
        Ok(Self {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// `POST /api/v1/devices`: registers this device with a single-use enroll token.
    pub async fn register(&self, request: &RegisterDevice) -> Result<DeviceRegistered, PushError> {
        let response = self
            .http
            .post(format!("{}/api/v1/devices", self.base))
            .timeout(REQUEST_TIMEOUT)
            .json(request)
            .send()
            .await
            .map_err(PushError::Network)?;
        let response = ok_or_refused(response)?;
        response.json().await.map_err(|_| PushError::Malformed)
    }

    /// `GET /api/v1/device/challenges`: the open challenges, still unverified.
    pub async fn challenges(
        &self,
        session: &PortalSession,
    ) -> Result<Vec<SignedEnvelope>, PushError> {
        let response = self
            .http
            .get(format!("{}/api/v1/device/challenges", self.base))
            .timeout(REQUEST_TIMEOUT)
            .bearer_auth(session.token().expose_secret())
            .send()
            .await
            .map_err(PushError::Network)?;
        let list: ChallengeList = ok_or_refused(response)?
            .json()
            .await
            .map_err(|_| PushError::Malformed)?;
        Ok(list.challenges)
    }

    /// `POST /api/v1/challenges/{id}/answer` with a device-signed answer.
    pub async fn answer(
        &self,
        session: &PortalSession,
        challenge: &ChallengeId,
        envelope: &SignedEnvelope,
    ) -> Result<(), PushError> {
        let response = self
            .http
            .post(format!(
                "{}/api/v1/challenges/{challenge}/answer",
                self.base
            ))
            .timeout(REQUEST_TIMEOUT)
            .bearer_auth(session.token().expose_secret())
            .json(envelope)
            .send()
            .await
            .map_err(PushError::Network)?;
        ok_or_refused(response).map(|_| ())
    }

    /// `GET /api/v1/device/stream`: server-sent events, one `challenge` event per envelope.
    ///
    /// The stream ends when the connection closes; [`super::listen`] reconnects.
    pub async fn stream(
        &self,
        session: &PortalSession,
    ) -> Result<impl Stream<Item = Result<SignedEnvelope, PushError>> + use<>, PushError> {
        let response = self
            .http
            .get(format!("{}/api/v1/device/stream", self.base))
            .bearer_auth(session.token().expose_secret())
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(PushError::Network)?;
        let events = eventsource_stream::EventStream::new(ok_or_refused(response)?.bytes_stream());
        Ok(events.filter_map(|event| async move {
            match event {
                Ok(event) if event.event == "challenge" => {
                    Some(if event.data.len() > MAX_EVENT_BYTES {
                        Err(PushError::Malformed)
                    } else {
                        serde_json::from_str(&event.data).map_err(|_| PushError::Malformed)
                    })
                }
                Ok(_) => None,
                Err(eventsource_stream::EventStreamError::Transport(err)) => {
                    Some(Err(PushError::Network(err)))
                }
                Err(_) => Some(Err(PushError::Malformed)),
            }
        }))
    }
}

/// Passes a 2xx response on; anything else becomes [`PushError::Refused`].
fn ok_or_refused(response: reqwest::Response) -> Result<reqwest::Response, PushError> {
    let status = response.status();
    if status.is_success() {
        Ok(response)
    } else {
        Err(PushError::Refused {
            status: status.as_u16(),
        })
    }
}

/// True when the portal said the device token is unknown or revoked: retrying cannot help.
pub(crate) fn is_auth_failure(err: &PushError) -> bool {
    matches!(err, PushError::Refused { status } if *status == StatusCode::UNAUTHORIZED.as_u16()
        || *status == StatusCode::FORBIDDEN.as_u16())
}
