//! Accessibility of every page the portal renders, in German and in English: headless
//! Chromium walks through the whole flow (start, login and its errors, password help, first
//! enrollment, recovery codes, dashboard with a new device's QR code, password change and its
//! errors, code page and its errors, recovery, a login refused on the phone, a timed-out
//! login, the dashboard after a recovery code with its sign-in history, the code page without
//! a device, the forced password change) and checks each page with axe-core (WCAG 2.1 A and
//! AA) light and dark, at desktop width and at 320 CSS px with the reflow check
//! (`zweifaktor_e2e::axe`). Form errors must be tied to their fields (`aria-invalid`,
//! `aria-describedby`), which axe does not require.
//!
//! Needs Debian's `chromium` and `chromium-driver` and axe-core under `target/axe`; run with
//! `bash scripts/a11y.sh`.

use serde_json::json;
use zweifaktor_e2e::axe::{Axe, View, assert_clean, views};
use zweifaktor_e2e::chromium::ChromeDriver;
use zweifaktor_e2e::webdriver::Session;
use zweifaktor_protocol::messages::Decision;
use zweifaktor_protocol::otp::{OtpParams, totp};

use crate::common::{Portal, newest, recovery_codes, wrong_code};
use crate::phone::{Phone, uri_from_page};

/// A desktop browser window: the portal's pages are made for any width.
const DESKTOP_WIDTH: u32 = 1024;
const DESKTOP_HEIGHT: u32 = 900;

/// The password of the walk's accounts.
const PASSWORD: &str = "Barrierefrei-Passwort-1";

/// A pending login that waits longer than this has timed out (the portal's 5 minutes).
const PAST_LOGIN_LIFETIME_SECS: i64 = 5 * 60 + 1;

/// The walk's browser, its checker and what they found.
struct Walk<'a> {
    portal: &'a Portal,
    browser: &'a Session,
    axe: &'a Axe,
    views: Vec<View>,
    lang: &'static str,
    findings: Vec<String>,
}

impl Walk<'_> {
    /// Checks the page on show as `name`.
    fn check(&mut self, name: &str) {
        let page = format!("portal {} {name}", self.lang);
        self.findings
            .extend(self.axe.check(self.browser, &page, &self.views));
    }

    /// Submits the login form with `email` and `password`.
    fn login(&self, email: &str, password: &str) {
        self.browser.go(&self.portal.at("/login"));
        self.browser.type_into("#email", email);
        self.browser.type_into("#password", password);
        self.browser.click("form[action='/login'] button");
    }

    /// Types `code` into the code form and sends it.
    fn submit_code(&self, code: &str) {
        self.browser.type_into("#code", code);
        self.browser.click("#code-form button");
    }

    fn logout(&self) {
        self.browser.go(&self.portal.at("/dashboard"));
        self.browser.click("form[action='/logout'] button");
        self.browser.wait_path("/");
    }

    /// The field `id` is marked invalid and described by the error shown.
    fn assert_field_error(&self, id: &str) {
        let description = self.browser.execute(
            "const field = document.getElementById(arguments[0]);
             if (field.getAttribute('aria-invalid') !== 'true') { return null; }
             const about = document.getElementById(field.getAttribute('aria-describedby'));
             return about && about.classList.contains('error') ? about.textContent : null;",
            json!([id]),
        );
        assert!(
            description.as_str().is_some_and(|text| !text.is_empty()),
            "{} {}: #{id} is not tied to the error",
            self.lang,
            self.browser.path()
        );
    }

    /// The whole flow for a new account `email`, every page checked.
    async fn every_page(&mut self, email: &str) {
        let (portal, browser) = (self.portal, self.browser);
        portal.add_user(email, PASSWORD, false).await;

        browser.go(&portal.at("/"));
        browser.delete_cookies();
        browser.go(&portal.at(&format!("/?lang={}", self.lang)));
        self.check("start");
        browser.click("a.button");
        browser.wait_path("/login");
        self.check("login");
        self.login(email, "Falsches-Passwort-1");
        browser.wait_for_source("id=\"login-error\"");
        self.assert_field_error("email");
        self.assert_field_error("password");
        self.check("login-wrong-password");
        browser.go(&portal.at("/password-forgotten"));
        self.check("password-forgotten");

        self.login(email, PASSWORD);
        browser.wait_path("/enroll");
        self.check("enroll");
        let phone = Phone::enroll(&uri_from_page(&browser.source())).await;
        let challenge = newest(&phone).await;
        self.submit_code(&wrong_code(portal, &phone, &challenge));
        browser.wait_for_source("id=\"code-error\"");
        self.assert_field_error("code");
        self.check("enroll-wrong-code");
        self.submit_code(&phone.code(&challenge));
        browser.wait_for_source("class=\"codes\"");
        let codes = recovery_codes(&browser.source());
        self.check("recovery-codes");
        browser.click("a.button");
        browser.wait_path("/dashboard");
        self.check("dashboard");
        browser.click("form[action='/dashboard/enroll'] button");
        browser.wait_for_source("class=\"uri\"");
        self.check("dashboard-new-device");
        browser.go(&portal.at("/password/change"));
        self.check("password-change");
        browser.type_into("#current", PASSWORD);
        browser.type_into("#new", "Ganz-neues-Passwort-1");
        browser.type_into("#repeat", "Ganz-neues-Passwort-2");
        browser.click("form[action='/password/change'] button");
        browser.wait_for_source("id=\"password-error\"");
        self.assert_field_error("repeat");
        self.check("password-change-mismatch");

        self.logout();
        self.login(email, PASSWORD);
        browser.wait_path("/login/code");
        self.check("code");
        let challenge = newest(&phone).await;
        self.submit_code(&wrong_code(portal, &phone, &challenge));
        browser.wait_for_source("id=\"code-error\"");
        self.assert_field_error("code");
        self.check("code-wrong-code");
        browser.click("a[href='/recovery']");
        browser.wait_path("/recovery");
        self.check("recovery");
        browser.type_into("#recovery", "falsch-falsch");
        browser.click("form[action='/recovery'] button");
        browser.wait_for_source("id=\"recovery-error\"");
        self.assert_field_error("recovery");
        self.check("recovery-wrong-code");
        browser.go(&portal.at("/login/code"));
        let id = challenge.id.to_string();
        let now = u64::try_from(portal.state.now()).unwrap();
        let deny = phone.answer(&id, Decision::Deny, now);
        assert_eq!(phone.send_answer(&id, &deny).await.status(), 204);
        browser.wait_for("the page to say the login was refused", |b| {
            let hidden = b.execute(
                "return document.getElementById('code-form').hidden;",
                json!([]),
            );
            (hidden == json!(true)).then_some(())
        });
        self.check("code-refused-on-the-phone");

        self.login(email, PASSWORD);
        browser.wait_path("/login/code");
        portal.clock.advance(PAST_LOGIN_LIFETIME_SECS);
        browser.go(&portal.at("/login/code"));
        browser.wait_for_source("class=\"error\"");
        self.check("login-timed-out");

        self.login(email, PASSWORD);
        browser.wait_path("/login/code");
        browser.go(&portal.at("/recovery"));
        browser.type_into("#recovery", &codes[0]);
        browser.click("form[action='/recovery'] button");
        browser.wait_for("the recovery code to be taken", |b| {
            (b.path() == "/dashboard" || b.source().contains("class=\"codes\"")).then_some(())
        });
        browser.go(&portal.at("/dashboard"));
        browser.wait_for_source("role=\"alert\"");
        self.check("dashboard-after-recovery");

        self.logout();
        let one_time = zweifaktor_portal::accounts::reset_password(&portal.state, email)
            .await
            .unwrap();
        self.login(email, one_time.expose());
        browser.wait_path("/login/code");
        self.check("code-without-device");
        let user = portal.user(email).await;
        let seed = portal
            .state
            .keys
            .decrypt_seed(&user.id, &user.seed_enc)
            .unwrap();
        let now = u64::try_from(portal.state.now()).unwrap();
        let code = totp(&seed, OtpParams::default(), 30, now).unwrap();
        self.submit_code(code.as_str());
        browser.wait_for("the login to pass", |b| {
            let path = b.path();
            (path == "/password/change" || b.source().contains("class=\"codes\"")).then_some(path)
        });
        browser.go(&portal.at("/password/change"));
        self.check("password-change-forced");
        browser.type_into("#current", one_time.expose());
        browser.type_into("#new", one_time.expose());
        browser.type_into("#repeat", one_time.expose());
        browser.click("form[action='/password/change'] button");
        browser.wait_for_source("id=\"password-error\"");
        self.assert_field_error("new");
        self.check("password-change-unchanged");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, chromium-driver and axe-core: run bash scripts/a11y.sh"]
async fn every_portal_page_passes_axe_in_both_languages_light_and_dark_and_at_320_px() {
    let portal = Portal::start().await;
    let axe = Axe::load();
    let driver = ChromeDriver::start();
    let browser = driver.headless(DESKTOP_WIDTH, DESKTOP_HEIGHT);
    let mut walk = Walk {
        portal: &portal,
        browser: &browser,
        axe: &axe,
        views: views(DESKTOP_WIDTH),
        lang: "de",
        findings: Vec::new(),
    };
    walk.every_page("barrierefrei@example.org").await;
    walk.lang = "en";
    walk.every_page("accessible@example.org").await;

    walk.lang = "de+en";
    browser.go(&portal.at("/gibt-es-nicht"));
    walk.check("error-404");
    let findings = std::mem::take(&mut walk.findings);
    browser.end();
    assert_clean(&axe, &findings);
}
