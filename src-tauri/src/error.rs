//! The one error type every command returns: a stable `code` the UI branches on (and translates),
//! an English `message` for logs and tests, and the lock-out numbers the login screen shows.
//!
//! Messages are fixed texts chosen here, never the text of a library error, so no path,
//! URI or other internal detail reaches the window.

use serde::Serialize;

use crate::qr::QrError;
use crate::settings::SettingsError;

/// A failed command as the UI sees it.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    code: &'static str,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tries_left: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wait_until: Option<u64>,
}

impl CommandError {
    /// An error with a stable code and a fixed message.
    pub const fn new(code: &'static str, message: &'static str) -> Self {
        Self {
            code,
            message,
            tries_left: None,
            wait_until: None,
        }
    }

    /// The stable code the UI branches on.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<QrError> for CommandError {
    fn from(err: QrError) -> Self {
        match err {
            QrError::NotAnImage(_) => {
                Self::new("not_an_image", "the file is not a PNG or JPEG picture")
            }
            QrError::NoCode => Self::new("no_qr_code", "no QR code found in the picture"),
        }
    }
}

impl From<SettingsError> for CommandError {
    fn from(err: SettingsError) -> Self {
        match err {
            SettingsError::InvalidAutoLock(_) => {
                Self::new("invalid_setting", "this auto-lock time is not offered")
            }
            SettingsError::Io(_) | SettingsError::Encode(_) => {
                Self::new("settings_not_saved", "the preferences could not be saved")
            }
        }
    }
}
