//! Links that open the app (issue 13): with the app running, the app binary is started again
//! with an `otpauth://` link, as the desktop does when the user opens one. The second start
//! hands the link to the running app over the walk's D-Bus session bus
//! (tauri-plugin-single-instance) and exits; the running app shows the link's add-account
//! preview, after the PIN when it was locked, and adds the account only on "Speichern". Every
//! code is checked against oathtool.
//!
//! Screenshots: `target/screenshots/app/links-*.png`.

use zweifaktor_e2e::webdriver::Session;

use crate::harness::{Driver, Screens, Theme, Xvfb, oathtool_totp, unix_now};
use crate::steps::{PIN, SECRET, Shots, digits, enroll};

/// The secret of the account the first link adds (160 bits).
const SHOP_SECRET: &str = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";

/// The first link, opened while the app is locked.
const SHOP_LINK: &str =
    "otpauth://totp/Versandhaus:erika?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Versandhaus";

/// The secret of the account the second link adds (160 bits).
const CLOUD_SECRET: &str = "GE3TMOJVGY4DGMZRGE3TMOJVGY4DGMZR";

/// The second link, opened while the app is open.
const CLOUD_LINK: &str =
    "otpauth://totp/Wolke:erika?secret=GE3TMOJVGY4DGMZRGE3TMOJVGY4DGMZR&issuer=Wolke";

/// A link of the app's scheme without a secret.
const BROKEN_LINK: &str = "otpauth://totp/Kaputt:erika?issuer=Kaputt";

/// Starts the app again with `link`; that start must hand it over and end successfully.
fn open_link(driver: &Driver, link: &str) {
    let status = driver.start_again(link);
    assert!(status.success(), "the second start ended with {status}");
}

/// The code of list item `n` (from 1) matches oathtool's for `secret` (the 30-second step
/// may turn while it is read).
fn code_matches_oathtool(s: &Session, n: usize, secret: &str) {
    let selector = format!("#codes-list li:nth-child({n}) .code");
    let before = unix_now();
    let shown = digits(&s.text_where(&selector, |t| digits(t).len() == 6));
    let after = unix_now();
    let expected = [
        oathtool_totp(secret, before.saturating_sub(2)),
        oathtool_totp(secret, after),
    ];
    assert!(
        expected.contains(&shown),
        "item {n}: the app shows {shown}, oathtool says {expected:?}"
    );
}

#[test]
#[ignore = "needs Xvfb, dbus-daemon, tauri-driver, WebKitWebDriver and oathtool: run scripts/app-e2e.sh"]
fn a_second_start_with_a_link_opens_the_add_preview_after_the_pin() {
    let data = tempfile::tempdir().unwrap();
    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb, data.path(), Theme::Light);
    let s = driver.start_app();
    let mut shots = Shots::new(&xvfb, "links");

    enroll(&s, PIN);

    // Locked: the link waits for the PIN, the login screen says so.
    s.click("#codes-lock");
    s.screen("login");
    open_link(&driver, SHOP_LINK);
    s.text_where("#login-link", |t| t.contains("geöffneten Link"));
    shots.take("login-link-waiting");
    s.type_into("#login-pin", PIN);
    s.click("#login-submit");
    s.screen("add-preview");
    s.text_where("#preview-issuer", |t| t == "Versandhaus");
    s.text_where("#preview-name", |t| t == "erika");
    shots.take("link-preview");
    s.click("#preview-save");
    s.screen("codes");
    s.text_where("#codes-status", |t| {
        t.contains("„Versandhaus:erika“ hinzugefügt")
    });
    s.visible("#codes-list li:nth-child(2) .code");
    assert_eq!(s.find_all("#codes-list li").len(), 2);
    code_matches_oathtool(&s, 1, SECRET);
    code_matches_oathtool(&s, 2, SHOP_SECRET);

    // Open: the preview comes at once.
    open_link(&driver, CLOUD_LINK);
    s.screen("add-preview");
    s.text_where("#preview-issuer", |t| t == "Wolke");
    s.click("#preview-save");
    s.screen("codes");
    s.visible("#codes-list li:nth-child(3) .code");
    code_matches_oathtool(&s, 3, CLOUD_SECRET);
    shots.take("codes-after-links");

    // A broken link of the app's scheme: the add screen says why, nothing is added.
    open_link(&driver, BROKEN_LINK);
    s.screen("add");
    s.text_where("#add-error", |t| {
        t.contains("kein gültiger Einrichtungslink")
    });
    shots.take("link-broken");
    s.click("#add-back");
    s.screen("codes");
    assert_eq!(s.find_all("#codes-list li").len(), 3);
    s.end();
}
