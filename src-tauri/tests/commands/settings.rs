//! The settings and about commands through the real IPC path (mock runtime).

use serde_json::json;

use crate::common;

#[test]
fn settings_start_with_the_defaults() {
    let app = common::App::new();
    assert_eq!(
        app.ok("get_settings", json!({})),
        json!({"autoLockSeconds": 60, "language": "de"})
    );
}

#[test]
fn changed_settings_are_kept_and_survive_a_restart() {
    let app = common::App::new();
    let settings = json!({"autoLockSeconds": 300, "language": "en"});
    assert_eq!(
        app.ok("set_settings", json!({ "settings": settings })),
        settings
    );
    assert_eq!(app.ok("get_settings", json!({})), settings);
    let restarted = app.restart();
    assert_eq!(restarted.ok("get_settings", json!({})), settings);
}

#[test]
fn an_auto_lock_time_that_is_not_offered_is_refused() {
    let app = common::App::new();
    let err = app.err(
        "set_settings",
        json!({"settings": {"autoLockSeconds": 7, "language": "de"}}),
    );
    assert_eq!(err["code"], "invalid_setting");
    assert_eq!(app.ok("get_settings", json!({}))["autoLockSeconds"], 60);
}

#[test]
fn an_unknown_language_is_refused() {
    let app = common::App::new();
    let err = app.err(
        "set_settings",
        json!({"settings": {"autoLockSeconds": 60, "language": "fr"}}),
    );
    assert!(
        err.is_string(),
        "argument errors come from Tauri itself: {err}"
    );
    assert_eq!(app.ok("get_settings", json!({}))["language"], "de");
}

#[test]
fn app_info_names_version_and_licence() {
    let app = common::App::new();
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["name"], "Zweifaktor");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["license"], "Apache-2.0 OR MIT");
    assert_eq!(info["mobile"], false);
}
