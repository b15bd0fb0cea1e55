//! Who may see a seed (issue 9, finding 1): the very first enrollment of an account that never
//! had a device, or a session that has passed the second factor; nobody with the password
//! alone once the account has had a device.

use crate::common::{
    Portal, browser, enrolled, get, login, login_with_phone, newest, page, post_form,
    recovery_codes, submit_code, wrong_code,
};
use crate::phone::{Phone, uri_from_page};

/// Whether a page carries a seed in any form: the enrollment URI or its QR code.
fn shows_a_seed(html: &str) -> bool {
    html.contains("otpauth://") || html.contains("<svg role=\"img\"")
}

/// Regression (issue 9, finding 1): removing the last device marked the account "must
/// enroll", registering a new phone from the dashboard left the mark, and a password-only
/// login was then sent to `/enroll`, which showed the new phone's seed. Now the attacker with
/// the password is refused at every step: the code page shows no seed, `/enroll` and the
/// dashboard's enrollment are closed, wrong codes do not help, and the owner's new phone
/// keeps working.
#[tokio::test]
async fn the_password_alone_never_reaches_the_seed_after_the_last_device_was_replaced() {
    let portal = Portal::start().await;
    let email = "seed@example.org";
    let (owner, old_phone) = enrolled(&portal, email).await;

    // The owner removes the only phone; the dashboard offers a new one at once.
    let dashboard = page(&portal, &owner, "/dashboard").await;
    let removed = post_form(
        &portal,
        &owner,
        &format!("/devices/{}/remove", old_phone.device_id),
        &dashboard,
        &[],
    )
    .await;
    assert_eq!(removed.url().path(), "/dashboard");
    let offered = removed.text().await.unwrap();
    assert!(
        shows_a_seed(&offered),
        "the owner, past the second factor, sees the new seed"
    );
    let new_phone = Phone::enroll(&uri_from_page(&offered)).await;
    let user = portal.user(email).await;
    assert!(!user.must_enroll, "the registration ended the enrollment");
    let after = page(&portal, &owner, "/dashboard").await;
    post_form(&portal, &owner, "/logout", &after, &[]).await;

    // The attacker knows the password, nothing else.
    let attacker = browser();
    let answer = login(&portal, &attacker, email, "pw").await;
    assert_eq!(answer.url().path(), "/login/code", "no enrollment page");
    let code_page = answer.text().await.unwrap();
    assert!(!shows_a_seed(&code_page), "{code_page}");

    let enroll = get(&portal, &attacker, "/enroll").await;
    assert_ne!(enroll.url().path(), "/enroll");
    assert!(!shows_a_seed(&enroll.text().await.unwrap()));

    let dashboard_enroll =
        post_form(&portal, &attacker, "/dashboard/enroll", &code_page, &[]).await;
    assert_ne!(dashboard_enroll.url().path(), "/dashboard");
    assert!(!shows_a_seed(&dashboard_enroll.text().await.unwrap()));

    let challenge = newest(&new_phone).await;
    let guess = wrong_code(&portal, &new_phone, &challenge);
    let refused = submit_code(&portal, &attacker, &code_page, &guess).await;
    assert_eq!(refused.url().path(), "/login/code");
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("Sicherheitscode ist falsch") && !shows_a_seed(&refused));
    let dashboard = get(&portal, &attacker, "/dashboard").await;
    assert_eq!(dashboard.url().path(), "/login", "not logged in");

    // The owner's new phone is the second factor now. The attacker's login is still open, so
    // the owner's comes a second later: the phone answers the newest one, and logins of the
    // same second have no order.
    portal.clock.advance(1);
    let done = login_with_phone(&portal, &browser(), email, &new_phone).await;
    assert_eq!(done.url().path(), "/dashboard");
}

/// Regression (issue 9, finding 1): after `user reset-2fa` (or a recovery login) nobody has a
/// device; the password alone used to open `/enroll` with the new seed. Now it reaches the
/// code page, which says that no device is set up and points to the recovery codes; a
/// recovery code (a second factor) then shows new recovery codes and the new seed on the
/// dashboard.
#[tokio::test]
async fn without_any_device_the_password_leads_to_the_code_page_and_recovery() {
    let portal = Portal::start().await;
    let email = "reset@example.org";
    portal.add_user(email, "pw", false).await;
    let owner = browser();
    let first = login(&portal, &owner, email, "pw").await;
    assert_eq!(first.url().path(), "/enroll", "the very first enrollment");
    let first = first.text().await.unwrap();
    let phone = Phone::enroll(&uri_from_page(&first)).await;
    let codes_page = submit_code(&portal, &owner, &first, &phone.code(&newest(&phone).await))
        .await
        .text()
        .await
        .unwrap();
    let codes = recovery_codes(&codes_page);
    zweifaktor_portal::accounts::reset_2fa(&portal.state, email)
        .await
        .unwrap();

    let password_only = browser();
    let answer = login(&portal, &password_only, email, "pw").await;
    assert_eq!(answer.url().path(), "/login/code");
    let code_page = answer.text().await.unwrap();
    assert!(!shows_a_seed(&code_page));
    assert!(
        code_page.contains("kein Authentifikations-Gerät eingerichtet"),
        "{code_page}"
    );
    assert!(code_page.contains("href=\"/recovery\""));
    let enroll = get(&portal, &password_only, "/enroll").await;
    assert!(!shows_a_seed(&enroll.text().await.unwrap()));

    // The owner has a recovery code: a second factor. The reset made new codes due.
    let form = page(&portal, &password_only, "/recovery").await;
    let used = post_form(
        &portal,
        &password_only,
        "/recovery",
        &form,
        &[("code", &codes[0])],
    )
    .await
    .text()
    .await
    .unwrap();
    assert_eq!(recovery_codes(&used).len(), 10, "{used}");
    assert!(
        shows_a_seed(&page(&portal, &password_only, "/dashboard").await),
        "past the second factor the new seed is offered"
    );
}
