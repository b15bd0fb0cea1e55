//! Plugins that exist only on phones: the biometric prompt and the camera QR scanner. Desktop
//! builds get neither (the app is PIN-only there and reads QR codes from pictures).

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
