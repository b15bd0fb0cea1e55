//! The privacyIDEA push token end to end against the fake `/ttype/push` in `test_server`:
//! enroll, poll, every answer, and each thing a server (or someone in its place) can get
//! wrong.

use std::path::Path;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::test_server::{DISPLAY_CODE, FakePi, Fault, Mode, QUESTION, SERIAL};
use super::{PiEnrollment, TlsWarning, register};
use crate::Authenticator;
use crate::clock::FixedClock;
use crate::error::CoreError;
use crate::pin::Pin;
use crate::push::{Ask, PushAnswer, PushError, flow};
use crate::vault::KdfProfile;

/// A nonce as privacyIDEA makes them (base32 of 20 bytes).
const NONCE: &str = "GZUKJHN4U5JYVGCLWQ5BPCRXDNJQ3TNH";

/// When the tests run (2026-12-02).
const NOW: u64 = 1_796_182_664;

/// A plain TOTP account next to the token (RFC 4648 base32 of "Hello!\xde\xad\xbe\xef").
const GITHUB: &str = "otpauth://totp/GitHub:erika?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

fn pin() -> Pin {
    Pin::new(Zeroizing::new("274951".into())).unwrap()
}

/// A fresh vault.
fn vault(dir: &Path) -> Authenticator {
    Authenticator::create(
        &dir.join("vault.json"),
        "erika@example.org",
        &pin(),
        KdfProfile::TESTING,
        Arc::new(FixedClock::new(NOW)),
    )
    .unwrap()
}

/// Enrolls the fake's token into `auth`.
async fn enroll(auth: &mut Authenticator, fake: &FakePi) {
    let link = fake.link();
    auth.preview_pi_link(&link).unwrap();
    let enrollment = tokio::task::spawn_blocking(move || PiEnrollment::prepare(&link))
        .await
        .unwrap()
        .unwrap();
    let registered = register(&enrollment).await.unwrap();
    auth.finish_pi_enrollment(enrollment, registered).unwrap();
}

/// A vault with the fake's token enrolled.
async fn enrolled(dir: &Path, fake: &FakePi) -> Authenticator {
    let mut auth = vault(dir);
    enroll(&mut auth, fake).await;
    auth
}

/// The vault in `dir` opened again, as after a restart.
fn reopened(dir: &Path) -> Authenticator {
    Authenticator::unlock(
        &dir.join("vault.json"),
        &pin(),
        Arc::new(FixedClock::new(NOW)),
    )
    .unwrap()
}

#[tokio::test]
async fn enrollment_pins_the_server_key_and_survives_a_restart() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    assert!(fake.enrolled());
    let tokens = auth.push_tokens();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].serial, SERIAL);
    assert_eq!(tokens[0].kind, "privacyIDEA push");
    assert_eq!(tokens[0].label, format!("privacyIDEA: {SERIAL}"));
    assert_eq!(
        tokens[0].avatar.initial, "P",
        "drawn like an account of that issuer"
    );
    drop(auth);

    let again = reopened(dir.path());
    assert_eq!(again.push_tokens(), tokens);
    assert_eq!(again.push_sources().len(), 1);
    let debug = format!("{:?}", again.keyring().push_tokens());
    assert!(!debug.contains("MII"), "{debug}");
}

#[tokio::test]
async fn the_preview_names_the_server_and_warns_about_plain_http() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let preview = vault(dir.path()).preview_pi_link(&fake.link()).unwrap();
    assert_eq!(preview.server, fake.url);
    assert_eq!(preview.kind, "privacyIDEA push");
    assert_eq!(preview.tls_warning, Some(TlsWarning::PlainHttp));
}

#[tokio::test]
async fn a_second_enrollment_of_the_same_token_is_refused_before_any_key_is_made() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    assert!(matches!(
        auth.preview_pi_link(&fake.link()),
        Err(CoreError::Push(PushError::DuplicateToken { .. }))
    ));
}

#[tokio::test]
async fn a_used_credential_is_refused_by_the_server() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let _auth = enrolled(dir.path(), &fake).await;
    let enrollment = PiEnrollment::prepare(&fake.link()).unwrap();
    assert!(matches!(
        register(&enrollment).await,
        Err(PushError::EnrollTokenRefused)
    ));
}

#[test]
fn links_that_cannot_be_enrolled_are_refused_in_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let auth = vault(dir.path());
    let link = "otpauth://pipush/PIPU1?url=https%3A//pi.example.org/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=ab&v=1&serial=PIPU1&sslverify=0&poll_only=True";
    assert!(matches!(
        auth.preview_pi_link(link),
        Err(CoreError::Push(PushError::InsecureTls { .. }))
    ));
    let firebase = link
        .replace("sslverify=0", "sslverify=1")
        .replace("poll_only=True", "poll_only=False");
    assert!(matches!(
        auth.preview_pi_link(&firebase),
        Err(CoreError::PiLink(_))
    ));
}

#[tokio::test]
async fn a_challenge_is_polled_verified_and_accepted_once() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    fake.open(NONCE, Mode::Standard);

    let fetched = flow::fetch_all(&auth, None).await.unwrap();
    assert!(fetched.refused.is_empty() && fetched.failed.is_empty());
    let challenge = fetched.challenges.into_iter().next().unwrap();
    assert_eq!(challenge.info.id, NONCE);
    assert_eq!(challenge.info.protocol, "privacyidea");
    assert_eq!(challenge.info.question.as_deref(), Some(QUESTION));
    assert_eq!(challenge.info.title.as_deref(), Some("privacyIDEA"));
    assert!(matches!(challenge.ask, Ask::ApproveOrDecline));

    let shown = flow::answer(&auth, challenge.clone(), PushAnswer::Accept)
        .await
        .unwrap();
    assert!(shown.code.is_none());
    assert_eq!(fake.outcome(NONCE).as_deref(), Some("accept"));

    // The same signed answer again: privacyIDEA records nothing (`value: false`).
    assert!(matches!(
        flow::answer(&auth, challenge, PushAnswer::Accept).await,
        Err(CoreError::Push(PushError::AnswerNotRecorded))
    ));
}

#[tokio::test]
async fn a_decline_is_signed_with_a_reason_only_when_the_server_advertises_it() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;

    fake.open(NONCE, Mode::Standard);
    flow::answer_by_id(&auth, NONCE, PushAnswer::Deny, None)
        .await
        .unwrap();
    assert_eq!(fake.outcome(NONCE).as_deref(), Some("declined"));

    fake.advertise_capabilities();
    let second = fake.open("AAAAJHN4U5JYVGCLWQ5BPCRXDNJQ3TNH", Mode::Standard);
    flow::answer_by_id(&auth, &second, PushAnswer::Deny, None)
        .await
        .unwrap();
    assert_eq!(
        fake.outcome(&second).as_deref(),
        Some("decline:unknown_trigger")
    );
}

#[tokio::test]
async fn a_presence_challenge_takes_the_right_option_only() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    let options: Vec<String> = ["B", "Q", "X"].map(String::from).to_vec();
    fake.open(
        NONCE,
        Mode::Presence {
            options: options.clone(),
            correct: "Q".into(),
        },
    );
    let challenge = flow::fetch_all(&auth, None)
        .await
        .unwrap()
        .take(NONCE)
        .unwrap();
    assert!(matches!(&challenge.ask, Ask::PickNumber { options: o } if *o == options));

    assert!(matches!(
        flow::answer(
            &auth,
            challenge.clone(),
            PushAnswer::AcceptNumber("Z".into())
        )
        .await,
        Err(CoreError::Push(PushError::NumberNotOffered { .. }))
    ));
    assert!(matches!(
        flow::answer(
            &auth,
            challenge.clone(),
            PushAnswer::AcceptNumber("B".into())
        )
        .await,
        Err(CoreError::Push(PushError::AnswerNotRecorded))
    ));
    assert_eq!(fake.outcome(NONCE), None);
    flow::answer(&auth, challenge, PushAnswer::AcceptNumber("Q".into()))
        .await
        .unwrap();
    assert_eq!(fake.outcome(NONCE).as_deref(), Some("accept"));
}

#[tokio::test]
async fn code_to_phone_shows_the_code_from_the_servers_answer() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    fake.open(NONCE, Mode::CodeToPhone);
    let shown = flow::answer_by_id(&auth, NONCE, PushAnswer::Accept, None)
        .await
        .unwrap();
    assert_eq!(shown.code.unwrap().as_str(), DISPLAY_CODE);
}

#[tokio::test]
async fn a_tampered_challenge_is_refused_and_never_shown() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    fake.open(NONCE, Mode::Standard);
    fake.fault(Fault::Tampered);
    let fetched = flow::fetch_all(&auth, None).await.unwrap();
    assert!(fetched.challenges.is_empty());
    assert_eq!(fetched.refused.len(), 1);
    assert!(matches!(
        fetched.refused[0].error,
        PushError::ForgedChallenge
    ));
    assert!(matches!(
        flow::answer_by_id(&auth, NONCE, PushAnswer::Accept, None).await,
        Err(CoreError::Push(PushError::UnknownChallenge { .. }))
    ));
    assert_eq!(fake.outcome(NONCE), None);
}

#[tokio::test]
async fn a_challenge_for_another_serial_is_refused() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    fake.open(NONCE, Mode::Standard);
    fake.fault(Fault::WrongSerial);
    let fetched = flow::fetch_all(&auth, None).await.unwrap();
    assert!(fetched.challenges.is_empty());
    assert!(matches!(fetched.refused[0].error, PushError::WrongAccount));
}

#[tokio::test]
async fn an_oversized_poll_answer_fails_at_the_bound() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    fake.fault(Fault::Oversized);
    let fetched = flow::fetch_all(&auth, None).await.unwrap();
    assert!(matches!(
        fetched.failed[0].error,
        PushError::TooLarge {
            limit: crate::push::limit::MAX_RESPONSE_BYTES
        }
    ));
}

#[tokio::test]
async fn the_poll_is_signed_and_a_forged_poll_is_refused_by_the_server() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let auth = enrolled(dir.path(), &fake).await;
    flow::fetch_all(&auth, None).await.unwrap();
    assert_eq!(fake.polls(), 1);
    // Another phone key at the server: our signatures no longer verify there.
    let (other, _) = zweifaktor_protocol::pipush::DeviceKey::generate().unwrap();
    fake.state.lock().unwrap().phone_key = Some(
        zweifaktor_protocol::pipush::ServerKey::from_base64(
            &other.public_key_for_server().unwrap(),
        )
        .unwrap(),
    );
    let fetched = flow::fetch_all(&auth, None).await.unwrap();
    assert!(matches!(
        fetched.failed[0].error,
        PushError::Refused { status: 400 }
    ));
}

/// Removing a token: gone from the list and from the file, no poll asks for it any more, a
/// challenge fetched before cannot be answered, and a second removal is a typed error.
#[tokio::test]
async fn a_deleted_token_is_gone_for_good_and_no_longer_polled() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut auth = enrolled(dir.path(), &fake).await;
    auth.add_account(GITHUB).unwrap();
    let id = auth.push_tokens()[0].id.clone();
    fake.open(NONCE, Mode::Standard);
    let challenge = flow::fetch_all(&auth, None)
        .await
        .unwrap()
        .take(NONCE)
        .unwrap();
    let polls = fake.polls();

    let removed = auth.delete_push_token(&id).unwrap();
    assert_eq!(
        (removed.id.clone(), removed.serial.as_str()),
        (id.clone(), SERIAL)
    );
    assert!(auth.push_tokens().is_empty());
    assert!(auth.push_sources().is_empty());
    assert_eq!(auth.accounts().len(), 1, "the accounts stay");
    assert!(matches!(
        flow::fetch_all(&auth, None).await,
        Err(CoreError::Push(PushError::NoPushAccount))
    ));
    assert_eq!(fake.polls(), polls, "nothing asks the server for it");
    assert!(matches!(
        flow::answer(&auth, challenge, PushAnswer::Accept).await,
        Err(CoreError::UnknownAccount { .. })
    ));
    assert_eq!(fake.outcome(NONCE), None, "its key is gone with it");
    assert!(matches!(
        auth.delete_push_token(&id),
        Err(CoreError::UnknownAccount { .. })
    ));
    drop(auth);

    let again = reopened(dir.path());
    assert!(again.push_tokens().is_empty());
    assert!(again.push_sources().is_empty());
    assert_eq!(again.accounts().len(), 1);
}

/// Regression: the undo of a failed delete put the token at the end of the list.
#[tokio::test]
async fn a_delete_that_cannot_be_saved_keeps_the_token_in_its_place() {
    let first = FakePi::start().await.unwrap();
    let second = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut auth = enrolled(dir.path(), &first).await;
    enroll(&mut auth, &second).await;
    let before = auth.push_tokens();
    assert_eq!(before.len(), 2);
    let path = dir.path().join("vault.json");
    let file_before = std::fs::read(&path).unwrap();
    // The save writes FILE.tmp first; a folder in its place makes it fail, even for root.
    let tmp = dir.path().join("vault.json.tmp");
    std::fs::create_dir(&tmp).unwrap();
    std::fs::write(tmp.join("x"), b"x").unwrap();

    assert!(matches!(
        auth.delete_push_token(&before[0].id),
        Err(CoreError::Vault(_))
    ));
    assert_eq!(auth.push_tokens(), before);
    assert_eq!(auth.push_sources().len(), 2);
    assert_eq!(std::fs::read(&path).unwrap(), file_before);
}

/// Accounts and push tokens are two lists: each removal takes only an id of its own list.
#[tokio::test]
async fn an_account_is_no_push_token_and_a_push_token_no_account() {
    let fake = FakePi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut auth = enrolled(dir.path(), &fake).await;
    let account = auth.add_account(GITHUB).unwrap().id;
    let token = auth.push_tokens()[0].id.clone();
    assert!(matches!(
        auth.delete_push_token(&account),
        Err(CoreError::UnknownAccount { .. })
    ));
    assert!(matches!(
        auth.delete(&token),
        Err(CoreError::UnknownAccount { .. })
    ));
    assert_eq!((auth.accounts().len(), auth.push_tokens().len()), (1, 1));
}
