//! Session rows only where a session exists (issue 9, finding 10), and the password change
//! ending every other session (finding 6).

use std::sync::Arc;

use reqwest::cookie::CookieStore as _;
use sqlx::Connection as _;

use crate::common::{
    Portal, browser, csrf, enrolled, get, login, login_with_phone, page, post_form,
};

/// Rows of the sessions table, read through a connection of its own.
async fn session_rows(portal: &Portal) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&portal.state.config.database_url)
        .await
        .unwrap();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    count
}

/// Regression (issue 9, finding 10): every `GET /login` stored a session row, without limit.
/// Now 1,000 of them store none; the form's CSRF token works without a row, the password
/// step creates the first one, and a form without the right token is still refused.
#[tokio::test]
async fn the_login_form_stores_no_session() {
    let portal = Portal::start().await;
    portal.add_user("rows@example.org", "pw", true).await;
    let before = session_rows(&portal).await;
    let anonymous = reqwest::Client::new();
    for _ in 0..1_000 {
        let form = anonymous.get(portal.at("/login")).send().await.unwrap();
        assert_eq!(form.status(), 200);
    }
    assert_eq!(session_rows(&portal).await, before, "no row per form");

    let answer = login(&portal, &browser(), "rows@example.org", "pw").await;
    assert_eq!(answer.url().path(), "/login/code");
    assert_eq!(session_rows(&portal).await, before + 1);

    let form = page(&portal, &anonymous, "/login").await;
    let no_cookie = anonymous
        .post(portal.at("/login"))
        .form(&[
            ("csrf", csrf(&form).as_str()),
            ("email", "rows@example.org"),
            ("password", "pw"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(no_cookie.status(), 403, "the token needs its cookie");
    let mine = browser();
    page(&portal, &mine, "/login").await;
    let foreign = mine
        .post(portal.at("/login"))
        .form(&[
            ("csrf", csrf(&form).as_str()),
            ("email", "rows@example.org"),
            ("password", "pw"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403, "another browser's token");
}

/// Expired sessions are purged by the maintenance task, not kept forever.
#[tokio::test]
async fn maintenance_purges_expired_sessions() {
    let portal = Portal::start().await;
    portal.add_user("purge@example.org", "pw", true).await;
    login(&portal, &browser(), "purge@example.org", "pw").await;
    assert_eq!(session_rows(&portal).await, 1);
    portal
        .clock
        .advance(zweifaktor_portal::storage::sessions::SESSION_MAX_SECS);
    zweifaktor_portal::maintenance(&portal.state).await.unwrap();
    assert_eq!(session_rows(&portal).await, 0);
}

/// A cookie-keeping browser whose jar the test can read.
fn browser_with_jar() -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .user_agent("zweifaktor-test-browser/1.0")
        .build()
        .unwrap();
    (client, jar)
}

/// Regression (issue 9, finding 6): changing the password left every other session of the
/// account open and kept the session id. Now the change ends the other sessions and gives
/// the changing browser a new session id, in one transaction.
#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_renews_its_own() {
    let portal = Portal::start().await;
    let email = "change@example.org";
    let (other, phone) = enrolled(&portal, email).await;
    assert_eq!(
        get(&portal, &other, "/dashboard").await.url().path(),
        "/dashboard"
    );

    let (mine, jar) = browser_with_jar();
    let done = login_with_phone(&portal, &mine, email, &phone).await;
    assert_eq!(done.url().path(), "/dashboard");
    let url = reqwest::Url::parse(&portal.url).unwrap();
    let old_cookie = jar.cookies(&url).unwrap();

    let form = page(&portal, &mine, "/password/change").await;
    let changed = post_form(
        &portal,
        &mine,
        "/password/change",
        &form,
        &[
            ("current", "pw"),
            ("new", "Ein-neues-Passwort-1"),
            ("repeat", "Ein-neues-Passwort-1"),
        ],
    )
    .await;
    assert_eq!(changed.url().path(), "/dashboard");
    assert_ne!(jar.cookies(&url).unwrap(), old_cookie, "a new session id");
    assert_eq!(
        get(&portal, &mine, "/dashboard").await.url().path(),
        "/dashboard"
    );

    let ended = get(&portal, &other, "/dashboard").await;
    assert_eq!(ended.url().path(), "/login", "the other session ended");
    let replayed = reqwest::Client::new()
        .get(portal.at("/dashboard"))
        .header("cookie", old_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.url().path(), "/login", "the old id is dead");
}
