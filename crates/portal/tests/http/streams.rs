//! Device event streams under a hostile or revoked device: the per-device cap and the end of
//! a revoked device's stream.

use std::time::Duration;

use zweifaktor_portal::accounts;
use zweifaktor_portal::hub::MAX_STREAMS_PER_DEVICE;

use crate::common::{Portal, browser, login};
use crate::phone::{next_challenge_or_end, registered_phone};

/// Failure bound for anything the test waits for (never asserted as a duration).
const PATIENCE: Duration = Duration::from_secs(10);

/// Regression (issue 9, finding 8): removing a device ends its open stream at once, with no
/// login needed to wake it; reconnecting is refused with 401, which the app reports as
/// "revoked".
#[tokio::test]
async fn a_removed_devices_stream_ends_at_once() {
    let portal = Portal::start().await;
    let phone = registered_phone(&portal, "removed@example.org", "pw").await;
    let mut stream = phone.stream().await;
    assert_eq!(stream.status(), 200);
    let user = portal.user("removed@example.org").await.id;
    assert!(
        portal
            .state
            .db
            .revoke_device(&user, &phone.device_id)
            .await
            .unwrap()
    );
    assert!(
        !next_challenge_or_end(&mut stream, PATIENCE).await,
        "the stream ends"
    );
    assert_eq!(phone.stream().await.status(), 401);
}

/// Regression (issue 9, finding 8): the operator's 2FA reset (and recovery, which shares it)
/// ends the streams of every device of the account.
#[tokio::test]
async fn a_second_factor_reset_ends_the_streams() {
    let portal = Portal::start().await;
    let phone = registered_phone(&portal, "reset@example.org", "pw").await;
    let mut stream = phone.stream().await;
    assert_eq!(stream.status(), 200);
    accounts::reset_2fa(&portal.state, "reset@example.org")
        .await
        .unwrap();
    assert!(!next_challenge_or_end(&mut stream, PATIENCE).await);
    assert_eq!(phone.stream().await.status(), 401);
}

/// Regression (issue 9, finding 8): one device token opening more streams than
/// [`MAX_STREAMS_PER_DEVICE`] ends its oldest; the newer ones still deliver challenges.
#[tokio::test]
async fn a_device_token_holds_a_bounded_number_of_streams() {
    let portal = Portal::start().await;
    let phone = registered_phone(&portal, "many@example.org", "pw").await;
    let mut streams = Vec::new();
    for _ in 0..MAX_STREAMS_PER_DEVICE + 2 {
        let stream = phone.stream().await;
        assert_eq!(stream.status(), 200);
        streams.push(stream);
    }
    for oldest in &mut streams[..2] {
        assert!(
            !next_challenge_or_end(oldest, PATIENCE).await,
            "the oldest streams end"
        );
    }
    login(&portal, &browser(), "many@example.org", "pw").await;
    for newer in &mut streams[2..] {
        assert!(next_challenge_or_end(newer, PATIENCE).await);
    }
}

/// Regression (issue 9, finding 8): a device removed through one instance loses its stream
/// on another at once (the revocation travels through PostgreSQL `NOTIFY`).
#[tokio::test]
#[ignore = "needs PostgreSQL: set ZF_TEST_POSTGRES_URL and run with --ignored"]
async fn a_revocation_on_one_instance_ends_a_stream_on_another() {
    assert!(
        std::env::var(crate::common::POSTGRES_ENV).is_ok(),
        "set {}",
        crate::common::POSTGRES_ENV
    );
    let a = Portal::start().await;
    let b = a.start_second().await;
    let phone = registered_phone(&a, "lb-revoke@example.org", "pw").await;
    let mut stream = phone.stream().await;
    assert_eq!(stream.status(), 200);
    let user = a.user("lb-revoke@example.org").await.id;
    assert!(
        b.state
            .db
            .revoke_device(&user, &phone.device_id)
            .await
            .unwrap()
    );
    assert!(!next_challenge_or_end(&mut stream, PATIENCE).await);
}
