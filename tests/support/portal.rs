//! The real portal binary (`zweifaktor-portal demo`) on 127.0.0.1 with a fresh SQLite file.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running demo portal; killed when dropped.
pub struct Portal {
    child: Child,
    dir: tempfile::TempDir,
    /// Base URL without trailing slash.
    pub base: String,
    /// The demo user's e-mail address.
    pub email: String,
    /// The demo user's password.
    pub password: String,
    /// The enrollment URI the demo printed.
    pub enrollment_uri: String,
}

impl Portal {
    /// Starts `zweifaktor-portal demo` and reads the credentials it prints.
    pub fn demo() -> Self {
        Self::demo_with(&[])
    }

    /// Starts `zweifaktor-portal OPTIONS demo` with extra global `options` (say
    /// `["--login-lifetime", "30"]`) and reads the credentials it prints.
    pub fn demo_with(options: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut child = command(&dir, port)
            .args(options)
            .args(["demo", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines: Vec<String> = BufReader::new(stdout)
            .lines()
            .take(5)
            .map(Result::unwrap)
            .collect();
        let field = |prefix: &str| {
            lines
                .iter()
                .find_map(|l| l.strip_prefix(prefix))
                .unwrap_or_else(|| panic!("demo output lacks {prefix:?}: {lines:?}"))
                .to_owned()
        };
        let portal = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            email: field("E-mail address: "),
            password: field("Password: "),
            enrollment_uri: lines
                .iter()
                .find(|l| l.starts_with("otpauth://"))
                .expect("demo prints an enrollment URI")
                .clone(),
            dir,
        };
        portal.wait_until_ready();
        portal
    }

    /// `path` on this portal.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs an operator command (`user …`) against the same database; returns its output.
    pub fn operator(&self, args: &[&str]) -> String {
        let port: u16 = self.base.rsplit(':').next().unwrap().parse().unwrap();
        let out = command(&self.dir, port).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reqwest::blocking::get(self.at("/")).is_ok_and(|r| r.status().is_success()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("portal did not start within 30 s");
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(dir: &tempfile::TempDir, port: u16) -> Command {
    let mut cmd = Command::new(crate::binary("zweifaktor-portal"));
    cmd.arg("--database")
        .arg(format!(
            "sqlite://{}",
            dir.path().join("portal.db").display()
        ))
        .arg("--public-url")
        .arg(format!("http://127.0.0.1:{port}"))
        .args(["--password-profile", "load-test"]);
    cmd
}

/// A port that was free a moment ago (the server under test binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
