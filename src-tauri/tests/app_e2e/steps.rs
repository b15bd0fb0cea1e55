//! Steps and helpers the walks share: the PINs, the offline set-up, numbered screenshots, the
//! wrong PINs up to the lock-out, and "Code (PIN) vergessen" → reset.

use std::path::Path;

use zweifaktor_e2e::webdriver::Session;

use crate::harness::{Screens, Xvfb, screenshot_dir};

/// The user's PIN: six digits, no run, not all the same.
pub const PIN: &str = "274951";

/// A PIN that is valid but wrong.
pub const WRONG_PIN: &str = "580316";

/// The base-32 seed of the test account: RFC 6238 Appendix B's SHA-1 seed
/// ("12345678901234567890", 160 bits).
pub const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// An enrollment URI as the portal's dashboard shows it (without the push parameters).
pub const URI: &str = "otpauth://totp/Portal:erika@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Portal&algorithm=SHA1&digits=6&period=30";

/// Sets the app up from [`URI`] with `pin` and goes on to the codes.
pub fn enroll(s: &Session, pin: &str) {
    s.screen("enroll");
    s.type_into("#enroll-uri", URI);
    s.click("#enroll-submit");
    s.screen("pin-setup");
    s.type_into("#pin-new", pin);
    s.type_into("#pin-repeat", pin);
    s.click("#pin-setup-submit");
    s.screen("done");
    s.click("#done-continue");
    s.screen("codes");
}

/// Numbers the screenshots of one walk in the order a user sees the screens.
pub struct Shots<'a> {
    display: &'a Xvfb,
    walk: &'static str,
    count: u32,
}

impl<'a> Shots<'a> {
    /// Screenshots of the app's window named `WALK-NN-NAME.png`.
    pub fn new(display: &'a Xvfb, walk: &'static str) -> Self {
        Self {
            display,
            walk,
            count: 0,
        }
    }

    /// Takes the next screenshot.
    pub fn take(&mut self, name: &str) {
        self.count += 1;
        let file = format!("{}-{:02}-{name}.png", self.walk, self.count);
        self.display.screenshot(&screenshot_dir().join(file));
    }
}

/// The digits of a shown code (the UI puts a thin space in the middle).
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// From the login screen: wrong PINs show the tries left, the fifth the wait, and then even
/// the right PIN is refused until the wait is over.
pub fn wrong_pins_until_locked_out(s: &Session, shots: &mut Shots<'_>) {
    s.screen("login");
    s.type_into("#login-pin", WRONG_PIN);
    s.click("#login-submit");
    s.text_where("#login-error", |t| t.contains("Noch 4 Versuche"));
    shots.take("login-wrong-pin");
    for left in ["Noch 3 Versuche", "Noch 2 Versuche", "Noch ein Versuch"] {
        s.type_into("#login-pin", WRONG_PIN);
        s.click("#login-submit");
        s.text_where("#login-error", |t| t.contains(left));
    }
    s.type_into("#login-pin", WRONG_PIN);
    s.click("#login-submit");
    s.text_where("#login-error", |t| t.contains("warten Sie"));
    s.type_into("#login-pin", PIN);
    s.click("#login-submit");
    s.text_where("#login-error", |t| t.contains("Zu viele falsche PINs"));
    shots.take("login-locked-out");
}

/// From the login screen: "Code (PIN) vergessen" resets the app only after confirming; then
/// it asks for a set-up link again and the vault in `data` is gone.
pub fn forgot_pin_and_reset(s: &Session, shots: &mut Shots<'_>, data: &Path) {
    s.click("#login-forgot");
    s.screen("reset");
    s.text_where("#reset-title", |t| t == "Code (PIN) vergessen");
    shots.take("forgot-pin");
    s.click("#reset-understood");
    s.click("#reset-confirm");
    s.screen("enroll");
    shots.take("enroll-after-reset");
    assert!(
        std::fs::read_dir(data)
            .unwrap()
            .filter_map(Result::ok)
            .all(|entry| !entry.file_name().to_string_lossy().starts_with("vault")),
        "the vault is gone after the reset"
    );
}
