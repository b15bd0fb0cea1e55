//! `import` and `export` of the headless device (issue 10): formats detected, passwords from
//! their variables or the line after the PIN, the exit codes 3 (wrong file password) and 4
//! (damaged file), files written private, and the round trips through each export format.
//!
//! The otpauth lists follow Google's Key Uri Format
//! (github.com/google/google-authenticator/wiki/Key-Uri-Format); the Bitwarden file follows
//! "Condition a Bitwarden .csv or .json" (bitwarden.com/help/condition-bitwarden-import).

use std::path::{Path, PathBuf};

use crate::common::{Device, PIN, assert_success, stderr, stdout};

/// RFC 6238 Appendix B: the SHA-1 seed, and the code at T = 59 with 8 digits.
const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// A strong backup password for the Aegis export.
const BACKUP_PASSWORD: &str = "correct horse battery staple 42";

fn list_file(device: &Device, name: &str, text: &str) -> PathBuf {
    let path = device.dir().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn links() -> String {
    format!(
        "# two accounts and one the app cannot show\n\
         otpauth://totp/Bank:erika?secret={RFC_SEED}&issuer=Bank&digits=8\n\
         \n\
         otpauth://motp/Corp:erika?secret={RFC_SEED}\n\
         otpauth://steam/Steam:gaben?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=Steam\n"
    )
}

fn path_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn labels(device: &Device) -> Vec<String> {
    let out = device.run_with_pin(PIN, &["--json", "list"]);
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    json["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_dry_run_prints_the_preview_and_saves_nothing() {
    let device = Device::new();
    let file = list_file(&device, "links.txt", &links());
    let out = device.run_with_pin(PIN, &["import", path_arg(&file), "--dry-run"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.contains("otpauth list file, nothing imported yet"),
        "{text}"
    );
    assert!(text.contains("To add (2):"), "{text}");
    assert!(text.contains("line 4 [motp]"), "{text}");
    assert!(!text.contains(RFC_SEED), "no secret in the preview");
    assert!(labels(&device).is_empty());

    let out = device.run_with_pin(PIN, &["--json", "import", path_arg(&file), "--dry-run"]);
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["result"], "import_preview");
    assert_eq!(json["preview"]["format"], "uri-list");
    assert_eq!(json["preview"]["to_add"][0]["label"], "Bank:erika");
    assert_eq!(json["preview"]["unsupported"][0]["label"], "line 4");
}

#[test]
fn an_import_adds_new_accounts_and_skips_those_present() {
    let device = Device::new();
    let file = list_file(&device, "links.txt", &links());
    let out = device.run_with_pin(PIN, &["import", path_arg(&file)]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Imported 2 account(s)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(labels(&device), ["Bank:erika", "Steam:gaben"]);
    assert_eq!(device.code_at("Bank:erika", 59), "94287082");

    let out = device.run_with_pin(PIN, &["--json", "import", path_arg(&file)]);
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["report"]["added"].as_array().unwrap().len(), 0);
    assert_eq!(
        json["report"]["already_present"].as_array().unwrap().len(),
        2
    );
    assert_eq!(labels(&device).len(), 2);
}

#[test]
fn a_damaged_or_missing_file_exits_with_4() {
    let device = Device::new();
    let bitwarden = format!(
        r#"{{"encrypted": false, "items": [{{"type": 1, "name": "Bank", "login": {{"totp": "{RFC_SEED}"}}}}]}}"#
    );
    let truncated = list_file(&device, "bw.json", &bitwarden[..bitwarden.len() - 5]);
    let out = device.run_with_pin(PIN, &["--json", "import", path_arg(&truncated)]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["error"]["kind"], "file_damaged");
    assert!(!stdout(&out).contains(RFC_SEED));

    let unknown = list_file(&device, "notes.txt", "just some notes\n");
    let out = device.run_with_pin(PIN, &["import", path_arg(&unknown)]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));

    let missing = device.dir().join("missing.json");
    let out = device.run_with_pin(PIN, &["import", path_arg(&missing)]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(labels(&device).is_empty());
}

#[test]
fn the_plain_export_is_private_and_imports_into_a_new_vault_with_the_same_codes() {
    let device = Device::new();
    let file = list_file(&device, "links.txt", &links());
    assert_success(&device.run_with_pin(PIN, &["import", path_arg(&file)]));
    let export = device.dir().join("export.txt");
    let out = device.run_with_pin(PIN, &["export", "--format", "uris", path_arg(&export)]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Exported 2 account(s)"),
        "{}",
        stdout(&out)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&export).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let text = std::fs::read_to_string(&export).unwrap();
    assert_eq!(text.lines().count(), 2);

    // An existing file is not overwritten.
    let again = device.run_with_pin(PIN, &["export", "--format", "uris", path_arg(&export)]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&export).unwrap(), text);

    let other = Device::new();
    assert_success(&other.run_with_pin(PIN, &["import", path_arg(&export)]));
    assert_eq!(labels(&other), labels(&device));
    for at in [59, 1_111_111_109] {
        for label in ["Bank:erika", "Steam:gaben"] {
            assert_eq!(other.code_at(label, at), device.code_at(label, at));
        }
    }
}

#[test]
fn the_google_export_writes_one_link_a_line_and_reads_back() {
    let device = Device::new();
    let file = list_file(&device, "links.txt", &links());
    assert_success(&device.run_with_pin(PIN, &["import", path_arg(&file)]));
    let export = device.dir().join("google.txt");
    let out = device.run_with_pin(
        PIN,
        &["--json", "export", "--format", "google", path_arg(&export)],
    );
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["exported"], 1);
    assert_eq!(json["qr_codes"], 1);
    assert_eq!(json["not_exported"][0]["label"], "Steam:gaben");
    assert_eq!(json["not_exported"][0]["reason"], "steam_not_in_format");
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(text.starts_with("otpauth-migration://offline?data="));

    let other = Device::new();
    assert_success(&other.run_with_pin(PIN, &["import", path_arg(&export)]));
    assert_eq!(labels(&other), ["Bank:erika"]);
    assert_eq!(other.code_at("Bank:erika", 59), "94287082");
}

#[test]
fn the_encrypted_backup_restores_with_its_password_and_a_wrong_one_exits_with_3() {
    let device = Device::new();
    let file = list_file(&device, "links.txt", &links());
    assert_success(&device.run_with_pin(PIN, &["import", path_arg(&file)]));
    let backup = device.dir().join("backup.json");

    // A weak password is refused before anything is written.
    let weak = device
        .command(&["export", "--format", "aegis", path_arg(&backup)])
        .env("ZF_PIN", PIN)
        .env("ZF_EXPORT_PASSWORD", "password1")
        .output()
        .unwrap();
    assert_eq!(weak.status.code(), Some(2), "{}", stderr(&weak));
    assert!(!backup.exists());

    // The password as the line after the PIN.
    let out = device.run_with_stdin(
        &format!("{PIN}\n{BACKUP_PASSWORD}\n"),
        &["export", "--format", "aegis", path_arg(&backup)],
    );
    assert_success(&out);
    let text = std::fs::read_to_string(&backup).unwrap();
    assert!(
        !text.contains(RFC_SEED) && !text.contains("erika"),
        "the backup is encrypted"
    );

    let other = Device::new();
    let wrong = other
        .command(&["--json", "import", path_arg(&backup)])
        .env("ZF_PIN", PIN)
        .env("ZF_IMPORT_PASSWORD", "not the password")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3), "{}", stderr(&wrong));
    let json: serde_json::Value = serde_json::from_str(&stdout(&wrong)).unwrap();
    assert_eq!(json["error"]["kind"], "wrong_file_password");
    assert!(labels(&other).is_empty());

    let out = other.run_with_stdin(
        &format!("{PIN}\n{BACKUP_PASSWORD}\n"),
        &["import", path_arg(&backup)],
    );
    assert_success(&out);
    assert_eq!(labels(&other), labels(&device));
    assert_eq!(
        other.code_at("Steam:gaben", 59),
        device.code_at("Steam:gaben", 59)
    );
}

#[test]
fn an_encrypted_file_without_a_password_is_a_usage_error() {
    let device = Device::new();
    let backup = device.dir().join("backup.json");
    let out = device
        .command(&["export", "--format", "aegis", path_arg(&backup)])
        .env("ZF_PIN", PIN)
        .env("ZF_EXPORT_PASSWORD", BACKUP_PASSWORD)
        .output()
        .unwrap();
    assert_success(&out);
    let other = Device::new();
    let out = other.run_with_pin(PIN, &["--json", "import", path_arg(&backup)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["error"]["kind"], "no_password");
}

#[test]
fn export_with_a_wrong_pin_exits_with_3_and_writes_nothing() {
    let device = Device::new();
    let export = device.dir().join("export.txt");
    let out = device.run_with_pin("580316", &["export", "--format", "uris", path_arg(&export)]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!export.exists());
}
