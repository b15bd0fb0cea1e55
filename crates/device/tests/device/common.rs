//! Runs the real `zweifaktor-device` binary against a vault in a temporary folder.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// PIN used by the tests (not trivial, so the PIN rules accept it).
pub const PIN: &str = "274951";

/// A vault file in its own temporary folder.
pub struct Device {
    /// Keeps the temporary folder alive as long as the test needs it.
    _dir: tempfile::TempDir,
    /// The vault file inside it.
    pub vault: PathBuf,
}

impl Device {
    /// A folder without a vault yet.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let vault = dir.path().join("vault.json");
        Self { _dir: dir, vault }
    }

    /// A vault created with [`PIN`] for `demo@example.org`, cheap KDF.
    pub fn new() -> Self {
        let device = Self::empty();
        let out = device.run_with_pin(
            PIN,
            &["init", "--email", "demo@example.org", "--insecure-test-kdf"],
        );
        assert_success(&out);
        device
    }

    /// Runs the binary with `ZF_PIN` set.
    pub fn run_with_pin(&self, pin: &str, args: &[&str]) -> Output {
        self.command(args)
            .env("ZF_PIN", pin)
            .output()
            .expect("run zweifaktor-device")
    }

    /// Runs the binary without `ZF_PIN`, writing `stdin` to its standard input.
    pub fn run_with_stdin(&self, stdin: &str, args: &[&str]) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn zweifaktor-device");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait")
    }

    /// Adds an account and asserts success.
    pub fn add(&self, uri: &str) {
        assert_success(&self.run_with_pin(PIN, &["add", uri]));
    }

    /// The code printed by `code ACCOUNT --at AT`.
    pub fn code_at(&self, account: &str, at: u64) -> String {
        let out = self.run_with_pin(PIN, &["code", account, "--at", &at.to_string()]);
        assert_success(&out);
        stdout(&out).trim().to_owned()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zweifaktor-device"));
        cmd.arg("--vault").arg(&self.vault).args(args);
        cmd.env_remove("ZF_PIN")
            .env_remove("ZF_NEW_PIN")
            .env_remove("ZF_VAULT");
        cmd
    }
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Fails the test with both outputs unless the command succeeded.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
}
