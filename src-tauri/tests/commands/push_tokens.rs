//! privacyIDEA push tokens in the account list: listed beside the accounts and removed, with
//! the core's fake privacyIDEA (`push::privacyidea::test_server`) on 127.0.0.1 as the server
//! the token is enrolled with.

use serde_json::{Value, json};
use tokio::runtime::Runtime;
use zweifaktor_core::push::privacyidea::test_server::{FakePi, SERIAL};

use crate::common::{App, PIN};

/// The fake privacyIDEA with a runtime of its own; dropping it stops the server.
struct Pi {
    fake: FakePi,
    // Dropped last: the server runs on it.
    _runtime: Runtime,
}

impl Pi {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let fake = runtime.block_on(FakePi::start()).unwrap();
        Self {
            fake,
            _runtime: runtime,
        }
    }
}

/// An open app set up from a plain account that then added the fake's push token.
fn with_token() -> (Pi, App) {
    let pi = Pi::start();
    let app = App::enrolled();
    let outcome = app.ok("read_link", json!({ "uri": pi.fake.link() }));
    assert_eq!(outcome["type"], "push");
    let saved = app.ok("confirm_add", json!({}));
    assert_eq!(saved["serial"], SERIAL);
    assert!(pi.fake.enrolled());
    (pi, app)
}

fn count(value: &Value) -> usize {
    value.as_array().unwrap().len()
}

#[test]
fn a_push_token_is_listed_beside_the_accounts_without_a_code_or_a_key() {
    let (pi, app) = with_token();
    let tokens = app.ok("list_push_tokens", json!({}));
    assert_eq!(count(&tokens), 1);
    let token = &tokens[0];
    assert_eq!(token["label"], format!("privacyIDEA: {SERIAL}"));
    assert_eq!(token["issuer"], "privacyIDEA");
    assert_eq!(token["name"], SERIAL);
    assert_eq!(token["serial"], SERIAL);
    assert_eq!(token["server"], pi.fake.url);
    assert_eq!(token["kind"], "privacyIDEA push");
    assert_eq!(token["avatar"]["initial"], "P");
    let mut fields: Vec<&str> = token
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "avatar", "id", "issuer", "kind", "label", "name", "serial", "server"
        ],
        "nothing else, above all no key, reaches the window"
    );
    assert_eq!(
        count(&app.ok("list_codes", json!({}))),
        1,
        "the accounts with codes stay a list of their own"
    );
    assert!(app.listening(), "the token is polled");
}

#[test]
fn a_removed_push_token_is_gone_after_a_restart_and_no_longer_watched() {
    let (pi, app) = with_token();
    let id = app.ok("list_push_tokens", json!({}))[0]["id"].clone();
    let removed = app.ok("remove_push_token", json!({ "id": id }));
    assert_eq!(removed["id"], id);
    assert_eq!(removed["serial"], SERIAL);
    assert_eq!(app.ok("list_push_tokens", json!({})), json!([]));
    assert!(!app.listening(), "no push source is left to poll");
    assert_eq!(count(&app.ok("list_codes", json!({}))), 1);

    let app = app.restart();
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(app.ok("list_push_tokens", json!({})), json!([]));
    assert!(!app.listening());
    assert!(
        pi.fake.enrolled(),
        "privacyIDEA has no call to unregister: the server keeps its side"
    );
}

#[test]
fn removing_an_unknown_push_token_is_a_typed_error() {
    let (_pi, app) = with_token();
    let err = app.err("remove_push_token", json!({ "id": "0000000000000000" }));
    assert_eq!(err["code"], "unknown_account");
    let account = app.ok("list_codes", json!({}))[0]["id"].clone();
    let err = app.err("remove_push_token", json!({ "id": account }));
    assert_eq!(
        err["code"], "unknown_account",
        "an account is no push token"
    );
    let token = app.ok("list_push_tokens", json!({}))[0]["id"].clone();
    let err = app.err("remove_account", json!({ "id": token }));
    assert_eq!(err["code"], "unknown_account", "a push token is no account");
    assert_eq!(count(&app.ok("list_push_tokens", json!({}))), 1);
    assert_eq!(count(&app.ok("list_codes", json!({}))), 1);
    assert!(app.listening());
}

#[test]
fn push_token_commands_need_the_app_unlocked() {
    let (_pi, app) = with_token();
    let id = app.ok("list_push_tokens", json!({}))[0]["id"].clone();
    app.ok("lock", json!({}));
    assert_eq!(app.err("list_push_tokens", json!({}))["code"], "app_locked");
    let err = app.err("remove_push_token", json!({ "id": id }));
    assert_eq!(err["code"], "app_locked");
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(count(&app.ok("list_push_tokens", json!({}))), 1);
}
