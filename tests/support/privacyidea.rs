//! A real privacyIDEA server (PyPI, `scripts/privacyidea.sh`) on 127.0.0.1 for the push
//! interop tests, driven through its REST API as its administrator and its login clients
//! drive it: users, push tokens (enrollment step 1, the `otpauth://pipush/…` link), logins
//! with `/validate/check` and `/validate/polltransaction`. A tampering proxy stands in for
//! the network between the phone and the server.
//!
//! The server is set up as the README's "Zweifaktor with an existing privacyIDEA" says:
//! poll-only push (`push_firebase_configuration=poll only`), one realm per way a push login
//! goes (plain, `push_require_presence`, `push_code_to_phone`). One server serves every test
//! of a test binary ([`PrivacyIdea::shared`]), each test with users of its own; its
//! instance folder under `target/privacyidea/` keeps the server's logs for failures.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Password of the test instance's administrator `admin`.
const ADMIN_PASSWORD: &str = "zweifaktor-interop-admin";

/// How long installing the venv may take (a fresh machine downloads privacyIDEA and ~60
/// packages from PyPI).
const INSTALL_LIMIT: Duration = Duration::from_secs(600);

/// How long setting up a fresh instance and starting the server may take (each `pi-manage`
/// call loads the whole application, ~10 s on a busy two-core machine).
const START_LIMIT: Duration = Duration::from_secs(240);

/// The user resolver `scripts/privacyidea.sh` creates (editable, in the server's database).
const RESOLVER: &str = "users";

/// How a push login goes in a realm of the test instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Accept or decline on the phone.
    Standard,
    /// `push_require_presence`: the phone offers options, the login page names the right one.
    Presence,
    /// `push_code_to_phone`: accepting shows a code on the phone that the user types in.
    CodeToPhone,
}

impl Mode {
    /// The realm whose policies make this mode.
    pub fn realm(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Presence => "presence",
            Self::CodeToPhone => "codephone",
        }
    }
}

/// A user of the test instance, in the realm of one mode.
#[derive(Clone, Debug)]
pub struct PiUser {
    /// Login name.
    pub name: String,
    /// Realm.
    pub realm: &'static str,
}

/// A push token after enrollment step 1.
#[derive(Clone, Debug)]
pub struct Enrollment {
    /// The token's serial (`PIPU…`).
    pub serial: String,
    /// The link the QR code carries (`otpauth://pipush/…`).
    pub link: String,
}

/// A login waiting for the phone, as `/validate/check` opened it.
#[derive(Clone, Debug)]
pub struct Login {
    /// The login's transaction.
    pub transaction_id: String,
    /// The option the login page shows in presence mode.
    pub presence_answer: Option<String>,
}

/// What `/validate/polltransaction` says about a login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollOutcome {
    /// `result.value`: the phone accepted.
    pub answered: bool,
    /// `detail.challenge_status`: `accept`, `declined`, `cancelled` or `pending`.
    pub status: String,
}

/// A running privacyIDEA with the test instance's realms and policies.
pub struct PrivacyIdea {
    _child: Child,
    dir: PathBuf,
    /// Base URL without trailing slash.
    pub base: String,
    admin_token: String,
    http: reqwest::blocking::Client,
}

static SHARED: OnceLock<PrivacyIdea> = OnceLock::new();
static NEXT_USER: AtomicU32 = AtomicU32::new(1);

impl PrivacyIdea {
    /// The server of this test binary, started by the first test that asks. It stops when the
    /// test binary exits (the script watches its parent).
    pub fn shared() -> &'static Self {
        SHARED.get_or_init(Self::start)
    }

    fn start() -> Self {
        let root = repo_root();
        install(&root);
        let port = crate::portal::free_port();
        let dir = root.join("target/privacyidea").join(port.to_string());
        std::fs::create_dir_all(root.join("target/privacyidea")).unwrap();
        let log =
            std::fs::File::create(root.join(format!("target/privacyidea/{port}.log"))).unwrap();
        let child = Command::new("bash")
            .arg(root.join("scripts/privacyidea.sh"))
            .arg("serve")
            .arg(&dir)
            .arg(port.to_string())
            .env("ZF_PI_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("ZF_PI_PARENT", std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let mut server = Self {
            _child: child,
            dir,
            base: format!("http://127.0.0.1:{port}"),
            admin_token: String::new(),
            http,
        };
        server.wait_until_ready();
        server.admin_token = server.admin_login();
        server.configure();
        server
    }

    /// `path` on this server.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's own logs, for a failure message.
    pub fn logs(&self) -> String {
        let script = self.dir.with_extension("log");
        ["setup.log", "gunicorn.log", "privacyidea.log"]
            .iter()
            .map(|name| self.dir.join(name))
            .chain([script])
            .map(|path| format!("--- {}\n{}\n", path.display(), tail(&path, 40)))
            .collect()
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + START_LIMIT;
        while Instant::now() < deadline {
            if self.http.get(self.at("/")).send().is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!(
            "privacyIDEA did not start within {START_LIMIT:?}\n{}",
            self.logs()
        );
    }

    fn admin_login(&self) -> String {
        let answer = self.post_form(
            "/auth",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            false,
        );
        answer["result"]["value"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no admin token: {answer}"))
            .to_owned()
    }

    /// The realms and the policies of poll-only push, as the README tells an administrator.
    fn configure(&self) {
        for mode in [Mode::Standard, Mode::Presence, Mode::CodeToPhone] {
            self.admin_ok(
                &format!("/realm/{}", mode.realm()),
                &[("resolvers", RESOLVER)],
            );
        }
        let registration = self.at("/ttype/push");
        let policies = [
            (
                "push-enrollment",
                "enrollment",
                format!(
                    "push_firebase_configuration=poll only, push_registration_url={registration}, push_ttl=10, push_ssl_verify=0"
                ),
                None,
            ),
            (
                "push-authentication",
                "authentication",
                "push_allow_polling=allow, push_ssl_verify=0".to_owned(),
                None,
            ),
            (
                "push-presence",
                "authentication",
                "push_require_presence".to_owned(),
                Some(Mode::Presence.realm()),
            ),
            (
                "push-code-to-phone",
                "authentication",
                "push_code_to_phone".to_owned(),
                Some(Mode::CodeToPhone.realm()),
            ),
        ];
        for (name, scope, action, realm) in policies {
            let mut form = vec![("scope", scope), ("action", action.as_str())];
            if let Some(realm) = realm {
                form.push(("realm", realm));
            }
            self.admin_ok(&format!("/policy/{name}"), &form);
        }
    }

    /// A new user (with a password nobody uses: push tokens without PIN start the login) in the
    /// realm of `mode`.
    pub fn new_user(&self, mode: Mode) -> PiUser {
        let name = format!(
            "user{}-{}",
            std::process::id(),
            NEXT_USER.fetch_add(1, Ordering::Relaxed)
        );
        self.admin_ok(
            "/user/",
            &[
                ("user", name.as_str()),
                ("resolver", RESOLVER),
                ("password", "not-used-by-push"),
            ],
        );
        PiUser {
            name,
            realm: mode.realm(),
        }
    }

    /// Enrollment step 1 of a push token for `user`: the link its QR code shows.
    pub fn enroll(&self, user: &PiUser) -> Enrollment {
        let answer = self.admin_ok(
            "/token/init",
            &[
                ("type", "push"),
                ("genkey", "1"),
                ("user", user.name.as_str()),
                ("realm", user.realm),
            ],
        );
        let detail = &answer["detail"];
        Enrollment {
            serial: detail["serial"].as_str().unwrap().to_owned(),
            link: detail["pushurl"]["value"]
                .as_str()
                .unwrap_or_else(|| panic!("no push link: {answer}"))
                .to_owned(),
        }
    }

    /// The token's rollout state (`clientwait` before step 2, `enrolled` after).
    pub fn rollout_state(&self, serial: &str) -> String {
        let answer = self.admin_get(&format!("/token/?serial={serial}"));
        answer["result"]["value"]["tokens"][0]["rollout_state"]
            .as_str()
            .unwrap_or_else(|| panic!("no token {serial}: {answer}"))
            .to_owned()
    }

    /// A login of `user` (no PIN, so the push token is challenged).
    pub fn trigger(&self, user: &PiUser) -> Login {
        let answer = self.check(user, "", None);
        assert_eq!(
            answer["result"]["authentication"], "CHALLENGE",
            "no push challenge: {answer}"
        );
        let detail = &answer["detail"];
        Login {
            transaction_id: detail["transaction_id"].as_str().unwrap().to_owned(),
            presence_answer: detail["presence_answer"].as_str().map(str::to_owned),
        }
    }

    /// `/validate/polltransaction` for `login`, as the login page polls it.
    pub fn poll_transaction(&self, login: &Login) -> PollOutcome {
        let answer = self.get_json(&format!(
            "/validate/polltransaction?transaction_id={}",
            login.transaction_id
        ));
        PollOutcome {
            answered: answer["result"]["value"].as_bool().unwrap(),
            status: answer["detail"]["challenge_status"]
                .as_str()
                .unwrap()
                .to_owned(),
        }
    }

    /// The login page's last step: `/validate/check` with the transaction and `pass` (empty
    /// after a push answer, the phone's code for code_to_phone). True when the user is in.
    pub fn finish(&self, user: &PiUser, login: &Login, pass: &str) -> bool {
        let answer = self.check(user, pass, Some(&login.transaction_id));
        answer["result"]["value"].as_bool().unwrap()
    }

    /// Sends a recorded phone request to the server once more; returns the server's
    /// `result.value` (true: it took the answer).
    pub fn replay(&self, request: &Recorded) -> bool {
        let answer: Value = self
            .http
            .post(self.at(&request.path))
            .header("Content-Type", &request.content_type)
            .body(request.body.clone())
            .send()
            .unwrap()
            .json()
            .unwrap();
        answer["result"]["value"].as_bool().unwrap_or(false)
    }

    fn check(&self, user: &PiUser, pass: &str, transaction_id: Option<&str>) -> Value {
        let mut form = vec![
            ("user", user.name.as_str()),
            ("realm", user.realm),
            ("pass", pass),
        ];
        if let Some(id) = transaction_id {
            form.push(("transaction_id", id));
        }
        self.post_form("/validate/check", &form, false)
    }

    /// An admin call that must succeed (`result.status` true, HTTP 200).
    fn admin_ok(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let answer = self.post_form(path, form, true);
        assert_eq!(answer["result"]["status"], true, "{path}: {answer}");
        answer
    }

    fn admin_get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(self.at(path))
            .header("Authorization", &self.admin_token)
            .send()
            .unwrap();
        response.json().unwrap()
    }

    fn get_json(&self, path: &str) -> Value {
        self.http.get(self.at(path)).send().unwrap().json().unwrap()
    }

    fn post_form(&self, path: &str, form: &[(&str, &str)], admin: bool) -> Value {
        let mut request = self.http.post(self.at(path)).form(form);
        if admin {
            request = request.header("Authorization", &self.admin_token);
        }
        let response = request.send().unwrap();
        let status = response.status();
        let body = response.text().unwrap();
        serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{path}: HTTP {status}, not JSON: {body}\n{}", self.logs()))
    }
}

/// Installs the venv once per machine (the script does nothing when it is there).
fn install(root: &Path) {
    let mut child = Command::new("bash")
        .arg(root.join("scripts/privacyidea.sh"))
        .arg("install")
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + INSTALL_LIMIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "installing privacyIDEA failed: {status}");
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("installing privacyIDEA took longer than {INSTALL_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The workspace root (this crate lives in `tests/`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A request the phone sent through the proxy.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Method (`GET`, `POST`).
    pub method: String,
    /// Path with query.
    pub path: String,
    /// The request's content type.
    pub content_type: String,
    /// The request's body.
    pub body: Vec<u8>,
}

/// What the proxy changes on the way to the phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// Passes everything on unchanged (and records the phone's requests).
    Nothing,
    /// Changes the question of every challenge a poll returns, keeping the server's signature.
    Question,
}

/// The text the proxy puts into a tampered challenge's question.
pub const TAMPERED_QUESTION: &str = "Tampered: approve the transfer of 10,000 EUR?";

/// An HTTP proxy between the phone and privacyIDEA on 127.0.0.1: what a network attacker
/// can do, and a recorder of the phone's requests (for replays). One request per connection.
pub struct TamperProxy {
    /// Base URL without trailing slash.
    pub base: String,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl TamperProxy {
    /// A proxy to `upstream` (a base URL) that does `tamper`.
    pub fn start(upstream: &str, tamper: Tamper) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let upstream = upstream.to_owned();
        let (rec, halt) = (Arc::clone(&recorded), Arc::clone(&stop));
        std::thread::spawn(move || {
            let http = reqwest::blocking::Client::new();
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (http, upstream, rec) = (http.clone(), upstream.clone(), Arc::clone(&rec));
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &http, &upstream, tamper, &rec);
                });
            }
        });
        Self {
            base: format!("http://127.0.0.1:{port}"),
            recorded,
            stop,
            port,
        }
    }

    /// `link` with its registration URL pointing through this proxy, so the phone enrolls,
    /// polls and answers through it.
    pub fn route(&self, link: &str, server: &PrivacyIdea) -> String {
        let mut url = url::Url::parse(link).unwrap();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "url" {
                    v.replace(&server.base, &self.base)
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        url.to_string()
    }

    /// The phone's requests so far, oldest first.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    /// The phone's answers to challenges (signed POSTs that are no enrollment).
    pub fn answers(&self) -> Vec<Recorded> {
        self.recorded()
            .into_iter()
            .filter(|r| {
                r.method == "POST"
                    && !String::from_utf8_lossy(&r.body).contains("enrollment_credential")
            })
            .collect()
    }
}

impl Drop for TamperProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve_one(
    stream: TcpStream,
    http: &reqwest::blocking::Client,
    upstream: &str,
    tamper: Tamper,
    recorded: &Mutex<Vec<Recorded>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = String::new();
    reader.read_line(&mut head)?;
    let mut parts = head.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let (mut length, mut content_type) = (0usize, String::new());
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "content-type" => content_type = value.trim().to_owned(),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    recorded.lock().unwrap().push(Recorded {
        method: method.clone(),
        path: path.clone(),
        content_type: content_type.clone(),
        body: body.clone(),
    });
    let url = format!("{upstream}{path}");
    let request = if method == "POST" {
        http.post(url)
            .header("Content-Type", content_type)
            .body(body)
    } else {
        http.get(url)
    };
    let (status, answer) = match request.send() {
        Ok(response) => (
            response.status().as_u16(),
            response.bytes().map(|b| b.to_vec()).unwrap_or_default(),
        ),
        Err(_) => (502, Vec::new()),
    };
    let answer = if method == "GET" && tamper == Tamper::Question {
        tamper_question(&answer)
    } else {
        answer
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} Proxied\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.len()
    )?;
    stream.write_all(&answer)?;
    stream.flush()
}

/// A poll answer whose challenges ask another question under the server's signature.
fn tamper_question(answer: &[u8]) -> Vec<u8> {
    let Ok(mut json) = serde_json::from_slice::<Value>(answer) else {
        return answer.to_vec();
    };
    if let Some(challenges) = json["result"]["value"].as_array_mut() {
        for challenge in challenges {
            challenge["question"] = Value::from(TAMPERED_QUESTION);
        }
    }
    serde_json::to_vec(&json).unwrap()
}
