//! A small W3C WebDriver client (JSON over HTTP) for tauri-driver: sessions, elements,
//! clicks, typing and text. Waits poll until a condition holds or a generous
//! limit passes; no test asserts on how long anything took.

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The W3C key under which an element reference travels.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a wait polls before the test fails: long enough for a cold debug app under Xvfb
/// on a loaded two-core machine.
pub const WAIT_LIMIT: Duration = Duration::from_secs(60);

/// Pause between two polls.
const POLL: Duration = Duration::from_millis(100);

/// One WebDriver session.
pub struct Session {
    agent: ureq::Agent,
    base: String,
}

/// One element on the page.
#[derive(Clone)]
pub struct Element(String);

impl Session {
    /// Starts the app at `application` through the driver at `driver_url`, with nothing but
    /// the Tauri application capability.
    pub fn start(driver_url: &str, application: &Path) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(120)))
            .http_status_as_error(false)
            .build()
            .into();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "tauri:options": {"application": application}
        }}});
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

    fn post(&self, path: &str, body: Value) -> Value {
        post(&self.agent, &format!("{}{path}", self.base), &body)
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
        let value = self.post(
            "/element",
            json!({"using": "css selector", "value": selector}),
        );
        value[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
    }

    /// Whether `element` is shown.
    pub fn displayed(&self, element: &Element) -> bool {
        self.get(&format!("/element/{}/displayed", element.0)) == json!(true)
    }

    /// Polls `probe` until it gives a value; fails the test after [`WAIT_LIMIT`].
    pub fn wait_for<T>(&self, what: &str, mut probe: impl FnMut(&Self) -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = probe(self) {
                return value;
            }
            assert!(start.elapsed() < WAIT_LIMIT, "gave up waiting for {what}");
            sleep(POLL);
        }
    }

    /// The element matching `selector` once it is shown.
    pub fn visible(&self, selector: &str) -> Element {
        self.wait_for(&format!("{selector} to be shown"), |s| {
            s.try_find(selector).filter(|e| s.displayed(e))
        })
    }

    /// Waits until screen `name` (`<section id="screen-NAME">`) is shown.
    pub fn screen(&self, name: &str) {
        self.visible(&format!("#screen-{name}"));
    }

    /// Clicks the element matching `selector` once it is shown.
    pub fn click(&self, selector: &str) {
        let element = self.visible(selector);
        self.post(&format!("/element/{}/click", element.0), json!({}));
    }

    /// Empties the field matching `selector` and types `text` into it.
    pub fn type_into(&self, selector: &str, text: &str) {
        let element = self.visible(selector);
        self.post(&format!("/element/{}/clear", element.0), json!({}));
        self.post(
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

    /// Ends the session, which closes the app.
    pub fn end(self) {
        let _ = self.agent.delete(&self.base).call();
    }
}

/// POSTs JSON and returns the answer's `value`.
fn post(agent: &ureq::Agent, url: &str, body: &Value) -> Value {
    let mut response = agent.post(url).send_json(body).unwrap();
    let answer: Value = response.body_mut().read_json().unwrap();
    answer["value"].clone()
}
