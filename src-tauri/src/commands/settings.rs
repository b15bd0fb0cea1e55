//! Preferences and the about screen.

use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::settings::Settings;
use crate::state::AppState;

/// The preferences the settings screen shows.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    *state.settings()
}

/// Stores new preferences and returns them.
#[tauri::command]
pub fn set_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, CommandError> {
    settings.save(state.data_dir())?;
    *state.settings() = settings;
    Ok(settings)
}

/// Name, version and licence for the about screen, and whether this is a phone build (the
/// UI offers the camera scanner there and the picture picker elsewhere).
#[derive(Debug, Serialize)]
pub struct AppInfo {
    name: &'static str,
    version: &'static str,
    license: &'static str,
    mobile: bool,
}

/// What the about screen shows about the app itself.
#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        name: "Zweifaktor",
        version: env!("CARGO_PKG_VERSION"),
        license: env!("CARGO_PKG_LICENSE"),
        mobile: cfg!(mobile),
    }
}
