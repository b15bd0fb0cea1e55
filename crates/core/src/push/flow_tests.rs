//! The shared flow on a made-up protocol (`test_source`): one failing source next to one that
//! answers, unknown and expired ids, numbers not offered, and what each answer sends.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use zeroize::Zeroizing;

use super::test_source::{FakeSource, Outbox, challenge, refused};
use super::{Ask, PushAnswer, PushError, PushSource, answer, fetch_all, fetch_sources};
use crate::Authenticator;
use crate::clock::FixedClock;
use crate::error::CoreError;
use crate::pin::Pin;
use crate::vault::KdfProfile;

const NOW: u64 = 1_764_000_000;

fn numbers() -> Ask {
    Ask::PickNumber {
        options: vec!["17".into(), "42".into(), "93".into()],
    }
}

/// An unlocked vault without push accounts, on a clock standing at [`NOW`].
fn vault(dir: &std::path::Path) -> (Authenticator, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(NOW));
    let pin = Pin::new(Zeroizing::new("274951".to_owned())).unwrap();
    let auth = Authenticator::create(
        &dir.join("vault.json"),
        "erika@example.org",
        &pin,
        KdfProfile::TESTING,
        clock.clone(),
    )
    .unwrap();
    (auth, clock)
}

#[tokio::test]
async fn a_failing_source_hides_no_other_sources_challenges() {
    let outbox = Outbox::default();
    let down = FakeSource::new("Down:erika", vec![Err(PushError::Refused { status: 503 })]);
    let up = FakeSource::new(
        "Up:erika",
        vec![Ok(vec![
            Ok(challenge(
                "a",
                Ask::ApproveOrDecline,
                NOW,
                NOW + 60,
                &outbox,
            )),
            refused(None, PushError::ForgedChallenge),
        ])],
    );
    let sources: Vec<Arc<dyn PushSource>> = vec![down, up];
    let fetched = fetch_sources(&sources, &FixedClock::new(NOW)).await;
    assert_eq!(fetched.challenges.len(), 1);
    assert_eq!(fetched.challenges[0].info.id, "a");
    assert_eq!(fetched.failed.len(), 1);
    assert_eq!(fetched.failed[0].label, "Down:erika");
    assert!(matches!(
        fetched.failed[0].error,
        PushError::Refused { status: 503 }
    ));
    assert_eq!(fetched.refused.len(), 1, "refused, reported, not shown");
    assert_eq!(fetched.refused[0].label, "Up:erika");
}

#[tokio::test]
async fn an_unknown_id_is_unknown_and_a_failed_source_is_named_instead() {
    let outbox = Outbox::default();
    let up = || {
        FakeSource::new(
            "Up:erika",
            vec![Ok(vec![Ok(challenge(
                "a",
                Ask::ApproveOrDecline,
                NOW,
                NOW + 60,
                &outbox,
            ))])],
        ) as Arc<dyn PushSource>
    };
    let fetched = fetch_sources(&[up()], &FixedClock::new(NOW)).await;
    assert!(matches!(
        fetched.take("b"),
        Err(PushError::UnknownChallenge { id }) if id == "b"
    ));
    let down = FakeSource::new("Down:erika", vec![Err(PushError::Malformed)]);
    let fetched = fetch_sources(&[up(), down], &FixedClock::new(NOW)).await;
    assert!(
        matches!(fetched.take("b"), Err(PushError::Malformed)),
        "the challenge may be at the server that could not be asked"
    );
}

#[tokio::test]
async fn an_id_refused_as_expired_is_expired_not_unknown() {
    let stale = zweifaktor_protocol::messages::MessageError::ChallengeExpired {
        expires_at: NOW - 1,
        now: NOW,
    };
    let source = FakeSource::new(
        "Up:erika",
        vec![Ok(vec![refused(Some("old"), PushError::Stale(stale))])],
    );
    let fetched = fetch_sources(&[source as Arc<dyn PushSource>], &FixedClock::new(NOW)).await;
    assert!(matches!(
        fetched.take("old"),
        Err(PushError::Expired { id }) if id == "old"
    ));
}

#[tokio::test]
async fn newest_picks_the_latest_login_and_none_is_no_challenge() {
    let outbox = Outbox::default();
    let source = FakeSource::new(
        "Up:erika",
        vec![
            Ok(vec![
                Ok(challenge("1", Ask::SecurityCode, NOW, NOW + 300, &outbox)),
                Ok(challenge(
                    "2",
                    Ask::SecurityCode,
                    NOW + 40,
                    NOW + 300,
                    &outbox,
                )),
                Ok(challenge(
                    "3",
                    Ask::ApproveOrDecline,
                    NOW + 10,
                    NOW + 300,
                    &outbox,
                )),
            ]),
            Ok(Vec::new()),
        ],
    );
    let sources: Vec<Arc<dyn PushSource>> = vec![source];
    let clock = FixedClock::new(NOW);
    let newest = fetch_sources(&sources, &clock).await.newest().unwrap();
    assert_eq!(newest.info.id, "2");
    assert!(matches!(
        fetch_sources(&sources, &clock).await.newest(),
        Err(PushError::NoChallenge)
    ));
}

#[tokio::test]
async fn a_number_not_offered_is_refused_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (auth, _) = vault(dir.path());
    let outbox = Outbox::default();
    let asked = challenge("n", numbers(), NOW, NOW + 60, &outbox);
    let err = answer(&auth, asked.clone(), PushAnswer::AcceptNumber("41".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoreError::Push(PushError::NumberNotOffered { ref number }) if number == "41"),
        "{err:?}"
    );
    let err = answer(&auth, asked.clone(), PushAnswer::Accept)
        .await
        .unwrap_err();
    assert!(matches!(err, CoreError::Push(PushError::AnswerNotOffered)));
    assert!(outbox.lock().unwrap().is_empty());
    answer(&auth, asked, PushAnswer::AcceptNumber("42".into()))
        .await
        .unwrap();
    assert_eq!(
        *outbox.lock().unwrap(),
        [("n".to_owned(), PushAnswer::AcceptNumber("42".into()))]
    );
}

#[tokio::test]
async fn an_answer_after_expiry_is_refused_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (auth, clock) = vault(dir.path());
    let outbox = Outbox::default();
    let asked = challenge("x", Ask::ApproveOrDecline, NOW, NOW + 60, &outbox);
    clock.set(NOW + 60);
    for reply in [PushAnswer::Accept, PushAnswer::Deny] {
        let err = answer(&auth, asked.clone(), reply).await.unwrap_err();
        assert!(
            matches!(err, CoreError::Push(PushError::Expired { ref id }) if id == "x"),
            "{err:?}"
        );
    }
    assert!(outbox.lock().unwrap().is_empty());
    clock.set(NOW + 59);
    answer(&auth, asked, PushAnswer::Deny).await.unwrap();
    assert_eq!(
        *outbox.lock().unwrap(),
        [("x".to_owned(), PushAnswer::Deny)]
    );
}

#[tokio::test]
async fn a_code_from_the_server_is_shown_and_accepting_it_sends_accept() {
    let dir = tempfile::tempdir().unwrap();
    let (auth, _) = vault(dir.path());
    let outbox = Outbox::default();
    let code = super::ServerCode::new(Zeroizing::new("918273".into()));
    let asked = challenge("c", Ask::ShowCode { code }, NOW, NOW + 60, &outbox);
    let shown = super::show(&auth, asked.clone()).await.unwrap();
    assert_eq!(shown.code.unwrap().as_str(), "918273");
    assert!(outbox.lock().unwrap().is_empty(), "showing sends nothing");
    let accepted = answer(&auth, asked, PushAnswer::Accept).await.unwrap();
    assert!(accepted.code.is_none());
    assert_eq!(
        *outbox.lock().unwrap(),
        [("c".to_owned(), PushAnswer::Accept)]
    );
}

#[tokio::test]
async fn a_vault_without_push_accounts_has_nothing_to_fetch() {
    let dir = tempfile::tempdir().unwrap();
    let (auth, _) = vault(dir.path());
    let err = fetch_all(&auth, None).await.unwrap_err();
    assert!(matches!(err, CoreError::Push(PushError::NoPushAccount)));
    assert_eq!(PushError::NoPushAccount.code(), "no_portal");
}
