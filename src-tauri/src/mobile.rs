//! Plugins that exist only on phones: the camera QR scanner and the biometric plugin. Desktop
//! builds get neither and read QR codes from pictures.
//!
//! On Android the shell calls the biometric plugin's `biometric_cipher` from Rust
//! ([`crate::biometric`]) for the vault's biometric slot; on iOS the plugin is registered but
//! unused, since it answers only yes/no there (docs/VAULT.md, "The biometric slot").

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
