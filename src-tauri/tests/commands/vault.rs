//! The vault commands: status, enrollment (link and picture), unlock, lock, PIN change, reset.

use std::io::Cursor;

use serde_json::json;

use crate::common::{App, PIN, START, URI, WRONG_PIN};

#[test]
fn a_new_app_asks_for_enrollment() {
    let app = App::new();
    assert_eq!(app.ok("vault_status", json!({})), json!({"state": "new"}));
}

#[test]
fn enrollment_by_link_then_pin_opens_the_app() {
    let app = App::new();
    let preview = app.ok("start_enrollment", json!({ "uri": URI }));
    assert_eq!(
        preview,
        json!({"issuer": "Portal", "accountName": "erika@example.org"})
    );
    let account = app.ok("finish_enrollment", json!({ "pin": PIN }));
    assert_eq!(account["label"], "Portal:erika@example.org");
    assert_eq!(account["kind"], json!({"type": "totp", "period": 30}));
    assert!(!account.to_string().contains(crate::common::SEED));
    assert_eq!(
        app.ok("vault_status", json!({})),
        json!({"state": "unlocked"})
    );
}

#[test]
fn a_bad_link_is_refused_and_nothing_is_kept() {
    let app = App::new();
    let err = app.err("start_enrollment", json!({"uri": "otpauth://totp/broken"}));
    assert_eq!(err["code"], "invalid_uri");
    assert!(
        !err.to_string().contains("broken"),
        "error echoes input: {err}"
    );
    let err = app.err("finish_enrollment", json!({ "pin": PIN }));
    assert_eq!(err["code"], "no_enrollment");
    assert_eq!(app.ok("vault_status", json!({})), json!({"state": "new"}));
}

#[test]
fn a_trivial_pin_is_refused_and_the_link_stays_for_another_try() {
    let app = App::new();
    app.ok("start_enrollment", json!({ "uri": URI }));
    for trivial in ["123456", "111111", "12345", "12a456"] {
        let err = app.err("finish_enrollment", json!({ "pin": trivial }));
        assert_eq!(err["code"], "invalid_pin", "{trivial}");
    }
    assert_eq!(app.ok("vault_status", json!({})), json!({"state": "new"}));
    app.ok("finish_enrollment", json!({ "pin": PIN }));
}

#[test]
fn enrollment_over_an_existing_vault_is_refused() {
    let app = App::enrolled();
    app.ok("start_enrollment", json!({ "uri": URI }));
    let err = app.err("finish_enrollment", json!({ "pin": WRONG_PIN }));
    assert_eq!(err["code"], "vault_exists");
}

/// A PNG of `text` as a QR code.
pub fn qr_png(text: &str) -> Vec<u8> {
    let picture = qrcode::QrCode::new(text.as_bytes())
        .unwrap()
        .render::<image::Luma<u8>>()
        .module_dimensions(6, 6)
        .build();
    let mut png = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[test]
fn enrollment_by_qr_picture_keeps_the_link_in_the_shell() {
    let app = App::new();
    let title = json!({"title": "Bild des QR-Codes wählen"});
    assert_eq!(
        app.ok("start_enrollment_from_picture", title.clone()),
        json!(null),
        "a cancelled dialog changes nothing"
    );
    app.choose_file(&qr_png(URI));
    let preview = app.ok("start_enrollment_from_picture", title);
    assert_eq!(preview["accountName"], "erika@example.org");
    assert!(!preview.to_string().contains("secret"));
    app.ok("finish_enrollment", json!({ "pin": PIN }));
}

#[test]
fn a_picture_without_a_code_or_no_picture_is_refused() {
    let app = App::new();
    let title = json!({"title": "Bild"});
    app.choose_file(b"not a picture");
    let err = app.err("start_enrollment_from_picture", title.clone());
    assert_eq!(err["code"], "not_an_image");
    let blank = image::GrayImage::from_pixel(50, 50, image::Luma([255]));
    let mut png = Vec::new();
    blank
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    app.choose_file(&png);
    let err = app.err("start_enrollment_from_picture", title.clone());
    assert_eq!(err["code"], "no_qr_code");
    app.choose_file(&qr_png("https://example.org/not-otpauth"));
    let err = app.err("start_enrollment_from_picture", title);
    assert_eq!(err["code"], "invalid_uri");
}

#[test]
fn the_app_starts_locked_and_shows_the_email() {
    let app = App::enrolled().restart();
    assert_eq!(
        app.ok("vault_status", json!({})),
        json!({"state": "locked", "email": "erika@example.org", "triesLeft": 5, "waitUntil": null})
    );
    assert_eq!(app.err("list_codes", json!({}))["code"], "app_locked");
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(
        app.ok("vault_status", json!({})),
        json!({"state": "unlocked"})
    );
}

#[test]
fn lock_closes_the_vault() {
    let app = App::enrolled();
    app.ok("lock", json!({}));
    assert_eq!(app.ok("vault_status", json!({}))["state"], "locked");
    assert_eq!(app.err("list_codes", json!({}))["code"], "app_locked");
}

#[test]
fn wrong_pins_count_down_then_lock_out_with_a_wait() {
    let app = App::enrolled().restart();
    for left in [4, 3, 2, 1] {
        let err = app.err("unlock", json!({ "pin": WRONG_PIN }));
        assert_eq!(err["code"], "wrong_pin");
        assert_eq!(err["triesLeft"], left);
        assert!(err.get("waitUntil").is_none());
    }
    let err = app.err("unlock", json!({ "pin": WRONG_PIN }));
    assert_eq!(err["code"], "wrong_pin");
    assert_eq!(err["triesLeft"], 0);
    assert_eq!(err["waitUntil"], START + 30);
    let err = app.err("unlock", json!({ "pin": PIN }));
    assert_eq!(
        err,
        json!({"code": "locked", "message": "too many wrong PINs; wait before the next try", "waitUntil": START + 30})
    );
    assert_eq!(app.ok("vault_status", json!({}))["waitUntil"], START + 30);
    app.clock.advance(30);
    app.ok("unlock", json!({ "pin": PIN }));
}

#[test]
fn unlock_refuses_a_malformed_pin_without_counting_it() {
    let app = App::enrolled().restart();
    assert_eq!(
        app.err("unlock", json!({"pin": "12"}))["code"],
        "invalid_pin"
    );
    assert_eq!(app.ok("vault_status", json!({}))["triesLeft"], 5);
}

#[test]
fn change_pin_needs_the_current_pin() {
    let app = App::enrolled();
    let err = app.err(
        "change_pin",
        json!({"currentPin": WRONG_PIN, "newPin": "135792"}),
    );
    assert_eq!(err["code"], "wrong_pin");
    assert_eq!(err["triesLeft"], 4);
    let err = app.err("change_pin", json!({"currentPin": PIN, "newPin": "000000"}));
    assert_eq!(err["code"], "invalid_pin");
    app.ok("change_pin", json!({"currentPin": PIN, "newPin": "135792"}));
    let app = app.restart();
    assert_eq!(
        app.err("unlock", json!({ "pin": PIN }))["code"],
        "wrong_pin"
    );
    app.ok("unlock", json!({"pin": "135792"}));
}

#[test]
fn change_pin_while_locked_is_refused() {
    let app = App::enrolled().restart();
    let err = app.err("change_pin", json!({"currentPin": PIN, "newPin": "135792"}));
    assert_eq!(err["code"], "app_locked");
}

#[test]
fn unlock_of_a_damaged_vault_says_so() {
    let app = App::enrolled();
    let dir = app.dir().to_path_buf();
    let app = app.restart();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("vault")
        {
            std::fs::write(&path, b"{\"not\": \"a vault\"}").unwrap();
        }
    }
    let err = app.err("vault_status", json!({}));
    assert_eq!(err["code"], "vault_corrupt");
    assert!(
        !err.to_string().contains(&*dir.to_string_lossy()),
        "path leaked: {err}"
    );
}

#[test]
fn reset_deletes_the_vault_and_the_app_is_new_again() {
    let app = App::enrolled().restart();
    app.ok("reset_app", json!({}));
    assert_eq!(app.ok("vault_status", json!({})), json!({"state": "new"}));
    assert!(std::fs::read_dir(app.dir()).unwrap().all(|entry| {
        !entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("vault")
    }));
    app.ok("start_enrollment", json!({ "uri": URI }));
    app.ok("finish_enrollment", json!({ "pin": WRONG_PIN }));
}
