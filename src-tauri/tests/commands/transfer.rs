//! Import and export through the commands: the encrypted backup exported behind the PIN and
//! imported into another app (a wrong password first), the plain list, Google Authenticator
//! transfer codes (drawn as QR pictures, and a pasted transfer link going to the import
//! preview), portal-bound accounts left out and named.

use std::sync::Arc;

use serde_json::{Value, json};
use zeroize::Zeroizing;
use zweifaktor_app_lib::exporting::{BACKUP_FILE_NAME, URI_LIST_FILE_NAME};
use zweifaktor_core::Authenticator;
use zweifaktor_core::clock::FixedClock;
use zweifaktor_core::export::ExportRequest;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::KdfProfile;

use crate::common::{App, PIN, SEED, WRONG_PIN};
use crate::portal::Portal;

/// A second account with the RFC 6238 seed under its own label, 8 digits.
const GITHUB: &str =
    "otpauth://totp/GitHub:erika?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub&digits=8";

/// A backup password the core's strength rule accepts.
const PASSWORD: &str = "Sonnenblume Fahrradkette Nordsee";

/// The export form as the window sends it.
fn export_form(format: &str, pin: &str, password: Option<&str>) -> Value {
    json!({"request": {"format": format, "pin": pin, "password": password, "title": "Sicherung speichern"}})
}

/// An open app holding the enrollment's account and [`GITHUB`].
fn with_two_accounts() -> App {
    let app = App::enrolled();
    app.ok("read_link", json!({ "uri": GITHUB }));
    app.ok("confirm_add", json!({}));
    app
}

#[test]
fn the_backup_is_exported_behind_the_pin_and_restores_into_another_app() {
    let app = with_two_accounts();
    let weak = app.err("export_accounts", export_form("aegis", PIN, Some("kurz")));
    assert_eq!(weak["code"], "weak_password");
    let wrong = app.err(
        "export_accounts",
        export_form("aegis", WRONG_PIN, Some(PASSWORD)),
    );
    assert_eq!(wrong["code"], "wrong_pin");
    let result = app.ok("export_accounts", export_form("aegis", PIN, Some(PASSWORD)));
    assert_eq!(
        result["saved"],
        json!({"file": BACKUP_FILE_NAME, "count": 2})
    );
    assert_eq!(result["leftOut"], json!([]));
    let backup = app.saved_file(BACKUP_FILE_NAME);
    assert!(
        !String::from_utf8_lossy(&backup).contains(SEED),
        "the backup is encrypted"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(app.saved_path(BACKUP_FILE_NAME))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the backup is the user's alone: {mode:o}");
    }

    let restored = App::enrolled();
    restored.choose_file(&backup);
    let step = restored.ok("pick_import_file", json!({"title": "Datei wählen"}));
    assert_eq!(step, json!({"format": "Aegis", "needsPassword": true}));
    let err = restored.err("open_import", json!({"password": "falsch"}));
    assert_eq!(err["code"], "wrong_password");
    assert_eq!(err["format"], "Aegis");
    let step = restored.ok("open_import", json!({ "password": PASSWORD }));
    let preview = &step["preview"];
    assert_eq!(preview["to_add"][0]["label"], "GitHub:erika");
    assert_eq!(
        preview["already_present"][0]["label"],
        "Portal:erika@example.org"
    );
    assert_eq!(
        restored
            .ok("list_codes", json!({}))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let report = restored.ok("confirm_import", json!({}));
    assert_eq!(report["added"].as_array().unwrap().len(), 1);
    let codes = restored.ok("list_codes", json!({}));
    // RFC 6238 Appendix B, SHA1, 8 digits, T=59.
    assert_eq!(codes[1]["label"], "GitHub:erika");
    assert_eq!(codes[1]["code"], "94287082");
    assert_eq!(
        restored.err("confirm_import", json!({}))["code"],
        "nothing_pending"
    );
}

#[test]
fn the_plain_list_is_saved_where_the_dialog_says() {
    let app = with_two_accounts();
    let result = app.ok("export_accounts", export_form("uris", PIN, None));
    assert_eq!(result["saved"]["count"], 2);
    let list = String::from_utf8(app.saved_file(URI_LIST_FILE_NAME)).unwrap();
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines.iter().all(|l| l.starts_with("otpauth://totp/")),
        "{list}"
    );
}

#[test]
fn google_transfer_codes_come_back_as_qr_pictures_and_steam_is_named() {
    let app = with_two_accounts();
    app.ok(
        "preview_manual",
        json!({"entry": {"issuer": "Steam", "name": "gabe", "secret": SEED, "type": "steam"}}),
    );
    app.ok("confirm_add", json!({}));
    let result = app.ok("export_accounts", export_form("google", PIN, None));
    let codes = result["qrCodes"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    assert!(codes[0].as_str().unwrap().contains("<svg"));
    assert_eq!(result["leftOut"][0]["label"], "Steam:gabe");
    assert_eq!(result["leftOut"][0]["reason"], "steam_not_in_format");
    assert!(result.get("saved").is_none());
}

/// A Google Authenticator transfer link holding [`GITHUB`], written by the core's exporter
/// in another vault.
pub fn transfer_link() -> String {
    let dir = tempfile::tempdir().unwrap();
    let pin = Pin::new(Zeroizing::new(PIN.to_owned())).unwrap();
    let mut other = Authenticator::create(
        &dir.path().join("vault.json"),
        "erika@example.org",
        &pin,
        KdfProfile::TESTING,
        Arc::new(FixedClock::new(59)),
    )
    .unwrap();
    other.add_account(GITHUB).unwrap();
    let export = other.export(&pin, ExportRequest::GoogleMigration).unwrap();
    export.qr_links()[0].to_string()
}

#[test]
fn a_pasted_transfer_link_goes_to_the_import_preview() {
    let app = App::enrolled();
    let outcome = app.ok("read_link", json!({ "uri": transfer_link() }));
    assert_eq!(outcome["type"], "import");
    assert_eq!(outcome["step"]["format"], "Google Authenticator");
    assert_eq!(
        outcome["step"]["preview"]["to_add"][0]["label"],
        "GitHub:erika"
    );
    app.ok("confirm_import", json!({}));
    assert_eq!(app.ok("list_codes", json!({}))[1]["code"], "94287082");
}

#[test]
fn a_cancelled_dialog_an_unknown_file_and_a_locked_app() {
    let app = App::enrolled();
    let title = json!({"title": "Datei wählen"});
    assert_eq!(app.ok("pick_import_file", title.clone()), Value::Null);
    app.choose_file(b"just some text, no accounts");
    assert_eq!(
        app.err("pick_import_file", title.clone())["code"],
        "unknown_format"
    );
    app.ok("lock", json!({}));
    assert_eq!(app.err("pick_import_file", title)["code"], "app_locked");
    let err = app.err("export_accounts", export_form("uris", PIN, None));
    assert_eq!(err["code"], "app_locked");
}

#[test]
fn portal_bound_accounts_are_left_out_and_named() {
    let portal = Portal::start();
    let user = portal.user("erika@example.org");
    let app = App::at(portal.now());
    app.ok(
        "start_enrollment",
        json!({ "uri": portal.enrollment_uri(&user) }),
    );
    app.ok("finish_enrollment", json!({ "pin": PIN }));
    app.ok("read_link", json!({ "uri": GITHUB }));
    app.ok("confirm_add", json!({}));
    let result = app.ok("export_accounts", export_form("uris", PIN, None));
    assert_eq!(result["saved"]["count"], 1);
    let left_out = &result["leftOut"][0];
    assert_eq!(left_out["reason"], "portal_bound", "{left_out}");
    assert_eq!(left_out["portal_url"], format!("{}/", portal.url));
    assert!(
        left_out["label"]
            .as_str()
            .unwrap()
            .ends_with("erika@example.org")
    );
}
