//! The platform cipher behind the vault's biometric slot: tauri-plugin-biometric's
//! `biometric_cipher` on Android, nothing elsewhere (iOS, macOS and the desktop get a yes/no
//! answer only, no bound key; docs/VAULT.md).
//!
//! The slot's rules live in the core ([`zweifaktor_core::vault::biometric`]); this module only
//! translates the plugin's answers into the core's [`CipherError`]. The Android glue below is
//! written against the plugin's published source (2.5.0) but **not run here**: this project's
//! CI has no Android device (see .github/workflows/mobile.yml, which compiles it).

use zweifaktor_core::vault::CipherError;

/// Rejection codes of the plugin's Android side (`BiometricPlugin.kt`, 2.5.0) that mean the
/// user or the system closed the prompt.
const CANCEL_CODES: [&str; 2] = ["userCancel", "systemCancel"];

/// Codes that mean the biometrics did not match or are locked after too many tries.
const FAILURE_CODES: [&str; 2] = ["authenticationFailed", "biometryLockout"];

/// Codes that mean no strong biometrics can be used on the device now.
const UNAVAILABLE_CODES: [&str; 3] = [
    "biometryNotAvailable",
    "biometryNotEnrolled",
    "passcodeNotSet",
];

/// What `KeyPermanentlyInvalidatedException` says (AOSP's message for it); the plugin reports
/// it with an empty code and this text inside its message.
const INVALIDATED_TEXT: &str = "permanently invalidated";

/// The plugin's messages when the cipher could not start or the sealed bytes did not open:
/// the key is gone or replaced, so the slot can never open again.
const CIPHER_FAILURE_PREFIXES: [&str; 2] = ["Failed to initialize the cipher", "Failed to decrypt"];

/// Maps a rejection of the plugin (its `code` and `message`) to the core's outcome.
///
/// The plugin has no code of its own for an invalidated key, so its message is read here, at
/// the edge, and nowhere else. Anything not recognised counts as a failed check: the slot is
/// kept and the PIN is offered.
pub fn classify(code: Option<&str>, message: Option<&str>) -> CipherError {
    let code = code.unwrap_or_default();
    let message = message.unwrap_or_default();
    if CANCEL_CODES.contains(&code) {
        CipherError::Cancelled
    } else if FAILURE_CODES.contains(&code) {
        CipherError::Failed
    } else if UNAVAILABLE_CODES.contains(&code) {
        CipherError::NotAvailable
    } else if message.contains(INVALIDATED_TEXT)
        || CIPHER_FAILURE_PREFIXES
            .iter()
            .any(|prefix| message.starts_with(prefix))
    {
        CipherError::KeyInvalidated
    } else {
        CipherError::Failed
    }
}

/// The Android glue: the plugin's `biometric_cipher`. Written, not run here.
#[cfg(target_os = "android")]
pub mod android {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use tauri::{AppHandle, Manager, Runtime};
    use tauri_plugin_biometric::{AuthOptions, BiometricExt, Error};
    use zeroize::Zeroizing;
    use zweifaktor_core::clock::{Clock, SystemClock};
    use zweifaktor_core::vault::{CipherError, PlatformCipher};

    use crate::settings::Language;
    use crate::state::AppState;

    /// The plugin's Keystore cipher, prompting in the app's language.
    pub struct PluginCipher<R: Runtime>(pub AppHandle<R>);

    impl<R: Runtime> PluginCipher<R> {
        /// Runs the plugin with `options`; the plugin takes and returns text.
        fn run(&self, options: AuthOptions) -> Result<Zeroizing<String>, CipherError> {
            let german = self.0.state::<AppState>().settings().language == Language::De;
            let (reason, cancel) = if german {
                ("Zweifaktor entsperren", "PIN verwenden")
            } else {
                ("Unlock Zweifaktor", "Use PIN")
            };
            let options = AuthOptions {
                cancel_title: Some(cancel.into()),
                ..options
            };
            match self.0.biometric().biometric_cipher(reason.into(), options) {
                Ok(result) => Ok(Zeroizing::new(result.data)),
                Err(Error::PluginInvoke(
                    tauri::plugin::mobile::PluginInvokeError::InvokeRejected(rejected),
                )) => Err(super::classify(
                    rejected.code.as_deref(),
                    rejected.message.as_deref(),
                )),
                Err(_) => Err(CipherError::NotAvailable),
            }
        }
    }

    impl<R: Runtime> PlatformCipher for PluginCipher<R> {
        fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, CipherError> {
            let text = Zeroizing::new(STANDARD.encode(plaintext));
            let sealed = self.run(AuthOptions {
                data_to_encrypt: Some(text.to_string()),
                ..AuthOptions::default()
            })?;
            Ok(sealed.as_bytes().to_vec())
        }

        fn decrypt(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CipherError> {
            let sealed = std::str::from_utf8(sealed).map_err(|_| CipherError::KeyInvalidated)?;
            let text = self.run(AuthOptions {
                data_to_decrypt: Some(sealed.to_owned()),
                ..AuthOptions::default()
            })?;
            STANDARD
                .decode(text.as_bytes())
                .map(Zeroizing::new)
                .map_err(|_| CipherError::KeyInvalidated)
        }

        fn booted_at(&self) -> Option<u64> {
            let since_boot = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
            SystemClock
                .now()
                .checked_sub(u64::try_from(since_boot.tv_sec).ok()?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugins_rejections_map_to_the_cores_outcomes() {
        assert_eq!(
            classify(Some("userCancel"), Some("Cancel button was pressed")),
            CipherError::Cancelled
        );
        assert_eq!(classify(Some("systemCancel"), None), CipherError::Cancelled);
        assert_eq!(
            classify(
                Some("authenticationFailed"),
                Some("Fingerprint not recognized")
            ),
            CipherError::Failed
        );
        assert_eq!(classify(Some("biometryLockout"), None), CipherError::Failed);
        assert_eq!(
            classify(Some("biometryNotEnrolled"), None),
            CipherError::NotAvailable
        );
        assert_eq!(
            classify(
                Some(""),
                Some("Failed to initialize the cipher: Key permanently invalidated")
            ),
            CipherError::KeyInvalidated
        );
        assert_eq!(
            classify(
                Some(""),
                Some("Failed to decrypt the data: AEADBadTagException")
            ),
            CipherError::KeyInvalidated
        );
        assert_eq!(classify(None, Some("something else")), CipherError::Failed);
    }
}
