//! The whole guide with both sides real: the portal binary (`zweifaktor-portal demo`), the
//! debug app under Xvfb through tauri-driver, and headless Chromium through chromedriver as
//! the user's browser. The app is enrolled from the portal's enrollment page, registers for
//! push, and shows the security code of each login in the browser; the walk also lets a login
//! time out ("Akzeptieren" then shows the new code), refuses one ("Das war ich nicht"), and
//! ends with wrong PINs, the lock-out and "Code (PIN) vergessen".
//!
//! App screenshots: `target/screenshots/app/guide-*.png`; the browser's pages:
//! `target/screenshots/portal-walk/`.

use std::path::Path;
use std::time::Duration;

use zweifaktor_e2e::chromium::ChromeDriver;
use zweifaktor_e2e::portal::Portal;
use zweifaktor_e2e::webdriver::Session;

use crate::harness::{Driver, Screens, Theme, Xvfb};
use crate::steps::{PIN, Shots, digits, forgot_pin_and_reset, wrong_pins_until_locked_out};

/// How long a login waits for its code in this walk (the portal's `--login-lifetime`): time
/// enough to set the app up and type a code on a loaded machine, short enough to wait for one
/// login to time out.
const LOGIN_LIFETIME_SECS: u64 = 45;

/// Screenshots of the browser's pages, numbered in the order the user sees them.
struct Pages<'a> {
    browser: &'a Session,
    count: u32,
}

impl Pages<'_> {
    fn take(&mut self, name: &str) {
        self.count += 1;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots/portal-walk");
        self.browser
            .screenshot(&dir.join(format!("{:02}-{name}.png", self.count)));
    }
}

/// Logs in on the portal with the demo account's password.
fn log_in(web: &Session, portal: &Portal) {
    web.go(&portal.at("/login"));
    web.type_into("#email", &portal.email);
    web.type_into("#password", &portal.password);
    web.click("form[action='/login'] button[type=submit]");
}

/// Logs out on the portal's start page ("Startseite").
fn log_out(web: &Session) {
    web.click("form[action='/logout'] button");
    web.wait_path("/");
}

/// Waits until the app shows the security-code screen with a code none of `earlier` (each
/// login has its own challenge and so its own code) and returns its digits.
fn new_code(app: &Session, earlier: &[&str]) -> String {
    app.screen("challenge");
    let shown = app.text_where("#challenge-code", |t| {
        let code = digits(t);
        code.len() == 6 && !earlier.contains(&code.as_str())
    });
    digits(&shown)
}

/// Types the app's code into the browser's code form and waits for the start page.
fn enter_code(web: &Session, code: &str) {
    web.type_into("#code", code);
    web.click("#code-form button");
    web.wait_path("/dashboard");
    web.text_where("h1", |t| t == "Startseite");
}

#[test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver, chromium and chromedriver: run scripts/app-e2e.sh"]
fn the_whole_guide_with_the_portal_the_app_and_chromium() {
    let lifetime = LOGIN_LIFETIME_SECS.to_string();
    let portal = Portal::demo_with(&["--login-lifetime", &lifetime]);
    let chrome = ChromeDriver::start();
    let web = chrome.headless(480, 1000);
    let mut pages = Pages {
        browser: &web,
        count: 0,
    };
    let data = tempfile::tempdir().unwrap();
    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb, data.path(), Theme::Light);
    let app = driver.start_app();
    let mut shots = Shots::new(&xvfb, "guide");

    // The first login with the password leads to the enrollment page: a QR code and, as
    // text, the set-up link with the portal's push parameters.
    web.go(&portal.at("/?lang=de"));
    pages.take("start");
    web.go(&portal.at("/login"));
    web.type_into("#email", &portal.email);
    web.type_into("#password", &portal.password);
    pages.take("login");
    web.click("form[action='/login'] button[type=submit]");
    web.wait_path("/enroll");
    let uri = web.text_where("code.uri", |t| t.starts_with("otpauth://"));
    assert!(
        ["zf_url=", "zf_enroll=", "zf_key="]
            .iter()
            .all(|p| uri.contains(p)),
        "the set-up link carries the push parameters"
    );
    pages.take("enroll");

    // The app takes the link and the PIN twice, and registers with the portal: the
    // enrollment page sees the new device without a reload.
    app.screen("enroll");
    shots.take("enroll");
    app.type_into("#enroll-uri", &uri);
    app.click("#enroll-submit");
    app.screen("pin-setup");
    app.text_where("#pin-setup-account", |t| t.contains(&portal.email));
    shots.take("pin-setup");
    app.type_into("#pin-new", PIN);
    app.type_into("#pin-repeat", PIN);
    app.click("#pin-setup-submit");
    web.text_where("#enroll-wait", |t| t.contains("Gerät registriert"));
    pages.take("enroll-device-registered");

    // The open enrollment login reaches the app as a challenge, on the "done" screen or
    // right after it; its code completes the first login, which shows the recovery codes.
    let done = app.wait_for("the done or the code screen", |app| {
        let shown = |selector| app.try_find(selector).is_some_and(|e| app.displayed(&e));
        if shown("#screen-done") {
            Some(true)
        } else {
            shown("#screen-challenge").then_some(false)
        }
    });
    if done {
        shots.take("done");
        app.click("#done-continue");
    }
    let enrollment_code = new_code(&app, &[]);
    shots.take("challenge-enrollment");
    web.type_into("#code", &enrollment_code);
    web.click("#code-form button");
    web.text_where("h1", |t| t == "Ihre Wiederherstellungscodes");
    pages.take("recovery-codes");
    web.click("a.button[href='/dashboard']");
    web.wait_path("/dashboard");
    web.text_where("h1", |t| t == "Startseite");
    web.text_where("ul.devices li", |t| t.starts_with("Zweifaktor App (Linux)"));
    pages.take("dashboard-after-enrollment");

    // Log out of the portal and close the app; reopened, it asks for the PIN.
    log_out(&web);
    app.end();
    let app = driver.start_app();
    app.screen("login");
    app.text_where("#login-title", |t| t == "Zweifaktor App Login");
    app.text_where("#login-email", |t| t == portal.email.to_uppercase());
    shots.take("login");

    // The guide: password on the portal → "Eingabe Sicherheitscode"; PIN in the app → the
    // code of that login with who is logging in; the code in the browser → "Startseite".
    log_in(&web, &portal);
    web.wait_path("/login/code");
    web.text_where("h1", |t| t == "Eingabe Sicherheitscode");
    pages.take("code");
    app.type_into("#login-pin", PIN);
    app.click("#login-submit");
    let code = new_code(&app, &[&enrollment_code]);
    app.text_where("#challenge-portal", |t| t.contains("127.0.0.1"));
    app.text_where("#challenge-browser", |t| {
        t.starts_with("Chrome ") && t.ends_with(" · Linux")
    });
    app.text_where("#challenge-address", |t| t == "127.0.0.1");
    app.text_where("#challenge-time", |t| !t.is_empty());
    shots.take("challenge");
    enter_code(&web, &code);
    pages.take("dashboard");

    // A login that waits too long times out; after logging in again, "Akzeptieren" shows
    // the new login's code, and that code works.
    log_out(&web);
    log_in(&web, &portal);
    web.wait_path("/login/code");
    let expired_code = new_code(&app, &[&enrollment_code, &code]);
    shots.take("challenge-before-timeout");
    web.wait_up_to(
        Duration::from_secs(LOGIN_LIFETIME_SECS + 30),
        "the login to time out",
        |web| {
            web.try_find("#login-status")
                .filter(|status| web.text_of(status).contains("Zeitüberschreitung"))
        },
    );
    pages.take("timeout");
    web.click("#login-status a.button");
    web.wait_path("/login");
    log_in(&web, &portal);
    web.wait_path("/login/code");
    app.screen("challenge");
    app.click("#challenge-accept");
    let accepted_code = new_code(&app, &[&enrollment_code, &code, &expired_code]);
    shots.take("challenge-accepted");
    enter_code(&web, &accepted_code);
    pages.take("dashboard-after-timeout");

    // "Das war ich nicht": after confirming in the app, the browser's code page shows the
    // refusal without a reload.
    log_out(&web);
    log_in(&web, &portal);
    web.wait_path("/login/code");
    new_code(
        &app,
        &[&enrollment_code, &code, &expired_code, &accepted_code],
    );
    app.click("#challenge-deny");
    app.visible("#challenge-deny-confirm");
    shots.take("challenge-deny-confirm");
    app.click("#challenge-deny-yes");
    web.text_where("#login-status", |t| t.contains("abgelehnt"));
    pages.take("denied");
    app.screen("codes");
    shots.take("codes-after-deny");

    // Locked again: wrong PINs up to the lock-out, then "Code (PIN) vergessen" → reset.
    app.click("#codes-lock");
    wrong_pins_until_locked_out(&app, &mut shots);
    forgot_pin_and_reset(&app, &mut shots, data.path());
    app.end();
    web.end();
}
