//! The browser side: a cookie-keeping HTTP client that reads the portal's pages and submits
//! its forms with their CSRF tokens.

use reqwest::blocking::{Client, Response};

use crate::portal::Portal;

/// A browser session with one portal.
pub struct Browser {
    client: Client,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    /// A new browser with an empty cookie jar.
    pub fn new() -> Self {
        let client = Client::builder()
            .cookie_store(true)
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) zweifaktor-e2e")
            .build()
            .unwrap();
        Self { client }
    }

    /// GETs a page and returns its HTML.
    pub fn page(&self, url: &str) -> String {
        let response = self.client.get(url).send().unwrap();
        assert!(
            response.status().is_success(),
            "GET {url}: {}",
            response.status()
        );
        response.text().unwrap()
    }

    /// Submits the login form; returns the page the portal answered with.
    pub fn login(&self, portal: &Portal, email: &str, password: &str) -> String {
        let token = csrf(&self.page(&portal.at("/login")));
        self.submit(
            &portal.at("/login"),
            &[("csrf", &token), ("email", email), ("password", password)],
        )
        .text()
        .unwrap()
    }

    /// Submits the security code on the code page.
    pub fn enter_code(&self, portal: &Portal, code_page: &str, code: &str) -> String {
        let token = csrf(code_page);
        self.submit(
            &portal.at("/login/code"),
            &[("csrf", &token), ("code", code)],
        )
        .text()
        .unwrap()
    }

    /// The pending login's state as the code page's script polls it (`pending`, `denied`, …).
    pub fn login_state(&self, portal: &Portal) -> String {
        let value: serde_json::Value = self
            .client
            .get(portal.at("/login/status"))
            .send()
            .unwrap()
            .json()
            .unwrap();
        value["state"].as_str().unwrap_or_default().to_owned()
    }

    fn submit(&self, url: &str, form: &[(&str, &str)]) -> Response {
        self.client.post(url).form(form).send().unwrap()
    }
}

/// The value of the first `name="csrf"` hidden field of a page.
pub fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_owned()
}
