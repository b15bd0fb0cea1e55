//! Regression guard: the whole offline flow at trace level (import and export included) never
//! writes a secret to the log.

use crate::common::{Device, PIN, assert_success, stderr};

#[test]
fn trace_log_of_the_whole_flow_holds_no_secret() {
    let seed_b32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let seed_hex = hex::encode(
        data_encoding::BASE32_NOPAD
            .decode(seed_b32.as_bytes())
            .expect("b32"),
    );
    let new_pin = "580316";
    let uri = format!("otpauth://totp/Portal:erika@example.org?secret={seed_b32}&issuer=Portal");
    let device = Device::empty();
    let mut log = String::new();
    let mut codes = Vec::new();
    let mut run = |stdin: &str, args: &[&str]| {
        let mut full = vec!["--verbose"];
        full.extend_from_slice(args);
        let out = device.run_with_stdin(stdin, &full);
        assert_success(&out);
        log.push_str(&stderr(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let pin_line = format!("{PIN}\n");
    run(
        &pin_line,
        &[
            "init",
            "--email",
            "erika@example.org",
            "--insecure-test-kdf",
        ],
    );
    run(&format!("{PIN}\n{uri}\n"), &["add", "-"]);
    let typed = "mfrg gzdf mztw q2lk";
    run(
        &format!("{PIN}\n{typed}\n"),
        &["add-manual", "--issuer", "Shop", "--name", "erika"],
    );
    codes.push(run(
        &pin_line,
        &["code", "Portal:erika@example.org", "--at", "1700000000"],
    ));
    codes.push(run(
        &pin_line,
        &["code", "Shop:erika", "--at", "1700000000"],
    ));
    codes.push(run(
        &pin_line,
        &[
            "ocra",
            "--challenge",
            &"ab".repeat(32),
            "Portal:erika@example.org",
        ],
    ));
    run(
        &format!("{PIN}\n{new_pin}\n"),
        &["change-pin", "--insecure-test-kdf"],
    );
    run(&format!("{new_pin}\n"), &["list"]);
    let backup_password = "correct horse battery staple 42";
    let plain = device.dir().join("accounts.txt");
    let backup = device.dir().join("backup.json");
    let plain_arg = plain.to_str().expect("path");
    let backup_arg = backup.to_str().expect("path");
    run(
        &format!("{new_pin}\n"),
        &["export", "--format", "uris", plain_arg],
    );
    run(
        &format!("{new_pin}\n{backup_password}\n"),
        &["export", "--format", "aegis", backup_arg],
    );
    run(&format!("{new_pin}\n"), &["import", plain_arg]);
    run(
        &format!("{new_pin}\n{backup_password}\n"),
        &["import", backup_arg, "--dry-run"],
    );
    assert!(
        log.contains("accounts exported") && log.contains("import finished"),
        "{log}"
    );

    assert!(
        log.contains("vault created"),
        "debug log was not captured: {log}"
    );
    let typed_compact = typed.replace(' ', "");
    for secret in [
        seed_b32,
        &seed_hex,
        PIN,
        new_pin,
        &uri,
        typed,
        &typed_compact,
        &typed_compact.to_ascii_uppercase(),
        backup_password,
    ] {
        assert!(!log.contains(secret), "secret {secret:?} in log:\n{log}");
    }
    for code in &codes {
        assert_eq!(code.len(), 6);
        assert!(!log.contains(code.as_str()), "code {code} in log:\n{log}");
    }
}
