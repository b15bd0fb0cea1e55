//! The app's preferences (auto-lock time, language): not secret, kept as a small JSON file next
//! to the vault so that they are readable before the PIN is entered.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Name of the preferences file in the app's data folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// The auto-lock times the user can choose, in seconds in the background.
///
/// `0` locks as soon as the app leaves the foreground. The longest choice is 15 minutes, so a
/// phone left lying around is never open for long; the default is one minute (DESIGN.md).
pub const AUTO_LOCK_CHOICES: [u32; 5] = [0, 30, 60, 300, 900];

/// Default auto-lock time: one minute in the background, as the design asks.
pub const DEFAULT_AUTO_LOCK_SECONDS: u32 = 60;

/// Languages of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// German, the default: the portal and its users are German.
    #[default]
    De,
    /// English.
    En,
}

/// The user's preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Seconds in the background before the app locks itself; one of [`AUTO_LOCK_CHOICES`].
    pub auto_lock_seconds: u32,
    /// Language of the user interface.
    pub language: Language,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            auto_lock_seconds: DEFAULT_AUTO_LOCK_SECONDS,
            language: Language::default(),
        }
    }
}

/// Why preferences could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The auto-lock time is not one of the offered choices.
    #[error("auto-lock time {0} s is not one of the offered choices")]
    InvalidAutoLock(u32),
    /// The preferences file could not be written.
    #[error("could not write the preferences file")]
    Io(#[from] std::io::Error),
    /// The preferences could not be encoded.
    #[error("could not encode the preferences")]
    Encode(#[from] serde_json::Error),
}

impl Settings {
    /// Checks that every value is one the app offers.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if AUTO_LOCK_CHOICES.contains(&self.auto_lock_seconds) {
            Ok(())
        } else {
            Err(SettingsError::InvalidAutoLock(self.auto_lock_seconds))
        }
    }

    /// Reads the preferences in `dir`; a missing, unreadable or invalid file gives the defaults,
    /// because losing a preference must never keep the user out of the app.
    pub fn load(dir: &Path) -> Self {
        fs::read(dir.join(SETTINGS_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Self>(&bytes).ok())
            .filter(|settings| settings.validate().is_ok())
            .unwrap_or_default()
    }

    /// Validates and writes the preferences to `dir` (a temporary file renamed into place, so a
    /// crash leaves the old or the new file).
    ///
    /// The data folder, if missing, is created private to the user (it also holds the vault),
    /// and so is the file.
    pub fn save(&self, dir: &Path) -> Result<(), SettingsError> {
        self.validate()?;
        zweifaktor_private_fs::create_dir_all(dir)?;
        let target = dir.join(SETTINGS_FILE);
        let temp: PathBuf = dir.join(format!("{SETTINGS_FILE}.tmp"));
        zweifaktor_private_fs::write_new(&temp, &serde_json::to_vec_pretty(self)?)?;
        fs::rename(&temp, &target)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()), Settings::default());
        assert_eq!(Settings::default().language, Language::De);
        assert_eq!(Settings::default().auto_lock_seconds, 60);
    }

    #[test]
    fn saved_settings_load_again() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            auto_lock_seconds: 300,
            language: Language::En,
        };
        settings.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()), settings);
    }

    #[test]
    fn auto_lock_outside_the_choices_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            auto_lock_seconds: 7,
            language: Language::De,
        };
        assert!(matches!(
            settings.save(dir.path()),
            Err(SettingsError::InvalidAutoLock(7))
        ));
        assert!(!dir.path().join(SETTINGS_FILE).exists());
    }

    #[test]
    fn corrupt_or_invalid_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(SETTINGS_FILE), b"{not json").unwrap();
        assert_eq!(Settings::load(dir.path()), Settings::default());
        fs::write(
            dir.path().join(SETTINGS_FILE),
            br#"{"autoLockSeconds":7,"language":"en"}"#,
        )
        .unwrap();
        assert_eq!(Settings::load(dir.path()), Settings::default());
    }
}
