//! The device API of protocol v1: registration, challenge delivery (poll and server-sent
//! events) and answers.
//!
//! Devices authenticate with `Authorization: Bearer DEVICE_TOKEN`; the portal stores only the
//! token's SHA-256. Challenges are signed with the portal key the device pinned at enrollment;
//! answers are signed with the device key, carry a single-use nonce, and must be within
//! ±[`ANSWER_MAX_SKEW_SECS`] of the portal's clock.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::envelope::{decode_public_key, encode_public_key};
use zweifaktor_protocol::messages::{
    ANSWER_MAX_SKEW_SECS, Challenge, ChallengeAnswer, ChallengeId, ChallengeList, DeviceId,
    DeviceRegistered, DeviceToken, LoginContext, Nonce, ProtocolV1, RegisterDevice,
};

use crate::error::AppError;
use crate::hub::{ChallengeEvent, HubEvent};
use crate::login;
use crate::login::answer::AnswerOutcome;
use crate::login::enrollment::{DeviceDraft, Registered, register_device};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::devices::Device;
use crate::storage::logins::Login;
use crate::tokens::{SecretToken, random_bytes};

/// Longest device label accepted, in characters; it is shown on the dashboard.
pub const MAX_LABEL_CHARS: usize = 64;

/// Longest wake-up push token accepted (FCM tokens are about 160 characters).
pub const MAX_PUSH_TOKEN_CHARS: usize = 512;

/// Interval of SSE keep-alive comments: short enough for proxies with 60 s idle timeouts.
pub const STREAM_KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Events buffered per stream before the sender waits.
const STREAM_BUFFER: usize = 16;

/// Routes of the device API.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/devices", post(register))
        .route("/api/v1/device/challenges", get(challenges))
        .route("/api/v1/device/stream", get(stream))
        .route("/api/v1/challenges/{id}/answer", post(answer))
}

/// [`AppError`] answered as JSON, the device API's error form.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json_response()
    }
}

/// A device authenticated by its bearer token.
#[derive(Debug)]
pub struct AuthedDevice(pub Device);

impl FromRequestParts<Arc<AppState>> for AuthedDevice {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        let token = SecretToken::from_client(token.trim().to_string());
        let device = state
            .db
            .device_by_token(&token.hash())
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(Self(device))
    }
}

/// Parses a JSON body, turning every rejection into a JSON `invalid_request`.
fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(v)| v)
        .map_err(|_| ApiError(AppError::InvalidRequest("malformed JSON body")))
}

fn now_u64(state: &AppState) -> u64 {
    u64::try_from(state.now()).unwrap_or(0)
}

/// `POST /api/v1/devices`: registers a device with a single-use enroll token; the
/// registration ends the account's due enrollment (`crate::login::enrollment`).
async fn register(
    State(state): State<Arc<AppState>>,
    body: Result<Json<RegisterDevice>, JsonRejection>,
) -> Result<Response, ApiError> {
    let request = json_body(body)?;
    let label = request.label.trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return Err(AppError::InvalidRequest("label empty or too long").into());
    }
    if request
        .push_token
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_PUSH_TOKEN_CHARS)
    {
        return Err(AppError::InvalidRequest("push token too long").into());
    }
    let enroll = SecretToken::from_client(request.enroll_token.expose_secret().to_string());
    let mut id_bytes = [0u8; 16];
    id_bytes.copy_from_slice(&random_bytes(16));
    let device_id = DeviceId::from_random_bytes(id_bytes);
    let platform = serde_json::to_value(request.platform)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let draft = DeviceDraft {
        id: device_id.to_string(),
        public_key: encode_public_key(&request.device_key),
        label,
        platform,
        push_token: request.push_token.as_deref(),
    };
    let Some(Registered { token, .. }) = register_device(&state, &enroll.hash(), draft).await?
    else {
        tracing::info!("registration refused: enroll token unknown, used or expired");
        return Err(AppError::Unauthorized.into());
    };
    let body = DeviceRegistered {
        device_id,
        device_token: DeviceToken::new(token.expose().to_string()),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Signs the challenge of `login` for `account`.
pub fn sign_challenge(
    state: &AppState,
    login: &Login,
    account: &str,
) -> Result<SignedEnvelope, AppError> {
    let mut nonce = [0u8; 32];
    hex::decode_to_slice(&login.nonce, &mut nonce)
        .map_err(|_| AppError::Corrupt("challenge nonce"))?;
    let challenge = Challenge {
        v: ProtocolV1,
        id: ChallengeId::parse(&login.id).map_err(|_| AppError::Corrupt("challenge id"))?,
        account: account.to_string(),
        nonce: Nonce(nonce),
        issued_at: u64::try_from(login.created_at).unwrap_or(0),
        expires_at: u64::try_from(login.expires_at).unwrap_or(0),
        context: LoginContext {
            time: u64::try_from(login.created_at).unwrap_or(0),
            ip: login.ip.clone(),
            user_agent: login.user_agent.clone(),
            portal: state.config.public_url.clone(),
        },
    };
    Ok(SignedEnvelope::sign(&challenge, state.keys.signing_key())?)
}

/// The signed challenges waiting for `device`'s account, newest first, each with its id;
/// [`AppError::Unauthorized`] once the device is revoked. One storage read: the device's
/// state, the account and its open logins together.
async fn pending_envelopes(
    state: &AppState,
    device: &Device,
) -> Result<Vec<(String, SignedEnvelope)>, AppError> {
    let (device_id, user_id, now) = (device.id.clone(), device.user_id.clone(), state.now());
    let open = state
        .db
        .read(move |tx| {
            if !tx.device_is_active(&device_id)? {
                return Ok::<_, StorageError>(None);
            }
            let Some(user) = tx.user_by_id(&user_id)? else {
                return Ok(None);
            };
            Ok(Some((user.email, tx.pending_logins(&user_id, now)?)))
        })
        .await?;
    let (email, logins) = open.ok_or(AppError::Unauthorized)?;
    logins
        .iter()
        .map(|login| Ok((login.id.clone(), sign_challenge(state, login, &email)?)))
        .collect()
}

/// `GET /api/v1/device/challenges`: the open challenges, for polling.
async fn challenges(
    State(state): State<Arc<AppState>>,
    AuthedDevice(device): AuthedDevice,
) -> Result<Json<ChallengeList>, ApiError> {
    let challenges = pending_envelopes(&state, &device)
        .await?
        .into_iter()
        .map(|(_, envelope)| envelope)
        .collect();
    Ok(Json(ChallengeList { challenges }))
}

/// `GET /api/v1/device/stream`: server-sent events, one `challenge` event (a signed
/// envelope) per open and per new challenge of the account. The stream ends when its device
/// is revoked (the app then reconnects and gets 401, which it reports as revoked), when the
/// device opens streams beyond `hub::MAX_STREAMS_PER_DEVICE` (the oldest ends), and at
/// shutdown.
async fn stream(
    State(state): State<Arc<AppState>>,
    AuthedDevice(device): AuthedDevice,
) -> Result<Response, ApiError> {
    let mut hub = state.hub.subscribe(&device.user_id, &device.id);
    let mut stopping = state.stopping.subscribe();
    // Read after subscribing: a revocation between the token check and the subscription was
    // announced to nobody, and refuses the stream here.
    let initial = pending_envelopes(&state, &device).await?;
    let (tx, rx) = mpsc::channel(STREAM_BUFFER);
    tracing::info!(device = %device.id, "device stream opened");
    tokio::spawn(async move {
        // Ids already sent on this connection: a login published between the subscription
        // and the first read would otherwise arrive twice, once from each.
        let mut sent = HashSet::new();
        for (id, envelope) in initial {
            sent.insert(id);
            if tx.send(Ok(event(&envelope))).await.is_err() {
                return;
            }
        }
        loop {
            let next = tokio::select! {
                () = tx.closed() => break,
                _ = stopping.wait_for(|stop| *stop) => break,
                next = hub.recv() => next,
            };
            if matches!(next, Ok(HubEvent::Superseded)) {
                tracing::info!(device = %device.id, "device opened a newer stream; this one ends");
                break;
            }
            if !state.db.device_is_active(&device.id).await.unwrap_or(false) {
                tracing::info!(device = %device.id, "device revoked; stream ends");
                break;
            }
            let events = match next {
                Ok(HubEvent::DevicesRevoked | HubEvent::Superseded) => continue,
                Ok(HubEvent::Challenge(e)) if sent.contains(&*e.login_id) => continue,
                Ok(HubEvent::Challenge(ChallengeEvent {
                    login_id,
                    envelope_json: Some(json),
                    ..
                })) => vec![(login_id.to_string(), challenge_event(&json))],
                Ok(HubEvent::Challenge(e)) => stored_challenge(&state, &e.login_id).await,
                Err(broadcast::error::RecvError::Lagged(_)) => pending_envelopes(&state, &device)
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(id, envelope)| (id, event(&envelope)))
                    .collect(),
                Err(broadcast::error::RecvError::Closed) => break,
            };
            for (id, event) in events {
                if !sent.insert(id) {
                    continue;
                }
                if tx.send(Ok(event)).await.is_err() {
                    return;
                }
            }
        }
        tracing::info!(device = %device.id, "device stream closed");
    });
    let events: ReceiverStream<Result<Event, Infallible>> = ReceiverStream::new(rx);
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::new().interval(STREAM_KEEP_ALIVE))
        .into_response())
}

/// The event of a challenge announced without its envelope (through PostgreSQL): read and
/// signed here. Empty when the login or its account is gone.
async fn stored_challenge(state: &AppState, login_id: &str) -> Vec<(String, Event)> {
    let Ok(Some(login)) = state.db.login_by_id(login_id).await else {
        return Vec::new();
    };
    let Ok(Some(user)) = state.db.user_by_id(&login.user_id).await else {
        return Vec::new();
    };
    sign_challenge(state, &login, &user.email)
        .map(|envelope| vec![(login.id.clone(), event(&envelope))])
        .unwrap_or_default()
}

/// A `challenge` event with an envelope already encoded as JSON.
fn challenge_event(json: &str) -> Event {
    Event::default().event("challenge").data(json)
}

fn event(envelope: &SignedEnvelope) -> Event {
    Event::default()
        .event("challenge")
        .json_data(envelope)
        .unwrap_or_else(|_| Event::default().comment("unencodable challenge"))
}

/// `POST /api/v1/challenges/{id}/answer`: a device-signed `deny` or `seen`.
async fn answer(
    State(state): State<Arc<AppState>>,
    AuthedDevice(device): AuthedDevice,
    Path(id): Path<String>,
    body: Result<Json<SignedEnvelope>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let envelope = json_body(body)?;
    let key = decode_public_key(&device.public_key).map_err(|_| AppError::Corrupt("device key"))?;
    let answer: ChallengeAnswer = envelope.open(&key).map_err(|_| {
        tracing::warn!(device = %device.id, "answer refused: signature or payload invalid");
        AppError::InvalidRequest("answer signature or payload invalid")
    })?;
    if answer.challenge_id.as_str() != id || answer.device_id.as_str() != device.id {
        return Err(AppError::InvalidRequest("answer is for another challenge or device").into());
    }
    if answer.check_timestamp(now_u64(&state)).is_err() {
        tracing::info!(device = %device.id, "answer refused: timestamp outside ±{ANSWER_MAX_SKEW_SECS} s");
        return Err(AppError::Conflict("answer timestamp outside the allowed skew").into());
    }
    let nonce = answer.answer_nonce.to_hex();
    match login::answer::answer(&state, &device, &id, nonce, answer.decision).await? {
        AnswerOutcome::NotFound => return Err(AppError::NotFound.into()),
        AnswerOutcome::Replayed => {
            tracing::warn!(device = %device.id, login = %id, "answer refused: replayed nonce");
            return Err(AppError::Conflict("answer replayed").into());
        }
        AnswerOutcome::NotOpen => {
            return Err(AppError::Conflict("challenge is no longer open").into());
        }
        AnswerOutcome::Denied { ip } => {
            tracing::warn!(user = %device.user_id, login = %id, device = %device.id, %ip, "login denied on the device: suspicious attempt");
        }
        AnswerOutcome::Seen => {
            tracing::info!(login = %id, device = %device.id, "code shown on device");
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt as _;

    use crate::web::app;
    use crate::web::tests::{body_text, state};

    #[tokio::test]
    async fn device_endpoints_need_a_device_token() {
        let (state, _dir) = state().await;
        for path in ["/api/v1/device/challenges", "/api/v1/device/stream"] {
            let response = app(state.clone())
                .oneshot(
                    Request::get(path)
                        .header(header::AUTHORIZATION, "Bearer unknown")
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
            assert!(body_text(response).await.contains("\"unauthorized\""));
        }
    }

    #[tokio::test]
    async fn malformed_registration_is_a_json_400() {
        let (state, _dir) = state().await;
        let response = app(state)
            .oneshot(
                Request::post("/api/v1/devices")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from("{\"enroll_token\": 1}"))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(body_text(response).await.contains("\"invalid_request\""));
    }

    #[tokio::test]
    async fn challenge_is_signed_by_the_portal_key() {
        use crate::storage::logins::{Login, LoginStatus};
        use zweifaktor_protocol::messages::Challenge;
        let (state, _dir) = state().await;
        let login = Login {
            id: "00000000-0000-4000-8000-000000000001".into(),
            user_id: "u".into(),
            nonce: "ab".repeat(32),
            status: LoginStatus::Pending,
            wrong_codes: 0,
            seen: false,
            ip: "192.0.2.1".into(),
            user_agent: "Firefox".into(),
            created_at: 1_700_000_000,
            expires_at: 1_700_000_300,
        };
        let envelope = super::sign_challenge(&state, &login, "a@example.org").unwrap();
        let key = state.keys.signing_key().verifying_key();
        let challenge: Challenge = envelope.open(&key).unwrap();
        assert_eq!(challenge.nonce.to_hex(), "ab".repeat(32));
        assert_eq!(challenge.context.ip, "192.0.2.1");
        assert_eq!(challenge.context.portal, "https://portal.example");
        challenge.check_fresh(1_700_000_010).unwrap();
        let other = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
        assert!(envelope.open::<Challenge>(&other).is_err());
    }
}
