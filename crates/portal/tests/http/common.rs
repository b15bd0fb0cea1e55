//! Test harness: a real portal on 127.0.0.1:0 with a fresh SQLite file, a manual clock, and a
//! cookie-keeping HTTP client that plays the browser.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::oneshot;
use zeroize::Zeroizing;
use zweifaktor_portal::clock::{Clock as _, ManualClock, SystemClock};
use zweifaktor_portal::config::Config;
use zweifaktor_portal::password::PasswordProfile;
use zweifaktor_portal::storage::users::User;
use zweifaktor_portal::{AppState, accounts};
use zweifaktor_protocol::messages::Challenge;
use zweifaktor_protocol::otp::{OtpParams, totp};

use crate::phone::{Phone, uri_from_page};

/// Everything every portal in this test binary logged, at debug level.
static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

/// A writer that appends to [`LOGS`].
struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing debug-level subscriber once per test binary.
fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .without_time()
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        buffer
    })
    .clone()
}

/// The log text captured so far.
pub fn logs() -> String {
    String::from_utf8_lossy(&capture_logs().lock().unwrap()).into_owned()
}

/// Names a PostgreSQL server (`postgres://USER@HOST:PORT/postgres`) to run the tests on
/// instead of SQLite files; each portal folder then gets its own database on that server.
pub const POSTGRES_ENV: &str = "ZF_TEST_POSTGRES_URL";

/// The database of the portal whose files live in `dir`: a SQLite file there, or with
/// [`POSTGRES_ENV`] set a PostgreSQL database named after the folder.
async fn database_url(dir: &tempfile::TempDir) -> String {
    let Ok(admin) = std::env::var(POSTGRES_ENV) else {
        return format!("sqlite://{}", dir.path().join("portal.db").display());
    };
    use sqlx::Connection as _;
    let name: String = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let name = format!("zf_{name}");
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    let exists: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .unwrap();
    if exists.is_none() {
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let base = admin.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

/// A running portal; dropping it stops the server.
pub struct Portal {
    pub url: String,
    pub state: Arc<AppState>,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Portal {
    /// Starts a portal on a new database.
    pub async fn start() -> Self {
        Self::start_in(tempfile::tempdir().unwrap()).await
    }

    /// Starts a portal on the database in `dir` (kept from an earlier run, or new).
    pub async fn start_in(dir: tempfile::TempDir) -> Self {
        Self::start_custom(dir, |_| {}).await
    }

    /// Starts a portal in `dir` with settings changed by `adjust`.
    pub async fn start_custom(dir: tempfile::TempDir, adjust: impl FnOnce(&mut Config)) -> Self {
        capture_logs();
        let db = database_url(&dir).await;
        let mut config = Config::new("http://unused", db);
        config.key_dir = dir.path().to_path_buf();
        adjust(&mut config);
        Self::start_with(config, dir).await
    }

    /// A second instance on the same database and key files, as behind a load balancer.
    pub async fn start_second(&self) -> Self {
        Self::start_with(self.state.config.clone(), tempfile::tempdir().unwrap()).await
    }

    async fn start_with(mut config: Config, dir: tempfile::TempDir) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        config.public_url = url.clone();
        config.password_profile = PasswordProfile::LoadTest;
        let clock = Arc::new(ManualClock::new(SystemClock.now()));
        let state = AppState::open(config, clock.clone()).await.unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(zweifaktor_portal_run(state.clone(), listener, stopped));
        Self {
            url,
            state,
            clock,
            dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server gracefully and returns the folder of its database.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.dir, dir)
    }

    /// Creates an account with `password`; `enrolled` skips the first-login enrollment.
    pub async fn add_user(&self, email: &str, password: &str, enrolled: bool) -> String {
        let id = accounts::create_user_with_password(
            &self.state,
            email,
            Zeroizing::new(password.to_string()),
        )
        .await
        .unwrap();
        if enrolled {
            self.state.db.set_must_enroll(&id, false).await.unwrap();
        }
        id
    }

    /// The stored account of `email`.
    pub async fn user(&self, email: &str) -> User {
        self.state.db.user_by_email(email).await.unwrap().unwrap()
    }

    /// `path` under the portal's URL.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

async fn zweifaktor_portal_run(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    stopped: oneshot::Receiver<()>,
) {
    zweifaktor_portal::run(state, listener, async {
        let _ = stopped.await;
    })
    .await
    .unwrap();
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A browser: keeps cookies, follows redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .user_agent("zweifaktor-test-browser/1.0")
        .build()
        .unwrap()
}

/// The value of the first `name="csrf"` hidden field in `html`.
pub fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_string()
}

/// Loads the login form and submits `email` and `password`; returns the final response.
pub async fn login(
    portal: &Portal,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let page = client.get(portal.at("/login")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let token = csrf(&page.text().await.unwrap());
    client
        .post(portal.at("/login"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

/// Logs in a new account for the first time, enrolls a phone and completes the login.
pub async fn enrolled(portal: &Portal, email: &str) -> (reqwest::Client, Phone) {
    let (client, phone, _) = enrolled_with_recovery_codes(portal, email).await;
    (client, phone)
}

/// [`enrolled`], also returning the recovery codes the first login shows.
pub async fn enrolled_with_recovery_codes(
    portal: &Portal,
    email: &str,
) -> (reqwest::Client, Phone, Vec<String>) {
    portal.add_user(email, "pw", false).await;
    let client = browser();
    let response = login(portal, &client, email, "pw").await;
    assert_eq!(response.url().path(), "/enroll");
    let html = response.text().await.unwrap();
    assert!(
        html.contains("<svg role=\"img\""),
        "server-rendered QR code"
    );
    let phone = Phone::enroll(&uri_from_page(&html)).await;
    let challenge = newest(&phone).await;
    let codes = submit_code(portal, &client, &html, &phone.code(&challenge)).await;
    let text = codes.text().await.unwrap();
    assert!(text.contains("Ihre Wiederherstellungscodes"), "{text}");
    (client, phone, recovery_codes(&text))
}

/// Logs `client` in with the password and `phone`'s code for that login; returns the answer
/// to the code.
pub async fn login_with_phone(
    portal: &Portal,
    client: &reqwest::Client,
    email: &str,
    phone: &Phone,
) -> reqwest::Response {
    let code_page = login(portal, client, email, "pw")
        .await
        .text()
        .await
        .unwrap();
    submit_code(
        portal,
        client,
        &code_page,
        &phone.code(&newest(phone).await),
    )
    .await
}

/// The newest open challenge of `phone`'s account.
pub async fn newest(phone: &Phone) -> Challenge {
    phone
        .challenges()
        .await
        .into_iter()
        .next()
        .expect("an open challenge")
}

/// Submits `code` with the CSRF token of `page` to the code step.
pub async fn submit_code(
    portal: &Portal,
    client: &reqwest::Client,
    page: &str,
    code: &str,
) -> reqwest::Response {
    client
        .post(portal.at("/login/code"))
        .form(&[("csrf", csrf(page).as_str()), ("code", code)])
        .send()
        .await
        .unwrap()
}

/// The login status JSON the code page's script polls.
pub async fn status(portal: &Portal, client: &reqwest::Client) -> serde_json::Value {
    client
        .get(portal.at("/login/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The recovery codes listed on a page.
pub fn recovery_codes(html: &str) -> Vec<String> {
    html.split("<li><code>")
        .skip(1)
        .map(|part| part[..part.find("</code>").unwrap()].to_string())
        .collect()
}

/// A six-digit code that is neither the OCRA code of `challenge` nor a TOTP code near now.
pub fn wrong_code(portal: &Portal, phone: &Phone, challenge: &Challenge) -> String {
    let now = u64::try_from(portal.state.now()).unwrap();
    let mut taken = vec![phone.code(challenge)];
    for t in [now - 30, now, now + 30] {
        taken.push(
            totp(&phone.seed, OtpParams::default(), 30, t)
                .unwrap()
                .as_str()
                .to_string(),
        );
    }
    (0..10)
        .map(|d| d.to_string().repeat(6))
        .find(|c| !taken.contains(c))
        .unwrap()
}

/// GETs `path` with `client` and returns the response after redirects.
pub async fn get(portal: &Portal, client: &reqwest::Client, path: &str) -> reqwest::Response {
    client.get(portal.at(path)).send().await.unwrap()
}

/// GETs `path` and returns the page text.
pub async fn page(portal: &Portal, client: &reqwest::Client, path: &str) -> String {
    get(portal, client, path).await.text().await.unwrap()
}

/// POSTs `fields` to `path`, with the CSRF token of the page `from` the form was on.
pub async fn post_form(
    portal: &Portal,
    client: &reqwest::Client,
    path: &str,
    from: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = csrf(from);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    client
        .post(portal.at(path))
        .form(&all)
        .send()
        .await
        .unwrap()
}
