//! The pages in a real browser: headless Chromium driven over W3C WebDriver (chromedriver)
//! logs in, enrolls, enters the code, reaches the dashboard, and sees a refusal on the phone
//! arrive without a reload. Screenshots of each page go to `target/portal-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; run with
//! `cargo test -p zweifaktor-portal --test http browser -- --ignored`.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use zweifaktor_protocol::messages::Decision;

use crate::common::Portal;
use crate::phone::{Phone, uri_from_page};

/// W3C WebDriver's key for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session on it.
struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    base: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver installed (Debian package chromium-driver)");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let mut browser = Self {
            driver,
            http,
            session: String::new(),
            base,
        };
        for _ in 0..100 {
            if browser
                .http
                .get(format!("{}/status", browser.base))
                .send()
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=480,1000"]}
        }}});
        let created = browser.call("POST", "/session", caps).await;
        browser.session = created["sessionId"].as_str().unwrap().to_string();
        browser
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let response: Value = request.send().await.unwrap().json().await.unwrap();
        assert!(
            response["value"].get("error").is_none(),
            "{path}: {response}"
        );
        response.get("value").cloned().unwrap_or(response)
    }

    async fn session(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
            .await
    }

    async fn go(&self, url: &str) {
        self.session("POST", "/url", json!({"url": url})).await;
    }

    async fn find(&self, css: &str) -> String {
        let found = self
            .session(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: {found}"))
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.session(
            "POST",
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.session("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    async fn source(&self) -> String {
        self.session("GET", "/source", json!({}))
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn path(&self) -> String {
        let url = self.session("GET", "/url", json!({})).await;
        reqwest::Url::parse(url.as_str().unwrap())
            .unwrap()
            .path()
            .to_string()
    }

    /// Waits (up to 10 s) until the browser shows `path`.
    async fn wait_path(&self, path: &str) {
        for _ in 0..100 {
            if self.path().await == path {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "browser never reached {path}, stayed at {}",
            self.path().await
        );
    }

    /// Waits (up to 10 s) until the page source contains `text`.
    async fn wait_for(&self, text: &str) {
        for _ in 0..100 {
            if self.source().await.contains(text) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("page never showed {text:?}");
    }

    async fn screenshot(&self, name: &str) {
        let data = self.session("GET", "/screenshot", json!({})).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/portal-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test]
#[ignore = "needs chromium and chromium-driver; run with --ignored"]
async fn pages_work_in_headless_chromium() {
    let portal = Portal::start().await;
    portal
        .add_user("browser@example.org", "Browser-Passwort-1", false)
        .await;
    let browser = Browser::start().await;

    browser.go(&portal.at("/?lang=de")).await;
    browser.screenshot("01-start").await;
    browser.click("a.button").await;
    browser.wait_path("/login").await;
    browser.type_into("#email", "browser@example.org").await;
    browser.type_into("#password", "Browser-Passwort-1").await;
    browser.screenshot("02-login").await;
    browser.click("button[type=submit]").await;
    browser.wait_path("/enroll").await;
    browser.screenshot("03-enroll").await;
    let phone = Phone::enroll(&uri_from_page(&browser.source().await)).await;
    browser.wait_for("\">Gerät registriert").await;
    let challenge = phone.challenges().await.remove(0);
    browser.type_into("#code", &phone.code(&challenge)).await;
    browser.click("#code-form button").await;
    browser.wait_for("Ihre Wiederherstellungscodes").await;
    browser.screenshot("04-recovery-codes").await;
    browser.click("a.button").await;
    browser.wait_path("/dashboard").await;
    browser.wait_for("Testtelefon").await;
    browser.screenshot("05-dashboard").await;

    browser.click("form[action='/logout'] button").await;
    browser.wait_path("/").await;
    browser.go(&portal.at("/login?lang=en")).await;
    browser.type_into("#email", "browser@example.org").await;
    browser.type_into("#password", "Browser-Passwort-1").await;
    browser.click("button[type=submit]").await;
    browser.wait_path("/login/code").await;
    browser.wait_for("Enter security code").await;
    browser.screenshot("06-code").await;
    browser.click("a[href='/recovery']").await;
    browser
        .wait_for("No access to your authentication device?")
        .await;
    browser.screenshot("07-recovery").await;
    browser.go(&portal.at("/login/code")).await;
    let challenge = phone.challenges().await.remove(0);
    let now = u64::try_from(portal.state.now()).unwrap();
    let id = challenge.id.to_string();
    let deny = phone.answer(&id, Decision::Deny, now);
    assert_eq!(phone.send_answer(&id, &deny).await.status(), 204);
    browser
        .wait_for("\">This sign-in was refused on your device")
        .await;
    browser.screenshot("08-denied").await;

    browser.go(&portal.at("/password-forgotten")).await;
    browser.screenshot("09-password-forgotten").await;
    browser.session("DELETE", "", json!({})).await;
}
