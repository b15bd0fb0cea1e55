//! Restart safety: accounts and the signing key survive a restart on the same database.

use crate::common::{Portal, browser, login};

#[tokio::test]
async fn accounts_and_signing_key_survive_a_restart() {
    let portal = Portal::start().await;
    portal.add_user("r@example.org", "pw", true).await;
    let key_before = portal.state.keys.public_key_b64url();
    let dir = portal.stop().await;
    let again = Portal::start_in(dir).await;
    assert_eq!(again.state.keys.public_key_b64url(), key_before);
    let response = login(&again, &browser(), "r@example.org", "pw").await;
    assert_eq!(response.url().path(), "/login/code");
}

#[tokio::test]
async fn shutdown_ends_open_device_streams() {
    let portal = Portal::start().await;
    let id = portal.add_user("s@example.org", "pw", false).await;
    let user = portal.state.db.user_by_id(&id).await.unwrap().unwrap();
    let uri = zweifaktor_portal::accounts::enrollment_uri(&portal.state, &user)
        .await
        .unwrap();
    let phone = crate::phone::Phone::enroll(&uri).await;
    let mut stream = reqwest::Client::new()
        .get(portal.at("/api/v1/device/stream"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    tokio::time::timeout(std::time::Duration::from_secs(20), portal.stop())
        .await
        .expect("graceful shutdown does not wait for the stream's client");
    let end = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
        .await
        .unwrap();
    assert!(matches!(end, Ok(None) | Err(_)), "stream ended");
}
