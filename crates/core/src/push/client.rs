//! The HTTP calls of protocol v1, from the device's side.

use std::time::Duration;

use futures_util::{Stream, StreamExt as _};
use reqwest::StatusCode;
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::{ChallengeId, ChallengeList, DeviceRegistered, RegisterDevice};

use super::limit::{self, MAX_EVENT_BYTES, MAX_RESPONSE_BYTES};
use super::{PortalSession, PushError};

/// Time to open a TCP/TLS connection: a phone on a bad network should fail and retry rather
/// than hang.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time for a whole request/response that is not the stream.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

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
        json_body(ok_or_refused(response)?).await
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
        let list: ChallengeList = json_body(ok_or_refused(response)?).await?;
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
    /// The stream ends when the connection closes, or after an event over
    /// `MAX_EVENT_BYTES` ([`PushError::TooLarge`], counted while it arrives); [`super::listen`]
    /// reconnects.
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
        let bytes = limit::bound_events(ok_or_refused(response)?.bytes_stream(), MAX_EVENT_BYTES);
        let events = eventsource_stream::EventStream::new(bytes);
        Ok(events.filter_map(|event| async move {
            match event {
                Ok(event) if event.event == "challenge" => {
                    Some(serde_json::from_str(&event.data).map_err(|_| PushError::Malformed))
                }
                Ok(_) => None,
                Err(eventsource_stream::EventStreamError::Transport(err)) => Some(Err(err)),
                Err(_) => Some(Err(PushError::Malformed)),
            }
        }))
    }
}

/// The JSON body of `response`, read up to `MAX_RESPONSE_BYTES`.
async fn json_body<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, PushError> {
    let body = limit::read_body(response, MAX_RESPONSE_BYTES).await?;
    serde_json::from_slice(&body).map_err(|_| PushError::Malformed)
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

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt as _;
    use tokio::sync::mpsc;
    use zweifaktor_protocol::messages::ChallengeList;

    use super::*;
    use crate::push::test_portal::{
        ENDLESS_STOP, HANG_GUARD, NOW, challenge, key, one_shot_portal, raw_portal, session,
        write_endless,
    };

    /// The head of an event-stream response whose body runs until the connection closes.
    const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";

    /// A portal whose every response is `head` and an endless run of `filler` bytes; the
    /// receiver gets how many filler bytes each connection managed to send.
    async fn endless_portal(head: String, filler: u8) -> (String, mpsc::UnboundedReceiver<usize>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let url = raw_portal(move |_, conn| {
            let tx = tx.clone();
            let head = head.clone();
            async move {
                let _ = tx.send(write_endless(conn, &head, filler).await);
            }
        })
        .await;
        (url, rx)
    }

    /// Regression (issue 9, finding 13): an event without an end was buffered whole before its
    /// size was checked (here the portal gives up after 64 MiB and the old client then saw the
    /// stream end). Now the stream fails with `TooLarge` once the event passes the bound, and
    /// the client hangs up long before the portal stops sending.
    #[tokio::test]
    async fn endless_event_fails_at_the_bound_and_the_connection_is_dropped() {
        let (url, mut sent) =
            endless_portal(format!("{SSE_HEAD}event: challenge\ndata: "), b'a').await;
        let client = PortalClient::new(&url).unwrap();
        // Boxed, so that dropping it really closes the connection.
        let mut stream = Box::pin(client.stream(&session(&url, &key(1))).await.unwrap());
        let first = tokio::time::timeout(HANG_GUARD, stream.next())
            .await
            .expect("the client kept reading the endless event");
        assert!(
            matches!(
                first,
                Some(Err(PushError::TooLarge {
                    limit: MAX_EVENT_BYTES
                }))
            ),
            "{first:?}"
        );
        drop(stream);
        let written = sent.recv().await.unwrap();
        assert!(
            written < ENDLESS_STOP,
            "the client kept reading: the portal sent all {written} bytes"
        );
    }

    /// Events up to the bound still arrive: a comment-only event of nearly the bound's size
    /// is skipped, and the challenge after it is delivered intact.
    #[tokio::test]
    async fn events_within_the_bound_still_arrive() {
        let envelope = SignedEnvelope::sign(&challenge(1, NOW), &key(1)).unwrap();
        let comment = format!(": {}\n\n", "k".repeat(MAX_EVENT_BYTES - 3));
        let event = format!(
            "event: challenge\ndata: {}\n\n",
            serde_json::to_string(&envelope).unwrap()
        );
        let url = raw_portal(move |_, mut conn| {
            let body = format!("{SSE_HEAD}{comment}{event}");
            async move {
                conn.write_all(body.as_bytes()).await.unwrap();
            }
        })
        .await;
        let client = PortalClient::new(&url).unwrap();
        let stream = client.stream(&session(&url, &key(1))).await.unwrap();
        let mut stream = std::pin::pin!(stream);
        let got = stream.next().await.unwrap().unwrap();
        assert_eq!(got, envelope);
    }

    /// Regression (issue 9, finding 13): the poll answer was read whole by `.json()`. A body
    /// without a declared length is now cut off at the bound.
    #[tokio::test]
    async fn endless_poll_answer_fails_at_the_bound() {
        let (url, mut sent) = endless_portal(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".into(),
            b' ',
        )
        .await;
        let client = PortalClient::new(&url).unwrap();
        let err = client
            .challenges(&session(&url, &key(1)))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                PushError::TooLarge {
                    limit: MAX_RESPONSE_BYTES
                }
            ),
            "{err:?}"
        );
        assert!(sent.recv().await.unwrap() < ENDLESS_STOP);
    }

    /// Regression (issue 9, finding 13): a declared length above the bound is refused before
    /// any of the body is read, for registration as for polling.
    #[tokio::test]
    async fn declared_oversized_answer_is_refused_before_reading() {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            MAX_RESPONSE_BYTES + 1
        );
        let (url, _sent) = endless_portal(head, b' ').await;
        let client = PortalClient::new(&url).unwrap();
        let err = client
            .challenges(&session(&url, &key(1)))
            .await
            .unwrap_err();
        assert!(matches!(err, PushError::TooLarge { .. }), "{err:?}");
    }

    /// A poll answer within the bound is parsed as before.
    #[tokio::test]
    async fn poll_answer_within_the_bound_is_read() {
        let list = ChallengeList {
            challenges: vec![SignedEnvelope::sign(&challenge(2, NOW), &key(1)).unwrap()],
        };
        let (url, _) = one_shot_portal("200 OK", serde_json::to_string(&list).unwrap()).await;
        let client = PortalClient::new(&url).unwrap();
        let got = client.challenges(&session(&url, &key(1))).await.unwrap();
        assert_eq!(got, list.challenges);
    }
}
