//! What the app keeps between commands: where its files are and the user's preferences.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::settings::Settings;

/// Environment variable naming the folder for the vault and preferences instead of the
/// platform's app data folder: for tests (one folder per test) and portable installs.
pub const DATA_DIR_VAR: &str = "ZF_APP_DATA_DIR";

/// The app's managed state.
pub struct AppState {
    data_dir: PathBuf,
    settings: Mutex<Settings>,
}

impl AppState {
    /// State for the data folder `data_dir`, with the preferences stored there.
    pub fn new(data_dir: PathBuf) -> Self {
        let settings = Settings::load(&data_dir);
        Self {
            data_dir,
            settings: Mutex::new(settings),
        }
    }

    /// The folder holding the vault and the preferences.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The current preferences, to read or change.
    ///
    /// A panic while the lock was held cannot leave the preferences half-written (they are
    /// plain values), so a poisoned lock is taken over rather than failing every later command.
    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
