//! What the end-to-end run needs around the app: a virtual display (Xvfb), a D-Bus session bus
//! of its own, tauri-driver with WebKitWebDriver behind it, a data folder of its own, WebDriver
//! sessions on the app, a second start of the app binary, and the expected TOTP codes from an
//! independent implementation (oathtool).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;
use zweifaktor_app_lib::files::SCRIPTED_OPEN_FILE;
use zweifaktor_e2e::webdriver::{Session, WAIT_LIMIT};

/// A process group started for the test and ended with it.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// A virtual X display.
pub struct Xvfb {
    _process: Group,
    display: String,
}

impl Xvfb {
    /// Starts Xvfb on the first free display from :90 on and waits for its socket.
    pub fn start() -> Self {
        let number = (90..200)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .expect("no free X display");
        let display = format!(":{number}");
        let process = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1024x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("Xvfb not found: run scripts/app-e2e.sh, which installs it");
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        wait_until("Xvfb's socket", || socket.exists());
        Self {
            _process: Group(process),
            display,
        }
    }

    /// Saves a PNG of the app's window as `path`, taken from the X server.
    ///
    /// WebDriver's screenshot command never answers with WebKitGTK 2.50 under Xvfb (the
    /// snapshot waits for a presentation update that does not come), so the picture comes
    /// from the display itself: what a user would see.
    pub fn screenshot(&self, path: &Path) {
        let info = Command::new("xwininfo")
            .args(["-display", &self.display, "-name", "Zweifaktor"])
            .output()
            .expect("xwininfo not found: run scripts/app-e2e.sh, which installs it");
        let info = String::from_utf8_lossy(&info.stdout);
        let id = info
            .split_whitespace()
            .skip_while(|word| *word != "id:")
            .nth(1)
            .unwrap_or_else(|| panic!("no Zweifaktor window: {info}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let status = Command::new("import")
            .args(["-display", &self.display, "-window", id])
            .arg(path)
            .status()
            .expect("import not found: run scripts/app-e2e.sh, which installs ImageMagick");
        assert!(status.success(), "screenshot of the window failed");
    }
}

/// A D-Bus session bus for one walk: the desktop app finds its running instance through it
/// (tauri-plugin-single-instance), so each walk's app is alone on its bus, apart from the
/// user's desktop and from other walks.
struct SessionBus {
    _process: Group,
    address: String,
}

impl SessionBus {
    /// Starts `dbus-daemon --session` and reads the address it prints.
    fn start() -> Self {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .expect("dbus-daemon not found: run scripts/app-e2e.sh, which installs it");
        let stdout = child.stdout.take().unwrap();
        let process = Group(child);
        let mut address = String::new();
        BufReader::new(stdout).read_line(&mut address).unwrap();
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        Self {
            _process: process,
            address,
        }
    }
}

/// The colour scheme the app's window is asked for (GTK's theme, which WebKitGTK follows for
/// `prefers-color-scheme`).
#[derive(Clone, Copy)]
pub enum Theme {
    /// The light default.
    Light,
    /// Adwaita's dark variant.
    Dark,
}

/// tauri-driver on a free loopback port, for one data folder.
pub struct Driver {
    _process: Group,
    bus: SessionBus,
    display: String,
    data_dir: PathBuf,
    /// The driver's base URL.
    url: String,
    /// The folder standing in for the app's file dialogs (see `zweifaktor_app_lib::files`).
    dialogs: tempfile::TempDir,
}

impl Driver {
    /// Starts tauri-driver; the app it starts later inherits `DISPLAY`, the data folder,
    /// `WEBKIT_DISABLE_COMPOSITING_MODE=1` (WebKitGTK cannot composite under Xvfb), the
    /// folder that replaces its file dialogs (the walk's build has the `e2e-dialogs` feature)
    /// and a session bus of its own.
    pub fn start(xvfb: &Xvfb, data_dir: &Path, theme: Theme) -> Self {
        let bus = SessionBus::start();
        let port = free_port();
        let native_port = free_port();
        let dialogs = tempfile::tempdir().unwrap();
        let gtk_theme = match theme {
            Theme::Light => "Adwaita",
            Theme::Dark => "Adwaita:dark",
        };
        let process = Command::new("tauri-driver")
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .env("DISPLAY", &xvfb.display)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("ZF_APP_DATA_DIR", data_dir)
            .env(zweifaktor_app_lib::files::DIALOG_DIR_VAR, dialogs.path())
            .env("GTK_THEME", gtk_theme)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .expect("tauri-driver not found: run scripts/app-e2e.sh, which installs it");
        let url = format!("http://127.0.0.1:{port}");
        let agent = ureq::Agent::new_with_defaults();
        wait_until("tauri-driver to listen", || {
            agent.get(&format!("{url}/status")).call().is_ok()
        });
        Self {
            _process: Group(process),
            bus,
            display: xvfb.display.clone(),
            data_dir: data_dir.to_path_buf(),
            url,
            dialogs,
        }
    }

    /// Starts the app binary once more with `argument`, as the desktop does when the user opens
    /// a link: with the same display, bus and data folder as the running app. Returns once
    /// that second start has ended (it hands its argument to the running app and exits).
    pub fn start_again(&self, argument: &str) -> ExitStatus {
        let mut second = Command::new(app_binary())
            .arg(argument)
            .env("DISPLAY", &self.display)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("ZF_APP_DATA_DIR", &self.data_dir)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus.address)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .expect("the app binary");
        let start = Instant::now();
        loop {
            if let Some(status) = second.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > WAIT_LIMIT {
                drop(Group(second));
                panic!("the second start did not hand its link over and exit");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Makes the app's next open dialog "choose" a copy of `file`.
    pub fn choose_file(&self, file: &Path) {
        std::fs::copy(file, self.dialogs.path().join(SCRIPTED_OPEN_FILE)).unwrap();
    }

    /// Makes the app's next open dialog "choose" a file holding `bytes`.
    pub fn choose_bytes(&self, bytes: &[u8]) {
        std::fs::write(self.dialogs.path().join(SCRIPTED_OPEN_FILE), bytes).unwrap();
    }

    /// Where the app's save dialog puts a file it suggests as `name`.
    pub fn saved(&self, name: &str) -> PathBuf {
        self.dialogs.path().join(name)
    }
}

impl Driver {
    /// Starts the debug app through this driver: a WebDriver session with nothing but the
    /// Tauri application capability. Ending the session closes the app.
    pub fn start_app(&self) -> Session {
        Session::start(
            &self.url,
            json!({"tauri:options": {"application": app_binary()}}),
        )
    }
}

/// The app's screens, each a `<section id="screen-NAME">` of `ui/index.html`.
pub trait Screens {
    /// Waits until screen `name` is shown.
    fn screen(&self, name: &str);
}

impl Screens for Session {
    fn screen(&self, name: &str) {
        self.visible(&format!("#screen-{name}"));
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("no free port")
}

/// Polls `done` until it holds; fails after [`WAIT_LIMIT`].
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < WAIT_LIMIT, "gave up waiting for {what}");
        sleep(Duration::from_millis(100));
    }
}

/// The debug app binary cargo built for this test.
fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_zweifaktor-app"))
}

/// Where screenshots go: `target/screenshots/app/`.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots/app")
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock before 1970")
        .as_secs()
}

/// What the X clipboard (`CLIPBOARD` selection) of the display holds now, read by xclip as
/// another program on the desktop would.
pub fn clipboard(xvfb: &Xvfb) -> String {
    let output = Command::new("xclip")
        .args(["-display", &xvfb.display, "-selection", "clipboard", "-o"])
        .output()
        .expect("xclip not found: run scripts/app-e2e.sh, which installs it");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The RFC 6238 code (SHA-1, 6 digits, 30 s) of base-32 `secret` at `unix_time`, computed by
/// oathtool so that the app is checked against an implementation that is not its own.
pub fn oathtool_totp(secret: &str, unix_time: u64) -> String {
    let output = Command::new("oathtool")
        .args([
            "--totp",
            "--base32",
            "--now",
            &format!("@{unix_time}"),
            secret,
        ])
        .output()
        .expect("oathtool not found: run scripts/app-e2e.sh, which installs it");
    assert!(output.status.success(), "oathtool failed");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}
