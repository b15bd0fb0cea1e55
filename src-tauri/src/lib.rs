//! The Zweifaktor app: a thin Tauri 2 shell around the authenticator core (`zweifaktor-core`)
//! with a plain HTML/CSS/JS interface in `ui/`.
//!
//! Commands unwrap their arguments, call the core and return a DTO or a [`CommandError`]; no
//! rule of the authenticator lives here.
//!
//! # Layout
//! - [`commands`]: the commands the UI invokes, one module per domain.
//! - [`adding`]: an account kept between its preview and its save.
//! - [`importing`]: an import file kept from the dialog to the confirmation.
//! - [`links`]: links that open the app (deep links, a second start on the desktop).
//! - [`exporting`]: the export behind the PIN, saved or drawn as QR codes.
//! - [`autolock`]: locks the app after the configured time in the background.
//! - [`error`]: [`CommandError`], the typed error the UI branches on.
//! - [`portal`]: registration with a portal.
//! - [`challenges`]: the push watches and the challenge screen's data and answers.
//! - [`state`]: the managed state (data folder, preferences, the opened vault).
//! - [`settings`]: the preferences file (auto-lock time, language).
//! - [`qr`]: reading a QR code from a picked picture (desktop).
//! - [`files`]: the desktop's file dialogs and the one file each command reads or writes.
//! - [`clipboard`]: copying a code, and clearing it again after a minute.
//! - [`mobile`]: plugins registered on Android and iOS only.
//! - [`biometric`]: the platform cipher behind fingerprint unlock (Android's plugin glue).

pub mod adding;
pub mod autolock;
pub mod biometric;
pub mod challenges;
pub mod clipboard;
pub mod commands;
pub mod error;
pub mod exporting;
pub mod files;
pub mod importing;
pub mod links;
pub mod mobile;
pub mod portal;
pub mod qr;
pub mod settings;
pub mod state;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{Manager, Runtime};

pub use error::CommandError;
pub use state::AppState;

/// Adds the app's commands and plugins to `builder`, without state or context: [`run`] adds
/// both to the default builder, tests a state of their own to Tauri's mock builder.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let builder = builder
        .on_window_event(autolock::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::vault::vault_status,
            commands::vault::start_enrollment,
            commands::vault::start_enrollment_from_picture,
            commands::vault::finish_enrollment,
            commands::vault::unlock,
            commands::vault::lock,
            commands::vault::change_pin,
            commands::vault::reset_app,
            commands::accounts::list_codes,
            commands::accounts::next_code,
            commands::accounts::remove_account,
            commands::accounts::copy_code,
            commands::accounts::read_link,
            commands::accounts::read_link_from_picture,
            commands::accounts::preview_manual,
            commands::accounts::confirm_add,
            commands::accounts::discard_add,
            commands::accounts::open_link,
            commands::accounts::rename_account,
            commands::accounts::move_account,
            commands::accounts::list_push_tokens,
            commands::accounts::remove_push_token,
            commands::transfer::pick_import_file,
            commands::transfer::open_import,
            commands::transfer::confirm_import,
            commands::transfer::discard_import,
            commands::transfer::export_accounts,
            commands::push::latest_challenge,
            commands::push::deny_challenge,
            commands::push::accept_challenge,
            commands::settings::get_settings,
            commands::settings::set_settings,
            commands::settings::app_info,
            commands::biometric::biometric_status,
            commands::biometric::enable_biometric,
            commands::biometric::disable_biometric,
            commands::biometric::unlock_biometric,
        ])
        .plugin(tauri_plugin_clipboard_manager::init());
    mobile::plugins(files::plugins(builder))
}

/// Starts the app (desktop `main` and the mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let result = with_commands(links::plugins(tauri::Builder::default()))
        .setup(|app| {
            let data_dir = data_dir(app.handle())?;
            // The folder holds the vault and belongs to the app alone: created private, or
            // restricted to the user if an older version left it open. A failure here shows
            // up as a typed error at the first vault access.
            if let Err(err) = zweifaktor_private_fs::ensure_own_dir(&data_dir) {
                tracing::warn!(path = %data_dir.display(), %err, "could not make the data folder private");
            }
            let clipboard = clipboard::SystemClipboard::new(app.handle().clone());
            let state = AppState::new(data_dir).with_clipboard(Arc::new(clipboard));
            app.manage(platform_cipher(app.handle(), scripted_dialogs(state)));
            links::wire(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(error = %err, "the app could not start");
        std::process::exit(1);
    }
}

/// With the `e2e-dialogs` feature (the app walk's build), the folder in
/// [`files::DIALOG_DIR_VAR`] stands in for the file dialogs.
#[cfg(feature = "e2e-dialogs")]
fn scripted_dialogs(state: AppState) -> AppState {
    match std::env::var_os(files::DIALOG_DIR_VAR) {
        Some(dir) if !dir.is_empty() => {
            tracing::warn!("file dialogs replaced by a folder (test build)");
            state.with_dialog_dir(PathBuf::from(dir))
        }
        _ => state,
    }
}

/// Release and ordinary builds always show the platform's dialogs.
#[cfg(not(feature = "e2e-dialogs"))]
fn scripted_dialogs(state: AppState) -> AppState {
    state
}

/// On Android, the plugin's biometric-bound cipher (written, not run here).
#[cfg(target_os = "android")]
fn platform_cipher<R: Runtime>(app: &tauri::AppHandle<R>, state: AppState) -> AppState {
    state.with_cipher(Arc::new(biometric::android::PluginCipher(app.clone())))
}

/// Other platforms have no bound key: PIN only.
#[cfg(not(target_os = "android"))]
fn platform_cipher<R: Runtime>(_app: &tauri::AppHandle<R>, state: AppState) -> AppState {
    state
}

/// The folder for the vault: [`state::DATA_DIR_VAR`] when set, else the platform's app data
/// folder.
fn data_dir<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<PathBuf> {
    match std::env::var_os(state::DATA_DIR_VAR) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}
