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
        feed(self.command(args), stdin)
    }

    /// Runs the binary with `ZF_PIN` set, writing `stdin` to its standard input.
    pub fn run_with_pin_and_stdin(&self, pin: &str, stdin: &str, args: &[&str]) -> Output {
        let mut cmd = self.command(args);
        cmd.env("ZF_PIN", pin);
        feed(cmd, stdin)
    }

    /// `add -` with `link` on standard input (the PIN in `ZF_PIN`), with `--json` if asked.
    pub fn add_output(&self, link: &str, json: bool) -> Output {
        let args: &[&str] = if json {
            &["--json", "add", "-"]
        } else {
            &["add", "-"]
        };
        self.run_with_pin_and_stdin(PIN, &format!("{link}\n"), args)
    }

    /// Adds an account from `link` (on standard input) and asserts success.
    pub fn add(&self, link: &str) {
        assert_success(&self.add_output(link, false));
    }

    /// The code printed by `code ACCOUNT --at AT`.
    pub fn code_at(&self, account: &str, at: u64) -> String {
        let out = self.run_with_pin(PIN, &["code", account, "--at", &at.to_string()]);
        assert_success(&out);
        stdout(&out).trim().to_owned()
    }

    /// The folder holding the vault, for files a test writes beside it.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// The binary with `--vault` and `args`, and no PIN or vault variables inherited.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zweifaktor-device"));
        cmd.arg("--vault").arg(&self.vault).args(args);
        cmd.env_remove("ZF_PIN")
            .env_remove("ZF_NEW_PIN")
            .env_remove("ZF_VAULT")
            .env_remove("ZF_IMPORT_PASSWORD")
            .env_remove("ZF_EXPORT_PASSWORD");
        cmd
    }
}

/// Runs `cmd` with `stdin` written to its standard input and returns its output.
pub fn feed(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zweifaktor-device");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    // A command that refuses before reading its input may have closed it already.
    if let Err(err) = written {
        assert_eq!(
            err.kind(),
            std::io::ErrorKind::BrokenPipe,
            "write stdin: {err}"
        );
    }
    child.wait_with_output().expect("wait")
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
