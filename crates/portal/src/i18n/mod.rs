//! Page texts in German (default) and English.
//!
//! The language comes from `?lang=en|de` (remembered in a cookie), else from the browser's
//! `Accept-Language`, else German. Every page template reads its words from [`Texts`].
//!
//! # Layout
//! - this file: [`Lang`] and the [`Texts`] every language fills in;
//! - `de.rs` and `en.rs`: the texts themselves, [`DE`] and [`EN`].

mod de;
mod en;

pub use de::DE;
pub use en::EN;

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
    /// The code page of an account that has had devices and has none now.
    pub no_device_notice: &'static str,
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
