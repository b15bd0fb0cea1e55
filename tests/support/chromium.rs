//! Headless Chromium for the portal's pages: a chromedriver process on a free loopback port
//! (Debian packages `chromium` and `chromium-driver`), sessions on it, and the DevTools
//! commands that emulate a colour scheme and a viewport width.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::webdriver::{Session, WAIT_LIMIT};

/// A running chromedriver in a process group of its own; the group (chromedriver and any
/// browser it left behind) is ended when dropped.
pub struct ChromeDriver {
    process: Child,
    url: String,
}

impl ChromeDriver {
    /// Starts chromedriver and waits until it answers.
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|addr| addr.port())
            .expect("no free port");
        let process = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver not found: install Debian's chromium-driver");
        let driver = Self {
            process,
            url: format!("http://127.0.0.1:{port}"),
        };
        let agent = ureq::Agent::new_with_defaults();
        let start = Instant::now();
        while agent.get(&format!("{}/status", driver.url)).call().is_err() {
            assert!(start.elapsed() < WAIT_LIMIT, "chromedriver did not start");
            sleep(Duration::from_millis(100));
        }
        driver
    }

    /// A new headless Chromium with a phone-sized window of `width` × `height` pixels.
    pub fn headless(&self, width: u32, height: u32) -> Session {
        Session::start(
            &self.url,
            json!({
                "browserName": "chrome",
                "goog:chromeOptions": {"args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    format!("--window-size={width},{height}"),
                ]}
            }),
        )
    }
}

impl Session {
    /// Sends a Chrome DevTools Protocol command through chromedriver's own endpoint.
    pub fn cdp(&self, command: &str, params: Value) -> Value {
        self.command(
            "/goog/cdp/execute",
            json!({ "cmd": command, "params": params }),
        )
    }

    /// Makes the page see `prefers-color-scheme: dark` (or light) and a viewport of `width`
    /// × `height` CSS pixels, as a phone or a narrow window would show it; the page lays
    /// itself out again at once.
    pub fn emulate(&self, dark: bool, width: u32, height: u32) {
        let scheme = if dark { "dark" } else { "light" };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.process.wait();
    }
}
