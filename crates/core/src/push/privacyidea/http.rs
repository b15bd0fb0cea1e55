//! The HTTP calls of a privacyIDEA push token, all to the one URL from its link (privacyIDEA's
//! `/ttype/push`): the enrollment `POST`, the signed poll `GET` and the answer `POST`, form
//! encoded as privacyIDEA's own app sends them.
//!
//! Every answer is read up to [`MAX_RESPONSE_BYTES`], and every request has a time limit.

use std::time::Duration;

use zweifaktor_protocol::pipush::{
    AnswerOutcome, PiChallenge, PiResponseError, ServerKey, enrollment_server_key, poll_challenges,
};

use super::TlsMode;
use crate::push::PushError;
use crate::push::limit::{self, MAX_RESPONSE_BYTES};

/// Time to open a TCP/TLS connection: a phone on a bad network should fail and retry rather
/// than hang (the same bound as for a Zweifaktor portal).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time for a whole request and its answer. privacyIDEA answers a poll or an answer at once
/// (only `/validate/check` with `push_wait` waits, and the phone never calls that).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One token's server.
#[derive(Debug, Clone)]
pub(crate) struct PiServer {
    http: reqwest::Client,
    url: String,
}

impl PiServer {
    /// A client for `url`; certificates are checked unless `tls` is
    /// [`TlsMode::Unverified`], which [`tls_mode`](super::tls_mode) allows only for loopback
    /// hosts and plain http.
    pub(crate) fn new(url: &str, tls: TlsMode) -> Result<Self, PushError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("zweifaktor/", env!("CARGO_PKG_VERSION")))
            .danger_accept_invalid_certs(tls == TlsMode::Unverified)
            .build()
            .map_err(PushError::Network)?;
        Ok(Self {
            http,
            url: url.to_owned(),
        })
    }

    /// The second enrollment step; returns the server's key to pin. A refusal (wrong or used
    /// credential, unknown serial) is [`PushError::EnrollTokenRefused`].
    pub(crate) async fn register(&self, form: &[(&str, &str)]) -> Result<ServerKey, PushError> {
        let response = self.http.post(&self.url).form(form).send().await;
        let body = read(response).await?;
        enrollment_server_key(&body).map_err(|err| match err {
            PiResponseError::Refused { .. } => PushError::EnrollTokenRefused,
            _ => PushError::Malformed,
        })
    }

    /// The signed poll; returns the listed challenges, each still to be verified.
    pub(crate) async fn poll(
        &self,
        query: &[(&str, &str)],
    ) -> Result<Vec<Result<PiChallenge, PiResponseError>>, PushError> {
        let response = self.http.get(&self.url).query(query).send().await;
        let (status, body) = read_with_status(response).await?;
        poll_challenges(&body).map_err(|err| refusal(err, status))
    }

    /// Sends a signed answer; returns what the server made of it.
    pub(crate) async fn answer(&self, form: &[(&str, String)]) -> Result<AnswerOutcome, PushError> {
        let response = self.http.post(&self.url).form(form).send().await;
        let (status, body) = read_with_status(response).await?;
        AnswerOutcome::parse(&body).map_err(|err| refusal(err, status))
    }
}

/// [`PushError::Refused`] with the HTTP status for a privacyIDEA error answer, else
/// [`PushError::Malformed`].
fn refusal(err: PiResponseError, status: u16) -> PushError {
    match err {
        PiResponseError::Refused { .. } => PushError::Refused { status },
        _ => PushError::Malformed,
    }
}

/// The body of any answer (privacyIDEA puts its errors in the body of a 400), bounded.
async fn read(response: Result<reqwest::Response, reqwest::Error>) -> Result<Vec<u8>, PushError> {
    read_with_status(response).await.map(|(_, body)| body)
}

/// The status and the bounded body of an answer.
async fn read_with_status(
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<(u16, Vec<u8>), PushError> {
    let response = response.map_err(PushError::Network)?;
    let status = response.status().as_u16();
    let body = limit::read_body(response, MAX_RESPONSE_BYTES).await?;
    Ok((status, body))
}
