//! Push against the real portal, in-process over loopback HTTP: registration at set-up,
//! "Akzeptieren" (`latest_challenge`), "Das war ich nicht" (`deny_challenge`), and the
//! listener's `challenge` and `push-revoked` events.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{App, PIN};
use crate::portal::Portal;

const EMAIL: &str = "erika@example.org";

/// Upper bound for an event to arrive on a loaded machine; it normally takes milliseconds.
const EVENT_WAIT: Duration = Duration::from_secs(30);

/// An app on the portal's time that was given `uri` and the PIN.
fn set_up(portal: &Portal, uri: &str) -> (App, Result<Value, Value>) {
    let app = App::at(portal.now());
    app.ok("start_enrollment", json!({ "uri": uri }));
    let result = app.invoke("finish_enrollment", json!({ "pin": PIN }));
    (app, result)
}

/// A portal with one account and an app set up from the account's link: registered, open.
fn enrolled() -> (Portal, App, String) {
    let portal = Portal::start();
    let user = portal.user(EMAIL);
    let (app, result) = set_up(&portal, &portal.enrollment_uri(&user));
    result.unwrap();
    (portal, app, user)
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap()
}

#[test]
fn enrollment_with_a_portal_link_registers_the_app_and_starts_listening() {
    let portal = Portal::start();
    let user = portal.user(EMAIL);
    let (app, result) = set_up(&portal, &portal.enrollment_uri(&user));
    let account = result.unwrap();
    assert_eq!(account["name"], EMAIL);
    assert_eq!(account["portal_url"], format!("{}/", portal.url));
    let devices = portal.devices(&user);
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].label, "Zweifaktor App");
    if cfg!(target_os = "linux") {
        assert_eq!(devices[0].platform, "linux");
    }
    assert_eq!(app.ok("vault_status", json!({}))["state"], "unlocked");
    assert!(app.listening());
}

#[test]
fn a_used_set_up_link_is_refused_nothing_is_saved_and_the_link_is_kept() {
    let portal = Portal::start();
    let user = portal.user(EMAIL);
    let uri = portal.enrollment_uri(&user);
    set_up(&portal, &uri).1.unwrap();
    let (second, result) = set_up(&portal, &uri);
    assert_eq!(result.unwrap_err()["code"], "enroll_refused");
    assert!(!second.dir().join("vault.json").exists());
    assert_eq!(second.ok("vault_status", json!({}))["state"], "new");
    let again = second.err("finish_enrollment", json!({ "pin": PIN }));
    assert_eq!(again["code"], "enroll_refused", "the link is still kept");
    assert_eq!(portal.devices(&user).len(), 1);
}

#[test]
fn an_unreachable_portal_saves_nothing_and_keeps_the_link() {
    let portal = Portal::start();
    let user = portal.user(EMAIL);
    let uri = portal.enrollment_uri(&user);
    let app = App::at(portal.now());
    drop(portal);
    app.ok("start_enrollment", json!({ "uri": uri }));
    let err = app.err("finish_enrollment", json!({ "pin": PIN }));
    assert_eq!(err["code"], "portal_unreachable");
    assert!(!app.dir().join("vault.json").exists());
    assert_eq!(app.ok("vault_status", json!({}))["state"], "new");
    let again = app.err("finish_enrollment", json!({ "pin": PIN }));
    assert_eq!(
        again["code"], "portal_unreachable",
        "the link is still kept"
    );
}

#[test]
fn accept_shows_the_code_of_the_newest_login_and_the_portal_takes_it() {
    let (portal, app, _) = enrolled();
    let earlier = portal.login(EMAIL);
    portal.advance(5);
    let newest = portal.login(EMAIL);
    let view = app.ok("latest_challenge", json!({}));
    assert_eq!(view["browser"], "zweifaktor-app-test-browser/1.0");
    assert_eq!(view["address"], "127.0.0.1");
    assert_eq!(view["time"], portal.now());
    assert_eq!(view["expiresAt"], portal.now() + 300);
    assert!(text(&view["account"]).ends_with(EMAIL));
    assert!(!text(&view["portal"]).is_empty());
    assert!(portal.login_seen(text(&view["id"])), "the portal was told");
    let code = text(&view["code"]);
    assert_eq!(
        earlier.submit_code(code),
        "/login/code",
        "bound to its login"
    );
    assert_eq!(newest.submit_code(code), "/dashboard");
}

#[test]
fn accept_without_a_waiting_login_says_so() {
    let (_portal, app, _) = enrolled();
    assert_eq!(
        app.err("latest_challenge", json!({}))["code"],
        "no_challenge"
    );
}

#[test]
fn removing_the_portal_bound_account_ends_its_stream_and_keeps_the_device_on_the_portal() {
    let (portal, app, user) = enrolled();
    let plain =
        "otpauth://totp/Example:erika?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example";
    app.ok("read_link", json!({ "uri": plain }));
    app.ok("confirm_add", json!({}));
    let accounts = app.ok("list_codes", json!({}));
    let id_of = |bound: bool| {
        let accounts = accounts.as_array().unwrap();
        let account = accounts
            .iter()
            .find(|a| a["portal_url"].is_string() == bound);
        account.unwrap()["id"].clone()
    };
    app.ok("remove_account", json!({ "id": id_of(false) }));
    assert!(app.listening(), "the portal-bound account is still watched");
    app.ok("remove_account", json!({ "id": id_of(true) }));
    assert!(!app.listening(), "no push source is left to watch");
    assert_eq!(
        portal.devices(&user).len(),
        1,
        "the portal lists the device until it is removed on its dashboard"
    );
}

#[test]
fn accept_and_deny_need_an_open_app() {
    let (portal, app, _) = enrolled();
    let browser = portal.login(EMAIL);
    app.ok("lock", json!({}));
    assert!(!app.listening(), "locking stops the listener");
    assert_eq!(app.err("latest_challenge", json!({}))["code"], "app_locked");
    let err = app.err("deny_challenge", json!({ "id": "0".repeat(32) }));
    assert_eq!(err["code"], "app_locked");
    assert_eq!(browser.login_state(), "pending");
}

#[test]
fn accept_and_deny_need_an_account_connected_to_a_portal() {
    let app = App::enrolled();
    assert!(!app.listening());
    assert_eq!(app.err("latest_challenge", json!({}))["code"], "no_portal");
    let err = app.err("deny_challenge", json!({ "id": "0".repeat(32) }));
    assert_eq!(err["code"], "no_portal");
}

#[test]
fn accept_and_deny_report_an_unreachable_portal() {
    let (portal, app, _) = enrolled();
    drop(portal);
    let err = app.err("latest_challenge", json!({}));
    assert_eq!(err["code"], "portal_unreachable");
    let err = app.err("deny_challenge", json!({ "id": "0".repeat(32) }));
    assert_eq!(err["code"], "portal_unreachable");
}

#[test]
fn deny_ends_the_login_at_the_portal() {
    let (portal, app, _) = enrolled();
    let browser = portal.login(EMAIL);
    let view = app.ok("latest_challenge", json!({}));
    assert_eq!(
        app.ok("deny_challenge", json!({ "id": view["id"] })),
        Value::Null
    );
    assert_eq!(browser.login_state(), "denied");
    let err = app.err("deny_challenge", json!({ "id": view["id"] }));
    assert_eq!(
        err["code"], "unknown_challenge",
        "a denied login waits no more"
    );
}

#[test]
fn deny_of_a_login_that_is_not_waiting_is_refused() {
    let (portal, app, _) = enrolled();
    let browser = portal.login(EMAIL);
    let err = app.err("deny_challenge", json!({ "id": "0".repeat(32) }));
    assert_eq!(err["code"], "unknown_challenge");
    assert_eq!(browser.login_state(), "pending");
}

#[test]
fn after_unlock_a_new_login_arrives_as_a_challenge_event() {
    let (portal, app, _) = enrolled();
    app.ok("lock", json!({}));
    let events = app.events("challenge");
    app.ok("unlock", json!({ "pin": PIN }));
    assert!(app.listening());
    let browser = portal.login(EMAIL);
    let view = events.recv_timeout(EVENT_WAIT).expect("a challenge event");
    assert_eq!(view["browser"], "zweifaktor-app-test-browser/1.0");
    assert_eq!(view["expiresAt"], portal.now() + 300);
    assert!(portal.login_seen(text(&view["id"])), "the portal was told");
    assert_eq!(browser.submit_code(text(&view["code"])), "/dashboard");
}

#[test]
fn a_login_that_waits_while_the_app_is_locked_arrives_right_after_unlock() {
    let (portal, app, _) = enrolled();
    app.ok("lock", json!({}));
    let browser = portal.login(EMAIL);
    let events = app.events("challenge");
    app.ok("unlock", json!({ "pin": PIN }));
    let view = events.recv_timeout(EVENT_WAIT).expect("a challenge event");
    assert_eq!(browser.submit_code(text(&view["code"])), "/dashboard");
}

#[test]
fn a_device_removed_at_the_portal_is_reported_after_unlock() {
    let (portal, app, _) = enrolled();
    app.ok("lock", json!({}));
    portal.reset_2fa(EMAIL);
    let events = app.events("push-revoked");
    app.ok("unlock", json!({ "pin": PIN }));
    let notice = events
        .recv_timeout(EVENT_WAIT)
        .expect("a push-revoked event");
    assert!(text(&notice["account"]).ends_with(EMAIL), "{notice}");
}

#[test]
fn a_challenge_says_what_it_asks_and_accepting_its_id_shows_the_code() {
    let (portal, app, _) = enrolled();
    let browser = portal.login(EMAIL);
    let view = app.ok("latest_challenge", json!({}));
    assert_eq!(view["ask"], "security_code");
    assert_eq!(view["protocol"], "zweifaktor");
    assert_eq!(view["numbers"], json!([]));
    let again = app.ok("accept_challenge", json!({ "id": view["id"] }));
    assert_eq!(again["id"], view["id"]);
    assert_eq!(again["code"], view["code"]);
    assert_eq!(browser.submit_code(text(&again["code"])), "/dashboard");
}

#[test]
fn accept_of_an_unknown_id_or_with_a_number_for_a_code_is_refused() {
    let (portal, app, _) = enrolled();
    let browser = portal.login(EMAIL);
    let err = app.err("accept_challenge", json!({ "id": "0".repeat(32) }));
    assert_eq!(err["code"], "unknown_challenge");
    let view = app.ok("latest_challenge", json!({}));
    let err = app.err(
        "accept_challenge",
        json!({ "id": view["id"], "answer": "42" }),
    );
    assert_eq!(err["code"], "answer_not_offered");
    assert_eq!(browser.login_state(), "pending");
}

#[test]
fn accept_needs_an_open_app_and_a_push_account() {
    let app = App::enrolled();
    let err = app.err("accept_challenge", json!({ "id": "0".repeat(32) }));
    assert_eq!(err["code"], "no_portal");
    app.ok("lock", json!({}));
    let err = app.err("accept_challenge", json!({ "id": "0".repeat(32) }));
    assert_eq!(err["code"], "app_locked");
}

/// Issue 12: one portal that is down does not hide another portal's waiting login.
#[test]
fn a_portal_that_is_down_hides_no_other_portals_login() {
    let first = Portal::start();
    let second = Portal::start();
    let erika = first.user(EMAIL);
    let max = second.user("max@example.org");
    let (app, result) = set_up(&first, &first.enrollment_uri(&erika));
    result.unwrap();
    app.ok("read_link", json!({ "uri": second.enrollment_uri(&max) }));
    app.ok("confirm_add", json!({}));
    drop(first);
    let browser = second.login("max@example.org");
    let view = app.ok("latest_challenge", json!({}));
    assert!(
        text(&view["account"]).ends_with("max@example.org"),
        "{view}"
    );
    assert_eq!(browser.submit_code(text(&view["code"])), "/dashboard");
}
