//! Fingerprint unlock through the commands, with the core's software fake standing in for
//! Android's Keystore cipher: the switch, the unlock, the platform's cancel, failure and
//! invalidated key, the 72-hour rule, and a build without a cipher.

use std::sync::Arc;

use serde_json::json;
use zweifaktor_core::vault::CipherError;
use zweifaktor_core::vault::biometric::PIN_MAX_AGE_SECS;
use zweifaktor_core::vault::fake_cipher::FakeCipher;

use crate::common::{App, PIN};

/// An open app on a platform with a bound key, fingerprint unlock switched on, then locked.
fn locked_with_fingerprint() -> (App, Arc<FakeCipher>) {
    let cipher = Arc::new(FakeCipher::new());
    let app = App::enrolled_with_cipher(Arc::clone(&cipher));
    app.ok("enable_biometric", json!({}));
    app.ok("lock", json!({}));
    (app, cipher)
}

fn status(app: &App) -> serde_json::Value {
    app.ok("biometric_status", json!({}))
}

#[test]
fn a_platform_without_a_bound_key_offers_no_fingerprint() {
    let app = App::enrolled();
    assert_eq!(status(&app), json!({"available": false, "enabled": false}));
    assert_eq!(
        app.err("enable_biometric", json!({}))["code"],
        "biometric_unavailable"
    );
    app.ok("lock", json!({}));
    assert_eq!(
        app.err("unlock_biometric", json!({}))["code"],
        "biometric_unavailable"
    );
}

#[test]
fn switched_on_the_fingerprint_opens_the_locked_app() {
    let cipher = Arc::new(FakeCipher::new());
    let app = App::enrolled_with_cipher(Arc::clone(&cipher));
    assert_eq!(status(&app), json!({"available": true, "enabled": false}));
    app.ok("enable_biometric", json!({}));
    assert_eq!(status(&app), json!({"available": true, "enabled": true}));
    app.ok("lock", json!({}));
    assert_eq!(status(&app), json!({"available": true, "enabled": true}));
    app.ok("unlock_biometric", json!({}));
    assert_eq!(
        app.ok("vault_status", json!({})),
        json!({"state": "unlocked"})
    );
    assert_eq!(app.ok("list_codes", json!({})).as_array().unwrap().len(), 1);
    assert_eq!(cipher.prompts(), 2);
}

#[test]
fn a_cancelled_or_failed_prompt_costs_no_pin_try() {
    let (app, cipher) = locked_with_fingerprint();
    cipher.answer_next(CipherError::Cancelled);
    assert_eq!(
        app.err("unlock_biometric", json!({}))["code"],
        "biometric_cancelled"
    );
    cipher.answer_next(CipherError::Failed);
    assert_eq!(
        app.err("unlock_biometric", json!({}))["code"],
        "biometric_failed"
    );
    assert_eq!(app.ok("vault_status", json!({}))["triesLeft"], 5);
    assert_eq!(status(&app)["enabled"], true);
    app.ok("unlock_biometric", json!({}));
}

#[test]
fn an_invalidated_key_switches_the_fingerprint_off_and_the_pin_still_opens() {
    let (app, cipher) = locked_with_fingerprint();
    cipher.enroll_new_finger();
    let err = app.err("unlock_biometric", json!({}));
    assert_eq!(err["code"], "biometric_key_invalidated");
    assert_eq!(status(&app), json!({"available": true, "enabled": false}));
    assert_eq!(
        app.err("unlock_biometric", json!({}))["code"],
        "biometric_off"
    );
    app.ok("unlock", json!({ "pin": PIN }));
    app.ok("enable_biometric", json!({}));
    app.ok("lock", json!({}));
    app.ok("unlock_biometric", json!({}));
}

#[test]
fn after_72_hours_the_pin_is_asked_again() {
    let (app, cipher) = locked_with_fingerprint();
    app.clock.advance(PIN_MAX_AGE_SECS + 1);
    let prompts = cipher.prompts();
    assert_eq!(app.err("unlock_biometric", json!({}))["code"], "pin_due");
    assert_eq!(cipher.prompts(), prompts);
    app.ok("unlock", json!({ "pin": PIN }));
    app.ok("lock", json!({}));
    app.ok("unlock_biometric", json!({}));
}

#[test]
fn a_restart_of_the_phone_asks_for_the_pin() {
    let (app, cipher) = locked_with_fingerprint();
    app.clock.advance(600);
    cipher.restarted_at(app_time(&app) - 60);
    assert_eq!(
        app.err("unlock_biometric", json!({}))["code"],
        "pin_after_restart"
    );
    app.ok("unlock", json!({ "pin": PIN }));
}

fn app_time(app: &App) -> u64 {
    use zweifaktor_core::clock::Clock;
    app.clock.now()
}

#[test]
fn only_a_pin_session_switches_the_fingerprint_on() {
    let (app, _cipher) = locked_with_fingerprint();
    app.ok("unlock_biometric", json!({}));
    app.ok("disable_biometric", json!({}));
    assert_eq!(status(&app)["enabled"], false);
    assert_eq!(
        app.err("enable_biometric", json!({}))["code"],
        "pin_session_required"
    );
}

#[test]
fn a_pin_change_keeps_the_fingerprint() {
    let (app, _cipher) = locked_with_fingerprint();
    app.ok("unlock", json!({ "pin": PIN }));
    app.ok("change_pin", json!({"currentPin": PIN, "newPin": "135792"}));
    app.ok("lock", json!({}));
    app.ok("unlock_biometric", json!({}));
}

#[test]
fn a_build_without_a_cipher_opens_by_pin_and_keeps_the_slot() {
    let (app, cipher) = locked_with_fingerprint();
    let app = app.restart_with_cipher(None);
    assert_eq!(status(&app), json!({"available": false, "enabled": true}));
    app.ok("unlock", json!({ "pin": PIN }));
    app.ok("change_pin", json!({"currentPin": PIN, "newPin": "135792"}));
    app.ok("lock", json!({}));
    let app = app.restart_with_cipher(Some(cipher));
    app.ok("unlock_biometric", json!({}));
}
