//! The app as an everyday authenticator (issue 10), offline: an account added by hand and one
//! by link (with the duplicate refused), an encrypted Aegis file imported (a wrong password
//! first), the search, a rename and a move, a code copied and read back from the X clipboard
//! with xclip, an encrypted backup and Google Authenticator QR codes exported, the app reset,
//! the backup restored, and every code checked against oathtool before and after.
//!
//! The save and open dialogs are the folder the harness passes in `ZF_APP_TEST_DIALOG_DIR`
//! (the walk's build has the `e2e-dialogs` feature): WebDriver cannot drive a native dialog.
//!
//! Screenshots: `target/screenshots/app/everyday-*.png`.

use std::collections::BTreeMap;

use zweifaktor_e2e::webdriver::Session;

use crate::fixtures::{AEGIS_PASSWORD, aegis_file};
use crate::harness::{Driver, Screens, Theme, Xvfb, clipboard, oathtool_totp, unix_now};
use crate::steps::{PIN, SECRET, Shots, digits, enroll};

/// The secret of the account typed in by hand, as GitHub prints it: lower case in groups, 80
/// bits (the app takes it with a note).
const TYPED_SECRET: &str = "jbsw y3dp ehpk 3pxp";

/// The same secret as base 32, for oathtool.
const GITHUB_SECRET: &str = "JBSWY3DPEHPK3PXP";

/// The secret of the account added by link (160 bits).
const BANK_SECRET: &str = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";

/// The link of the bank's account.
const BANK_LINK: &str =
    "otpauth://totp/Hausbank:erika?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Hausbank";

/// The accounts of the Aegis file: issuer and secret (160 bits each).
const AEGIS_ACCOUNTS: [(&str, &str); 3] = [
    ("Mastodon", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"),
    ("Nextcloud", "GE3TMOJVGY4DGMZRGE3TMOJVGY4DGMZR"),
    ("Forgejo", "ONSWG4TFOQWXI2LOMVQWK3DTNFXGO5DP"),
];

/// The password of the backup the walk exports: long enough for the core's strength rule.
const BACKUP_PASSWORD: &str = "Kaffeetasse Fahrrad Wolke 2026";

/// The file name the app suggests for its encrypted backup.
const BACKUP_FILE: &str = "zweifaktor-backup.json";

/// The secret of each account the walk ends with, by the issuer the list shows.
fn secrets() -> BTreeMap<&'static str, &'static str> {
    let mut secrets = BTreeMap::from([
        ("Portal", SECRET),
        ("GitHub Enterprise", GITHUB_SECRET),
        ("Hausbank", BANK_SECRET),
    ]);
    secrets.extend(AEGIS_ACCOUNTS);
    secrets
}

/// The list item `n` (from 1) of the codes screen.
fn item(n: usize) -> String {
    format!("#codes-list li:nth-child({n})")
}

/// Checks every shown code against oathtool; `count` accounts are expected.
fn codes_match_oathtool(s: &Session, count: usize) {
    let secrets = secrets();
    s.visible(&format!("{} .code", item(count)));
    for n in 1..=count {
        let issuer = s.text_where(&format!("{} .issuer", item(n)), |t| !t.is_empty());
        let secret = secrets
            .get(issuer.as_str())
            .unwrap_or_else(|| panic!("unexpected account {issuer}"));
        let before = unix_now();
        let shown = digits(&s.text_where(&format!("{} .code", item(n)), |t| digits(t).len() == 6));
        let after = unix_now();
        let expected = [
            oathtool_totp(secret, before.saturating_sub(2)),
            oathtool_totp(secret, after),
        ];
        assert!(
            expected.contains(&shown),
            "{issuer}: the app shows {shown}, oathtool says {expected:?}"
        );
    }
}

/// From the codes screen: "Konto hinzufügen".
fn open_add(s: &Session) {
    s.click("#codes-add");
    s.screen("add");
}

/// From the codes screen: the import of the file the open dialog "chooses", up to the
/// password form.
fn import_chosen_file(s: &Session) {
    open_add(s);
    s.click("#add-import");
    s.screen("import");
    s.visible("#import-password-form");
}

#[test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver, oathtool and xclip: run scripts/app-e2e.sh"]
fn add_find_rename_copy_import_export_reset_and_restore() {
    let data = tempfile::tempdir().unwrap();
    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb, data.path(), Theme::Light);
    let s = driver.start_app();
    let mut shots = Shots::new(&xvfb, "everyday");

    enroll(&s, PIN);

    // By hand: the secret as the site prints it; the preview notes the short secret.
    open_add(&s);
    shots.take("add");
    s.click("#add-manual");
    s.screen("manual");
    s.type_into("#manual-issuer", "GitHub");
    s.type_into("#manual-name", "erika");
    s.type_into("#manual-secret", TYPED_SECRET);
    shots.take("manual");
    s.click("#manual-submit");
    s.screen("add-preview");
    s.text_where("#preview-issuer", |t| t == "GitHub");
    s.visible("#preview-weak");
    shots.take("preview-weak-secret");
    s.click("#preview-save");
    s.screen("codes");
    s.text_where("#codes-status", |t| {
        t.contains("„GitHub:erika“ hinzugefügt")
    });

    // By link; the same account a second time is refused in the preview.
    open_add(&s);
    s.type_into("#add-uri", BANK_LINK);
    s.click("#add-link-submit");
    s.screen("add-preview");
    s.text_where("#preview-issuer", |t| t == "Hausbank");
    s.click("#preview-save");
    s.screen("codes");
    open_add(&s);
    s.type_into("#add-uri", BANK_LINK);
    s.click("#add-link-submit");
    s.screen("add-preview");
    s.text_where("#preview-duplicate", |t| t.contains("schon eingerichtet"));
    shots.take("preview-duplicate");
    s.click("#preview-cancel");
    s.screen("add");
    s.click("#add-back");
    s.screen("codes");

    // An encrypted Aegis file: a wrong password says so, the right one shows the preview.
    let file = aegis_file(&AEGIS_ACCOUNTS);
    driver.choose_bytes(&file);
    import_chosen_file(&s);
    s.text_where("#import-format", |t| t.contains("Aegis"));
    s.type_into("#import-password", "falsches Passwort");
    s.click("#import-password-submit");
    s.text_where("#import-password-error", |t| {
        t.contains("Falsches Passwort")
    });
    shots.take("import-wrong-password");
    s.type_into("#import-password", AEGIS_PASSWORD);
    s.click("#import-password-submit");
    s.visible("#import-preview");
    s.text_where("#import-add-title", |t| t == "Wird hinzugefügt (3)");
    shots.take("import-preview");
    s.click("#import-confirm");
    s.screen("codes");
    s.text_where("#codes-status", |t| t == "3 Konten importiert.");

    // Six accounts: the search field; "next" finds Nextcloud alone.
    s.visible("#codes-search");
    s.type_into("#codes-search", "next");
    s.wait_for("the search to hide the others", |s| {
        let first = s.try_find(&item(1))?;
        (!s.displayed(&first)).then_some(())
    });
    s.text_where(&format!("{} .issuer", item(5)), |t| t == "Nextcloud");
    shots.take("search");
    // WebDriver types no empty text: a space is a search that matches every account.
    s.type_into("#codes-search", " ");
    s.visible(&item(1));

    // Rename GitHub and move it to the top.
    s.click(&format!("{} button.edit", item(2)));
    s.screen("account");
    s.type_into("#rename-issuer", "GitHub Enterprise");
    s.click("#rename-submit");
    s.text_where("#rename-message", |t| t == "Gespeichert.");
    s.click("#account-up");
    s.text_where("#account-position", |t| t == "Position 1 von 6");
    shots.take("account");
    s.click("#account-delete");
    s.visible("#account-delete-confirm");
    shots.take("account-delete-confirm");
    s.click("#account-delete-no");
    s.click("#account-back");
    s.screen("codes");
    s.text_where(&format!("{} .issuer", item(1)), |t| {
        t == "GitHub Enterprise"
    });
    shots.take("codes-six");
    codes_match_oathtool(&s, 6);

    // Copy: a tap on the code puts it into the X clipboard.
    s.click(&format!("{} button.copy", item(1)));
    s.text_where("#codes-status", |t| t.contains("kopiert"));
    let copied = clipboard(&xvfb);
    let now = unix_now();
    assert!(
        [
            oathtool_totp(GITHUB_SECRET, now.saturating_sub(3)),
            oathtool_totp(GITHUB_SECRET, now)
        ]
        .contains(&copied),
        "clipboard holds {copied:?}"
    );
    shots.take("copied");

    // The encrypted backup, behind the PIN; a weak password is refused first.
    s.click("#codes-settings");
    s.screen("settings");
    shots.take("settings");
    s.click("#settings-export");
    s.screen("export");
    s.type_into("#export-password", "kurz");
    s.type_into("#export-password-repeat", "kurz");
    s.type_into("#export-pin", PIN);
    s.click("#export-submit");
    s.text_where("#export-error", |t| t.contains("zu schwach"));
    s.type_into("#export-password", BACKUP_PASSWORD);
    s.type_into("#export-password-repeat", BACKUP_PASSWORD);
    s.type_into("#export-pin", PIN);
    shots.take("export");
    s.click("#export-submit");
    s.text_where("#export-message", |t| t.contains("6 Konten gespeichert"));
    shots.take("export-saved");
    let backup = driver.saved(BACKUP_FILE);
    assert!(
        backup.exists(),
        "the backup is where the save dialog put it"
    );

    // Google Authenticator's transfer codes, drawn in the app.
    s.click("#export-google");
    s.type_into("#export-pin", PIN);
    s.click("#export-submit");
    s.visible("#export-qr-image img");
    s.text_where("#export-qr-position", |t| t.starts_with("QR-Code 1 von 1"));
    shots.take("export-google-qr");

    // Reset, set up again, restore the backup: the same codes.
    s.click("#export-back");
    s.screen("settings");
    s.click("#settings-reset");
    s.screen("reset");
    s.click("#reset-understood");
    s.click("#reset-confirm");
    s.screen("enroll");
    enroll(&s, PIN);
    driver.choose_file(&backup);
    import_chosen_file(&s);
    s.type_into("#import-password", BACKUP_PASSWORD);
    s.click("#import-password-submit");
    s.text_where("#import-add-title", |t| t == "Wird hinzugefügt (5)");
    s.text_where("#import-present-title", |t| t == "Schon vorhanden (1)");
    shots.take("restore-preview");
    s.click("#import-confirm");
    s.screen("codes");
    s.text_where("#codes-status", |t| t == "5 Konten importiert.");
    codes_match_oathtool(&s, 6);
    shots.take("codes-restored");
    s.end();
}
