//! A fake privacyIDEA `/ttype/push` on 127.0.0.1 for tests: it enrolls one token, lists its
//! open challenges signed with the committed test server key, and checks the phone's
//! signatures the way `privacyidea/lib/tokens/pushtoken.py` does (the strings are rebuilt
//! here independently of the client code).
//!
//! The core's own tests use it, and so do the shell's command tests through the
//! `test-pi-server` feature; the app never enables it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use zeroize::Zeroizing;
use zweifaktor_protocol::pipush::{DeviceKey, DevicePrivateKey, ServerKey};

/// The server's test key (also used by the protocol crate's unit tests).
const SERVER_PKCS8: &[u8] = include_bytes!("../../../../protocol/tests/data/pipush/server-key.pk8");

/// Its public half as privacyIDEA sends it.
const SERVER_PUBLIC: &str =
    include_str!("../../../../protocol/tests/data/pipush/server-key.pkcs1.b64");

/// The token's serial.
pub const SERIAL: &str = "PIPU0001A2B3";

/// The enrollment credential in the link.
pub const CREDENTIAL: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";

/// The question every test challenge asks.
pub const QUESTION: &str = "Do you want to confirm the login?";

/// The code a `code_to_phone` challenge returns after the accept.
pub const DISPLAY_CODE: &str = "42";

/// How a challenge wants to be answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// Accept or decline.
    Standard,
    /// Pick one of `options`; `correct` is the one the login page shows.
    Presence {
        /// The options the phone offers.
        options: Vec<String>,
        /// The one the login page names.
        correct: String,
    },
    /// Accept, then the server answers with [`DISPLAY_CODE`].
    CodeToPhone,
}

/// What the fake does wrong on purpose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fault {
    /// Nothing.
    None,
    /// The question is changed after signing.
    Tampered,
    /// The challenge is signed correctly but for another serial.
    WrongSerial,
    /// The poll answer is larger than the client's bound.
    Oversized,
}

/// One open challenge and what became of it.
#[derive(Clone, Debug)]
pub(crate) struct Open {
    pub nonce: String,
    pub mode: Mode,
    /// `None` while open; `"accept"`, `"declined"` or `"decline:REASON"` once answered.
    pub outcome: Option<String>,
}

/// The fake's state.
pub(crate) struct Inner {
    pub phone_key: Option<ServerKey>,
    pub challenges: Vec<Open>,
    pub fault: Fault,
    pub capabilities: bool,
    pub polls: usize,
}

/// A running fake; it serves until the runtime it was started on ends.
#[derive(Clone)]
pub struct FakePi {
    /// The registration URL, where polls and answers go too.
    pub url: String,
    pub(crate) state: Arc<Mutex<Inner>>,
}

impl FakePi {
    /// Starts the fake on a free loopback port of the current tokio runtime.
    ///
    /// # Errors
    /// When no loopback port can be bound.
    pub async fn start() -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(Inner {
            phone_key: None,
            challenges: Vec::new(),
            fault: Fault::None,
            capabilities: false,
            polls: 0,
        }));
        let app = Router::new()
            .route("/ttype/push", get(poll).post(post))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/ttype/push", listener.local_addr()?);
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::warn!(%error, "fake privacyIDEA stopped");
            }
        });
        Ok(Self { url, state })
    }

    /// The enrollment link for this fake (plain http, so `sslverify=0` is allowed).
    pub fn link(&self) -> String {
        let url = self.url.replace(':', "%3A");
        format!(
            "otpauth://pipush/{SERIAL}?url={url}&ttl=10&issuer=privacyIDEA&enrollment_credential={CREDENTIAL}&v=1&serial={SERIAL}&sslverify=0&poll_only=True"
        )
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        relock(&self.state)
    }

    /// Opens a challenge (as `/validate/check` would) and returns its nonce.
    pub fn open(&self, nonce: &str, mode: Mode) -> String {
        self.inner().challenges.push(Open {
            nonce: nonce.to_owned(),
            mode,
            outcome: None,
        });
        nonce.to_owned()
    }

    /// What became of the challenge `nonce`.
    pub fn outcome(&self, nonce: &str) -> Option<String> {
        self.inner()
            .challenges
            .iter()
            .find(|c| c.nonce == nonce)
            .and_then(|c| c.outcome.clone())
    }

    /// How many polls arrived so far (signed or not).
    pub fn polls(&self) -> usize {
        self.inner().polls
    }

    /// Whether a phone has registered its key (the enrollment's second step).
    pub fn enrolled(&self) -> bool {
        self.inner().phone_key.is_some()
    }

    /// Sets the fault to make.
    pub fn fault(&self, fault: Fault) {
        self.inner().fault = fault;
    }

    /// Advertises signed capabilities (`decline_reason`) from now on.
    pub fn advertise_capabilities(&self) {
        self.inner().capabilities = true;
    }
}

/// The state even if a test panicked while holding it.
fn relock(state: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The server's signer.
fn server() -> Option<DeviceKey> {
    DeviceKey::from_private(&DevicePrivateKey::from_pkcs8(Zeroizing::new(
        SERVER_PKCS8.to_vec(),
    )))
    .ok()
}

/// privacyIDEA's error answer.
fn error(code: i64, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"result": {"status": false, "error": {"code": code, "message": message}}})),
    )
        .into_response()
}

/// The answer when the committed test key cannot sign (a broken checkout).
fn broken_key() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "test server key unusable",
    )
        .into_response()
}

/// `GET /ttype/push`: the signed poll.
async fn poll(
    State(state): State<Arc<Mutex<Inner>>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut state = relock(&state);
    state.polls += 1;
    let (Some(serial), Some(timestamp), Some(signature)) = (
        query.get("serial"),
        query.get("timestamp"),
        query.get("signature"),
    ) else {
        return error(905, "Missing parameter");
    };
    let verified = state.phone_key.as_ref().is_some_and(|key| {
        key.verify(format!("{serial}|{timestamp}").as_bytes(), signature)
            .is_ok()
    });
    if serial != SERIAL || !verified {
        return error(10, "ERR10: Could not verify signature!");
    }
    if state.fault == Fault::Oversized {
        let padding = "x".repeat(crate::push::limit::MAX_RESPONSE_BYTES + 1);
        return Json(json!({"result": {"status": true, "value": []}, "padding": padding}))
            .into_response();
    }
    let Some(signer) = server() else {
        return broken_key();
    };
    let list: Option<Vec<Value>> = state
        .challenges
        .iter()
        .filter(|c| c.outcome.is_none())
        .map(|c| smartphone_data(&signer, c, state.fault, state.capabilities))
        .collect();
    match list {
        Some(list) => Json(json!({"result": {"status": true, "value": list}})).into_response(),
        None => broken_key(),
    }
}

/// The challenge as `_build_smartphone_data` makes it; `None` if signing failed.
fn smartphone_data(
    signer: &DeviceKey,
    challenge: &Open,
    fault: Fault,
    capabilities: bool,
) -> Option<Value> {
    let serial = if fault == Fault::WrongSerial {
        "PIPU0009"
    } else {
        SERIAL
    };
    let url = "http://127.0.0.1/ttype/push";
    let mut sign = format!(
        "{}|{url}|{serial}|{QUESTION}|privacyIDEA|0",
        challenge.nonce
    );
    let mut data = json!({
        "nonce": challenge.nonce, "question": QUESTION, "serial": serial,
        "title": "privacyIDEA", "sslverify": "0", "url": url,
    });
    if let Mode::Presence { options, .. } = &challenge.mode {
        let joined = options.join(",");
        sign.push('|');
        sign.push_str(&joined);
        data["require_presence"] = joined.into();
        data["version"] = "2".into();
    }
    data["signature"] = signer.sign(&sign).ok()?.into();
    if capabilities {
        data["capabilities"] = "{\"decline_reason\": true}".into();
        let canonical = format!(
            "{{\"capabilities\":{{\"decline_reason\":true}},\"nonce\":\"{}\"}}",
            challenge.nonce
        );
        data["capabilities_signature"] = signer.sign(&canonical).ok()?.into();
    }
    if fault == Fault::Tampered {
        data["question"] = "Do you want to confirm the transfer of 10,000 EUR?".into();
    }
    Some(data)
}

/// The server's public key as privacyIDEA sends it: base64 in lines of 64 characters.
fn wrapped_public_key() -> String {
    let text: Vec<char> = SERVER_PUBLIC.trim().chars().collect();
    text.chunks(64)
        .map(String::from_iter)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `POST /ttype/push`: enrollment or an answer.
async fn post(
    State(state): State<Arc<Mutex<Inner>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = relock(&state);
    if let (Some(pubkey), true) = (form.get("pubkey"), form.contains_key("fbtoken")) {
        if form.get("enrollment_credential").map(String::as_str) != Some(CREDENTIAL)
            || form.get("serial").map(String::as_str) != Some(SERIAL)
            || state.phone_key.is_some()
        {
            return error(905, "ERR905: Invalid enrollment credential.");
        }
        let Ok(phone_key) = ServerKey::from_base64(pubkey) else {
            return error(905, "ERR905: Invalid public key.");
        };
        state.phone_key = Some(phone_key);
        return Json(json!({
            "result": {"status": true, "value": true},
            "detail": {"public_key": wrapped_public_key(), "rollout_state": "enrolled", "serial": SERIAL},
        }))
        .into_response();
    }
    let (Some(signature), Some(serial)) = (form.get("signature"), form.get("serial")) else {
        return error(905, "Missing parameters!");
    };
    let Some(key) = state.phone_key.clone() else {
        return error(10, "ERR10: Could not verify signature!");
    };
    let decline = form.get("decline").is_some_and(|d| d == "1");
    let reason = form.get("decline_reason");
    let presence = form.get("presence_answer");
    let mut detail = json!({});
    let mut result = false;
    for challenge in state.challenges.iter_mut().filter(|c| c.outcome.is_none()) {
        let mut sign = format!("{}|{serial}", challenge.nonce);
        if decline {
            sign.push_str("|decline");
            if let Some(reason) = reason {
                sign.push('|');
                sign.push_str(reason);
            }
        }
        if let Some(answer) = presence {
            sign.push('|');
            sign.push_str(answer);
        }
        if key.verify(sign.as_bytes(), signature).is_err() {
            continue;
        }
        result = true;
        if decline {
            challenge.outcome = Some(match reason {
                Some(reason) => format!("decline:{reason}"),
                None => "declined".into(),
            });
        } else {
            match &challenge.mode {
                Mode::Presence { correct, .. } => {
                    if presence == Some(correct) {
                        challenge.outcome = Some("accept".into());
                    } else {
                        result = false;
                    }
                }
                Mode::CodeToPhone => {
                    challenge.outcome = Some("accept".into());
                    detail = json!({"display_code": DISPLAY_CODE, "message": "Enter the code to log in"});
                }
                Mode::Standard => challenge.outcome = Some("accept".into()),
            }
        }
        break;
    }
    Json(json!({"result": {"status": true, "value": result}, "detail": detail})).into_response()
}
