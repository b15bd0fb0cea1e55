//! The phone side: the headless device binary with a vault in a temporary folder.

use std::io::{BufRead, BufReader, Write as _};
use std::process::{Child, Command, Output, Stdio};

/// PIN of the test vaults.
pub const PIN: &str = "274951";

/// A device with its own vault.
pub struct Device {
    _dir: tempfile::TempDir,
    vault: std::path::PathBuf,
}

impl Default for Device {
    fn default() -> Self {
        Self::new()
    }
}

impl Device {
    /// A fresh vault (cheap Argon2id profile, tests only).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.json");
        let device = Self { _dir: dir, vault };
        device.ok(&[
            "init",
            "--email",
            "demo@zweifaktor.example",
            "--insecure-test-kdf",
        ]);
        device
    }

    /// Runs a command; returns its output whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs a command with `input` on its standard input; returns its output whatever the
    /// exit code.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let written = child.stdin.take().unwrap().write_all(input.as_bytes());
        // A command that fails before reading its input may have closed it already.
        if let Err(err) = written {
            assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
        }
        child.wait_with_output().unwrap()
    }

    /// `--json add -` with `link` on standard input (a set-up link never goes on the command
    /// line, where `ps` shows it); returns the output whatever the exit code.
    pub fn try_add(&self, link: &str) -> Output {
        self.run_with_input(&["--json", "add", "-"], &format!("{link}\n"))
    }

    /// Adds the account of `link` and returns the JSON result lines; the command must succeed.
    pub fn add(&self, link: &str) -> Vec<serde_json::Value> {
        let args = ["--json", "add", "-"];
        Self::stdout_of_success(&args, self.try_add(link))
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Runs a command that must succeed; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        Self::stdout_of_success(args, self.run(args))
    }

    /// Standard output of `out`, after asserting that `args` succeeded.
    fn stdout_of_success(args: &[&str], out: Output) -> String {
        assert!(
            out.status.success(),
            "{args:?} exit {:?}: {}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `--json ARGS` and returns each line of output as JSON.
    pub fn json_lines(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        self.ok(&full)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Starts `--json listen ARGS` and returns the child with a line reader on its output.
    pub fn listen(&self, args: &[&str]) -> Listener {
        let mut full = vec!["--json", "listen"];
        full.extend_from_slice(args);
        let mut child = self
            .command(&full)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Listener { child, lines }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(crate::binary("zweifaktor-device"));
        cmd.arg("--vault")
            .arg(&self.vault)
            .args(args)
            .env("ZF_PIN", PIN)
            .env_remove("ZF_VAULT");
        cmd
    }
}

/// A running `listen`; killed when dropped.
pub struct Listener {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Listener {
    /// The next JSON line (blocks until the device prints one or exits).
    pub fn next_line(&mut self) -> Option<serde_json::Value> {
        self.lines
            .next()
            .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
