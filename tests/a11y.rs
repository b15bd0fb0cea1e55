//! Accessibility of every screen of the app: `ui/` served on 127.0.0.1 with the shell's bridge
//! replaced by the fake of `ui/tests/a11y/harness.js`, each entry of
//! `ui/tests/a11y/screens.js` walked to in headless Chromium and checked with axe-core (WCAG
//! 2.1 A and AA) light and dark, at the app window's width and at 320 CSS px with the reflow
//! check. Any finding fails, and so does a command the fake cannot answer.
//!
//! The pages get the Content-Security-Policy of `src-tauri/tauri.conf.json`, so a screen that
//! only works without it (inline scripts or styles) fails here as it would in the app.
//!
//! Needs Debian's `chromium` and `chromium-driver` and axe-core under `target/axe`; run with
//! `bash scripts/a11y.sh` (installs axe-core, then `cargo test -p zweifaktor-e2e --test a11y
//! -- --ignored`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Html;
use serde_json::{Value, json};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use zweifaktor_e2e::axe::{Axe, assert_clean, views};
use zweifaktor_e2e::chromium::ChromeDriver;
use zweifaktor_e2e::webdriver::Session;

/// The app window's size in `src-tauri/tauri.conf.json`: the width the screens are made for.
const APP_WIDTH: u32 = 390;
const APP_HEIGHT: u32 = 844;

/// The app's script tag in `ui/index.html`; the harness goes in front of it.
const APP_SCRIPT: &str = r#"<script type="module" src="js/app.js"></script>"#;

/// The harness, loaded first so that its fake bridge is in place when the app starts.
const HARNESS_SCRIPT: &str = r#"<script type="module" src="tests/a11y/harness.js"></script>"#;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The app's Content-Security-Policy.
fn app_csp() -> String {
    let conf = std::fs::read_to_string(repo().join("src-tauri/tauri.conf.json")).unwrap();
    let conf: Value = serde_json::from_str(&conf).unwrap();
    conf["app"]["security"]["csp"].as_str().unwrap().to_owned()
}

/// `ui/index.html` with the harness in front of the app's script.
fn harness_page() -> String {
    let html = std::fs::read_to_string(repo().join("ui/index.html")).unwrap();
    assert!(html.contains(APP_SCRIPT), "ui/index.html lost {APP_SCRIPT}");
    html.replace(APP_SCRIPT, &format!("{HARNESS_SCRIPT}\n  {APP_SCRIPT}"))
}

/// Serves `ui/` on a free loopback port; returns its URL.
async fn serve_ui() -> String {
    let page = harness_page();
    let app = Router::new()
        .route("/", axum::routing::get(move || async move { Html(page) }))
        .fallback_service(ServeDir::new(repo().join("ui")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&app_csp()).unwrap(),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// Waits until the harness has walked to its screen; returns its report.
fn walked(browser: &Session) -> Value {
    browser.wait_for("the harness to walk to its screen", |b| {
        let report = b.execute("return window.__a11y || null;", json!([]));
        (report["ready"] == json!(true)).then_some(report)
    })
}

/// Loads the screen `id` of `screens.js` and waits until the walk there is done; fails on a
/// walk that failed or a command the fake could not answer.
fn open(browser: &Session, url: &str, id: &str) {
    browser.go(&format!("{url}/?screen={id}"));
    let report = walked(browser);
    assert!(
        report["failure"].is_null(),
        "screen {id}: {}",
        report["failure"]
    );
    assert_eq!(
        report["unanswered"],
        json!([]),
        "screen {id}: the fake in ui/tests/a11y/screens.js has no answer for these commands"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, chromium-driver and axe-core: run bash scripts/a11y.sh"]
async fn every_app_screen_passes_axe_light_and_dark_and_reflows_at_320_px() {
    let url = serve_ui().await;
    let axe = Axe::load();
    let driver = ChromeDriver::start();
    let browser = driver.headless(APP_WIDTH, APP_HEIGHT);
    let views = views(APP_WIDTH);

    browser.go(&format!("{url}/"));
    let screens: Vec<String> = walked(&browser)["screens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    assert!(screens.len() >= 20, "screens.js lists {screens:?}");
    let mut unique = screens.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), screens.len(), "screens.js repeats an id");

    let mut findings = Vec::new();
    for id in &screens {
        open(&browser, &url, id);
        findings.extend(axe.check(&browser, &format!("app {id}"), &views));
    }
    browser.end();
    assert_clean(&axe, &findings);
}

/// What axe cannot judge: that a screen reader hears which account "Entfernen" removes, and
/// how long a login's code stays valid (the time left was hidden from it once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver: run bash scripts/a11y.sh"]
async fn remove_names_its_account_and_the_time_left_is_spoken() {
    let url = serve_ui().await;
    let driver = ChromeDriver::start();
    let browser = driver.headless(APP_WIDTH, APP_HEIGHT);

    for (id, word) in [
        ("settings", "Entfernen"),
        ("en-settings-remove-confirm", "Remove"),
    ] {
        open(&browser, &url, id);
        let rows = browser.find_all("#settings-accounts li");
        assert!(rows.len() > 3, "{id}: {} accounts", rows.len());
        let labels = browser.execute(
            "return [...document.querySelectorAll('#settings-accounts li > span')].map(s => s.textContent);",
            json!([]),
        );
        let buttons = browser.find_all("#settings-accounts li > button");
        assert_eq!(buttons.len(), rows.len());
        for (button, label) in buttons.iter().zip(labels.as_array().unwrap()) {
            let label = label.as_str().unwrap();
            assert_eq!(browser.accessible_name(button), format!("{word}: {label}"));
        }
    }

    for (id, before, after) in [
        ("challenge", "Noch ", " Sekunden gültig"),
        ("en-challenge", "Valid for ", " more seconds"),
    ] {
        open(&browser, &url, id);
        let left = browser.execute(
            "const el = document.getElementById('challenge-left');
             return el.closest('[aria-hidden=\"true\"]') ? null : el.textContent;",
            json!([]),
        );
        let left = left
            .as_str()
            .unwrap_or_else(|| panic!("{id}: the time left is hidden"));
        let seconds = left
            .strip_prefix(before)
            .and_then(|rest| rest.strip_suffix(after))
            .and_then(|n| n.parse::<u32>().ok());
        assert!(seconds.is_some_and(|s| s > 0), "{id}: {left:?}");
    }
    browser.end();
}
