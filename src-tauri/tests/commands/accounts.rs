//! The account commands: codes, the next HOTP code, removal.

use serde_json::json;

use crate::common::{App, SEED};

#[test]
fn list_codes_shows_the_totp_code_for_the_apps_clock() {
    let app = App::enrolled();
    // RFC 6238 Appendix B, SHA1, 8 digits: T=59 → 94287082, T=1111111109 → 07081804.
    let codes = app.ok("list_codes", json!({}));
    assert_eq!(codes.as_array().unwrap().len(), 1);
    assert_eq!(codes[0]["code"], "94287082");
    assert_eq!(codes[0]["secondsLeft"], 1);
    assert_eq!(codes[0]["issuer"], "Portal");
    assert_eq!(codes[0]["name"], "erika@example.org");
    assert!(!codes.to_string().contains(SEED), "seed in a DTO");
    app.clock.set(1_111_111_109);
    assert_eq!(app.ok("list_codes", json!({}))[0]["code"], "07081804");
}

#[test]
fn next_code_of_a_totp_account_is_its_current_code() {
    let app = App::enrolled();
    let id = app.ok("list_codes", json!({}))[0]["id"].clone();
    let shown = app.ok("next_code", json!({ "id": id }));
    assert_eq!(shown["code"], "94287082");
}

#[test]
fn unknown_accounts_are_a_typed_error() {
    let app = App::enrolled();
    let err = app.err("next_code", json!({"id": "0000000000000000"}));
    assert_eq!(err["code"], "unknown_account");
    let err = app.err("remove_account", json!({"id": "0000000000000000"}));
    assert_eq!(err["code"], "unknown_account");
}

#[test]
fn a_removed_account_is_gone_after_a_restart() {
    let app = App::enrolled();
    let id = app.ok("list_codes", json!({}))[0]["id"].clone();
    app.ok("remove_account", json!({ "id": id }));
    assert_eq!(app.ok("list_codes", json!({})), json!([]));
    let app = app.restart();
    app.ok("unlock", json!({"pin": crate::common::PIN}));
    assert_eq!(app.ok("list_codes", json!({})), json!([]));
}

#[test]
fn account_commands_need_the_app_unlocked() {
    let app = App::enrolled();
    let id = app.ok("list_codes", json!({}))[0]["id"].clone();
    app.ok("lock", json!({}));
    for command in ["next_code", "remove_account"] {
        let err = app.err(command, json!({ "id": id }));
        assert_eq!(err["code"], "app_locked", "{command}");
    }
}

#[test]
fn copy_code_puts_the_shown_code_into_the_clipboard() {
    let app = App::enrolled();
    let code = app.ok("list_codes", json!({}))[0]["code"].clone();
    app.ok("copy_code", json!({ "code": code }));
    assert_eq!(app.clipboard(), "94287082");
    let err = app.err("copy_code", json!({"code": "otpauth://totp/x?secret=AAAA"}));
    assert_eq!(err["code"], "not_a_code");
    assert_eq!(app.clipboard(), "94287082", "refused text is not copied");
    app.ok("lock", json!({}));
    let err = app.err("copy_code", json!({"code": "12345678"}));
    assert_eq!(err["code"], "app_locked");
    assert_eq!(app.clipboard(), "94287082");
}
