//! The offline parts: the app alone, enrolled by a pasted URI without the push parameters:
//! PIN, the TOTP code checked against oathtool, lock and unlock, wrong PINs up to the
//! lock-out, "Code (PIN) vergessen" → reset; and the settings in dark mode.

use crate::harness::{Driver, Screens, Theme, Xvfb, oathtool_totp, unix_now};
use crate::steps::{
    PIN, SECRET, Shots, URI, WRONG_PIN, digits, enroll, forgot_pin_and_reset,
    wrong_pins_until_locked_out,
};

#[test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and oathtool: run scripts/app-e2e.sh"]
fn enroll_read_the_code_lock_out_and_reset() {
    let data = tempfile::tempdir().unwrap();
    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb, data.path(), Theme::Light);
    let s = driver.start_app();
    let mut shots = Shots::new(&xvfb, "walk");

    // A fresh app asks for the portal's set-up link.
    s.screen("enroll");
    shots.take("enroll");
    s.type_into("#enroll-uri", "otpauth://totp/broken");
    s.click("#enroll-submit");
    s.text_where("#enroll-error", |t| {
        t.contains("kein gültiger Einrichtungslink")
    });
    shots.take("enroll-invalid-link");
    s.type_into("#enroll-uri", URI);
    s.click("#enroll-submit");

    // The PIN, twice; mismatches and trivial PINs are refused.
    s.screen("pin-setup");
    s.text_where("#pin-setup-account", |t| t.contains("erika@example.org"));
    shots.take("pin-setup");
    s.type_into("#pin-new", PIN);
    s.type_into("#pin-repeat", WRONG_PIN);
    s.click("#pin-setup-submit");
    s.text_where("#pin-setup-error", |t| t.contains("stimmen nicht überein"));
    s.type_into("#pin-new", "123456");
    s.type_into("#pin-repeat", "123456");
    s.click("#pin-setup-submit");
    s.text_where("#pin-setup-error", |t| t.contains("nicht erlaubt"));
    shots.take("pin-setup-trivial-pin");
    s.type_into("#pin-new", PIN);
    s.type_into("#pin-repeat", PIN);
    s.click("#pin-setup-submit");
    s.screen("done");
    shots.take("done");
    s.click("#done-continue");

    // The account's TOTP code, as oathtool computes it for the moment it was read.
    s.screen("codes");
    let before = unix_now();
    let shown = digits(&s.text_where("#codes-list .code", |t| digits(t).len() == 6));
    let after = unix_now();
    let expected = [
        oathtool_totp(SECRET, before.saturating_sub(2)),
        oathtool_totp(SECRET, after),
    ];
    assert!(
        expected.contains(&shown),
        "app shows {shown}, oathtool says {expected:?}"
    );
    s.text_where("#codes-list .issuer", |t| t == "Portal");
    shots.take("codes");

    s.click("#codes-settings");
    s.screen("settings");
    s.text_where("#about-version", |t| t == env!("CARGO_PKG_VERSION"));
    shots.take("settings");
    s.click("#settings-back");
    s.screen("codes");

    // Lock, then unlock with the PIN.
    s.click("#codes-lock");
    s.screen("login");
    s.text_where("#login-title", |t| t == "Zweifaktor App Login");
    s.text_where("#login-email", |t| t == "ERIKA@EXAMPLE.ORG");
    shots.take("login");
    s.type_into("#login-pin", PIN);
    s.click("#login-submit");
    s.screen("codes");
    s.click("#codes-lock");
    s.screen("login");

    // Wrong PINs: the tries left, then the lock-out; "Code (PIN) vergessen" → reset.
    wrong_pins_until_locked_out(&s, &mut shots);
    forgot_pin_and_reset(&s, &mut shots, data.path());
    s.end();
}

#[test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and oathtool: run scripts/app-e2e.sh"]
fn settings_change_the_pin_the_language_and_remove_the_account_in_dark_mode() {
    let data = tempfile::tempdir().unwrap();
    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb, data.path(), Theme::Dark);
    let s = driver.start_app();
    let mut shots = Shots::new(&xvfb, "dark");

    enroll(&s, PIN);
    s.text_where("#codes-list .code", |t| digits(t).len() == 6);
    shots.take("codes");
    s.click("#codes-settings");
    s.screen("settings");

    // Change the PIN: the current one is checked and counts as a try.
    s.type_into("#change-pin-current", WRONG_PIN);
    s.type_into("#change-pin-new", "135792");
    s.type_into("#change-pin-repeat", "135792");
    s.click("#change-pin-submit");
    s.text_where("#change-pin-message", |t| t.contains("Noch 4 Versuche"));
    s.type_into("#change-pin-current", PIN);
    s.type_into("#change-pin-new", "135792");
    s.type_into("#change-pin-repeat", "135792");
    s.click("#change-pin-submit");
    s.text_where("#change-pin-message", |t| t == "Die PIN wurde geändert.");
    shots.take("settings-pin-changed");

    // English, kept across screens.
    s.click("#settings-language option[value='en']");
    s.text_where("#settings-title", |t| t == "Settings");
    s.text_where("#settings-message", |t| t == "Saved.");
    shots.take("settings-english");

    // Remove the account after confirming.
    s.click("#settings-accounts button.danger-text");
    s.click("#settings-accounts button.danger");
    s.wait_for("the account list to empty", |s| {
        s.try_find("#settings-accounts li").is_none().then_some(())
    });
    s.click("#settings-back");
    s.screen("codes");
    s.visible("#codes-empty");
    s.text_where("#codes-title", |t| t == "Your codes");
    shots.take("codes-empty-english");

    // The new PIN opens the app; the login screen speaks English now.
    s.click("#codes-lock");
    s.screen("login");
    s.text_where("#login-submit", |t| t == "Sign in");
    shots.take("login-english");
    s.type_into("#login-pin", "135792");
    s.click("#login-submit");
    s.screen("codes");
    s.end();
}
