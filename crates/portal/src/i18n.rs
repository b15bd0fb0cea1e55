//! Page texts in German (default) and English.
//!
//! The language comes from `?lang=en|de` (remembered in a cookie), else from the browser's
//! `Accept-Language`, else German. Every page template reads its words from [`Texts`].

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

/// Name of the cookie that remembers an explicit language choice.
pub const LANG_COOKIE: &str = "zf_lang";

/// A language the portal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Deutsch, the default.
    De,
    /// English.
    En,
}

impl Lang {
    /// Parses `de` or `en` (with region suffixes such as `en-GB`).
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase();
        if code == "de" || code.starts_with("de-") {
            Some(Self::De)
        } else if code == "en" || code.starts_with("en-") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The language from a request: query, then cookie, then `Accept-Language`.
    pub fn from_parts(parts: &Parts) -> Self {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("lang="))
                .and_then(Self::parse)
        });
        let from_cookie = || {
            crate::web::session::cookie_value(&parts.headers, LANG_COOKIE)
                .and_then(|v| Self::parse(&v))
        };
        let from_header = || {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.split(',')
                        .find_map(|item| Self::parse(item.split(';').next().unwrap_or("")))
                })
        };
        from_query
            .or_else(from_cookie)
            .or_else(from_header)
            .unwrap_or(Self::De)
    }

    /// The language code for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::De => "de",
            Self::En => "en",
        }
    }

    /// The words of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Self::De => &DE,
            Self::En => &EN,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts))
    }
}

/// Every text a page shows, in one language.
#[derive(Debug)]
pub struct Texts {
    /// Code of the other language, for the switch link.
    pub other_lang: &'static str,
    /// Label of the switch link.
    pub other_lang_name: &'static str,
    /// Product name in the header.
    pub app_name: &'static str,
    /// Heading of the start page.
    pub start_title: &'static str,
    /// Intro text of the start page.
    pub start_intro: &'static str,
    /// The "Login" button.
    pub login_button: &'static str,
    /// Title of the login page.
    pub login_title: &'static str,
    /// Heading of the login page.
    pub login_heading: &'static str,
    /// Label of the e-mail field.
    pub email_label: &'static str,
    /// Label of the password field.
    pub password_label: &'static str,
    /// Submit button of the login form.
    pub login_submit: &'static str,
    /// Link to the password help.
    pub forgot_link: &'static str,
    /// Wrong e-mail or password.
    pub bad_credentials: &'static str,
    /// Account locked or disabled.
    pub account_locked: &'static str,
    /// Title of the password help page.
    pub forgot_title: &'static str,
    /// Text of the password help page.
    pub forgot_text: &'static str,
    /// Back link.
    pub back: &'static str,
    /// Title of the code page.
    pub code_title: &'static str,
    /// Explanation on the code page.
    pub code_text: &'static str,
    /// Label of the code field.
    pub code_label: &'static str,
    /// The "Weiter" button.
    pub code_submit: &'static str,
    /// Link to recovery.
    pub no_device_link: &'static str,
    /// Wrong code, followed by the tries left.
    pub wrong_code: &'static str,
    /// Too many wrong codes.
    pub too_many_codes: &'static str,
    /// The login timed out.
    pub timeout: &'static str,
    /// The login was refused on the phone.
    pub denied: &'static str,
    /// Link back to the login form.
    pub login_again: &'static str,
    /// Title of the enrollment page.
    pub enroll_title: &'static str,
    /// How to enroll.
    pub enroll_text: &'static str,
    /// Label above the enrollment URI.
    pub enroll_uri_label: &'static str,
    /// Waiting for the app to register.
    pub enroll_waiting: &'static str,
    /// The app has registered.
    pub enroll_registered: &'static str,
    /// Title of the recovery page.
    pub recovery_title: &'static str,
    /// Explanation of the recovery page.
    pub recovery_text: &'static str,
    /// Label of the recovery-code field.
    pub recovery_label: &'static str,
    /// Submit button of the recovery form.
    pub recovery_submit: &'static str,
    /// Wrong recovery code.
    pub recovery_wrong: &'static str,
    /// Title of the page that shows new recovery codes.
    pub codes_title: &'static str,
    /// Advice for the new recovery codes.
    pub codes_text: &'static str,
    /// Continue to the dashboard.
    pub continue_dashboard: &'static str,
    /// Title of the dashboard.
    pub dashboard_title: &'static str,
    /// Greeting on the dashboard, followed by the e-mail address.
    pub signed_in_as: &'static str,
    /// Heading of the device list.
    pub devices_heading: &'static str,
    /// No devices yet.
    pub no_devices: &'static str,
    /// Remove a device.
    pub device_remove: &'static str,
    /// "added on" before a date.
    pub device_added: &'static str,
    /// Heading of the enrollment section.
    pub enroll_heading: &'static str,
    /// Button that shows a new enrollment QR code.
    pub enroll_button: &'static str,
    /// Notice that a new device must be enrolled.
    pub must_enroll: &'static str,
    /// Heading of the sign-in list.
    pub signins_heading: &'static str,
    /// Column: time.
    pub col_time: &'static str,
    /// Column: client address.
    pub col_ip: &'static str,
    /// Column: browser.
    pub col_browser: &'static str,
    /// Column: result.
    pub col_status: &'static str,
    /// Status: waiting for a code.
    pub status_pending: &'static str,
    /// Status: logged in.
    pub status_approved: &'static str,
    /// Status: refused on the phone.
    pub status_denied: &'static str,
    /// Status: timed out.
    pub status_expired: &'static str,
    /// Status: too many wrong codes.
    pub status_failed: &'static str,
    /// Status: recovery code used.
    pub status_recovery: &'static str,
    /// Status: wrong password.
    pub status_bad_password: &'static str,
    /// The logout button.
    pub logout: &'static str,
    /// Title of the password-change page (and the dashboard link).
    pub password_change_title: &'static str,
    /// Why the change is required after a one-time password.
    pub password_change_forced: &'static str,
    /// Label: current password.
    pub current_password: &'static str,
    /// Label: new password.
    pub new_password: &'static str,
    /// Label: repeat the new password.
    pub repeat_password: &'static str,
    /// Submit button of the password change.
    pub password_change_submit: &'static str,
    /// The two new passwords differ.
    pub password_mismatch: &'static str,
    /// The new password is too short.
    pub password_too_short: &'static str,
    /// The current password is wrong.
    pub password_wrong_current: &'static str,
    /// The new password equals the old one.
    pub password_same: &'static str,
}

/// German texts (default).
pub static DE: Texts = Texts {
    other_lang: "en",
    other_lang_name: "English",
    app_name: "Zweifaktor Portal",
    start_title: "Willkommen im Portal",
    start_intro: "Melden Sie sich mit Ihrer E-Mail-Adresse, Ihrem Passwort und dem Sicherheitscode aus Ihrer Zweifaktor-App an.",
    login_button: "Login",
    login_title: "Login",
    login_heading: "Bitte melden Sie sich an",
    email_label: "Benutzername/E-Mail-Adresse",
    password_label: "Passwort",
    login_submit: "Anmelden",
    forgot_link: "Passwort vergessen?",
    bad_credentials: "Benutzername oder Passwort ist falsch.",
    account_locked: "Dieses Konto ist gesperrt. Bitte wenden Sie sich an den Betreiber des Portals.",
    forgot_title: "Passwort vergessen?",
    forgot_text: "Aus Sicherheitsgründen kann das Portal Ihr Passwort weder anzeigen noch per E-Mail senden. Bitte wenden Sie sich an den Betreiber des Portals: Er setzt Ihr Passwort zurück und gibt Ihnen ein neues Einmal-Passwort.",
    back: "Zurück",
    code_title: "Eingabe Sicherheitscode",
    code_text: "Wir haben den für die weitere Anmeldung notwendigen Sicherheitscode an Ihre 2-Faktor-App gesendet. Bitte geben Sie ihn hier ein und klicken Sie auf „Weiter“.",
    code_label: "Sicherheitscode",
    code_submit: "Weiter",
    no_device_link: "Keinen Zugriff auf Authentifikations-Gerät?",
    wrong_code: "Der Sicherheitscode ist falsch. Verbleibende Versuche:",
    too_many_codes: "Zu viele falsche Sicherheitscodes — bitte melden Sie sich erneut an.",
    timeout: "Zeitüberschreitung — bitte melden Sie sich erneut an.",
    denied: "Diese Anmeldung wurde auf Ihrem Gerät abgelehnt („Das war ich nicht“).",
    login_again: "Erneut anmelden",
    enroll_title: "Authentifikations-Gerät einrichten",
    enroll_text: "Öffnen Sie die Zweifaktor-App und scannen Sie diesen QR-Code. Jede andere Authenticator-App funktioniert ebenfalls. Geben Sie danach den angezeigten Sicherheitscode ein.",
    enroll_uri_label: "Oder fügen Sie diese Adresse in der App ein:",
    enroll_waiting: "Warte auf die Registrierung der App …",
    enroll_registered: "Gerät registriert. Geben Sie jetzt den angezeigten Sicherheitscode ein.",
    recovery_title: "Keinen Zugriff auf Authentifikations-Gerät?",
    recovery_text: "Geben Sie einen Ihrer Wiederherstellungscodes ein. Jeder Code gilt nur einmal. Danach richten Sie ein neues Gerät ein; Ihre bisherigen Geräte werden abgemeldet.",
    recovery_label: "Wiederherstellungscode",
    recovery_submit: "Anmelden",
    recovery_wrong: "Dieser Wiederherstellungscode ist ungültig.",
    codes_title: "Ihre Wiederherstellungscodes",
    codes_text: "Bewahren Sie diese Codes sicher auf, zum Beispiel ausgedruckt. Jeder Code funktioniert genau einmal. Sie werden nur jetzt angezeigt.",
    continue_dashboard: "Weiter zur Startseite",
    dashboard_title: "Startseite",
    signed_in_as: "Angemeldet als",
    devices_heading: "Ihre Geräte",
    no_devices: "Noch kein Gerät eingerichtet.",
    device_remove: "Entfernen",
    device_added: "hinzugefügt am",
    enroll_heading: "Neues Gerät einrichten",
    enroll_button: "QR-Code anzeigen",
    must_enroll: "Bitte richten Sie jetzt ein neues Authentifikations-Gerät ein.",
    signins_heading: "Letzte Anmeldungen",
    col_time: "Zeit (UTC)",
    col_ip: "Adresse",
    col_browser: "Browser",
    col_status: "Ergebnis",
    status_pending: "Offen",
    status_approved: "Angemeldet",
    status_denied: "Abgelehnt – verdächtig",
    status_expired: "Zeitüberschreitung",
    status_failed: "Zu viele falsche Codes",
    status_recovery: "Mit Wiederherstellungscode",
    status_bad_password: "Falsches Passwort",
    logout: "Abmelden",
    password_change_title: "Passwort ändern",
    password_change_forced: "Sie haben sich mit einem Einmal-Passwort angemeldet. Bitte ersetzen Sie es jetzt durch ein eigenes Passwort.",
    current_password: "Aktuelles Passwort",
    new_password: "Neues Passwort (mindestens 12 Zeichen)",
    repeat_password: "Neues Passwort wiederholen",
    password_change_submit: "Passwort speichern",
    password_mismatch: "Die beiden neuen Passwörter stimmen nicht überein.",
    password_too_short: "Das neue Passwort ist zu kurz: Es braucht mindestens 12 Zeichen.",
    password_wrong_current: "Das aktuelle Passwort ist falsch.",
    password_same: "Das neue Passwort muss sich vom bisherigen unterscheiden.",
};

/// English texts.
pub static EN: Texts = Texts {
    other_lang: "de",
    other_lang_name: "Deutsch",
    app_name: "Zweifaktor Portal",
    start_title: "Welcome to the portal",
    start_intro: "Sign in with your e-mail address, your password and the security code from your Zweifaktor app.",
    login_button: "Login",
    login_title: "Login",
    login_heading: "Please sign in",
    email_label: "Username/e-mail address",
    password_label: "Password",
    login_submit: "Sign in",
    forgot_link: "Forgot your password?",
    bad_credentials: "Username or password is wrong.",
    account_locked: "This account is locked. Please contact the portal's operator.",
    forgot_title: "Forgot your password?",
    forgot_text: "For your security the portal can neither show your password nor send it by e-mail. Please contact the portal's operator, who resets it and gives you a new one-time password.",
    back: "Back",
    code_title: "Enter security code",
    code_text: "We have sent the security code needed to continue to your two-factor app. Please enter it here and press “Continue”.",
    code_label: "Security code",
    code_submit: "Continue",
    no_device_link: "No access to your authentication device?",
    wrong_code: "The security code is wrong. Tries left:",
    too_many_codes: "Too many wrong security codes — please sign in again.",
    timeout: "Timed out — please sign in again.",
    denied: "This sign-in was refused on your device (“That wasn't me”).",
    login_again: "Sign in again",
    enroll_title: "Set up your authentication device",
    enroll_text: "Open the Zweifaktor app and scan this QR code. Any other authenticator app works too. Then enter the security code it shows.",
    enroll_uri_label: "Or paste this address into the app:",
    enroll_waiting: "Waiting for the app to register …",
    enroll_registered: "Device registered. Now enter the security code it shows.",
    recovery_title: "No access to your authentication device?",
    recovery_text: "Enter one of your recovery codes. Each code works once. Afterwards you set up a new device; your previous devices are signed out.",
    recovery_label: "Recovery code",
    recovery_submit: "Sign in",
    recovery_wrong: "This recovery code is not valid.",
    codes_title: "Your recovery codes",
    codes_text: "Keep these codes safe, for example printed. Each code works exactly once. They are shown only now.",
    continue_dashboard: "Continue to the start page",
    dashboard_title: "Start page",
    signed_in_as: "Signed in as",
    devices_heading: "Your devices",
    no_devices: "No device set up yet.",
    device_remove: "Remove",
    device_added: "added on",
    enroll_heading: "Set up a new device",
    enroll_button: "Show QR code",
    must_enroll: "Please set up a new authentication device now.",
    signins_heading: "Recent sign-ins",
    col_time: "Time (UTC)",
    col_ip: "Address",
    col_browser: "Browser",
    col_status: "Result",
    status_pending: "Pending",
    status_approved: "Signed in",
    status_denied: "Refused – suspicious",
    status_expired: "Timed out",
    status_failed: "Too many wrong codes",
    status_recovery: "With recovery code",
    status_bad_password: "Wrong password",
    logout: "Sign out",
    password_change_title: "Change password",
    password_change_forced: "You signed in with a one-time password. Please replace it with a password of your own now.",
    current_password: "Current password",
    new_password: "New password (at least 12 characters)",
    repeat_password: "Repeat the new password",
    password_change_submit: "Save password",
    password_mismatch: "The two new passwords differ.",
    password_too_short: "The new password is too short: it needs at least 12 characters.",
    password_wrong_current: "The current password is wrong.",
    password_same: "The new password must differ from the old one.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut builder = Request::builder().uri(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn query_beats_cookie_beats_header_and_german_is_default() {
        assert_eq!(Lang::from_parts(&parts("/", &[])), Lang::De);
        assert_eq!(
            Lang::from_parts(&parts("/", &[("accept-language", "fr, en-GB;q=0.8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_parts(&parts(
                "/",
                &[("accept-language", "en"), ("cookie", "zf_lang=de")]
            )),
            Lang::De
        );
        assert_eq!(
            Lang::from_parts(&parts("/?lang=en", &[("cookie", "zf_lang=de")])),
            Lang::En
        );
    }

    #[test]
    fn both_languages_differ_on_the_flow_texts() {
        assert_eq!(DE.code_title, "Eingabe Sicherheitscode");
        assert_ne!(DE.code_title, EN.code_title);
        assert_eq!(Lang::En.texts().other_lang, "de");
    }
}
