//! Adding accounts after set-up (link, picture, by hand) with the preview before the save,
//! a second portal's set-up link, renaming and reordering. Expected codes are the RFC test
//! vectors: RFC 6238 Appendix B (SHA-1, 8 digits) and RFC 4226 Appendix D.

use serde_json::{Value, json};

use crate::common::{App, PIN, SEED};
use crate::portal::Portal;
use crate::vault::qr_png;

/// A link of another site with the RFC 6238 seed, under a label of its own.
const GITHUB: &str =
    "otpauth://totp/GitHub:erika?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub&digits=8";

/// The README's example secret: 80 bits, as many sites issue, typed as sites print it.
const SHORT: &str = "jbsw y3dp ehpk 3pxp";

/// A manual entry as the window sends it.
fn entry(issuer: &str, name: &str, secret: &str, kind: Value) -> Value {
    let mut entry =
        json!({"issuer": issuer, "name": name, "secret": secret, "algorithm": "SHA1", "digits": 8});
    for (key, value) in kind.as_object().unwrap() {
        entry[key] = value.clone();
    }
    json!({ "entry": entry })
}

fn labels(app: &App) -> Vec<String> {
    app.ok("list_codes", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_link_is_previewed_then_saved_and_shows_its_code() {
    let app = App::enrolled();
    let outcome = app.ok("read_link", json!({ "uri": GITHUB }));
    assert_eq!(outcome["type"], "account");
    let preview = &outcome["preview"];
    assert_eq!(preview["account"]["label"], "GitHub:erika");
    assert_eq!(preview["account"]["duplicate"], false);
    assert_eq!(preview["account"]["weak_secret"], false);
    assert_eq!(preview["account"]["avatar"]["initial"], "G");
    assert_eq!(preview["portal_url"], Value::Null);
    assert!(!outcome.to_string().contains(SEED), "seed in the preview");
    assert_eq!(
        labels(&app).len(),
        1,
        "nothing is saved before the confirmation"
    );
    let added = app.ok("confirm_add", json!({}));
    assert_eq!(added["label"], "GitHub:erika");
    let codes = app.ok("list_codes", json!({}));
    assert_eq!(codes[1]["code"], "94287082");
    assert_eq!(
        app.err("confirm_add", json!({}))["code"],
        "nothing_pending",
        "a preview is saved once"
    );
}

#[test]
fn a_duplicate_is_shown_in_the_preview_and_refused_on_save() {
    let app = App::enrolled();
    let outcome = app.ok("read_link", json!({ "uri": crate::common::URI }));
    assert_eq!(outcome["preview"]["account"]["duplicate"], true);
    let err = app.err("confirm_add", json!({}));
    assert_eq!(err["code"], "duplicate_account");
    assert_eq!(labels(&app).len(), 1);
}

#[test]
fn a_short_secret_is_accepted_with_a_note() {
    let app = App::enrolled();
    let preview = app.ok(
        "preview_manual",
        entry(
            "GitHub",
            "erika",
            SHORT,
            json!({"type": "totp", "digits": 6}),
        ),
    );
    assert_eq!(preview["weak_secret"], true);
    let added = app.ok("confirm_add", json!({}));
    assert_eq!(added["weak_secret"], true);
}

#[test]
fn a_bad_link_is_refused_and_nothing_waits() {
    let app = App::enrolled();
    let err = app.err("read_link", json!({"uri": "otpauth://totp/broken"}));
    assert_eq!(err["code"], "invalid_uri");
    assert_eq!(app.err("confirm_add", json!({}))["code"], "nothing_pending");
}

#[test]
fn a_picture_of_a_qr_code_is_read_in_the_shell() {
    let app = App::enrolled();
    let title = json!({"title": "Bild eines QR-Codes wählen"});
    assert_eq!(app.ok("read_link_from_picture", title.clone()), Value::Null);
    app.choose_file(&qr_png(GITHUB));
    let outcome = app.ok("read_link_from_picture", title);
    assert_eq!(outcome["preview"]["account"]["label"], "GitHub:erika");
    app.ok("confirm_add", json!({}));
    assert_eq!(labels(&app)[1], "GitHub:erika");
}

#[test]
fn an_account_typed_by_hand_takes_spaces_and_lower_case() {
    let app = App::enrolled();
    let typed = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq";
    let preview = app.ok(
        "preview_manual",
        entry(
            "Bank",
            "erika",
            typed,
            json!({"type": "totp", "period": 30}),
        ),
    );
    assert_eq!(preview["label"], "Bank:erika");
    assert_eq!(preview["kind"], json!({"type": "totp", "period": 30}));
    app.ok("confirm_add", json!({}));
    assert_eq!(app.ok("list_codes", json!({}))[1]["code"], "94287082");
}

#[test]
fn hotp_by_hand_counts_on_with_each_next_code() {
    let app = App::enrolled();
    let mut hotp = entry(
        "Hausbank",
        "erika",
        SEED,
        json!({"type": "hotp", "counter": 0}),
    );
    hotp["entry"]["digits"] = json!(6);
    app.ok("preview_manual", hotp);
    let id = app.ok("confirm_add", json!({}))["id"].clone();
    // RFC 4226 Appendix D: counter 0 → 755224, counter 1 → 287082.
    assert_eq!(app.ok("next_code", json!({ "id": id }))["code"], "755224");
    assert_eq!(app.ok("next_code", json!({ "id": id }))["code"], "287082");
    let listed = app.ok("list_codes", json!({}));
    assert_eq!(
        listed[1]["code"],
        Value::Null,
        "the list uses up no HOTP code"
    );
}

#[test]
fn steam_by_hand_shows_five_characters_of_steams_alphabet() {
    let app = App::enrolled();
    app.ok(
        "preview_manual",
        entry("Steam", "gabe", SEED, json!({"type": "steam"})),
    );
    app.ok("confirm_add", json!({}));
    let code = app.ok("list_codes", json!({}))[1]["code"].clone();
    let code = code.as_str().unwrap();
    assert_eq!(code.chars().count(), 5, "{code}");
    assert!(
        code.chars()
            .all(|c| "23456789BCDFGHJKMNPQRTVWXY".contains(c)),
        "{code}"
    );
}

#[test]
fn a_bad_entry_is_a_typed_error() {
    let app = App::enrolled();
    let cases = [
        (
            entry("Bank", "erika", "not base32!", json!({"type": "totp"})),
            "invalid_secret",
        ),
        (
            entry("Bank", "erika", "  ", json!({"type": "totp"})),
            "empty_secret",
        ),
        (
            entry("a:b", "erika", SEED, json!({"type": "totp"})),
            "invalid_issuer",
        ),
        (
            entry("Bank", "erika", SEED, json!({"type": "totp", "period": 0})),
            "invalid_period",
        ),
        (
            entry("Bank", "erika", SEED, json!({"type": "totp", "digits": 9})),
            "invalid_digits",
        ),
        (
            entry(
                "Bank",
                "erika",
                SEED,
                json!({"type": "totp", "algorithm": "MD5"}),
            ),
            "invalid_algorithm",
        ),
    ];
    for (entry, code) in cases {
        let err = app.err("preview_manual", entry);
        assert_eq!(err["code"], code);
        assert!(!err.to_string().contains(SEED), "{err}");
    }
}

#[test]
fn locking_forgets_an_account_waiting_for_its_save() {
    let app = App::enrolled();
    app.ok("read_link", json!({ "uri": GITHUB }));
    app.ok("lock", json!({}));
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(app.err("confirm_add", json!({}))["code"], "nothing_pending");
    app.ok("read_link", json!({ "uri": GITHUB }));
    app.ok("discard_add", json!({}));
    assert_eq!(app.err("confirm_add", json!({}))["code"], "nothing_pending");
}

#[test]
fn rename_and_move_are_saved() {
    let app = App::enrolled();
    app.ok("read_link", json!({ "uri": GITHUB }));
    let github = app.ok("confirm_add", json!({}))["id"].clone();
    let renamed = app.ok(
        "rename_account",
        json!({"id": github, "issuer": "GitHub Enterprise", "name": "erika.m"}),
    );
    assert_eq!(renamed["label"], "GitHub Enterprise:erika.m");
    let err = app.err(
        "rename_account",
        json!({"id": github, "issuer": null, "name": "  "}),
    );
    assert_eq!(err["code"], "empty_name");
    let order = app.ok("move_account", json!({"id": github, "toIndex": 0}));
    assert_eq!(order[0]["label"], "GitHub Enterprise:erika.m");
    let err = app.err("move_account", json!({"id": github, "toIndex": 5}));
    assert_eq!(err["code"], "invalid_position");
    let app = app.restart();
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(
        labels(&app),
        ["GitHub Enterprise:erika.m", "Portal:erika@example.org"]
    );
}

#[test]
fn a_second_portals_link_registers_into_the_same_vault() {
    let first = Portal::start();
    let second = Portal::start();
    let erika = first.user("erika@example.org");
    let max = second.user("max@example.org");
    let app = App::at(first.now());
    app.ok(
        "start_enrollment",
        json!({ "uri": first.enrollment_uri(&erika) }),
    );
    app.ok("finish_enrollment", json!({ "pin": PIN }));
    let outcome = app.ok("read_link", json!({ "uri": second.enrollment_uri(&max) }));
    assert_eq!(outcome["preview"]["portal_url"], format!("{}/", second.url));
    assert!(
        second.devices(&max).is_empty(),
        "the preview registers nothing"
    );
    let added = app.ok("confirm_add", json!({}));
    assert_eq!(added["portal_url"], format!("{}/", second.url));
    assert_eq!(second.devices(&max).len(), 1);
    assert_eq!(first.devices(&erika).len(), 1);
    assert!(app.listening());
    let app = app.restart();
    app.ok("unlock", json!({ "pin": PIN }));
    assert_eq!(labels(&app).len(), 2, "one vault, one PIN");
}
