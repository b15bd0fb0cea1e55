//! The vault: its state for the first screen, enrollment, unlock and lock, PIN change, reset.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;
use zweifaktor_core::Authenticator;
use zweifaktor_core::accounts::AccountSummary;
use zweifaktor_core::pin::Pin;
use zweifaktor_protocol::uri::OtpAuthUri;

use crate::error::CommandError;
use crate::state::{AppState, PendingEnrollment};
use crate::{challenges, portal, qr};

/// What the first screen needs: set-up, login (with e-mail and lock-out) or the codes.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "state"
)]
pub enum VaultStatus {
    /// No vault yet: the enrollment screen.
    New,
    /// A vault exists and the app is locked: the login screen.
    Locked {
        /// The e-mail address the login screen shows.
        email: String,
        /// Wrong PINs still allowed before tries have to wait.
        tries_left: u32,
        /// When the next try is allowed (unix seconds), if tries have to wait.
        wait_until: Option<u64>,
    },
    /// The vault is open.
    Unlocked,
}

/// Whether the app is new, locked or open.
#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> Result<VaultStatus, CommandError> {
    if state.session().is_some() {
        return Ok(VaultStatus::Unlocked);
    }
    match Authenticator::login_info(&state.vault_path()) {
        Ok(info) => Ok(VaultStatus::Locked {
            email: info.email,
            tries_left: info.lockout.tries_left_before_wait,
            wait_until: info.lockout.next_try_at,
        }),
        Err(zweifaktor_core::CoreError::Vault(zweifaktor_core::vault::VaultError::NotFound {
            ..
        })) => Ok(VaultStatus::New),
        Err(err) => Err(err.into()),
    }
}

/// Who an enrollment link is for, shown above the PIN fields; nothing secret.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentPreview {
    issuer: Option<String>,
    account_name: String,
}

/// Checks a set-up link and keeps it until [`finish_enrollment`].
fn keep_enrollment(
    state: &AppState,
    uri: Zeroizing<String>,
) -> Result<EnrollmentPreview, CommandError> {
    let parsed = OtpAuthUri::parse(&uri)?;
    let preview = EnrollmentPreview {
        issuer: parsed.issuer.clone(),
        account_name: parsed.account_name.clone(),
    };
    *state.pending() = Some(PendingEnrollment::new(uri));
    Ok(preview)
}

/// A pasted or scanned set-up link: checked and kept in the shell for the PIN step.
#[tauri::command]
pub fn start_enrollment(
    state: State<'_, AppState>,
    uri: Zeroizing<String>,
) -> Result<EnrollmentPreview, CommandError> {
    keep_enrollment(&state, uri)
}

/// A picture of the set-up QR code, chosen in the file dialog titled `title`: read and
/// decoded here, so the link never reaches the window. `None` if the user cancelled.
#[tauri::command(async)]
pub fn start_enrollment_from_picture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    title: String,
) -> Result<Option<EnrollmentPreview>, CommandError> {
    match qr::pick_and_decode(&state.dialogs(&app), &title)? {
        Some(uri) => keep_enrollment(&state, uri).map(Some),
        None => Ok(None),
    }
}

/// Creates the vault with `pin` and the kept set-up link (registering with the portal the
/// link names); the app is open and listening for challenges afterwards.
#[tauri::command]
pub async fn finish_enrollment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pin: Zeroizing<String>,
) -> Result<AccountSummary, CommandError> {
    let summary = portal::enroll(&state, Pin::new(pin)?).await?;
    challenges::start_listening(&app);
    Ok(summary)
}

/// Opens the vault with `pin` and starts listening for challenges.
#[tauri::command(async)]
pub fn unlock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pin: Zeroizing<String>,
) -> Result<(), CommandError> {
    let pin = Pin::new(pin)?;
    let auth = Authenticator::unlock(&state.vault_path(), &pin, state.clock())?;
    *state.session() = Some(auth);
    challenges::start_listening(&app);
    Ok(())
}

/// Locks the app: the opened vault is dropped and its secrets wiped, the listeners stop.
#[tauri::command]
pub fn lock(state: State<'_, AppState>) {
    state.lock();
}

/// Sets a new PIN after checking the current one.
#[tauri::command(async)]
pub fn change_pin(
    state: State<'_, AppState>,
    current_pin: Zeroizing<String>,
    new_pin: Zeroizing<String>,
) -> Result<(), CommandError> {
    let current = Pin::new(current_pin)?;
    let new_pin = Pin::new(new_pin)?;
    state.with_session(|auth| Ok(auth.change_pin_checked(&current, &new_pin, state.kdf())?))
}

/// Deletes the vault and every account in it ("Code (PIN) vergessen", "App zurücksetzen").
#[tauri::command]
pub fn reset_app(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.lock();
    *state.pending() = None;
    Ok(Authenticator::reset(&state.vault_path())?)
}
