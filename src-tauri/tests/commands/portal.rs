//! The real portal in-process for the push commands: a server on 127.0.0.1:0 with a fresh
//! SQLite file and a standing clock, accounts made through the portal's library, and a
//! cookie-keeping HTTP client that plays the browser.

use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use zeroize::Zeroizing;
use zweifaktor_portal::clock::{Clock as _, ManualClock, SystemClock};
use zweifaktor_portal::config::Config;
use zweifaktor_portal::password::PasswordProfile;
use zweifaktor_portal::storage::devices::Device;
use zweifaktor_portal::{AppState, accounts};

/// The password of every test account.
pub const PASSWORD: &str = "portal-password";

/// A running portal with a runtime of its own; dropping it stops the server.
pub struct Portal {
    /// The portal's base URL.
    pub url: String,
    state: Arc<AppState>,
    clock: Arc<ManualClock>,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    // Dropped last: the server's tasks run on it.
    runtime: Runtime,
}

impl Portal {
    /// Starts a portal on a new database.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (url, state, clock, stop) = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let db = format!("sqlite://{}", dir.path().join("portal.db").display());
            let mut config = Config::new(url.clone(), db);
            config.key_dir = dir.path().to_path_buf();
            config.password_profile = PasswordProfile::LoadTest;
            let clock = Arc::new(ManualClock::new(SystemClock.now()));
            let state = AppState::open(config, clock.clone()).await.unwrap();
            let (stop, stopped) = oneshot::channel::<()>();
            tokio::spawn(zweifaktor_portal::run(state.clone(), listener, async {
                let _ = stopped.await;
            }));
            (url, state, clock, stop)
        });
        Self {
            url,
            state,
            clock,
            stop: Some(stop),
            _dir: dir,
            runtime,
        }
    }

    /// The portal's time, which stands still during a test: the app's clock is set to it.
    pub fn now(&self) -> u64 {
        u64::try_from(self.clock.now()).unwrap()
    }

    /// Moves the portal's clock on by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(seconds);
    }

    /// Creates an account that has passed its first login; returns its id.
    pub fn user(&self, email: &str) -> String {
        self.runtime.block_on(async {
            let id = accounts::create_user_with_password(
                &self.state,
                email,
                Zeroizing::new(PASSWORD.to_owned()),
            )
            .await
            .unwrap();
            self.state.db.set_must_enroll(&id, false).await.unwrap();
            id
        })
    }

    /// A new set-up link for the account, as the dashboard's QR code holds it.
    pub fn enrollment_uri(&self, user_id: &str) -> String {
        self.runtime.block_on(async {
            let user = self.state.db.user_by_id(user_id).await.unwrap().unwrap();
            accounts::enrollment_uri(&self.state, &user)
                .await
                .unwrap()
                .to_string()
        })
    }

    /// The account's registered devices.
    pub fn devices(&self, user_id: &str) -> Vec<Device> {
        self.runtime
            .block_on(self.state.db.user_devices(user_id))
            .unwrap()
    }

    /// Whether the login `id` was told that a device showed its code.
    pub fn login_seen(&self, id: &str) -> bool {
        self.runtime
            .block_on(self.state.db.login_by_id(id))
            .unwrap()
            .unwrap()
            .seen
    }

    /// Gives the account a new seed and removes its devices, as an operator's 2FA reset does.
    pub fn reset_2fa(&self, email: &str) {
        self.runtime
            .block_on(accounts::reset_2fa(&self.state, email))
            .unwrap();
    }

    /// A browser that enters `email` and the password on the login page; it then waits on
    /// the page "Eingabe Sicherheitscode".
    pub fn login(&self, email: &str) -> Browser<'_> {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .user_agent("zweifaktor-app-test-browser/1.0")
            .build()
            .unwrap();
        let page = self.runtime.block_on(async {
            let form = client
                .get(format!("{}/login", self.url))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let response = client
                .post(format!("{}/login", self.url))
                .form(&[
                    ("csrf", csrf(&form).as_str()),
                    ("email", email),
                    ("password", PASSWORD),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.url().path(), "/login/code");
            response.text().await.unwrap()
        });
        Browser {
            portal: self,
            client,
            page,
        }
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A browser waiting on the code page of its login.
pub struct Browser<'p> {
    portal: &'p Portal,
    client: reqwest::Client,
    page: String,
}

impl Browser<'_> {
    /// Types `code` into the code page and presses "Weiter"; the path the browser lands on.
    pub fn submit_code(&self, code: &str) -> String {
        self.portal.runtime.block_on(async {
            self.client
                .post(format!("{}/login/code", self.portal.url))
                .form(&[("csrf", csrf(&self.page).as_str()), ("code", code)])
                .send()
                .await
                .unwrap()
                .url()
                .path()
                .to_owned()
        })
    }

    /// The state of the login as the waiting page polls it ("pending", "denied", …).
    pub fn login_state(&self) -> String {
        self.portal.runtime.block_on(async {
            let status: serde_json::Value = self
                .client
                .get(format!("{}/login/status", self.portal.url))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            status["state"].as_str().unwrap().to_owned()
        })
    }
}

/// The value of the first `name="csrf"` hidden field in `html`.
fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_owned()
}
