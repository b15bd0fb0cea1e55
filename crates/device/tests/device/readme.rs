//! The README's headless example works exactly as printed (issue 10).
//!
//! The first `sh` block under "## The headless device" in the repository's README.md is read
//! at build time and run line by line with `sh`, the built `zweifaktor-device` first on `PATH`
//! and `HOME` in a temporary folder (the example keeps its vault in `~/zf-vault.json`). Every
//! command must succeed. Each `code` command's output is compared with `oathtool` (OATH
//! Toolkit, an implementation that is not ours) for the secret the example added under that
//! label, and with the code the README prints after `# → `, when it prints one.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::common::{assert_success, stdout};

const README: &str = include_str!("../../../../README.md");

/// What marks the code the README promises.
const SHOWN_CODE: &str = "# → ";

/// The example block, with `\`-continued lines joined.
fn example() -> Vec<String> {
    block(0)
}

/// The `index`-th `sh` block of the headless section, with `\`-continued lines joined.
fn block(index: usize) -> Vec<String> {
    let mut section = README
        .split_once("## The headless device")
        .expect("README has the headless section")
        .1;
    let mut block = "";
    for _ in 0..=index {
        let (text, rest) = section
            .split_once("```sh\n")
            .and_then(|(_, rest)| rest.split_once("\n```"))
            .expect("the section has that many sh blocks");
        block = text;
        section = rest;
    }
    let mut commands = Vec::new();
    let mut pending = String::new();
    for line in block.lines() {
        match line.strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(line);
                commands.push(std::mem::take(&mut pending));
            }
        }
    }
    commands
}

/// The words of `command` before any comment, split on white space.
fn words(command: &str) -> Vec<&str> {
    command
        .split_once(" #")
        .map_or(command, |(code, _)| code)
        .split_whitespace()
        .collect()
}

/// The text inside the `n`-th pair of single quotes.
fn quoted(command: &str, n: usize) -> &str {
    command.split('\'').nth(2 * n + 1).expect("quoted argument")
}

/// The value after `option` in `words`.
fn option<'a>(words: &[&'a str], option: &str) -> Option<&'a str> {
    words
        .iter()
        .position(|w| *w == option)
        .map(|i| words[i + 1])
}

/// The label and base32 secret an `add -` or `add-manual` line of the example adds.
fn added(command: &str) -> Option<(String, String)> {
    let words = words(command);
    if words.contains(&"add") {
        let link = quoted(command, 1);
        let label = link
            .strip_prefix("otpauth://totp/")
            .and_then(|rest| rest.split_once('?'))
            .expect("a totp link")
            .0;
        let secret = link
            .split_once("secret=")
            .and_then(|(_, rest)| rest.split('&').next())
            .expect("a secret");
        return Some((label.to_owned(), secret.to_owned()));
    }
    if words.contains(&"add-manual") {
        let label = format!(
            "{}:{}",
            option(&words, "--issuer").expect("--issuer"),
            option(&words, "--name").expect("--name")
        );
        let secret = quoted(command, 1).replace(' ', "").to_ascii_uppercase();
        return Some((label, secret));
    }
    None
}

/// `oathtool`'s TOTP code for the base32 `secret` at `at` (Unix seconds).
fn oathtool(secret: &str, at: u64) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", secret, &format!("--now=@{at}")])
        .output()
        .expect("oathtool is installed (scripts/test.sh installs it)");
    assert_success(&out);
    stdout(&out).trim().to_owned()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// Runs one line of the example with `sh`, the `export` lines before it.
fn run(exports: &str, command: &str, home: &Path) -> std::process::Output {
    let binary = Path::new(env!("CARGO_BIN_EXE_zweifaktor-device"));
    let path = format!(
        "{}:{}",
        binary.parent().expect("bin folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("set -e\n{exports}{command}"))
        .current_dir(home)
        .env("HOME", home)
        .env("PATH", path)
        .env_remove("ZF_PIN")
        .env_remove("ZF_NEW_PIN")
        .env_remove("ZF_VAULT")
        .output()
        .expect("sh");
    assert!(
        out.status.success(),
        "README line failed: {command}\nexit {:?}\n{}{}",
        out.status.code(),
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_readmes_headless_example_runs_as_printed() {
    let home = tempfile::tempdir().expect("temp home");
    let commands = example();
    let mut exports = String::new();
    let mut secrets: HashMap<String, String> = HashMap::new();
    let mut last_label = None;
    let mut codes_checked = 0;
    for command in &commands {
        if command.starts_with("export ") {
            exports.push_str(command);
            exports.push('\n');
            continue;
        }
        let before = now();
        let out = run(&exports, command, home.path());
        let after = now();
        if let Some((label, secret)) = added(command) {
            last_label = Some(label.clone());
            secrets.insert(label, secret);
        }
        let words = words(command);
        let Some(code_at) = words.iter().position(|w| *w == "code") else {
            continue;
        };
        let label = words
            .get(code_at + 1)
            .filter(|w| !w.starts_with("--"))
            .map(|w| (*w).to_owned())
            .or_else(|| last_label.clone())
            .expect("an account to show");
        let secret = &secrets[&label];
        let shown = stdout(&out).trim().to_owned();
        match option(&words, "--at") {
            Some(at) => {
                let expected = oathtool(secret, at.parse().expect("--at seconds"));
                assert_eq!(shown, expected, "{command}");
                if let Some((_, promised)) = command.split_once(SHOWN_CODE) {
                    assert_eq!(promised.trim(), expected, "the README's code for {label}");
                }
            }
            // Now: the code of the step the command ran in, which began before or at `after`.
            None => assert!(
                [oathtool(secret, before), oathtool(secret, after)].contains(&shown),
                "{command}: {shown}"
            ),
        }
        codes_checked += 1;
    }
    assert!(home.path().join("zf-vault.json").exists(), "vault not in ~");
    assert_eq!(codes_checked, 3, "the example's code lines");
    let promised = commands.iter().filter(|c| c.contains(SHOWN_CODE)).count();
    assert_eq!(promised, 2, "codes the README prints");
}

/// The second block, import and export, runs after the first as printed: both exports are
/// written, the preview of the plain one finds its account already in the vault, and the
/// backup imports with its password.
#[test]
fn the_readmes_import_and_export_example_runs_as_printed() {
    let home = tempfile::tempdir().expect("temp home");
    let mut exports = String::new();
    let mut last = None;
    for command in example().iter().chain(&block(1)) {
        if command.starts_with("export ") {
            exports.push_str(command);
            exports.push('\n');
            continue;
        }
        last = Some(run(&exports, command, home.path()));
    }
    for file in ["accounts.txt", "backup.json"] {
        assert!(home.path().join(file).exists(), "{file} not written");
    }
    let plain = std::fs::read_to_string(home.path().join("accounts.txt")).expect("export");
    assert!(
        plain.starts_with("otpauth://totp/Portal:erika@example.org?"),
        "{plain}"
    );
    let report = stdout(&last.expect("the block ran"));
    assert!(
        report.contains("Imported 0 account(s) from the Aegis file"),
        "{report}"
    );
    assert!(
        report.contains("Already in the vault, skipped (1)"),
        "{report}"
    );
}
