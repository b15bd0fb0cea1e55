//! Unlocking by fingerprint: whether it is offered and on, switching it, and the unlock itself.
//! The rules (a PIN session to switch it on, the 72 hours, an invalidated key) are the core's.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use zweifaktor_core::Authenticator;
use zweifaktor_core::vault::PlatformCipher;

use crate::challenges;
use crate::error::CommandError;
use crate::state::AppState;

/// What the settings switch and the login screen need to know.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BiometricStatus {
    /// This platform has a biometric-bound key (Android): the switch is shown.
    available: bool,
    /// The vault has a biometric slot: the login screen offers the fingerprint first.
    enabled: bool,
}

/// The platform cipher, or `biometric_unavailable` where there is none.
fn cipher(state: &AppState) -> Result<std::sync::Arc<dyn PlatformCipher>, CommandError> {
    state.cipher().ok_or(CommandError::NO_BIOMETRIC_KEY)
}

/// Whether fingerprint unlock is offered on this platform and switched on for the vault.
#[tauri::command]
pub fn biometric_status(state: State<'_, AppState>) -> Result<BiometricStatus, CommandError> {
    let enabled = match state.session().as_ref() {
        Some(auth) => auth.biometric_enabled(),
        None => Authenticator::login_info(&state.vault_path())?.biometric,
    };
    Ok(BiometricStatus {
        available: state.cipher().is_some(),
        enabled,
    })
}

/// Switches fingerprint unlock on: the platform's prompt seals the vault's key.
#[tauri::command(async)]
pub fn enable_biometric(state: State<'_, AppState>) -> Result<(), CommandError> {
    let cipher = cipher(&state)?;
    state.with_session(|auth| Ok(auth.enable_biometric(cipher.as_ref())?))
}

/// Switches fingerprint unlock off; only the PIN opens the app afterwards.
#[tauri::command]
pub fn disable_biometric(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.with_session(|auth| Ok(auth.disable_biometric()?))
}

/// Opens the vault by fingerprint and starts listening for challenges.
#[tauri::command(async)]
pub fn unlock_biometric<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    let cipher = cipher(&state)?;
    let auth =
        Authenticator::unlock_biometric(&state.vault_path(), cipher.as_ref(), state.clock())?;
    *state.session() = Some(auth);
    challenges::start_listening(&app);
    Ok(())
}
