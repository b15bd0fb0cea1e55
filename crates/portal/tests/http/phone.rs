//! The phone side for the tests: registers with an enrollment URI, fetches and verifies
//! challenges, computes their codes and answers them, using only the protocol crate.

use ed25519_dalek::{SigningKey, VerifyingKey};
use zweifaktor_protocol::messages::{
    AnswerNonce, Challenge, ChallengeAnswer, ChallengeId, ChallengeList, Decision, DeviceId,
    DeviceRegistered, EnrollToken, Platform, ProtocolV1, RegisterDevice,
};
use zweifaktor_protocol::otp::zweifaktor_code;
use zweifaktor_protocol::{OtpAuthUri, Seed, SignedEnvelope};

/// The enrollment URI shown on a page (`<code class="uri">`), unescaped.
pub fn uri_from_page(html: &str) -> String {
    let start = html
        .find("<code class=\"uri\">")
        .expect("page shows the URI")
        + 18;
    let end = html[start..].find("</code>").unwrap();
    html[start..start + end]
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// A registered test device.
pub struct Phone {
    pub key: SigningKey,
    pub seed: Seed,
    pub portal_key: VerifyingKey,
    pub device_id: String,
    pub token: String,
    pub base: String,
    pub enroll_token: String,
}

/// A new random device key.
pub fn device_key() -> SigningKey {
    SigningKey::from_bytes(&rand::random::<[u8; 32]>())
}

/// Sends a registration for `enroll_token` with `key`; returns the raw response.
pub async fn register_raw(base: &str, enroll_token: &str, key: &SigningKey) -> reqwest::Response {
    register_with_push(base, enroll_token, key, None).await
}

/// Sends a registration that carries a wake-up push token.
pub async fn register_with_push(
    base: &str,
    enroll_token: &str,
    key: &SigningKey,
    push_token: Option<&str>,
) -> reqwest::Response {
    let body = RegisterDevice {
        enroll_token: EnrollToken::new(enroll_token.to_string()),
        device_key: key.verifying_key(),
        label: "Testtelefon".into(),
        platform: Platform::Headless,
        push_token: push_token.map(str::to_string),
    };
    reqwest::Client::new()
        .post(format!("{base}/api/v1/devices"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

impl Phone {
    /// Registers with the portal named in `uri`.
    pub async fn enroll(uri: &str) -> Self {
        let parsed = OtpAuthUri::parse(uri).unwrap();
        let zf = parsed.zweifaktor.unwrap();
        let base = zf.portal_url.trim_end_matches('/').to_string();
        let key = device_key();
        let enroll_token = zf.enroll_token.expose_secret().to_string();
        let response = register_raw(&base, &enroll_token, &key).await;
        assert_eq!(response.status(), 201);
        let registered: DeviceRegistered = response.json().await.unwrap();
        Self {
            key,
            seed: parsed.seed,
            portal_key: zf.portal_key,
            device_id: registered.device_id.to_string(),
            token: registered.device_token.expose_secret().to_string(),
            base,
            enroll_token,
        }
    }

    /// `GET /api/v1/device/challenges` with this device's token.
    pub async fn fetch(&self) -> reqwest::Response {
        reqwest::Client::new()
            .get(format!("{}/api/v1/device/challenges", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    /// The open challenges, each verified with the pinned portal key (newest first).
    pub async fn challenges(&self) -> Vec<Challenge> {
        let response = self.fetch().await;
        assert_eq!(response.status(), 200);
        let list: ChallengeList = response.json().await.unwrap();
        list.challenges
            .iter()
            .map(|e| {
                e.open::<Challenge>(&self.portal_key)
                    .expect("challenge signature verifies")
            })
            .collect()
    }

    /// The security code of `challenge`.
    pub fn code(&self, challenge: &Challenge) -> String {
        zweifaktor_code(&self.seed, &challenge.nonce.0)
            .unwrap()
            .as_str()
            .to_string()
    }

    /// An answer signed by this device.
    pub fn answer(&self, challenge_id: &str, decision: Decision, timestamp: u64) -> SignedEnvelope {
        let answer = ChallengeAnswer {
            v: ProtocolV1,
            challenge_id: ChallengeId::parse(challenge_id).unwrap(),
            device_id: DeviceId::parse(&self.device_id).unwrap(),
            decision,
            timestamp,
            answer_nonce: AnswerNonce(rand::random::<[u8; 16]>()),
        };
        SignedEnvelope::sign(&answer, &self.key).unwrap()
    }

    /// Posts `envelope` as the answer to `challenge_id`.
    pub async fn send_answer(
        &self,
        challenge_id: &str,
        envelope: &SignedEnvelope,
    ) -> reqwest::Response {
        reqwest::Client::new()
            .post(format!(
                "{}/api/v1/challenges/{challenge_id}/answer",
                self.base
            ))
            .bearer_auth(&self.token)
            .json(envelope)
            .send()
            .await
            .unwrap()
    }
}

/// A phone registered for a new, already enrolled account `email` with password `pw`,
/// through an enrollment URI straight from the account functions (no browser flow).
pub async fn registered_phone(portal: &crate::common::Portal, email: &str, pw: &str) -> Phone {
    let id = portal.add_user(email, pw, true).await;
    let user = portal.state.db.user_by_id(&id).await.unwrap().unwrap();
    let uri = zweifaktor_portal::accounts::enrollment_uri(&portal.state, &user)
        .await
        .unwrap();
    Phone::enroll(&uri).await
}

impl Phone {
    /// Opens `GET /api/v1/device/stream` with this device's token.
    pub async fn stream(&self) -> reqwest::Response {
        reqwest::Client::new()
            .get(format!("{}/api/v1/device/stream", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }
}

/// Reads `stream` until it has sent a `challenge` event (`true`) or ended (`false`), failing
/// the test if neither happens within `limit`.
pub async fn next_challenge_or_end(
    stream: &mut reqwest::Response,
    limit: std::time::Duration,
) -> bool {
    let mut received = String::new();
    loop {
        let chunk = tokio::time::timeout(limit, stream.chunk())
            .await
            .expect("the stream neither sent a challenge nor ended in time");
        match chunk {
            Ok(Some(bytes)) => {
                received.push_str(&String::from_utf8_lossy(&bytes));
                if received.contains("event: challenge") && received.contains("\n\n") {
                    return true;
                }
            }
            Ok(None) | Err(_) => return false,
        }
    }
}
