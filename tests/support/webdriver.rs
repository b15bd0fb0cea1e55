//! A small W3C WebDriver client (JSON over HTTP, blocking) for every test that drives a real
//! browser: the app through tauri-driver + WebKitWebDriver, the portal's pages through
//! chromedriver + headless Chromium. Waits poll until a condition holds or a generous limit
//! passes; no test asserts on how long anything took.
//!
//! It uses `ureq`, which needs no async runtime, so it also works inside a `#[tokio::test]`
//! (multi-threaded, so that an in-process server keeps running while the test waits).

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// The W3C key under which an element reference travels.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a wait polls before the test fails: long enough for a cold debug app under Xvfb
/// on a loaded two-core machine.
pub const WAIT_LIMIT: Duration = Duration::from_secs(60);

/// Pause between two polls.
const POLL: Duration = Duration::from_millis(100);

/// Longest a single WebDriver command may take (starting a session starts the browser).
const COMMAND_LIMIT: Duration = Duration::from_secs(120);

/// One WebDriver session.
pub struct Session {
    agent: ureq::Agent,
    base: String,
}

/// One element on the page.
#[derive(Clone)]
pub struct Element(String);

impl Session {
    /// Opens a session on the driver at `driver_url` with W3C `capabilities` (the value of
    /// `alwaysMatch`).
    pub fn start(driver_url: &str, capabilities: Value) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(COMMAND_LIMIT))
            .http_status_as_error(false)
            .build()
            .into();
        let caps = json!({"capabilities": {"alwaysMatch": capabilities}});
        let answer = post(&agent, &format!("{driver_url}/session"), &caps);
        let id = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_owned();
        Self {
            agent,
            base: format!("{driver_url}/session/{id}"),
        }
    }

    /// Sends a command whose failure is an answer (say "no such element").
    fn query(&self, path: &str, body: Value) -> Value {
        post(&self.agent, &format!("{}{path}", self.base), &body)
    }

    /// Sends a command that must succeed (also a driver's own commands, see `chromium`).
    pub(crate) fn command(&self, path: &str, body: Value) -> Value {
        let value = self.query(path, body);
        assert!(value.get("error").is_none(), "{path}: {value}");
        value
    }

    fn get(&self, path: &str) -> Value {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .call()
            .unwrap();
        let answer: Value = response.body_mut().read_json().unwrap();
        answer["value"].clone()
    }

    /// The first element matching the CSS `selector`, if there is one now.
    pub fn try_find(&self, selector: &str) -> Option<Element> {
        let value = self.query(
            "/element",
            json!({"using": "css selector", "value": selector}),
        );
        value[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
    }

    /// Every element matching the CSS `selector` now.
    pub fn find_all(&self, selector: &str) -> Vec<Element> {
        let value = self.command(
            "/elements",
            json!({"using": "css selector", "value": selector}),
        );
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[ELEMENT_KEY].as_str())
            .map(|id| Element(id.to_owned()))
            .collect()
    }

    /// The accessible name the browser gives `element`: what a screen reader says for it.
    pub fn accessible_name(&self, element: &Element) -> String {
        self.get(&format!("/element/{}/computedlabel", element.0))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether `element` is shown.
    pub fn displayed(&self, element: &Element) -> bool {
        self.get(&format!("/element/{}/displayed", element.0)) == json!(true)
    }

    /// Polls `probe` until it gives a value; fails the test after [`WAIT_LIMIT`].
    pub fn wait_for<T>(&self, what: &str, probe: impl FnMut(&Self) -> Option<T>) -> T {
        self.wait_up_to(WAIT_LIMIT, what, probe)
    }

    /// Polls `probe` until it gives a value; fails the test after `limit` (for waits that
    /// include a deliberate delay, such as a login timing out).
    pub fn wait_up_to<T>(
        &self,
        limit: Duration,
        what: &str,
        mut probe: impl FnMut(&Self) -> Option<T>,
    ) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = probe(self) {
                return value;
            }
            assert!(start.elapsed() < limit, "gave up waiting for {what}");
            sleep(POLL);
        }
    }

    /// The element matching `selector` once it is shown.
    pub fn visible(&self, selector: &str) -> Element {
        self.wait_for(&format!("{selector} to be shown"), |s| {
            s.try_find(selector).filter(|e| s.displayed(e))
        })
    }

    /// Clicks the element matching `selector` once it is shown.
    pub fn click(&self, selector: &str) {
        let element = self.visible(selector);
        self.command(&format!("/element/{}/click", element.0), json!({}));
    }

    /// Empties the field matching `selector` and types `text` into it.
    pub fn type_into(&self, selector: &str, text: &str) {
        let element = self.visible(selector);
        self.command(&format!("/element/{}/clear", element.0), json!({}));
        self.command(
            &format!("/element/{}/value", element.0),
            json!({ "text": text }),
        );
    }

    /// The visible text of `element`.
    pub fn text_of(&self, element: &Element) -> String {
        self.get(&format!("/element/{}/text", element.0))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the element matching `selector` shows a text that `accept` takes.
    pub fn text_where(&self, selector: &str, accept: impl Fn(&str) -> bool) -> String {
        self.wait_for(&format!("the text of {selector}"), |s| {
            s.try_find(selector)
                .map(|e| s.text_of(&e))
                .filter(|text| accept(text))
        })
    }

    /// Loads `url`.
    pub fn go(&self, url: &str) {
        self.command("/url", json!({ "url": url }));
    }

    /// Forgets every cookie of the page's site, as a new browser would have none.
    pub fn delete_cookies(&self) {
        let _ = self
            .agent
            .delete(&format!("{}/cookie", self.base))
            .call()
            .unwrap();
    }

    /// The path of the page shown now (`/login/code`), without query or fragment.
    pub fn path(&self) -> String {
        let url = self.get("/url");
        let url = url.as_str().unwrap_or_default();
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = after_scheme
            .find('/')
            .map_or("/", |start| &after_scheme[start..]);
        path.split(['?', '#']).next().unwrap_or("/").to_owned()
    }

    /// Waits until the browser shows the page at `path`.
    pub fn wait_path(&self, path: &str) {
        self.wait_for(&format!("the page {path}"), |s| {
            (s.path() == path).then_some(())
        });
    }

    /// The page's HTML as the browser holds it now.
    pub fn source(&self) -> String {
        self.get("/source").as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the page's HTML contains `text`.
    pub fn wait_for_source(&self, text: &str) {
        self.wait_for(&format!("the page to show {text:?}"), |s| {
            s.source().contains(text).then_some(())
        });
    }

    /// Runs the JavaScript function body `script` in the page with `args` (as `arguments`)
    /// and returns what it returns; a script that throws fails the test.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.command("/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Runs `script` like [`Session::execute`], but waits for it to call its last argument
    /// (the callback) and returns the value passed to it, for work that takes promises.
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.command(
            "/timeouts",
            json!({ "script": u64::try_from(WAIT_LIMIT.as_millis()).unwrap_or(u64::MAX) }),
        );
        self.command("/execute/async", json!({ "script": script, "args": args }))
    }

    /// Saves a PNG of the viewport as `path` (chromedriver; WebKitWebDriver's screenshot does
    /// not answer under Xvfb, see the app's harness).
    pub fn screenshot(&self, path: &Path) {
        let data = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(
                data.as_str()
                    .unwrap_or_else(|| panic!("no screenshot: {data}")),
            )
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Ends the session, which closes the browser or the app (dropping it does the same).
    pub fn end(self) {
        drop(self);
    }
}

impl Drop for Session {
    /// Closes the browser or the app also when a test fails half-way, so that no browser
    /// outlives its test.
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
    }
}

/// POSTs JSON and returns the answer's `value`.
fn post(agent: &ureq::Agent, url: &str, body: &Value) -> Value {
    let mut response = agent.post(url).send_json(body).unwrap();
    let answer: Value = response.body_mut().read_json().unwrap();
    answer["value"].clone()
}
