//! `zweifaktor_protocol::pipush` alone as privacyIDEA's phone: its link parser, RSA keys,
//! signed strings and answer readers, with plain HTTP calls around them. The same cases as
//! the device's, without the core and the vault, so that a wire-format fault shows here by
//! itself.

use std::time::{SystemTime, UNIX_EPOCH};

use zweifaktor_e2e::privacyidea::{Mode, PiUser, PrivacyIdea, Tamper, TamperProxy};
use zweifaktor_protocol::pipush::signed::answer_fields;
use zweifaktor_protocol::pipush::{
    AnswerOutcome, DeviceKey, NO_FIREBASE_TOKEN, PiAnswer, PiPushLink, PiSignatureError, ServerKey,
    VerifiedPiChallenge, answer_message, enrollment_server_key, poll_challenges, poll_message,
    poll_timestamp,
};

use crate::{QUESTION, TITLE, login_page_sees};

/// A phone made of the protocol crate: its key, the pinned server key, the token.
struct Phone {
    key: DeviceKey,
    server_key: ServerKey,
    serial: String,
    url: String,
    http: reqwest::blocking::Client,
}

impl Phone {
    /// Enrollment step 2 from `link`: a new key pair registered, the server's key pinned.
    fn enroll(link: &str) -> Self {
        let link = PiPushLink::parse(link).unwrap();
        let (key, _stored) = DeviceKey::generate().unwrap();
        let http = reqwest::blocking::Client::new();
        let body = http
            .post(&link.url)
            .form(&[
                (
                    "enrollment_credential",
                    link.enrollment_credential.expose_secret(),
                ),
                ("serial", link.serial.as_str()),
                ("fbtoken", NO_FIREBASE_TOKEN),
                ("pubkey", key.public_key_for_server().unwrap().as_str()),
            ])
            .send()
            .unwrap()
            .bytes()
            .unwrap();
        let server_key = enrollment_server_key(&body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)));
        Self {
            key,
            server_key,
            serial: link.serial,
            url: link.url,
            http,
        }
    }

    /// The signed poll, each challenge verified with the pinned key.
    fn poll(&self) -> Vec<Result<VerifiedPiChallenge, PiSignatureError>> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let timestamp = poll_timestamp(now).unwrap();
        let signature = self
            .key
            .sign(&poll_message(&self.serial, &timestamp))
            .unwrap();
        let body = self
            .http
            .get(&self.url)
            .query(&[
                ("serial", self.serial.as_str()),
                ("timestamp", timestamp.as_str()),
                ("signature", signature.as_str()),
            ])
            .send()
            .unwrap()
            .bytes()
            .unwrap();
        poll_challenges(&body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)))
            .into_iter()
            .map(|c| c.unwrap().verify(&self.server_key, &self.serial))
            .collect()
    }

    /// The one challenge the poll lists, verified, with privacyIDEA's question and title.
    fn the_challenge(&self) -> VerifiedPiChallenge {
        let mut challenges = self.poll();
        assert_eq!(challenges.len(), 1, "{challenges:?}");
        let challenge = challenges.remove(0).unwrap();
        assert_eq!(challenge.question, QUESTION);
        assert_eq!(challenge.title, TITLE);
        challenge
    }

    /// The signed answer to the challenge `nonce`; what the server made of it.
    fn answer(&self, nonce: &str, answer: &PiAnswer) -> AnswerOutcome {
        let mut fields = answer_fields(nonce, &self.serial, answer);
        fields.push((
            "signature",
            self.key
                .sign(&answer_message(nonce, &self.serial, answer))
                .unwrap(),
        ));
        let body = self
            .http
            .post(&self.url)
            .form(&fields)
            .send()
            .unwrap()
            .bytes()
            .unwrap();
        AnswerOutcome::parse(&body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)))
    }
}

/// A phone with a push token of a new user in the realm of `mode`.
fn enrolled(mode: Mode) -> (&'static PrivacyIdea, PiUser, Phone) {
    let server = PrivacyIdea::shared();
    let user = server.new_user(mode);
    let token = server.enroll(&user);
    let phone = Phone::enroll(&token.link);
    assert_eq!(server.rollout_state(&token.serial), "enrolled");
    (server, user, phone)
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn protocol_accept_logs_in_and_its_replay_is_refused() {
    let (server, user, phone) = enrolled(Mode::Standard);
    let login = server.trigger(&user);
    let challenge = phone.the_challenge();
    assert!(challenge.presence.is_none());
    let outcome = phone.answer(&challenge.nonce, &PiAnswer::Accept);
    assert!(outcome.recorded, "{outcome:?}");
    assert_eq!(outcome.display_code, None);
    login_page_sees(server, &login, true, "accept");
    // The same answer again: nothing open matches it any more.
    let again = phone.answer(&challenge.nonce, &PiAnswer::Accept);
    assert!(!again.recorded, "a replay was recorded");
    assert!(phone.poll().is_empty());
    assert!(server.finish(&user, &login, ""), "the login did not pass");
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn protocol_decline_fails_the_login() {
    let (server, user, phone) = enrolled(Mode::Standard);
    let login = server.trigger(&user);
    let challenge = phone.the_challenge();
    let outcome = phone.answer(&challenge.nonce, &PiAnswer::Decline(None));
    assert!(outcome.recorded, "{outcome:?}");
    login_page_sees(server, &login, false, "declined");
    assert!(!server.finish(&user, &login, ""), "a declined login passed");
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn protocol_presence_refuses_a_wrong_option_and_takes_the_right_one() {
    let (server, user, phone) = enrolled(Mode::Presence);
    let login = server.trigger(&user);
    let right = login.presence_answer.clone().expect("presence answer");
    let challenge = phone.the_challenge();
    let options = challenge.presence.clone().expect("presence options").0;
    assert!(options.contains(&right), "{options:?} lack {right}");
    let wrong = options.iter().find(|o| **o != right).unwrap().clone();
    let outcome = phone.answer(&challenge.nonce, &PiAnswer::Presence(wrong));
    assert!(!outcome.recorded, "a wrong option was taken");
    login_page_sees(server, &login, false, "pending");
    // The challenge stays open for the right option.
    let outcome = phone.answer(&challenge.nonce, &PiAnswer::Presence(right));
    assert!(outcome.recorded, "{outcome:?}");
    login_page_sees(server, &login, true, "accept");
    assert!(server.finish(&user, &login, ""), "the login did not pass");
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn protocol_code_to_phone_gets_the_code_that_logs_in() {
    let (server, user, phone) = enrolled(Mode::CodeToPhone);
    let login = server.trigger(&user);
    // The poll cannot tell code_to_phone from a plain push: the code comes with the answer.
    let challenge = phone.the_challenge();
    assert!(challenge.presence.is_none());
    let outcome = phone.answer(&challenge.nonce, &PiAnswer::Accept);
    assert!(outcome.recorded, "{outcome:?}");
    let code = outcome.display_code.expect("a code to show");
    assert_eq!(code.len(), 2, "{code}");
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");
    login_page_sees(server, &login, false, "pending");
    assert!(
        server.finish(&user, &login, &code),
        "the code did not log in"
    );
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn protocol_tampered_challenge_fails_its_signature() {
    let server = PrivacyIdea::shared();
    let proxy = TamperProxy::start(&server.base, Tamper::Question);
    let user = server.new_user(Mode::Standard);
    let token = server.enroll(&user);
    let phone = Phone::enroll(&proxy.route(&token.link, server));
    let login = server.trigger(&user);
    let challenges = phone.poll();
    assert_eq!(challenges.len(), 1, "{challenges:?}");
    assert!(
        matches!(challenges[0], Err(PiSignatureError::Mismatch)),
        "{challenges:?}"
    );
    login_page_sees(server, &login, false, "pending");
}
