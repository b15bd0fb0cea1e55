//! Wrong passwords (issue 9, finding 5): a back-off per account that grows and expires, and
//! never the permanent lock, which only failed second factors after a right password reach.

use crate::common::{Portal, browser, login};

/// Wrong passwords on one account that cost no wait.
const FREE: usize = 10;
/// The longest wait after a wrong password, in seconds.
const LONGEST_WAIT: i64 = 15 * 60;

async fn try_password(portal: &Portal, email: &str, password: &str) -> reqwest::Response {
    login(portal, &browser(), email, password).await
}

/// Regression (issue 9, finding 5): 100 wrong passwords from anyone locked the account until
/// an operator acted. Now 120 wrong passwords leave the lock counter at zero, and once the
/// back-off has expired the owner's right password goes on to the code page.
#[tokio::test]
async fn many_wrong_passwords_do_not_lock_the_owner_out() {
    let portal = Portal::start().await;
    let email = "target@example.org";
    let id = portal.add_user(email, "right", true).await;
    for attempt in 0..120 {
        portal.clock.advance(LONGEST_WAIT);
        let html = try_password(&portal, email, "wrong")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Benutzername oder Passwort ist falsch."),
            "attempt {attempt}: {html}"
        );
    }
    let user = portal.state.db.user_by_id(&id).await.unwrap().unwrap();
    assert_eq!(
        user.failures, 0,
        "wrong passwords do not count toward the lock"
    );
    assert!(!user.locked());
    portal.clock.advance(LONGEST_WAIT);
    let owner = try_password(&portal, email, "right").await;
    assert_eq!(owner.url().path(), "/login/code");
}

/// Regression (issue 9, finding 5): the per-account limit on wrong passwords was a token
/// bucket in each instance's memory that refilled every 30 seconds, whatever the number of
/// failures. Now each wrong password beyond the first ten doubles the stored wait.
#[tokio::test]
async fn the_wait_after_wrong_passwords_doubles_and_then_expires() {
    let portal = Portal::start().await;
    let email = "slow@example.org";
    portal.add_user(email, "right", true).await;
    for _ in 0..FREE {
        let answer = try_password(&portal, email, "wrong").await;
        assert_eq!(answer.status(), 200);
    }
    portal.clock.advance(30);
    assert_eq!(try_password(&portal, email, "wrong").await.status(), 200);
    portal.clock.advance(31);
    let refused = try_password(&portal, email, "right").await;
    assert_eq!(refused.status(), 429, "even the right password waits");
    let wait: i64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(wait, 29, "60 s after the eleventh wrong password");
    portal.clock.advance(wait + 1);
    let owner = try_password(&portal, email, "right").await;
    assert_eq!(owner.url().path(), "/login/code");
    portal.clock.advance(LONGEST_WAIT);
    assert_eq!(
        try_password(&portal, email, "wrong").await.status(),
        200,
        "the right password cleared the count"
    );
}
