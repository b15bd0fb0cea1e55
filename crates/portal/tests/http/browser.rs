//! The pages in a real browser: headless Chromium driven over W3C WebDriver (chromedriver)
//! logs in, enrolls, enters the code, reaches the dashboard, and sees a refusal on the phone
//! arrive without a reload. Screenshots of each page go to `target/portal-screenshots/`.
//!
//! The WebDriver client is the one all browser tests share (`zweifaktor-e2e`); it blocks, so
//! the test runs on a multi-threaded runtime and the in-process portal serves meanwhile.
//!
//! Needs Debian's `chromium` and `chromium-driver`; run with
//! `cargo test -p zweifaktor-portal --test http browser -- --ignored`.

use std::path::Path;

use zweifaktor_e2e::chromium::ChromeDriver;
use zweifaktor_e2e::webdriver::Session;
use zweifaktor_protocol::messages::Decision;

use crate::common::Portal;
use crate::phone::{Phone, uri_from_page};

/// Saves a screenshot of the page as `target/portal-screenshots/NAME.png`.
fn screenshot(browser: &Session, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/portal-screenshots");
    browser.screenshot(&dir.join(format!("{name}.png")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; run with --ignored"]
async fn pages_work_in_headless_chromium() {
    let portal = Portal::start().await;
    portal
        .add_user("browser@example.org", "Browser-Passwort-1", false)
        .await;
    let driver = ChromeDriver::start();
    let browser = driver.headless(480, 1000);

    browser.go(&portal.at("/?lang=de"));
    screenshot(&browser, "01-start");
    browser.click("a.button");
    browser.wait_path("/login");
    browser.type_into("#email", "browser@example.org");
    browser.type_into("#password", "Browser-Passwort-1");
    screenshot(&browser, "02-login");
    browser.click("button[type=submit]");
    browser.wait_path("/enroll");
    screenshot(&browser, "03-enroll");
    let phone = Phone::enroll(&uri_from_page(&browser.source())).await;
    browser.wait_for_source("\">Gerät registriert");
    let challenge = phone.challenges().await.remove(0);
    browser.type_into("#code", &phone.code(&challenge));
    browser.click("#code-form button");
    browser.wait_for_source("Ihre Wiederherstellungscodes");
    screenshot(&browser, "04-recovery-codes");
    browser.click("a.button");
    browser.wait_path("/dashboard");
    browser.wait_for_source("Testtelefon");
    screenshot(&browser, "05-dashboard");

    browser.click("form[action='/logout'] button");
    browser.wait_path("/");
    browser.go(&portal.at("/login?lang=en"));
    browser.type_into("#email", "browser@example.org");
    browser.type_into("#password", "Browser-Passwort-1");
    browser.click("button[type=submit]");
    browser.wait_path("/login/code");
    browser.wait_for_source("Enter security code");
    screenshot(&browser, "06-code");
    browser.click("a[href='/recovery']");
    browser.wait_for_source("No access to your authentication device?");
    screenshot(&browser, "07-recovery");
    browser.go(&portal.at("/login/code"));
    let challenge = phone.challenges().await.remove(0);
    let now = u64::try_from(portal.state.now()).unwrap();
    let id = challenge.id.to_string();
    let deny = phone.answer(&id, Decision::Deny, now);
    assert_eq!(phone.send_answer(&id, &deny).await.status(), 204);
    browser.wait_for_source("\">This sign-in was refused on your device");
    screenshot(&browser, "08-denied");

    browser.go(&portal.at("/password-forgotten"));
    screenshot(&browser, "09-password-forgotten");
    browser.end();
}
