//! Accounts after set-up on the command line (issue 10): `add-manual`, `rename`, `remove`,
//! Steam codes, and how `list` marks weak secrets and Steam.
//!
//! Steam's expected code is the one the Steam app showed for KeePassXC's test account
//! (keepassxreboot/keepassxc, tests/TestTotp.cpp, `testSteamTotp`: secret
//! `63BEDWCQZKTQWPESARIERL5DTTQFCJTK`, `FR8RV` at 1511200518).

use crate::common::{Device, PIN, assert_success, stderr, stdout};

/// RFC 6238 Appendix B seed for SHA-1 ("12345678901234567890"), base32.
const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// `--json ARGS` with `ZF_PIN` set and `secret` as the one input line.
fn add_manual(device: &Device, secret: &str, args: &[&str]) -> std::process::Output {
    let mut full = vec!["--json", "add-manual"];
    full.extend_from_slice(args);
    device.run_with_pin_and_stdin(PIN, &format!("{secret}\n"), &full)
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).expect("json")
}

fn error_kind(out: &std::process::Output) -> serde_json::Value {
    json(out)["error"]["kind"].clone()
}

#[test]
fn a_typed_secret_comes_after_the_pin_line_as_the_site_prints_it() {
    let device = Device::new();
    // The RFC 6238 seed in lower case and groups of four, as set-up pages print secrets.
    let typed = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq";
    let out = device.run_with_stdin(
        &format!("{PIN}\n{typed}\n"),
        &[
            "add-manual",
            "--issuer",
            "Example",
            "--name",
            "alice",
            "--digits",
            "8",
        ],
    );
    assert_success(&out);
    assert_eq!(stdout(&out).lines().count(), 1, "no weak-secret note");
    // RFC 6238 Appendix B, SHA1, 8 digits: T=59 → 94287082.
    assert_eq!(device.code_at("Example:alice", 59), "94287082");
}

#[test]
fn add_manual_makes_hotp_and_sha256_accounts() {
    let device = Device::new();
    let hotp = add_manual(
        &device,
        RFC_SEED,
        &["--name", "bob", "--type", "hotp", "--counter", "5"],
    );
    assert_success(&hotp);
    assert_eq!(json(&hotp)["account"]["kind"]["counter"], 5);
    // RFC 4226 Appendix D: counter 5 → 254676.
    assert_eq!(device.code_at("bob", 0), "254676");
    // RFC 6238 Appendix B, SHA256 seed "12345678901234567890123456789012", 8 digits:
    // T=59 → 46119246.
    let sha256_seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    let out = add_manual(
        &device,
        sha256_seed,
        &[
            "--issuer",
            "Shop",
            "--name",
            "bob",
            "--algorithm",
            "sha256",
            "--digits",
            "8",
            "--period",
            "30",
        ],
    );
    assert_success(&out);
    assert_eq!(device.code_at("Shop:bob", 59), "46119246");
}

#[test]
fn steam_codes_are_shown_as_steam_shows_them_and_list_marks_steam_and_weak_secrets() {
    let device = Device::new();
    let out = add_manual(
        &device,
        "63BEDWCQZKTQWPESARIERL5DTTQFCJTK",
        &["--issuer", "Steam", "--name", "gaben", "--type", "steam"],
    );
    assert_success(&out);
    assert_eq!(device.code_at("Steam:gaben", 1_511_200_518), "FR8RV");
    let weak = device.run_with_pin_and_stdin(
        PIN,
        "JBSWY3DPEHPK3PXP\n",
        &["add-manual", "--issuer", "Portal", "--name", "erika"],
    );
    assert_success(&weak);
    assert!(
        stdout(&weak).contains("shorter than 128 bits"),
        "{}",
        stdout(&weak)
    );
    let list = device.run_with_pin(PIN, &["list"]);
    assert_success(&list);
    let text = stdout(&list);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("  steam  Steam:gaben"), "{text}");
    assert!(!lines[0].contains("weak"), "{text}");
    assert!(lines[1].ends_with("Portal:erika  (weak secret)"), "{text}");
    let list = json(&device.run_with_pin(PIN, &["--json", "list"]));
    assert_eq!(list["accounts"][0]["kind"]["type"], "steam");
    assert_eq!(list["accounts"][0]["digits"], 5);
    assert_eq!(list["accounts"][1]["weak_secret"], true);
}

#[test]
fn bad_entries_are_usage_errors_with_their_kind() {
    let device = Device::new();
    for (secret, args, kind) in [
        ("JBSW-Y3DP", vec!["--name", "a"], "invalid_secret"),
        (" ", vec!["--name", "a"], "empty_secret"),
        (RFC_SEED, vec!["--name", " "], "empty_name"),
        (
            RFC_SEED,
            vec!["--name", "a", "--digits", "9"],
            "invalid_digits",
        ),
        (
            RFC_SEED,
            vec!["--name", "a", "--period", "0"],
            "invalid_period",
        ),
        (
            RFC_SEED,
            vec!["--name", "a", "--issuer", "x:y"],
            "invalid_issuer",
        ),
        (
            RFC_SEED,
            vec!["--name", "a", "--counter", "1"],
            "option_for_other_type",
        ),
        (
            RFC_SEED,
            vec!["--name", "a", "--type", "steam", "--digits", "6"],
            "option_for_other_type",
        ),
    ] {
        let out = add_manual(&device, secret, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(error_kind(&out), kind, "{args:?}");
    }
    let none = device.run_with_pin_and_stdin(PIN, "", &["--json", "add-manual", "--name", "a"]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(error_kind(&none), "no_secret");
    let both = add_manual(
        &device,
        RFC_SEED,
        &["--name", "a", "--period", "30", "--counter", "1"],
    );
    assert_eq!(
        both.status.code(),
        Some(2),
        "clap refuses --period with --counter"
    );
    let on_the_command_line = add_manual(&device, "", &["--name", "a", "--secret", RFC_SEED]);
    assert_eq!(on_the_command_line.status.code(), Some(2));
    let list = json(&device.run_with_pin(PIN, &["--json", "list"]));
    assert!(list["accounts"].as_array().unwrap().is_empty());
}

#[test]
fn the_same_secret_and_label_is_a_duplicate_another_secret_is_not() {
    let device = Device::new();
    let args = ["--issuer", "Example", "--name", "alice"];
    assert_success(&add_manual(&device, RFC_SEED, &args));
    let again = add_manual(&device, &RFC_SEED.to_ascii_lowercase(), &args);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(error_kind(&again), "duplicate_account");
    let other = add_manual(&device, "JBSWY3DPEHPK3PXP", &args);
    assert_success(&other);
    let id = json(&other)["account"]["id"].as_str().unwrap().to_owned();
    let ambiguous = device.run_with_pin(PIN, &["--json", "code", "Example:alice"]);
    assert_eq!(error_kind(&ambiguous), "ambiguous_account");
    assert!(
        stdout(&ambiguous).contains(&id),
        "candidates name their ids"
    );
    // `oathtool --totp -b JBSWY3DPEHPK3PXP -N @1700000000` → 324550.
    assert_eq!(device.code_at(&id, 1_700_000_000), "324550");
}

#[test]
fn rename_changes_what_is_given_and_keeps_the_rest() {
    let device = Device::new();
    assert_success(&add_manual(
        &device,
        RFC_SEED,
        &["--issuer", "Example", "--name", "alice"],
    ));
    let out = device.run_with_pin(PIN, &["--json", "rename", "alice", "--name", "Alice W."]);
    assert_success(&out);
    assert_eq!(json(&out)["account"]["label"], "Example:Alice W.");
    let out = device.run_with_pin(PIN, &["rename", "Example:Alice W.", "--issuer", "Bank"]);
    assert_success(&out);
    assert!(
        stdout(&out).ends_with("to Bank:Alice W.\n"),
        "{}",
        stdout(&out)
    );
    let out = device.run_with_pin(PIN, &["--json", "rename", "Alice W.", "--issuer", ""]);
    assert_success(&out);
    assert_eq!(json(&out)["account"]["issuer"], serde_json::Value::Null);
    let nothing = device.run_with_pin(PIN, &["rename", "Alice W."]);
    assert_eq!(nothing.status.code(), Some(2), "needs --issuer or --name");
    let empty = device.run_with_pin(PIN, &["--json", "rename", "Alice W.", "--name", ""]);
    assert_eq!(empty.status.code(), Some(2));
    assert_eq!(error_kind(&empty), "empty_name");
    assert_eq!(device.code_at("Alice W.", 59), "287082");
}

#[test]
fn remove_deletes_the_named_account_only() {
    let device = Device::new();
    assert_success(&add_manual(
        &device,
        RFC_SEED,
        &["--issuer", "A", "--name", "x"],
    ));
    assert_success(&add_manual(
        &device,
        RFC_SEED,
        &["--issuer", "B", "--name", "x"],
    ));
    let out = device.run_with_pin(PIN, &["remove", "A:x"]);
    assert_success(&out);
    assert!(
        stdout(&out).starts_with("Removed A:x ("),
        "{}",
        stdout(&out)
    );
    assert!(
        !stdout(&out).contains("portal"),
        "no portal note for a plain account"
    );
    let unknown = device.run_with_pin(PIN, &["--json", "remove", "A:x"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(error_kind(&unknown), "unknown_account");
    let list = json(&device.run_with_pin(PIN, &["--json", "list"]));
    assert_eq!(list["accounts"][0]["label"], "B:x");
    let needs_a_name = device.run_with_pin(PIN, &["remove"]);
    assert_eq!(needs_a_name.status.code(), Some(2));
}

#[test]
fn help_documents_the_exit_codes() {
    let device = Device::empty();
    let out = device.run_with_pin(PIN, &["--help"]);
    assert_success(&out);
    let text = stdout(&out);
    for line in ["Exit codes:", "3  wrong PIN", "4  the vault is missing"] {
        assert!(text.contains(line), "{line:?} missing from --help:\n{text}");
    }
}
