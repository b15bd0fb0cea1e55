//! Plugins that exist only on phones: the camera QR scanner and the biometric plugin. Desktop
//! builds get neither and read QR codes from pictures.
//!
//! The biometric plugin is registered (with its capability) but nothing calls it yet: its
//! released version answers only "is this the owner?", while the vault's biometric slot needs a
//! biometric-bound key. Until the plugin offers one the vault is PIN-only on every platform
//! (docs/VAULT.md, "No biometric slot yet").

use tauri::{Builder, Runtime};

/// Adds the phone-only plugins to the builder.
#[cfg(mobile)]
pub fn plugins<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_biometric::init())
        .plugin(tauri_plugin_barcode_scanner::init())
}

/// Desktop builds have no phone-only plugins.
#[cfg(not(mobile))]
pub fn plugins<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
}
