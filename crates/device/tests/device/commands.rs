//! The headless device's command line: commands, output, PIN input and exit codes.

use crate::common::{Device, PIN, assert_success, stderr, stdout};

/// RFC 6238 Appendix B seed for SHA-1 ("12345678901234567890"), base32.
const RFC6238_SHA1_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn rfc_uri() -> String {
    format!(
        "otpauth://totp/Example:alice@example.org?secret={RFC6238_SHA1_SEED}&issuer=Example&digits=8"
    )
}

#[test]
fn code_at_a_given_moment_matches_rfc6238() {
    let device = Device::new();
    device.add(&rfc_uri());
    // RFC 6238 Appendix B, SHA1 rows.
    assert_eq!(device.code_at("Example:alice@example.org", 59), "94287082");
    assert_eq!(device.code_at("alice@example.org", 1111111109), "07081804");
    assert_eq!(
        device.code_at("EXAMPLE:ALICE@EXAMPLE.ORG", 2000000000),
        "69279037"
    );
}

#[test]
fn the_only_account_needs_no_name() {
    let device = Device::new();
    device.add(&rfc_uri());
    let out = device.run_with_pin(PIN, &["code", "--at", "1234567890"]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), "89005924");
}

#[test]
fn json_output_carries_code_and_time_left() {
    let device = Device::new();
    device.add(&rfc_uri());
    let out = device.run_with_pin(PIN, &["--json", "code", "--at", "59"]);
    assert_success(&out);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["result"], "code");
    assert_eq!(value["code"], "94287082");
    assert_eq!(value["seconds_left"], 1);
    assert_eq!(value["account"], "Example:alice@example.org");
}

#[test]
fn list_shows_accounts_without_seeds() {
    let device = Device::new();
    device.add(&rfc_uri());
    device.add(
        "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank&counter=3",
    );
    let out = device.run_with_pin(PIN, &["--json", "list"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(!text.contains(RFC6238_SHA1_SEED), "seed leaked: {text}");
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    let accounts = value["accounts"].as_array().expect("array");
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[1]["label"], "Bank:bob");
    assert_eq!(accounts[1]["kind"]["counter"], 3);
}

#[test]
fn hotp_counter_advance_is_persisted() {
    let device = Device::new();
    // RFC 4226 Appendix D: counters 0, 1, 2 give 755224, 287082, 359152.
    device.add("otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0");
    let codes: Vec<String> = (0..3)
        .map(|_| {
            let out = device.run_with_pin(PIN, &["code"]);
            assert_success(&out);
            stdout(&out).trim().to_owned()
        })
        .collect();
    assert_eq!(codes, ["755224", "287082", "359152"]);
}

#[test]
fn ocra_answers_the_rfc6287_one_way_challenge() {
    let device = Device::new();
    // RFC 6287 Appendix C.1: 20-byte key "12345678901234567890", suite
    // OCRA-1:HOTP-SHA1-6:QN08, question 00000000 → 237653, 11111111 → 243178.
    device.add(&rfc_uri());
    for (question, expected) in [("00000000", "237653"), ("11111111", "243178")] {
        let out = device.run_with_pin(
            PIN,
            &[
                "ocra",
                "--suite",
                "OCRA-1:HOTP-SHA1-6:QN08",
                "--challenge",
                question,
            ],
        );
        assert_success(&out);
        assert_eq!(stdout(&out).trim(), expected);
    }
}

#[test]
fn ocra_suite_needing_a_password_is_refused() {
    let device = Device::new();
    device.add(&rfc_uri());
    let out = device.run_with_pin(
        PIN,
        &[
            "--json",
            "ocra",
            "--suite",
            "OCRA-1:HOTP-SHA256-8:QN08-PSHA1",
            "--challenge",
            "0",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "invalid_ocra_input");
    let out = device.run_with_pin(
        PIN,
        &["ocra", "--suite", "OCRA-2:nonsense", "--challenge", "0"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn pin_is_read_from_standard_input() {
    let device = Device::new();
    device.add(&rfc_uri());
    let out = device.run_with_stdin(&format!("{PIN}\n"), &["code", "--at", "59"]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), "94287082");
}

#[test]
fn pin_cannot_be_given_as_an_argument() {
    let device = Device::new();
    let out = device.run_with_pin(PIN, &["list", "--pin", PIN]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn wrong_pin_exits_with_3_and_says_how_many_tries_are_left() {
    let device = Device::new();
    let out = device.run_with_pin("864209", &["--json", "list"]);
    assert_eq!(out.status.code(), Some(3));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "wrong_pin");
}

#[test]
fn lock_out_after_five_wrong_pins_exits_with_3() {
    let device = Device::new();
    for _ in 0..5 {
        let out = device.run_with_pin("864209", &["list"]);
        assert_eq!(out.status.code(), Some(3));
    }
    let out = device.run_with_pin(PIN, &["--json", "list"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "locked");
}

#[test]
fn missing_vault_exits_with_4() {
    let device = Device::empty();
    let out = device.run_with_pin(PIN, &["list"]);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn corrupt_vault_without_backup_exits_with_4() {
    let device = Device::new();
    std::fs::write(&device.vault, b"{ not a vault").expect("write");
    let out = device.run_with_pin(PIN, &["--json", "list"]);
    assert_eq!(out.status.code(), Some(4));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "vault_corrupt");
}

#[test]
fn corrupt_vault_falls_back_to_the_backup() {
    let device = Device::new();
    device.add(&rfc_uri());
    // The backup is the version before the last save: it holds the first account only.
    device.add("otpauth://totp/Second:bob?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    std::fs::write(&device.vault, b"garbage").expect("write");
    let out = device.run_with_pin(PIN, &["code", "--at", "59"]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), "94287082");
    assert!(stderr(&out).contains("backup"), "{}", stderr(&out));
    let out = device.run_with_pin(PIN, &["code", "Second:bob"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the backup cannot know the second account"
    );
}

#[test]
fn trivial_pin_is_refused_at_init() {
    let device = Device::empty();
    let out = device.run_with_pin(
        "123456",
        &["init", "--email", "a@example.org", "--insecure-test-kdf"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!device.vault.exists());
}

#[test]
fn init_refuses_to_overwrite_a_vault() {
    let device = Device::new();
    let before = std::fs::read(&device.vault).expect("read");
    let out = device.run_with_pin(
        PIN,
        &["init", "--email", "b@example.org", "--insecure-test-kdf"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&device.vault).expect("read"), before);
}

#[test]
fn malformed_uri_is_refused_with_its_reason() {
    let device = Device::new();
    let out = device.add_output("otpauth://totp/x?secret=ABC", true);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "invalid_uri");
}

#[test]
fn ambiguous_and_unknown_accounts_are_refused() {
    let device = Device::new();
    device.add("otpauth://totp/A:same?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    device.add("otpauth://totp/B:same?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    let out = device.run_with_pin(PIN, &["--json", "code", "same"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "ambiguous_account");
    let out = device.run_with_pin(PIN, &["--json", "code", "nobody"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "unknown_account");
    let out = device.run_with_pin(PIN, &["--json", "code"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "ambiguous_account");
}

#[test]
fn change_pin_takes_old_and_new_pin_from_standard_input() {
    let device = Device::new();
    device.add(&rfc_uri());
    let out = device.run_with_stdin(
        &format!("{PIN}\n580316\n"),
        &["change-pin", "--insecure-test-kdf"],
    );
    assert_success(&out);
    assert_eq!(
        device.run_with_pin(PIN, &["list"]).status.code(),
        Some(3),
        "old PIN still works"
    );
    let out = device.run_with_pin("580316", &["code", "--at", "59"]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), "94287082");
}

/// `add -` reads the link from the line after the PIN when `ZF_PIN` is not set, so one pipe
/// carries both: `printf '%s\n%s\n' "$PIN" "$LINK" | zweifaktor-device add -`.
#[test]
fn add_reads_the_link_after_the_pin_from_standard_input() {
    let device = Device::new();
    let out = device.run_with_stdin(&format!("{PIN}\n{}\n", rfc_uri()), &["add", "-"]);
    assert_success(&out);
    assert_eq!(device.code_at("alice@example.org", 59), "94287082");
}

/// Regression (issue 9, finding 11): `add URI` put the seed and the portal's enroll token on
/// the command line, where every local user sees them in `ps`. A link there is now refused as
/// a usage error that points at `add -`, before the PIN is read; the secret is not echoed
/// and nothing is added.
#[test]
fn add_refuses_a_link_on_the_command_line() {
    let device = Device::new();
    let before = std::fs::read(&device.vault).expect("read");
    for json in [false, true] {
        let mut args = vec![
            "add",
            "otpauth://totp/Example:alice@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        ];
        if json {
            args.insert(0, "--json");
        }
        let out = device.run_with_pin(PIN, &args);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let shown = format!("{}{}", stdout(&out), stderr(&out));
        assert!(shown.contains("add -"), "{shown}");
        assert!(!shown.contains(RFC6238_SHA1_SEED), "secret echoed: {shown}");
        if json {
            let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
            assert_eq!(value["error"]["kind"], "link_on_command_line");
        }
    }
    assert_eq!(std::fs::read(&device.vault).expect("read"), before);
}

/// `add -` with the PIN in `ZF_PIN` and nothing on standard input is a usage error.
#[test]
fn add_without_a_link_on_standard_input_is_a_usage_error() {
    let device = Device::new();
    let out = device.run_with_pin_and_stdin(PIN, "", &["--json", "add", "-"]);
    assert_eq!(out.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "no_link");
}

/// Regression (issue 9, finding 12): a vault asking for more Argon2 passes than the app
/// writes is reported as damaged (exit code 4, `vault_corrupt`), not as a wrong PIN, and no
/// try is counted.
#[test]
fn hostile_kdf_parameters_are_a_damaged_vault() {
    let device = Device::new();
    let text = std::fs::read_to_string(&device.vault).expect("read");
    let tampered = text.replace("\"t\":1,", "\"t\":4,");
    assert_ne!(tampered, text);
    std::fs::write(&device.vault, &tampered).expect("write");
    let out = device.run_with_pin(PIN, &["--json", "list"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(value["error"]["kind"], "vault_corrupt");
    assert_eq!(
        std::fs::read_to_string(&device.vault).expect("read"),
        tampered,
        "the lock-out counter was written"
    );
}
