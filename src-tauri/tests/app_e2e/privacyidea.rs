//! The app with a real privacyIDEA server (3.14 from PyPI, poll-only push;
//! `zweifaktor_e2e::privacyidea`): a push token's `otpauth://pipush/…` link pasted into
//! "Konto hinzufügen", the key pair made and registered (enrollment step 2), a login opened
//! on the server with `/validate/check`, the challenge shown with privacyIDEA's title and
//! question while the app is open (it polls), accepted, and `/validate/polltransaction`
//! reporting the login as answered; a second login is refused with "Das war ich nicht". The
//! token's row in the account list (no code, its serial), and its removal from the phone,
//! which leaves it enrolled on the server.
//!
//! Screenshots: `target/screenshots/app/privacyidea-*.png`.

use zweifaktor_e2e::privacyidea::{Mode, PrivacyIdea};

use crate::harness::{Driver, Screens, Theme, Xvfb};
use crate::steps::{PIN, Shots, enroll};

/// privacyIDEA's default question and title on the phone.
const QUESTION: &str = "Do you want to confirm the login?";
const TITLE: &str = "privacyIDEA";

#[test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a privacyIDEA venv: run scripts/app-e2e.sh"]
fn push_token_added_and_logins_answered_in_the_app() {
    let server = PrivacyIdea::shared();
    let user = server.new_user(Mode::Standard);
    let token = server.enroll(&user);

    let data = tempfile::tempdir().unwrap();
    let xvfb = Xvfb::start();
    let driver = Driver::start(&xvfb, data.path(), Theme::Light);
    let s = driver.start_app();
    let mut shots = Shots::new(&xvfb, "privacyidea");
    enroll(&s, PIN);

    // "Konto hinzufügen" with the link the QR code carries; saving registers the phone's key.
    s.click("#codes-add");
    s.screen("add");
    s.type_into("#add-uri", &token.link);
    s.click("#add-link-submit");
    s.screen("add-preview");
    shots.take("preview");
    s.click("#preview-save");
    s.screen("codes");
    s.wait_for("the token enrolled", |_| {
        (server.rollout_state(&token.serial) == "enrolled").then_some(())
    });

    // Its row in the account list, after the account of the set-up: the "Push" marker, the
    // serial and the server instead of a code, and a button that names the token.
    let row = "#codes-list li.push-token";
    s.text_where(&format!("{row} .marker"), |t| t == "Push");
    s.text_where(&format!("{row} .push-details"), |t| {
        t.contains(&token.serial) && t.contains("127.0.0.1")
    });
    assert!(
        s.try_find(&format!("{row} .code")).is_none(),
        "a push token shows no code"
    );
    let open = s.visible(&format!("{row} button.edit"));
    assert!(s.accessible_name(&open).starts_with("Push-Token „"));
    shots.take("added");

    // A login on the server: the open app polls and shows it, signature checked.
    let login = server.trigger(&user);
    s.screen("challenge");
    s.text_where("#challenge-question", |t| t == QUESTION);
    s.text_where("#challenge-server-title", |t| t == TITLE);
    shots.take("challenge");
    s.click("#challenge-accept");
    s.wait_for("the login answered", |_| {
        server.poll_transaction(&login).answered.then_some(())
    });
    shots.take("accepted");
    assert!(server.finish(&user, &login, ""), "the login did not pass");

    // Another login, refused: the login page learns it was declined.
    let refused = server.trigger(&user);
    s.screen("challenge");
    s.click("#challenge-deny");
    s.click("#challenge-deny-yes");
    s.wait_for("the login declined", |_| {
        (server.poll_transaction(&refused).status == "declined").then_some(())
    });
    shots.take("declined");
    assert!(
        !server.finish(&user, &refused, ""),
        "a declined login passed"
    );

    // Removed from the phone behind the confirmation that the server keeps it: the row is
    // gone, and privacyIDEA still lists the token (there is no call to unregister it).
    s.screen("codes");
    s.click(&format!("{row} button.edit"));
    s.screen("account");
    s.click("#account-delete");
    s.text_where("#account-delete-portal", |t| t.contains("privacyIDEA"));
    shots.take("remove");
    s.click("#account-delete-yes");
    s.screen("codes");
    s.wait_for("the token's row gone", |b| {
        b.try_find(row).is_none().then_some(())
    });
    s.text_where("#codes-status", |t| t.starts_with("Push-Token „"));
    assert_eq!(server.rollout_state(&token.serial), "enrolled");
}
