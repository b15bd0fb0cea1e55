//! The `zweifaktor-portal` binary: operator commands, and restart safety after SIGKILL.

use std::process::{Child, Command, Stdio};

use crate::common::{browser, csrf};
use crate::phone::{Phone, uri_from_page};

/// The binary with the shared options for a database in `dir` and a portal on `port`.
fn portal_cmd(dir: &std::path::Path, port: u16) -> Command {
    portal_cmd_with(dir, port, "load-test")
}

/// [`portal_cmd`] with the Argon2 `profile` (`standard` or `load-test`).
pub fn portal_cmd_with(dir: &std::path::Path, port: u16, profile: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zweifaktor-portal"));
    cmd.arg("--database")
        .arg(format!("sqlite://{}", dir.join("portal.db").display()))
        .arg("--public-url")
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("--password-profile")
        .arg(profile)
        .env("RUST_LOG", "debug");
    cmd
}

fn run(dir: &std::path::Path, port: u16, args: &[&str]) -> String {
    output_of(portal_cmd(dir, port).args(args))
}

/// Runs `cmd` to its end; its standard output, after asserting success.
pub fn output_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `serve` process; dropping it kills the process (SIGKILL) and reaps it.
pub struct Server(Child);

impl Server {
    /// The process id, for reading `/proc/PID/status`.
    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// Sends SIGKILL and reaps the process: no graceful shutdown, as in a crash.
    pub fn kill(mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` and waits until it answers.
async fn serve(dir: &std::path::Path, port: u16) -> Server {
    serve_with(portal_cmd(dir, port), port).await
}

/// Starts `serve` from `cmd` (the global options set) and waits until it answers on `port`.
pub async fn serve_with(mut cmd: Command, port: u16) -> Server {
    let child = cmd
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    for _ in 0..200 {
        if reqwest::get(format!("http://127.0.0.1:{port}/"))
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("portal did not start");
}

pub async fn login(
    base: &str,
    email: &str,
    password: &str,
) -> (reqwest::Client, reqwest::Response) {
    let client = browser();
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf(&page).as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    (client, response)
}

#[tokio::test]
async fn operator_commands_and_restart_after_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let added = run(dir.path(), port, &["user", "add", "op@example.org"]);
    let password = added
        .lines()
        .find_map(|l| l.strip_prefix("One-time initial password: "))
        .expect("password printed")
        .to_string();

    let server = serve(dir.path(), port).await;
    let (client, response) = login(&base, "op@example.org", &password).await;
    let html = response.text().await.unwrap();
    let phone = Phone::enroll(&uri_from_page(&html)).await;
    let challenge = phone.challenges().await.remove(0);
    let done = client
        .post(format!("{base}/login/code"))
        .form(&[
            ("csrf", csrf(&html).as_str()),
            ("code", phone.code(&challenge).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("Wiederherstellungscodes")
    );
    // The one-time initial password must be replaced before the dashboard opens.
    let forced = client
        .get(format!("{base}/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(forced.url().path(), "/password/change");
    let form = forced.text().await.unwrap();
    assert!(form.contains("Einmal-Passwort"));
    let password_new = "Ein-neues-Passwort-2026";
    let changed = client
        .post(format!("{base}/password/change"))
        .form(&[
            ("csrf", csrf(&form).as_str()),
            ("current", password.as_str()),
            ("new", password_new),
            ("repeat", password_new),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.url().path(), "/dashboard");
    let password = password_new.to_string();

    server.kill();
    let server = serve(dir.path(), port).await;
    let (client, response) = login(&base, "op@example.org", &password).await;
    assert_eq!(response.url().path(), "/login/code");
    let html = response.text().await.unwrap();
    let challenge = phone.challenges().await.remove(0);
    let done = client
        .post(format!("{base}/login/code"))
        .form(&[
            ("csrf", csrf(&html).as_str()),
            ("code", phone.code(&challenge).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        done.url().path(),
        "/dashboard",
        "device, seed and signing key survived SIGKILL"
    );

    let reissued = run(
        dir.path(),
        port,
        &["user", "reset-password", "op@example.org"],
    );
    let one_time = reissued
        .lines()
        .find_map(|l| l.strip_prefix("One-time initial password: "))
        .expect("new password printed");
    let (_, stale) = login(&base, "op@example.org", &password).await;
    assert!(stale.text().await.unwrap().contains("Passwort ist falsch"));
    let (_, fresh) = login(&base, "op@example.org", one_time).await;
    assert_eq!(fresh.url().path(), "/login/code");
    let password = one_time.to_string();

    let reset = run(dir.path(), port, &["user", "reset-2fa", "op@example.org"]);
    assert!(reset.contains("otpauth://totp/Zweifaktor:op@example.org?secret="));
    assert_eq!(phone.fetch().await.status(), 401, "reset signs devices out");
    run(dir.path(), port, &["user", "disable", "op@example.org"]);
    let (_, refused) = login(&base, "op@example.org", &password).await;
    assert!(refused.text().await.unwrap().contains("gesperrt"));
    server.kill();

    let missing = portal_cmd(dir.path(), port)
        .args(["user", "disable", "nobody@example.org"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

#[tokio::test]
async fn demo_prints_credentials_and_an_enrollment_uri() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = Server(
        portal_cmd(dir.path(), port)
            .args(["demo", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = server.0.stdout.take().unwrap();
    let lines: Vec<String> = tokio::task::spawn_blocking(move || {
        use std::io::BufRead as _;
        std::io::BufReader::new(stdout)
            .lines()
            .take(5)
            .map(Result::unwrap)
            .collect()
    })
    .await
    .unwrap();
    server.kill();
    assert_eq!(
        lines[0],
        format!("Zweifaktor demo portal: http://127.0.0.1:{port}/")
    );
    assert_eq!(lines[1], "E-mail address: demo@zweifaktor.example");
    assert!(lines[2].starts_with("Password: "));
    assert!(lines[4].starts_with("otpauth://totp/Zweifaktor:demo@zweifaktor.example?secret="));
    assert!(lines[4].contains("&zf_enroll="));
}
