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
