//! Links that open the app: handed over as tauri-plugin-deep-link's event (what a tap on a
//! phone or a second start on the desktop ends in), kept while the app is locked, shown as the
//! add-account preview after the PIN, and saved only on confirmation. Expected codes are
//! RFC 6238 Appendix B's (SHA-1, 8 digits, T = 59).

use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::{Value, json};
use zweifaktor_app_lib::links::LINK_EVENT;
use zweifaktor_core::links::MAX_LINK_BYTES;

use crate::common::{App, PIN, SEED};
use crate::transfer::transfer_link;

/// A link of another site with the RFC 6238 seed.
const GITHUB: &str =
    "otpauth://totp/GitHub:erika?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub&digits=8";

/// Another site's link with the same seed, under a label of its own.
const GITLAB: &str =
    "otpauth://totp/GitLab:erika?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitLab&digits=8";

/// How long a test waits for an event the app emits while handling another; the wait ends as
/// soon as it comes.
const EVENT_WAIT: Duration = Duration::from_secs(5);

fn labels(app: &App) -> Vec<String> {
    app.ok("list_codes", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap().to_owned())
        .collect()
}

/// The window is told that a link arrived, and nothing else: the link stays in the shell.
fn told(events: &Receiver<Value>) {
    let payload = events.recv_timeout(EVENT_WAIT).expect("the window is told");
    assert_eq!(payload, Value::Null, "the event carries nothing");
}

#[test]
fn a_link_while_locked_waits_for_the_pin_then_shows_its_preview() {
    let app = App::enrolled();
    app.ok("lock", json!({}));
    let events = app.events(LINK_EVENT);
    app.open_from_outside(GITHUB);
    told(&events);
    assert_eq!(app.err("open_link", json!({}))["code"], "app_locked");
    assert_eq!(
        app.err("open_link", json!({}))["code"],
        "app_locked",
        "asking while locked does not use the link up"
    );

    app.ok("unlock", json!({ "pin": PIN }));
    let outcome = app.ok("open_link", json!({}));
    assert_eq!(outcome["type"], "account");
    assert_eq!(outcome["preview"]["account"]["label"], "GitHub:erika");
    assert_eq!(outcome["preview"]["account"]["duplicate"], false);
    assert!(!outcome.to_string().contains(SEED), "seed in the preview");
    assert_eq!(
        labels(&app).len(),
        1,
        "nothing is added before the confirmation"
    );

    app.ok("confirm_add", json!({}));
    assert_eq!(labels(&app), ["Portal:erika@example.org", "GitHub:erika"]);
    assert_eq!(app.ok("list_codes", json!({}))[1]["code"], "94287082");
    assert_eq!(app.ok("open_link", json!({})), Value::Null, "shown once");
}

#[test]
fn a_link_while_unlocked_is_shown_at_once_and_can_be_discarded() {
    let app = App::enrolled();
    let events = app.events(LINK_EVENT);
    app.open_from_outside(GITHUB);
    told(&events);
    let outcome = app.ok("open_link", json!({}));
    assert_eq!(outcome["preview"]["account"]["label"], "GitHub:erika");
    app.ok("discard_add", json!({}));
    assert_eq!(app.err("confirm_add", json!({}))["code"], "nothing_pending");
    assert_eq!(labels(&app).len(), 1);
    assert_eq!(app.ok("open_link", json!({})), Value::Null);
}

#[test]
fn a_second_link_replaces_the_first() {
    let app = App::enrolled();
    app.ok("lock", json!({}));
    app.open_from_outside(GITHUB);
    app.open_from_outside(GITLAB);
    app.ok("unlock", json!({ "pin": PIN }));
    let outcome = app.ok("open_link", json!({}));
    assert_eq!(outcome["preview"]["account"]["label"], "GitLab:erika");
    assert_eq!(
        app.ok("open_link", json!({})),
        Value::Null,
        "the first is gone"
    );
}

#[test]
fn a_malformed_link_gets_a_clear_message_and_is_gone_afterwards() {
    let app = App::enrolled();
    for (url, code) in [
        ("otpauth:totp/GitHub:erika?secret=GEZDGNBV", "link_invalid"),
        ("otpauth://totp/GitHub:erika?issuer=GitHub", "invalid_uri"),
        (
            "otpauth://totp/GitHub:erika?secret=not-base32!",
            "invalid_uri",
        ),
    ] {
        app.open_from_outside(url);
        assert_eq!(app.err("open_link", json!({}))["code"], code, "{url}");
        assert_eq!(app.ok("open_link", json!({})), Value::Null, "{url}");
    }
    assert_eq!(labels(&app).len(), 1);
    assert_eq!(app.err("confirm_add", json!({}))["code"], "nothing_pending");
}

#[test]
fn a_link_that_is_not_ours_or_too_long_is_refused_after_the_pin() {
    let app = App::enrolled();
    app.ok("lock", json!({}));
    app.open_from_outside("https://example.org/otpauth");
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(app.err("open_link", json!({}))["code"], "link_not_ours");

    let too_long = format!("otpauth://totp/x?secret={}", "A".repeat(MAX_LINK_BYTES));
    app.open_from_outside(&too_long);
    assert_eq!(app.err("open_link", json!({}))["code"], "link_too_long");
    assert_eq!(app.ok("open_link", json!({})), Value::Null);
}

#[test]
fn a_refused_link_replaces_a_waiting_one_so_the_newest_is_what_the_user_sees() {
    let app = App::enrolled();
    app.ok("lock", json!({}));
    app.open_from_outside(GITHUB);
    app.open_from_outside("mailto:erika@example.org");
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(app.err("open_link", json!({}))["code"], "link_not_ours");
    assert_eq!(app.ok("open_link", json!({})), Value::Null);
}

#[test]
fn a_google_transfer_link_opens_the_import_preview() {
    let app = App::enrolled();
    app.open_from_outside(&transfer_link());
    let outcome = app.ok("open_link", json!({}));
    assert_eq!(outcome["type"], "import");
    assert_eq!(outcome["step"]["format"], "Google Authenticator");
    assert_eq!(
        outcome["step"]["preview"]["to_add"][0]["label"],
        "GitHub:erika"
    );
    assert_eq!(
        labels(&app).len(),
        1,
        "nothing is imported before the confirmation"
    );
    app.ok("confirm_import", json!({}));
    assert_eq!(app.ok("list_codes", json!({}))[1]["code"], "94287082");
}

/// privacyIDEA's links (`otpauth://pipush/…` for push tokens, `pia://…`) take the add path a
/// pasted link takes, so they open whatever that path makes of them.
#[test]
fn privacyidea_links_take_the_same_path_as_a_pasted_link() {
    for link in [
        "otpauth://pipush/PIPU0001?url=https%3A%2F%2Fpi.example.org%2Fttype%2Fpush&ttl=10&issuer=privacyIDEA&enrollment_credential=9311d4f0&v=1&serial=PIPU0001&sslverify=1",
        "pia://container/SMPH0001?issuer=privacyIDEA&ttl=10&nonce=97f94b36&url=https%3A%2F%2Fpi.example.org&serial=SMPH0001",
    ] {
        let pasted = App::enrolled().invoke("read_link", json!({ "uri": link }));
        let app = App::enrolled();
        app.open_from_outside(link);
        assert_eq!(app.invoke("open_link", json!({})), pasted, "{link}");
    }
}

#[test]
fn locking_keeps_a_waiting_link_and_a_reset_forgets_it() {
    let app = App::enrolled();
    app.open_from_outside(GITHUB);
    app.ok("lock", json!({}));
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(
        app.ok("open_link", json!({}))["preview"]["account"]["label"],
        "GitHub:erika"
    );

    app.open_from_outside(GITLAB);
    app.ok("reset_app", json!({}));
    app.ok("start_enrollment", json!({ "uri": crate::common::URI }));
    app.ok("finish_enrollment", json!({ "pin": PIN }));
    assert_eq!(app.ok("open_link", json!({})), Value::Null);
}
